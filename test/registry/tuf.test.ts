// Over ~400 lines on purpose: one PGlite (seconds to start) and one loopback TUF server shared by
// every attack and rotation test.
/**
 * The TUF repository engine against a STOCK tuf-js client over real HTTP (loopback), on in-memory
 * PGlite. One PGlite for the file; each suite gets its own PostgreSQL schema (a fresh repository).
 *
 *   node --import tsx --test test/registry/tuf.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Updater } from 'tuf-js';
import type { Database, Queryable } from '../../src/registry/db/database.js';
import { RegistryError } from '../../src/registry/errors.js';
import {
  draftRoot,
  keysInit,
  keysRotate,
  signRoot,
  TUF_MIGRATION_SQL,
  TufRepository,
  targetUrlPath,
  type TargetChange,
  type TufRepositoryOptions,
} from '../../src/registry/tuf/index.js';

// ---------------------------------------------------------------- database: one PGlite, a schema per suite

let pglite: PGlite;
let queue: Promise<unknown> = Promise.resolve();
/** PGlite is one connection: every statement / transaction of every schema takes turns. */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}
let schemas = 0;

async function freshDatabase(): Promise<Database> {
  const schema = `tuf_test_${++schemas}`;
  const raw: Queryable = {
    query: async <T,>(sql: string, params?: unknown[]) => ({ rows: (await pglite.query(sql, params)).rows as T[] }),
  };
  const enter = () => pglite.exec(`SET search_path TO ${schema}`);
  await exclusive(async () => {
    await pglite.exec(`CREATE SCHEMA ${schema}`);
    await enter();
    await pglite.exec(TUF_MIGRATION_SQL);
  });
  return {
    kind: 'pglite',
    query: (sql, params) => exclusive(async () => (await enter(), raw.query(sql, params))),
    transaction: (fn) =>
      exclusive(async () => {
        await enter();
        await pglite.exec('BEGIN');
        try {
          const out = await fn(raw);
          await pglite.exec('COMMIT');
          return out;
        } catch (err) {
          await pglite.exec('ROLLBACK');
          throw err;
        }
      }),
    close: async () => undefined,
  } as Database;
}

before(async () => {
  pglite = new PGlite();
  await pglite.waitReady;
});
after(async () => {
  await pglite.close();
});

const temps: string[] = [];
async function tempDir(tag: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `vib3-tuf-${tag}-`));
  temps.push(dir);
  return dir;
}
after(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------- a registry: repository + blobs + HTTP

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Uint8Array | string) => createHash('sha512').update(b).digest('hex');

/** What a hostile server may answer instead of the repository (undefined: the honest answer). */
type Override = (file: string, honest: string | undefined) => string | 'endless' | undefined;

interface Registry {
  db: Database;
  repo: TufRepository;
  keyDir: string;
  blobs: Map<string, Uint8Array>;
  base: string;
  root1: string;
  override: Override | undefined;
  /** Sets the clock of the repository (ms since epoch). */
  clock: { now: number };
  publish(path: string, bytes: Uint8Array | string, custom?: Record<string, unknown>): Promise<void>;
  change(changes: TargetChange[]): ReturnType<TufRepository['updateTargets']>;
  close(): Promise<void>;
}

async function startRegistry(options: Partial<TufRepositoryOptions> = {}, tag = 'repo'): Promise<Registry> {
  const db = await freshDatabase();
  const keyDir = options.keyDir ?? join(await tempDir(tag), 'keys');
  const clock = { now: Date.now() };
  const repo = await TufRepository.open({ bins: 16, now: () => new Date(clock.now), ...options, db, keyDir });
  const root1 = await repo.init();
  const blobs = new Map<string, Uint8Array>();
  const reg = { db, repo, keyDir, blobs, root1, clock, override: undefined as Override | undefined } as Registry;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path.startsWith('/tuf/targets/')) {
        const info = await repo.targetForUrl(db, path.slice('/tuf/targets/'.length));
        const bytes = info && blobs.get(info.sha256);
        if (!bytes) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      }
      if (!path.startsWith('/tuf/')) return void res.writeHead(404).end();
      const file = path.slice('/tuf/'.length);
      if (file === 'timestamp.json') await repo.refreshTimestamp(db);
      const honest = await repo.metadata(db, file);
      const answer = reg.override?.(file, honest) ?? honest;
      if (answer === undefined) return void res.writeHead(404).end();
      if (answer === 'endless') return endless(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    })().catch((err) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  reg.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  reg.change = (changes) => db.transaction(async (tx) => {
    // As the publish code does: the lock first, then its own writes, then the TUF update.
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [0x56_49_42_33_02]);
    return repo.updateTargets(tx, changes);
  });
  reg.publish = async (path, data, custom) => {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    blobs.set(sha256(bytes), bytes);
    await reg.change([{ path, length: bytes.length, sha256: sha256(bytes), sha512: sha512(bytes), ...(custom ? { custom } : {}) }]);
  };
  reg.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return reg;
}

