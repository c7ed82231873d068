/**
 * Picks the registry's blob store from `--blobs`: none → files under `DATA/blobs`;
 * `s3://bucket[/prefix]?endpoint=…` → an S3-compatible bucket; `file:///abs/dir` → files there.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RegistryError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { FileBlobStore } from './file-blobs.js';
import { S3BlobStore } from './s3-blobs.js';

/** Where blobs go: `--blobs` (optional) and `--data`. */
export interface BlobsSpec {
  /** `s3://bucket?endpoint=…` or `file:///dir`; undefined or empty → files under `dataDir/blobs`. */
  blobs?: string;
  /** The registry's data directory. */
  dataDir: string;
  /** Environment for S3 credentials (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Opens the blob store `spec` names. Opening checks the spec only, not the server: the first
 * request reports `BLOB_STORE_UNREACHABLE` / `BLOB_STORE_ERROR`.
 *
 * @throws RegistryError `INVALID_BLOBS_SPEC` for anything else, or an s3:// spec that is malformed
 *   or has no credentials.
 */
export async function openBlobStore(spec: BlobsSpec): Promise<BlobStore> {
  const raw = spec.blobs?.trim();
  if (!raw) return new FileBlobStore(join(spec.dataDir, 'blobs'));
  if (raw.startsWith('s3://')) return S3BlobStore.fromSpec(raw, spec.env);
  if (raw.startsWith('file://')) {
    try {
      return new FileBlobStore(fileURLToPath(raw));
    } catch {
      // falls through to the error below
    }
  }
  throw new RegistryError(
    400,
    'INVALID_BLOBS_SPEC',
    `--blobs ${JSON.stringify(raw.replace(/(secretAccessKey|sessionToken)=[^&]*/g, '$1=***'))} is neither s3://BUCKET?endpoint=… nor file:///DIR`,
    'Use --blobs s3://BUCKET?endpoint=http://HOST:PORT&region=us-east-1, or leave it out for files under --data.',
  );
}
