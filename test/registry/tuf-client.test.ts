/**
 * The browser-safe TUF client (src/marketplace/tuf) against a REAL registry on loopback, behind the
 * man-in-the-middle proxy (test/support/mitm-proxy.ts): refresh from /tuf/1.root.json, packages
 * and channel files resolved through the 256 hashed bins and downloaded byte for byte, root rotation
 * followed through the chain, agreement with a stock tuf-js Updater on the same state, and the
 * attacks a network attacker can mount — replays (rollback), freeze, swapped bytes, endless and
 * stalled responses — refused, with the refusal persisted (a new client on the same store keeps
 * refusing).
 *
 *   node --import tsx --test --test-concurrency=1 test/registry/tuf-client.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Updater } from 'tuf-js';
import { isInstallerError } from '../../src/marketplace/errors.js';
import { MemoryMetadataStore, TufClient, type TufClientOptions } from '../../src/marketplace/tuf/index.js';
import { startMitmProxy, type MitmProxy } from '../support/mitm-proxy.js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

const DAY = 86_400_000;
const clock = { now: Date.now() };
let reg: TestRegistry;
let proxy: MitmProxy;
let acme: TestPublisher;
let root1: Uint8Array;
let work: string;
const published = new Map<string, Uint8Array>();
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const json = (b: Uint8Array | undefined) => JSON.parse(text(b!));

async function release(id: string, version: string): Promise<void> {
  const bytes = await makePackage(acme, { id, version });
  assert.equal((await publish(reg.url, acme.token, id, version, bytes)).status, 201);
  published.set(`extensions/${id}/${version}.vib3x`, bytes);
}

before(async () => {
  reg = await startTestRegistry({ now: () => new Date(clock.now) });
  acme = await createPublisher(reg, 'acme');
  for (const [id, version] of [['com.acme.one', '1.0.0'], ['com.acme.one', '1.1.0'], ['com.acme.two', '0.1.0']] as const) await release(id, version);
  proxy = await startMitmProxy(reg.url);
  root1 = new Uint8Array(await (await fetch(`${reg.url}/tuf/1.root.json`)).arrayBuffer());
  work = mkdtempSync(join(tmpdir(), 'vib3-tuf-client-'));
});
after(async () => {
  await proxy?.close();
  await reg?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A TufClient through the proxy on `store`, trusting 1.root.json, on the registry's clock. */
function client(store: MemoryMetadataStore, o: Partial<TufClientOptions> = {}): TufClient {
  return new TufClient({ metadataUrl: `${proxy.url}/tuf/`, targetsUrl: `${proxy.url}/tuf/targets/`, store, trustedRoot: root1, now: () => new Date(clock.now), ...o });
}

let updaters = 0;
/** A stock tuf-js Updater trusting 1.root.json (its own directory), refreshed. */
async function tufjs(): Promise<{ u: Updater; dir: string }> {
  const dir = join(work, `tufjs-${++updaters}`);
  mkdirSync(join(dir, 'metadata'), { recursive: true });
  mkdirSync(join(dir, 'targets'));
  writeFileSync(join(dir, 'metadata', 'root.json'), root1);
  const u = new Updater({ metadataDir: join(dir, 'metadata'), targetDir: join(dir, 'targets'), metadataBaseUrl: `${reg.url}/tuf`, targetBaseUrl: `${reg.url}/tuf/targets`, config: { fetchRetry: 0 } });
  await u.refresh();
  return { u, dir };
}

function refusal(...codes: string[]) {
  return (err: unknown) => {
    assert.ok(isInstallerError(err), `expected an InstallerError (${codes.join('|')}), got ${String((err as Error)?.stack ?? err)}`);
    assert.ok(codes.includes(err.code), `${err.code}: ${err.message}`);
    return true;
  };
}

const binOf = (path: string) => `bin-${sha256(path).slice(0, 2)}`;

