// Invalid attributes written in HTML markup are observable: a capture listener installed in <head>
// before the elements are parsed receives one vib3-error per problem, each logged once with
// console.warn, and the attributes show the values in effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, open, FLAG_SETS } from './browser.mjs';

let server;
before(async () => (server = await startServer()));
after(() => server.server.close());

const EXPECTED = [
  { id: 'params', code: 'INVALID_PARAM', value: 'abc' },
  { id: 'params', code: 'INVALID_PARAM', value: 'NaN' },
  { id: 'params', code: 'INVALID_PARAM', value: 'nope' },
  { id: 'options', code: 'INVALID_OPTION', value: 'nope' },
  { id: 'options', code: 'INVALID_OPTION', value: 'vulkan' },
  { id: 'options', code: 'INVALID_OPTION', value: 'sometimes' },
  { id: 'options', code: 'INVALID_OPTION', value: 'later' },
  { id: 'options', code: 'INVALID_OPTION', value: 'sideways' },
];

const cases = [
  ...Object.keys(FLAG_SETS).map((flagSet) => ({ flagSet, page: 'markup-errors.html', how: 'classic script in <head>' })),
  { flagSet: 'plain', page: 'markup-errors-esm.html', how: 'ES module, upgraded after parsing' },
];

for (const { flagSet, page: file, how } of cases) {
  test(`[${flagSet}] ${how}: bad markup gives one vib3-error per problem to a <head> listener, one console.warn each, attributes reverted`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors } = await open(browser, `${server.url}/test/e2e/fixtures/${file}`);
      // Every element has settled: ready, or (renderer="webgpu" without WebGPU) its fallback.
      await page.waitForFunction(
        () => ['params', 'webgpu', 'fine'].every((id) => {
          const el = document.getElementById(id);
          return el.frameCount > 0 || el.hasAttribute('data-fallback');
        }),
        null,
        { timeout: 60_000 },
      );
      await page.evaluate(() => new Promise((r) => { let n = 10; const step = () => (--n ? requestAnimationFrame(step) : r()); requestAnimationFrame(step); }));
      const seen = await page.evaluate(() => window.markupErrors);
      const markup = seen.filter((e) => e.id !== 'webgpu');
      assert.deepEqual(markup.map((e) => `${e.id} ${e.code}`), EXPECTED.map((e) => `${e.id} ${e.code}`), JSON.stringify(seen, null, 1));
      EXPECTED.forEach((want, i) => {
        assert.ok(markup[i].message.includes(`"${want.value}"`), markup[i].message);
        assert.ok(markup[i].suggestion.length > 0);
        assert.equal(markup[i].bubbles && markup[i].composed, true);
      });
      const webgpu = seen.filter((e) => e.id === 'webgpu').map((e) => e.code);
      assert.deepEqual(webgpu, FLAG_SETS[flagSet].expectedBackend === 'webgpu' ? [] : ['WEBGPU_UNAVAILABLE'], 'renderer="webgpu": at most one error');
      const warnings = await page.evaluate(() => window.markupWarnings.filter((w) => w.includes('vib3-canvas')));
      assert.equal(warnings.length, EXPECTED.length, warnings.join('\n'));
      markup.forEach((e, i) => assert.ok(warnings[i].includes(e.code) && warnings[i].includes(e.message), warnings[i]));
      const attrs = await page.evaluate(() => {
        const get = (id, names) => Object.fromEntries(names.map((n) => [n, document.getElementById(id).getAttribute(n)]));
        return { params: get('params', ['geometry', 'hue', 'system']), options: get('options', ['mesh', 'renderer', 'motion', 'loading', 'mesh-mode']) };
      });
      assert.deepEqual(attrs, {
        params: { geometry: '0', hue: '200', system: 'quantum' },
        options: { mesh: 'none', renderer: 'auto', motion: 'auto', loading: 'lazy', 'mesh-mode': 'projection' },
      });
      assert.equal(await page.evaluate(() => document.getElementById('webgpu').activeBackend), FLAG_SETS[flagSet].expectedBackend === 'webgpu' ? 'webgpu' : 'none');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}
