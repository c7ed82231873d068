// `vib3 ext install|update|channel|rollback|uninstall|list` (the real command line, run in this
// process through `main`) against a real registry on loopback: channels stable -> beta -> canary
// -> stable, update, rollback online and with the registry stopped, pinning, yanks, consent,
// uninstall, and the --json shapes and exit codes docs/INSTALLER.md promises.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { main } from '../../src/cli/program.js';
import { issueLicense } from '../../src/marketplace/license/index.js';
import { generateEd25519 } from '../../src/extensions/index.js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

let reg: TestRegistry;
let acme: TestPublisher;
let work: string;
const ID = 'com.acme.shapes';
const bytesOf = new Map<string, Uint8Array>();

/** Runs `vib3 …` in this process; returns exit code, stdout and stderr. */
async function vib3(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
/** Runs `vib3 … --json` and parses the one JSON result. */
async function vib3Json(...args: string[]): Promise<{ code: number; body: any }> {
  const r = await vib3(...args, '--json');
  try {
    return { code: r.code, body: JSON.parse(r.out) };
  } catch {
    throw new Error(`vib3 ${args.join(' ')} --json printed no JSON (exit ${r.code}):\n${r.out}\n${r.err}`);
  }
}
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const stateBytes = (dir: string) => (existsSync(join(dir, 'vib3-extensions.json')) ? readFileSync(join(dir, 'vib3-extensions.json')) : undefined);

async function release(version: string, channel?: string): Promise<void> {
  const bytes = await makePackage(acme, { id: ID, version, title: 'Shapes' });
  bytesOf.set(version, bytes);
  const res = await publish(reg.url, acme.token, ID, version, bytes);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  if (channel) assert.equal((await api(reg.url, `/v1/extensions/${ID}/channels/${channel}`, { method: 'PUT', token: acme.token, json: { version } })).status, 200);
}

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  work = mkdtempSync(join(tmpdir(), 'vib3-install-cli-'));
  await release('1.0.0');
  await release('1.1.0');
  await release('2.0.0-beta.1', 'beta');
  await release('3.0.0-canary.1', 'canary');
});
after(async () => {
  await reg?.close();
  rmSync(work, { recursive: true, force: true });
});

test(`[${BACKEND}] install, switch stable -> beta -> canary -> stable, update, rollback, pin, uninstall`, async () => {
  const dir = join(work, 'project');
  const first = await vib3Json('ext', 'install', ID, '--registry', reg.url, '--dir', dir, '--yes');
  assert.equal(first.code, 0, JSON.stringify(first.body));
  assert.deepEqual({ ...first.body, ms: undefined }, { ok: true, id: ID, version: '1.1.0', channel: 'stable', action: 'installed', fromCache: false, ms: undefined });
  // The cached package is byte for byte what was published, under its SHA-256.
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'packages', `${sha256(bytesOf.get('1.1.0')!)}.vib3x`))), bytesOf.get('1.1.0'));

  const beta = await vib3Json('ext', 'channel', ID, 'beta', '--dir', dir, '--yes');
  assert.equal(beta.code, 0, JSON.stringify(beta.body));
  assert.equal(beta.body.version, '2.0.0-beta.1');
  assert.equal(beta.body.action, 'updated');
  const canary = await vib3Json('ext', 'channel', ID, 'canary', '--dir', dir);
  assert.equal(canary.body.version, '3.0.0-canary.1');
  const stable = await vib3Json('ext', 'channel', ID, 'stable', '--dir', dir);
  assert.deepEqual([stable.body.version, stable.body.action, stable.body.fromCache, stable.body.previous], ['1.1.0', 'downgraded', true, '3.0.0-canary.1']);

  const list = await vib3Json('ext', 'list', '--dir', dir);
  assert.equal(list.code, 0);
  assert.equal(list.body.registry, reg.url);
  assert.deepEqual(
    list.body.extensions.map((x: any) => ({ id: x.id, version: x.version, channel: x.channel, cached: x.cached, pinned: x.pinned })),
    [{ id: ID, version: '1.1.0', channel: 'stable', cached: ['3.0.0-canary.1', '2.0.0-beta.1', '1.1.0'], pinned: false }],
  );

  await release('1.2.0');
  const upd = await vib3Json('ext', 'update', '--dir', dir);
  assert.deepEqual(upd.body.results.map((r: any) => [r.version, r.previous, r.action]), [['1.2.0', '1.1.0', 'updated']]);

  const back = await vib3Json('ext', 'rollback', ID, '--dir', dir);
  assert.deepEqual([back.code, back.body.version, back.body.action, back.body.fromCache], [0, '1.1.0', 'rolled-back', true]);
  // Pinned: updating everything leaves it alone; updating it by name unpins and updates.
  const all = await vib3Json('ext', 'update', '--dir', dir);
  assert.deepEqual(all.body.results, []);
  assert.equal((await vib3Json('ext', 'list', '--dir', dir)).body.extensions[0].pinned, true);
  const named = await vib3Json('ext', 'update', ID, '--dir', dir);
  assert.deepEqual(named.body.results.map((r: any) => [r.version, r.action]), [['1.2.0', 'updated']]);
  assert.equal((await vib3Json('ext', 'list', '--dir', dir)).body.extensions[0].pinned, false);

  // Human output names what happened.
  const text = await vib3('ext', 'rollback', ID, '--dir', dir, '--to', '2.0.0-beta.1');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /rolled back com\.acme\.shapes 1\.2\.0 -> 2\.0\.0-beta\.1 \(from the cache\); pinned/);

  const gone = await vib3Json('ext', 'uninstall', ID, '--dir', dir);
  assert.equal(gone.code, 0);
  assert.deepEqual((await vib3Json('ext', 'list', '--dir', dir)).body.extensions, []);
  // Uninstall deletes the cached packages too.
  assert.deepEqual(readdir(join(dir, 'packages')), []);
});

