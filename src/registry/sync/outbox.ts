/**
 * The sync outbox's write side: a publish, channel move, yank, listing edit, listing image upload
 * or resync calls {@link enqueueSync} inside its own transaction, which writes one `sync_outbox`
 * row per enabled partner (or per chosen one). The rows exist exactly when the change does (a
 * rolled-back change leaves none), and workers in any process push them later.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from '../../extensions/manifest/canonical-json.js';
import type { ListingDocument } from '../../listings/types.js';
import type { Queryable } from '../db/database.js';
import { registryListing } from './listing.js';

/** What triggered a sync. */
export type SyncEvent = 'publish' | 'channel' | 'yank' | 'listing';

/** The base URL listing digests are computed with at enqueue time (digests must not depend on which process wrote the row). */
export const DIGEST_BASE_URL = 'https://registry.invalid';

/** SHA-256 (hex) of a listing document's canonical JSON (RFC 8785). */
export function listingDigest(listing: ListingDocument): string {
  return createHash('sha256').update(canonicalize(listing)).digest('hex');
}

/** The idempotency key of an outbox row: SHA-256 over partner, extension, event, version and listing digest. */
export function idempotencyKey(partner: string, extensionId: string, event: SyncEvent, version: string, digest: string): string {
  return createHash('sha256').update(JSON.stringify([partner, extensionId, event, version, digest])).digest('hex');
}

/** One change to sync. */
export interface SyncChange {
  extensionId: string;
  event: SyncEvent;
  /** The version the change is about (published, moved to, yanked); default: the listed version. */
  version?: string;
  /** Only these partners (those of them that are enabled); default: every enabled partner. */
  partners?: readonly string[];
  /**
   * Makes the change distinct from an earlier one of the same listing (a new listing asset, a
   * resync asked for by hand): it goes into the idempotency key, so the row is written even when
   * the listing document itself did not change.
   */
  nonce?: string;
}

/**
 * Writes one outbox row per enabled partner for `change` (those of `change.partners`, when
 * given), through `tx` (the caller's transaction).
 * A row whose idempotency key exists already (the same change of the same listing) is not written
 * again. Returns the ids of the rows written.
 */
export async function enqueueSync(tx: Queryable, change: SyncChange): Promise<number[]> {
  const enabled = await tx.query<{ partner: string }>('SELECT partner FROM sync_partners WHERE enabled ORDER BY partner');
  const partners = change.partners ? enabled.rows.filter((p) => change.partners!.includes(p.partner)) : enabled.rows;
  if (!partners.length) return [];
  const { listing } = await registryListing(tx, change.extensionId, DIGEST_BASE_URL);
  const version = change.version ?? listing.version;
  const digest = change.nonce ? `${listingDigest(listing)} ${change.nonce}` : listingDigest(listing);
  const ids: number[] = [];
  for (const { partner } of partners) {
    const key = idempotencyKey(partner, change.extensionId, change.event, version, digest);
    const { rows } = await tx.query<{ id: number }>(
      'INSERT INTO sync_outbox (extension_id, partner, event, version, idempotency_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id',
      [change.extensionId, partner, change.event, version, key],
    );
    if (!rows[0]) continue;
    ids.push(Number(rows[0].id));
    await tx.query(
      "INSERT INTO sync_state (extension_id, partner, status) VALUES ($1, $2, 'pending') ON CONFLICT (extension_id, partner) DO UPDATE SET status = 'pending', updated_at = now()",
      [change.extensionId, partner],
    );
  }
  return ids;
}
