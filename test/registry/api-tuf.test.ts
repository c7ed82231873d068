// A stock TUF client (tuf-js) against the real registry: it refreshes and downloads every
// published package and channel file, sees channel moves and yanks in signed metadata, and
// refuses a package whose bytes were altered in the blob store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';
import { sha256Hex } from '../../src/registry/store/targets.js';

let reg: TestRegistry;
let acme: TestPublisher;
let work: string;
const published = new Map<string, Uint8Array>();

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  work = mkdtempSync(join(tmpdir(), 'vib3-tuf-client-'));
  for (const [id, version] of [['com.acme.one', '1.0.0'], ['com.acme.one', '1.1.0'], ['com.acme.two', '0.1.0'], ['com.acme.two', '0.2.0-beta.1']] as const) {
    const bytes = await makePackage(acme, { id, version });
    assert.equal((await publish(reg.url, acme.token, id, version, bytes)).status, 201);
    published.set(`extensions/${id}/${version}.vib3x`, bytes);
  }
});
after(async () => {
  await reg?.close();
  rmSync(work, { recursive: true, force: true });
});

let clients = 0;
function client(): Updater {
  const dir = join(work, `client-${++clients}`);
  const metadataDir = join(dir, 'metadata');
  const targetDir = join(dir, 'targets');
  for (const d of [metadataDir, targetDir]) rmSync(d, { recursive: true, force: true });
  mkdirSync(metadataDir, { recursive: true });
  mkdirSync(targetDir, { recursive: true });
  copyFileSync(join(reg.dataDir, 'root.json'), join(metadataDir, 'root.json'));
  return new Updater({ metadataBaseUrl: `${reg.url}/tuf`, targetBaseUrl: `${reg.url}/tuf/targets`, metadataDir, targetDir });
}

test(`[${BACKEND}] tuf-js refreshes from root.json and downloads every published package byte for byte`, async () => {
  const updater = client();
  await updater.refresh();
  for (const [path, bytes] of published) {
    const info = await updater.getTargetInfo(path);
    assert.ok(info, `${path} is in the signed targets`);
    assert.equal(info.length, bytes.length);
    const file = join(work, `dl-${sha256Hex(bytes)}`);
    await updater.downloadTarget(info, file);
    assert.deepEqual(new Uint8Array(readFileSync(file)), bytes, path);
  }
  assert.equal(await updater.getTargetInfo('extensions/com.acme.one/9.9.9.vib3x'), undefined);
});

test(`[${BACKEND}] channel files are signed targets and follow channel moves and yanks`, async () => {
  const read = async () => {
    const updater = client();
    await updater.refresh();
    const info = await updater.getTargetInfo('channels/com.acme.one.json');
    assert.ok(info);
    const file = join(work, `channels-${clients}.json`);
    await updater.downloadTarget(info, file);
    return JSON.parse(readFileSync(file, 'utf8'));
  };
  assert.deepEqual(await read(), { beta: null, canary: null, stable: '1.1.0' });
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.one/channels/canary', { method: 'PUT', token: acme.token, json: { version: '1.0.0' } })).status, 200);
  assert.deepEqual(await read(), { beta: null, canary: '1.0.0', stable: '1.1.0' });
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.one/1.1.0/yank', { method: 'POST', token: acme.token, json: { reason: 'bad' } })).status, 200);
  assert.deepEqual(await read(), { beta: null, canary: '1.0.0', stable: null });
  const updater = client();
  await updater.refresh();
  const yanked = await updater.getTargetInfo('extensions/com.acme.one/1.1.0.vib3x');
  assert.equal((yanked?.custom as { yanked?: boolean })?.yanked, true, 'the yank is in signed metadata');
});

test(`[${BACKEND}] a package whose stored bytes were altered is refused by the client`, async () => {
  const path = 'extensions/com.acme.two/0.1.0.vib3x';
  const bytes = published.get(path)!;
  const altered = bytes.slice();
  altered[altered.length - 10] = altered[altered.length - 10]! ^ 0xff;
  // Storage compromised: the blob store hands out other bytes under the package's hash.
  const blobs = reg.context.blobs;
  const original = blobs.get.bind(blobs);
  blobs.get = async (sha) => (sha === sha256Hex(bytes) ? altered : original(sha));
  const updater = client();
  await updater.refresh();
  const info = await updater.getTargetInfo(path);
  assert.ok(info);
  await assert.rejects(updater.downloadTarget(info, join(work, 'altered.vib3x')), /length|hash|digest|mismatch/i);
  blobs.get = original;
});
