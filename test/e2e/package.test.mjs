// The published surface: package exports point at built files, and the Custom Elements
// Manifest describes the whole element contract (for IDEs and framework typings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');
const pkg = JSON.parse(read('package.json'));

test('package.json: ESM, node >= 20, exports map with types that resolve to built files', () => {
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=20');
  const main = pkg.exports['.'];
  const sub = (k) => [pkg.exports[k].types, pkg.exports[k].import];
  for (const target of [main.types, main.import, ...sub('./components'), pkg.exports['./tokens.css'], pkg.exports['./tokens.json'], ...sub('./sdk'), ...sub('./sdk/testing'), ...sub('./extensions'), pkg.exports['./iife'], pkg.exports['./custom-elements.json'], pkg.bin.vib3]) {
    assert.ok(existsSync(new URL(target, root)), `${target} exists after build`);
  }
  const dts = read(main.types.replace('./', ''));
  for (const name of ['Vib3Canvas', 'Vib3Params', 'RendererContract', 'define', 'Vib3Error']) assert.match(dts, new RegExp(`\\b${name}\\b`));
  const elementDts = read('dist/types/src/element/vib3-canvas.d.ts');
  assert.match(elementDts, /'vib3-canvas': Vib3Canvas/, 'HTMLElementTagNameMap augmentation ships');
});

test('custom-elements.json describes every attribute, event, slot and part of <vib3-canvas>', () => {
  const manifest = JSON.parse(read('custom-elements.json'));
  const decl = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'vib3-canvas');
  assert.ok(decl, 'vib3-canvas declared');
  const attrs = new Set(decl.attributes.map((a) => a.name));
  for (const a of ['system', 'geometry', 'rot4d-xy', 'rot4d-xz', 'rot4d-yz', 'rot4d-xw', 'rot4d-yw', 'rot4d-zw', 'dimension', 'grid-density', 'morph-factor', 'chaos', 'speed', 'hue', 'intensity', 'saturation', 'variation', 'renderer', 'motion', 'loading', 'paused', 'time', 'alt', 'theme', 'poster', 'mesh', 'mesh-mode', 'slice-w']) {
    assert.ok(attrs.has(a), `attribute ${a}`);
  }
  assert.equal(decl.attributes.find((a) => a.name === 'rot4d-xw').fieldName, 'rot4dXW');
  assert.equal(decl.attributes.find((a) => a.name === 'system').type.text, "'faceted' | 'quantum' | 'holographic'");
  assert.deepEqual(decl.events.map((e) => e.name).sort(), ['vib3-context-lost', 'vib3-context-restored', 'vib3-error', 'vib3-mesh-update', 'vib3-params-change', 'vib3-ready', 'vib3-render-scale']);
  for (const e of decl.events) assert.ok(e.description?.length > 10, `${e.name} documents its detail`);
  assert.deepEqual(decl.slots.map((s) => s.name).sort(), ['fallback', 'poster']);
  assert.deepEqual(decl.cssParts.map((p) => p.name).sort(), ['canvas', 'fallback', 'poster']);
  const methods = new Set(decl.members.filter((m) => m.kind === 'method' && m.privacy !== 'private').map((m) => m.name));
  for (const m of ['setParams', 'getParams', 'reset', 'snapshot']) assert.ok(methods.has(m), `method ${m}`);
});

test('custom-elements.json describes the theme wrapper and every UI component', () => {
  const manifest = JSON.parse(read('custom-elements.json'));
  const tags = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => d.tagName).sort();
  assert.deepEqual(tags, ['vib3-canvas', 'vib3-consent-dialog', 'vib3-control-panel', 'vib3-install-progress', 'vib3-market-card', 'vib3-market-detail', 'vib3-market-installed', 'vib3-market-search', 'vib3-marketplace', 'vib3-stage', 'vib3-sync-status', 'vib3-telemetry-dashboard', 'vib3-theme', 'vib3-theme-switcher', 'vib3-tool-approval', 'vib3-toolbar']);
  // The marketplace documents its public API: the installer property, its events and its parts.
  const market = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'vib3-marketplace');
  assert.ok(market.members.some((m) => m.name === 'installer'));
  assert.deepEqual(market.events.map((e) => e.name).sort(), ['vib3-marketplace-done', 'vib3-marketplace-error']);
  assert.ok(market.cssParts.some((p) => p.name === 'results'));
});

test('the shipped browser code contains no eval or new Function (strict CSP)', () => {
  for (const file of ['dist/vib3.iife.js', 'dist/vib3-extensions.iife.js', 'dist/extensions/runtime.js', 'dist/marketplace.js', 'dist/sandbox/frame.html', 'dist/sandbox/extension-worker.js', 'dist/vib3-embed.js', 'dist/vib3-components.js', 'dist/sdk/index.js', 'dist/sdk/testing.js', 'dist/extensions/index.js', 'dist/geometry.js', 'dist/geometry-worker.js', 'dist/render-worker.js', ...readdirSync(new URL('dist/chunks', root)).filter((f) => f.endsWith('.js')).map((f) => `dist/chunks/${f}`)]) {
    const code = read(file);
    assert.doesNotMatch(code, /\beval\s*\(/, `${file}: eval`);
    assert.doesNotMatch(code, /new\s+Function\s*\(/, `${file}: new Function`);
  }
});

test('the geometry library runs in Node: polytopes, WASM SIMD kernels, a slice equal to the reference', async () => {
  const geo = await import(new URL(pkg.exports['./geometry'].import, root).href);
  assert.equal(geo.polytope('600-cell').edges.length / 2, 720);
  const simd = await geo.loadKernels('auto');
  assert.equal(simd.kind, 'wasm-simd');
  const service = geo.createGeometryService();
  assert.equal(await service.init('wasm-simd'), 'wasm-simd');
  const rotation = { XY: 0.1, XZ: 0.2, YZ: 0.3, XW: 0.4, YW: 0.5, ZW: 0.6 };
  const fast = await service.slice({ mesh: 'tesseract', rotation, offset: 0.1 });
  const ref = geo.createGeometryService();
  await ref.init('js');
  const slow = await ref.slice({ mesh: 'tesseract', rotation, offset: 0.1 });
  assert.equal(fast.triangleCount, slow.triangleCount);
  assert.ok(fast.triangles.every((v, i) => Math.abs(v - slow.triangles[i]) < 1e-5));
  assert.ok(existsSync(new URL('dist/geometry-worker.js', root)), 'the worker ships next to the entry files');
});

test('the SDK and the extension library load in Node without a DOM', async () => {
  const sdk = await import(new URL(pkg.exports['./sdk'].import, root).href);
  const testing = await import(new URL(pkg.exports['./sdk/testing'].import, root).href);
  const ext = await import(new URL(pkg.exports['./extensions'].import, root).href);
  assert.equal(typeof sdk.defineExtension, 'function');
  assert.equal(typeof testing.createTestHarness, 'function');
  assert.equal(typeof ext.verifyPackage, 'function');
  assert.equal(ext.manifestSchema.$schema, 'https://json-schema.org/draft/2020-12/schema');
});
