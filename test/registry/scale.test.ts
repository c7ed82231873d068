// Over ~400 lines on purpose: every test here shares one PostgreSQL and the serve-process helpers;
// the process plumbing itself lives in serve-process.ts.
// DESIGN §11 at the process level: real `vib3 registry serve` processes (run from source) on a real
// PostgreSQL, loopback only.
//   1. Two server processes share one database and one --data folder; 50 concurrent publishes
//      spread over both all land, and every stored snapshot / timestamp version forms one valid
//      chain (a stock tuf-js client then downloads all 50 packages through the second server).
//      The same id@version raced through both servers: exactly one wins.
//   2. kill -9 while a large publish is in flight, at several points (mid-upload, upload just sent,
//      blob stored, TUF lock held, COMMIT withheld from PostgreSQL, COMMIT done but its
//      acknowledgement withheld — the last two through a proxy in front of PostgreSQL — and
//      fractions of the measured verify+commit time): after a restart the version is all there or
//      not there at all, TUF metadata is valid, earlier versions are intact. Also on the embedded
//      PGlite default (the restarted server takes over the dead process's DATA/db.lock).
//   3. The PostgreSQL connection of an open transaction is lost (at a publish's COMMIT; at a
//      timestamp refresh's COMMIT): a coded 503, the process stays up, nothing of the lost
//      transaction lingers in memory (regression tests of two fixes in src/registry).
//   4. SIGTERM while a publish is in flight: the publish completes or fails cleanly, exit code 0,
//      and new connections are refused meanwhile.
// No wall-clock thresholds: timeouts are hang guards only.
//
//   node --import tsx --test test/registry/scale.test.ts     (VIB3_PG_URL: use that cluster)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Updater } from 'tuf-js';
import { Metadata, MetadataKind, type MetaFile, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import { packFiles, readArchive, signPackage } from '../../src/extensions/index.js';
import { LOCKS } from '../../src/registry/db/database.js';
import { startRegistry } from '../../src/registry/server.js';
import { api, createPublisher, makePackage, publish, type TestPublisher } from './harness.js';
import { killAllServes, openPostgres, postgresUnavailable, startPgProxy, startServe, startUpload, type PgProxy, type Postgres, type ServeProcess, type Upload, type UploadResult } from './serve-process.js';

const MINUTE = 60_000;
/** Padding of the "large" packages: well inside the default 64 MiB limit. */
const LARGE = 24 * 1024 * 1024;
/** pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits). */
const TUF_LOCK = { classid: Math.floor(LOCKS.tuf / 2 ** 32), objid: LOCKS.tuf % 2 ** 32 };

const unavailable = await postgresUnavailable();
const work = mkdtempSync(join(tmpdir(), 'vib3-scale-'));
let postgres: Postgres | undefined;

before(async () => {
  if (!unavailable) postgres = await openPostgres();
});
after(async () => {
  await killAllServes();
  await postgres?.stop();
  rmSync(work, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const dataDir = (name: string) => {
  const dir = join(work, name);
  mkdirSync(dir);
  return dir;
};
const adminToken = (data: string) => readFileSync(join(data, 'admin.token'), 'utf8').trim();
const packagePath = (id: string, version: string) => `extensions/${id}/${version}.vib3x`;

/**
 * A signed package of about `LARGE` bytes. An archive entry is limited to 16 MiB, so the padding
 * is spread over several files: `makePackage` with one, then more added and the package re-signed.
 */
async function makeLargePackage(publisher: Pick<TestPublisher, 'keyId' | 'privateJwk'>, id: string, version: string): Promise<Uint8Array> {
  const PIECE = 12 * 1024 * 1024;
  const files = readArchive(await makePackage(publisher, { id, version, padding: PIECE }));
  for (let i = 2; i * PIECE <= LARGE; i++) files.set(`assets/padding-${i}.bin`, randomBytes(PIECE));
  return signPackage(packFiles(files), publisher.privateJwk);
}

let clients = 0;
/** A fresh stock tuf-js client that trusts DATA/root.json and talks to `base`. */
function tufClient(base: string, data: string): { updater: Updater; dir: string } {
  const dir = join(work, `client-${++clients}`);
  mkdirSync(join(dir, 'metadata'), { recursive: true });
  mkdirSync(join(dir, 'targets'), { recursive: true });
  copyFileSync(join(data, 'root.json'), join(dir, 'metadata', 'root.json'));
  return { updater: new Updater({ metadataBaseUrl: `${base}/tuf`, targetBaseUrl: `${base}/tuf/targets`, metadataDir: join(dir, 'metadata'), targetDir: join(dir, 'targets') }), dir };
}

/** Refreshes a fresh client and downloads each `path → bytes` through it, comparing byte for byte. */
async function downloadAllThroughTuf(base: string, data: string, expected: ReadonlyMap<string, Uint8Array>, absent: readonly string[] = []): Promise<void> {
  const { updater, dir } = tufClient(base, data);
  await updater.refresh();
  let n = 0;
  for (const [path, bytes] of expected) {
    const info = await updater.getTargetInfo(path);
    assert.ok(info, `${path} is a signed target`);
    assert.equal(info.length, bytes.length, `${path}: signed length`);
    const file = join(dir, `download-${++n}`);
    await updater.downloadTarget(info, file);
    const got = readFileSync(file);
    assert.ok(Buffer.compare(got, bytes) === 0, `${path}: downloaded ${got.length} bytes with sha256 ${sha256(got)}, published ${bytes.length} with ${sha256(bytes)}`);
    rmSync(file);
  }
  for (const path of absent) assert.equal(await updater.getTargetInfo(path), undefined, `${path} is not a signed target`);
  rmSync(dir, { recursive: true, force: true });
}

/** GET the package bytes over the plain API. */
async function packageBytes(base: string, id: string, version: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${base}/v1/extensions/${id}/${version}/package`);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Every stored snapshot and timestamp version, checked as one chain:
 * - snapshot versions are 1..S (strictly increasing, no duplicates, no gaps), each signed by the
 *   root's snapshot key, each listing only stored metadata versions with their exact length/hash,
 *   and no listed role ever goes back to an older version from one snapshot to the next;
 * - timestamp versions are 1..T, each signed by the timestamp key and pointing at a stored snapshot
 *   with its exact length and sha256, never at an older snapshot than the timestamp before it;
 * - every snapshot is served byte for byte as stored (`/tuf/N.snapshot.json`, alternating servers);
 * - walking the snapshots, each package target is added exactly once and never removed (no lost
 *   update); returns the package targets of the newest snapshot.
 */
async function checkTufHistory(database: string, servers: ReadonlyArray<{ url: string }>): Promise<{ snapshots: number; timestamps: number; targets: Map<string, { length: number; sha256: string }>; added: Map<string, number> }> {
  const rows = await withClient(database, async (c) => (await c.query<{ role: string; version: number; body: string }>('SELECT role, version, body FROM tuf_metadata ORDER BY role, version')).rows);
  const stored = new Map<string, Map<number, string>>();
  for (const r of rows) {
    if (!stored.has(r.role)) stored.set(r.role, new Map());
    stored.get(r.role)!.set(Number(r.version), r.body);
  }
  const versions = (role: string) => [...(stored.get(role)?.keys() ?? [])];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const roots = versions('root');
  const root = Metadata.fromJSON(MetadataKind.Root, JSON.parse(stored.get('root')!.get(Math.max(...roots))!)) as Metadata<Root>;

  const snapVersions = versions('snapshot');
  assert.deepEqual(snapVersions, range(snapVersions.length), 'snapshot versions are 1..N without gaps or duplicates');
  const checkMeta = (where: string, role: string, meta: MetaFile) => {
    const body = stored.get(role)?.get(meta.version);
    assert.ok(body !== undefined, `${where} lists ${role} v${meta.version}, which is not stored`);
    if (meta.length !== undefined) assert.equal(meta.length, Buffer.byteLength(body), `${where}: length of ${role} v${meta.version}`);
    if (meta.hashes?.sha256) assert.equal(meta.hashes.sha256, sha256(body), `${where}: sha256 of ${role} v${meta.version}`);
    return body;
  };
  const binTargets = new Map<string, Record<string, { length: number; sha256: string }>>(); // role@version → package targets
  const targetsOf = (role: string, version: number, body: string) => {
    const key = `${role}@${version}`;
    if (!binTargets.has(key)) {
      const md = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(body)) as Metadata<Targets>;
      const out: Record<string, { length: number; sha256: string }> = {};
      for (const [path, t] of Object.entries(md.signed.targets)) if (path.startsWith('extensions/')) out[path] = { length: t.length, sha256: t.hashes.sha256! };
      binTargets.set(key, out);
    }
    return binTargets.get(key)!;
  };
  const added = new Map<string, number>(); // package target → the snapshot that added it
  let current = new Map<string, { length: number; sha256: string }>();
  let previous: Snapshot | undefined;
  for (const n of snapVersions) {
    const text = stored.get('snapshot')!.get(n)!;
    const md = Metadata.fromJSON(MetadataKind.Snapshot, JSON.parse(text)) as Metadata<Snapshot>;
    assert.equal(md.signed.version, n, `the body of snapshot ${n} says version ${n}`);
    root.verifyDelegate('snapshot', md);
    const next = new Map<string, { length: number; sha256: string }>();
    for (const [file, meta] of Object.entries(md.signed.meta)) {
      const role = file.replace(/\.json$/, '');
      const body = checkMeta(`snapshot ${n}`, role, meta);
      if (previous) {
        const before = previous.meta[file];
        assert.ok(before === undefined || meta.version >= before.version, `snapshot ${n} lists ${file} v${meta.version}, older than v${before?.version} in snapshot ${n - 1}`);
      }
      if (role.startsWith('bin-')) for (const [path, t] of Object.entries(targetsOf(role, meta.version, body))) next.set(path, t);
    }
    if (previous) for (const file of Object.keys(previous.meta)) assert.ok(md.signed.meta[file], `snapshot ${n} dropped ${file}`);
    for (const path of current.keys()) assert.ok(next.has(path), `snapshot ${n} lost the target ${path}`);
    for (const [path, t] of next) {
      const was = current.get(path);
      if (was) assert.deepEqual(t, was, `snapshot ${n} changed the bytes of ${path}`);
      else {
        assert.ok(!added.has(path), `${path} added twice`);
        added.set(path, n);
      }
    }
    current = next;
    previous = md.signed;
  }

  const tsVersions = versions('timestamp');
  assert.deepEqual(tsVersions, range(tsVersions.length), 'timestamp versions are 1..N without gaps or duplicates');
  let lastSnapshot = 0;
  for (const n of tsVersions) {
    const md = Metadata.fromJSON(MetadataKind.Timestamp, JSON.parse(stored.get('timestamp')!.get(n)!)) as Metadata<Timestamp>;
    assert.equal(md.signed.version, n, `the body of timestamp ${n} says version ${n}`);
    root.verifyDelegate('timestamp', md);
    const meta = md.signed.snapshotMeta;
    checkMeta(`timestamp ${n}`, 'snapshot', meta);
    assert.ok(meta.version >= lastSnapshot, `timestamp ${n} points at snapshot ${meta.version}, older than ${lastSnapshot} of timestamp ${n - 1}`);
    lastSnapshot = meta.version;
  }
  assert.equal(lastSnapshot, snapVersions.length, 'the newest timestamp points at the newest snapshot');

  for (const n of snapVersions) {
    const server = servers[n % servers.length]!;
    const res = await fetch(`${server.url}/tuf/${n}.snapshot.json`);
    assert.equal(res.status, 200, `${server.url}/tuf/${n}.snapshot.json`);
    assert.equal(await res.text(), stored.get('snapshot')!.get(n), `${n}.snapshot.json is served as stored`);
  }
  return { snapshots: snapVersions.length, timestamps: tsVersions.length, targets: current, added };
}

describe('two vib3 registry serve processes on one PostgreSQL', { skip: unavailable || false }, () => {
  test('50 concurrent publishes over both servers all land, in one valid TUF chain a stock client follows', { timeout: 15 * MINUTE }, async () => {
    const data = dataDir('shared');
    const database = await postgres!.createDatabase();
    const a = await startServe({ data, database });
    // B starts after A initialised: same keys, root.json and admin token from the shared folder.
    const b = await startServe({ data, database });
    const servers = [a, b];
    try {
      const publisher = await createPublisher({ url: a.url, adminToken: adminToken(data) }, 'scale');
      const ids = ['com.scale.alpha', 'com.scale.beta', 'com.scale.gamma'];
      const packages = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const id = ids[i % ids.length]!;
          const version = `1.${i}.0`;
          return { id, version, bytes: await makePackage(publisher, { id, version }) };
        }),
      );
      const results = await Promise.all(packages.map((p, i) => publish(servers[i % 2]!.url, publisher.token, p.id, p.version, p.bytes)));
      const failures = results.map((r, i) => ({ r, p: packages[i]! })).filter(({ r }) => r.status !== 201);
      assert.deepEqual(
        failures.map(({ r, p }) => `${p.id}@${p.version}: ${r.status} ${JSON.stringify(r.body)}`),
        [],
        `every publish answers 201\n--- server A ---\n${a.output()}\n--- server B ---\n${b.output()}`,
      );

      for (const server of servers) {
        for (const id of ids) {
          const mine = packages.filter((p) => p.id === id).map((p) => p.version);
          const listing = await api(server.url, `/v1/extensions/${id}`);
          assert.equal(listing.status, 200);
          assert.deepEqual((listing.body.versions as Array<{ version: string }>).map((v) => v.version).sort(), [...mine].sort(), `${id} lists every version on ${server.url}`);
          const highest = mine.reduce((x, y) => (Number(y.split('.')[1]) > Number(x.split('.')[1]) ? y : x));
          assert.equal(listing.body.latest, highest, `${id}: latest`);
          assert.equal(listing.body.channels.stable, highest, `${id}: stable follows the highest release`);
        }
      }

      const history = await checkTufHistory(database, servers);
      const expected = new Map(packages.map((p) => [packagePath(p.id, p.version), p.bytes] as const));
      assert.deepEqual([...history.targets.keys()].sort(), [...expected.keys()].sort(), 'the newest snapshot lists exactly the 50 packages');
      for (const [path, bytes] of expected) assert.deepEqual(history.targets.get(path), { length: bytes.length, sha256: sha256(bytes) }, path);
      assert.equal(new Set(history.added.values()).size, 50, 'each publish added its package in a snapshot of its own');
      console.log(`# 50 publishes over 2 processes: ${history.snapshots} snapshot and ${history.timestamps} timestamp versions, one chain`);

      await downloadAllThroughTuf(b.url, data, expected);

      // The same id@version with different bytes through both servers at once: one wins, for good.
      for (let i = 0; i < 5; i++) {
        const version = `3.${i}.0`;
        const [mine, theirs] = await Promise.all([0, 1].map(() => makePackage(publisher, { id: ids[0]!, version, summary: `Race ${randomBytes(4).toString('hex')}.` })));
        const race = await Promise.all([publish(a.url, publisher.token, ids[0]!, version, mine!), publish(b.url, publisher.token, ids[0]!, version, theirs!)]);
        assert.deepEqual(race.map((r) => r.status).sort(), [201, 409], `racing ${version}: ${JSON.stringify(race.map((r) => r.body))}`);
        const loser = race.find((r) => r.status === 409)!;
        assert.equal(loser.body.error.code, 'VERSION_EXISTS');
        const winner = race[0]!.status === 201 ? mine! : theirs!;
        for (const server of servers) assert.ok(Buffer.compare((await packageBytes(server.url, ids[0]!, version)).bytes, winner) === 0, `${version}: the winner's bytes on ${server.url}`);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    for (const s of servers) assert.deepEqual(await s.exited, { code: 0, signal: null }, `SIGTERM stops ${s.url} with exit 0\n${s.output()}`);
  });
});

// ---------------------------------------------------------------------------------------------
// kill -9 in the middle of a publish.

/**
 * Where the server gets killed: `arm` runs the upload up to that point and resolves whether the
 * point was reached before the server answered (`false`: it answered first, the kill comes later).
 */
interface KillPoint {
  name: string;
  /** Needs a PostgreSQL to watch from outside (and the proxy in front of it). */
  postgresOnly?: boolean;
  /** The only outcome a transaction allows at this point (when it was reached). */
  expect?: 'present' | 'absent';
  arm(ctx: { upload: Upload; bytes: Uint8Array; data: string; database?: string; proxy?: PgProxy; id: string; version: string; verifyCommitMs: number }): Promise<boolean>;
}

/** Finishes the upload with the proxy armed at the publish transaction's COMMIT; resolves whether it was caught. */
async function catchCommit(upload: Upload, proxy: PgProxy, at: 'sent' | 'committed'): Promise<boolean> {
  const caught = proxy.arm(at, 'INSERT INTO versions');
  await upload.finish();
  const reached = await Promise.race([caught.then(() => true), upload.result.then(() => false)]);
  if (!reached) proxy.disarm();
  return reached;
}
const answeredYet = async (upload: Upload) => (await Promise.race([upload.result.then(() => true), sleep(0).then(() => false)]));

/** Polls `check` until it holds (or the upload ended, or a hang guard passes); resolves whether it held. */
async function until(check: () => boolean | Promise<boolean>, upload: Upload, guardMs = 5 * MINUTE): Promise<boolean> {
  let ended = false;
  void upload.result.then(() => (ended = true));
  const stop = Date.now() + guardMs;
  while (!ended && Date.now() < stop) {
    if (await check()) return true;
    await new Promise((done) => setImmediate(done)); // poll as tightly as the event loop allows
  }
  return false;
}

const blobFile = (data: string, bytes: Uint8Array) => {
  const h = sha256(bytes);
  return join(data, 'blobs', h.slice(0, 2), h.slice(2));
};

const KILL_POINTS: KillPoint[] = [
  {
    name: 'mid-upload (40% of the body sent)',
    arm: async ({ upload, bytes }) => {
      await upload.sendUntil(Math.floor(bytes.length * 0.4));
      return !(await answeredYet(upload));
    },
  },
  {
    name: 'upload just sent (server reading / verifying)',
    arm: async ({ upload }) => {
      await upload.finish();
      return !(await answeredYet(upload));
    },
  },
  {
    name: 'package blob stored (publish transaction about to start)',
    arm: async ({ upload, bytes, data }) => {
      await upload.finish();
      return until(() => existsSync(blobFile(data, bytes)), upload);
    },
  },
  {
    name: 'TUF advisory lock held (publish transaction open)',
    postgresOnly: true,
    arm: async ({ upload, database }) => {
      await upload.finish();
      return withClient(database!, (c) =>
        until(async () => (await c.query('SELECT 1 FROM pg_locks WHERE locktype = $1 AND granted AND classid = $2 AND objid = $3', ['advisory', TUF_LOCK.classid, TUF_LOCK.objid])).rows.length > 0, upload),
      );
    },
  },
  {
    name: 'COMMIT sent by the server, withheld from PostgreSQL',
    postgresOnly: true,
    expect: 'absent',
    arm: ({ upload, proxy }) => catchCommit(upload, proxy!, 'sent'),
  },
  {
    name: 'committed in PostgreSQL, acknowledgement withheld from the server',
    postgresOnly: true,
    expect: 'present',
    arm: ({ upload, proxy }) => catchCommit(upload, proxy!, 'committed'),
  },
  ...[0.5, 0.9].map<KillPoint>((f) => ({
    name: `upload sent + ${f} × the measured verify+commit time`,
    arm: async ({ upload, verifyCommitMs }) => {
      await upload.finish();
      await Promise.race([sleep(Math.round(verifyCommitMs * f)), upload.result]);
      return !(await answeredYet(upload));
    },
  })),
];

/** The extension versions a crash test keeps (published before any crash, or after one). */
type Kept = Map<string, Uint8Array>;

/**
 * After a restart: `version` is either all there (listed, downloadable byte for byte, a signed TUF
 * target) or not at all (404, not listed, not a target — and publishing it again succeeds). Earlier
 * versions stay intact and a fresh tuf-js client refreshes and downloads them. Returns what was seen.
 */
async function checkAfterCrash(server: ServeProcess, data: string, publisher: TestPublisher, id: string, version: string, bytes: Uint8Array, kept: Kept, answered: UploadResult): Promise<'present' | 'absent'> {
  const record = await api(server.url, `/v1/extensions/${id}/${version}`);
  const listing = await api(server.url, `/v1/extensions/${id}`);
  assert.equal(listing.status, 200, 'the extension is still listed');
  const listed = (listing.body.versions as Array<{ version: string }>).some((v) => v.version === version);
  const path = packagePath(id, version);
  let state: 'present' | 'absent';
  if (record.status === 200) {
    state = 'present';
    assert.ok(listed, `${version} has a record, so it is listed`);
    assert.equal(record.body.sha256, sha256(bytes));
    assert.equal(record.body.size, bytes.length);
    const got = await packageBytes(server.url, id, version);
    assert.equal(got.status, 200);
    assert.ok(Buffer.compare(got.bytes, bytes) === 0, `${version}: the package is served byte for byte`);
    await downloadAllThroughTuf(server.url, data, new Map([[path, bytes]]));
    // A client that lost the answer and retries finds the version taken; the bytes stay as they are.
    const retry = await publish(server.url, publisher.token, id, version, bytes);
    assert.equal(retry.status, 409, JSON.stringify(retry.body));
    assert.equal(retry.body.error.code, 'VERSION_EXISTS');
  } else {
    state = 'absent';
    assert.equal(record.status, 404, `${version}: ${record.status} ${JSON.stringify(record.body)}`);
    assert.ok('status' in answered ? answered.status !== 201 : true, 'a publish answered 201 is never lost');
    assert.ok(!listed, `${version} is not listed`);
    assert.equal((await packageBytes(server.url, id, version)).status, 404);
    const { updater } = tufClient(server.url, data);
    await updater.refresh();
    assert.equal(await updater.getTargetInfo(path), undefined, `${path} is not a signed target`);
    const again = await publish(server.url, publisher.token, id, version, bytes);
    assert.equal(again.status, 201, `publishing ${version} again: ${JSON.stringify(again.body)}`);
  }
  if ('status' in answered && answered.status === 201) assert.equal(state, 'present', 'a publish answered 201 is there after the crash');
  kept.set(version, bytes);
  // Earlier versions (and now this one) intact, over the API and through a fresh TUF client.
  for (const [v, b] of kept) {
    const got = await packageBytes(server.url, id, v);
    assert.equal(got.status, 200, `${id}@${v}`);
    assert.ok(Buffer.compare(got.bytes, b) === 0, `${id}@${v} intact byte for byte`);
  }
  await downloadAllThroughTuf(server.url, data, new Map([...kept].map(([v, b]) => [packagePath(id, v), b] as const)));
  return state;
}

/**
 * Runs the kill points against one registry: PostgreSQL when `pgDb` is set (the server reaches it
 * through `pgDb.proxy`; the test watches it at `pgDb.url`), else the embedded PGlite.
 */
async function crashLoop(label: string, points: readonly KillPoint[], pgDb?: { url: string; proxy: PgProxy }): Promise<string[]> {
  const data = dataDir(`crash-${label}`);
  const database = pgDb?.url;
  const serverDb = pgDb ? { database: pgDb.proxy.url } : {};
  let server = await startServe({ data, ...serverDb });
  const observed: string[] = [];
  try {
    const publisher = await createPublisher({ url: server.url, adminToken: adminToken(data) }, `crash${label}`);
    const id = `com.crash${label}.big`;
    const kept: Kept = new Map();
    for (const version of ['1.0.0', '1.0.1', '1.1.0-beta.1']) {
      const bytes = await makePackage(publisher, { id, version });
      assert.equal((await publish(server.url, publisher.token, id, version, bytes)).status, 201);
      kept.set(version, bytes);
    }
    // One large publish undisturbed: how long the server takes from the last byte to its answer
    // sets the time-based kill points (no assertion on it).
    const first = await makeLargePackage(publisher, id, '1.2.0');
    const warm = startUpload(server.url, publisher.token, id, '1.2.0', first);
    await warm.finish();
    const sentAt = Date.now();
    const warmResult = await warm.result;
    const verifyCommitMs = Date.now() - sentAt;
    assert.ok('status' in warmResult && warmResult.status === 201, `the undisturbed large publish: ${JSON.stringify(warmResult)}`);
    kept.set('1.2.0', first);
    observed.push(`undisturbed ${first.length} B publish: ${verifyCommitMs} ms from last byte to 201`);

    for (const [i, point] of points.entries()) {
      const version = `2.${i}.0`;
      const bytes = await makeLargePackage(publisher, id, version);
      const upload = startUpload(server.url, publisher.token, id, version, bytes);
      const reached = await point.arm({ upload, bytes, data, ...(pgDb ? { database, proxy: pgDb.proxy } : {}), id, version, verifyCommitMs });
      server.child.kill('SIGKILL');
      const exit = await server.exited;
      assert.equal(exit.signal, 'SIGKILL', `${point.name}: the server was killed`);
      const answered = await upload.result;
      if (!database) assert.ok(existsSync(join(data, 'db.lock')), 'kill -9 leaves the PGlite lock file behind');
      // Restart on the same database and folder (PGlite: takes over the dead process's lock).
      server = await startServe({ data, ...serverDb });
      const state = await checkAfterCrash(server, data, publisher, id, version, bytes, kept, answered);
      if (reached && point.expect) assert.equal(state, point.expect, `${point.name}: the transaction decides`);
      const seen = 'status' in answered ? `HTTP ${answered.status} before the kill` : `client saw ${answered.error}`;
      observed.push(`${point.name}: ${reached ? '' : '[not reached: the server answered first] '}${state} (${seen})`);
    }
    if (database) {
      const history = await checkTufHistory(database, [server]);
      observed.push(`${history.snapshots} snapshots, ${history.timestamps} timestamps after ${points.length} crashes: one valid chain`);
    }
  } finally {
    await server.stop();
  }
  assert.deepEqual(await server.exited, { code: 0, signal: null }, server.output());
  if (!database) assert.ok(!existsSync(join(data, 'db.lock')), 'a clean stop releases the PGlite lock');
  return observed;
}

describe('kill -9 during a large publish', () => {
  test('PostgreSQL: after a restart the version is all there or absent; TUF valid; earlier versions intact', { skip: unavailable || false, timeout: 30 * MINUTE }, async () => {
    const url = await postgres!.createDatabase();
    const proxy = await startPgProxy(url);
    try {
      const observed = await crashLoop('pg', KILL_POINTS, { url, proxy });
      console.log(observed.map((o) => `# [postgres] ${o}`).join('\n'));
    } finally {
      await proxy.close();
    }
  });

  test('embedded PGlite: the same, and the restarted server takes over the dead process\'s db.lock', { timeout: 30 * MINUTE }, async () => {
    // PGlite runs inside the server: no lock to watch and no connection to proxy from outside.
    const points = KILL_POINTS.filter((p) => !p.postgresOnly);
    const observed = await crashLoop('lite', points);
    console.log(observed.map((o) => `# [pglite] ${o}`).join('\n'));
  });
});

// ---------------------------------------------------------------------------------------------
// The PostgreSQL connection of an open transaction is lost (PostgreSQL restarted, a backend
// terminated, a network cut): the request fails with a coded 503, the process stays up, and no
// in-memory state of the failed transaction outlives it.

describe('PostgreSQL connection lost in the middle of a transaction', { skip: unavailable || false }, () => {
  test('at a publish\'s COMMIT: the server answers 503 DATABASE_UNREACHABLE, keeps serving, and the version is all there or absent', { timeout: 15 * MINUTE }, async () => {
    const data = dataDir('dropped');
    const url = await postgres!.createDatabase();
    const proxy = await startPgProxy(url);
    const server = await startServe({ data, database: proxy.url });
    try {
      const publisher = await createPublisher({ url: server.url, adminToken: adminToken(data) }, 'dropped');
      const id = 'com.dropped.conn';
      const kept: Kept = new Map();
      const first = await makePackage(publisher, { id, version: '1.0.0' });
      assert.equal((await publish(server.url, publisher.token, id, '1.0.0', first)).status, 201);
      kept.set('1.0.0', first);
      for (const [version, at, expect] of [['1.1.0', 'sent', 'absent'], ['1.2.0', 'committed', 'present']] as const) {
        const bytes = await makePackage(publisher, { id, version });
        const caught = proxy.arm(at, 'INSERT INTO versions', 'drop');
        const res = await publish(server.url, publisher.token, id, version, bytes);
        await caught;
        assert.equal(res.status, 503, `${version}: ${JSON.stringify(res.body)}\n${server.output()}`);
        assert.equal(res.body.error.code, 'DATABASE_UNREACHABLE');
        assert.equal(server.child.exitCode, null, `the server process survives the lost connection\n${server.output()}`);
        assert.equal((await api(server.url, '/healthz')).status, 200);
        // COMMIT withheld: rolled back. COMMIT done but its answer lost: the 503 was pessimistic.
        const state = await checkAfterCrash(server, data, publisher, id, version, bytes, kept, res);
        assert.equal(state, expect, version);
      }
      const history = await checkTufHistory(url, [server]);
      console.log(`# connection dropped at COMMIT (sent → absent, committed → present): ${history.snapshots} snapshots, one valid chain`);
    } finally {
      await server.stop();
      await proxy.close();
    }
    assert.deepEqual(await server.exited, { code: 0, signal: null }, server.output());
  });

  test('at a timestamp refresh\'s COMMIT: later publishes build on what was committed, not on the lost versions (in-process: the clock is injected)', { timeout: 15 * MINUTE }, async () => {
    const data = dataDir('lost-refresh');
    const url = await postgres!.createDatabase();
    const proxy = await startPgProxy(url);
    let clock = Date.now();
    const registry = await startRegistry({ port: 0, dataDir: data, database: proxy.url, now: () => new Date(clock), log: () => undefined });
    try {
      const publisher = await createPublisher(registry, 'refresh');
      const id = 'com.refresh.lost';
      const published = new Map<string, Uint8Array>();
      const put = async (version: string) => {
        const bytes = await makePackage(publisher, { id, version });
        const res = await publish(registry.url, publisher.token, id, version, bytes);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        published.set(packagePath(id, version), bytes);
      };
      await put('1.0.0');
      // Five days later the snapshot and the timestamp are due: the refresh signs new versions,
      // and its COMMIT is lost with the connection.
      clock += 5 * 24 * 3600_000;
      const caught = proxy.arm('sent', 'INSERT INTO tuf_metadata', 'drop');
      await assert.rejects(registry.context.tuf.refreshTimestamp(registry.context.db), /DATABASE_UNREACHABLE|cannot reach PostgreSQL/);
      await caught;
      // The lost versions' numbers are taken by the next publishes, with other bytes.
      for (const version of ['1.1.0', '1.2.0', '1.3.0-beta.1']) await put(version);
      await checkTufHistory(url, [registry]);
      await downloadAllThroughTuf(registry.url, data, published);
    } finally {
      await registry.close();
      await proxy.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// SIGTERM while a publish is in flight.

/** Whether a new TCP connection to the server's port is refused (it stopped listening). */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

const SIGTERM_CASES = [
  { name: 'while the body is streaming', pauseMs: 0 },
  { name: 'right after the body was sent', pauseMs: -1 },
  // Longer than the CLI's 5 s grace after a signal: the publish may be cut off, never half done.
  { name: 'while a slow client still streams 6 s later', pauseMs: 6000 },
] as const;

describe('SIGTERM during a publish', { skip: unavailable || false }, () => {
  for (const [n, when] of SIGTERM_CASES.entries()) {
    test(`PostgreSQL, ${when.name}: the publish completes or fails cleanly, and the process exits 0`, { timeout: 15 * MINUTE }, async () => {
      const data = dataDir(`term-${n}`);
      const database = await postgres!.createDatabase();
      let server = await startServe({ data, database });
      const publisher = await createPublisher({ url: server.url, adminToken: adminToken(data) }, 'graceful');
      const id = 'com.graceful.big';
      const small = await makePackage(publisher, { id, version: '1.0.0' });
      assert.equal((await publish(server.url, publisher.token, id, '1.0.0', small)).status, 201);
      const bytes = await makeLargePackage(publisher, id, '2.0.0');
      const upload = startUpload(server.url, publisher.token, id, '2.0.0', bytes);
      let refusedMidPublish: boolean | undefined;
      if (when.pauseMs >= 0) {
        await upload.sendUntil(Math.floor(bytes.length / 2));
        server.child.kill('SIGTERM');
        // It stops accepting connections while the publish in flight goes on.
        refusedMidPublish = await until(() => refusesConnections(server.url), upload, MINUTE);
        if (when.pauseMs > 0) await Promise.race([sleep(when.pauseMs), upload.result]);
        await upload.finish();
      } else {
        await upload.finish();
        server.child.kill('SIGTERM');
      }
      const answered = await upload.result;
      const exit = await server.stop('SIGTERM', 5 * MINUTE); // already signalled: only waits (SIGKILL is a hang guard)
      assert.deepEqual(exit, { code: 0, signal: null }, `exit status after SIGTERM\n${server.output()}`);
      assert.ok(await refusesConnections(server.url), 'nothing listens after the exit');
      if (when.pauseMs >= 0) assert.ok(refusedMidPublish, 'new connections are refused while the publish in flight finishes');
      // "Cleanly": an HTTP answer (201, or a coded error), or a dropped connection when the process
      // ran out of grace; either way the version is all there or absent after a restart.
      if ('status' in answered && answered.status !== 201) assert.ok(answered.body?.error?.code, `a coded error: ${JSON.stringify(answered.body)}`);
      server = await startServe({ data, database });
      try {
        const kept: Kept = new Map([['1.0.0', small]]);
        const state = await checkAfterCrash(server, data, publisher, id, '2.0.0', bytes, kept, answered);
        console.log(`# SIGTERM ${when.name}: ${'status' in answered ? `HTTP ${answered.status}` : `client saw ${answered.error}`}; version ${state} after restart${refusedMidPublish ? '; new connections were refused meanwhile' : ''}`);
      } finally {
        await server.stop();
      }
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    });
  }
});
