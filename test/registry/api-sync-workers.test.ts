// DESIGN §11, "the sync outbox drained by any number of workers (FOR UPDATE SKIP LOCKED)", at the
// process level: real `vib3 registry sync-worker` processes (the CLI, run from source) on one real
// PostgreSQL, pushing to a fake partner on loopback (test/registry/sync-fakes.ts, loaded by the
// workers with --adapter-module).
//   1. Two worker processes drain 50 outbox rows: the partner holds the first push until a second
//      one is in progress (so both processes provably push at once), and it sees every
//      idempotency key exactly once — no row is pushed twice.
//   2. kill -9 of a worker while the partner holds its push: once the lease has run out another
//      worker pushes the row with the same key; the partner applies it exactly once.
// PGlite cannot be opened by two processes, so this file runs on PostgreSQL only
// (VIB3_REGISTRY_BACKEND=postgres with VIB3_PG_URL, as `node scripts/test.mjs registry` runs it).
// No wall-clock thresholds: every wait is for a condition; the node:test timeout is a hang guard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKEND, createPublisher, makePackage, publish, type TestPublisher } from './harness.js';
import { FakePartner, testAdapter } from './sync-fakes.js';
import { openPostgres, REPO, type Postgres } from './serve-process.js';
import { startRegistry, type RunningRegistry } from '../../src/registry/server.js';
import { parseSyncSpec } from '../../src/registry/sync/adapters.js';

const skip = BACKEND !== 'postgres' ? 'two processes need PostgreSQL (PGlite is one process\'s database): run with VIB3_REGISTRY_BACKEND=postgres VIB3_PG_URL=…' : false;
const HANG_GUARD = { timeout: 300_000 };

