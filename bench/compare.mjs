#!/usr/bin/env node
// `npm run bench` (not part of npm test): <vib3-canvas> side by side with @google/model-viewer, in
// the same run, under both Chromium flag sets. Writes bench/results/compare.json and compare.md.
// Numbers are reported, never asserted. vib3 runs three times: as shipped (render thread `auto`:
// the first element on the main thread, the others in the page's render worker), with
// data-render-thread="main" (every element on the main thread: a lone WebGL2 element presents
// directly, several share the atlas; WebGPU hands bitmaps over) and with data-render-thread="worker"
// (every element in the render worker; the main thread forwards frames).
// Cases: 1, 10 and 50 instances, and "1+1": one instance, and a second appearing at the start of
// the measured window (the switch from the lone path to the shared one is inside the window).
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../test/chromium-flags.mjs';
import { makeCubeGltf } from './make-model.mjs';

const LOADS = Number(process.env.BENCH_LOADS || 5);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS || 4000);
// Before the window: shaders compiled, adaptive quality settled, and (vib3's auto) a lone animating
// element moved to the render worker and the main thread's renderer released. Measured too.
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS || 8000);
const COUNTS = (process.env.BENCH_COUNTS || '1,1+1,10,50').split(',');
const CYCLES = 100;
/** What is measured: the page each variant loads. vib3-worker only when the build has the render worker. */
const PAGES = { vib3: 'vib3.html', 'vib3-main': 'vib3-main.html', 'vib3-worker': 'vib3-worker.html', 'model-viewer': 'model-viewer.html' };
const KITS = (process.env.BENCH_KITS || Object.keys(PAGES).join(',')).split(',').filter((k) => k !== 'vib3-worker' || existsSync('dist/render-worker.js'));
const instrument = readFileSync(new URL('./pages/instrument.js', import.meta.url), 'utf8');

mkdirSync(new URL('./assets/', import.meta.url), { recursive: true });
writeFileSync(new URL('./assets/cube.gltf', import.meta.url), JSON.stringify(makeCubeGltf()));

const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN; };

