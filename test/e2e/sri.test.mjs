// Subresource Integrity for the script tag: the npm tarball's dist/vib3.iife.js served from a
// CDN-like origin (CORS open), a partner page on another origin under a strict CSP with
// <script src=… integrity=… crossorigin="anonymous"> (test/e2e/fixtures/sri/page.html). With the
// integrity value from the tarball's dist/integrity.json the element renders; with one byte of the
// file changed, Chromium blocks the script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x as extract } from 'tar';
import { serveStatic } from '../../scripts/serve.mjs';
import { launch, canvasSpread, FLAG_SETS } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const template = readFileSync(join(repo, 'test/e2e/fixtures/sri/page.html'), 'utf8');
const IIFE = 'dist/vib3.iife.js';
let work;
let kit;
let pages;
let integrity;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'vib3-sri-'));
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = join(work, JSON.parse(packed.stdout)[0].filename);
  // good/: the package as published; tampered/: the same with one byte of the script-tag file changed.
  for (const name of ['good', 'tampered']) {
    mkdirSync(join(work, name));
    await extract({ file: tarball, cwd: join(work, name), strip: 1 });
  }
  const file = readFileSync(join(work, 'good', IIFE));
  integrity = JSON.parse(readFileSync(join(work, 'good/dist/integrity.json'), 'utf8')).files[IIFE].integrity;
  assert.equal(integrity, `sha384-${createHash('sha384').update(file).digest('base64')}`, 'the generated value is the sha384 of the shipped file');
  // A letter inside a message string: the changed file is still a working script (the control below).
  const at = file.indexOf('"Check the attribute value');
  assert.ok(at > 0, 'a message string to change');
  const tampered = Buffer.from(file);
  tampered[at + 1] ^= 0x20; // "Check" -> "check"
  writeFileSync(join(work, 'tampered', IIFE), tampered);
  kit = await serveStatic({ root: work, headers: () => ({ 'access-control-allow-origin': '*' }) });
  const policy = `default-src 'self'; script-src 'self' ${kit.url} 'wasm-unsafe-eval'; worker-src blob:; frame-src ${kit.url}; connect-src 'self'; style-src 'self'; img-src 'self' data: blob:`;
  // The partner page: localhost (not 127.0.0.1), its own port.
  pages = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/page.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(readFileSync(join(repo, 'test/e2e/fixtures/sri/page.css')));
    if (url.pathname !== '/page.html') return res.writeHead(404).end();
    const html = template.replace('%KIT%', `${kit.url}/${url.searchParams.get('variant')}`).replace('%INTEGRITY%', url.searchParams.get('integrity') ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy, 'cache-control': 'no-store' }).end(html);
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
});
after(() => {
  kit?.server.close();
  pages?.close();
  rmSync(work, { recursive: true, force: true });
});

const pageUrl = (variant, value) => `http://localhost:${pages.address().port}/page.html?variant=${variant}&integrity=${encodeURIComponent(value)}`;

async function openPage(browser, url) {
  const page = await browser.newPage();
  const messages = [];
  const pageErrors = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, messages, pageErrors };
}

for (const flagSet of Object.keys(FLAG_SETS)) {
  test(`[${flagSet}] the script tag with the generated integrity loads cross-origin under a strict CSP and the element renders`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, messages, pageErrors } = await openPage(browser, pageUrl('good', integrity));
      await page.waitForFunction(() => document.querySelector('#v').activeBackend !== 'none', null, { timeout: 60_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.equal(await page.evaluate(() => customElements.get('vib3-canvas') !== undefined), true);
      assert.equal(await page.evaluate(() => document.querySelector('#v').activeBackend), FLAG_SETS[flagSet].expectedBackend);
      const std = await canvasSpread(page, '#v');
      assert.ok(std > 3, `the canvas shows a picture (std ${std})`);
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(messages.filter((l) => /integrity|Content Security Policy/i.test(l)), []);
    } finally {
      await browser.close();
    }
  });
}

test('[plain] the same page with one byte of the file changed: Chromium blocks the script (element undefined, integrity error); without integrity the changed file runs', async () => {
  const browser = await launch('plain');
  try {
    const blocked = await openPage(browser, pageUrl('tampered', integrity));
    assert.equal(await blocked.page.evaluate(() => customElements.get('vib3-canvas')), undefined);
    assert.equal(await blocked.page.evaluate(() => typeof window.Vib3), 'undefined');
    assert.ok(blocked.messages.some((l) => /^error: .*integrity.*blocked/i.test(l) && l.includes('vib3.iife.js')), `an integrity error names the file: ${blocked.messages.join(' | ')}`);
    // Control: the changed file is still a working script, so the integrity check alone blocked it.
    const control = await openPage(browser, pageUrl('tampered', ''));
    await control.page.waitForFunction(() => customElements.get('vib3-canvas') !== undefined, null, { timeout: 30_000 });
    assert.deepEqual(control.pageErrors, []);
  } finally {
    await browser.close();
  }
});