test(`[${BACKEND}] refreshes from /tuf/1.root.json; packages and channel files resolve through the bins and download byte for byte`, async () => {
  const store = new MemoryMetadataStore();
  const c = client(store);
  await c.refresh();
  for (const [path, bytes] of published) {
    const info = await c.getTargetInfo(path);
    assert.ok(info, path);
    assert.equal(info.length, bytes.length);
    assert.equal(info.hashes.sha256, sha256(bytes));
    const [, id, version] = /^extensions\/(.+)\/(.+)\.vib3x$/.exec(path)!;
    const record = (await api(reg.url, `/v1/extensions/${id}/${version!.replace(/\.vib3x$/, '')}`)).body;
    assert.equal(info.custom?.integrity, record.integrity);
    assert.equal(info.custom?.keyId, acme.keyId);
    const progress: number[] = [];
    assert.deepEqual(await c.downloadTarget(info, { onProgress: (loaded) => progress.push(loaded) }), bytes, path);
    assert.equal(progress.at(-1), bytes.length);
    assert.ok(store.names().includes(binOf(path)), `${binOf(path)} persisted`);
  }
  const channels = (await c.getTargetInfo('channels/com.acme.one.json'))!;
  assert.deepEqual(json(await c.downloadTarget(channels)), { stable: '1.1.0', beta: null, canary: null });
  assert.equal(await c.getTargetInfo('extensions/com.acme.one/9.9.9.vib3x'), undefined);
  assert.deepEqual(store.names().filter((n) => !n.startsWith('bin-')), ['root', 'snapshot', 'targets', 'timestamp']);
});

test(`[${BACKEND}] tuf-js and TufClient agree on the same repository state (before and after a yank and a channel move)`, async () => {
  const compare = async () => {
    const store = new MemoryMetadataStore();
    const c = client(store, { now: undefined });
    await c.refresh();
    const { u, dir } = await tufjs();
    const paths = [...published.keys(), 'channels/com.acme.one.json', 'channels/com.acme.two.json', 'extensions/com.acme.none/1.0.0.vib3x'];
    for (const path of paths) {
      const theirs = await u.getTargetInfo(path);
      const ours = await c.getTargetInfo(path);
      assert.equal(!!ours, !!theirs, path);
      if (!ours || !theirs) continue;
      assert.deepEqual({ length: ours.length, hashes: ours.hashes, custom: ours.custom ?? {} }, { length: theirs.length, hashes: theirs.hashes, custom: theirs.custom }, path);
      const file = await u.downloadTarget(theirs, join(dir, 'targets', sha256(path)));
      assert.deepEqual(await c.downloadTarget(ours), new Uint8Array(readFileSync(file)), path);
    }
    for (const role of ['root', 'timestamp', 'snapshot', 'targets']) {
      assert.equal(json(await store.load(role)).signed.version, JSON.parse(readFileSync(join(dir, 'metadata', `${role}.json`), 'utf8')).signed.version, role);
    }
    return c;
  };
  await compare();
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.one/1.1.0/yank', { method: 'POST', token: acme.token, json: { reason: 'broken' } })).status, 200);
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.one/channels/beta', { method: 'PUT', token: acme.token, json: { version: '1.0.0' } })).status, 200);
  const c = await compare();
  assert.deepEqual((await c.getTargetInfo('extensions/com.acme.one/1.1.0.vib3x'))?.custom?.yanked, true);
  assert.deepEqual(json(await c.downloadTarget((await c.getTargetInfo('channels/com.acme.one.json'))!)), { stable: null, beta: '1.0.0', canary: null });
});

test(`[${BACKEND}] persistence: a replayed older timestamp is a rollback, also for a new client on the same store`, async () => {
  const store = new MemoryMetadataStore();
  await client(store).refresh();
  const old = await proxy.capture('/tuf/timestamp.json');
  await release('com.acme.one', '1.2.0');
  await client(store).refresh();
  proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'replay', bytes: old });
  try {
    await assert.rejects(client(store).refresh(), refusal('TUF_ROLLBACK'));
    const restarted = client(store, { trustedRoot: undefined }); // a new process: everything from the store
    await assert.rejects(restarted.refresh(), refusal('TUF_ROLLBACK'));
    // Without that persisted trust the replay would pass, and hide 1.2.0: the store is the protection.
    const naive = client(new MemoryMetadataStore());
    assert.equal(await naive.getTargetInfo('extensions/com.acme.one/1.2.0.vib3x'), undefined);
  } finally {
    proxy.rule(null);
  }
  assert.ok(await client(store).getTargetInfo('extensions/com.acme.one/1.2.0.vib3x'));
});

