import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, open, FLAG_SETS } from './browser.mjs';

let server;
before(async () => (server = await startServer()));
after(() => server.server.close());

/** Waits for the next vib3-mesh-update on the page (from any element) and returns its detail. */
const nextMeshUpdate = (page) =>
  page.evaluate(() => new Promise((resolve) => document.addEventListener('vib3-mesh-update', (e) => resolve(e.detail), { once: true })));

for (const flagSet of Object.keys(FLAG_SETS)) {
  test(`[${flagSet}] the 4D mesh demo slices in the worker next to the script-tag file, with WASM SIMD`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors, requests } = await open(browser, `${server.url}/demo/mesh.html`);
      const detail = await nextMeshUpdate(page);
      assert.equal(detail.kernels, 'wasm-simd');
      assert.equal(detail.mode, 'slice');
      assert.ok(requests.includes('/dist/geometry-worker.js'), 'the worker script is resolved next to dist/vib3.iife.js');
      // One stats row per slicing element, each fed by that element's own updates.
      await page.waitForFunction(() => [...document.querySelectorAll('#stats li')].every((li) => /kernels/.test(li.textContent)), null, { timeout: 60_000 });
      const rows = await page.evaluate(() => {
        const slicing = [...document.querySelectorAll('vib3-canvas[mesh-mode="slice"]')];
        return [...document.querySelectorAll('#stats li')].map((li, i) => ({ text: li.textContent, mesh: li.dataset.mesh, element: { alt: slicing[i].getAttribute('alt'), mesh: slicing[i].mesh } }));
      });
      assert.equal(rows.length, 3);
      for (const row of rows) {
        assert.ok(row.text.startsWith(`${row.element.alt}: `), row.text);
        assert.equal(row.mesh, row.element.mesh);
        assert.match(row.text, /wasm-simd kernels/);
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}

test('cross-origin isolated page: slices arrive in double-buffered SharedArrayBuffers', async () => {
  const isolated = await startServer(() => ({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }));
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${isolated.url}/test/e2e/fixtures/geometry-pool.html`);
    await page.waitForFunction(() => window.poolReport, null, { timeout: 30_000 });
    const report = await page.evaluate(() => window.poolReport);
    assert.equal(report.error, undefined);
    assert.equal(report.crossOriginIsolated, true);
    assert.deepEqual(report.inShared, [true, true, true]);
    assert.deepEqual(report.shared, [true, true, true]);
    assert.equal(report.alternates, true, 'front and back buffers alternate');
    assert.ok(report.triangles.every((n) => n > 0));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    isolated.server.close();
  }
});

test('without cross-origin isolation the same pool transfers fresh arrays', async () => {
  const browser = await launch('plain');
  try {
    const { page } = await open(browser, `${server.url}/test/e2e/fixtures/geometry-pool.html`);
    await page.waitForFunction(() => window.poolReport, null, { timeout: 30_000 });
    const report = await page.evaluate(() => window.poolReport);
    assert.equal(report.crossOriginIsolated, false);
    assert.deepEqual(report.inShared, [false, false, false]);
    assert.ok(report.triangles.every((n) => n > 0));
  } finally {
    await browser.close();
  }
});

test('a strict CSP on every response (the worker too, no wasm-unsafe-eval): the worker falls back to the TypeScript kernels', async () => {
  const { STRICT_CSP } = await import('../../scripts/csp.mjs');
  const strict = await startServer(() => ({ 'content-security-policy': STRICT_CSP }));
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${strict.url}/demo/mesh.html`);
    const detail = await nextMeshUpdate(page);
    assert.equal(detail.kernels, 'js');
    assert.ok(detail.triangles > 0 || detail.segments >= 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    strict.server.close();
  }
});