function readdir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

test(`[${BACKEND}] a range installs the newest matching release the channel allows, never a yanked one`, async () => {
  const dir = join(work, 'ranges');
  const r = await vib3Json('ext', 'install', `${ID}@^1.0.0`, '--registry', reg.url, '--dir', dir, '--yes');
  assert.equal(r.body.version, '1.2.0');
  assert.equal((await api(reg.url, `/v1/extensions/${ID}/1.2.0/yank`, { method: 'POST', token: acme.token, json: { reason: 'broken' } })).status, 200);
  const again = await vib3Json('ext', 'install', `${ID}@^1.0.0`, '--dir', dir);
  assert.deepEqual([again.code, again.body.version, again.body.action], [0, '1.1.0', 'downgraded']);
  // The range stays: update stays inside it and never picks the yanked release.
  const upd = await vib3Json('ext', 'update', ID, '--dir', dir);
  assert.deepEqual(upd.body.results.map((x: any) => [x.version, x.action]), [['1.1.0', 'unchanged']]);
  const none = await vib3Json('ext', 'install', `${ID}@>=9`, '--dir', dir);
  assert.deepEqual([none.code, none.body.code], [1, 'NO_MATCHING_VERSION']);
});

test(`[${BACKEND}] consent: without --yes (and no terminal) nothing is installed; bad input is a usage error`, async () => {
  const dir = join(work, 'consent');
  const denied = await vib3Json('ext', 'install', `${ID}@1.1.0`, '--registry', reg.url, '--dir', dir);
  assert.deepEqual([denied.code, denied.body.ok, denied.body.code], [1, false, 'CONSENT_DENIED']);
  assert.match(denied.body.suggestion, /--yes/);
  assert.equal(stateBytes(dir), undefined);
  assert.deepEqual(readdir(join(dir, 'packages')), []);

  const noRegistry = await vib3Json('ext', 'install', ID, '--dir', join(work, 'empty'));
  assert.deepEqual([noRegistry.code, noRegistry.body.code], [2, 'MISSING_REGISTRY']);
  const badChannel = await vib3Json('ext', 'channel', ID, 'nightly', '--dir', dir);
  assert.deepEqual([badChannel.code, badChannel.body.code], [2, 'INVALID_CHANNEL']);
  const badId = await vib3Json('ext', 'install', 'Not An Id', '--registry', reg.url, '--dir', dir, '--yes');
  assert.deepEqual([badId.code, badId.body.code], [1, 'INVALID_ID']);
  const notInstalled = await vib3Json('ext', 'rollback', ID, '--dir', join(work, 'ranges'), '--to', '3.0.0-canary.1');
  assert.deepEqual([notInstalled.code, notInstalled.body.code], [1, 'NOT_CACHED']);
  for (const sub of ['install', 'update', 'channel', 'rollback', 'uninstall', 'list']) {
    const help = await vib3('ext', sub, '--help');
    assert.equal(help.code, 0, sub);
    assert.match(help.out, new RegExp(`vib3 ext ${sub}`));
  }
});

