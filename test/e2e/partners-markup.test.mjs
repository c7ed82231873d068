// Partner markup in real Chromium (plain flags: the WebGL2 path).
//  - Shopify: the built app block (dist/partners/shopify/blocks/vib3.liquid) rendered with liquidjs
//    as a storefront renders it (schema defaults, then edited settings), its assets served from an
//    "extension CDN" origin, in a shop page on another origin: the element renders the settings.
//  - Embed snippets: each `vib3 embed-code --builder X` snippet (the built CLI) pasted into a plain
//    page on another origin than the kit (served with Access-Control-Allow-Origin: *), under a CSP
//    without inline script: it renders with its integrity value; with one byte of the kit changed
//    the browser refuses the script and the fallback text shows.
//  - demo/embed-code.html (strict CSP) generates the same snippet as the CLI.
// Needs `node scripts/build.mjs && node scripts/build-shopify.mjs` first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { serveStatic } from '../../scripts/serve.mjs';
import { STRICT_CSP } from '../../scripts/csp.mjs';
import { launch, canvasSpread } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const extension = join(repo, 'dist/partners/shopify');
const IIFE = 'dist/vib3.iife.js';
const BUILDERS = ['webflow', 'framer', 'squarespace', 'wix', 'html'];
let integrity;
let work;
let kit; // the package on a "CDN" origin (also the Shopify extension's assets)
let tampered; // the same files with one byte of vib3.iife.js changed
let demo; // the repository with the strict CSP, for the demo page
let pages; // partner pages: localhost:<port>, another origin than 127.0.0.1:<kit port>
let browser;
const pageHtml = new Map();

before(async () => {
  for (const f of [cli, join(extension, 'blocks/vib3.liquid'), join(repo, 'dist/partners/embed/snippet.js')]) {
    assert.ok(existsSync(f), `${f} is missing: run node scripts/build.mjs && node scripts/build-shopify.mjs first`);
  }
  integrity = JSON.parse(readFileSync(join(repo, 'dist/integrity.json'), 'utf8')).files[IIFE].integrity;
  work = mkdtempSync(join(tmpdir(), 'vib3-partners-'));
  mkdirSync(join(work, 'dist'));
  const file = readFileSync(join(repo, IIFE));
  const at = file.indexOf('"Check the attribute value');
  assert.ok(at > 0, 'a message string to change');
  file[at + 1] ^= 0x20; // "Check" -> "check": still a working script, only its bytes differ
  writeFileSync(join(work, IIFE), file);
  copyFileSync(join(repo, 'dist/geometry-worker.js'), join(work, 'dist/geometry-worker.js'));
  const cors = () => ({ 'access-control-allow-origin': '*' });
  kit = await serveStatic({ root: repo, headers: cors });
  tampered = await serveStatic({ root: work, headers: cors });
  demo = await serveStatic({ root: repo, headers: (path) => (path.endsWith('/demo/embed-code.html') ? { 'content-security-policy': STRICT_CSP } : {}) });
  // No inline script anywhere; style attributes allowed (the snippets size the element with one).
  const policy = `default-src 'self'; script-src ${kit.url} ${tampered.url} 'wasm-unsafe-eval'; worker-src blob:; style-src 'self' ${kit.url}; style-src-attr 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:`;
  pages = http.createServer((req, res) => {
    const html = pageHtml.get(new URL(req.url, 'http://localhost').pathname);
    if (!html) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy, 'cache-control': 'no-store' }).end(html);
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
  browser = await launch('plain');
});
after(async () => {
  await browser?.close();
  for (const s of [kit?.server, tampered?.server, demo?.server, pages]) s?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Serves `body` in a partner page and opens it; records console messages and page errors. */
async function openPartnerPage(name, body, head = '') {
  pageHtml.set(`/${name}.html`, `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Partner page: ${name}</title>${head}</head>\n<body>\n<h1>Partner page</h1>\n${body}\n</body>\n</html>\n`);
  return openUrl(`http://localhost:${pages.address().port}/${name}.html`);
}
async function openUrl(url) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const messages = [];
  const pageErrors = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, messages, pageErrors };
}

/** Waits for the element's first frame; returns its backend, parameters, label and mean colour. */
async function rendered(page, selector) {
  await page.waitForFunction((s) => document.querySelector(s)?.activeBackend !== 'none' || document.querySelector(s)?.hasAttribute('data-fallback'), selector, { timeout: 60_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    const c = el.shadowRoot.querySelector('canvas[data-vib3-direct]') ?? el.shadowRoot.querySelector('canvas');
    const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
    copy.getContext('2d').drawImage(c, 0, 0);
    const d = copy.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const mean = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) mean[k] += d[i + k] / (d.length / 4);
    const box = el.getBoundingClientRect();
    return { backend: el.activeBackend, params: el.getParams(), label: el.getAttribute('aria-label'), role: el.getAttribute('role'), mean, width: box.width, height: box.height };
  }, selector);
}

