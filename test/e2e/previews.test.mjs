// `vib3 ext previews` with the built CLI (dist/cli/vib3.js, from npm run build): a geometry
// extension made from the template, with two presets that differ, rendered in the system
// Chromium. The files must be real renders: exact sizes (PNG IHDR, WebP header), pixel statistics
// of a picture (not a flat fill), presets that look different, a WebM that is one, previews.json
// with the right SHA-256, and --update-manifest making a manifest that lints and ships them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng, pngSize } from './png-decode.mjs';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
let work;
const vib3 = (args, env = {}) => spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, ...env } });
const json = (r) => {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
};

// ---------------------------------------------------------------- image decoding (no dependencies)


/** Luminance spread, distinct colours, mean colour and a 4x4x4 colour histogram (shares). */
function statsOf({ rgb }) {
  const n = rgb.length / 3;
  let sum = 0, sum2 = 0;
  const mean = [0, 0, 0];
  const colours = new Set();
  const histogram = new Float64Array(64);
  for (let i = 0; i < rgb.length; i += 3) {
    const [r, g, b] = [rgb[i], rgb[i + 1], rgb[i + 2]];
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += l;
    sum2 += l * l;
    mean[0] += r;
    mean[1] += g;
    mean[2] += b;
    colours.add((r << 16) | (g << 8) | b);
    histogram[((r >> 6) << 4) | ((g >> 6) << 2) | (b >> 6)] += 1 / n;
  }
  const m = sum / n;
  return { std: Math.sqrt(sum2 / n - m * m), colours: colours.size, mean: mean.map((v) => v / n), histogram };
}

/** Width and height from a WebP header (VP8X, VP8 or VP8L). */
function webpSize(bytes) {
  assert.equal(bytes.toString('latin1', 0, 4), 'RIFF');
  assert.equal(bytes.toString('latin1', 8, 12), 'WEBP');
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  assert.equal(chunk, 'VP8L');
  const bits = bytes.readUInt32LE(21);
  return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
}

// ---------------------------------------------------------------- the extension and one render

const SPECS = {
  registry: [{ slot: 'preview', width: 640, height: 360, format: 'png', count: { min: 1, max: 8 }, required: true }],
  shop: [
    { slot: 'icon', width: 128, height: 128, format: 'png', required: true },
    { slot: 'banner', width: 772, height: 250, format: 'webp', required: false },
    { slot: 'clip', width: 320, height: 180, format: 'webm', required: false },
  ],
};
const PRESETS = [
  { name: 'calm', title: 'The tesseract over a blue faceted lattice', params: { system: 'faceted', geometry: 1, hue: 210 } },
  { name: 'vivid', title: 'The tesseract in a magenta hologram', params: { system: 'holographic', geometry: 11, hue: 320, rot4dXW: 0.7 }, theme: 'acme' },
];
let ext;
let out;
let render;
let result;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'vib3-previews-'));
  // The extension imports the SDK as a project that installed vib3-embed would.
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(repo, join(work, 'node_modules/vib3-embed'));
  ext = join(work, 'shapes');
  assert.equal(vib3(['ext', 'create', 'shapes', '--template', 'geometry', '--dir', ext]).status, 0);
  const manifest = JSON.parse(readFileSync(join(ext, 'extension.json'), 'utf8'));
  manifest.marketplace.presets = PRESETS;
  writeFileSync(join(ext, 'extension.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const built = vib3(['ext', 'build', ext]);
  assert.equal(built.status, 0, built.stderr);
  writeFileSync(join(work, 'specs.json'), JSON.stringify(SPECS));
  writeFileSync(join(work, 'small.json'), JSON.stringify({ registry: [{ slot: 'preview', width: 320, height: 180, format: 'png', required: true }] }));
  out = join(work, 'out');
  // One Chromium launch renders everything the tests below look at.
  render = vib3(['ext', 'previews', ext, '--specs', join(work, 'specs.json'), '--out', out, '--update-manifest', '--json']);
  result = json(render);
});
after(() => rmSync(work, { recursive: true, force: true }));

const file = (name) => readFileSync(join(out, name));

