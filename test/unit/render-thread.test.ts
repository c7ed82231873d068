// The page-wide render-thread switch (src/render/worker/render-thread.ts) and the build wiring of
// the render worker's URL (scripts/geometry-worker-plugin.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, type Plugin } from 'esbuild';
import { renderThread, rendersInWorker, setRenderThread, workerRenderingSupported } from '../../src/render/worker/render-thread.js';

/** The build plugin (plain JavaScript, no declarations). */
const PLUGIN_PATH = '../../scripts/geometry-worker-plugin.mjs';
const { esbuildGeometryWorker, RENDER_ID } = (await import(PLUGIN_PATH)) as { esbuildGeometryWorker: Plugin; RENDER_ID: string };

test('the render thread defaults to main, accepts the three modes and refuses others', () => {
  assert.equal(renderThread(), 'main');
  assert.equal(rendersInWorker(), false);
  for (const mode of ['worker', 'auto', 'main'] as const) {
    setRenderThread(mode);
    assert.equal(renderThread(), mode);
  }
  assert.throws(() => setRenderThread('gpu' as never), RangeError);
  assert.equal(renderThread(), 'main', 'a refused value changes nothing');
});

test('without OffscreenCanvas / transferControlToOffscreen (Node) nothing renders in a worker, whatever the mode', () => {
  assert.equal(workerRenderingSupported(), false);
  setRenderThread('worker');
  try {
    assert.equal(rendersInWorker(), false);
  } finally {
    setRenderThread('main');
  }
});

test('esbuild resolves the render worker URL next to the bundle', async () => {
  const out = await build({ stdin: { contents: `import url from '${RENDER_ID}'; console.log(url);`, resolveDir: process.cwd() }, bundle: true, format: 'esm', write: false, plugins: [esbuildGeometryWorker], logLevel: 'silent' });
  assert.match(out.outputFiles[0]!.text, /new URL\("\.\/render-worker\.js", import\.meta\.url\)/);
});
