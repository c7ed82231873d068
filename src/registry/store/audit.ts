/**
 * The registry's tamper-evident audit log (DESIGN §7): publishes, yanks, channel moves and
 * license issues / revocations, each appended as a hash-chained record (src/marketplace/audit) in
 * the same transaction as the change it records — so a record exists exactly when its change
 * does. Callers hold the TUF advisory lock, which gives every process one order. Records carry no
 * personal data (a license's licensee and origins stay out), so the log is public:
 * `GET /v1/audit` exports JSON Lines and `GET /v1/audit/checkpoint` signs its head.
 */
import { chainRecord, signCheckpoint, type AuditAction, type AuditCheckpoint, type AuditRecord } from '../../marketplace/audit/index.js';
import type { Queryable } from '../db/database.js';
import type { RegistryContext } from '../context.js';

const parse = (v: unknown): AuditRecord => (typeof v === 'string' ? JSON.parse(v) : v) as AuditRecord;

/** Appends one record (inside the caller's transaction, which holds `LOCKS.tuf`). */
export async function appendAudit(tx: Queryable, at: Date, action: AuditAction, subject: string, actor: string | undefined, details?: Record<string, unknown>): Promise<AuditRecord> {
  const { rows } = await tx.query<{ record: unknown }>('SELECT record FROM audit_log ORDER BY seq DESC LIMIT 1');
  const record = await chainRecord(rows[0] ? parse(rows[0].record) : undefined, { at: at.toISOString(), action, subject, ...(actor ? { actor } : {}), ...(details ? { details } : {}) });
  await tx.query('INSERT INTO audit_log (seq, record) VALUES ($1, $2)', [record.seq, JSON.stringify(record)]);
  return record;
}

/** Records with `seq > after`, oldest first, at most `limit`. */
export async function auditRecords(db: Queryable, after: number, limit: number): Promise<AuditRecord[]> {
  const { rows } = await db.query<{ record: unknown }>('SELECT record FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, limit]);
  return rows.map((r) => parse(r.record));
}

/** A checkpoint of the current head, signed with the registry's key (its kid is in the TUF target licensing/keys.json). */
export async function auditCheckpoint(ctx: RegistryContext): Promise<AuditCheckpoint> {
  const { rows } = await ctx.db.query<{ record: unknown }>('SELECT record FROM audit_log ORDER BY seq DESC LIMIT 1');
  const head = rows[0] ? parse(rows[0].record) : undefined;
  return signCheckpoint(ctx.licenseKey, { seq: head?.seq ?? 0, head: head?.hash ?? '0'.repeat(64) }, ctx.now());
}
