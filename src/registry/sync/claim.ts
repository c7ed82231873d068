/**
 * Claiming outbox rows, safely across any number of worker processes on one PostgreSQL: due rows
 * are selected `FOR UPDATE SKIP LOCKED` (two claims never take the same row) and set `in_flight`
 * with a lease. A row whose lease expired (its worker was killed mid-push, or hangs) is due again,
 * with the same idempotency key. At most one row per listing and partner (a "lane") is in flight:
 * the claim takes a per-lane advisory lock and checks the lane again after taking it, so pushes of
 * one listing to one partner never overlap.
 *
 * Every later change of a claimed row is fenced by (worker, attempts): a worker that lost its
 * lease cannot complete a row another worker has claimed since.
 */
import type { Database, Queryable } from '../db/database.js';
import type { SyncEvent } from './outbox.js';

/**
 * First key of the two-key advisory locks of lanes (`pg_try_advisory_xact_lock(LANE_LOCK, hashtext(lane))`).
 * Two-key locks never collide with the single-key ones of `LOCKS` (PostgreSQL keeps the spaces apart).
 */
export const LANE_LOCK = 0x5653_594e; // "VSYN"

/** A claimed outbox row. */
export interface ClaimedRow {
  id: number;
  extensionId: string;
  partner: string;
  event: SyncEvent;
  version: string;
  idempotencyKey: string;
  /** Attempts including this one (the fence of later updates). */
  attempts: number;
  worker: string;
}

/** What {@link claimRows} needs. */
export interface ClaimOptions {
  /** Partners this worker has adapters for. */
  partners: readonly string[];
  /** Most rows to claim. */
  limit: number;
  /** This worker's id (stored in the row). */
  worker: string;
  /** Lease length in ms. */
  leaseMs: number;
}

/** Claims up to `limit` due rows (oldest first) in one short transaction. */
export async function claimRows(db: Database, opts: ClaimOptions): Promise<ClaimedRow[]> {
  if (!opts.partners.length || opts.limit < 1) return [];
  return db.transaction(async (tx) => {
    const candidates = await tx.query<{ id: number; extension_id: string; partner: string }>(
      `SELECT o.id, o.extension_id, o.partner FROM sync_outbox o
        WHERE o.partner = ANY($1::text[])
          AND o.partner IN (SELECT partner FROM sync_partners WHERE enabled)
          AND ((o.state = 'pending' AND o.next_attempt_at <= now()) OR (o.state = 'in_flight' AND o.lease_until < now()))
        ORDER BY o.next_attempt_at, o.id
        LIMIT $2
        FOR UPDATE OF o SKIP LOCKED`,
      [opts.partners, opts.limit * 4],
    );
    const claimed: ClaimedRow[] = [];
    for (const c of candidates.rows) {
      if (claimed.length >= opts.limit) break;
      const lane = `${c.extension_id} ${c.partner}`;
      const lock = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [LANE_LOCK, lane]);
      if (!lock.rows[0]?.ok) continue; // another claim is deciding this lane right now
      // A new statement: sees every claim that committed before the lock was ours.
      const busy = await tx.query(
        "SELECT 1 FROM sync_outbox WHERE extension_id = $1 AND partner = $2 AND state = 'in_flight' AND lease_until >= now() AND id <> $3 LIMIT 1",
        [c.extension_id, c.partner, c.id],
      );
      if (busy.rows.length) continue;
      const { rows } = await tx.query<{ id: number; extension_id: string; partner: string; event: SyncEvent; version: string; idempotency_key: string; attempts: number }>(
        `UPDATE sync_outbox SET state = 'in_flight', attempts = attempts + 1, worker = $2, lease_until = now() + $3::double precision * interval '1 millisecond'
          WHERE id = $1 RETURNING id, extension_id, partner, event, version, idempotency_key, attempts`,
        [c.id, opts.worker, opts.leaseMs],
      );
      const r = rows[0]!;
      claimed.push({ id: Number(r.id), extensionId: r.extension_id, partner: r.partner, event: r.event, version: r.version, idempotencyKey: r.idempotency_key, attempts: Number(r.attempts), worker: opts.worker });
    }
    return claimed;
  });
}