/** Streams whitespace until the client hangs up (bounded at 64 MiB so a broken client cannot hang the test). */
function endless(res: import('node:http').ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < 64 * 1024 * 1024 && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => (sent = Infinity));
  pump();
}

// ---------------------------------------------------------------- a stock tuf-js client

class Client {
  private constructor(
    readonly metadataDir: string,
    readonly targetDir: string,
    private readonly base: string,
  ) {}

  static async trusting(reg: Registry, rootText = reg.root1): Promise<Client> {
    const dir = await tempDir('client');
    const metadataDir = join(dir, 'metadata');
    const targetDir = join(dir, 'targets');
    await mkdir(metadataDir);
    await mkdir(targetDir);
    await writeFile(join(metadataDir, 'root.json'), rootText);
    return new Client(metadataDir, targetDir, reg.base);
  }

  /** A new Updater per run, as an installer process would create (reference time = now). */
  updater(): Updater {
    return new Updater({
      metadataDir: this.metadataDir,
      metadataBaseUrl: `${this.base}/tuf/`,
      targetDir: this.targetDir,
      targetBaseUrl: `${this.base}/tuf/targets/`,
      config: { fetchRetry: 0 },
    });
  }

  async refresh(): Promise<Updater> {
    const u = this.updater();
    await u.refresh();
    return u;
  }

  /** Refreshes, then downloads `path`; `undefined` when the repository has no such target. */
  async download(path: string, u?: Updater): Promise<Buffer | undefined> {
    u ??= await this.refresh();
    const info = await u.getTargetInfo(path);
    if (!info) return undefined;
    return readFile(await u.downloadTarget(info, join(this.targetDir, `${sha256(path)}.bin`)));
  }

  /** The version of a role in the client's trusted (persisted) metadata. */
  async trusted(role: string): Promise<number> {
    return JSON.parse(await readFile(join(this.metadataDir, `${role}.json`), 'utf8')).signed.version;
  }
}

function errorMatching(pattern: RegExp, className?: string) {
  return (err: unknown) => {
    const e = err as Error;
    if (className) assert.equal(e.constructor.name, className, `${e.constructor.name}: ${e.message}`);
    assert.match(`${e.constructor.name}: ${e.message}`, pattern);
    return true;
  };
}

const signed = (text: string | undefined) => JSON.parse(text!).signed;

// ================================================================ tests