/** Files a module statically imports (`from"./x"` / `import"./x"`), transitively: what loads before any code runs. */
function staticClosure(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.js)"/g)) visit(join(file, '..', m[1]));
  };
  visit(entry);
  seen.delete(entry);
  return [...seen];
}
const chunks = readdirSync('dist/chunks').filter((f) => f.endsWith('.js'));
const lazy = chunks.filter((f) => f.startsWith('three-view-'));
const bytes = {
  // ES: the entry and its static imports; then + the renderer chunk a first element loads.
  vib3: { scriptTag: gz('dist/vib3.iife.js'), esEntry: [ 'dist/vib3-embed.js', ...staticClosure('dist/vib3-embed.js')].reduce((n, f) => n + gz(f), 0), esLazy: lazy.reduce((n, f) => n + gz(join('dist/chunks', f)), 0), renderWorker: existsSync('dist/render-worker.js') ? gz('dist/render-worker.js') : NaN },
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
      k.firstFrameMs.push(await withPage(flagSet, `${PAGES[kit]}?n=1`, async (page) => (await page.evaluate(() => window.benchFirstFrame))[0]));
    }
    k.firstFrameMedianMs = median(k.firstFrameMs);
    for (const count of COUNTS) {
      const later = count.includes('+');
      const n = later ? 2 : Number(count);
      // A page that drew no frame at all in the window (model-viewer sometimes stops its loop under
      // load) is measured again, at most twice; the attempts are recorded.
      let attempts = 0;
      do {
      attempts++;
      k.instances[count] = await withPage(flagSet, `${PAGES[kit]}?n=${later ? 1 : n}`, async (page) => {
        await page.evaluate(() => window.benchFirstFrame);
        const warm = await page.evaluate(() => {
          // vib3: when the first element's path becomes `worker` (the auto handover), ms after its first frame.
          const el = document.querySelector('vib3-canvas');
          const t0 = performance.now();
          if (el) {
            const note = () => { if (el.presentation === 'worker' && window.__benchMovedMs === undefined) window.__benchMovedMs = performance.now() - t0; };
            note();
            new MutationObserver(note).observe(el, { attributes: true, attributeFilter: ['data-presentation'] });
          }
          return { work: window.__bench.frameWork.length, t0 };
        });
        await page.waitForTimeout(WARMUP_MS);
        const warmup = await page.evaluate(({ work, t0 }) => ({
          mainThreadMsPerSecond: window.__bench.frameWork.slice(work).reduce((a, b) => a + b, 0) / ((performance.now() - t0) / 1000),
          movedToWorkerMs: window.__benchMovedMs,
        }), warm);
        const lonePath = await page.evaluate(() => document.querySelector('vib3-canvas')?.presentation);
        // Everything the page's main thread did (scripts of any kind, style, layout, paint), from Chromium's own counter.
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const taskTime = async () => ({ seconds: (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN, at: performance.now() });
        const tasksBefore = await taskTime();
        const before = await page.evaluate(() => ({ presents: window.__benchPresentsPerCanvas(), work: window.__bench.frameWork.length, drawn: [...document.querySelectorAll('vib3-canvas')].map((e) => e.frameCount) }));
        if (later) await page.evaluate(() => { window.__benchLater = window.benchAddLater(); });
        await page.waitForTimeout(WINDOW_MS);
        const tasksAfter = await taskTime();
        const mainThreadBusyMsPerSecond = ((tasksAfter.seconds - tasksBefore.seconds) * 1000) / ((tasksAfter.at - tasksBefore.at) / 1000);
        const laterFirstFrameMs = later ? await page.evaluate(() => window.__benchLater) : undefined;
        const measured = await page.evaluate(({ before, windowMs, n }) => {
          const s = window.__bench;
          const presents = window.__benchPresentsPerCanvas();
          let perCanvas = Object.entries(presents).map(([id, count]) => count - (before.presents[id] ?? 0)).sort((a, b) => b - a).slice(0, n);
          // vib3: frames per element from its drawn-frame count (each is a present on the main thread;
          // for elements drawn by the render worker, no main-thread present is visible: the frames it took).
          const vib3 = [...document.querySelectorAll('vib3-canvas')];
          if (vib3.length > 0) perCanvas = vib3.map((e, i) => e.frameCount - (before.drawn[i] ?? 0)).sort((a, b) => b - a).slice(0, n);
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
            // vib3 only: how the elements' frames reach their canvases at the end of the window.
            presentation: (() => {
              const paths = {};
              for (const e of document.querySelectorAll('vib3-canvas')) paths[e.presentation] = (paths[e.presentation] ?? 0) + 1;
              return Object.entries(paths).map(([p, c]) => (c > 1 ? `${c}x ${p}` : p)).join(' + ') || undefined;
            })(),
          };
        }, { before, windowMs: WINDOW_MS, n });
        return { ...measured, mainThreadBusyMsPerSecond, lonePath, laterFirstFrameMs, attempts, warmupMainThreadMsPerSecond: warmup.mainThreadMsPerSecond, movedToWorkerMs: warmup.movedToWorkerMs };
      });
      } while (k.instances[count].pageFramesPerSecond === 0 && attempts < 3);
      console.error(`${flagSet} ${kit} ${count}: ${JSON.stringify(k.instances[count])}`);
    }
    k.firstFramePath = await withPage(flagSet, `${PAGES[kit]}?n=1`, (page) => page.evaluate(() => document.querySelector('vib3-canvas')?.presentation));
    k.heapAfterCycles = await withPage(flagSet, `${PAGES[kit]}?n=0`, (page) =>
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
const ours = KITS.filter((k) => k !== 'model-viewer');
let md = `# vib3-canvas vs model-viewer (${results.date})\n\nHeadless Chromium on SwiftShader (no GPU), same run, fresh page per measurement. Ratio = ours / model-viewer (lower is better except fps). \`vib3\` is the kit as shipped (render thread \`auto\`: an element starts on the main thread when none draws there, and moves to the page's render worker once it keeps animating; elements starting while one draws on the main thread start in the worker; an element that only animates is then drawn by the worker on its own animation frames and the page's frame loop rests, checking twice a second); \`vib3-main\` draws every element on the main thread (\`data-render-thread="main"\`); \`vib3-worker\` every element in the render worker (\`data-render-thread="worker"\`). Paths: \`direct\` = a lone WebGL2 element drawn into the shown canvas, \`atlas\` = tiles of the shared canvas copied, \`bitmap\` = WebGPU frames handed over, \`worker\` = drawn by the render worker (GPU contexts in the worker are not counted here; frames/s of worker-drawn elements are the frames the worker took). "1+1" = one instance, and a second one appearing at the start of the measured window. Two main-thread measures: "main-thread ms per second" sums the page's requestAnimationFrame callbacks (the kits' drawing); "main-thread busy" is everything the page's main thread did (Chromium's TaskDuration: scripts, message handlers, timers, style, layout, paint). Each case is measured for ${WINDOW_MS / 1000} s after a warm-up of ${WARMUP_MS / 1000} s from the first frame (the warm-up's main-thread cost is reported too: for vib3 it includes the handover).\n\n`;
md += `| bytes before first frame (gzip) | vib3 | model-viewer | ratio |\n|---|---|---|---|\n`;
md += `| script-tag file | ${kb(bytes.vib3.scriptTag)} | ${kb(bytes['model-viewer'].scriptTag)} | ${ratio(bytes.vib3.scriptTag, bytes['model-viewer'].scriptTag)} |\n`;
md += `| ES entry + its static imports / + lazy renderer chunk | ${kb(bytes.vib3.esEntry)} / ${kb(bytes.vib3.esEntry + bytes.vib3.esLazy)} | (module = script file) | |\n`;
md += `| render worker (loaded once an element keeps animating or a second one starts; at once with data-render-thread="worker") | ${kb(bytes.vib3.renderWorker)} | | |\n\n`;
for (const [flagSet, r] of Object.entries(results.flagSets)) {
  const m = r['model-viewer'];
  md += `## ${flagSet} flags (vib3 on ${FLAG_SETS[flagSet].expectedBackend}; model-viewer on WebGL)\n\n`;
  md += `| metric | ${ours.join(' | ')} | model-viewer | ${ours.map((k) => `ratio ${k}`).join(' | ')} |\n|---|${ours.map(() => '---|').join('')}---|${ours.map(() => '---|').join('')}\n`;
  const row = (label, get, fmt = f1, withRatio = true) => {
    md += `| ${label} | ${ours.map((k) => fmt(get(r[k]))).join(' | ')} | ${fmt(get(m))} | ${ours.map((k) => (withRatio ? ratio(get(r[k]), get(m)) : '')).join(' | ')} |\n`;
  };
  row(`connected -> first frame, median of ${LOADS} loads, ms`, (k) => k.firstFrameMedianMs);
  md += `| path of the first frame | ${ours.map((k) => r[k].firstFramePath ?? 'n/a').join(' | ')} | | ${ours.map(() => '').join(' | ')} |\n`;
  for (const n of COUNTS) {
    const label = n.includes('+') ? `${n} (appearing later)` : `${n} instance${n === '1' ? '' : 's'}`;
    md += `| **${label}**: path (lone -> end of window) | ${ours.map((k) => { const a = r[k].instances[n]; return n.includes('+') ? `${a.lonePath} -> ${a.presentation}` : a.presentation ?? 'n/a'; }).join(' | ')} | | ${ours.map(() => '').join(' | ')} |\n`;
    row(`${label}: frames/s per visible instance`, (k) => k.instances[n].fpsPerInstance);
    row(`${label}: main-thread ms/frame p50`, (k) => k.instances[n].mainThreadMsPerFrameP50, (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a'));
    row(`${label}: main-thread ms/frame p95`, (k) => k.instances[n].mainThreadMsPerFrameP95, (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a'));
    row(`${label}: main-thread ms per second`, (k) => k.instances[n].mainThreadMsPerSecond);
    row(`${label}: main-thread busy ms per second (every task: scripts, messages, timers, style, layout, paint; Chromium's TaskDuration)`, (k) => k.instances[n].mainThreadBusyMsPerSecond);
    row(`${label}: page frames/s`, (k) => k.instances[n].pageFramesPerSecond);
    row(`${label}: main-thread ms per second in the warm-up (first ${WARMUP_MS / 1000} s)`, (k) => k.instances[n].warmupMainThreadMsPerSecond);
    md += `| ${label}: the first element moved to the worker, ms after its first frame | ${ours.map((k) => f1(r[k].instances[n].movedToWorkerMs)).join(' | ')} | | ${ours.map(() => '').join(' | ')} |\n`;
    if (n.includes('+')) row(`${label}: the later one's connected -> first frame, ms`, (k) => k.instances[n].laterFirstFrameMs);
    md += `| ${label}: GPU contexts created / context losses | ${ours.map((k) => `${r[k].instances[n].gpuContexts} / ${r[k].instances[n].contextLosses}`).join(' | ')} | ${m.instances[n].gpuContexts} / ${m.instances[n].contextLosses} | ${ours.map(() => '').join(' | ')} |\n`;
    row(`${label}: adaptive render scale reached (mean)`, (k) => k.instances[n].renderScaleMean, (x) => (Number.isFinite(x) ? x.toFixed(2) : '(fixed)'), false);
  }
  row(`JS heap growth after ${CYCLES} connect/disconnect cycles, KB`, (k) => k.heapAfterCycles.growthBytes / 1024, f1, false);
  md += '\n';
}
writeFileSync('bench/results/compare.md', md);
console.log(md);
