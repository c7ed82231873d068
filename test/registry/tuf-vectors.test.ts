/**
 * The browser-safe TUF client (src/marketplace/tuf) against hand-built repositories
 * (test/support/tuf-repo.ts: @tufjs/models, real Ed25519 signatures) served on loopback behind the
 * man-in-the-middle proxy: every attack the spec's client workflow defends against is refused with
 * its InstallerError code, the refusal persists nothing, and a stock tuf-js Updater on the same
 * repository refuses too (the vector is really bad, not broken for an unrelated reason).
 *
 *   node --import tsx --test --test-concurrency=1 test/registry/tuf-vectors.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Metadata, Root, Snapshot } from '@tufjs/models';
import { Updater } from 'tuf-js';
import { isInstallerError } from '../../src/marketplace/errors.js';
import { MemoryMetadataStore, TufClient, type TufClientOptions } from '../../src/marketplace/tuf/index.js';
import { startMitmProxy, type MitmProxy } from '../support/mitm-proxy.js';
import { DAY, expiresIn, jsonOf, roleOfPath, TestRepo } from '../support/tuf-repo.js';

const PKG = 'extensions/com.acme.shapes/1.0.0.vib3x';
const CHANNELS = 'channels/com.acme.shapes.json';
const enc = new TextEncoder();
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/** A repository with a package and a channel file, served behind a proxy; clients on one store, tuf-js on one directory. */
async function world(repo?: TestRepo) {
  repo ??= await TestRepo.create();
  repo.addTarget(PKG, 'package 1.0.0 bytes', { integrity: 'sha512-x', keyId: 'ed25519:k' });
  repo.addTarget(CHANNELS, JSON.stringify({ stable: '1.0.0', beta: null, canary: null }));
  await repo.commit();
  const server = await repo.serve();
  const proxy: MitmProxy = await startMitmProxy(server.url);
  const dir = await mkdtemp(join(tmpdir(), 'vib3-tuf-vectors-'));
  await mkdir(join(dir, 'metadata'));
  await mkdir(join(dir, 'targets'));
  await writeFile(join(dir, 'metadata', 'root.json'), repo.root(1));
  closers.push(() => server.close(), () => proxy.close(), () => rm(dir, { recursive: true, force: true }));
  const store = new MemoryMetadataStore();
  const client = (o: Partial<TufClientOptions> = {}) =>
    new TufClient({ metadataUrl: `${proxy.url}/metadata/`, targetsUrl: `${proxy.url}/targets/`, store, trustedRoot: repo!.root(1), ...o });
  /** A new tuf-js Updater on the same metadata directory (its persisted trust), resolving a path fully. */
  const tufjs = async (path = PKG) => {
    const u = new Updater({ metadataDir: join(dir, 'metadata'), targetDir: join(dir, 'targets'), metadataBaseUrl: `${proxy.url}/metadata`, targetBaseUrl: `${proxy.url}/targets`, config: { fetchRetry: 0, fetchTimeout: 5_000 } });
    await u.refresh();
    const info = await u.getTargetInfo(path);
    return info && new Uint8Array(await readFile(await u.downloadTarget(info, join(dir, 'targets', 'out'))));
  };
  return { repo, proxy, store, client, tufjs, rootKeys: repo.keys.root };
}

