/**
 * The version cache: every installed version's package stays in the store, content-addressed by
 * SHA-256 and checked against its signed length and hashes on every read, within a bound (versions
 * per extension and total bytes; the active version is never evicted).
 */
import { InstallerError } from './errors.js';
import type { CachedVersion, InstallState, InstallStore } from './store.js';
import rcompare from 'semver/functions/rcompare.js';

/** Bounds of the cache. */
export interface CacheLimits {
  /** Versions kept per extension, the active one included (default 5). */
  versionsPerExtension: number;
  /** Total bytes of cached packages (default 256 MiB); the oldest non-active versions go first. */
  maxBytes: number;
}

/** The default cache bounds. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { versionsPerExtension: 5, maxBytes: 256 * 1024 * 1024 };

const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of bytes, lowercase hex (WebCrypto: browsers and Node). */
export async function sha256Of(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Whether bytes match a cached version's length and hashes. */
export async function matches(entry: Pick<CachedVersion, 'length' | 'sha256' | 'sha512'>, bytes: Uint8Array): Promise<boolean> {
  if (bytes.length !== entry.length) return false;
  if ((await sha256Of(bytes)) !== entry.sha256) return false;
  if (entry.sha512 && hex(await crypto.subtle.digest('SHA-512', bytes as Uint8Array<ArrayBuffer>)) !== entry.sha512) return false;
  return true;
}

/** Reads a cached package and checks it; undefined when absent, CACHE_CORRUPT when altered. */
export async function readCached(store: InstallStore, id: string, entry: CachedVersion): Promise<Uint8Array | undefined> {
  const bytes = await store.readBlob(entry.sha256).catch(() => undefined);
  if (!bytes) return undefined;
  if (!(await matches(entry, bytes))) {
    throw new InstallerError('CACHE_CORRUPT', `The cached package of ${id}@${entry.version} does not match its signed hash.`, 'Something altered the install store. Install the version again online to replace it.', { id, version: entry.version });
  }
  return bytes;
}

/** Evicts cache entries of `state` (in place) beyond the limits; never an extension's active version. */
export function evict(state: InstallState, limits: CacheLimits): void {
  for (const rec of Object.values(state.extensions)) {
    const versions = Object.keys(rec.cache).sort(rcompare);
    let kept = 0;
    for (const v of versions) {
      if (v === rec.active) continue;
      if (++kept >= limits.versionsPerExtension) delete rec.cache[v];
    }
  }
  const all = Object.values(state.extensions).flatMap((rec) => Object.values(rec.cache).map((c) => ({ rec, c })));
  let total = all.reduce((n, { c }) => n + c.length, 0);
  for (const { rec, c } of all.sort((a, b) => a.c.cachedAt.localeCompare(b.c.cachedAt))) {
    if (total <= limits.maxBytes) break;
    if (c.version === rec.active) continue;
    delete rec.cache[c.version];
    total -= c.length;
  }
}

/** Deletes blobs no cached version of `state` references (after a commit; failures are ignored). */
export async function collectGarbage(store: InstallStore, state: InstallState): Promise<void> {
  const live = new Set(Object.values(state.extensions).flatMap((rec) => Object.values(rec.cache).map((c) => c.sha256)));
  for (const sha of await store.listBlobs().catch(() => [] as string[])) if (!live.has(sha)) await store.deleteBlob(sha).catch(() => undefined);
}
