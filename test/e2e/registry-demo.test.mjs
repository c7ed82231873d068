// `npm start`'s registry path end to end: scripts/seed-registry.mjs publishes the reference
// extension and the four template examples through `vib3 ext publish` into a fresh registry, a
// `vib3 registry serve` process serves it, and the extension manager demo (another origin) is a
// <vib3-marketplace> over it that installs one through the in-page installer into a real sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, open } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
let data;
let registry;
let registryUrl;
let server;

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'vib3-demo-registry-'));
  const seeded = spawnSync(process.execPath, ['scripts/seed-registry.mjs'], { cwd: repo, encoding: 'utf8', env: { ...process.env, VIB3_REGISTRY_DATA: data } });
  assert.equal(seeded.status, 0, seeded.stderr + seeded.stdout);
  assert.match(seeded.stdout, /published dev\.vib3\.duoprism@1\.0\.1, .*dev\.vib3\.example-ui-widget@0\.1\.0/);
  // Idempotent: a second run publishes nothing (every version answers VERSION_EXISTS).
  const again = spawnSync(process.execPath, ['scripts/seed-registry.mjs'], { cwd: repo, encoding: 'utf8', env: { ...process.env, VIB3_REGISTRY_DATA: data } });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /already up to date/);
  registry = spawn(process.execPath, [cli, 'registry', 'serve', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
  registryUrl = await new Promise((resolve, reject) => {
    let text = '';
    registry.stdout.on('data', (c) => {
      text += c;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) resolve(m[0]);
    });
    registry.once('exit', (code) => reject(new Error(`registry exited ${code}`)));
  });
  server = await startServer(() => ({}));
});
after(async () => {
  server?.server.close();
  if (registry) {
    registry.kill('SIGTERM');
    await new Promise((done) => (registry.exitCode !== null ? done() : registry.once('exit', done)));
  }
  rmSync(data, { recursive: true, force: true });
});

test('seeding refuses a data folder a running server holds (DATABASE_LOCKED) and changes nothing', async () => {
  const before = await (await fetch(`${registryUrl}/tuf/timestamp.json`)).text();
  // A server runs on that folder without announcing itself (no server.json, as `npm start` writes):
  // seeding must refuse the locked database rather than open it a second time.
  const again = spawnSync(process.execPath, ['scripts/seed-registry.mjs'], { cwd: repo, encoding: 'utf8', env: { ...process.env, VIB3_REGISTRY_DATA: data } });
  assert.notEqual(again.status, 0);
  assert.match(again.stderr + again.stdout, /DATABASE_LOCKED/);
  assert.equal(await (await fetch(`${registryUrl}/tuf/timestamp.json`)).text(), before);
});

test('the extension manager demo is a marketplace over the registry: it installs the reference extension through the in-page installer (TUF-verified)', async () => {
  const list = await (await fetch(`${registryUrl}/v1/extensions?sort=name&limit=50`)).json();
  assert.deepEqual(list.items.map((i) => i.id).sort(), ['dev.vib3.duoprism', 'dev.vib3.example-geometry', 'dev.vib3.example-renderer', 'dev.vib3.example-toolpack', 'dev.vib3.example-ui-widget']);
  assert.ok(list.items.every((i) => i.tier === 'verified' && i.publisher === 'vib3'));
  const browser = await launch('plain');
  try {
    const { page, errors, requests } = await open(browser, `${server.url}/demo/extensions.html?registry=${encodeURIComponent(registryUrl)}`);
    const card = page.locator('vib3-market-card').filter({ hasText: 'Duoprisms' });
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.locator(`[part~="badge"]`).textContent(), /verified/i);
    await card.locator('[part~="details"]').click();
    await page.locator('vib3-market-detail [part~="install"]').click();
    await page.locator('vib3-consent-dialog').locator('[part="allow"]').click();
    await page.waitForFunction(() => window.extensionHost?.list().some((r) => r.id === 'dev.vib3.duoprism' && r.version === '1.0.1' && r.state === 'active'), null, { timeout: 30_000 });
    // Through TUF: the signed metadata, then the package by its hash (consistent snapshot), never the plain API download.
    assert.ok(requests.includes('/tuf/timestamp.json'), 'refreshed TUF metadata');
    assert.ok(requests.some((r) => /^\/tuf\/targets\/extensions\/dev\.vib3\.duoprism\/[0-9a-f]{64}\.1\.0\.1\.vib3x$/.test(r)), 'downloaded the signed target');
    assert.ok(!requests.includes('/v1/extensions/dev.vib3.duoprism/1.0.1/package'));
    // The log line follows the commit (after activation): wait for it rather than race it.
    await page.waitForFunction(() => /install: dev\.vib3\.duoprism@1\.0\.1 from the registry/.test(document.getElementById('log').textContent), null, { timeout: 30_000 });
    const installed = await page.evaluate(() => window.installer.list());
    assert.deepEqual(installed.map((x) => [x.id, x.version, x.channel, x.cached]), [['dev.vib3.duoprism', '1.0.1', 'stable', ['1.0.1']]]);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
