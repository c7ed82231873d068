/**
 * The partner adapters the registry's sync workers push listings with: npm (a registry's HTTP
 * API), WordPress.org (a plugin's Subversion repository) and the MCP Registry (its v0 publish
 * API). Each one pairs the browser-safe `prepare` of `src/listings/partners/` (bound to its
 * connection's settings: npm scope, plugin slug, MCP namespace …) with the Node-only `push` here.
 * Every push rejects with a {@link PushError}; {@link classifyFailure} gives the same shape for
 * anything else a caller caught.
 */
import type { ListingAssets, PartnerAdapter, PartnerConfig, PreparedListing, PushContext } from '../../../listings/partners/adapter.js';
import { prepareMcpRegistry } from '../../../listings/partners/mcp-registry.js';
import { prepareNpm } from '../../../listings/partners/npm.js';
import { prepareWordPress } from '../../../listings/partners/wordpress.js';
import type { ListingDocument } from '../../../listings/types.js';
import { PushError, toPushError } from './failure.js';
import { pushMcpRegistry } from './mcp-registry-push.js';
import { pushNpm } from './npm-push.js';
import { pushWordpress } from './wordpress-push.js';

export { classifyFailure, parseRetryAfter, PushError, type PushFailureCode } from './failure.js';
export { pushMcpRegistry } from './mcp-registry-push.js';
export { pushNpm } from './npm-push.js';
export { pushWordpress } from './wordpress-push.js';

/** The targets with a push adapter. */
export const PUSH_TARGETS = ['npm', 'wordpress', 'mcp-registry'] as const;
/** One of {@link PUSH_TARGETS}. */
export type PushTarget = (typeof PUSH_TARGETS)[number];

type Prepare = (listing: ListingDocument, assets: ListingAssets, config: Partial<PartnerConfig>) => Promise<PreparedListing>;
type Push = (prepared: PreparedListing, ctx: PushContext) => Promise<{ remoteId?: string; alreadyApplied: boolean }>;

const PARTS: Record<PushTarget, { prepare: Prepare; push: Push }> = {
  npm: { prepare: prepareNpm, push: pushNpm },
  wordpress: { prepare: prepareWordPress, push: pushWordpress },
  'mcp-registry': { prepare: prepareMcpRegistry, push: pushMcpRegistry },
};

/** The adapter of one target: `prepare` with `config`'s settings, `push` whose failures are always {@link PushError}s. */
export function createPartnerAdapter(target: PushTarget, config: PartnerConfig): PartnerAdapter {
  const { prepare, push } = PARTS[target];
  return {
    target,
    prepare: (listing, assets) => prepare(listing, assets, config),
    push: async (prepared, ctx) => {
      if (prepared.target !== target) throw new PushError({ code: 'INVALID_PREPARED', retryable: false, message: `a listing prepared for ${prepared.target} cannot be pushed to ${target}` });
      try {
        return await push(prepared, ctx);
      } catch (err) {
        throw toPushError(err);
      }
    },
  };
}

/** An adapter for every configured push target (targets without a config are left out), in {@link PUSH_TARGETS} order. */
export function createPartnerAdapters(configs: Partial<Record<PushTarget, PartnerConfig>>): PartnerAdapter[] {
  return PUSH_TARGETS.filter((t) => configs[t]).map((t) => createPartnerAdapter(t, configs[t]!));
}