describe('repository layout and a stock tuf-js client', () => {
  let reg: Registry;
  const files = new Map<string, Uint8Array>();
  before(async () => {
    reg = await startRegistry({}, 'layout');
    for (let i = 0; i < 24; i++) {
      const id = `com.example.ext${i}`;
      const pkg = new TextEncoder().encode(`package ${id} 1.0.${i} `.repeat(10 + i));
      files.set(`extensions/${id}/1.0.${i}.vib3x`, pkg);
      await reg.publish(`extensions/${id}/1.0.${i}.vib3x`, pkg, { kind: 'package', size: pkg.length });
      const channels = new TextEncoder().encode(JSON.stringify({ stable: `1.0.${i}`, beta: null, canary: null }));
      files.set(`channels/${id}.json`, channels);
      await reg.publish(`channels/${id}.json`, channels);
    }
  });
  after(() => reg.close());

  it('init wrote root v1 (consistent snapshots, ed25519 keys) and 0600 key files, and is idempotent', async () => {
    const root = signed(reg.root1);
    assert.equal(root._type, 'root');
    assert.equal(root.version, 1);
    assert.equal(root.consistent_snapshot, true);
    assert.match(root.spec_version, /^1\.0\.\d+$/);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) {
      const [keyId] = root.roles[role].keyids;
      assert.deepEqual(Object.keys(root.keys[keyId]).sort(), ['keytype', 'keyval', 'scheme']);
      assert.equal(root.keys[keyId].keytype, 'ed25519');
      const pub = root.keys[keyId].keyval.public;
      assert.match(pub, /^[0-9a-f]{64}$/);
      assert.equal(sha256(`{"keytype":"ed25519","keyval":{"public":"${pub}"},"scheme":"ed25519"}`), keyId);
      assert.equal((await stat(join(reg.keyDir, `${role}.jwk`))).mode & 0o777, 0o600);
    }
    // Lifetimes by the repository's clock: timestamp a day (freeze window), snapshot a week, root a year.
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const snap = signed(await reg.repo.metadata(reg.db, `${ts.meta['snapshot.json'].version}.snapshot.json`));
    const lifetime = (expires: string) => Math.round((new Date(expires).getTime() - reg.clock.now) / 3600_000);
    assert.deepEqual([lifetime(ts.expires), lifetime(snap.expires), lifetime(root.expires)], [24, 7 * 24, 365 * 24]);
    assert.match(ts.expires, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(await reg.repo.init(), reg.root1);
    assert.equal(await reg.repo.metadata(reg.db, '1.root.json'), reg.root1);
    assert.equal(await reg.repo.metadata(reg.db, 'root.json'), reg.root1);
    assert.equal(await reg.repo.metadata(reg.db, '2.root.json'), undefined);
    for (const bad of ['1.timestamp.json', 'snapshot.json', '0.targets.json', '../1.root.json', '1.Root.json', '99999999999.targets.json']) {
      assert.equal(await reg.repo.metadata(reg.db, bad), undefined, bad);
    }
  });

  it('the top-level targets only delegates, to 16 hashed bins (path_hash_prefixes, terminating)', async () => {
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const snap = signed(await reg.repo.metadata(reg.db, `${ts.meta['snapshot.json'].version}.snapshot.json`));
    const top = signed(await reg.repo.metadata(reg.db, `${snap.meta['targets.json'].version}.targets.json`));
    assert.deepEqual(top.targets, {});
    assert.equal(top.delegations.roles.length, 16);
    const prefixes = top.delegations.roles.flatMap((r: { path_hash_prefixes: string[]; terminating: boolean }) => (assert.equal(r.terminating, true), r.path_hash_prefixes));
    assert.deepEqual(prefixes.sort(), [...'0123456789abcdef']);
    // Every target sits in the bin its path hash selects, and only there.
    for (const path of files.keys()) {
      const bin = top.delegations.roles.find((r: { path_hash_prefixes: string[] }) => r.path_hash_prefixes.includes(sha256(path)[0]!)).name;
      const binMd = signed(await reg.repo.metadata(reg.db, `${snap.meta[`${bin}.json`].version}.${bin}.json`));
      assert.ok(binMd.targets[path], `${path} in ${bin}`);
      assert.deepEqual(Object.keys(binMd.targets[path].hashes), ['sha256', 'sha512']);
    }
  });

  it('one publish re-signs exactly one bin, the snapshot and the timestamp', async () => {
    const tsMd = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const before = signed(await reg.repo.metadata(reg.db, `${tsMd.meta['snapshot.json'].version}.snapshot.json`));
    const tsBefore = tsMd.version;
    const result = await reg.change([{ path: 'extensions/com.example.one/2.0.0.vib3x', length: 3, sha256: sha256('one') }]);
    reg.blobs.set(sha256('one'), new TextEncoder().encode('one'));
    files.set('extensions/com.example.one/2.0.0.vib3x', new TextEncoder().encode('one'));
    assert.equal(Object.keys(result.bins).length, 1);
    assert.equal(result.targets, undefined);
    assert.equal(result.timestamp, tsBefore + 1);
    const after = signed(await reg.repo.metadata(reg.db, `${result.snapshot}.snapshot.json`));
    const changed = Object.keys(after.meta).filter((f) => after.meta[f].version !== before.meta[f].version);
    assert.deepEqual(changed, [`${Object.keys(result.bins)[0]}.json`]);
  });

  it('refreshes from 1.root.json and downloads every target with the bytes published', async () => {
    const client = await Client.trusting(reg);
    const u = await client.refresh();
    for (const [path, bytes] of files) assert.deepEqual(new Uint8Array((await client.download(path, u))!), bytes, path);
    assert.equal(await client.download('extensions/com.example.none/1.0.0.vib3x', u), undefined);
    assert.deepEqual((await u.getTargetInfo('extensions/com.example.ext3/1.0.3.vib3x'))!.custom, { kind: 'package', size: files.get('extensions/com.example.ext3/1.0.3.vib3x')!.length });
  });

  it('a moved channel is seen by the next refresh; the old content stays addressable; a removed target is gone', async () => {
    const client = await Client.trusting(reg);
    const path = 'channels/com.example.ext1.json';
    const old = files.get(path)!;
    assert.deepEqual(new Uint8Array((await client.download(path))!), old);
    const moved = JSON.stringify({ stable: '1.0.1', beta: '1.1.0', canary: null });
    await reg.publish(path, moved);
    assert.equal((await client.download(path))!.toString(), moved);
    assert.deepEqual(await reg.repo.targetForUrl(reg.db, targetUrlPath(path, sha256(old))), { path, length: old.length, sha256: sha256(old), sha512: sha512(old) });
    assert.equal((await reg.repo.targetForUrl(reg.db, `channels/${sha512(moved)}.com.example.ext1.json`))?.sha256, sha256(moved));
    assert.equal(await reg.repo.targetForUrl(reg.db, `channels/${sha256('nope')}.com.example.ext1.json`), undefined);
    assert.equal(await reg.repo.targetForUrl(reg.db, 'channels/com.example.ext1.json'), undefined);
    assert.deepEqual(await reg.repo.target(reg.db, path), { length: moved.length, sha256: sha256(moved), sha512: sha512(moved) });

    await reg.change([{ path: 'extensions/com.example.ext2/1.0.2.vib3x', remove: true }]);
    assert.equal(await client.download('extensions/com.example.ext2/1.0.2.vib3x'), undefined);
    assert.equal(await reg.repo.target(reg.db, 'extensions/com.example.ext2/1.0.2.vib3x'), undefined);
  });

  it('refuses invalid changes and writes nothing', async () => {
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json')).version;
    const bad: TargetChange[] = [
      { path: '../etc/passwd', length: 1, sha256: sha256('x') },
      { path: 'extensions//x.vib3x', length: 1, sha256: sha256('x') },
      { path: 'extensions/a/1.vib3x', length: -1, sha256: sha256('x') },
      { path: 'extensions/a/1.vib3x', length: 1, sha256: sha256('x').toUpperCase() },
      { path: 'extensions/a/1.vib3x', length: 1, sha256: sha256('x'), sha512: 'abc' },
      { path: 'extensions/a/1.vib3x', length: 1, sha256: sha256('x'), custom: { ratio: 0.5 } },
    ];
    for (const change of bad) {
      await assert.rejects(reg.change([{ path: 'extensions/ok/1.vib3x', length: 1, sha256: sha256('x') }, change]), (err) => err instanceof RegistryError && err.code === 'TUF_INVALID_TARGET');
    }
    assert.equal(await reg.repo.target(reg.db, 'extensions/ok/1.vib3x'), undefined);
    assert.equal(signed(await reg.repo.metadata(reg.db, 'timestamp.json')).version, ts);
  });

  it('20 concurrent updateTargets transactions: strictly increasing versions, one consistent final snapshot', async () => {
    const tsBefore = signed(await reg.repo.metadata(reg.db, 'timestamp.json')).version;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const bytes = `concurrent ${i}`;
        reg.blobs.set(sha256(bytes), new TextEncoder().encode(bytes));
        files.set(`extensions/com.example.c${i}/1.0.0.vib3x`, new TextEncoder().encode(bytes));
        return reg.change([{ path: `extensions/com.example.c${i}/1.0.0.vib3x`, length: bytes.length, sha256: sha256(bytes) }]);
      }),
    );
    const byTs = [...results].sort((a, b) => a.timestamp - b.timestamp);
    assert.deepEqual(byTs.map((r) => r.timestamp), Array.from({ length: 20 }, (_, i) => tsBefore + 1 + i));
    for (let i = 1; i < byTs.length; i++) assert.ok(byTs[i]!.snapshot > byTs[i - 1]!.snapshot);
    // The final snapshot lists, for every bin, the newest version stored.
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    assert.equal(ts.version, tsBefore + 20);
    const snap = signed(await reg.repo.metadata(reg.db, `${ts.meta['snapshot.json'].version}.snapshot.json`));
    for (const [file, meta] of Object.entries(snap.meta) as Array<[string, { version: number }]>) {
      const role = file.slice(0, -5);
      assert.notEqual(await reg.repo.metadata(reg.db, `${meta.version}.${role}.json`), undefined);
      assert.equal(await reg.repo.metadata(reg.db, `${meta.version + 1}.${role}.json`), undefined, `${role} newer than snapshot`);
    }
    const client = await Client.trusting(reg);
    const u = await client.refresh();
    for (const [path, bytes] of files) {
      if (path === 'extensions/com.example.ext2/1.0.2.vib3x' || path.startsWith('channels/com.example.ext1.')) continue;
      assert.deepEqual(new Uint8Array((await client.download(path, u))!), bytes, path);
    }
  });

  it('prune drops superseded versions, keeps the newest of each role and every root', async () => {
    const client = await Client.trusting(reg);
    await client.refresh();
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const oldSnapshot = ts.meta['snapshot.json'].version - 3;
    assert.notEqual(await reg.repo.metadata(reg.db, `${oldSnapshot}.snapshot.json`), undefined);
    const removed = await reg.repo.prune(reg.db, { olderThan: new Date(reg.clock.now + 1000) });
    assert.ok(removed > 0);
    assert.equal(await reg.repo.metadata(reg.db, `${oldSnapshot}.snapshot.json`), undefined);
    assert.equal(await reg.repo.metadata(reg.db, '1.root.json'), reg.root1);
    await reg.publish('extensions/com.example.after-prune/1.0.0.vib3x', 'after prune');
    assert.equal((await client.download('extensions/com.example.after-prune/1.0.0.vib3x'))!.toString(), 'after prune');
  });
});

