/**
 * Blobs as files: `DIR/ab/cdef…` (the first two hex digits of the SHA-256 shard the directory).
 * A write goes to a temporary file in the shard directory, is fsynced, then renamed onto its final
 * name and the directory fsynced: a crash leaves either the whole blob or none under that name
 * (at worst a stray `.tmp-*` file, never read). Also the key checks both stores share.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RegistryError } from '../errors.js';
import type { BlobStore } from './blob-store.js';

const KEY = /^[0-9a-f]{64}$/;

/**
 * Throws `INVALID_BLOB_KEY` unless `key` is a SHA-256 in lowercase hex (64 digits) — the only keys
 * a blob store accepts, which also rules out path traversal (`../x`) and odd object names.
 */
export function assertBlobKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !KEY.test(key)) {
    const shown = typeof key === 'string' ? JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key) : typeof key;
    throw new RegistryError(400, 'INVALID_BLOB_KEY', `blob key ${shown} is not a lowercase hex SHA-256`, 'Address blobs by the SHA-256 of their bytes, 64 lowercase hex digits.');
  }
}

/** Lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Throws `BLOB_DIGEST_MISMATCH` when `bytes` are not what `key` names (a caller bug that would
 * otherwise store wrong bytes under a content address forever).
 */
export function assertDigest(key: string, bytes: Uint8Array): void {
  const actual = sha256Hex(bytes);
  if (actual !== key) {
    throw new RegistryError(500, 'BLOB_DIGEST_MISMATCH', `blob bytes hash to ${actual}, not to their key ${key}`, 'Store bytes under the SHA-256 of exactly those bytes.');
  }
}

/** Content-addressed blobs in a directory (the default store, under `--data DIR/blobs`). */
export class FileBlobStore implements BlobStore {
  /** The store's root directory (absolute). */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The file of blob `sha256` (validated). */
  pathOf(sha256: string): string {
    assertBlobKey(sha256);
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2));
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(sha256);
    assertDigest(sha256, bytes);
    if (await this.has(sha256)) return; // content-addressed: the same bytes are already there
    const shard = join(this.dir, sha256.slice(0, 2));
    const created = await mkdir(shard, { recursive: true });
    const tmp = join(shard, `.tmp-${sha256.slice(2, 14)}-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      const file = await open(tmp, 'wx', 0o644);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await syncDir(shard);
    if (created !== undefined) await syncDir(this.dir); // a new shard directory must survive too
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(sha256);
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    const path = this.pathOf(sha256);
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async close(): Promise<void> {}
}

/** fsync a directory so a rename / create in it is durable (best effort where unsupported). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw err;
  } finally {
    await handle?.close();
  }
}
