// The Shopify theme app extension (partners/shopify): built from the current sources into a temp
// folder, checked by Shopify's own theme checker with its theme-app-extension config, its schema
// compared with the element's parameter table, and its block rendered with liquidjs (the schema's
// defaults, edited values, out-of-range values and hostile text).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARAM_SPECS, normalizeParam, type NumericParamSpec } from '../../src/core/params.js';
import { BUILTIN_THEME_PACKS } from '../../src/theme/generated/tokens.js';
import { DEFAULT_ALT, DEFAULT_FALLBACK } from '../../src/embed/snippet.js';
import { buildShopifyExtension } from '../../partners/shopify/build.js';
import { BLOCK_NAME, type BlockSchema } from '../../partners/shopify/schema.js';
import { readBlockSchema, renderBlock } from '../../partners/shopify/render.js';
import { MAX_RANGE_STEPS, fromDisplay, displayUnit, settingId, type RangeSetting, type SelectSetting } from '../../partners/shopify/settings.js';

const repo = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'vib3-shopify-'));
const ext = join(work, 'extension');
let liquid = '';
let locale: Record<string, unknown> = {};
let schema: BlockSchema;

before(() => {
  buildShopifyExtension({ root: repo, out: ext });
  liquid = readFileSync(join(ext, 'blocks/vib3.liquid'), 'utf8');
  locale = JSON.parse(readFileSync(join(ext, 'locales/en.default.json'), 'utf8')) as Record<string, unknown>;
  schema = readBlockSchema(liquid);
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Shopify's theme checker on `root` with its theme-app-extension config, offline (its bundled docs data, a private cache). */
async function themeCheck(root: string) {
  process.env['XDG_CACHE_HOME'] = join(work, 'cache');
  process.env['SHOPIFY_TLD_ROOT'] = join(work, 'no-remote-docs');
  const { check } = await import('@shopify/theme-check-node');
  return check(root, 'theme-check:theme-app-extension');
}

const ASSET_BASE = '//cdn.shopify.test/extensions/0000/1.0.0/assets';
const render = (settings: Record<string, unknown> = {}) => renderBlock(liquid, { settings, locale, assetUrl: (name) => `${ASSET_BASE}/${name}` });

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** The attributes of the rendered `<vib3-canvas>` start tag, decoded; fails on a repeated attribute. */
function elementAttributes(html: string): Map<string, string> {
  const tag = /<vib3-canvas\s([^>]*)>/.exec(html);
  assert.ok(tag, 'a <vib3-canvas> start tag');
  const attrs = new Map<string, string>();
  const rest = tag[1]!.replace(/([\w-]+)="([^"]*)"/g, (_m, name: string, value: string) => {
    assert.ok(!attrs.has(name), `${name} appears once`);
    attrs.set(name, value.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!));
    return '';
  });
  assert.equal(rest.trim(), '', 'nothing but name="value" attributes in the start tag');
  return attrs;
}
const fallbackText = (html: string) => /<p slot="fallback">([^<]*)<\/p>/.exec(html)?.[1];

test('theme-check (theme-app-extension config) finds no offense in the built extension', async () => {
  const offenses = await themeCheck(ext);
  assert.deepEqual(offenses.map((o) => `${o.severity} ${o.check} ${o.uri}: ${o.message}`), []);
});

test('control: the same checker flags a copy with a parser-blocking kit script and the kit as the schema\'s javascript (10 KB app-block limit)', async () => {
  const broken = join(work, 'broken');
  cpSync(ext, broken, { recursive: true });
  const file = join(broken, 'blocks/vib3.liquid');
  writeFileSync(file, readFileSync(file, 'utf8').replace(' defer></script>', '></script>').replace('"target": "section",', '"target": "section",\n  "javascript": "vib3.iife.js",'));
  const checks = new Set((await themeCheck(broken)).filter((o) => o.severity === 0).map((o) => o.check));
  assert.ok(checks.has('ParserBlockingScript'), [...checks].join(', '));
  assert.ok(checks.has('AssetSizeAppBlockJavaScript'), [...checks].join(', '));
});