describe('hostile servers: the client refuses, the repository gives it what it needs to', () => {
  let reg: Registry;
  const path = 'extensions/com.example.victim/1.0.0.vib3x';
  before(async () => {
    reg = await startRegistry({}, 'hostile');
    for (let i = 0; i < 5; i++) await reg.publish(`extensions/com.example.victim/1.0.${i}.vib3x`, `victim ${i}`);
  });
  after(() => reg.close());
  const reset = () => (reg.override = undefined);

  it('rollback: an older, validly signed timestamp is refused after a newer one', async () => {
    const client = await Client.trusting(reg);
    const oldTimestamp = await reg.repo.metadata(reg.db, 'timestamp.json');
    await reg.publish('extensions/com.example.victim/2.0.0.vib3x', 'victim 2');
    await client.refresh();
    assert.ok((await client.trusted('timestamp')) > signed(oldTimestamp).version);
    reg.override = (file) => (file === 'timestamp.json' ? oldTimestamp : undefined);
    try {
      await assert.rejects(client.refresh(), errorMatching(/less than current version/, 'BadVersionError'));
    } finally {
      reset();
    }
    await client.refresh();
  });

  it('rollback: an older snapshot (or one listing older bins) is refused', async () => {
    const client = await Client.trusting(reg);
    await client.refresh();
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const older = await reg.repo.metadata(reg.db, `${ts.meta['snapshot.json'].version - 1}.snapshot.json`);
    await reg.publish('extensions/com.example.victim/3.0.0.vib3x', 'victim 3');
    reg.override = (file) => (/^\d+\.snapshot\.json$/.test(file) ? older : undefined);
    try {
      await assert.rejects(client.refresh(), errorMatching(/Unable to load snapshot metadata.*Expected (length|hash)/s));
    } finally {
      reset();
    }
    await client.refresh();
  });

  it('mix-and-match: a bin that is not the version the snapshot lists is refused', async () => {
    const bins = await reg.change([{ path: 'extensions/com.example.victim/1.0.0.vib3x', length: 8, sha256: sha256('victim 0'), custom: { touched: 1 } }]);
    const [bin, version] = Object.entries(bins.bins)[0]!;
    const previous = await reg.repo.metadata(reg.db, `${version - 1}.${bin}.json`);
    assert.ok(previous);
    reg.override = (file) => (file === `${version}.${bin}.json` ? previous : undefined);
    try {
      const client = await Client.trusting(reg);
      await assert.rejects(client.download(path), errorMatching(/Unable to load targets.*(Expected (length|hash)|Max length reached)/s));
    } finally {
      reset();
    }
    const client = await Client.trusting(reg);
    assert.equal((await client.download(path))!.toString(), 'victim 0');
  });

  it('a forged snapshot (a bin entry edited back to an older version) is refused', async () => {
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const text = (await reg.repo.metadata(reg.db, `${ts.meta['snapshot.json'].version}.snapshot.json`))!;
    const md = JSON.parse(text);
    const [file] = Object.keys(md.signed.meta).filter((f) => f !== 'targets.json' && md.signed.meta[f].version > 1);
    md.signed.meta[file!] = { version: md.signed.meta[file!].version - 1 };
    const forged = JSON.stringify(md);
    reg.override = (f) => (/^\d+\.snapshot\.json$/.test(f) ? forged : undefined);
    try {
      const client = await Client.trusting(reg);
      await assert.rejects(client.refresh(), errorMatching(/Unable to load snapshot metadata/));
    } finally {
      reset();
    }
  });

  it('target bytes altered in storage are refused (same length, and longer)', async () => {
    const client = await Client.trusting(reg);
    const u = await client.refresh();
    const info = (await u.getTargetInfo(path))!;
    const good = reg.blobs.get(info.hashes.sha256!)!;
    reg.blobs.set(info.hashes.sha256!, new TextEncoder().encode('victim X'));
    try {
      await assert.rejects(u.downloadTarget(info, join(client.targetDir, 'x')), errorMatching(/hash/i, 'LengthOrHashMismatchError'));
      reg.blobs.set(info.hashes.sha256!, new TextEncoder().encode('victim 0 and then some'));
      await assert.rejects(u.downloadTarget(info, join(client.targetDir, 'x')), errorMatching(/Max length reached/, 'DownloadLengthMismatchError'));
    } finally {
      reg.blobs.set(info.hashes.sha256!, good);
    }
    assert.equal((await readFile(await u.downloadTarget(info, join(client.targetDir, 'x')))).toString(), 'victim 0');
  });

  it('endless data: timestamp, snapshot and bins are cut off at their limits (declared lengths)', async () => {
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    const snapshotText = (await reg.repo.metadata(reg.db, `${ts.meta['snapshot.json'].version}.snapshot.json`))!;
    // The repository declares exact lengths, so the client's limit is the real size, not a default.
    assert.equal(ts.meta['snapshot.json'].length, Buffer.byteLength(snapshotText));
    assert.equal(ts.meta['snapshot.json'].hashes.sha256, sha256(snapshotText));
    for (const [file, m] of Object.entries(signed(snapshotText).meta) as Array<[string, { version: number; length: number; hashes: { sha256: string } }]>) {
      const body = (await reg.repo.metadata(reg.db, `${m.version}.${file}`))!;
      assert.equal(m.length, Buffer.byteLength(body), file);
      assert.equal(m.hashes.sha256, sha256(body), file);
    }
    const attacks: Array<[string, RegExp, RegExp]> = [
      ['timestamp', /^timestamp\.json$/, /Max length reached/],
      ['snapshot', /^\d+\.snapshot\.json$/, /Unable to load snapshot metadata.*Max length reached/s],
      ['targets', /^\d+\.targets\.json$/, /Unable to load targets.*Max length reached/s],
      ['bin', /^\d+\.bin-[0-9a-f]+\.json$/, /Unable to load targets.*Max length reached/s],
    ];
    for (const [name, files, expected] of attacks) {
      reg.override = (file) => (files.test(file) ? 'endless' : undefined);
      try {
        const client = await Client.trusting(reg);
        await assert.rejects(client.download(path), errorMatching(expected), name);
      } finally {
        reset();
      }
    }
    // A snapshot padded by one byte (still valid JSON, same signature) is refused too.
    reg.override = (file) => (/^\d+\.snapshot\.json$/.test(file) ? `${snapshotText} ` : undefined);
    try {
      await assert.rejects((await Client.trusting(reg)).refresh(), errorMatching(/Max length reached|Expected length/));
    } finally {
      reset();
    }
  });
});