const embedCode = (...args) => {
  const r = spawnSync(process.execPath, [cli, 'embed-code', ...args, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout);
};
const problems = (messages) => messages.filter((l) => /integrity|Content Security Policy|Refused/i.test(l));

test('Shopify: the app block rendered with liquidjs (defaults, then edited settings) renders in a shop page', async () => {
  const { renderBlock } = await tsImport('../../partners/shopify/render.ts', import.meta.url);
  const liquid = readFileSync(join(extension, 'blocks/vib3.liquid'), 'utf8');
  const locale = JSON.parse(readFileSync(join(extension, 'locales/en.default.json'), 'utf8'));
  // Like Shopify's extension CDN: protocol-relative asset URLs on another origin than the shop.
  const assetUrl = (name) => `//127.0.0.1:${kit.port}/dist/partners/shopify/assets/${name}`;
  // Shopify adds the schema's stylesheet to the page's head.
  const head = `<link rel="stylesheet" href="${assetUrl('vib3-block.css')}">`;
  const cases = [
    { name: 'shop-defaults', settings: {}, expect: { system: 'quantum', geometry: 0, hue: 200, chaos: 0.2 }, size: [1000 - 16, 400] },
    {
      name: 'shop-edited',
      settings: { system: 'faceted', geometry: 9, rot4d_xw: 90, hue: 0, saturation: 100, intensity: 100, chaos: 35, width: 50, height: 300, theme: 'light', alt: 'Red hypercube <b>sale</b>' },
      expect: { system: 'faceted', geometry: 9, rot4dXW: 1.5708, hue: 0, saturation: 1, intensity: 1, chaos: 0.35 },
      size: [(1000 - 16) / 2, 300],
    },
  ];
  const redness = {};
  for (const c of cases) {
    const markup = await renderBlock(liquid, { settings: c.settings, locale, assetUrl, blockId: c.name });
    const { page, messages, pageErrors } = await openPartnerPage(c.name, markup, head);
    try {
      const r = await rendered(page, `#vib3-${c.name}`);
      assert.equal(r.backend, 'webgl2', c.name);
      for (const [k, v] of Object.entries(c.expect)) assert.equal(r.params[k], v, `${c.name}: ${k}`);
      assert.equal(r.label, c.settings.alt ?? 'Animated 4D geometry visual');
      assert.equal(r.role, 'img');
      assert.ok(Math.abs(r.width - c.size[0]) < 2 && Math.abs(r.height - c.size[1]) < 2, `${c.name}: ${r.width}x${r.height}`);
      const spread = await canvasSpread(page, `#vib3-${c.name}`);
      assert.ok(spread > 3, `${c.name}: the canvas shows a picture (std ${spread})`);
      redness[c.name] = r.mean[0] - r.mean[2];
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(problems(messages), []);
    } finally {
      await page.close();
    }
  }
  // The edited colour settings reach the pixels: hue 0 at full saturation is far redder than the default hue 200.
  assert.ok(redness['shop-edited'] > 20 && redness['shop-edited'] > redness['shop-defaults'] + 30, `mean red minus blue: ${JSON.stringify(redness)}`);
});

for (const builder of BUILDERS) {
  test(`embed-code --builder ${builder}: the snippet, pasted into a page on another origin, loads the kit with integrity and renders`, async () => {
    const out = embedCode('--builder', builder, '--cdn', kit.url, '--system', 'holographic', '--geometry', '9', '--hue', '280', '--theme', 'acme', '--alt', `Holographic hypercube on ${builder}`);
    assert.equal(out.script.integrity, integrity, 'the SRI value of the installed package');
    assert.match(out.snippet, new RegExp(`<script src="${kit.url}/${IIFE}" integrity="${integrity.replace(/[+/]/g, '\\$&')}" crossorigin="anonymous" defer></script>`));
    assert.ok(out.notes.where.length > 0 && out.notes.restrictions.length > 0, 'notes for the builder');
    const { page, messages, pageErrors } = await openPartnerPage(`embed-${builder}`, out.snippet);
    try {
      assert.notEqual(new URL(page.url()).origin, kit.url, 'two origins');
      const r = await rendered(page, 'vib3-canvas');
      assert.equal(r.backend, 'webgl2');
      assert.deepEqual([r.params.system, r.params.geometry, r.params.hue], ['holographic', 9, 280]);
      assert.equal(r.label, `Holographic hypercube on ${builder}`);
      assert.equal(await page.evaluate(() => document.querySelector('vib3-canvas').getAttribute('theme')), 'acme');
      if (builder === 'wix') assert.deepEqual([r.width, r.height], [1000, 800], 'fills the Wix frame (here: the viewport)');
      else assert.deepEqual([Math.round(r.width), r.height], [1000 - 16, 400]);
      const spread = await canvasSpread(page, 'vib3-canvas');
      assert.ok(spread > 3, `the canvas shows a picture (std ${spread})`);
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(problems(messages), []);
    } finally {
      await page.close();
    }
  });
}

test('embed-code: values normalised like the element (clamped, rounded, reported), text escaped, refusals coded', () => {
  const out = embedCode('--hue', '400', '--geometry', '7.6', '--speed', '0', '--system', ' Holographic ', '--alt', '"><script>alert(1)</script>', '--fallback', '<img src=x onerror=alert(2)>');
  assert.deepEqual([out.attributes.hue, out.attributes.geometry, out.attributes.speed, out.attributes.system], ['360', '8', '0.1', 'holographic']);
  assert.deepEqual(out.adjusted.map((a) => `${a.name} ${a.value} ${a.reason}`), ['geometry 8 rounded', 'speed 0.1 clamped', 'hue 360 clamped']);
  assert.doesNotMatch(out.snippet, /<script>alert|<img/);
  assert.match(out.snippet, /alt="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  const refused = (args, code, exit = 2) => {
    const r = spawnSync(process.execPath, [cli, 'embed-code', ...args, '--json'], { encoding: 'utf8' });
    assert.equal(r.status, exit, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    const body = JSON.parse(r.stdout);
    assert.deepEqual([body.ok, body.code], [false, code], args.join(' '));
    assert.ok(body.message && body.suggestion, 'message and suggestion');
  };
  refused(['--colour', '3'], 'UNKNOWN_OPTION');
  refused(['--hue', 'red'], 'INVALID_PARAM');
  refused(['--theme', 'neon'], 'UNKNOWN_THEME');
  refused(['--width', '10furlongs'], 'INVALID_SIZE');
  refused(['--cdn', 'ftp://cdn.example'], 'INVALID_CDN');
  refused(['--builder', 'geocities'], 'INVALID_OPTION_VALUE');
  refused(['--integrity-file', join(work, 'missing.json')], 'INTEGRITY_MISSING', 1);
});

test('embed-code: with one byte of vib3.iife.js changed on the CDN, Chromium refuses the script and the fallback text shows', async () => {
  const out = embedCode('--builder', 'webflow', '--cdn', tampered.url, '--hue', '120', '--fallback', 'The live visual is unavailable here.');
  const { page, messages } = await openPartnerPage('embed-tampered', out.snippet);
  try {
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/vib3.iife.js')), null, { timeout: 30_000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(await page.evaluate(() => customElements.get('vib3-canvas')), undefined, 'the element is never defined');
    assert.equal(await page.evaluate(() => typeof window.Vib3), 'undefined');
    assert.ok(messages.some((l) => /^error: .*integrity.*blocked/i.test(l) && l.includes('vib3.iife.js')), `an integrity error names the file: ${messages.join(' | ')}`);
    const fallback = await page.evaluate(() => {
      const p = document.querySelector('vib3-canvas > p[slot="fallback"]');
      return { text: p.innerText, height: p.getBoundingClientRect().height };
    });
    assert.equal(fallback.text, 'The live visual is unavailable here.');
    assert.ok(fallback.height > 0, 'the fallback paragraph is visible');
  } finally {
    await page.close();
  }
});

test('demo/embed-code.html (strict CSP) generates the same snippet as vib3 embed-code', async () => {
  const { page, messages, pageErrors } = await openUrl(`${demo.url}/demo/embed-code.html`);
  try {
    await page.waitForFunction(() => document.getElementById('snippet').textContent.includes('<vib3-canvas'), null, { timeout: 30_000 });
    await page.selectOption('select[name=builder]', 'wix');
    await page.selectOption('select[name=system]', 'holographic');
    await page.selectOption('select[name=theme]', 'acme');
    await page.fill('input[name=hue]', '400');
    await page.fill('input[name=chaos]', '0.35');
    await page.fill('input[name=alt]', 'Brand "visual"');
    const expected = embedCode('--builder', 'wix', '--system', 'holographic', '--theme', 'acme', '--hue', '400', '--chaos', '0.35', '--alt', 'Brand "visual"');
    await page.waitForFunction((html) => document.getElementById('snippet').textContent === html, expected.snippet, { timeout: 10_000 });
    assert.match(await page.locator('#warnings').innerText(), /hue: 400 → 360 \(clamped\)/);
    assert.equal(await page.locator('#where li').count(), expected.notes.where.length);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(problems(messages), []);
  } finally {
    await page.close();
  }
});