test('the schema\'s parameter settings are the parameter table, one to one, within Shopify\'s range rules', () => {
  assert.ok(BLOCK_NAME.length <= 25 && schema.name === BLOCK_NAME);
  assert.equal(schema.target, 'section');
  const ids = schema.settings.flatMap((s) => ('id' in s ? [s.id] : []));
  assert.equal(new Set(ids).size, ids.length, 'setting ids are unique');
  const paramIds = PARAM_SPECS.map(settingId);
  assert.deepEqual(ids.filter((id) => paramIds.includes(id)), paramIds, 'every parameter once, in table order');
  for (const spec of PARAM_SPECS) {
    const setting = schema.settings.find((s) => 'id' in s && s.id === settingId(spec))!;
    if (spec.kind === 'enum') {
      const select = setting as SelectSetting;
      assert.equal(select.type, 'select');
      assert.deepEqual(select.options.map((o) => o.value), [...spec.values]);
      assert.equal(select.default, spec.default);
      continue;
    }
    const range = setting as RangeSetting;
    assert.equal(range.type, 'range', spec.name);
    const { min, max, step } = range;
    for (const n of [min, max, step, range.default]) assert.equal(typeof n, 'number', `${spec.name}: numbers, not strings`);
    assert.ok(Math.abs(step * 10 - Math.round(step * 10)) < 1e-9 && step >= 0.1, `${spec.name}: step ${step} is a multiple of 0.1`);
    const steps = Math.round((max - min) / step) + 1;
    assert.ok(steps <= MAX_RANGE_STEPS, `${spec.name}: ${steps} steps`);
    assert.ok(Math.abs((max - min) / step - Math.round((max - min) / step)) < 1e-9, `${spec.name}: max is on the step grid`);
    assert.ok(range.default >= min && range.default <= max && Math.abs((range.default - min) / step - Math.round((range.default - min) / step)) < 1e-9, `${spec.name}: default on the grid`);
    // Back in the element's unit: the range covers the element's range to within one step, and the default is the element's.
    const unit = displayUnit(spec as NumericParamSpec);
    const back = (n: number) => fromDisplay(unit, n);
    const tolerance = back(step) + 1e-9;
    assert.ok(back(min) >= spec.min - 1e-9 && back(min) - spec.min < tolerance, `${spec.name}: min ${min}`);
    assert.ok(back(max) <= spec.max + 1e-9 && spec.max - back(max) < tolerance, `${spec.name}: max ${max}`);
    assert.ok(Math.abs(back(range.default) - spec.default) <= tolerance / 2, `${spec.name}: default ${range.default}`);
  }
  // The rounding docs/_partners-shopify-embed.md documents.
  const stepOf = (id: string) => (schema.settings.find((s) => 'id' in s && s.id === id) as RangeSetting).step;
  assert.deepEqual(['rot4d_xy', 'hue', 'speed', 'morph_factor', 'chaos', 'grid_density', 'dimension', 'geometry'].map(stepOf), [10, 5, 5, 2, 1, 1, 0.1, 1]);
  const theme = schema.settings.find((s) => 'id' in s && s.id === 'theme') as SelectSetting;
  assert.deepEqual(theme.options.map((o) => o.value).sort(), BUILTIN_THEME_PACKS.map((p) => p.name).sort());
});

