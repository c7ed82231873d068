/**
 * The TUF repository shared by two "server processes" (two TufRepository instances, two pg pools,
 * two copies of the key directory) on one real PostgreSQL: concurrent publishes and timestamp
 * refreshes stay ordered by the advisory lock, never by process memory.
 * Skipped when PostgreSQL >= 15 server binaries are not installed (scripts/pg-cluster.mjs).
 *
 *   node --import tsx --test test/registry/tuf-postgres.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { Updater } from 'tuf-js';
import type { Database } from '../../src/registry/db/database.js';
import { TUF_MIGRATION_SQL, TufRepository } from '../../src/registry/tuf/index.js';

type Cluster = { url: string; stop(): Promise<void> };
const clusterModule = '../../scripts/pg-cluster.mjs';
const { startPgCluster, findPgBin } = (await import(clusterModule)) as { startPgCluster(): Promise<Cluster>; findPgBin(): unknown };
let unavailable: string | false = false;
try {
  findPgBin();
} catch (err) {
  unavailable = (err as Error).message;
}

const sha256 = (b: string) => createHash('sha256').update(b).digest('hex');

/** A `Database` over a pg pool whose connections use `schema`. */
function pgDatabase(url: string, schema: string): Database & { pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 8, options: `-c search_path=${schema}` });
  return {
    kind: 'postgres',
    pool,
    query: async (sql, params) => ({ rows: (await pool.query(sql, params)).rows }),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }) });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  } as Database & { pool: pg.Pool };
}

