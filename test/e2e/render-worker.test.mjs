// Rendering off the main thread from the script tag (data-render-thread="worker"): under the
// strict CSP of the README with the kit on the page's origin, and with the kit on another
// loopback origin (a CDN) under the README's policy for that case (worker-src blob:).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, FLAG_SETS } from './browser.mjs';
import { STRICT_CSP } from '../../scripts/csp.mjs';

let site;
let kit;
let kitRequests = [];
const cdnPolicy = () => `default-src 'self'; script-src 'self' ${kit.url} 'wasm-unsafe-eval'; worker-src blob:; style-src 'self'; img-src 'self' data: blob:`;
before(async () => {
  kit = await startServer();
  kit.server.on('request', (req) => kitRequests.push(req.url));
  site = await startServer((path) =>
    path.endsWith('/render-worker/page.html') ? { 'content-security-policy': STRICT_CSP } : path.endsWith('/render-worker/cdn.html') ? { 'content-security-policy': cdnPolicy() } : {},
  );
});
after(() => {
  site.server.close();
  kit.server.close();
});

async function report(browser, url) {
  const page = await browser.newPage();
  const pageErrors = [];
  const failed = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.url()} ${r.status()}`));
  await page.goto(url);
  await page.waitForFunction(() => window.report, null, { timeout: 60_000 });
  const result = await page.evaluate(() => window.report);
  return { result, pageErrors, failed, page };
}

function assertRendered({ result, pageErrors, failed }) {
  assert.equal(result.failed, undefined, result.failed);
  assert.equal(result.renderThread, 'worker', 'data-render-thread was read');
  assert.equal(result.detail.presentation, 'worker', 'vib3-ready says the worker draws');
  assert.equal(result.presentation, 'worker');
  assert.ok(result.snapshot.std > 3, `the snapshot shows a picture (${JSON.stringify(result.snapshot)})`);
  assert.deepEqual([result.snapshot.width, result.snapshot.height], [320, 200]);
  assert.deepEqual(result.violations, [], 'no CSP violation');
  assert.deepEqual(result.errors, []);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(failed, []);
}

for (const flagSet of Object.keys(FLAG_SETS)) {
  test(`[${flagSet}] data-render-thread="worker" under the strict CSP: presentation worker, pixels, no violation`, async () => {
    const browser = await launch(flagSet);
    try {
      const out = await report(browser, `${site.url}/test/e2e/fixtures/render-worker/page.html`);
      assertRendered(out);
      assert.equal(out.result.detail.backend, flagSet === 'webgpu' ? 'webgpu' : 'webgl2');
    } finally {
      await browser.close();
    }
  });

  test(`[${flagSet}] the kit on another origin: the render worker starts through the blob: trampoline (worker-src blob:)`, async () => {
    kitRequests = [];
    const browser = await launch(flagSet);
    try {
      const pageUrl = `${site.url.replace('127.0.0.1', 'localhost')}/test/e2e/fixtures/render-worker/cdn.html?kit=${encodeURIComponent(kit.url)}`;
      const out = await report(browser, pageUrl);
      assert.notEqual(new URL(out.page.url()).origin, new URL(kit.url).origin, 'two origins');
      assertRendered(out);
      assert.ok(kitRequests.includes('/dist/render-worker.js'), 'the worker script is loaded from the kit origin');
    } finally {
      await browser.close();
    }
  });
}
