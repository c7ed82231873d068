/**
 * Where an installer's trust starts. The first TUF client of a store pins the registry and the
 * root it started from (`trustedRoot`, or the registry's `/tuf/1.root.json` on first use) in the
 * store's `trust-anchor` record; later clients follow the stored root chain. A store never
 * silently switches registry or root: another registry is STORE_REGISTRY_MISMATCH, another
 * explicit root is TUF_ROOT_INVALID (start a fresh store to trust it).
 */
import { sha256Of } from './cache.js';
import { InstallerError } from './errors.js';
import { fetchBytes } from './fetch-bytes.js';
import { TufClient } from './tuf/client.js';
import type { MetadataStore } from './tuf/metadata-store.js';
import type { TufLimits } from './tuf/workflow.js';

/** The store record naming the trust anchor. */
export const ANCHOR_RECORD = 'trust-anchor';

/** What opening a TUF client needs. */
export interface AnchorOptions {
  registry: string;
  metadata: MetadataStore;
  trustedRoot?: Uint8Array | string;
  fetch?: typeof fetch;
  now?: () => Date;
  tufLimits?: Partial<TufLimits>;
  signal?: AbortSignal;
}

interface Anchor {
  registry: string;
  /** SHA-256 of the root the store started from. */
  root: string;
}

async function readAnchor(metadata: MetadataStore): Promise<Anchor | undefined> {
  const bytes = await metadata.load(ANCHOR_RECORD);
  if (!bytes?.length) return undefined;
  try {
    const a = JSON.parse(new TextDecoder().decode(bytes)) as Anchor;
    if (typeof a.registry === 'string' && typeof a.root === 'string') return a;
  } catch {
    // fall through
  }
  throw new InstallerError('STORE_FAILED', 'The store\'s trust anchor is unreadable.', 'Start a fresh store (another --dir, or another storage name).');
}

/** A TUF client for `registry` over the store's trusted metadata, anchored as the module comment says. */
export async function openTufClient(o: AnchorOptions): Promise<TufClient> {
  const given = typeof o.trustedRoot === 'string' ? new TextEncoder().encode(o.trustedRoot) : o.trustedRoot;
  const anchor = await readAnchor(o.metadata);
  let root = given;
  if (anchor) {
    if (anchor.registry !== o.registry) {
      throw new InstallerError('STORE_REGISTRY_MISMATCH', `This store trusts the registry ${anchor.registry}, not ${o.registry}.`, 'Use a separate store (--dir, or storage name) per registry.');
    }
    if (given && (await sha256Of(given)) !== anchor.root) {
      throw new InstallerError('TUF_ROOT_INVALID', 'This store already trusts another root of this registry; the trust root given now is not the one it started from.', 'Keep the store\'s trusted chain (omit the root), or start a fresh store (another --dir, or another storage name) from the new root.');
    }
  } else {
    root ??= await fetchBytes(`${o.registry}/tuf/1.root.json`, { maxBytes: 512 * 1024, deadlineMs: o.tufLimits?.deadlineMs ?? 20_000, cache: 'no-cache', ...(o.signal ? { signal: o.signal } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) });
    await o.metadata.save(ANCHOR_RECORD, new TextEncoder().encode(JSON.stringify({ registry: o.registry, root: await sha256Of(root) } satisfies Anchor)));
  }
  return new TufClient({
    metadataUrl: `${o.registry}/tuf/`,
    targetsUrl: `${o.registry}/tuf/targets/`,
    store: o.metadata,
    ...(root ? { trustedRoot: root } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.tufLimits ? { limits: o.tufLimits } : {}),
  });
}
