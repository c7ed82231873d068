/**
 * Picks the registry's database from `--database`: none → embedded PGlite under `DATA/db`;
 * `postgres://…` / `postgresql://…` → PostgreSQL. Migrations are the caller's next step
 * (`runMigrations(db, REGISTRY_MIGRATIONS)`).
 */
import { join } from 'node:path';
import { RegistryError } from '../errors.js';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/** Where the database is: `--database` (optional) and `--data`. */
export interface DatabaseSpec {
  /** `postgres://user[:password]@host[:port]/database`; undefined or empty → PGlite. */
  database?: string;
  /** The registry's data directory; PGlite lives in `dataDir/db`. */
  dataDir: string;
  /** Pool size for PostgreSQL (default 10). */
  max?: number;
}

/**
 * Opens the database `spec` names.
 *
 * @throws RegistryError `INVALID_DATABASE_URL` for anything but a postgres:// or postgresql:// URL;
 *   otherwise what {@link openPglite} / {@link openPostgres} throw (`DATABASE_DRIVER_MISSING`,
 *   `DATABASE_LOCKED`, `DATABASE_UNREACHABLE`).
 */
export async function openDatabase(spec: DatabaseSpec): Promise<Database> {
  const raw = spec.database?.trim();
  if (!raw) return openPglite(join(spec.dataDir, 'db'));
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'postgres:' || url.protocol === 'postgresql:')) {
    return openPostgres(raw, spec.max === undefined ? {} : { max: spec.max });
  }
  throw new RegistryError(
    400,
    'INVALID_DATABASE_URL',
    `--database must be a PostgreSQL URL (postgres://user@host:5432/database), not ${JSON.stringify(redactUrl(raw))}`,
    'Pass --database postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or leave it out for the embedded database under --data.',
  );
}

/** The spec with any `user:password@` password masked, for messages. */
function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}
