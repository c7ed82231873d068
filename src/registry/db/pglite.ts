/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM, in this process). PGlite is ONE
 * connection, so this module serializes: a transaction holds the connection from BEGIN to
 * COMMIT/ROLLBACK and every other caller (`query()` or `transaction()`) waits its turn, in order.
 *
 * Also home of the small helpers both drivers share (driver import, transaction handle).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { RegistryError } from '../errors.js';
import type { Database, Queryable, QueryResult } from './database.js';

/** A database handle that also runs multi-statement SQL scripts (migrations). */
export interface ScriptRunner {
  /** Runs `sql`, which may hold several `;`-separated statements and no parameters. */
  exec(sql: string): Promise<void>;
}

/** Options of {@link openPglite}. */
export interface PgliteOptions {
  /** Loads the driver module (tests replace it); default `import('@electric-sql/pglite')`. */
  load?: () => Promise<typeof import('@electric-sql/pglite')>;
}

/**
 * Opens PGlite: on disk in `dir` (created when missing; a fresh database takes seconds to
 * initialise, reopening is fast), or in memory when `dir` is undefined. An on-disk directory is
 * locked to this handle (`DIR.lock`, holding the pid) until `close()`: a second open, in this
 * process or another, fails with `DATABASE_LOCKED` instead of corrupting the data.
 *
 * @throws RegistryError `DATABASE_DRIVER_MISSING` when `@electric-sql/pglite` is not installed,
 *   `DATABASE_LOCKED` when another handle has `dir` open.
 */
export async function openPglite(dir?: string, options: PgliteOptions = {}): Promise<Database & ScriptRunner> {
  const mod = await importDriver('@electric-sql/pglite', options.load ?? (() => import('@electric-sql/pglite')));
  let unlock: (() => Promise<void>) | undefined;
  let pg: PGlite;
  if (dir !== undefined) {
    const path = resolve(dir);
    await mkdir(path, { recursive: true });
    unlock = await lockDirectory(`${path}.lock`);
    try {
      pg = await mod.PGlite.create(path);
    } catch (err) {
      await unlock();
      throw err;
    }
  } else {
    pg = await mod.PGlite.create();
  }
  return new PgliteDatabase(pg, unlock);
}

/** A FIFO mutex: `run(fn)` starts `fn` when every earlier `run` has settled. */
class Queue {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

class PgliteDatabase implements Database, ScriptRunner {
  readonly kind = 'pglite' as const;
  readonly #pg: PGlite;
  readonly #queue = new Queue();
  readonly #unlock: (() => Promise<void>) | undefined;
  readonly #scope = new TransactionScope();
  #closing: Promise<void> | undefined;

  constructor(pg: PGlite, unlock?: () => Promise<void>) {
    this.#pg = pg;
    this.#unlock = unlock;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    this.#usable('query');
    return this.#queue.run(async () => ({ rows: (await this.#pg.query<T>(sql, params)).rows }));
  }

