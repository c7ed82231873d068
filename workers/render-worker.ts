// The render worker: draws every <vib3-canvas> of the page that renders off the main thread
// (setRenderThread('worker' | 'auto')) into its transferred canvas. Built to dist/render-worker.js,
// a self-contained script (three.js included, no import/export), so it also runs as a classic
// worker behind the blob: trampoline on cross-origin pages (src/geometry/spawn-worker.ts).
import { startRenderWorker, type RenderWorkerScope } from '../src/render/worker/worker-renderer.js';

startRenderWorker(self as unknown as RenderWorkerScope);