interface WorkerProcess {
  id: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
const workers = new Set<WorkerProcess>();

// Skipped as a test (not a suite), so the skip is counted and shows its reason.
if (skip) test(`[${BACKEND}] sync workers in two processes on one PostgreSQL`, { skip }, () => undefined);
else describe(`[${BACKEND}] sync workers in two processes on one PostgreSQL`, () => {
  let postgres: Postgres;
  let database: string;
  let dataDir: string;
  let reg: RunningRegistry;
  let acme: TestPublisher;
  const partner = new FakePartner();
  const spec = () => `npm=${partner.url},rate=1000000`;

  /** `vib3 registry sync-worker … --json`, resolved once it printed its ready line. */
  function startWorker(extra: string[] = []): Promise<WorkerProcess> {
    const args = ['--import', 'tsx', 'src/cli/bin.ts', 'registry', 'sync-worker', '--database', database, '--data', dataDir, ...(process.env.VIB3_S3_SPEC ? ['--blobs', process.env.VIB3_S3_SPEC] : []),
      '--sync', spec(), '--adapter-module', 'test/registry/sync-fakes.ts', '--public-url', reg.url, '--idle', '20', '--batch', '1', '--json', ...extra];
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    let ready = false;
    return new Promise((resolve, reject) => {
      void exited.then((e) => reject(new Error(`sync-worker exited (${e.code ?? e.signal}) before it was ready:\n${out}`)));
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{"ok"'));
        if (ready || !line) return;
        ready = true;
        const proc: WorkerProcess = { id: (JSON.parse(line) as { workers: string[] }).workers[0]!, child, output: () => out, exited };
        workers.add(proc);
        void exited.then(() => workers.delete(proc));
        resolve(proc);
      });
    });
  }

  const rows = async (where = 'true') =>
    (await reg.context.db.query<{ id: number; extension_id: string; state: string; attempts: number; worker: string; idempotency_key: string }>(`SELECT id, extension_id, state, attempts, worker, idempotency_key FROM sync_outbox WHERE ${where} ORDER BY id`)).rows;
  const until = async <T>(check: () => Promise<T | undefined | false>): Promise<T> => {
    for (;;) {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      await sleep(25);
    }
  };

  before(async () => {
    postgres = await openPostgres();
    database = await postgres.createDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vib3-sync-workers-'));
    await partner.start();
    // The registry itself runs no sync worker: only the two processes push.
    reg = await startRegistry({
      port: 0, dataDir, database, log: () => undefined,
      ...(process.env.VIB3_S3_SPEC ? { blobs: process.env.VIB3_S3_SPEC } : {}),
      settings: { sync: { partners: [parseSyncSpec(spec())], adapters: { npm: () => testAdapter('npm') }, workers: 0 } },
    });
    acme = await createPublisher(reg, 'acme');
  });
  after(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await reg?.close();
    await partner.stop();
    await postgres?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('two worker processes drain 50 rows: both push at once, and no row is pushed twice', HANG_GUARD, async () => {
    partner.barrier = 2; // the first push is answered only once a second one is in progress
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const ids = Array.from({ length: 50 }, (_, i) => `com.acme.fleet-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < ids.length; i += 5) {
      await Promise.all(ids.slice(i, i + 5).map(async (id) => {
        const res = await publish(reg.url, acme.token, id, '1.0.0', await makePackage(acme, { id, version: '1.0.0' }));
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }));
    }
    const done = await until(async () => {
      const r = await rows("extension_id LIKE 'com.acme.fleet-%'");
      return r.length === 50 && r.every((x) => x.state === 'done') ? r : undefined;
    });
    const keys = partner.received.filter((r) => r.id.startsWith('com.acme.fleet-')).map((r) => r.key);
    assert.equal(keys.length, 50, 'one request per row');
    assert.equal(new Set(keys).size, 50, 'no idempotency key was pushed twice');
    assert.deepEqual(new Set(keys), new Set(done.map((r) => r.idempotency_key)));
    assert.ok(done.every((r) => Number(r.attempts) === 1));
    assert.ok(partner.maxInFlight >= 2, 'both processes pushed at the same time');
    assert.deepEqual(new Set(done.map((r) => r.worker)), new Set([a.id, b.id]), 'both processes pushed rows');
    for (const w of [a, b]) {
      w.child.kill('SIGTERM');
      assert.deepEqual(await w.exited, { code: 0, signal: null }, w.output());
    }
  });

  test('kill -9 of a worker while the partner holds its push: after the lease another worker pushes it, applied exactly once', HANG_GUARD, async () => {
    const id = 'com.acme.killed';
    // Every push of this listing is held until the first worker is dead: it can never finish the row itself.
    partner.script(id, 'hold', 'hold', 'hold', 'hold');
    const lease = ['--push-timeout', '3000', '--lease-margin', '500'];
    const a = await startWorker(lease);
    const res = await publish(reg.url, acme.token, id, '1.0.0', await makePackage(acme, { id, version: '1.0.0' }));
    assert.equal(res.status, 201);
    await partner.until(() => partner.requestsFor(id).length >= 1);
    a.child.kill('SIGKILL');
    assert.equal((await a.exited).signal, 'SIGKILL');
    partner.clearScript(id);
    const [inFlight] = await rows(`extension_id = '${id}'`);
    assert.deepEqual([inFlight!.state, inFlight!.worker], ['in_flight', a.id], 'the dead worker still holds the row until its lease ends');

    const b = await startWorker(lease);
    const [row] = await until(async () => {
      const r = await rows(`extension_id = '${id}'`);
      return r[0]?.state === 'done' ? r : undefined;
    });
    assert.equal(row!.worker, b.id);
    assert.ok(Number(row!.attempts) >= 2);
    const seen = partner.requestsFor(id);
    assert.ok(seen.length >= 2);
    assert.ok(seen.every((r) => r.key === row!.idempotency_key), 'every attempt carries the row\'s idempotency key');
    assert.equal(seen.at(-1)!.outcome, 'repeat', 'the partner had applied it already');
    assert.equal(partner.applied.get(row!.idempotency_key), 1);
    b.child.kill('SIGTERM');
    assert.deepEqual(await b.exited, { code: 0, signal: null }, b.output());
  });
});
