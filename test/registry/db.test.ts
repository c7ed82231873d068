// Over ~400 lines on purpose: one PGlite and one PostgreSQL cluster started once for every
// storage test (a fresh PGlite takes seconds on 2 cores); split by engine it would start both twice.
/**
 * The registry's storage layer against real engines: PGlite (in memory and on disk), a real
 * PostgreSQL cluster (`scripts/pg-cluster.mjs`, or the one named by `VIB3_PG_URL`), files, and an
 * S3-compatible server (s3rver, `scripts/s3-server.mjs`). No wall-clock thresholds: ordering is
 * proved by what each transaction saw, and lock waits by `pg_locks`.
 *
 *   node --import tsx --test test/registry/db.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCKS, type Database } from '../../src/registry/db/database.js';
import { openPglite } from '../../src/registry/db/pglite.js';
import { openPostgres } from '../../src/registry/db/postgres.js';
import { runMigrations, type Migration } from '../../src/registry/db/migrations.js';
import { openDatabase } from '../../src/registry/db/open.js';
import type { BlobStore } from '../../src/registry/blobs/blob-store.js';
import { FileBlobStore } from '../../src/registry/blobs/file-blobs.js';
import { S3BlobStore } from '../../src/registry/blobs/s3-blobs.js';
import { openBlobStore } from '../../src/registry/blobs/open.js';

interface PgCluster {
  url: string;
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}
interface S3Server {
  spec: string;
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}
// The helpers are plain .mjs scripts (no type declarations): typed here.
const { startPgCluster } = (await import('../../scripts/pg-cluster.mjs' as string)) as { startPgCluster(o?: { dir?: string }): Promise<PgCluster> };
const { startS3Server } = (await import('../../scripts/s3-server.mjs' as string)) as { startS3Server(): Promise<S3Server> };

/** Resolves with the rejection's `code` (fails when the promise fulfils). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
  return 'no rejection';
}

/** The coded error a promise rejects with (fails when it fulfils). */
async function rejectionOf(p: Promise<unknown>): Promise<{ code: string; message: string; suggestion: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; suggestion: string };
  }
  return assert.fail('expected a rejection');
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every ready callback run (a few macrotask turns), without any timing assumption. */
async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vib3-dbtest-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const MIGRATIONS: Migration[] = [
  { version: 1, name: 'items', sql: 'CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);\nCREATE TABLE hits (n int NOT NULL);\nINSERT INTO hits VALUES (1);' },
  { version: 2, name: 'counter', sql: "CREATE TABLE counter (k text PRIMARY KEY, v int NOT NULL);\nINSERT INTO counter VALUES ('c', 0);\nINSERT INTO hits VALUES (2);" },
];
const THIRD: Migration = { version: 3, name: 'items-note', sql: 'ALTER TABLE items ADD COLUMN note text;\nINSERT INTO hits VALUES (3);' };

// ---------------------------------------------------------------------------------------------
// PostgreSQL: our own cluster, or the test command's (VIB3_PG_URL).