test(`[${BACKEND}] rollback works with the registry stopped; an install needing the network fails and changes nothing`, async () => {
  const own = await startTestRegistry();
  try {
    const pub = await createPublisher(own, 'acme');
    for (const v of ['1.0.0', '1.1.0']) assert.equal((await publish(own.url, pub.token, ID, v, await makePackage(pub, { id: ID, version: v }))).status, 201);
    const dir = join(work, 'offline');
    assert.equal((await vib3Json('ext', 'install', `${ID}@1.0.0`, '--registry', own.url, '--dir', dir, '--yes')).body.version, '1.0.0');
    // The exact range stays: update keeps 1.0.0; naming a channel drops the range.
    assert.deepEqual((await vib3Json('ext', 'update', ID, '--dir', dir)).body.results.map((r: any) => r.action), ['unchanged']);
    assert.equal((await vib3Json('ext', 'install', ID, '--channel', 'stable', '--dir', dir)).body.version, '1.1.0');
    await own.close();

    const before = stateBytes(dir)!;
    const offline = await vib3Json('ext', 'install', ID, '--channel', 'beta', '--dir', dir);
    assert.deepEqual([offline.code, offline.body.code], [1, 'REGISTRY_UNREACHABLE']);
    assert.deepEqual(stateBytes(dir), before);

    const back = await vib3Json('ext', 'rollback', ID, '--dir', dir);
    assert.deepEqual([back.code, back.body.version, back.body.fromCache], [0, '1.0.0', true]);
    assert.equal((await vib3Json('ext', 'list', '--dir', dir)).body.extensions[0].version, '1.0.0');
  } finally {
    await own.close().catch(() => undefined);
  }
});