describe('freeze: short-lived timestamp, refreshTimestamp', () => {
  const DAY = 86_400_000;
  let reg: Registry;
  before(async () => {
    reg = await startRegistry({ expiry: { timestamp: 3600, snapshot: 4 * 3600 }, refreshBefore: { timestamp: 1800, snapshot: 3600 } }, 'freeze');
    reg.clock.now = Date.now() - 2 * DAY; // the repository's last word is two days old
    await reg.publish('extensions/com.example.frozen/1.0.0.vib3x', 'frozen');
  });
  after(() => reg.close());

  it('an expired timestamp (replayed or never refreshed) is refused', async () => {
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    assert.ok(new Date(ts.expires).getTime() < Date.now());
    const client = await Client.trusting(reg);
    await assert.rejects(client.refresh(), errorMatching(/timestamp\.json is expired/, 'ExpiredMetadataError'));
  });

  it('refreshTimestamp re-signs what is due — once — and the client accepts again', async () => {
    const before = signed(await reg.repo.metadata(reg.db, 'timestamp.json')).version;
    const idle = await reg.repo.refreshTimestamp(reg.db); // by the repository's own (old) clock nothing is due
    assert.deepEqual(idle.resigned, []);
    assert.equal(idle.timestampVersion, before);

    reg.clock.now = Date.now();
    const [a, b] = await Promise.all([reg.repo.refreshTimestamp(reg.db), reg.repo.refreshTimestamp(reg.db)]);
    const resigned = [...a.resigned, ...b.resigned];
    assert.equal(resigned.filter((r) => r === 'timestamp').length, 1, JSON.stringify(resigned));
    assert.ok(resigned.includes('snapshot'), 'the expired snapshot is re-signed too');
    const ts = signed(await reg.repo.metadata(reg.db, 'timestamp.json'));
    assert.equal(ts.version, before + 1);
    assert.ok(new Date(ts.expires).getTime() > Date.now());
    assert.deepEqual((await reg.repo.refreshTimestamp(reg.db)).resigned, []);

    const client = await Client.trusting(reg);
    assert.equal((await client.download('extensions/com.example.frozen/1.0.0.vib3x'))!.toString(), 'frozen');
  });

  it('the timestamp is re-signed inside its window, not before', async () => {
    const v = signed(await reg.repo.metadata(reg.db, 'timestamp.json')).version;
    reg.clock.now += 20 * 60_000; // 40 min left > 30 min window
    assert.deepEqual((await reg.repo.refreshTimestamp(reg.db)).resigned, []);
    reg.clock.now += 15 * 60_000; // 25 min left
    assert.deepEqual((await reg.repo.refreshTimestamp(reg.db)).resigned, ['timestamp']);
    assert.equal(signed(await reg.repo.metadata(reg.db, 'timestamp.json')).version, v + 1);
  });

  it('near the end of the year everything is re-signed, root too (its key is online), and clients follow', async () => {
    const client = await Client.trusting(reg);
    await client.refresh();
    reg.clock.now = Date.now() + 340 * DAY; // inside the 30-day window of root, targets and bins
    const { resigned, rootNeedsOfflineSigning } = await reg.repo.refreshTimestamp(reg.db);
    assert.equal(rootNeedsOfflineSigning, false);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) assert.ok(resigned.includes(role), role);
    assert.equal(resigned.filter((r) => r.startsWith('bin-')).length, 16);
    const root2 = signed(await reg.repo.metadata(reg.db, '2.root.json'));
    assert.deepEqual(root2.roles, signed(reg.root1).roles, 'same keys, new expiry');
    assert.equal((await client.download('extensions/com.example.frozen/1.0.0.vib3x'))!.toString(), 'frozen');
    assert.equal(await client.trusted('root'), 2);
    assert.deepEqual((await reg.repo.refreshTimestamp(reg.db)).resigned, []);
  });
});

