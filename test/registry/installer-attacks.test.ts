// Attacks on the installer through a loopback man-in-the-middle proxy between it and a real
// registry (test/support/mitm-proxy.ts), and crash safety of the CLI. Every attack must be refused
// with its coded error (exit 3 in the CLI) and leave the install directory byte for byte as it
// was; refusals of replayed metadata must survive a new CLI process (persisted trusted state).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { InstallerEngine } from '../../src/marketplace/installer.js';
import { FileInstallStore } from '../../src/cli/install/file-store.js';
import { cliActivator } from '../../src/cli/install/cli-activator.js';
import { generateEd25519, keyIdOf } from '../../src/extensions/index.js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';
import { startMitmProxy, type MitmProxy } from '../support/mitm-proxy.js';

const repo = new URL('../../', import.meta.url).pathname;
const ID = 'com.acme.guarded';
let reg: TestRegistry;
let acme: TestPublisher;
let proxy: MitmProxy;
let work: string;
let dirCount = 0;

async function vib3Json(...args: string[]): Promise<{ code: number; body: any }> {
  const out: string[] = [];
  const code = await main([...args, '--json'], { out: (l) => out.push(l), err: () => undefined });
  return { code, body: JSON.parse(out.join('\n')) };
}
/**
 * The installed set of a directory, byte for byte: the state file and every cached package (the
 * TUF metadata under tuf/ may move forward during a refused install: that is the point of it).
 */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'tuf') walk(path, `${prefix}${name}/`);
      }
      else if (name !== '.lock') out[`${prefix}${name}`] = readFileSync(path).toString('base64');
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}
/** A child process to its end: exit status and output. */
function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}
async function release(version: string, channel?: string): Promise<Uint8Array> {
  const bytes = await makePackage(acme, { id: ID, version });
  assert.equal((await publish(reg.url, acme.token, ID, version, bytes)).status, 201);
  if (channel) assert.equal((await api(reg.url, `/v1/extensions/${ID}/channels/${channel}`, { method: 'PUT', token: acme.token, json: { version } })).status, 200);
  return bytes;
}
/** A directory with 1.0.0 installed through the proxy. */
async function installedDir(): Promise<string> {
  const dir = join(work, `d${dirCount++}`);
  const r = await vib3Json('ext', 'install', `${ID}@1.0.0`, '--registry', proxy.url, '--dir', dir, '--yes');
  assert.equal(r.code, 0, JSON.stringify(r.body));
  return dir;
}
/** Runs an install through the proxy and expects a security refusal that changed nothing. */
async function refused(dir: string, code: string, args: string[] = ['ext', 'install', ID, '--channel', 'beta']): Promise<void> {
  const before = snapshot(dir);
  const r = await vib3Json(...args, '--dir', dir);
  assert.deepEqual([r.code, r.body.ok, r.body.code], [3, false, code], JSON.stringify(r.body));
  assert.deepEqual(snapshot(dir), before, 'the install directory changed');
}

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  proxy = await startMitmProxy(reg.url);
  work = mkdtempSync(join(tmpdir(), 'vib3-install-attacks-'));
  await release('1.0.0');
  await release('1.1.0-beta.1', 'beta');
});
beforeEach(() => proxy.rule(null));
after(async () => {
  await proxy?.close();
  await reg?.close();
  rmSync(work, { recursive: true, force: true });
});

test(`[${BACKEND}] replayed timestamp, snapshot and targets (rollback, mix-and-match) are refused, and still refused by a new CLI process`, async () => {
  const dir = await installedDir();
  const text = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
  const oldTimestamp = await proxy.capture('/tuf/timestamp.json');
  const oldSnapshot = await proxy.capture(`/tuf/${text(oldTimestamp).signed.meta['snapshot.json'].version}.snapshot.json`);
  // The hashed bin that lists the channel file (the targets metadata an install reads).
  const bin = `bin-${createHash('sha256').update(`channels/${ID}.json`).digest('hex').slice(0, 2)}`;
  const oldBin = await proxy.capture(`/tuf/${text(oldSnapshot).signed.meta[`${bin}.json`].version}.${bin}.json`);
  await release('1.1.0-beta.2', 'beta');
  // The client sees the newer metadata once...
  assert.equal((await vib3Json('ext', 'install', `${ID}@1.0.0`, '--dir', dir)).code, 0);

  // ...then an attacker replays the old timestamp: it is older than the trusted one.
  proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'replay', bytes: oldTimestamp });
  await refused(dir, 'TUF_ROLLBACK');
  // A new process reads the persisted trusted timestamp and refuses too.
  const before = snapshot(dir);
  // (Asynchronously: the proxy runs in this process and must keep answering.)
  const child = await run(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/bin.ts'), 'ext', 'install', ID, '--channel', 'beta', '--dir', dir, '--json']);
  assert.equal(child.status, 3, `${child.stdout}\n${child.stderr}`);
  assert.equal(JSON.parse(child.stdout).code, 'TUF_ROLLBACK');
  assert.deepEqual(snapshot(dir), before);

  // New metadata exists (another release); the attacker serves the old snapshot, then the old
  // bin, under the new names: they disagree with the hashes the metadata above them signs.
  proxy.rule(null);
  await release('1.1.0-beta.3', 'beta');
  proxy.rule({ match: /^\/tuf\/\d+\.snapshot\.json$/, action: 'replay', bytes: oldSnapshot });
  await refused(dir, 'TUF_MISMATCH');
  proxy.rule({ match: new RegExp(`^/tuf/\\d+\\.${bin}\\.json$`), action: 'replay', bytes: oldBin });
  await refused(dir, 'TUF_MISMATCH');
  proxy.rule(null);
  assert.equal((await vib3Json('ext', 'install', ID, '--channel', 'beta', '--dir', dir)).body.version, '1.1.0-beta.3');
});

