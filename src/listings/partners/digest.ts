/**
 * The digest of a prepared listing: SHA-256 (hex) over the RFC 8785 canonical JSON of the partner
 * document and the SHA-256 of every file by path. Equal digests mean the partner already has it.
 * Browser-safe (WebCrypto).
 */
import { canonicalBytes } from '../../extensions/manifest/canonical-json.js';
import type { ListingFinding } from '../types.js';
import type { PreparedListing } from './adapter.js';
import type { TargetId } from './targets.js';

/** SHA-256 of `bytes`, lower-case hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The digest of a document (JSON-serializable; undefined members are dropped) and its files. */
export async function listingDigest(document: unknown, files: ReadonlyMap<string, Uint8Array>): Promise<string> {
  const paths = [...files.keys()].sort();
  const hashes = await Promise.all(paths.map(async (p) => [p, await sha256Hex(files.get(p)!)]));
  return sha256Hex(canonicalBytes({ document: JSON.parse(JSON.stringify(document ?? null)), files: hashes }));
}

/** A {@link PreparedListing} with its digest. */
export async function preparedListing(target: TargetId, document: unknown, files: ReadonlyMap<string, Uint8Array>, findings: ListingFinding[]): Promise<PreparedListing> {
  return { target, document, files, findings, digest: await listingDigest(document, files) };
}
