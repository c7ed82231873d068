/**
 * The scale-out database: PostgreSQL 15+ over a `pg` connection pool. Several registry processes
 * may share one database; ordering across them comes from transactions and advisory locks
 * (`LOCKS`), never from process memory.
 *
 * Values come back as PGlite returns them, so the same code runs on both: int8 (`count(*)`,
 * `nextval`, bigint columns) as a number (a bigint beyond 2^53), numeric as a string, date as a
 * Date at UTC midnight, json/jsonb parsed, bytea as bytes.
 */
import type { Pool, PoolClient } from 'pg';
import { RegistryError } from '../errors.js';
import type { Database, Queryable, QueryResult } from './database.js';
import { TransactionScope, importDriver, runTransaction, type ScriptRunner } from './pglite.js';

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Largest number of connections of the pool (default 10). */
  max?: number;
  /** How long to wait for a connection before `DATABASE_UNREACHABLE` (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** Called with errors of idle pooled connections (e.g. the server restarted); default: ignored, the pool replaces them. */
  onIdleError?: (err: Error) => void;
  /** Loads the driver module (tests replace it); default `import('pg')`. */
  load?: () => Promise<unknown>;
}

/**
 * Opens a pool on `url` (`postgres://user[:password]@host[:port]/database[?sslmode=…]`) and checks
 * that it answers.
 *
 * @throws RegistryError `DATABASE_DRIVER_MISSING` when `pg` is not installed; `DATABASE_UNREACHABLE`
 *   (naming host, port, database and user, never the password) when no connection can be made.
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Database & ScriptRunner> {
  const mod = (await importDriver('pg', opts.load ?? (() => import('pg')))) as { default?: typeof import('pg') } & typeof import('pg');
  const pg = mod.default ?? mod;
  const where = describe(url);
  const int8 = (v: string): number | bigint => {
    const n = BigInt(v);
    return n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER) ? n : Number(n);
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    application_name: 'vib3-registry',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (format !== 'binary') {
          if (oid === 20) return int8; // int8
          if (oid === 1016) {
            const parseArray = pg.types.getTypeParser(1016 as Parameters<typeof pg.types.getTypeParser>[0], 'text') as (v: string) => Array<string | null>;
            return (v: string) => parseArray(v).map((x) => (x === null ? null : int8(x)));
          }
          if (oid === 1082) return (v: string) => new Date(v); // date: UTC midnight, as PGlite
        }
        return pg.types.getTypeParser(oid, format ?? 'text');
      }) as never,
    },
  });
  pool.on('error', (err) => opts.onIdleError?.(err));
  const db = new PostgresDatabase(pool, where, url);
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return db;
}

class PostgresDatabase implements Database, ScriptRunner {
  readonly kind = 'postgres' as const;
  readonly #pool: Pool;
  readonly #where: string;
  readonly #url: string;
  readonly #scope = new TransactionScope();
  #closing: Promise<void> | undefined;

  constructor(pool: Pool, where: string, url: string) {
    this.#pool = pool;
    this.#where = where;
    this.#url = url;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    this.#usable('query');
    try {
      const result = await this.#pool.query(sql, params);
      return { rows: result.rows as T[] };
    } catch (err) {
      throw this.#map(err);
    }
  }

  async exec(sql: string): Promise<void> {
    this.#usable('exec');
    try {
      await this.#pool.query(sql);
    } catch (err) {
      throw this.#map(err);
    }
  }

  async transaction<T>(fn: (tx: Queryable & ScriptRunner) => Promise<T>): Promise<T> {
    this.#usable('transaction');
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw this.#map(err);
    }
    let broken: Error | undefined;
    // A checked-out client has no pool listener: when its connection drops (PostgreSQL restarted,
    // a backend terminated, a network cut) `pg` emits 'error' on it besides failing the running
    // query, and an unhandled 'error' event would take the whole server process down.
    const onError = (err: Error) => {
      broken ??= this.#map(err) as Error;
    };
    client.on('error', onError);
    const send = async (sql: string, params?: unknown[]) => {
      try {
        return await client.query(sql, params);
      } catch (err) {
        const mapped = this.#map(err);
        if (mapped !== err) broken = mapped as Error; // connection-level: never reuse this client
        throw mapped;
      }
    };
    try {
      return await runTransaction(
        {
          query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await send(sql, params)).rows as R[] }),
          exec: async (sql: string) => {
            await send(sql);
          },
          commit: async () => (await send('COMMIT')).command,
          rollback: async () => {
            try {
              await send('ROLLBACK');
            } catch (err) {
              broken ??= err as Error; // state unknown: drop the connection
              throw err;
            }
          },
        },
        this.#scope,
        fn,
      );
    } finally {
      // release() hands the client back to the pool's own error listener (or destroys it when broken).
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }

  #usable(what: string): void {
    if (this.#closing) throw new RegistryError(500, 'DATABASE_CLOSED', `${what}() on a closed database`, 'Open the database again.');
    this.#scope.check(what);
  }

  /** Connection-level failures become `DATABASE_UNREACHABLE`; SQL errors (with their SQLSTATE `code`) pass unchanged. */
  #map(err: unknown): unknown {
    if (!isConnectionError(err)) return err;
    const reason = redact(messageOf(err), this.#url);
    return new RegistryError(
      503,
      'DATABASE_UNREACHABLE',
      `cannot reach PostgreSQL at ${this.#where}: ${reason}`,
      'Check that PostgreSQL is running and reachable at that address, and the user, password and database name of --database.',
      { retryable: true },
    );
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOENT']);
// SQLSTATE: connection exceptions (08…), auth (28…), no such database, shutting down / starting up, too many connections.
const SERVER_CODES = /^(08...|28...|3D000|57P0[1-3]|53300)$/;

function isConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  const message = String((err as { message?: unknown }).message ?? '');
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(message);
}

function messageOf(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: unknown };
  if (typeof e.message === 'string' && e.message) return e.message;
  // Node's AggregateError (one attempt per address of `localhost`) has an empty message.
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.map(messageOf).join('; ');
  return typeof e.code === 'string' ? e.code : String(err);
}

/** `host:port/database (user …)` of a connection URL: what an operator needs, never the password. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    const user = u.username ? ` as ${decodeURIComponent(u.username)}` : '';
    return `${host}:${u.port || '5432'}/${db}${user}`;
  } catch {
    return '(an unparsable URL)';
  }
}

function redact(text: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) return text.split(password).join('***');
  } catch {
    // nothing to redact
  }
  return text;
}