test('the extension manager demo: consent, the reference extension on the canvas, a hung and a snooping extension contained, the four template examples at work', async () => {
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${server.url}/demo/extensions.html`);
    const allow = () => page.locator('vib3-consent-dialog').locator('[part="allow"]').click();
    const logText = () => page.textContent('#log');
    await page.click('#install-duoprism');
    await allow();
    await page.waitForFunction(() => window.extensionHost?.list().some((r) => r.id === 'dev.vib3.duoprism' && r.state === 'active'), null, { timeout: 30_000 });
    await page.click('#show-duoprism');
    await page.waitForFunction(() => document.getElementById('canvas').mesh === 'dev.vib3.duoprism/published', null, { timeout: 10_000 });
    await page.click('#install-snoop');
    await allow();
    await page.waitForFunction(() => !document.getElementById('snoop').disabled, null, { timeout: 30_000 });
    await page.click('#snoop');
    await page.waitForFunction(() => /phone: blocked/.test(document.getElementById('log').textContent), null, { timeout: 10_000 });
    await page.click('#install-spinner');
    await allow();
    await page.waitForFunction(() => !document.getElementById('spin').disabled, null, { timeout: 30_000 });
    const framesBefore = await page.evaluate(() => document.getElementById('canvas').frameCount);
    await page.click('#spin');
    await page.waitForFunction(() => /dev\.demo\.spinner: HUNG/.test(document.getElementById('log').textContent), null, { timeout: 10_000 });
    await page.waitForFunction(() => window.extensionHost.list().find((r) => r.id === 'dev.demo.spinner')?.health.restarts === 1, null, { timeout: 10_000 });
    assert.ok((await page.evaluate(() => document.getElementById('canvas').frameCount)) > framesBefore, 'the canvas kept rendering');
    assert.match(await logText(), /show_duoprism: Showing the 6,5-duoprism/);

    // The four templates' examples, from their signed packages in dist/examples.
    const installExample = async (template) => {
      await page.click(`#install-example-${template}`);
      await allow();
      await page.waitForFunction((t) => window.extensionHost.list().some((r) => r.id === `dev.vib3.example-${t}` && r.state === 'active'), template, { timeout: 30_000 });
    };
    await installExample('geometry');
    await page.waitForFunction(() => document.getElementById('canvas').mesh === 'dev.vib3.example-geometry/published', null, { timeout: 10_000 });
    await installExample('toolpack');
    await page.waitForFunction(() => !document.getElementById('set-hue').disabled, null, { timeout: 10_000 });
    await page.click('#set-hue');
    await page.waitForFunction(() => document.getElementById('canvas').hue === 200, null, { timeout: 10_000 });
    assert.match(await logText(), /set_hue: Hue set to 200 degrees\./);
    // The widget sits in the stage's toolbar, in its own sandboxed frame; a real click moves the hue on by 30°.
    await installExample('ui-widget');
    assert.match(await page.textContent('#list'), /Example UI Widget 0\.1\.0/, 'the scaffolded title (vib3 ext create example-ui-widget)');
    const widget = page.locator('vib3-stage [part="toolbar"] iframe');
    await widget.waitFor({ timeout: 10_000 });
    assert.equal(await widget.getAttribute('sandbox'), 'allow-scripts');
    const button = page.frameLocator('vib3-stage [part="toolbar"] iframe').getByRole('button', { name: /Next hue \(now 200 degrees\)/ });
    await button.waitFor({ timeout: 10_000 });
    for (let i = 0; i < 40 && (await page.evaluate(() => document.getElementById('canvas').hue)) === 200; i++) {
      // A just-rendered cross-process frame ignores clicks for a moment (they are dropped, not queued).
      await button.click();
      await page.waitForTimeout(250);
    }
    assert.equal(await page.evaluate(() => document.getElementById('canvas').hue), 230);
    await page.frameLocator('vib3-stage [part="toolbar"] iframe').getByRole('button', { name: /now 230 degrees/ }).waitFor({ timeout: 10_000 });
    // The renderer example draws its own canvas, frame by frame in its sandbox.
    await installExample('renderer');
    await page.waitForFunction(() => document.getElementById('preview')?.activeBackend === 'extension', null, { timeout: 30_000 });
    const plasma = await page.evaluate(async () => {
      const el = document.getElementById('preview');
      // Off-screen canvases stop drawing: bring it into view first.
      el.scrollIntoView();
      await new Promise((r) => setTimeout(r, 200));
      const before = el.frameCount;
      await new Promise((r) => setTimeout(r, 500));
      const d = window.__vib3Pixels(el.shadowRoot.querySelector('canvas[data-vib3-direct]') ?? el.shadowRoot.querySelector('canvas')).data;
      const values = new Set();
      for (let i = 0; i < d.length; i += 4 * 97) values.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
      return { distinct: values.size, advanced: el.frameCount > before };
    });
    assert.ok(plasma.distinct > 20, `the preview shows the plasma (${plasma.distinct} distinct colours sampled)`);
    assert.ok(plasma.advanced, 'the preview animates');
    assert.equal(await page.evaluate(() => document.getElementById('canvas').activeBackend), 'webgl2', 'the main canvas keeps the built-in renderer');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