  async exec(sql: string): Promise<void> {
    this.#usable('exec');
    return this.#queue.run(async () => {
      await this.#pg.exec(sql);
    });
  }

  async transaction<T>(fn: (tx: Queryable & ScriptRunner) => Promise<T>): Promise<T> {
    this.#usable('transaction');
    return this.#queue.run(() =>
      runTransaction(
        {
          query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await this.#pg.query<R>(sql, params)).rows }),
          exec: async (sql: string) => {
            await this.#pg.exec(sql);
          },
          commit: async () => (await this.#pg.query('COMMIT')).command,
          rollback: async () => {
            await this.#pg.query('ROLLBACK');
          },
        },
        this.#scope,
        fn,
      ),
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#queue.run(async () => {
      try {
        await this.#pg.close();
      } finally {
        await this.#unlock?.();
      }
    });
    return this.#closing;
  }

  #usable(what: string): void {
    if (this.#closing) throw new RegistryError(500, 'DATABASE_CLOSED', `${what}() on a closed database`, 'Open the database again.');
    this.#scope.check(what);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared by both drivers.

/** What {@link runTransaction} needs from a connection that is already exclusively ours. */
export interface TransactionConnection {
  query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  exec(sql: string): Promise<void>;
  /** Sends COMMIT; resolves with the command tag the server answered (`ROLLBACK` for an aborted transaction). */
  commit(): Promise<string | undefined>;
  /** Sends ROLLBACK (its failure is the connection's problem, not the caller's: it is ignored). */
  rollback(): Promise<void>;
}

/**
 * Notices database calls made through the Database object from inside one of its own
 * transactions: on PGlite they would wait for the transaction forever, on PostgreSQL they would run
 * outside it. Either way a bug, reported as `NESTED_DATABASE_CALL`.
 * @internal
 */
export class TransactionScope {
  readonly #als = new AsyncLocalStorage<{ open: boolean }>();
  run<T>(fn: () => Promise<T>): { state: { open: boolean }; result: Promise<T> } {
    const state = { open: true };
    return { state, result: this.#als.run(state, fn) };
  }
  check(what: string): void {
    if (this.#als.getStore()?.open) {
      throw new RegistryError(
        500,
        'NESTED_DATABASE_CALL',
        `db.${what}() was called inside a transaction of the same database`,
        'Inside transaction(fn), run every statement through the `tx` that fn is given.',
      );
    }
  }
}

/**
 * BEGIN; `fn(tx)`; COMMIT — or ROLLBACK and rethrow when `fn` throws. The `tx` refuses statements
 * once the transaction has ended. A COMMIT the server answers with ROLLBACK (a statement failed and
 * `fn` swallowed the error) throws `TRANSACTION_ABORTED`.
 * @internal
 */
export async function runTransaction<T>(
  conn: TransactionConnection,
  scope: TransactionScope,
  fn: (tx: Queryable & ScriptRunner) => Promise<T>,
): Promise<T> {
  let ended = false;
  const live = (): void => {
    if (ended) {
      throw new RegistryError(500, 'TRANSACTION_ENDED', 'a statement was sent through a transaction that has already ended', 'Await every tx.query() inside the transaction callback.');
    }
  };
  const tx: Queryable & ScriptRunner = {
    query: async <R>(sql: string, params?: unknown[]) => {
      live();
      return conn.query<R>(sql, params);
    },
    exec: async (sql: string) => {
      live();
      return conn.exec(sql);
    },
  };
  await conn.query('BEGIN');
  const { state, result } = scope.run(() => fn(tx));
  let value: T;
  try {
    value = await result;
  } catch (err) {
    ended = true;
    state.open = false;
    await conn.rollback().catch(() => undefined);
    throw err;
  }
  ended = true;
  state.open = false;
  const tag = await conn.commit();
  if (tag === 'ROLLBACK') {
    throw new RegistryError(
      500,
      'TRANSACTION_ABORTED',
      'the transaction was rolled back at COMMIT because one of its statements failed',
      'Let errors inside transaction(fn) propagate (or use a SAVEPOINT to recover from one).',
    );
  }
  return value;
}

/**
 * `load()` the optional driver `pkg`; a missing package becomes `DATABASE_DRIVER_MISSING`.
 * @internal
 */
export async function importDriver<M>(pkg: string, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = String((err as { message?: unknown }).message ?? err);
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(pkg)) {
      throw new RegistryError(500, 'DATABASE_DRIVER_MISSING', `the database driver ${pkg} is not installed`, `npm install ${pkg}`, { driver: pkg });
    }
    throw err;
  }
}

/** Lock files this process holds (a second open of the same directory here is refused, not taken over). */
const heldLocks = new Set<string>();

/**
 * Takes the lock file `path` (created exclusively, holding `pid@host`). A lock left by a dead
 * process on this host is taken over; a live one (or one from another host) is `DATABASE_LOCKED`.
 */
async function lockDirectory(path: string): Promise<() => Promise<void>> {
  const me = `${process.pid}@${hostname()}`;
  if (heldLocks.has(path)) {
    throw new RegistryError(503, 'DATABASE_LOCKED', `the database directory is already open in this process (lock ${path})`, 'Open it once and share the Database.');
  }
  heldLocks.add(path); // reserved before the first await: a concurrent open here is refused above
  try {
    return await takeLockFile(path, me);
  } catch (err) {
    heldLocks.delete(path);
    throw err;
  }
}

async function takeLockFile(path: string, me: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${me}\n`);
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        heldLocks.delete(path);
        const owner = (await readFile(path, 'utf8').catch(() => '')).trim();
        if (owner === me) await unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = (await readFile(path, 'utf8').catch(() => '')).trim();
    const [pidText, host] = owner.split('@');
    const pid = Number(pidText);
    // Our own pid without our own lock: left by an earlier process with this pid (a restarted container's pid 1).
    const dead = host === hostname() && Number.isInteger(pid) && pid > 0 && (pid === process.pid || !alive(pid));
    if (!dead) {
      throw new RegistryError(
        503,
        'DATABASE_LOCKED',
        `the database directory is in use (lock ${path} held by ${owner || 'an unknown process'})`,
        `Stop the other registry process using this --data directory, or delete ${path} if none is running.`,
      );
    }
    await unlink(path).catch(() => undefined); // stale: its process is gone
  }
  throw new RegistryError(503, 'DATABASE_LOCKED', `could not take the lock ${path}`, `Delete ${path} if no registry process is running.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