test('renders every file of every spec, one per preset where a slot takes several, with progress per preset', () => {
  assert.equal(render.status, 0, render.stderr);
  assert.equal(result.ok, true);
  assert.equal(result.backend, 'webgl2');
  assert.deepEqual(result.files.map((f) => [f.file, f.preset]), [
    ['registry/preview-1.png', 'calm'],
    ['shop/icon.png', 'calm'],
    ['shop/banner.webp', 'calm'],
    ['shop/clip.webm', 'calm'],
    ['registry/preview-2.png', 'vivid'],
  ]);
  assert.match(render.stderr, /^preset 1\/2 "calm": 4 files/m);
  assert.match(render.stderr, /^preset 2\/2 "vivid": 1 file/m);
});

test('every image has exactly the size its spec asks for', () => {
  for (const [name, w, h] of [['registry/preview-1.png', 640, 360], ['registry/preview-2.png', 640, 360], ['shop/icon.png', 128, 128]]) {
    assert.deepEqual(pngSize(file(name)), { width: w, height: h }, name);
  }
  assert.deepEqual(webpSize(file('shop/banner.webp')), { width: 772, height: 250 });
});

test('the images are pictures of the extension, not blank, and the two presets differ', (t) => {
  const calm = statsOf(decodePng(file('registry/preview-1.png')));
  const vivid = statsOf(decodePng(file('registry/preview-2.png')));
  const icon = statsOf(decodePng(file('shop/icon.png')));
  for (const [name, s] of Object.entries({ calm, vivid, icon })) {
    assert.ok(s.std > 12, `${name}: luminance spread ${s.std.toFixed(1)} is a picture, not a fill`);
    assert.ok(s.colours > 200, `${name}: ${s.colours} distinct colours`);
  }
  for (const [name, s] of Object.entries({ calm, vivid, icon })) t.diagnostic(`${name}: luminance std ${s.std.toFixed(1)}, ${s.colours} colours, mean rgb ${s.mean.map(Math.round).join(',')}`);
  const meanDistance = Math.hypot(...calm.mean.map((v, i) => v - vivid.mean[i]));
  const histogramDistance = calm.histogram.reduce((a, v, i) => a + Math.abs(v - vivid.histogram[i]), 0);
  t.diagnostic(`preset distance: mean colour ${meanDistance.toFixed(1)}, histogram ${histogramDistance.toFixed(2)}`);
  assert.ok(meanDistance > 20, `mean colours ${calm.mean.map(Math.round)} vs ${vivid.mean.map(Math.round)} differ by ${meanDistance.toFixed(1)}`);
  assert.ok(histogramDistance > 0.5, `colour histograms differ by ${histogramDistance.toFixed(2)} (of 2)`);
  // The page's own measurement (previews.json) agrees with ours.
  const listed = result.files.find((f) => f.file === 'registry/preview-1.png');
  assert.ok(Math.abs(listed.stats.luminanceStd - calm.std) < 1, `page ${listed.stats.luminanceStd} vs decoded ${calm.std}`);
});

test('the animated preview is a WebM recording', () => {
  const clip = file('shop/clip.webm');
  assert.equal(clip.subarray(0, 4).toString('hex'), '1a45dfa3', 'EBML magic');
  assert.ok(clip.includes(Buffer.from('webm')), 'DocType webm');
  assert.ok(clip.length > 2000, `${clip.length} bytes`);
  assert.ok(result.files.find((f) => f.format === 'webm').frames > 1);
});

test('previews.json lists every file with its target, slot, preset, size and SHA-256', () => {
  const listing = JSON.parse(readFileSync(join(out, 'previews.json'), 'utf8'));
  assert.equal(listing.extension.id, 'com.example.shapes');
  assert.deepEqual(listing.presets.map((p) => p.name), ['calm', 'vivid']);
  assert.equal(listing.presets[1].params.system, 'holographic');
  assert.equal(listing.files.length, 5);
  for (const f of listing.files) {
    const bytes = file(f.file);
    assert.equal(f.sha256, createHash('sha256').update(bytes).digest('hex'), f.file);
    assert.equal(f.bytes, bytes.length);
    const spec = SPECS[f.target].find((s) => s.slot === f.slot);
    assert.deepEqual([f.width, f.height, f.format], [spec.width, spec.height, spec.format]);
  }
});

