// The page-wide render-thread switch (src/render/worker/render-thread.ts) and the build wiring of
// the render worker's URL (scripts/geometry-worker-plugin.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, type Plugin } from 'esbuild';
import { mainThreadViews, noteMainThreadView, renderThread, rendersInWorker, setRenderThread, workerRenderingSupported } from '../../src/render/worker/render-thread.js';

/** The build plugin (plain JavaScript, no declarations). */
const PLUGIN_PATH = '../../scripts/geometry-worker-plugin.mjs';
const { esbuildGeometryWorker, RENDER_ID } = (await import(PLUGIN_PATH)) as { esbuildGeometryWorker: Plugin; RENDER_ID: string };

test('the render thread defaults to auto, accepts the three modes and refuses others', () => {
  assert.equal(renderThread(), 'auto');
  assert.equal(rendersInWorker(), false);
  for (const mode of ['worker', 'main', 'auto'] as const) {
    setRenderThread(mode);
    assert.equal(renderThread(), mode);
  }
  assert.throws(() => setRenderThread('gpu' as never), RangeError);
  assert.equal(renderThread(), 'auto', 'a refused value changes nothing');
});

test('auto: the first element draws on the main thread, elements starting while one does go to the worker', () => {
  // Node has no OffscreenCanvas: pretend the browser can hand canvases to a worker.
  const g = globalThis as Record<string, unknown>;
  const saved = { OffscreenCanvas: g['OffscreenCanvas'], HTMLCanvasElement: g['HTMLCanvasElement'], Worker: g['Worker'] };
  g['OffscreenCanvas'] = class {};
  g['HTMLCanvasElement'] = class { transferControlToOffscreen() {} };
  g['Worker'] = class {};
  try {
    setRenderThread('auto');
    assert.equal(mainThreadViews(), 0);
    assert.equal(rendersInWorker(), false, 'no element on the main thread yet: the first one goes there');
    noteMainThreadView(1);
    assert.equal(rendersInWorker(), true, 'one draws there: the next goes to the worker');
    setRenderThread('main');
    assert.equal(rendersInWorker(), false, 'main: never');
    noteMainThreadView(-1);
    setRenderThread('worker');
    assert.equal(rendersInWorker(), true, 'worker: always, even for the first');
    noteMainThreadView(-1);
    assert.equal(mainThreadViews(), 0, 'never below zero');
  } finally {
    setRenderThread('auto');
    Object.assign(g, saved);
  }
});

test('without OffscreenCanvas / transferControlToOffscreen (Node) nothing renders in a worker, whatever the mode', () => {
  assert.equal(workerRenderingSupported(), false);
  setRenderThread('worker');
  try {
    assert.equal(rendersInWorker(), false);
  } finally {
    setRenderThread('auto');
  }
});

test('esbuild resolves the render worker URL next to the bundle', async () => {
  const out = await build({ stdin: { contents: `import url from '${RENDER_ID}'; console.log(url);`, resolveDir: process.cwd() }, bundle: true, format: 'esm', write: false, plugins: [esbuildGeometryWorker], logLevel: 'silent' });
  assert.match(out.outputFiles[0]!.text, /new URL\("\.\/render-worker\.js", import\.meta\.url\)/);
});
