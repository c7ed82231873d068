import type { RendererFactory } from '../render/contract.js';

let rendererFactoryLoader: () => Promise<RendererFactory> = () =>
  import('../render/three/three-view.js').then((m) => m.createThreeView);

/**
 * Replaces the renderer every element started afterwards uses (extension renderers plug in here).
 * The default loads the built-in three.js renderer chunk on first use. An element reads it once,
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