let cluster: PgCluster | undefined;
async function freshPostgresUrl(): Promise<string> {
  const base = process.env.VIB3_PG_URL;
  if (base) {
    const { default: pg } = await import('pg');
    const name = `dbt_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  }
  cluster ??= await startPgCluster();
  return cluster.createDatabase();
}
after(async () => {
  await cluster?.stop();
});

/** Both engines, each test on a fresh, empty database. */
const BACKENDS: Array<{ name: 'pglite' | 'postgres'; open(): Promise<Database> }> = [
  { name: 'pglite', open: () => openPglite() },
  { name: 'postgres', open: async () => openPostgres(await freshPostgresUrl()) },
];

for (const backend of BACKENDS) {
  describe(`database: ${backend.name}`, () => {
    let db: Database;
    before(async () => {
      db = await backend.open();
      await runMigrations(db, MIGRATIONS);
    });
    after(async () => {
      await db?.close();
    });

    test('migrations apply once, then only the new one; the schema is recorded', async () => {
      const fresh = await backend.open();
      try {
        const first = await runMigrations(fresh, MIGRATIONS);
        assert.deepEqual(first, { applied: [{ version: 1, name: 'items' }, { version: 2, name: 'counter' }], version: 2 });
        assert.deepEqual(await runMigrations(fresh, MIGRATIONS), { applied: [], version: 2 });
        assert.deepEqual(await runMigrations(fresh, [THIRD, ...MIGRATIONS]), { applied: [{ version: 3, name: 'items-note' }], version: 3 });
        const hits = await fresh.query<{ n: number }>('SELECT n FROM hits ORDER BY n');
        assert.deepEqual(hits.rows.map((r) => r.n), [1, 2, 3]);
        const rows = await fresh.query<{ version: number; name: string; applied_at: Date }>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
        assert.deepEqual(rows.rows.map((r) => [r.version, r.name]), [[1, 'items'], [2, 'counter'], [3, 'items-note']]);
        assert.ok(rows.rows.every((r) => r.applied_at instanceof Date));
        // A database migrated by newer code is refused by older code.
        assert.equal(await codeOf(runMigrations(fresh, MIGRATIONS)), 'SCHEMA_TOO_NEW');
      } finally {
        await fresh.close();
      }
    });

    test('a failing migration leaves nothing of itself behind', async () => {
      const broken: Migration = { version: 4, name: 'broken', sql: 'CREATE TABLE half_done (x int);\nSELECT no_such_function();' };
      const fresh = await backend.open();
      try {
        await assert.rejects(runMigrations(fresh, [...MIGRATIONS, broken]));
        const { rows } = await fresh.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(rows.map((r) => r.version), [1, 2]);
        const table = await fresh.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
        assert.equal(table.rows.length, 0);
        assert.equal(await codeOf(runMigrations(fresh, [MIGRATIONS[0]!, MIGRATIONS[0]!])), 'INVALID_MIGRATIONS');
      } finally {
        await fresh.close();
      }
    });

    test('a transaction that throws rolls back everything and rethrows the same error', async () => {
      await db.query('INSERT INTO items (id, label) VALUES (1, $1)', ['before']);
      const boom = new Error('boom');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('UPDATE items SET label = $1 WHERE id = 1', ['changed']);
          await tx.query('INSERT INTO items (id, label) VALUES (2, $1)', ['new']);
          throw boom;
        }),
        (err) => err === boom,
      );
      const { rows } = await db.query<{ id: number; label: string }>('SELECT id, label FROM items ORDER BY id');
      assert.deepEqual(rows, [{ id: 1, label: 'before' }]);
      // A committed one is visible, and returns fn's value.
      const value = await db.transaction(async (tx) => {
        await tx.query('UPDATE items SET label = $1 WHERE id = 1', ['after']);
        return 42;
      });
      assert.equal(value, 42);
      assert.deepEqual((await db.query('SELECT label FROM items WHERE id = 1')).rows, [{ label: 'after' }]);
    });

    test('misuse is reported, not deadlocked or silently committed', async () => {
      // A statement error swallowed inside fn: COMMIT answers ROLLBACK, which must not look like success.
      assert.equal(
        await codeOf(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO items (id, label) VALUES (10, $1)', ['x']);
            await tx.query('SELECT no_such_column FROM items').catch(() => undefined);
          }),
        ),
        'TRANSACTION_ABORTED',
      );
      assert.equal((await db.query('SELECT 1 FROM items WHERE id = 10')).rows.length, 0);
      // db.query / db.transaction from inside a transaction (on PGlite that would wait forever).
      assert.equal(await codeOf(db.transaction(async () => db.query('SELECT 1'))), 'NESTED_DATABASE_CALL');
      assert.equal(await codeOf(db.transaction(async () => db.transaction(async () => 1))), 'NESTED_DATABASE_CALL');
      // The tx handle is dead once its transaction ended.
      let leaked: { query(sql: string): Promise<unknown> } | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      assert.equal(await codeOf(leaked!.query('SELECT 1')), 'TRANSACTION_ENDED');
      // SQL errors keep their SQLSTATE code on both engines.
      assert.equal(await codeOf(db.query('INSERT INTO items (id, label) VALUES (1, $1)', ['dup'])), '23505');
    });

    test('20 concurrent read-modify-write transactions end at exactly 20', async () => {
      await db.query("UPDATE counter SET v = 0 WHERE k = 'c'");
      const seen: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction(async (tx) => {
            // PGlite serializes whole transactions; PostgreSQL needs the advisory lock (as the registry's ordered writes use).
            await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
            const { rows } = await tx.query<{ v: number }>("SELECT v FROM counter WHERE k = 'c'");
            await settle(2); // give any other transaction every chance to interleave
            seen.push(rows[0]!.v);
            await tx.query("UPDATE counter SET v = $1 WHERE k = 'c'", [rows[0]!.v + 1]);
          }),
        ),
      );
      assert.deepEqual((await db.query("SELECT v FROM counter WHERE k = 'c'")).rows, [{ v: 20 }]);
      assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
    });

    test('values come back as the same JavaScript types on both engines', async () => {
      const { rows } = await db.query<Record<string, unknown>>(
        "SELECT count(*) AS c, 9007199254740993::int8 AS big, ARRAY[1, 2]::int8[] AS arr, '2020-01-02'::date AS d, 1.50::numeric AS n, '{\"a\":1}'::jsonb AS j, '\\x0102'::bytea AS b, now() AS t, true AS ok, $1::text AS p FROM hits",
        ['param'],
      );
      const r = rows[0]!;
      assert.equal(r.c, 2);
      assert.equal(r.big, 9007199254740993n);
      assert.deepEqual(r.arr, [1, 2]);
      assert.equal((r.d as Date).toISOString(), '2020-01-02T00:00:00.000Z');
      assert.equal(r.n, '1.50');
      assert.deepEqual(r.j, { a: 1 });
      assert.deepEqual([...(r.b as Uint8Array)], [1, 2]);
      assert.ok(r.t instanceof Date);
      assert.equal(r.ok, true);
      assert.equal(r.p, 'param');
    });

    if (backend.name === 'pglite') {
      test('PGlite: a query outside a transaction waits for the running one (never sees its uncommitted rows)', async () => {
        const inside = deferred();
        const release = deferred();
        const tx = db.transaction(async (t) => {
          await t.query('INSERT INTO items (id, label) VALUES (100, $1)', ['uncommitted']);
          inside.resolve();
          await release.promise;
          throw new Error('roll back');
        });
        await inside.promise;
        let answered = false;
        const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE id = 100').then((r) => {
          answered = true;
          return r;
        });
        await settle();
        assert.equal(answered, false, 'the plain query ran inside the open transaction');
        release.resolve();
        await assert.rejects(tx, /roll back/);
        assert.deepEqual((await outside).rows, [{ n: 0 }]);
      });
    }

    if (backend.name === 'postgres') {
      test('PostgreSQL: two concurrent runMigrations (two pools, as two processes) apply each migration exactly once', async () => {
        const url = await freshPostgresUrl();
        const [a, b] = await Promise.all([openPostgres(url), openPostgres(url)]);
        try {
          const [ra, rb] = await Promise.all([runMigrations(a, [...MIGRATIONS, THIRD]), runMigrations(b, [...MIGRATIONS, THIRD])]);
          const all = [...ra.applied, ...rb.applied].map((m) => m.version).sort();
          assert.deepEqual(all, [1, 2, 3], `each version applied once in total: ${JSON.stringify({ ra, rb })}`);
          assert.equal(ra.version, 3);
          assert.equal(rb.version, 3);
          assert.deepEqual((await a.query<{ n: number }>('SELECT n FROM hits ORDER BY n')).rows.map((r) => r.n), [1, 2, 3]);
          assert.deepEqual((await a.query('SELECT count(*) AS c FROM schema_migrations')).rows, [{ c: 3 }]);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });

      test('PostgreSQL: the advisory lock serializes two pool clients', async () => {
        const first = deferred();
        const release = deferred();
        await db.query("UPDATE counter SET v = 0 WHERE k = 'c'");
        const a = db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
          first.resolve();
          await release.promise;
          await tx.query("UPDATE counter SET v = 1 WHERE k = 'c'");
        });
        await first.promise;
        let bSaw: number | undefined;
        const b = db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
          bSaw = (await tx.query<{ v: number }>("SELECT v FROM counter WHERE k = 'c'")).rows[0]!.v;
        });
        // Wait (by observation, not by time) until the second client is queued on the lock.
        for (;;) {
          const { rows } = await db.query<{ waiting: number }>("SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
          if (rows[0]!.waiting > 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.equal(bSaw, undefined, 'the second transaction ran while the first held the lock');
        release.resolve();
        await Promise.all([a, b]);
        assert.equal(bSaw, 1, 'the second transaction saw the first one committed');
      });

      test('PostgreSQL: connection failures are DATABASE_UNREACHABLE naming the host, never the password', async () => {
        const port = await freePort();
        const err = await rejectionOf(openPostgres(`postgres://alice:s3cret-pw@127.0.0.1:${port}/vib3`, { connectTimeoutMs: 5000 }));
        assert.equal(err.code, 'DATABASE_UNREACHABLE');
        assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}/vib3`));
        assert.doesNotMatch(`${err.message} ${err.suggestion}`, /s3cret-pw/);
        const missing = new URL(await freshPostgresUrl());
        missing.pathname = '/no_such_database';
        assert.equal(await codeOf(openPostgres(missing.toString())), 'DATABASE_UNREACHABLE');
      });
    }
  });
}

describe('database: opening', () => {
  test('bad --database values give INVALID_DATABASE_URL', async () => {
    for (const database of ['mysql://u@h/db', 'not a url', 'sqlite:///tmp/x.db', 'http://127.0.0.1:5432/db']) {
      assert.equal(await codeOf(openDatabase({ database, dataDir: tempDir() })), 'INVALID_DATABASE_URL', database);
    }
    const err = await rejectionOf(openDatabase({ database: 'mysql://u:hunter2@h/db', dataDir: tempDir() }));
    assert.doesNotMatch(err.message, /hunter2/);
  });

  test('postgres:// and postgresql:// open PostgreSQL', async () => {
    const url = await freshPostgresUrl();
    for (const u of [url, url.replace(/^postgres:/, 'postgresql:')]) {
      const db = await openDatabase({ database: u, dataDir: tempDir() });
      assert.equal(db.kind, 'postgres');
      assert.deepEqual((await db.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
      await db.close();
    }
  });

  test('a missing driver is DATABASE_DRIVER_MISSING with the install command', async () => {
    const missing = (pkg: string) => async () => {
      throw Object.assign(new Error(`Cannot find package '${pkg}' imported from ${import.meta.url}`), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    const e1 = await rejectionOf(openPglite(undefined, { load: missing('@electric-sql/pglite') }));
    assert.equal(e1.code, 'DATABASE_DRIVER_MISSING');
    assert.match(e1.suggestion, /npm install @electric-sql\/pglite/);
    const e2 = await rejectionOf(openPostgres('postgres://u@127.0.0.1/db', { load: missing('pg') }));
    assert.equal(e2.code, 'DATABASE_DRIVER_MISSING');
    assert.match(e2.suggestion, /npm install pg/);
  });

  test('no --database: PGlite on disk under DATA/db, locked while open, data kept across reopen', async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir });
    try {
      assert.equal(db.kind, 'pglite');
      assert.ok(existsSync(join(dataDir, 'db', 'PG_VERSION')));
      await runMigrations(db, MIGRATIONS);
      await db.query('INSERT INTO items (id, label) VALUES (7, $1)', ['kept']);
      assert.equal(await codeOf(openDatabase({ dataDir })), 'DATABASE_LOCKED');
    } finally {
      await db.close();
    }
    const again = await openDatabase({ dataDir });
    try {
      assert.deepEqual((await runMigrations(again, MIGRATIONS)).applied, []);
      assert.deepEqual((await again.query('SELECT label FROM items WHERE id = 7')).rows, [{ label: 'kept' }]);
    } finally {
      await again.close();
    }
    assert.equal(await codeOf(again.query('SELECT 1')), 'DATABASE_CLOSED');
    // A lock left by a process that is gone (kill -9) is taken over; one of a live process is not.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    for (const owner of [`${gone}@${hostname()}`, `${process.pid}@${hostname()}`]) {
      writeFileSync(join(dataDir, 'db.lock'), `${owner}\n`);
      const reopened = await openDatabase({ dataDir });
      assert.deepEqual((await reopened.query('SELECT label FROM items WHERE id = 7')).rows, [{ label: 'kept' }]);
      await reopened.close();
    }
    assert.equal(existsSync(join(dataDir, 'db.lock')), false);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'db.lock'), `${live.pid}@${hostname()}\n`);
      assert.equal(await codeOf(openDatabase({ dataDir })), 'DATABASE_LOCKED');
    } finally {
      live.kill();
    }
    rmSync(join(dataDir, 'db.lock'));
    // Two opens racing in one process: exactly one wins.
    const race = await Promise.allSettled([openDatabase({ dataDir }), openDatabase({ dataDir })]);
    const won = race.filter((r): r is PromiseFulfilledResult<Database> => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    assert.equal(await codeOf(Promise.reject(race.find((r) => r.status === 'rejected')!.reason)), 'DATABASE_LOCKED');
    await won[0]!.value.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Blob stores.

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const HOSTILE = ['../x', '../../etc/passwd', 'ab/../../cd', '', 'zz'.repeat(32), 'A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(62)}/x`, '%2e%2e%2fx'];

