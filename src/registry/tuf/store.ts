/**
 * SQL of the TUF tables (see `schema.ts`): the advisory lock, metadata versions, target rows.
 * Every function takes the `Queryable` to run on, so it works inside the caller's transaction.
 */
import { LOCKS, type Queryable } from '../db/database.js';

/** A stored metadata version. */
export interface StoredMetadata {
  role: string;
  version: number;
  body: string;
  expires: Date;
}

/** A current target file. */
export interface TargetRow {
  path: string;
  bin: string;
  length: number;
  sha256: string;
  sha512?: string;
  custom?: Record<string, unknown>;
}

/** The length and hashes of a target file (current or of an older snapshot). */
export interface TargetFileInfo {
  path: string;
  length: number;
  sha256: string;
  sha512?: string;
}

/**
 * Takes the TUF advisory lock for the rest of the transaction (`pg_advisory_xact_lock`; taking it
 * again in the same transaction is a no-op). Must run inside a transaction.
 */
export async function lockTuf(q: Queryable): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1::bigint)', [LOCKS.tuf]);
}

function toStored(row: { role: string; version: number | string; body: string; expires: Date | string }): StoredMetadata {
  return { role: row.role, version: Number(row.version), body: row.body, expires: new Date(row.expires) };
}

/** The newest version of a role, or `undefined`. */
export async function latestMetadata(q: Queryable, role: string): Promise<StoredMetadata | undefined> {
  const { rows } = await q.query<{ role: string; version: number; body: string; expires: Date }>(
    'SELECT role, version, body, expires FROM tuf_metadata WHERE role = $1 ORDER BY version DESC LIMIT 1',
    [role],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** One version of a role, or `undefined`. */
export async function metadataAt(q: Queryable, role: string, version: number): Promise<StoredMetadata | undefined> {
  const { rows } = await q.query<{ role: string; version: number; body: string; expires: Date }>(
    'SELECT role, version, body, expires FROM tuf_metadata WHERE role = $1 AND version = $2',
    [role, version],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** The newest version number of a role (0 when it has none). */
export async function latestVersion(q: Queryable, role: string): Promise<number> {
  const { rows } = await q.query<{ v: number | string | null }>('SELECT max(version) AS v FROM tuf_metadata WHERE role = $1', [role]);
  return Number(rows[0]?.v ?? 0);
}

/** The expiry of given (role, version) pairs. */
export async function expiriesOf(q: Queryable, pairs: ReadonlyArray<{ role: string; version: number }>): Promise<Map<string, Date>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await q.query<{ role: string; expires: Date | string }>(
    `SELECT m.role, m.expires FROM tuf_metadata m
       JOIN unnest($1::text[], $2::int[]) AS p(role, version) ON m.role = p.role AND m.version = p.version`,
    [pairs.map((p) => p.role), pairs.map((p) => p.version)],
  );
  return new Map(rows.map((r) => [r.role, new Date(r.expires)]));
}

/** Stores a new metadata version (the primary key refuses a version that already exists). */
export async function insertMetadata(q: Queryable, m: StoredMetadata, createdAt: Date): Promise<void> {
  await q.query('INSERT INTO tuf_metadata (role, version, body, expires, created_at) VALUES ($1, $2, $3, $4, $5)', [
    m.role,
    m.version,
    m.body,
    m.expires.toISOString(),
    createdAt.toISOString(),
  ]);
}

/** Inserts or replaces current targets, and records each (path, content) for consistent-snapshot URLs. */
export async function upsertTargets(q: Queryable, rows: readonly TargetRow[], now: Date): Promise<void> {
  for (const r of rows) {
    await q.query(
      `INSERT INTO tuf_targets (path, bin, length, sha256, sha512, custom, updated_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (path) DO UPDATE SET bin = EXCLUDED.bin, length = EXCLUDED.length, sha256 = EXCLUDED.sha256,
         sha512 = EXCLUDED.sha512, custom = EXCLUDED.custom, updated_at = EXCLUDED.updated_at`,
      [r.path, r.bin, r.length, r.sha256, r.sha512 ?? null, r.custom === undefined ? null : JSON.stringify(r.custom), now.toISOString()],
    );
    await q.query(
      `INSERT INTO tuf_target_files (path, sha256, length, sha512, first_seen) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (path, sha256) DO NOTHING`,
      [r.path, r.sha256, r.length, r.sha512 ?? null, now.toISOString()],
    );
  }
}

/** Removes current targets; returns the bins that held them. */
export async function deleteTargets(q: Queryable, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const { rows } = await q.query<{ bin: string }>('DELETE FROM tuf_targets WHERE path = ANY($1::text[]) RETURNING bin', [paths]);
  return [...new Set(rows.map((r) => r.bin))];
}

function toTargetRow(r: Record<string, unknown>): TargetRow {
  const row: TargetRow = { path: String(r.path), bin: String(r.bin), length: Number(r.length), sha256: String(r.sha256) };
  if (r.sha512) row.sha512 = String(r.sha512);
  if (r.custom !== null && r.custom !== undefined) row.custom = (typeof r.custom === 'string' ? JSON.parse(r.custom) : r.custom) as Record<string, unknown>;
  return row;
}

/** The current targets of one bin, by path. */
export async function targetsInBin(q: Queryable, bin: string): Promise<TargetRow[]> {
  const { rows } = await q.query('SELECT path, bin, length, sha256, sha512, custom FROM tuf_targets WHERE bin = $1 ORDER BY path', [bin]);
  return rows.map(toTargetRow);
}

/** The current target at `path`, or `undefined`. */
export async function targetByPath(q: Queryable, path: string): Promise<TargetRow | undefined> {
  const { rows } = await q.query('SELECT path, bin, length, sha256, sha512, custom FROM tuf_targets WHERE path = $1', [path]);
  return rows[0] ? toTargetRow(rows[0]) : undefined;
}

/** A (path, content) ever published, found by its sha256 or sha512, or `undefined`. */
export async function targetFileByHash(q: Queryable, path: string, hash: string): Promise<TargetFileInfo | undefined> {
  const { rows } = await q.query<{ path: string; length: number | string; sha256: string; sha512: string | null }>(
    'SELECT path, length, sha256, sha512 FROM tuf_target_files WHERE path = $1 AND (sha256 = $2 OR sha512 = $2) LIMIT 1',
    [path, hash],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { path: r.path, length: Number(r.length), sha256: r.sha256, ...(r.sha512 ? { sha512: r.sha512 } : {}) };
}

/**
 * Deletes versions of non-root roles that a newer version superseded before `before`; returns how
 * many rows went. The newest version of each role always stays; roots are never deleted.
 */
export async function pruneMetadata(q: Queryable, before: Date): Promise<number> {
  const { rows } = await q.query<{ n: number | string }>(
    `WITH gone AS (
       DELETE FROM tuf_metadata m WHERE m.role <> 'root' AND EXISTS (
         SELECT 1 FROM tuf_metadata n WHERE n.role = m.role AND n.version > m.version AND n.created_at < $1)
       RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [before.toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}
