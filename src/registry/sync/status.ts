/**
 * Sync status reads: per listing and partner (`GET /v1/extensions/{id}/sync`), the operator's
 * overview with counts and dead letters (`GET /v1/sync`), and sending a dead letter back to the
 * queue (`POST /v1/sync/{rowId}/retry`).
 */
import type { Database, Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import { checkId } from '../names.js';
import type { PartnerSyncStatus, SyncDeadLetter, SyncErrorInfo, SyncLane, SyncOverview } from '../../marketplace/types.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
/** A row's `last_error` (jsonb, or its text in a driver that returns strings). */
const lastError = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null)) as SyncErrorInfo | null;

/** Per-partner sync status of `idParam` (404 for an unknown extension). */
export async function extensionSyncStatus(db: Queryable, idParam: string): Promise<{ id: string; partners: PartnerSyncStatus[] }> {
  const id = checkId(idParam);
  const ext = await db.query('SELECT 1 FROM extensions WHERE id = $1', [id]);
  if (!ext.rows.length) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');
  return { id, partners: await lanes(db, 'WHERE s.extension_id = $1', [id]) };
}

async function lanes(db: Queryable, where: string, params: unknown[], limit = 500): Promise<SyncLane[]> {
  const { rows } = await db.query<{
    extension_id: string; partner: string; status: string; pushed_version: string | null; remote_id: string | null; updated_at: Date;
    row_id: number | null; event: string | null; version: string | null; state: string | null; attempts: number | null; next_attempt_at: Date | null; last_error: unknown; created_at: Date | null;
  }>(
    `SELECT s.extension_id, s.partner, s.status, s.pushed_version, s.remote_id, s.updated_at,
            o.id AS row_id, o.event, o.version, o.state, o.attempts, o.next_attempt_at, o.last_error, o.created_at
       FROM sync_state s
       LEFT JOIN LATERAL (SELECT * FROM sync_outbox x WHERE x.extension_id = s.extension_id AND x.partner = s.partner ORDER BY x.id DESC LIMIT 1) o ON true
       ${where}
      ORDER BY s.updated_at DESC, s.extension_id, s.partner
      LIMIT ${Number(limit)}`,
    params,
  );
  return rows.map((r) => {
    const open = r.state === 'pending' || r.state === 'in_flight';
    return {
      extensionId: r.extension_id,
      partner: r.partner,
      status: r.status,
      pushedVersion: r.pushed_version,
      remoteId: r.remote_id,
      updatedAt: iso(r.updated_at)!,
      latest: r.row_id === null ? null : { rowId: Number(r.row_id), event: r.event!, version: r.version!, state: r.state!, attempts: Number(r.attempts), nextAttemptAt: open ? iso(r.next_attempt_at) : null, createdAt: iso(r.created_at)! },
      attempts: Number(r.attempts ?? 0),
      nextAttemptAt: open ? iso(r.next_attempt_at) : null,
      lastError: r.state === 'done' || r.state === 'skipped' ? null : lastError(r.last_error),
    };
  });
}

/** The operator's overview: partners with row counts by state, the newest lanes and the dead letters. */
export async function syncOverview(db: Queryable): Promise<SyncOverview> {
  const partners = await db.query<{ partner: string; enabled: boolean; rate_per_minute: number; next_allowed_at: Date }>('SELECT partner, enabled, rate_per_minute, next_allowed_at FROM sync_partners ORDER BY partner');
  const counts = await db.query<{ partner: string; state: string; n: number }>('SELECT partner, state, count(*) AS n FROM sync_outbox GROUP BY partner, state');
  const byPartner = new Map<string, Record<string, number>>();
  for (const c of counts.rows) {
    const entry = byPartner.get(c.partner) ?? { pending: 0, in_flight: 0, done: 0, dead: 0, skipped: 0 };
    entry[c.state] = Number(c.n);
    byPartner.set(c.partner, entry);
  }
  const names = [...new Set([...partners.rows.map((p) => p.partner), ...byPartner.keys()])].sort();
  const dead = await db.query<{ id: number; extension_id: string; partner: string; event: string; version: string; attempts: number; last_error: unknown; created_at: Date; done_at: Date | null }>(
    "SELECT id, extension_id, partner, event, version, attempts, last_error, created_at, done_at FROM sync_outbox WHERE state = 'dead' ORDER BY id DESC LIMIT 200",
  );
  return {
    partners: names.map((name) => {
      const p = partners.rows.find((r) => r.partner === name);
      return { partner: name, enabled: p?.enabled ?? false, ratePerMinute: Number(p?.rate_per_minute ?? 0), nextAllowedAt: iso(p?.next_allowed_at) ?? '', counts: byPartner.get(name) ?? { pending: 0, in_flight: 0, done: 0, dead: 0, skipped: 0 } };
    }),
    lanes: await lanes(db, '', []),
    dead: dead.rows.map((r) => ({ rowId: Number(r.id), extensionId: r.extension_id, partner: r.partner, event: r.event, version: r.version, attempts: Number(r.attempts), lastError: lastError(r.last_error), createdAt: iso(r.created_at)!, doneAt: iso(r.done_at) })),
  };
}

/**
 * Sends dead letter `rowIdParam` back to the queue: pending now, attempts from zero (its last error
 * stays until the next attempt).
 *
 * @throws RegistryError 400 `INVALID_ROW_ID`, 404 `SYNC_ROW_NOT_FOUND`, 409 `SYNC_ROW_NOT_DEAD`.
 */
export async function retryDeadLetter(db: Database, rowIdParam: string): Promise<{ rowId: number; state: 'pending'; extensionId: string; partner: string }> {
  if (!/^[1-9]\d{0,17}$/.test(rowIdParam)) throw new RegistryError(400, 'INVALID_ROW_ID', `${JSON.stringify(rowIdParam.slice(0, 40))} is not an outbox row id.`, 'Use a rowId from GET /v1/sync (dead).');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ state: string; extension_id: string; partner: string }>('SELECT state, extension_id, partner FROM sync_outbox WHERE id = $1 FOR UPDATE', [rowIdParam]);
    const row = rows[0];
    if (!row) throw new RegistryError(404, 'SYNC_ROW_NOT_FOUND', `No outbox row ${rowIdParam}.`, 'Use a rowId from GET /v1/sync (dead).');
    if (row.state !== 'dead') throw new RegistryError(409, 'SYNC_ROW_NOT_DEAD', `Outbox row ${rowIdParam} is ${row.state}, not dead.`, 'Only dead letters are retried by hand; the workers retry the others.');
    await tx.query("UPDATE sync_outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, worker = NULL, done_at = NULL WHERE id = $1", [rowIdParam]);
    await tx.query("UPDATE sync_state SET status = 'pending', updated_at = now() WHERE extension_id = $1 AND partner = $2", [row.extension_id, row.partner]);
    return { rowId: Number(rowIdParam), state: 'pending' as const, extensionId: row.extension_id, partner: row.partner };
  });
}