let s3: S3Server | undefined;
after(async () => {
  await s3?.stop();
});

const STORES: Array<{ name: string; open(): Promise<BlobStore> }> = [
  { name: 'FileBlobStore', open: async () => new FileBlobStore(join(tempDir(), 'blobs')) },
  {
    name: 'S3BlobStore (s3rver)',
    open: async () => {
      s3 ??= await startS3Server();
      return S3BlobStore.fromSpec(`${s3.spec.replace(`s3://${s3.bucket}`, `s3://${s3.bucket}/t${randomBytes(4).toString('hex')}`)}`);
    },
  },
];

for (const kind of STORES) {
  describe(`blobs: ${kind.name}`, () => {
    test('put / get / has round trip of bytes; absent blobs are undefined / false', async () => {
      const store = await kind.open();
      const bytes = new Uint8Array(randomBytes(300_000));
      const key = sha(bytes);
      assert.equal(await store.has(key), false);
      assert.equal(await store.get(key), undefined);
      await store.put(key, bytes);
      assert.equal(await store.has(key), true);
      assert.deepEqual(new Uint8Array((await store.get(key))!), bytes);
      const empty = new Uint8Array(0);
      await store.put(sha(empty), empty);
      assert.equal((await store.get(sha(empty)))!.length, 0);
      await store.close?.();
    });

    test('re-putting the same bytes is idempotent, also concurrently', async () => {
      const store = await kind.open();
      const bytes = new TextEncoder().encode('the same package, twice');
      const key = sha(bytes);
      await store.put(key, bytes);
      await store.put(key, bytes);
      await Promise.all(Array.from({ length: 5 }, () => store.put(key, bytes)));
      assert.deepEqual(new Uint8Array((await store.get(key))!), bytes);
    });

    test('hostile and malformed keys are refused; bytes must match their key', async () => {
      const store = await kind.open();
      const bytes = new TextEncoder().encode('x');
      for (const key of HOSTILE) {
        assert.equal(await codeOf(store.put(key, bytes)), 'INVALID_BLOB_KEY', key);
        assert.equal(await codeOf(store.get(key)), 'INVALID_BLOB_KEY', key);
        assert.equal(await codeOf(store.has(key)), 'INVALID_BLOB_KEY', key);
      }
      assert.equal(await codeOf(store.put(sha(new TextEncoder().encode('y')), bytes)), 'BLOB_DIGEST_MISMATCH');
    });
  });
}

describe('blobs: files on disk', () => {
  test('sharded dir/ab/cdef… layout, no temp files left, nothing outside the directory', async () => {
    const root = tempDir();
    const store = new FileBlobStore(join(root, 'blobs'));
    const bytes = new TextEncoder().encode('layout');
    const key = sha(bytes);
    await store.put(key, bytes);
    assert.equal(store.pathOf(key), join(root, 'blobs', key.slice(0, 2), key.slice(2)));
    assert.deepEqual(readdirSync(join(root, 'blobs')), [key.slice(0, 2)]);
    assert.deepEqual(readdirSync(join(root, 'blobs', key.slice(0, 2))), [key.slice(2)]);
    await store.put('../x', bytes).catch(() => undefined);
    assert.deepEqual(readdirSync(root), ['blobs']);
  });
});

describe('blobs: opening', () => {
  test('default is files under DATA/blobs; s3:// opens S3; bad specs give INVALID_BLOBS_SPEC', async () => {
    const dataDir = tempDir();
    const files = await openBlobStore({ dataDir });
    assert.ok(files instanceof FileBlobStore);
    assert.equal(files.dir, join(dataDir, 'blobs'));
    s3 ??= await startS3Server();
    const viaSpec = await openBlobStore({ blobs: s3.spec, dataDir });
    assert.ok(viaSpec instanceof S3BlobStore);
    // Credentials from the environment when the spec has none.
    const bare = `s3://${s3.bucket}?endpoint=${s3.endpoint}&region=us-east-1`;
    const viaEnv = await openBlobStore({ blobs: bare, dataDir, env: { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey } });
    const bytes = new TextEncoder().encode('env credentials');
    await viaEnv.put(sha(bytes), bytes);
    assert.equal(await viaSpec.has(sha(bytes)), true);
    for (const blobs of ['ftp://x/y', 'bucket-only', bare, 's3://Bad_Bucket?endpoint=http://127.0.0.1:1', 's3://ok-bucket?endpoint=ftp://127.0.0.1:1&accessKeyId=a&secretAccessKey=b', 's3://ok-bucket?accessKeyId=only-the-id', 's3://user:pw@ok-bucket?accessKeyId=a&secretAccessKey=b']) {
      assert.equal(await codeOf(openBlobStore({ blobs, dataDir, env: {} })), 'INVALID_BLOBS_SPEC', blobs);
    }
    const err = await rejectionOf(openBlobStore({ blobs: 'ftp://x?secretAccessKey=hunter2', dataDir, env: {} }));
    assert.doesNotMatch(err.message, /hunter2/);
  });

  test('S3 failures are coded: unreachable endpoint, wrong credentials', async () => {
    const bytes = new TextEncoder().encode('nowhere');
    const port = await freePort();
    const down = S3BlobStore.fromSpec(`s3://vib3?endpoint=http://127.0.0.1:${port}&accessKeyId=a&secretAccessKey=b`);
    assert.equal(await codeOf(down.put(sha(bytes), bytes)), 'BLOB_STORE_UNREACHABLE');
    s3 ??= await startS3Server();
    const wrong = S3BlobStore.fromSpec(`s3://${s3.bucket}?endpoint=${s3.endpoint}&accessKeyId=NOPE&secretAccessKey=nope`);
    assert.equal(await codeOf(wrong.put(sha(bytes), bytes)), 'BLOB_STORE_ERROR');
    const noBucket = S3BlobStore.fromSpec(`s3://no-such-bucket?endpoint=${s3.endpoint}&accessKeyId=${s3.accessKeyId}&secretAccessKey=${s3.secretAccessKey}`);
    const err = await rejectionOf(noBucket.put(sha(bytes), bytes));
    assert.equal(err.code, 'BLOB_STORE_ERROR');
    assert.match(err.message, /NoSuchBucket/);
  });
});