test(`[${BACKEND}] an expired timestamp (freeze) is refused`, async () => {
  const dir = await installedDir();
  const before = snapshot(dir);
  // The registry's timestamp expires a day after it is signed: a client two days later sees it frozen.
  const later = () => new Date(Date.now() + 2 * 24 * 3600 * 1000);
  const engine = new InstallerEngine({ registry: proxy.url, store: new FileInstallStore(dir), activator: cliActivator(true), now: later });
  await assert.rejects(engine.install(ID, { channel: 'beta' }), (err: any) => err.code === 'TUF_EXPIRED');
  assert.deepEqual(snapshot(dir), before);
});

test(`[${BACKEND}] altered channel files and packages, and packages signed by other keys, are refused`, async () => {
  const dir = await installedDir();
  // A channel file pointing beta to an older version: its bytes no longer match the signed target.
  proxy.rule({ match: /^\/tuf\/targets\/channels\//, action: 'replace', bytes: new TextEncoder().encode('{"beta":"1.0.0","canary":null,"stable":"1.0.0"}') });
  await refused(dir, 'TARGET_MISMATCH');
  // One flipped byte in the package.
  proxy.rule({ match: /^\/tuf\/targets\/extensions\//, action: 'flip-byte' });
  await refused(dir, 'TARGET_MISMATCH');
  // A whole package of the same id and version signed by a key nobody vouched for.
  const { publicJwk, privateJwk } = await generateEd25519();
  const stranger = { keyId: await keyIdOf(publicJwk), privateJwk };
  proxy.rule({ match: /^\/tuf\/targets\/extensions\//, action: 'replace', bytes: await makePackage(stranger, { id: ID, version: '1.1.0-beta.1' }) });
  await refused(dir, 'TARGET_MISMATCH');
  proxy.rule(null);
  // A page or project that pins its publishers' keys refuses a package the registry vouches for otherwise.
  const before = snapshot(dir);
  const pinned = new InstallerEngine({ registry: proxy.url, store: new FileInstallStore(dir), activator: cliActivator(true), trustedKeys: new Map([[stranger.keyId, publicJwk]]) });
  await assert.rejects(pinned.install(ID, { channel: 'beta' }), (err: any) => err.code === 'PACKAGE_SIGNATURE_INVALID');
  assert.deepEqual(snapshot(dir), before);
});

test(`[${BACKEND}] endless and stalled responses are cut off by their bounds`, async () => {
  const dir = await installedDir();
  proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'endless' });
  await refused(dir, 'TOO_LARGE');
  proxy.rule({ match: /^\/tuf\/targets\/extensions\//, action: 'endless' });
  await refused(dir, 'TARGET_MISMATCH');
  // Stalls: the deadlines are the installer's own bounds, set short here.
  const before = snapshot(dir);
  const engine = new InstallerEngine({ registry: proxy.url, store: new FileInstallStore(dir), activator: cliActivator(true), tufLimits: { deadlineMs: 1500 }, downloadDeadlineMs: 1500 });
  proxy.rule({ match: /^\/tuf\/timestamp\.json$/, action: 'stall' });
  await assert.rejects(engine.install(ID, { channel: 'beta' }), (err: any) => err.code === 'DOWNLOAD_TIMEOUT');
  proxy.rule({ match: /^\/tuf\/targets\/extensions\//, action: 'stall' });
  await assert.rejects(engine.install(ID, { channel: 'beta' }), (err: any) => err.code === 'DOWNLOAD_TIMEOUT');
  proxy.rule(null);
  assert.deepEqual(snapshot(dir), before);
});

test(`[${BACKEND}] a CLI killed in the middle of an install leaves the previous version and a usable directory`, async () => {
  const dir = await installedDir();
  const before = readFileSync(join(dir, 'vib3-extensions.json'));
  proxy.rule({ match: /^\/tuf\/targets\/extensions\//, action: 'stall' });
  const seen = proxy.requests.length;
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/bin.ts'), 'ext', 'install', ID, '--channel', 'beta', '--dir', dir, '--yes', '--json'], { cwd: repo, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  // Wait until it is downloading the package (the proxy holds the response), then kill it.
  while (!proxy.requests.slice(seen).some((p) => p.startsWith('/tuf/targets/extensions/'))) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(join(dir, '.lock')), 'the install holds the lock while it runs');
  child.kill('SIGKILL');
  await exited;
  proxy.rule(null);
  assert.deepEqual(readFileSync(join(dir, 'vib3-extensions.json')), before);
  // The dead process's lock is taken over; the directory still says 1.0.0 and installs normally.
  const list = await vib3Json('ext', 'list', '--dir', dir);
  assert.deepEqual(list.body.extensions.map((x: any) => x.version), ['1.0.0']);
  const again = await vib3Json('ext', 'install', ID, '--channel', 'beta', '--dir', dir, '--yes');
  assert.deepEqual([again.code, again.body.version], [0, '1.1.0-beta.3']);
});

test(`[${BACKEND}] a store keeps the registry and root it started from; two processes on one directory both commit`, async () => {
  const dir = await installedDir();
  const before = snapshot(dir);
  writeFileSync(join(work, 'other-root.json'), '{"signed":{"_type":"root","version":1},"signatures":[]}');
  const otherRoot = await vib3Json('ext', 'install', ID, '--channel', 'beta', '--dir', dir, '--trust-root', join(work, 'other-root.json'));
  assert.deepEqual([otherRoot.code, otherRoot.body.code], [3, 'TUF_ROOT_INVALID']);
  assert.deepEqual(snapshot(dir), before);
  // A directory whose first install failed (no consent) still trusts only the registry it began with.
  const fresh = join(work, `d${dirCount++}`);
  assert.equal((await vib3Json('ext', 'install', ID, '--registry', proxy.url, '--dir', fresh)).body.code, 'CONSENT_DENIED');
  const elsewhere = await vib3Json('ext', 'install', ID, '--registry', reg.url, '--dir', fresh, '--yes');
  assert.deepEqual([elsewhere.code, elsewhere.body.code], [1, 'STORE_REGISTRY_MISMATCH']);

  // Two CLI processes install two extensions into one directory at once: the lock serializes them.
  const other = 'com.acme.other';
  assert.equal((await publish(reg.url, acme.token, other, '1.0.0', await makePackage(acme, { id: other, version: '1.0.0' }))).status, 201);
  const cli = (id: string) => run(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/bin.ts'), 'ext', 'install', id, '--dir', dir, '--yes', '--json']);
  const [a, b] = await Promise.all([cli(other), cli(`${ID}@1.1.0-beta.1`)]);
  assert.deepEqual([a.status, b.status], [0, 0], `${a.stdout}${a.stderr}\n${b.stdout}${b.stderr}`);
  const listed = (await vib3Json('ext', 'list', '--dir', dir)).body.extensions.map((x: any) => `${x.id}@${x.version}`);
  assert.deepEqual(listed, [`${ID}@1.1.0-beta.1`, `${other}@1.0.0`]);
  assert.ok(!existsSync(join(dir, '.lock')), 'the lock is released');
});

test(`[${BACKEND}] installs export vib3.marketplace.install spans and durations over OTLP (a refused one failed with its class)`, async () => {
  const { startNodeTelemetry } = await import('../../src/agent-server/telemetry-node.js');
  const { startOtlpCollector } = await import('../support/otlp-collector.js');
  const { errorClassOf } = await import('../../src/telemetry/error-classes.js');
  const dir = await installedDir();
  const collector = await startOtlpCollector();
  const tel = await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, 'vib3-installer-test');
  try {
    assert.equal((await vib3Json('ext', 'install', ID, '--channel', 'beta', '--dir', dir)).code, 0);
    assert.notEqual((await vib3Json('ext', 'rollback', ID, '--to', '0.0.1', '--dir', dir)).code, 0);
    await tel!.shutdown();
    const spans = collector.spans().filter((s) => s.name === 'vib3.marketplace.install');
    assert.equal(spans.length, 2, JSON.stringify(collector.spans().map((s) => s.name)));
    const [ok, refusedSpan] = spans;
    assert.equal(ok!.attributes['vib3.install.operation'], 'install');
    assert.equal(ok!.attributes['vib3.extension.id'], ID);
    assert.equal(ok!.attributes['vib3.channel'], 'beta');
    assert.match(String(ok!.attributes['vib3.extension.version']), /^1\.1\.0-beta\./);
    assert.notEqual(ok!.status.code, 2);
    assert.equal(refusedSpan!.attributes['vib3.install.operation'], 'rollback');
    assert.equal(refusedSpan!.status.code, 2);
    assert.equal(refusedSpan!.attributes['error.type'], errorClassOf(String(refusedSpan!.attributes['vib3.error.code'])));
    assert.ok(collector.points().some((p) => p.metric === 'vib3.marketplace.install.duration' && p.attributes['vib3.install.operation'] === 'install'));
  } finally {
    await tel?.shutdown();
    await collector.close();
  }
});
