#!/usr/bin/env node
// `npm run bench` (not part of npm test): <vib3-canvas> side by side with @google/model-viewer, in
// the same run, under both Chromium flag sets. Writes bench/results/compare.json and compare.md.
// Numbers are reported, never asserted.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../test/chromium-flags.mjs';
import { makeCubeGltf } from './make-model.mjs';

const LOADS = Number(process.env.BENCH_LOADS || 5);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS || 4000);
const COUNTS = (process.env.BENCH_COUNTS || '1,10,50').split(',').map(Number);
const CYCLES = 100;
const KITS = ['vib3', 'model-viewer'];
const instrument = readFileSync(new URL('./pages/instrument.js', import.meta.url), 'utf8');

mkdirSync(new URL('./assets/', import.meta.url), { recursive: true });
writeFileSync(new URL('./assets/cube.gltf', import.meta.url), JSON.stringify(makeCubeGltf()));

const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN; };

const chunks = readdirSync('dist/chunks').filter((f) => f.endsWith('.js'));
const lazy = chunks.filter((f) => f.startsWith('three-view-'));
const bytes = {
  vib3: { scriptTag: gz('dist/vib3.iife.js'), esEntry: gz('dist/vib3-embed.js') + chunks.filter((f) => !lazy.includes(f)).reduce((n, f) => n + gz(join('dist/chunks', f)), 0), esLazy: lazy.reduce((n, f) => n + gz(join('dist/chunks', f)), 0) },
  'model-viewer': { scriptTag: gz('node_modules/@google/model-viewer/dist/model-viewer.min.js') },
};

const { server, url } = await serveStatic();
async function withPage(flagSet, path, fn) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...FLAG_SETS[flagSet].args, '--js-flags=--expose-gc'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(instrument);
    await page.goto(`${url}/bench/pages/${path}`);
    await page.waitForFunction(() => window.benchFirstFrame, null, { timeout: 60_000 });
    return await fn(page);
  } finally {
    await browser.close();
  }
}

