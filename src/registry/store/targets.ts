/**
 * TUF target paths of the registry (DESIGN §7): a package is `extensions/{id}/{version}.vib3x`,
 * an extension's channel assignments are `channels/{id}.json` (`{ stable, beta, canary }`).
 */
import { createHash } from 'node:crypto';
import { canonicalBytes } from '../../extensions/manifest/canonical-json.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Queryable } from '../db/database.js';

/** The target path of a package. */
export const packageTarget = (id: string, version: string): string => `extensions/${id}/${version}.vib3x`;
/** The target path of an extension's channel file. */
export const channelTarget = (id: string): string => `channels/${id}.json`;

/** SHA-256 of bytes, lowercase hex. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** SHA-512 of bytes, lowercase hex. */
export const sha512Hex = (bytes: Uint8Array): string => createHash('sha512').update(bytes).digest('hex');

/** One change to the TUF targets. */
export interface TargetChange {
  path: string;
  length: number;
  sha256: string;
  sha512?: string;
  custom?: Record<string, unknown>;
}

/**
 * Writes the channel file of `id` as it is in the database (inside the caller's transaction) to
 * the blob store and returns its target entry.
 */
export async function channelFile(tx: Queryable, blobs: BlobStore, id: string): Promise<TargetChange> {
  const { rows } = await tx.query<{ channel: string; version: string }>('SELECT channel, version FROM channels WHERE id = $1', [id]);
  const body: Record<string, string | null> = { stable: null, beta: null, canary: null };
  for (const r of rows) body[r.channel] = r.version;
  const bytes = canonicalBytes(body);
  const sha256 = sha256Hex(bytes);
  await blobs.put(sha256, bytes);
  return { path: channelTarget(id), length: bytes.length, sha256, sha512: sha512Hex(bytes) };
}
