/**
 * Search answers (serialized once) kept for a moment (default 1 s) per distinct query, with concurrent identical
 * queries sharing one database round trip (lru-cache's fetch). Listing, version, package and TUF
 * reads are never cached: what a client installs is always current and signed. A write through
 * this process clears the cache at once; a write through another process sharing the database
 * shows in this process's search within the freshness window, as search indexes go.
 */
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../db/database.js';
import { search } from './search.js';

const KEYS = ['q', 'category', 'tag', 'tier', 'sort', 'limit', 'cursor'] as const;

/** A short-lived cache of search pages in front of {@link search}. */
export class SearchCache {
  private readonly cache: LRUCache<string, string, Record<string, string | undefined>> | undefined;

  /** `freshMs` 0 turns caching off (every search queries the database). */
  constructor(
    private readonly db: Queryable,
    freshMs: number,
  ) {
    this.cache =
      freshMs > 0
        ? new LRUCache({ max: 2000, ttl: freshMs, fetchMethod: async (_key, _stale, { context }) => JSON.stringify(await search(this.db, context)) })
        : undefined;
  }

  /** The page for these query parameters as JSON text (rejects with the same coded errors as {@link search}). */
  async get(params: Record<string, string | undefined>): Promise<string> {
    if (!this.cache) return JSON.stringify(await search(this.db, params));
    const picked = Object.fromEntries(KEYS.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]));
    const page = await this.cache.fetch(JSON.stringify(picked), { context: picked });
    return page!;
  }

  /** Forgets every cached page (after a write through this process). */
  invalidate(): void {
    this.cache?.clear();
  }
}
