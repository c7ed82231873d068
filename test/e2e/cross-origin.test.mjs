// The script tag from a CDN origin: the kit's files on one loopback origin (no CORS headers),
// the partner page on another, under the strict CSP the README documents for that case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, launch, canvasSpread, FLAG_SETS } from './browser.mjs';

let kit;
let pages;
let kitRequests = [];
before(async () => {
  kit = await startServer();
  kit.server.on('request', (req) => kitRequests.push(req.url));
  pages = await startServer((path) => (/\/cross-origin\/[a-z]+\.html$/.test(path) ? { 'content-security-policy': pagePolicy(path) } : {}));
});
after(() => {
  kit.server.close();
  pages.server.close();
});

// The README's policy for a kit on another origin; `worker-src` varies per test through the URL.
let workerSrc = 'blob:';
const pagePolicy = () =>
  `default-src 'self'; script-src 'self' ${kit.url} 'wasm-unsafe-eval'; worker-src ${workerSrc}; frame-src ${kit.url}; connect-src 'self'; style-src 'self'; img-src 'self' data: blob:`;

/** The page origin differs from the kit's: localhost vs 127.0.0.1, other port. */
const pageUrl = (file, query) => `${pages.url.replace('127.0.0.1', 'localhost')}/test/e2e/fixtures/cross-origin/${file}?kit=${encodeURIComponent(kit.url)}&${query}`;

async function openPage(browser, file, query = '') {
  const page = await browser.newPage();
  const failed = [];
  const pageErrors = [];
  const warnings = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // A blob: script of a sandbox torn down while it loads (a supervised restart on a busy machine)
  // is aborted, not missing: "no failed request" is about files the page or the kit must serve.
  page.on('requestfailed', (r) => (r.url().startsWith('blob:') && r.failure()?.errorText === 'net::ERR_ABORTED') || failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.url()} ${r.status()}`));
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.goto(pageUrl(file, query));
  return { page, failed, pageErrors, warnings };
}

for (const flagSet of Object.keys(FLAG_SETS)) {
  test(`[${flagSet}] kit on another origin: the mesh slices with WASM SIMD in the kit's worker, an extension installs and runs, strict CSP, no failed request`, async () => {
    workerSrc = 'blob:';
    kitRequests = [];
    const browser = await launch(flagSet);
    try {
      const { page, failed, pageErrors } = await openPage(browser, 'mesh.html', 'extension');
      await page.waitForFunction(() => window.report, null, { timeout: 60_000 });
      const report = await page.evaluate(() => window.report);
      assert.equal(report.failed, undefined, report.failed);
      assert.notEqual(new URL(page.url()).origin, report.kitOrigin, 'two origins');
      assert.equal(report.mesh.kernels, 'wasm-simd');
      assert.ok(report.mesh.triangles > 0, 'a real cross-section');
      assert.equal(report.extension.cells, 9);
      assert.equal(report.extension.frameOrigin, report.kitOrigin, 'the sandbox frame comes from the kit origin');
      assert.ok(kitRequests.includes('/dist/geometry-worker.js'), 'the worker script is loaded from the kit origin');
      assert.deepEqual(report.violations, []);
      assert.deepEqual(report.errors, []);
      // The element really draws (pixels vary across the canvas).
      const std = await canvasSpread(page, '#v');
      assert.ok(std > 3, `the canvas shows a picture (std ${std})`);
      assert.deepEqual(failed, []);
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
    }
  });
}

test('a worker that cannot start (CSP without blob: workers): one GEOMETRY_WORKER_FAILED with a suggestion, frames keep coming, no uncaught error', async () => {
  workerSrc = "'self'";
  const browser = await launch('plain');
  try {
    const { page, pageErrors, warnings } = await openPage(browser, 'page.html');
    await page.waitForFunction(() => document.querySelector('#v').activeBackend !== 'none', null, { timeout: 60_000 });
    const detail = await page.evaluate(async () => {
      const el = document.querySelector('#v');
      const seen = [];
      el.addEventListener('vib3-error', (e) => seen.push(e.detail));
      el.setAttribute('mesh-mode', 'slice');
      el.setAttribute('mesh', '600-cell');
      const before = el.frameCount;
      // Long enough for any retry loop to show: many frames with the mesh set.
      await new Promise((r) => {
        const tick = () => (el.frameCount - before >= 60 ? r() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      });
      return { seen, frames: el.frameCount - before };
    });
    assert.equal(detail.seen.length, 1, JSON.stringify(detail.seen));
    assert.equal(detail.seen[0].code, 'GEOMETRY_WORKER_FAILED');
    assert.match(detail.seen[0].suggestion, /worker-src blob:/);
    assert.ok(detail.frames >= 60, 'the lattice keeps rendering');
    assert.deepEqual(pageErrors, []);
    const ours = warnings.filter((w) => w.includes('GEOMETRY_WORKER_FAILED'));
    assert.ok(ours.length <= 1, `at most one console warning for it: ${ours.join(' | ')}`);
  } finally {
    await browser.close();
    workerSrc = 'blob:';
  }
});