describe('two server processes on one PostgreSQL', { skip: unavailable || false }, () => {
  let cluster: Cluster;
  let work: string;
  const dbs: Database[] = [];
  before(async () => {
    cluster = await startPgCluster();
    work = await mkdtemp(join(tmpdir(), 'vib3-tuf-pg-'));
  });
  after(async () => {
    for (const db of dbs) await db.close();
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function schema(name: string): Promise<[Database, Database]> {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${name}; SET search_path TO ${name}; ${TUF_MIGRATION_SQL}`);
    await admin.end();
    const a = pgDatabase(cluster.url, name);
    const b = pgDatabase(cluster.url, name);
    dbs.push(a, b);
    return [a, b];
  }

  it('both start at once on an empty database: one root v1, created by one of them', async () => {
    const [dbA, dbB] = await schema('startup');
    const [repoA, repoB] = await Promise.all([
      TufRepository.open({ db: dbA, keyDir: join(work, 'startup-a'), bins: 16 }),
      TufRepository.open({ db: dbB, keyDir: join(work, 'startup-b'), bins: 16 }),
    ]);
    const [rootA, rootB] = await Promise.all([repoA.init(), repoB.init()]);
    assert.equal(rootA, rootB);
    const { rows } = await dbA.query<{ role: string; n: string }>("SELECT role, count(*) AS n FROM tuf_metadata WHERE role IN ('root','targets','snapshot','timestamp') GROUP BY role ORDER BY role");
    assert.deepEqual(rows.map((r) => [r.role, Number(r.n)]), [['root', 1], ['snapshot', 1], ['targets', 1], ['timestamp', 1]]);
    const [statusA, statusB] = [await repoA.keyStatus(dbA), await repoB.keyStatus(dbB)];
    // Exactly one process holds the keys root v1 trusts; the other made none of its own.
    assert.notEqual(statusA.timestamp, statusB.timestamp);
  });

  it('20 concurrent publishes split over both: consecutive versions, consistent snapshot, a client gets all', async () => {
    const [dbA, dbB] = await schema('publish');
    const repoA = await TufRepository.open({ db: dbA, keyDir: join(work, 'publish-a'), bins: 16 });
    const root1 = await repoA.init();
    await cp(join(work, 'publish-a'), join(work, 'publish-b'), { recursive: true }); // the second host's copy
    const repoB = await TufRepository.open({ db: dbB, keyDir: join(work, 'publish-b') });

    const blobs = new Map<string, string>();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const [db, repo] = i % 2 ? [dbA, repoA] : [dbB, repoB];
        const path = i % 4 === 3 ? `channels/com.example.p${i}.json` : `extensions/com.example.p${i}/1.0.0.vib3x`;
        const bytes = `payload ${i}`;
        blobs.set(path, bytes);
        return db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [0x56_49_42_33_02]);
          await tx.query('SELECT pg_sleep(0.005)'); // the publish's own work, holding the lock
          return repo.updateTargets(tx, [{ path, length: bytes.length, sha256: sha256(bytes) }]);
        });
      }),
    );
    const byTs = [...results].sort((a, b) => a.timestamp - b.timestamp);
    assert.deepEqual(byTs.map((r) => r.timestamp), Array.from({ length: 20 }, (_, i) => i + 2));
    assert.deepEqual(byTs.map((r) => r.snapshot), Array.from({ length: 20 }, (_, i) => i + 2));
    // Every role's versions are 1..max without gaps or duplicates.
    const { rows } = await dbA.query<{ role: string; n: string; mx: number }>('SELECT role, count(*) AS n, max(version) AS mx FROM tuf_metadata GROUP BY role');
    for (const r of rows) assert.equal(Number(r.n), r.mx, r.role);
    // The final snapshot lists each bin's newest version.
    const ts = JSON.parse((await repoB.metadata(dbB, 'timestamp.json'))!).signed;
    const snap = JSON.parse((await repoB.metadata(dbB, `${ts.meta['snapshot.json'].version}.snapshot.json`))!).signed;
    const newest = new Map(rows.map((r) => [r.role, r.mx]));
    for (const [file, m] of Object.entries(snap.meta) as Array<[string, { version: number }]>) assert.equal(m.version, newest.get(file.slice(0, -5)), file);

    // A stock client served by "process B" downloads everything.
    const server = createServer((req, res) => {
      void (async () => {
        const p = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
        if (p.startsWith('/tuf/targets/')) {
          const info = await repoB.targetForUrl(dbB, p.slice(13));
          const body = info && [...blobs.values()].find((b) => sha256(b) === info.sha256);
          return void (body ? res.end(body) : res.writeHead(404).end());
        }
        const body = await repoB.metadata(dbB, p.slice(5));
        res.writeHead(body ? 200 : 404).end(body);
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const metadataDir = join(work, 'client', 'metadata');
      await mkdir(metadataDir, { recursive: true });
      await writeFile(join(metadataDir, 'root.json'), root1);
      const u = new Updater({ metadataDir, metadataBaseUrl: `${base}/tuf/`, targetDir: join(work, 'client'), targetBaseUrl: `${base}/tuf/targets/` });
      await u.refresh();
      for (const [path, bytes] of blobs) {
        const info = await u.getTargetInfo(path);
        assert.ok(info, path);
        assert.equal(await readFile(await u.downloadTarget(info, join(work, 'client', sha256(path))), 'utf8'), bytes);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('both refresh a due timestamp at once: exactly one new version', async () => {
    const [dbA, dbB] = await schema('refresh');
    const clock = { now: Date.now() };
    const now = () => new Date(clock.now);
    const repoA = await TufRepository.open({ db: dbA, keyDir: join(work, 'refresh-a'), bins: 16, now });
    await repoA.init();
    await cp(join(work, 'refresh-a'), join(work, 'refresh-b'), { recursive: true });
    const repoB = await TufRepository.open({ db: dbB, keyDir: join(work, 'refresh-b'), now });
    clock.now += 23 * 3600_000; // inside the default half-day window of the one-day timestamp
    const results = await Promise.all([repoA.refreshTimestamp(dbA), repoB.refreshTimestamp(dbB), repoA.refreshTimestamp(dbA), repoB.refreshTimestamp(dbB)]);
    assert.equal(results.flatMap((r) => r.resigned).filter((r) => r === 'timestamp').length, 1);
    assert.deepEqual(new Set(results.map((r) => r.timestampVersion)), new Set([2]));
  });
});