/** The fence of a claimed row: its id, its worker and its attempt. */
const FENCE = "id = $1 AND worker = $2 AND attempts = $3 AND state = 'in_flight'";
const fence = (row: ClaimedRow) => [row.id, row.worker, row.attempts];

/** Extends the lease of `row`; false when it is no longer this worker's (then it must not push). */
export async function renewLease(db: Queryable, row: ClaimedRow, leaseMs: number): Promise<boolean> {
  const { rows } = await db.query(`UPDATE sync_outbox SET lease_until = now() + $4::double precision * interval '1 millisecond' WHERE ${FENCE} RETURNING id`, [...fence(row), leaseMs]);
  return rows.length > 0;
}

/** Puts `row` back to pending at `at` without counting the attempt (e.g. the partner's rate limit was reached). */
export async function releaseRow(db: Queryable, row: ClaimedRow, at: Date): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE sync_outbox SET state = 'pending', attempts = attempts - 1, worker = NULL, lease_until = NULL, next_attempt_at = $4::timestamptz WHERE ${FENCE} RETURNING id`,
    [...fence(row), at],
  );
  return rows.length > 0;
}

/** Schedules the next attempt of `row` in `delayMs`, recording the failure. */
export async function retryRow(db: Database, row: ClaimedRow, delayMs: number, error: unknown): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      `UPDATE sync_outbox SET state = 'pending', worker = NULL, lease_until = NULL, last_error = $4, next_attempt_at = now() + $5::double precision * interval '1 millisecond' WHERE ${FENCE} RETURNING id`,
      [...fence(row), JSON.stringify(error), Math.max(0, Math.ceil(delayMs))],
    );
    if (rows.length) await setLaneStatus(tx, row, 'retrying');
    return rows.length > 0;
  });
}

/** Makes `row` a dead letter with the partner's error. */
export async function killRow(db: Database, row: ClaimedRow, error: unknown): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(`UPDATE sync_outbox SET state = 'dead', lease_until = NULL, last_error = $4, done_at = now() WHERE ${FENCE} RETURNING id`, [...fence(row), JSON.stringify(error)]);
    if (rows.length) await setLaneStatus(tx, row, 'dead');
    return rows.length > 0;
  });
}

/** Marks `row` skipped: the partner has this listing already (same digest). */
export async function skipRow(db: Database, row: ClaimedRow): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(`UPDATE sync_outbox SET state = 'skipped', lease_until = NULL, last_error = NULL, done_at = now() WHERE ${FENCE} RETURNING id`, fence(row));
    if (rows.length) await setLaneStatus(tx, row, 'synced');
    return rows.length > 0;
  });
}

/** What a successful push leaves in `sync_state`. */
export interface PushedRecord {
  digest: string;
  version: string;
  document: unknown;
  /** File path → SHA-256 (hex). */
  files: Record<string, string>;
  remoteId?: string;
}

/** Marks `row` done and records what the partner has now, in one transaction. */
export async function completeRow(db: Database, row: ClaimedRow, pushed: PushedRecord): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(`UPDATE sync_outbox SET state = 'done', lease_until = NULL, last_error = NULL, done_at = now() WHERE ${FENCE} RETURNING id`, fence(row));
    if (!rows.length) return false;
    await tx.query(
      `INSERT INTO sync_state (extension_id, partner, pushed_digest, pushed_version, pushed_document, pushed_files, remote_id, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'synced', now())
       ON CONFLICT (extension_id, partner) DO UPDATE SET pushed_digest = EXCLUDED.pushed_digest, pushed_version = EXCLUDED.pushed_version,
         pushed_document = EXCLUDED.pushed_document, pushed_files = EXCLUDED.pushed_files, remote_id = COALESCE(EXCLUDED.remote_id, sync_state.remote_id),
         status = 'synced', updated_at = now()`,
      [row.extensionId, row.partner, pushed.digest, pushed.version, JSON.stringify(pushed.document ?? null), JSON.stringify(pushed.files), pushed.remoteId ?? null],
    );
    return true;
  });
}

async function setLaneStatus(tx: Queryable, row: ClaimedRow, status: 'synced' | 'retrying' | 'dead'): Promise<void> {
  await tx.query(
    `INSERT INTO sync_state (extension_id, partner, status) VALUES ($1, $2, $3)
     ON CONFLICT (extension_id, partner) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
    [row.extensionId, row.partner, status],
  );
}
