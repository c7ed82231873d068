// React 19, Vue 3 and Svelte 5 host apps (demo/frameworks, built by npm run build): each renders
// <vib3-canvas> and changes a parameter through the framework's own state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, open, readyState } from './browser.mjs';

let server;
before(async () => (server = await startServer()));
after(() => server.server.close());

for (const framework of ['react', 'vue', 'svelte']) {
  test(`${framework}: renders <vib3-canvas> and changes parameters through framework state`, async () => {
    const browser = await launch('plain');
    try {
      const { page, errors } = await open(browser, `${server.url}/dist/demo-frameworks/${framework}/index.html`);
      const state = await readyState(page, '#v');
      assert.equal(state.backend, 'webgl2');
      assert.ok(state.std > 4, 'renders');
      await page.waitForFunction(() => document.getElementById('backend').textContent === 'webgl2');
      assert.equal(await page.evaluate(() => document.getElementById('v').hue), 120, 'initial state set as a property');
      const snap = () => page.evaluate(() => {
        const c = document.getElementById('v');
        c.paused = true;
        c.time = 1000;
        return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => {
          const canvas = c.shadowRoot.querySelector('canvas[data-vib3-direct]') ?? c.shadowRoot.querySelector('canvas');
          r(Array.from(window.__vib3Pixels(canvas).data.filter((_, i) => i % 97 === 0)));
        })));
      });
      const before = await snap();
      await page.click('#hue');
      await page.waitForFunction(() => document.getElementById('v').hue === 180);
      const afterHue = await snap();
      assert.notDeepEqual(afterHue, before, 'the hue change reached the pixels');
      await page.selectOption('#system', 'faceted');
      await page.waitForFunction(() => document.getElementById('v').system === 'faceted');
      assert.equal(await page.evaluate(() => document.getElementById('v').getAttribute('system')), 'faceted');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}