test('rendered with the schema\'s defaults: the element carries every default, the kit loads from the app assets with defer', async () => {
  const html = await render();
  const attrs = elementAttributes(html);
  for (const spec of PARAM_SPECS) assert.equal(normalizeParam(spec.name, attrs.get(spec.attribute)), spec.default, spec.name);
  assert.equal(attrs.get('theme'), 'default-dark');
  assert.equal(attrs.get('motion'), 'auto');
  assert.equal(attrs.get('alt'), DEFAULT_ALT);
  assert.equal(attrs.get('style'), 'width: 100%; height: 400px');
  assert.equal(fallbackText(html), DEFAULT_FALLBACK);
  assert.match(html, new RegExp(`<script src="${ASSET_BASE}/vib3\\.iife\\.js" defer></script>`));
  assert.doesNotMatch(html, /{{|{%|@@/, 'no Liquid or template marker left');
});

test('rendered with edited settings: converted back to the element\'s units (degrees -> radians, percent -> fractions)', async () => {
  const html = await render({ system: 'holographic', geometry: 9, rot4d_xw: 90, rot4d_zw: -180, hue: 280, chaos: 35, speed: 250, morph_factor: 150, intensity: 70, dimension: 4.2, theme: 'acme', width: 50, height: 600, alt: 'Our brand in four dimensions', motion: 'reduce' });
  const attrs = elementAttributes(html);
  const expected: Record<string, number | string> = { system: 'holographic', geometry: 9, 'rot4d-xw': 1.5708, 'rot4d-zw': -3.1416, hue: 280, chaos: 0.35, speed: 2.5, 'morph-factor': 1.5, intensity: 0.7, dimension: 4.2 };
  for (const [attribute, value] of Object.entries(expected)) assert.equal(attrs.get(attribute), String(value), attribute);
  assert.deepEqual([attrs.get('theme'), attrs.get('motion'), attrs.get('alt'), attrs.get('style')], ['acme', 'reduce', 'Our brand in four dimensions', 'width: 50%; height: 600px']);
});

test('out-of-range stored values (an older schema, an edited template) are clamped to the element\'s ranges', async () => {
  const attrs = elementAttributes(await render({ hue: 999, geometry: -4, variation: 150.6, rot4d_xy: 720, speed: 1000, saturation: -20, grid_density: 1, width: 500, height: 10 }));
  assert.deepEqual(['hue', 'geometry', 'variation', 'rot4d-xy', 'speed', 'saturation', 'grid-density'].map((a) => Number(attrs.get(a))), [360, 0, 99, 6.2832, 3, 0, 4]);
  for (const spec of PARAM_SPECS) {
    if (spec.kind === 'enum') continue;
    const v = Number(attrs.get(spec.attribute));
    assert.ok(Math.abs(normalizeParam(spec.name, v) - v) < 1e-4, `${spec.name} ${v} is (to 4 decimals) inside the element's range`);
  }
  assert.equal(attrs.get('style'), 'width: 100%; height: 120px');
});

test('hostile text settings are escaped: they stay inside their attribute and the paragraph', async () => {
  const alt = '"><script>alert(1)</script><b x=\'';
  const fallback = '</p><img src=x onerror=alert(2)>';
  const html = await render({ alt, fallback_text: fallback, theme: 'x" onload="alert(3)' });
  assert.doesNotMatch(html, /<script>alert|<img|<b x|onload="/);
  const attrs = elementAttributes(html);
  assert.equal(attrs.get('alt'), alt, 'the alt text arrives intact as one attribute value');
  assert.equal(attrs.get('theme'), 'x" onload="alert(3)');
  assert.ok(!attrs.has('onload'));
  assert.equal(fallbackText(html), '&lt;/p&gt;&lt;img src=x onerror=alert(2)&gt;');
});

test('"Colours from the theme pack" leaves hue, saturation and intensity to the pack; decorative and blank texts', async () => {
  const palette = elementAttributes(await render({ theme: 'acme', theme_colors: true, hue: 10 }));
  for (const name of ['hue', 'saturation', 'intensity']) assert.ok(!palette.has(name), `${name} left to the pack`);
  for (const spec of PARAM_SPECS.filter((s) => !['hue', 'saturation', 'intensity'].includes(s.name))) assert.ok(palette.has(spec.attribute), spec.name);
  assert.equal(palette.get('theme'), 'acme');

  const decorative = elementAttributes(await render({ decorative: true, alt: 'ignored' }));
  assert.equal(decorative.get('alt'), '');

  const blank = await render({ alt: '', fallback_text: null });
  assert.equal(elementAttributes(blank).get('alt'), DEFAULT_ALT, 'a cleared description falls back to the locale\'s default');
  assert.equal(fallbackText(blank), DEFAULT_FALLBACK);
});
