/**
 * One entry point over every target's document builder: `prepareFor(target, …)` gives the
 * {@link PreparedListing} of any target (for `registry`, the listing after its own rules).
 * Browser-safe.
 */
import type { ListingDocument } from '../types.js';
import type { ListingAssets, PartnerConfig, PreparedListing } from './adapter.js';
import { preparedListing } from './digest.js';
import { prepareMcpRegistry } from './mcp-registry.js';
import { prepareNpm } from './npm.js';
import { preparePortal } from './portal.js';
import { applyRules } from './rules.js';
import { PARTNER_TARGETS, type TargetId } from './targets.js';
import { prepareWordPress } from './wordpress.js';

/** The prepared listing of `listing` for `target` (image rules run when `assets.images` is not empty). */
export async function prepareFor(target: TargetId, listing: ListingDocument, assets: ListingAssets, config: Partial<PartnerConfig> = {}): Promise<PreparedListing> {
  switch (target) {
    case 'npm':
      return prepareNpm(listing, assets, config);
    case 'wordpress':
      return prepareWordPress(listing, assets, config);
    case 'mcp-registry':
      return prepareMcpRegistry(listing, assets, config);
    case 'registry': {
      const { copy, findings } = applyRules(listing, PARTNER_TARGETS.registry, assets.images.size ? assets : undefined);
      const files = new Map([...copy.images].map((i) => [i.path, assets.images.get(i.key)!.bytes] as const));
      return preparedListing('registry', copy, files, findings);
    }
    default:
      return preparePortal(target, listing, assets, assets.images.size > 0);
  }
}
