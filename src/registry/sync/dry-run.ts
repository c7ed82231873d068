/**
 * Dry runs (`POST /v1/extensions/{id}/sync/dry-run`): what a sync would push to each partner now,
 * as a diff against what the partner was last given (`sync_state.pushed_document` and its file
 * digests). Prepares with the real adapters and the stored listing images, as a worker would;
 * pushes nothing and writes nothing.
 */
import { createHash } from 'node:crypto';
import type { ListingFinding } from '../../listings/types.js';
import type { Database } from '../db/database.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { RegistryError } from '../errors.js';
import type { PartnerLink } from './adapters.js';
import { diffFiles, diffJson, type JsonChange } from './diff.js';
import { registryListing } from './listing.js';
import { listingAssetImages } from './assets.js';

/** The dry run of one partner. */
export interface PartnerDryRun {
  partner: string;
  /** False when the partner has exactly this already (same digest): a sync would skip it. */
  wouldPush: boolean;
  /** The version the listing describes. */
  version: string;
  digest: string;
  pushedDigest: string | null;
  pushedVersion: string | null;
  /** Changes to the partner's document (JSON pointers into it); every field is "add" before a first push. */
  changes: JsonChange[];
  files: { added: string[]; removed: string[]; changed: string[] };
  /** The partner rules' findings (an error one would make the push a dead letter). */
  findings: ListingFinding[];
  /** The document that would be pushed. */
  document: unknown;
}

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Dry-runs the sync of `id` to `only` (default: every partner with an adapter in this process).
 *
 * @throws RegistryError 404 `EXTENSION_NOT_FOUND`; 400 `UNKNOWN_PARTNER`; 409 `SYNC_NOT_CONFIGURED`
 *   when this process has no partner adapters.
 */
export async function dryRun(db: Database, blobs: BlobStore, links: ReadonlyMap<string, PartnerLink>, registryUrl: string, id: string, only?: readonly string[]): Promise<PartnerDryRun[]> {
  if (!links.size) throw new RegistryError(409, 'SYNC_NOT_CONFIGURED', 'This registry process has no sync partners configured.', 'Start it with --sync <partner>=<url> (the same specs as its workers).');
  const unknown = (only ?? []).filter((p) => !links.has(p));
  if (unknown.length) throw new RegistryError(400, 'UNKNOWN_PARTNER', `No sync partner ${unknown.join(', ')} here.`, `Use one of ${[...links.keys()].join(', ')}.`);
  const built = await registryListing(db, id, registryUrl, blobs);
  const out: PartnerDryRun[] = [];
  for (const [partner, link] of links) {
    if (only?.length && !only.includes(partner)) continue;
    const images = await listingAssetImages(db, blobs, built.listing.id, built.listing.version, link.adapter.target);
    const prepared = await link.adapter.prepare(built.listing, { images, ...(built.packageBytes ? { package: built.packageBytes } : {}) });
    const { rows } = await db.query<{ pushed_digest: string | null; pushed_version: string | null; pushed_document: unknown; pushed_files: unknown }>(
      'SELECT pushed_digest, pushed_version, pushed_document, pushed_files FROM sync_state WHERE extension_id = $1 AND partner = $2',
      [built.listing.id, partner],
    );
    const state = rows[0];
    const files = Object.fromEntries([...prepared.files].map(([p, bytes]) => [p, createHash('sha256').update(bytes).digest('hex')]));
    const pushedDoc = state?.pushed_digest ? json<unknown>(state.pushed_document) : undefined;
    out.push({
      partner,
      wouldPush: state?.pushed_digest !== prepared.digest,
      version: built.listing.version,
      digest: prepared.digest,
      pushedDigest: state?.pushed_digest ?? null,
      pushedVersion: state?.pushed_version ?? null,
      changes: diffJson(pushedDoc === undefined && isObject(prepared.document) ? {} : pushedDoc, prepared.document),
      files: diffFiles(json<Record<string, string> | null>(state?.pushed_files) ?? {}, files),
      findings: prepared.findings,
      document: prepared.document,
    });
  }
  return out;
}
