import type { RendererFactory } from '../render/contract.js';
import { rendersInWorker } from '../render/worker/render-thread.js';

// Rendering in the page's render worker (setRenderThread) loads no three.js on the main thread
// unless the worker cannot render and the view falls back to the built-in main-thread view.
let rendererFactoryLoader: () => Promise<RendererFactory> = () =>
  rendersInWorker() ? import('../render/worker/worker-view.js').then((m) => m.createWorkerView) : import('../render/three/three-view.js').then((m) => m.createThreeView);

/**
 * Replaces the renderer every element started afterwards uses (extension renderers plug in here).
 * The default loads the built-in three.js renderer chunk on first use (or, when
 * `setRenderThread` asks for it, the view that draws in the page's render worker). An element reads it once,
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