test(`[${BACKEND}] an update that asks for more waits for consent; a rollback is recorded in the history`, async () => {
  const id = 'com.acme.grows';
  const dir = join(work, 'grows');
  assert.equal((await publish(reg.url, acme.token, id, '1.0.0', await makePackage(acme, { id, version: '1.0.0' }))).status, 201);
  assert.equal((await vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes')).body.version, '1.0.0');
  const withNetwork = await makePackage(acme, { id, version: '1.1.0', edit: (m) => (m.capabilities.network = { reason: 'Fetches shapes.', origins: ['https://shapes.example.com'] }) });
  assert.equal((await publish(reg.url, acme.token, id, '1.1.0', withNetwork)).status, 201);

  const before = stateBytes(dir);
  const held = await vib3Json('ext', 'update', id, '--dir', dir);
  assert.deepEqual([held.code, held.body.code], [1, 'CONSENT_DENIED']);
  assert.deepEqual(held.body.requested, ['network', 'https://shapes.example.com']);
  assert.deepEqual(stateBytes(dir), before);

  const granted = await vib3Json('ext', 'update', id, '--dir', dir, '--yes');
  assert.deepEqual(granted.body.results.map((r: any) => r.version), ['1.1.0']);
  const [listed] = (await vib3Json('ext', 'list', '--dir', dir)).body.extensions;
  assert.ok(listed.granted.includes('network') && listed.granted.includes('https://shapes.example.com'));
  // Rolling back to a version that asks for less needs no consent.
  assert.equal((await vib3Json('ext', 'rollback', id, '--dir', dir)).code, 0);
  const history = JSON.parse(readFileSync(join(dir, 'vib3-extensions.json'), 'utf8')).history.map((h: any) => [h.action, h.from ?? null, h.to]);
  assert.deepEqual(history, [['install', null, '1.0.0'], ['update', '1.0.0', '1.1.0'], ['rollback', '1.1.0', '1.0.0']]);
  // The same operations, hash-chained in DIR/audit.jsonl (with the capability grants); an edited line is named.
  const auditFile = join(dir, 'audit.jsonl');
  const lines = readFileSync(auditFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((r: any) => [r.action, r.subject]), [['grant', id], ['install', id], ['grant', id], ['update', id], ['rollback', id]]);
  const verified = await vib3Json('audit', 'verify', auditFile);
  assert.deepEqual([verified.code, verified.body.count], [0, 5]);
  writeFileSync(auditFile, readFileSync(auditFile, 'utf8').replace('"to":"1.0.0"}', '"to":"1.1.0"}'));
  const tampered = await vib3Json('audit', 'verify', auditFile);
  assert.deepEqual([tampered.code, tampered.body.code, tampered.body.seq], [1, 'AUDIT_EDITED', 2]); // the first line saying "to 1.0.0": the install
});

test(`[${BACKEND}] a paid extension installs only with a valid license for the site, signed by its publisher`, async () => {
  const id = 'com.acme.paid';
  const dir = join(work, 'paid');
  const paid = (m: Record<string, any>) => (m.marketplace.pricing = { model: 'paid', amount: 9, currency: 'EUR' });
  assert.equal((await publish(reg.url, acme.token, id, '1.0.0', await makePackage(acme, { id, version: '1.0.0', edit: paid }))).status, 201);
  const site = 'https://shop.example.com';
  const none = await vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes', '--origin', site);
  assert.deepEqual([none.code, none.body.code], [1, 'LICENSE_REQUIRED']);
  assert.equal(stateBytes(dir), undefined);
  const expired = await issueLicense(acme.privateJwk, { ext: id, aud: [site], tier: 'pro', now: new Date(Date.now() - 40 * 86_400_000), days: 30 });
  const refused = await vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes', '--origin', site, '--license', expired);
  assert.deepEqual([refused.code, refused.body.code, refused.body.reason], [1, 'LICENSE_REFUSED', 'LICENSE_EXPIRED']);
  const valid = await issueLicense(acme.privateJwk, { ext: id, aud: [site], tier: 'pro', days: 30 });
  const elsewhere = await vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes', '--origin', 'https://other.example.com', '--license', valid);
  assert.deepEqual([elsewhere.body.code, elsewhere.body.reason], ['LICENSE_REFUSED', 'LICENSE_WRONG_AUDIENCE']);
  // A license signed by another key than the publisher's the registry vouches for.
  const stranger = await generateEd25519();
  const forged = await issueLicense(stranger.privateJwk, { ext: id, aud: [site], tier: 'pro', days: 30 });
  assert.deepEqual((await vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes', '--origin', site, '--license', forged)).body.reason, 'LICENSE_UNKNOWN_KEY');
  assert.equal(stateBytes(dir), undefined);
  const ok = await vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes', '--origin', site, '--license', valid);
  assert.deepEqual([ok.code, ok.body.version], [0, '1.0.0']);

  // A license the registry issued for the publisher's checkout: its key comes from TUF.
  const bought = await api(reg.url, `/v1/extensions/${id}/licenses`, { method: 'POST', token: acme.token, json: { sub: 'customer-7', aud: [site], tier: 'pro' } });
  assert.equal(bought.status, 201);
  assert.equal((await publish(reg.url, acme.token, id, '1.0.1', await makePackage(acme, { id, version: '1.0.1', edit: paid }))).status, 201);
  const upd = await vib3Json('ext', 'update', id, '--dir', dir, '--origin', site, '--license', bought.body.token);
  assert.deepEqual(upd.body.results?.map((r: any) => r.version), ['1.0.1'], JSON.stringify(upd.body));
  // Revoked: the next refresh brings the signed revocation list, and the next version is refused.
  assert.equal((await api(reg.url, `/v1/licenses/${bought.body.jti}/revoke`, { method: 'POST', token: acme.token, json: { reason: 'refunded' } })).status, 200);
  assert.equal((await publish(reg.url, acme.token, id, '1.0.2', await makePackage(acme, { id, version: '1.0.2', edit: paid }))).status, 201);
  const revoked = await vib3Json('ext', 'update', id, '--dir', dir, '--origin', site, '--license', bought.body.token);
  assert.deepEqual([revoked.code, revoked.body.code, revoked.body.reason], [1, 'LICENSE_REFUSED', 'LICENSE_REVOKED']);
});