const results = { date: new Date().toISOString(), chromium: CHROMIUM_PATH, loads: LOADS, windowMs: WINDOW_MS, bytes, flagSets: {} };
for (const flagSet of Object.keys(FLAG_SETS)) {
  const r = (results.flagSets[flagSet] = {});
  for (const kit of KITS) {
    const k = (r[kit] = { firstFrameMs: [], instances: {} });
    for (let i = 0; i < LOADS; i++) {
      k.firstFrameMs.push(await withPage(flagSet, `${kit}.html?n=1`, async (page) => (await page.evaluate(() => window.benchFirstFrame))[0]));
    }
    k.firstFrameMedianMs = median(k.firstFrameMs);
    for (const n of COUNTS) {
      k.instances[n] = await withPage(flagSet, `${kit}.html?n=${n}`, async (page) => {
        await page.evaluate(() => window.benchFirstFrame);
        await page.waitForTimeout(3000); // warm-up: shaders compiled, adaptive quality settled
        const before = await page.evaluate(() => ({ presents: window.__benchPresentsPerCanvas(), work: window.__bench.frameWork.length }));
        await page.waitForTimeout(WINDOW_MS);
        return page.evaluate(({ before, windowMs, n }) => {
          const s = window.__bench;
          const presents = window.__benchPresentsPerCanvas();
          const perCanvas = Object.entries(presents).map(([id, count]) => count - (before.presents[id] ?? 0)).sort((a, b) => b - a).slice(0, n);
          const work = s.frameWork.slice(before.work);
          const sorted = [...work].sort((a, b) => a - b);
          return {
            fpsPerInstance: perCanvas.reduce((a, b) => a + b, 0) / Math.max(1, perCanvas.length) / (windowMs / 1000),
            mainThreadMsPerFrameP50: sorted[Math.floor(sorted.length * 0.5)] ?? NaN,
            mainThreadMsPerFrameP95: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
            // The whole cost, whatever the frame rate: main-thread drawing ms per second of wall time.
            mainThreadMsPerSecond: work.reduce((a, b) => a + b, 0) / (windowMs / 1000),
            pageFramesPerSecond: work.length / (windowMs / 1000),
            gpuContexts: s.contexts.webgl + s.contexts.webgl2 + s.devices,
            contextsByKind: { ...s.contexts, webgpuDevices: s.devices },
            contextLosses: s.lost,
            // vib3 only: the adaptive render scale reached (1 = full resolution).
            renderScaleMean: (() => {
              const scales = [...document.querySelectorAll('vib3-canvas')].map((e) => e.renderScale);
              return scales.length ? scales.reduce((a, b) => a + b, 0) / scales.length : undefined;
            })(),
          };
        }, { before, windowMs: WINDOW_MS, n });
      });
      console.error(`${flagSet} ${kit} n=${n}: ${JSON.stringify(k.instances[n])}`);
    }
    k.heapAfterCycles = await withPage(flagSet, `${kit}.html?n=0`, (page) =>
      page.evaluate(async (cycles) => {
        const grid = document.getElementById('grid');
        const heap = () => { window.gc?.(); return performance.memory?.usedJSHeapSize ?? NaN; };
        const warm = window.benchMake();
        grid.append(warm);
        await window.benchReady(warm);
        warm.remove();
        await new Promise((r) => setTimeout(r, 500));
        const start = heap();
        for (let i = 0; i < cycles; i++) {
          const el = window.benchMake();
          grid.append(el);
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          el.remove();
        }
        await new Promise((r) => setTimeout(r, 6000)); // past the kits' idle release timers
        const end = heap();
        return { startBytes: start, endBytes: end, growthBytes: end - start };
      }, CYCLES),
    );
    console.error(`${flagSet} ${kit} heap: ${JSON.stringify(k.heapAfterCycles)}`);
  }
}
server.close();

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/compare.json', `${JSON.stringify(results, null, 2)}\n`);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : 'n/a');
let md = `# vib3-canvas vs model-viewer (${results.date})\n\nHeadless Chromium on SwiftShader (no GPU), same run, fresh page per measurement. Ratio = ours / model-viewer (lower is better except fps).\n\n`;
md += `| bytes before first frame (gzip) | vib3 | model-viewer | ratio |\n|---|---|---|---|\n`;
md += `| script-tag file | ${kb(bytes.vib3.scriptTag)} | ${kb(bytes['model-viewer'].scriptTag)} | ${ratio(bytes.vib3.scriptTag, bytes['model-viewer'].scriptTag)} |\n`;
md += `| ES entry + eager chunks / + lazy renderer chunk | ${kb(bytes.vib3.esEntry)} / ${kb(bytes.vib3.esEntry + bytes.vib3.esLazy)} | (module = script file) | |\n\n`;
for (const [flagSet, r] of Object.entries(results.flagSets)) {
  const v = r.vib3, m = r['model-viewer'];
  md += `## ${flagSet} flags (vib3 on ${FLAG_SETS[flagSet].expectedBackend}; model-viewer on WebGL)\n\n`;
  md += `| metric | vib3 | model-viewer | ratio |\n|---|---|---|---|\n`;
  md += `| connected -> first frame, median of ${LOADS} loads | ${f1(v.firstFrameMedianMs)} ms | ${f1(m.firstFrameMedianMs)} ms | ${ratio(v.firstFrameMedianMs, m.firstFrameMedianMs)} |\n`;
  for (const n of COUNTS) {
    const a = v.instances[n], b = m.instances[n];
    md += `| ${n} instances: frames/s per visible instance | ${f1(a.fpsPerInstance)} | ${f1(b.fpsPerInstance)} | ${ratio(a.fpsPerInstance, b.fpsPerInstance)} |\n`;
    md += `| ${n} instances: main-thread ms/frame p50 / p95 | ${f1(a.mainThreadMsPerFrameP50)} / ${f1(a.mainThreadMsPerFrameP95)} | ${f1(b.mainThreadMsPerFrameP50)} / ${f1(b.mainThreadMsPerFrameP95)} | ${ratio(a.mainThreadMsPerFrameP50, b.mainThreadMsPerFrameP50)} / ${ratio(a.mainThreadMsPerFrameP95, b.mainThreadMsPerFrameP95)} |\n`;
    md += `| ${n} instances: main-thread ms per second (page frames/s) | ${f1(a.mainThreadMsPerSecond)} (${f1(a.pageFramesPerSecond)}) | ${f1(b.mainThreadMsPerSecond)} (${f1(b.pageFramesPerSecond)}) | ${ratio(a.mainThreadMsPerSecond, b.mainThreadMsPerSecond)} |\n`;
    md += `| ${n} instances: GPU contexts created / context losses | ${a.gpuContexts} / ${a.contextLosses} | ${b.gpuContexts} / ${b.contextLosses} | |\n`;
    md += `| ${n} instances: adaptive render scale reached (mean) | ${a.renderScaleMean?.toFixed(2) ?? 'n/a'} | (fixed) | |\n`;
  }
  md += `| JS heap growth after ${CYCLES} connect/disconnect cycles | ${kb(v.heapAfterCycles.growthBytes)} | ${kb(m.heapAfterCycles.growthBytes)} | |\n\n`;
}
writeFileSync('bench/results/compare.md', md);
console.log(md);