function refusal(code: string) {
  return (err: unknown) => {
    assert.ok(isInstallerError(err), `expected an InstallerError ${code}, got ${String((err as Error)?.stack ?? err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  };
}
const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const bytesOf = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

describe('hand-built TUF repositories', () => {
  it('honest: refresh, a hashed bin and a path-pattern role loaded lazily and persisted, downloads verified', async () => {
    const w = await world();
    const c = w.client();
    await c.refresh();
    assert.deepEqual(w.store.names(), ['root', 'snapshot', 'targets', 'timestamp']);
    w.proxy.requests.length = 0;
    const info = await c.getTargetInfo(PKG);
    assert.ok(info);
    assert.equal(info.length, 'package 1.0.0 bytes'.length);
    assert.deepEqual(Object.keys(info.hashes), ['sha256', 'sha512']);
    assert.deepEqual(info.custom, { integrity: 'sha512-x', keyId: 'ed25519:k' });
    const bin = roleOfPath(PKG);
    assert.deepEqual(w.proxy.requests, [`/metadata/1.${bin}.json`], 'only the one bin the path hashes to');
    assert.equal(bytesOf(await c.downloadTarget(info)), 'package 1.0.0 bytes');
    assert.match(w.proxy.requests.at(-1)!, /^\/targets\/extensions\/com\.acme\.shapes\/[0-9a-f]{64}\.1\.0\.0\.vib3x$/);
    assert.equal(bytesOf(await c.downloadTarget((await c.getTargetInfo(CHANNELS))!)), JSON.stringify({ stable: '1.0.0', beta: null, canary: null }));
    assert.equal(await c.getTargetInfo('extensions/com.acme.none/1.0.0.vib3x'), undefined);
    assert.ok(w.store.names().includes(bin) && w.store.names().includes('channels'));
    // `channels` is terminating: a channel file it does not list is not looked for in the bins.
    const missing = ['a', 'b', 'c', 'd'].map((x) => `channels/com.acme.${x}.json`).find((p) => !w.store.names().includes(`bin-${sha256hex(p)[0]}`))!;
    w.proxy.requests.length = 0;
    assert.equal(await c.getTargetInfo(missing), undefined);
    assert.deepEqual(w.proxy.requests, []);
    // A new client (a new process) on the same store downloads nothing but what may have changed.
    w.proxy.requests.length = 0;
    const again = w.client({ trustedRoot: new Uint8Array() });
    assert.ok(await again.getTargetInfo(PKG));
    assert.deepEqual(w.proxy.requests, ['/metadata/2.root.json', '/metadata/timestamp.json']);
    // A lookup while a refresh runs waits for it instead of refreshing twice.
    w.proxy.requests.length = 0;
    const busy = w.client();
    const [, found] = await Promise.all([busy.refresh(), busy.getTargetInfo(PKG)]);
    assert.ok(found);
    assert.equal(w.proxy.requests.filter((r) => r === '/metadata/timestamp.json').length, 1);
    assert.equal(bytesOf(await w.tufjs()), 'package 1.0.0 bytes');
  });

  it('freeze: an expired timestamp, a frozen clock; the start time is read once per refresh', async () => {
    const w = await world();
    await w.repo.commitTimestamp({ expires: expiresIn(-60_000) });
    await assert.rejects(w.client().refresh(), refusal('TUF_EXPIRED'));
    await assert.rejects(w.tufjs(), /expired/);
    assert.equal(await w.store.load('timestamp'), undefined, 'the expired timestamp was not persisted');
    await w.repo.commitTimestamp();
    const frozen = jsonOf(w.repo.current.get('timestamp')!).signed.expires as string;
    await assert.rejects(w.client({ now: () => new Date(Date.parse(frozen) + 1000) }).refresh(), refusal('TUF_EXPIRED'));
    // Valid at the start, expired a moment later: one refresh checks everything against its start.
    let calls = 0;
    const c = w.client({ now: () => new Date(++calls === 1 ? Date.now() : Date.parse(frozen) + DAY) });
    await c.refresh();
    assert.ok(await c.getTargetInfo(PKG));
    assert.equal(calls, 1);
  });

  it('freeze of every other role: expired snapshot, targets, delegated role, final root → TUF_EXPIRED', async () => {
    const w = await world();
    w.repo.lifetime.snapshot = -60_000;
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    await assert.rejects(w.client().refresh(), refusal('TUF_EXPIRED'));
    w.repo.lifetime.snapshot = 7 * DAY;
    w.repo.lifetime.delegated = -60_000;
    w.repo.addTarget(PKG, 'package 1.0.0 bytes, re-signed');
    await w.repo.commit();
    const c = w.client();
    await c.refresh();
    await assert.rejects(c.getTargetInfo(PKG), refusal('TUF_EXPIRED'));
    await assert.rejects(w.tufjs(), /expired/);
    const expiredTargets = enc.encode(JSON.stringify((await w.repo.metadata('targets', { ...w.repo.targetsSigned(2), expires: expiresIn(-60_000) })).toJSON()));
    w.repo.setRole('targets', 2, expiredTargets);
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    await assert.rejects(w.client().refresh(), refusal('TUF_EXPIRED'));
    // The final root expired → refused; an expired root inside the chain is fine (spec 5.3.10).
    const w2 = await world();
    w2.repo.lifetime.root = -60_000;
    await w2.repo.rotate([]);
    await assert.rejects(w2.client().refresh(), refusal('TUF_EXPIRED'));
    w2.repo.lifetime.root = DAY;
    await w2.repo.rotate([]);
    await w2.client().refresh();
    assert.equal(jsonOf((await w2.store.load('root'))!).signed.version, 3);
  });

  it('timestamp signed by a wrong key, or by fewer keys than the threshold → TUF_BAD_SIGNATURE', async () => {
    const w = await world(await TestRepo.create({ timestampKeys: 2, timestampThreshold: 2 }));
    await w.client().refresh();
    await w.repo.commitTimestamp({ keys: w.repo.keys.snapshot });
    await assert.rejects(w.client().refresh(), refusal('TUF_BAD_SIGNATURE'));
    await w.repo.commitTimestamp({ keys: [w.repo.keys.timestamp[0]!] });
    await assert.rejects(w.client().refresh(), refusal('TUF_BAD_SIGNATURE'));
    await assert.rejects(w.tufjs(), /timestamp was signed by 1\/2 keys/);
    const stored = jsonOf((await w.store.load('timestamp'))!).signed.version;
    assert.equal(stored, 1, 'the refused timestamps were not persisted');
    await w.repo.commitTimestamp();
    await w.client().refresh();
  });

  it('signatures: one key counts once however often it signs; keys of other roles and unknown schemes do not count', async () => {
    const w = await world(await TestRepo.create({ timestampKeys: 2, timestampThreshold: 2 }));
    const [a] = w.repo.keys.timestamp;
    const one = jsonOf(await w.repo.commitTimestamp({ keys: [a!] }));
    const tamper = async (signatures: unknown[]) => {
      w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'replace', bytes: enc.encode(JSON.stringify({ ...one, signatures })) });
      await assert.rejects(w.client().refresh(), refusal('TUF_BAD_SIGNATURE'));
    };
    await tamper([one.signatures[0], one.signatures[0]]);
    await assert.rejects(w.tufjs(), /multiple signatures|signed by 1\/2/);
    const byRoot = jsonOf(await w.repo.sign(new Metadata(Snapshot.fromJSON({ ...one.signed, _type: 'snapshot' })), w.repo.keys.root)).signatures[0];
    await tamper([one.signatures[0], { keyid: w.repo.keys.root[0]!.keyId, sig: byRoot.sig }]);
    w.proxy.rule(null);

    // A root listing an RSA key for the timestamp role: its signatures are ignored, not an error.
    const rsa = { keytype: 'rsa', scheme: 'rsassa-pss-sha256', keyval: { public: '-----BEGIN PUBLIC KEY-----' } };
    for (const [threshold, ok] of [[1, true], [2, false]] as const) {
      const root = w.repo.rootSigned(1, { keys: { ['f'.repeat(64)]: rsa }, roles: { timestamp: { keyids: [a!.keyId, 'f'.repeat(64)], threshold } } });
      const rootBytes = await w.repo.sign(new Metadata(Root.fromJSON(root)), w.repo.keys.root);
      const ts = jsonOf(await w.repo.commitTimestamp({ keys: [a!] }));
      w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'replace', bytes: enc.encode(JSON.stringify({ ...ts, signatures: [...ts.signatures, { keyid: 'f'.repeat(64), sig: '00' }] })) });
      const c = w.client({ store: new MemoryMetadataStore(), trustedRoot: rootBytes });
      if (ok) await c.refresh();
      else await assert.rejects(c.refresh(), refusal('TUF_BAD_SIGNATURE'));
    }
  });

  it('mix-and-match: a snapshot other than the one the timestamp lists (hash, length) → TUF_MISMATCH', async () => {
    const w = await world();
    await w.client().refresh();
    const trusted = w.repo.current.get('snapshot')!;
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    const honest = w.repo.current.get('snapshot')!;
    const v = w.repo.versions.get('snapshot')!;
    const other = await w.repo.metadata('snapshot', { ...jsonOf(honest).signed, expires: expiresIn(6 * DAY) });
    w.proxy.rule({ match: new RegExp(`^/metadata/${v}\\.snapshot\\.json$`), action: 'replace', bytes: enc.encode(JSON.stringify(other.toJSON())) });
    await w.repo.commitTimestamp({ snapshotMeta: TestRepo.metaOf(v, honest) });
    assert.equal(enc.encode(JSON.stringify(other.toJSON())).length, honest.length, 'same length, other hash');
    await assert.rejects(w.client().refresh(), refusal('TUF_MISMATCH'));
    await assert.rejects(w.tufjs(), /Expected hash/);
    w.proxy.rule(null);
    await w.repo.commitTimestamp({ snapshotMeta: { ...TestRepo.metaOf(v, honest), length: honest.length + 1 } });
    await assert.rejects(w.client().refresh(), refusal('TUF_MISMATCH'));
    assert.deepEqual(await w.store.load('snapshot'), trusted, 'the refused snapshot was not persisted');
    // The stored snapshot is reused only while it is the one the timestamp lists (hash included).
    await w.repo.commitTimestamp({ snapshotMeta: TestRepo.metaOf(v, honest) });
    await w.client().refresh();
    const otherBytes = enc.encode(JSON.stringify(other.toJSON()));
    w.repo.setRole('snapshot', v, otherBytes);
    await w.repo.commitTimestamp();
    await w.client().refresh();
    assert.deepEqual(await w.store.load('snapshot'), otherBytes);
  });

  it('mix-and-match: targets, a bin or the snapshot at a version other than the one listed → TUF_MISMATCH', async () => {
    const w = await world();
    const bin = roleOfPath(PKG);
    w.repo.setRole(bin, 2, enc.encode(JSON.stringify((await w.repo.metadata('delegated', w.repo.delegatedSigned(bin, 7))).toJSON())));
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    const c = w.client();
    await c.refresh();
    await assert.rejects(c.getTargetInfo(PKG), refusal('TUF_MISMATCH'));
    await assert.rejects(w.tufjs(), /Version 7 of bin-. does not match snapshot version 2/);
    w.repo.setRole('targets', 2, enc.encode(JSON.stringify((await w.repo.metadata('targets', w.repo.targetsSigned(3))).toJSON())));
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    await assert.rejects(w.client().refresh(), refusal('TUF_MISMATCH'));
    const w2 = await world();
    const v = w2.repo.versions.get('snapshot')! + 1;
    w2.repo.setRole('snapshot', v, enc.encode(JSON.stringify((await w2.repo.metadata('snapshot', { _type: 'snapshot', spec_version: '1.0.31', version: v + 5, expires: expiresIn(DAY), meta: w2.repo.snapshotMeta() })).toJSON())));
    await w2.repo.commitTimestamp();
    await assert.rejects(w2.client().refresh(), refusal('TUF_MISMATCH'));
    await assert.rejects(w2.tufjs(), /Snapshot version doesn't match timestamp/);
  });

  it('rollback: a snapshot listing a bin at a lower version, or dropping it → TUF_ROLLBACK, also in a new process', async () => {
    const w = await world();
    const bin = roleOfPath(PKG);
    const oldBin = w.repo.current.get(bin)!;
    w.repo.addTarget(PKG, 'package 1.0.0, second bytes');
    await w.repo.commit();
    await w.client().refresh();
    assert.equal(bytesOf(await w.tufjs()), 'package 1.0.0, second bytes');
    const trusted = await w.store.load('snapshot');
    const trustedTs = await w.store.load('timestamp');
    await w.repo.commitSnapshot({ ...w.repo.snapshotMeta(), [`${bin}.json`]: TestRepo.metaOf(1, oldBin) });
    await assert.rejects(w.client().refresh(), refusal('TUF_ROLLBACK'));
    await assert.rejects(w.client({ trustedRoot: new Uint8Array() }).refresh(), refusal('TUF_ROLLBACK'), 'a new client on the same store');
    await assert.rejects(w.tufjs(), /New version 1 of bin-.\.json is less than current version 2/);
    assert.deepEqual(await w.store.load('snapshot'), trusted, 'the trusted snapshot stays');
    assert.notDeepEqual(await w.store.load('timestamp'), trustedTs, 'the (valid) newer timestamp was persisted');
    // A client that never saw version 2 of the bin has nothing to compare against: the property is the persisted state.
    await w.client({ store: new MemoryMetadataStore() }).refresh();
    const { [`${bin}.json`]: _dropped, ...rest } = w.repo.snapshotMeta();
    await w.repo.commitSnapshot(rest);
    await assert.rejects(w.client().refresh(), refusal('TUF_ROLLBACK'));
  });

  it('rollback of the timestamp: an older version, a lower snapshot version, the same version with other content', async () => {
    const w = await world();
    const old = w.repo.current.get('timestamp')!;
    await w.repo.commit();
    const sameSnapshot = w.repo.current.get('timestamp')!;
    await w.repo.commitTimestamp(); // re-signed: a newer timestamp naming the same snapshot
    await w.client().refresh();
    await w.tufjs();
    for (const replayed of [sameSnapshot, old]) {
      w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'replay', bytes: replayed });
      await assert.rejects(w.client().refresh(), refusal('TUF_ROLLBACK'));
      await assert.rejects(w.client({ trustedRoot: new Uint8Array() }).refresh(), refusal('TUF_ROLLBACK'));
    }
    await assert.rejects(w.tufjs(), /New timestamp version 1 is less than current version 3/);
    w.proxy.rule(null);
    await w.repo.commitTimestamp({ snapshotMeta: TestRepo.metaOf(1, w.repo.files.get('metadata/1.snapshot.json')!) });
    await assert.rejects(w.client().refresh(), refusal('TUF_ROLLBACK'));
    await assert.rejects(w.tufjs(), /New snapshot version 1 is less than current version 2/);
    const same = jsonOf((await w.store.load('timestamp'))!);
    const resigned = await w.repo.metadata('timestamp', { ...same.signed, expires: expiresIn(2 * DAY) });
    w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'replace', bytes: enc.encode(JSON.stringify(resigned.toJSON())) });
    await assert.rejects(w.client().refresh(), refusal('TUF_ROLLBACK'));
    w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'replay', bytes: (await w.store.load('timestamp'))! });
    await w.client().refresh(); // the same version, identical: fine
  });

  it('endless data and stalled responses: TOO_LARGE at the bound, DOWNLOAD_TIMEOUT at the deadline', { timeout: 60_000 }, async () => {
    const w = await world();
    w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'endless' });
    await assert.rejects(w.client().refresh(), refusal('TOO_LARGE'));
    await assert.rejects(w.tufjs(), /Max length reached/);
    const snapshot = w.repo.current.get('snapshot')!;
    w.proxy.rule({ match: /\.snapshot\.json$/, action: 'replace', bytes: enc.encode(`${new TextDecoder().decode(snapshot)} `) });
    await assert.rejects(w.client().refresh(), refusal('TOO_LARGE'));
    w.proxy.rule({ match: /\.bin-.\.json$/, action: 'endless' });
    const c = w.client();
    await c.refresh();
    await assert.rejects(c.getTargetInfo(PKG), refusal('TOO_LARGE'));
    w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'stall' });
    await assert.rejects(w.client({ limits: { deadlineMs: 300 } }).refresh(), refusal('DOWNLOAD_TIMEOUT'));
    w.proxy.rule({ match: /^\/targets\//, action: 'stall' });
    const info = (await w.client().getTargetInfo(PKG))!;
    await assert.rejects(w.client().downloadTarget(info, { deadlineMs: 300 }), refusal('DOWNLOAD_TIMEOUT'));
    w.proxy.rule({ match: /^\/targets\//, action: 'endless' });
    let most = 0;
    await assert.rejects(w.client().downloadTarget(info, { onProgress: (loaded) => (most = Math.max(most, loaded)) }), refusal('TARGET_MISMATCH'));
    assert.ok(most <= info.length, `no more than the signed length was accepted (${most} > ${info.length})`);
  });

  it('target bytes other than signed (same length, longer, shorter) → TARGET_MISMATCH', async () => {
    const w = await world();
    const c = w.client();
    const info = (await c.getTargetInfo(PKG))!;
    const good = await c.downloadTarget(info);
    const progress: number[] = [];
    await c.downloadTarget(info, { onProgress: (loaded, total) => (assert.equal(total, info.length), progress.push(loaded)) });
    assert.equal(progress.at(-1), info.length);
    for (const bad of [enc.encode('package 1.0.0 bytez'), enc.encode('package 1.0.0 bytes!'), enc.encode('package')]) {
      w.proxy.rule({ match: /^\/targets\//, action: 'replace', bytes: bad });
      let most = 0;
      await assert.rejects(c.downloadTarget(info, { onProgress: (loaded) => (most = Math.max(most, loaded)) }), refusal('TARGET_MISMATCH'));
      assert.ok(most <= info.length, 'bytes beyond the signed length are never accepted');
      assert.equal(await c.verifyTargetBytes(info, bad), false);
    }
    await assert.rejects(w.tufjs(), /hash|length/i);
    w.proxy.rule({ match: /^\/targets\//, action: 'flip-byte' });
    await assert.rejects(c.downloadTarget(info), refusal('TARGET_MISMATCH'));
    assert.equal(await c.verifyTargetBytes(info, good), true);
    assert.equal(await c.verifyTargetBytes({ ...info, hashes: { md5: 'x' } }, good), false, 'no supported hash: nothing verified');
  });

  it('root chain: 1 → 2 → 3 followed (bounded); N+1 not signed by the old root, or by its own, or of another version → refused', async () => {
    const w = await world();
    const c = w.client();
    await c.refresh();
    await w.repo.rotate(['root', 'timestamp']);
    await w.repo.commitTimestamp();
    await w.repo.rotate(['root', 'snapshot']);
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    const bounded = w.client({ store: new MemoryMetadataStore(), limits: { maxRootRotations: 1 } });
    await assert.rejects(bounded.refresh(), refusal('TUF_BAD_SIGNATURE'), 'stopped at root 2, the snapshot is signed by root 3 keys');
    await c.refresh();
    assert.equal(jsonOf((await w.store.load('root'))!).signed.version, 3);
    assert.ok(await c.getTargetInfo(PKG));
    assert.ok(await w.tufjs());
    for (const [signers, code] of [['new', 'TUF_BAD_SIGNATURE'], ['old', 'TUF_BAD_SIGNATURE']] as const) {
      const saved = { ...w.repo.keys };
      await w.repo.rotate(['root'], signers);
      await assert.rejects(w.client().refresh(), refusal(code));
      if (signers === 'new') await assert.rejects(w.tufjs(), /root was signed by 0\/1 keys/);
      assert.equal(jsonOf((await w.store.load('root'))!).signed.version, 3, 'root 3 stays trusted');
      w.repo.files.delete('metadata/4.root.json');
      w.repo.versions.set('root', 3);
      Object.assign(w.repo.keys, saved);
    }
    const wrong = await w.repo.sign(new Metadata(Root.fromJSON(w.repo.rootSigned(5))), w.repo.keys.root);
    w.repo.files.set('metadata/4.root.json', wrong);
    await assert.rejects(w.client().refresh(), refusal('TUF_MISMATCH'));
  });

  it('new snapshot keys: the trusted timestamp and snapshot are forgotten (recovery from a fast-forward attack)', async () => {
    const w = await world();
    await w.client().refresh();
    // An attacker with the snapshot and timestamp keys fast-forwards the snapshot version.
    const forged = await w.repo.sign(new Metadata(Snapshot.fromJSON({ _type: 'snapshot', spec_version: '1.0.31', version: 1000, expires: expiresIn(DAY), meta: w.repo.snapshotMeta() })), w.repo.keys.snapshot);
    w.repo.files.set('metadata/1000.snapshot.json', forged);
    await w.repo.commitTimestamp({ snapshotMeta: TestRepo.metaOf(1000, forged) });
    await w.client().refresh();
    // The repository rotates the snapshot key (root 2, which a slip let expire: the refresh that
    // follows the chain fails, yet must already have forgotten), fixes root (3), signs snapshot 2 again.
    w.repo.lifetime.root = -60_000;
    await w.repo.rotate(['snapshot']);
    await w.repo.commitSnapshot(w.repo.snapshotMeta());
    await assert.rejects(w.client().refresh(), refusal('TUF_EXPIRED'));
    w.repo.lifetime.root = DAY;
    await w.repo.rotate([]);
    const c = w.client();
    await c.refresh();
    assert.equal(jsonOf((await w.store.load('root'))!).signed.version, 3);
    assert.equal(jsonOf((await w.store.load('snapshot'))!).signed.version, 2);
    assert.ok(await c.getTargetInfo(PKG));
  });

  it('malformed metadata → TUF_MALFORMED; a bad trusted root → TUF_ROOT_INVALID', async () => {
    const w = await world();
    const ts = jsonOf(w.repo.current.get('timestamp')!);
    const bodies = ['{"signed":', '[]', JSON.stringify({ ...ts, signed: { ...ts.signed, _type: 'snapshot' } }), JSON.stringify({ ...ts, signed: { ...ts.signed, version: 1.5 } }), JSON.stringify({ ...ts, signed: { ...ts.signed, spec_version: '2.0.0' } }), JSON.stringify({ signed: ts.signed, signatures: {} })];
    for (const body of [...bodies.map((b) => enc.encode(b)), new Uint8Array([0x7b, 0xff, 0x7d])]) {
      w.proxy.rule({ match: /^\/metadata\/timestamp\.json$/, action: 'replace', bytes: body });
      await assert.rejects(w.client().refresh(), refusal('TUF_MALFORMED'), new TextDecoder().decode(body));
    }
    w.proxy.rule(null);
    const root = jsonOf(w.repo.root(1));
    for (const bad of ['{', JSON.stringify({ ...root, signatures: [] }), JSON.stringify({ ...root, signed: { ...root.signed, version: 2 } })]) {
      await assert.rejects(w.client({ store: new MemoryMetadataStore(), trustedRoot: enc.encode(bad) }).refresh(), refusal('TUF_ROOT_INVALID'));
    }
    await assert.rejects(w.client({ store: new MemoryMetadataStore(), trustedRoot: undefined }).refresh(), refusal('TUF_ROOT_INVALID'));
  });
});

