#!/usr/bin/env node
// `npm run bench` part: geometry kernel throughput (JS reference vs WASM scalar vs WASM SIMD) in
// Node and in a Chromium worker, next to memory bandwidth; and the host page's main-thread time
// while an element slices the 600-cell every frame. Writes bench/results/geometry.{json,md}.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../test/chromium-flags.mjs';
import { runGeometryBench } from './geometry-core.mjs';

const lib = await import('../dist/geometry.js');
const MS = Number(process.env.BENCH_GEOMETRY_MS || 300);
const results = { date: new Date().toISOString(), node: process.version, nodeKernels: await runGeometryBench(lib, { ms: MS }) };
console.error('node done');

const instrument = readFileSync(new URL('./pages/instrument.js', import.meta.url), 'utf8');
const { server, url } = await serveStatic();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAG_SETS.webgpu.args });
try {
  const page = await browser.newPage();
  await page.goto(`${url}/bench/pages/geometry.html?ms=${MS}`);
  await page.waitForFunction(() => window.geometryBenchDone, null, { timeout: 600_000 });
  results.chromiumWorker = await page.evaluate(() => window.geometryBenchDone);
  console.error('worker done');
  // Main-thread time per frame of a page whose element slices the 600-cell every frame, vs the same element without a mesh.
  results.mainThread = {};
  for (const mesh of ['none', 'slice']) {
    const p = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await p.addInitScript(instrument);
    await p.goto(`${url}/bench/pages/slicing.html?mesh=${mesh}`);
    await p.waitForFunction(() => window.benchFirstFrame, null, { timeout: 60_000 });
    await p.evaluate(() => window.benchFirstFrame);
    await p.waitForTimeout(2000);
    const before = await p.evaluate(() => ({ work: window.__bench.frameWork.length, updates: window.meshUpdates }));
    await p.waitForTimeout(4000);
    results.mainThread[mesh] = await p.evaluate((before) => {
      const work = window.__bench.frameWork.slice(before.work).sort((a, b) => a - b);
      return { frames: work.length, p50: work[Math.floor(work.length / 2)], p95: work[Math.floor(work.length * 0.95)], slicesShownPerSecond: (window.meshUpdates - before.updates) / 4, kernels: window.meshKernels };
    }, before);
    await p.close();
  }
} finally {
  await browser.close();
  server.close();
}

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/geometry.json', `${JSON.stringify(results, null, 2)}\n`);
const fmt = (x) => (x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1));
let md = `# Geometry kernels (${results.date})\n\nVertices rotated + projected per second, and slices per second (rotate + cut as many random tetrahedra as vertices), per implementation. "copy bound" = a plain typed-array copy of the same bytes (28 per vertex): the memory-bandwidth limit.\n\n`;
for (const [where, r] of [['Node ' + results.node, results.nodeKernels], ['Chromium worker (WebGPU flags)', results.chromiumWorker]]) {
  md += `## ${where}\n\n| vertices | copy bound (vertices/s) | JS vertices/s | WASM scalar | WASM SIMD | SIMD / JS | JS slices/s | WASM scalar | WASM SIMD |\n|---|---|---|---|---|---|---|---|---|\n`;
  for (const row of r.rows) {
    const k = row.kernels;
    md += `| ${fmt(row.vertices)} | ${fmt(row.bandwidthVerticesPerSecond)} (${row.bandwidthGBps.toFixed(1)} GB/s) | ${fmt(k.js.verticesPerSecond)} | ${fmt(k['wasm-scalar'].verticesPerSecond)} | ${k['wasm-simd'] ? fmt(k['wasm-simd'].verticesPerSecond) : 'n/a'} | ${k['wasm-simd'] ? (k['wasm-simd'].verticesPerSecond / k.js.verticesPerSecond).toFixed(2) : 'n/a'} | ${fmt(k.js.slicesPerSecond)} | ${fmt(k['wasm-scalar'].slicesPerSecond)} | ${k['wasm-simd'] ? fmt(k['wasm-simd'].slicesPerSecond) : 'n/a'} |\n`;
  }
  md += `\n600-cell slices per second (the element's per-frame work: rotate, cut cells and faces, normals): ${Object.entries(r.slices600PerSecond).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}\n\n`;
}
const mt = results.mainThread;
md += `## Host page while slicing the 600-cell every frame (Chromium, WebGPU flags)\n\n| element | main-thread ms/frame p50 / p95 | frames | slices shown/s | kernels |\n|---|---|---|---|---|\n`;
for (const [k, v] of Object.entries(mt)) md += `| ${k === 'none' ? 'lattice only' : 'lattice + 600-cell slice'} | ${v.p50?.toFixed(2)} / ${v.p95?.toFixed(2)} | ${v.frames} | ${v.slicesShownPerSecond.toFixed(1)} | ${v.kernels ?? ''} |\n`;
md += `\nMesh layer's share of the main thread per frame (p50 difference): ${(mt.slice.p50 - mt.none.p50).toFixed(2)} ms.\n`;
writeFileSync('bench/results/geometry.md', md);
console.log(md);