test(`[${BACKEND}] persistence: a replayed older snapshot or bin is refused (mix-and-match); the trusted state stays`, async () => {
  const store = new MemoryMetadataStore();
  const path = 'extensions/com.acme.one/1.3.0.vib3x';
  await release('com.acme.one', '1.3.0');
  const c = client(store);
  assert.ok(await c.getTargetInfo(path));
  const snapVersion = json(await store.load('timestamp')).signed.meta['snapshot.json'].version as number;
  const oldSnapshot = await proxy.capture(`/tuf/${snapVersion}.snapshot.json`);
  const bin = binOf(path);
  const oldBin = await proxy.capture(`/tuf/${json(oldSnapshot).signed.meta[`${bin}.json`].version}.${bin}.json`);
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.one/1.3.0/yank', { method: 'POST', token: acme.token, json: { reason: 'replay test' } })).status, 200);

  proxy.rule({ match: /^\/tuf\/\d+\.snapshot\.json$/, action: 'replay', bytes: oldSnapshot });
  try {
    await assert.rejects(client(store).refresh(), refusal('TUF_MISMATCH'));
    await assert.rejects(client(store, { trustedRoot: undefined }).refresh(), refusal('TUF_MISMATCH'));
    assert.deepEqual(await store.load('snapshot'), oldSnapshot, 'the refused snapshot was not persisted');
    proxy.rule({ match: new RegExp(`^/tuf/\\d+\\.${bin}\\.json$`), action: 'replay', bytes: oldBin });
    const fresh = client(store);
    await fresh.refresh();
    await assert.rejects(fresh.getTargetInfo(path), refusal('TUF_MISMATCH'));
    await assert.rejects(client(store, { trustedRoot: undefined }).getTargetInfo(path), refusal('TUF_MISMATCH'));
  } finally {
    proxy.rule(null);
  }
  assert.equal((await client(store).getTargetInfo(path))?.custom?.yanked, true);
});

test(`[${BACKEND}] freeze: a timestamp captured two days ago and replayed is expired`, async () => {
  const store = new MemoryMetadataStore();
  await client(store).refresh();
  const stale = await proxy.capture('/tuf/timestamp.json');
  clock.now += 2 * DAY; // the registry re-signs on its clock; the client checks expiry on the same clock
  proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'replay', bytes: stale });
  try {
    await assert.rejects(client(store).refresh(), refusal('TUF_EXPIRED'));
    await assert.rejects(client(new MemoryMetadataStore()).refresh(), refusal('TUF_EXPIRED'));
  } finally {
    proxy.rule(null);
  }
  await client(store).refresh();
  assert.ok(json(await store.load('timestamp')).signed.version > json(stale).signed.version);
});

test(`[${BACKEND}] swapped bytes in transit: target → TARGET_MISMATCH; metadata → refused`, async () => {
  const c = client(new MemoryMetadataStore());
  const path = 'extensions/com.acme.two/0.1.0.vib3x';
  const info = (await c.getTargetInfo(path))!;
  const other = published.get('extensions/com.acme.one/1.0.0.vib3x')!;
  for (const rule of [{ action: 'flip-byte' }, { action: 'replace', bytes: other }] as const) {
    proxy.rule({ match: /^\/tuf\/targets\/extensions\//, ...rule });
    await assert.rejects(c.downloadTarget(info), refusal('TARGET_MISMATCH'), rule.action);
  }
  assert.equal(await c.verifyTargetBytes(info, other), false);
  proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'flip-byte' });
  await assert.rejects(client(new MemoryMetadataStore()).refresh(), refusal('TUF_BAD_SIGNATURE', 'TUF_MALFORMED'));
  proxy.rule({ match: /^\/tuf\/\d+\.snapshot\.json$/, action: 'flip-byte' });
  await assert.rejects(client(new MemoryMetadataStore()).refresh(), refusal('TUF_MISMATCH'));
  proxy.rule(null);
  assert.deepEqual(await c.downloadTarget(info), published.get(path));
});

test(`[${BACKEND}] endless and stalled responses, error statuses, a dead network`, { timeout: 60_000 }, async () => {
  try {
    proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'endless' });
    await assert.rejects(client(new MemoryMetadataStore()).refresh(), refusal('TOO_LARGE'));
    proxy.rule({ match: /^\/tuf\/\d+\.targets\.json$/, action: 'endless' });
    await assert.rejects(client(new MemoryMetadataStore()).refresh(), refusal('TOO_LARGE'));
    proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'stall' });
    await assert.rejects(client(new MemoryMetadataStore(), { limits: { deadlineMs: 300 } }).refresh(), refusal('DOWNLOAD_TIMEOUT'));
    proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'status', status: 503 });
    await assert.rejects(client(new MemoryMetadataStore()).refresh(), (err) => refusal('REGISTRY_HTTP_ERROR')(err) && (err as { details: { status: number } }).details.status === 503);
    // Only 404/403 end the root chain; any other answer to N+1.root.json is an error, not "no newer root".
    proxy.rule({ match: /^\/tuf\/\d+\.root\.json$/, action: 'status', status: 500 });
    await assert.rejects(client(new MemoryMetadataStore()).refresh(), refusal('REGISTRY_HTTP_ERROR'));
  } finally {
    proxy.rule(null);
  }
  const dead = await startMitmProxy('http://127.0.0.1:1');
  try {
    await assert.rejects(client(new MemoryMetadataStore(), { metadataUrl: `${dead.url}/tuf/` }).refresh(), refusal('REGISTRY_HTTP_ERROR'));
  } finally {
    await dead.close();
  }
  await assert.rejects(client(new MemoryMetadataStore(), { metadataUrl: 'http://127.0.0.1:1/tuf/' }).refresh(), refusal('REGISTRY_UNREACHABLE'));
});

