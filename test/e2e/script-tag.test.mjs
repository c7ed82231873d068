import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, open, readyState, FLAG_SETS } from './browser.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
let server;
before(async () => (server = await startServer()));
after(() => server.server.close());

for (const flagSet of Object.keys(FLAG_SETS)) {
  const expected = FLAG_SETS[flagSet].expectedBackend;

  test(`[${flagSet}] the IIFE build loads with a classic <script> on a plain HTML page and renders on ${expected}`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors } = await open(browser, `${server.url}/test/e2e/fixtures/script-tag.html`);
      const state = await readyState(page);
      assert.equal(state.backend, expected);
      assert.ok(state.mean > 4 && state.std > 4, `non-blank: ${JSON.stringify(state)}`);
      assert.equal(await page.evaluate(() => window.Vib3.version ?? window.Vib3.VERSION), pkg.version);
      assert.equal(await page.evaluate(() => typeof window.Vib3.Vib3Canvas), 'function');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  test(`[${flagSet}] loading the kit twice on one page does not throw and still renders`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors } = await open(browser, `${server.url}/test/e2e/fixtures/double-load.html`);
      const state = await readyState(page);
      assert.deepEqual(errors, []);
      assert.equal(state.backend, expected);
      assert.ok(state.std > 4);
    } finally {
      await browser.close();
    }
  });

  test(`[${flagSet}] the ES build loads the renderer chunk lazily, only when an element needs it`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors, requests } = await open(browser, `${server.url}/test/e2e/fixtures/esm.html`);
      await page.waitForFunction(() => window.kit && window.addCanvas);
      const chunk = (r) => /\/dist\/chunks\/three-view-.*\.js$/.test(r);
      assert.equal(requests.filter(chunk).length, 0, 'no renderer chunk before an element exists');
      const backend = await page.evaluate(() => window.addCanvas());
      assert.equal(backend, expected);
      assert.equal(requests.filter(chunk).length, 1, 'renderer chunk fetched once');
      await page.evaluate(() => window.addCanvas());
      assert.equal(requests.filter(chunk).length, 1, 'and not again for a second element');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}

test('the demo gallery renders through the script-tag build', async () => {
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${server.url}/demo/`);
    const state = await readyState(page, '#hero');
    assert.equal(state.backend, 'webgl2');
    assert.ok(state.std > 4);
    assert.equal(await page.locator('#grid vib3-canvas').count(), 24);
    assert.equal(await page.evaluate(() => document.querySelector('script[src$="vib3.iife.js"]') !== null), true);
    // A control drives the hero through the public API.
    await page.selectOption('select[name="geometry"]', '5');
    assert.equal(await page.evaluate(() => document.getElementById('hero').geometry), 5);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the gallery fits a 1280 px window, its header leaves "starting…" even when the hero is ready before gallery.js runs, and it links to the framework demos', async () => {
  const browser = await launch('plain');
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Hold gallery.js back until the hero has drawn its first frame: its vib3-ready is then over.
    await page.route('**/demo/gallery.js', async (route) => {
      for (let i = 0; i < 600; i++) {
        const drawn = await page.evaluate(() => (document.getElementById('hero')?.frameCount ?? 0) > 0).catch(() => false);
        if (drawn) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await route.continue();
    });
    await page.goto(`${server.url}/demo/`);
    await page.waitForFunction(() => document.querySelector('#grid vib3-canvas'), null, { timeout: 60_000 });
    assert.equal(await page.textContent('#backend'), 'rendering with WEBGL2');
    const overflow = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    assert.ok(overflow.scrollWidth <= overflow.clientWidth, `no horizontal overflow: ${JSON.stringify(overflow)}`);
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href*="demo-frameworks"]')].map((a) => a.href));
    assert.deepEqual(links.map((l) => new URL(l).pathname).sort(), ['/dist/demo-frameworks/react/index.html', '/dist/demo-frameworks/svelte/index.html', '/dist/demo-frameworks/vue/index.html']);
    for (const link of links) assert.equal((await page.request.get(link)).status(), 200, link);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the white-label demo shows the same widget in every shipped theme pack', async () => {
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${server.url}/demo/white-label.html`);
    await page.waitForFunction(() => document.querySelectorAll('vib3-theme .card').length === 4);
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll('vib3-theme')].map((t) => ({ theme: t.getAttribute('theme'), surface: getComputedStyle(t.querySelector('.card')).backgroundColor })),
    );
    assert.deepEqual(cards.map((c) => c.theme).sort(), ['acme', 'default-dark', 'high-contrast', 'light']);
    assert.equal(new Set(cards.map((c) => c.surface)).size, 4, `each pack has its own surface: ${JSON.stringify(cards)}`);
    await page.waitForFunction(() => [...document.querySelectorAll('vib3-canvas')].every((c) => c.activeBackend === 'webgl2'), null, { timeout: 60_000 });
    const hues = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('vib3-theme')].map((t) => [t.getAttribute('theme'), t.querySelector('vib3-canvas').hue])));
    assert.deepEqual(hues, { acme: 325, 'default-dark': 200, 'high-contrast': 200, light: 215 }, 'each pack palette reaches its canvas');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('the control-panel demo: the theme switcher and language select work through the script-tag build', async () => {
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${server.url}/demo/panel.html`);
    await readyState(page, '#visual');
    await page.locator('vib3-theme-switcher select').selectOption('light');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.vib3Theme), 'light');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('vib3-control-panel')).backgroundColor), 'rgb(255, 255, 255)');
    await page.selectOption('#locale', 'de');
    assert.equal(await page.evaluate(() => document.querySelector('vib3-control-panel').shadowRoot.querySelector('h2').textContent), 'Visuelle Parameter');
    await page.locator('vib3-control-panel').getByLabel('Farbton', { exact: true }).fill('42');
    assert.equal(await page.evaluate(() => document.getElementById('visual').hue), 42);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

for (const flagSet of Object.keys(FLAG_SETS)) {
  test(`[${flagSet}] the kit renders every system under the strict CSP (no unsafe-eval, no inline script or style)`, async () => {
    const { STRICT_CSP, demoHeaders } = await import('../../scripts/csp.mjs');
    const csp = await startServer(demoHeaders);
    const browser = await launch(flagSet);
    try {
      const { page, errors } = await open(browser, `${csp.url}/demo/strict-csp.html`);
      const response = await page.request.get(`${csp.url}/demo/strict-csp.html`);
      assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
      for (const id of ['#f', '#q', '#h']) {
        const state = await readyState(page, id);
        assert.equal(state.backend, FLAG_SETS[flagSet].expectedBackend, id);
        assert.ok(state.std > 4, `${id} renders: ${JSON.stringify(state)}`);
      }
      assert.equal(await page.evaluate(() => window.evalBlocked), true, 'the policy is really enforced on the page');
      // The page's own eval probe is reported (proof the policy is live) but not counted.
      await page.waitForFunction(() => window.cspProbe.length === 1, null, { timeout: 30_000 });
      assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violation by the kit');
      await page.waitForFunction(() => /CSP violations: \d+$/.test(document.getElementById('status').textContent), null, { timeout: 60_000 });
      assert.match(await page.textContent('#status'), /^rendering: (\w+, ){2}\w+; CSP violations: 0$/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      csp.server.close();
    }
  });
}
