/**
 * Versioned schema migrations. Each migration runs in its own transaction together with its row in
 * `schema_migrations`; every one of those transactions first takes `pg_advisory_xact_lock(LOCKS.migrate)`
 * and re-reads what is applied, so any number of processes starting at once on one PostgreSQL
 * apply each migration exactly once, in version order.
 */
import { RegistryError } from '../errors.js';
import { LOCKS, type Database, type Queryable } from './database.js';

/** One schema change. Never edit a released one: add the next version. */
export interface Migration {
  /** Positive integer, unique; applied in ascending order. */
  version: number;
  /** Short human name, stored beside the version. */
  name: string;
  /** SQL script (several statements allowed; PostgreSQL 15 syntax). */
  sql: string;
}

/** What {@link runMigrations} did. */
export interface MigrationReport {
  /** Migrations this call applied (possibly none: already applied, or applied by another process). */
  applied: Array<{ version: number; name: string }>;
  /** The highest version the database has now. */
  version: number;
}

const TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     int PRIMARY KEY,
  name        text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies the migrations the database does not have yet.
 *
 * @throws RegistryError `SCHEMA_TOO_NEW` when the database has a version this code does not know
 *   (a newer registry migrated it), `INVALID_MIGRATIONS` for duplicate or non-positive versions.
 *   A failing migration's SQL error propagates, with nothing of that migration applied.
 */
export async function runMigrations(db: Database, migrations: ReadonlyArray<Migration>): Promise<MigrationReport> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!;
    if (!Number.isInteger(m.version) || m.version <= 0 || m.version > 0x7fffffff || sorted[i - 1]?.version === m.version) {
      throw new RegistryError(500, 'INVALID_MIGRATIONS', `migration version ${m.version} (${m.name}) is not a unique positive integer`, 'Give every migration its own positive integer version.');
    }
  }
  const known = new Map(sorted.map((m) => [m.version, m]));

  /** Under the lock: the applied versions, refusing unknown ones. */
  const appliedVersions = async (tx: Queryable): Promise<Set<number>> => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.migrate]);
    await tx.query(TABLE);
    const { rows } = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    const unknown = rows.filter((r) => !known.has(Number(r.version)));
    if (unknown.length > 0) {
      const list = unknown.map((r) => `${r.version} (${r.name})`).join(', ');
      throw new RegistryError(
        500,
        'SCHEMA_TOO_NEW',
        `the database schema has migration${unknown.length > 1 ? 's' : ''} ${list} that this version of the registry does not know`,
        'Run a registry version at least as new as the one that migrated this database, or point --database at another database.',
        { unknownVersions: unknown.map((r) => Number(r.version)) },
      );
    }
    return new Set(rows.map((r) => Number(r.version)));
  };

  const before = await db.transaction(appliedVersions);
  const applied: MigrationReport['applied'] = [];
  for (const m of sorted) {
    if (before.has(m.version)) continue;
    const did = await db.transaction(async (tx) => {
      if ((await appliedVersions(tx)).has(m.version)) return false; // another process was first
      await runScript(tx, m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (did) applied.push({ version: m.version, name: m.name });
  }
  const { rows } = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return { applied, version: Number(rows[0]?.v ?? 0) };
}

/** Runs a multi-statement script through `tx.exec` (both drivers' transactions have it), else `tx.query`. */
async function runScript(tx: Queryable, sql: string): Promise<void> {
  const exec = (tx as Queryable & { exec?: (sql: string) => Promise<void> }).exec;
  if (typeof exec === 'function') await exec.call(tx, sql);
  else await tx.query(sql);
}