describe('root rotation', () => {
  let reg: Registry;
  const path = 'extensions/com.example.rot/1.0.0.vib3x';
  before(async () => {
    reg = await startRegistry({}, 'rotation');
    await reg.publish(path, 'rot 1');
  });
  after(() => reg.close());

  it('online rotation N→N+1 (root + every online key) is followed by a client that trusts root 1', async () => {
    const client = await Client.trusting(reg);
    assert.equal((await client.download(path))!.toString(), 'rot 1');
    const oldRootKey = JSON.parse(await readFile(join(reg.keyDir, 'root.jwk'), 'utf8'));
    const { version, root } = await reg.repo.rotateRoot(reg.db, { online: ['targets', 'snapshot', 'timestamp'] });
    assert.equal(version, 2);
    assert.equal(await reg.repo.metadata(reg.db, '2.root.json'), root);
    const r1 = signed(reg.root1);
    const r2 = signed(root);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) assert.notDeepEqual(r2.roles[role].keyids, r1.roles[role].keyids, role);
    assert.equal(JSON.parse(root).signatures.length, 2, 'old and new root key');
    // Key directory: the new keys under the role names, the replaced private keys gone.
    assert.notEqual(JSON.parse(await readFile(join(reg.keyDir, 'root.jwk'), 'utf8')).x, oldRootKey.x);
    assert.deepEqual((await readdir(reg.keyDir)).sort(), ['root.jwk', 'snapshot.jwk', 'targets.jwk', 'timestamp.jwk']);

    await reg.publish(path, 'rot 2');
    assert.equal((await client.download(path))!.toString(), 'rot 2');
    assert.equal(await client.trusted('root'), 2);
    const fresh = await Client.trusting(reg);
    assert.equal((await fresh.download(path))!.toString(), 'rot 2');
  });

  it('a root N+1 signed only by its new key is refused by importRoot and by the client', async () => {
    const current = (await reg.repo.metadata(reg.db, 'root.json'))!;
    const dir = await tempDir('offline');
    const draft = join(dir, 'next.json');
    const { keys } = await keysRotate({ rootFile: await saveText(dir, 'current.json', current), dir, out: draft });
    await signRoot({ rootFile: draft, keyFile: keys.root!.file });
    const text = await readFile(draft, 'utf8');
    await assert.rejects(reg.repo.importRoot(reg.db, text), (err) => err instanceof RegistryError && err.code === 'TUF_ROOT_REJECTED' && /current root keys/.test(err.message));
    assert.equal(await reg.repo.metadata(reg.db, '3.root.json'), undefined);

    const client = await Client.trusting(reg);
    await client.refresh();
    reg.override = (file) => (file === '3.root.json' ? text : undefined);
    try {
      await assert.rejects(client.refresh(), errorMatching(/root was signed by 0\/1 keys/, 'UnsignedMetadataError'));
    } finally {
      reg.override = undefined;
    }
    assert.equal(await client.trusted('root'), 2);
  });

  it('offline rotation: keys rotate + sign-root (old and new) + importRoot; the root key may then stay offline', async () => {
    const current = (await reg.repo.metadata(reg.db, 'root.json'))!;
    const offline = await tempDir('offline-root');
    // The operator takes the root key off the server.
    const serverRoot = join(offline, 'root.jwk');
    await writeFile(serverRoot, await readFile(join(reg.keyDir, 'root.jwk')), { mode: 0o600 });
    await unlink(join(reg.keyDir, 'root.jwk'));
    assert.deepEqual(await reg.repo.keyStatus(reg.db), { root: false, targets: true, snapshot: true, timestamp: true });
    await assert.rejects(reg.repo.rotateRoot(reg.db), (err) => err instanceof RegistryError && err.code === 'TUF_KEYS_MISSING');
    await reg.publish(path, 'rot 3'); // publishing needs no root key

    const client = await Client.trusting(reg);
    assert.equal((await client.download(path))!.toString(), 'rot 3');

    const currentFile = await saveText(offline, 'current.json', current);
    const draft = join(offline, 'next.json');
    const rotated = await keysRotate({ rootFile: currentFile, dir: offline, roles: ['root', 'timestamp'], out: draft });
    assert.equal(rotated.version, 3);
    assert.equal((await signRoot({ rootFile: draft, keyFile: serverRoot, previousRootFile: currentFile })).complete, false);
    assert.equal((await signRoot({ rootFile: draft, keyFile: rotated.keys.root!.file, previousRootFile: currentFile })).complete, true);
    const text = await readFile(draft, 'utf8');
    // The new timestamp key is not on the server yet: nothing is stored.
    await assert.rejects(reg.repo.importRoot(reg.db, text), (err) => err instanceof RegistryError && err.code === 'TUF_KEYS_MISSING');
    assert.equal(await reg.repo.metadata(reg.db, '3.root.json'), undefined);
    await writeFile(join(reg.keyDir, 'timestamp.3.jwk'), await readFile(rotated.keys.timestamp!.file), { mode: 0o600 });
    const imported = await reg.repo.importRoot(reg.db, text);
    assert.equal(imported.version, 3);
    assert.ok(imported.resigned?.timestamp);
    assert.equal(imported.resigned?.targets, undefined);

    assert.equal((await client.download(path))!.toString(), 'rot 3');
    assert.equal(await client.trusted('root'), 3);
    await reg.publish(path, 'rot 4');
    assert.equal((await client.download(path))!.toString(), 'rot 4');
    // Replaying the same root again, or skipping a version, is refused.
    await assert.rejects(reg.repo.importRoot(reg.db, text), (err) => err instanceof RegistryError && err.code === 'TUF_ROOT_REJECTED');

    // Root keys offline near root expiry: the server re-signs what it can and says root needs signing.
    const later = await TufRepository.open({ db: reg.db, keyDir: reg.keyDir, now: () => new Date(Date.now() + 350 * 86_400_000) });
    const refreshed = await later.refreshTimestamp(reg.db);
    assert.equal(refreshed.rootNeedsOfflineSigning, true);
    assert.ok(!refreshed.resigned.includes('root') && refreshed.resigned.includes('timestamp'));
    assert.equal(await reg.repo.metadata(reg.db, '4.root.json'), undefined);
  });

  it('draftRoot refuses a threshold above the key count; keysInit makes 0600 files and keeps existing ones', async () => {
    const current = (await reg.repo.metadata(reg.db, 'root.json'))!;
    assert.throws(() => draftRoot({ current, threshold: { root: 2 } }), RangeError);
    const dir = await tempDir('init');
    const first = await keysInit({ dir, roles: ['root'] });
    assert.equal(first.root!.created, true);
    assert.equal((await stat(first.root!.file)).mode & 0o777, 0o600);
    const again = await keysInit({ dir, roles: ['root'] });
    assert.equal(again.root!.created, false);
    assert.equal(again.root!.keyId, first.root!.keyId);
  });
});

async function saveText(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}
