import type { RendererFactory } from '../render/contract.js';
import { renderThread, rendersInWorker, workerRenderingSupported } from '../render/worker/render-thread.js';

// Where an element renders is decided when its view is made (setRenderThread): with `auto`, an
// element starting while none draws on the main thread draws there first and moves to the render
// worker once it keeps animating (the handover view); elements starting while one draws on the
// main thread draw in the render worker. `worker` loads no three.js on the main thread unless the
// worker cannot render and a view falls back to the main thread.
let rendererFactoryLoader: () => Promise<RendererFactory> = async () => {
  if (renderThread() === 'main' || !workerRenderingSupported()) return (await import('../render/three/three-view.js')).createThreeView;
  if (renderThread() === 'worker') return (await import('../render/worker/worker-view.js')).createWorkerView;
  const [{ createHandoverView }, { createWorkerView }] = await Promise.all([import('../render/worker/handover-view.js'), import('../render/worker/worker-view.js')]);
  return (target, preference, events) => (rendersInWorker() ? createWorkerView : createHandoverView)(target, preference, events);
};

/**
 * Replaces the renderer every element started afterwards uses (extension renderers plug in here).
 * The default loads the built-in three.js renderer chunk on first use and, as `setRenderThread`
 * says, the view that draws in the page's render worker. An element reads it once,
 * when it starts; elements already running keep their renderer.
 *
 * @returns The loader that was in place, to restore it (or to delegate to it) later.
 */
export function setRendererFactory(loader: () => Promise<RendererFactory>): () => Promise<RendererFactory> {
  const previous = rendererFactoryLoader;
  rendererFactoryLoader = loader;
  return previous;
}

/** Loads the renderer factory in place now (what an element calls when it starts). */
export function loadRendererFactory(): Promise<RendererFactory> {
  return rendererFactoryLoader();
}