test('--update-manifest lists the registry images in marketplace.previews; the manifest lints and the package ships them', () => {
  const manifest = JSON.parse(readFileSync(join(ext, 'extension.json'), 'utf8'));
  assert.deepEqual(manifest.marketplace.previews, [
    { src: 'assets/previews/calm.png', alt: `Shapes: ${PRESETS[0].title}`, width: 640, height: 360, preset: 'calm' },
    { src: 'assets/previews/vivid.png', alt: `Shapes: ${PRESETS[1].title}`, width: 640, height: 360, preset: 'vivid' },
  ]);
  assert.deepEqual(readFileSync(join(ext, 'assets/previews/calm.png')), file('registry/preview-1.png'));
  assert.deepEqual(readFileSync(join(ext, 'assets/previews/vivid.png')), file('registry/preview-2.png'));
  assert.equal(existsSync(join(ext, 'assets/preview.png')), false, "the template's placeholder is gone");
  assert.deepEqual(result.manifest.removed, ['assets/preview.png']);
  const lint = vib3(['ext', 'lint', ext, '--json']);
  assert.equal(lint.status, 0, lint.stdout);
  assert.equal(json(lint).valid, true);
  const compliance = json(vib3(['ext', 'compliance', ext, '--json']));
  assert.equal(compliance.checks.find((c) => c.code === 'PREVIEW').ok, true);
});

test('the WebGPU flag set renders with WebGPU', () => {
  const r = vib3(['ext', 'previews', ext, '--specs', join(work, 'small.json'), '--out', join(work, 'gpu'), '--webgpu', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(json(r).backend, 'webgpu');
  const s = statsOf(decodePng(readFileSync(join(work, 'gpu/registry/preview.png'))));
  assert.ok(s.std > 12 && s.colours > 100, `std ${s.std}, ${s.colours} colours`);
});

test('coded failures: not an extension, an invalid preset, no Chromium, --update-manifest on a package', () => {
  mkdirSync(join(work, 'empty'));
  const notExt = vib3(['ext', 'previews', join(work, 'empty'), '--json']);
  assert.equal(notExt.status, 2);
  assert.equal(json(notExt).code, 'MANIFEST_NOT_FOUND');

  const specs = join(work, 'small.json');
  const manifest = JSON.parse(readFileSync(join(ext, 'extension.json'), 'utf8'));
  const bad = join(work, 'bad');
  assert.equal(vib3(['ext', 'create', 'bad', '--template', 'geometry', '--dir', bad]).status, 0);
  writeFileSync(join(bad, 'extension.json'), JSON.stringify({ ...manifest, marketplace: { ...manifest.marketplace, previews: [], presets: [{ name: 'broken', params: { hue: 90, sparkle: 3 } }] } }));
  assert.equal(vib3(['ext', 'build', bad]).status, 0);
  const badPreset = vib3(['ext', 'previews', bad, '--specs', specs, '--out', join(work, 'bad-out'), '--json']);
  assert.equal(badPreset.status, 1);
  assert.equal(json(badPreset).code, 'PRESET_INVALID');
  assert.match(json(badPreset).message, /sparkle/);

  const noChromium = vib3(['ext', 'previews', ext, '--specs', specs, '--out', join(work, 'x'), '--json'], { VIB3_CHROMIUM: join(work, 'no-such-chromium') });
  assert.equal(noChromium.status, 1);
  assert.equal(json(noChromium).code, 'CHROMIUM_NOT_FOUND');
  assert.match(json(noChromium).suggestion, /apt-get install/);

  assert.equal(vib3(['ext', 'pack', ext, '-o', join(work, 'shapes.vib3x')]).status, 0);
  const onPackage = vib3(['ext', 'previews', join(work, 'shapes.vib3x'), '--update-manifest', '--json']);
  assert.equal(onPackage.status, 2);
  assert.equal(json(onPackage).code, 'UPDATE_NEEDS_FOLDER');
});