test(`[${BACKEND}] the proxy's control endpoints (for browser tests, cross-origin)`, async () => {
  const post = (path: string, body: unknown) => fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://page.test' }, body: JSON.stringify(body) });
  const pre = await fetch(`${proxy.url}/__mitm/rules`, { method: 'OPTIONS', headers: { origin: 'http://page.test', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  const captured = await post('/__mitm/capture', { path: '/tuf/timestamp.json' });
  assert.equal(captured.headers.get('access-control-allow-origin'), '*');
  const { base64 } = (await captured.json()) as { base64: string };
  const store = new MemoryMetadataStore();
  await client(store).refresh();
  await release('com.acme.two', '0.2.0');
  await client(store).refresh();
  assert.equal((await post('/__mitm/rules', { rules: [{ match: '^/tuf/timestamp\\.json$', action: 'replay', bytesBase64: base64 }] })).status, 200);
  try {
    await assert.rejects(client(store).refresh(), refusal('TUF_ROLLBACK'));
    const served = await fetch(`${proxy.url}/tuf/timestamp.json`);
    assert.equal(served.headers.get('access-control-allow-origin'), '*');
    assert.equal(Buffer.from(await served.arrayBuffer()).toString('base64'), base64);
    assert.equal((await post('/__mitm/rules', { rules: [{ match: '(', action: 'stall' }] })).status, 400);
    assert.equal((await post('/__mitm/rules', { rules: [{ match: 'x', action: 'explode' }] })).status, 400);
  } finally {
    assert.equal((await post('/__mitm/rules', { rules: [] })).status, 200);
  }
  const passed = await fetch(`${proxy.url}/tuf/timestamp.json`);
  assert.equal(passed.headers.get('access-control-allow-origin'), '*');
  assert.notEqual(Buffer.from(await passed.arrayBuffer()).toString('base64'), base64);
  const { requests } = (await (await fetch(`${proxy.url}/__mitm/requests`)).json()) as { requests: string[] };
  assert.ok(requests.includes('/tuf/timestamp.json') && !requests.some((r) => r.startsWith('/__mitm/')));
});

test(`[${BACKEND}] root rotation (root and every online key, then root again) is followed through the chain; tuf-js agrees`, async () => {
  const store = new MemoryMetadataStore();
  const c = client(store);
  await c.refresh();
  const oldTargets = await proxy.capture(`/tuf/${json(await store.load('targets')).signed.version}.targets.json`);
  const { db, tuf } = reg.context;
  assert.equal((await tuf.rotateRoot(db, { online: ['targets', 'snapshot', 'timestamp'] })).version, 2);
  assert.equal((await tuf.rotateRoot(db)).version, 3);
  await release('com.acme.two', '0.3.0');
  const path = 'extensions/com.acme.two/0.3.0.vib3x';
  proxy.rule({ match: /^\/tuf\/\d+\.targets\.json$/, action: 'replay', bytes: oldTargets });
  try {
    await assert.rejects(client(store).refresh(), refusal('TUF_MISMATCH'));
  } finally {
    proxy.rule(null);
  }
  assert.equal(json(await store.load('root')).signed.version, 3, 'the root chain was followed and persisted before the refusal');
  const again = client(store, { trustedRoot: undefined });
  assert.deepEqual(await again.downloadTarget((await again.getTargetInfo(path))!), published.get(path));
  const fresh = client(new MemoryMetadataStore());
  assert.deepEqual(await fresh.downloadTarget((await fresh.getTargetInfo(path))!), published.get(path));
  const { u } = await tufjs();
  const theirs = (await u.getTargetInfo(path))!;
  const ours = (await fresh.getTargetInfo(path))!;
  assert.deepEqual({ length: ours.length, hashes: ours.hashes, custom: ours.custom ?? {} }, { length: theirs.length, hashes: theirs.hashes, custom: theirs.custom });
});
