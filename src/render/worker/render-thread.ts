/**
 * The page-wide choice of where `<vib3-canvas>` elements render (read when an element starts).
 * Tiny on purpose: the element's default renderer loader reads it without loading three.js.
 * @module
 */

/** Where elements render: `main` (the page's thread), `worker` (the page's render worker), `auto` (worker where supported). */
export type RenderThreadMode = 'main' | 'worker' | 'auto';

const MODES: readonly RenderThreadMode[] = ['main', 'worker', 'auto'];
let mode: RenderThreadMode = 'main';

/**
 * Chooses where elements started from now on render. `worker` and `auto` draw off the main
 * thread in browsers that can (`OffscreenCanvas` and `transferControlToOffscreen`); elsewhere, or
 * when the render worker cannot start or cannot create a GPU context, elements render on the main
 * thread as before (`el.presentation` tells which path is active). Default `main`. Running
 * elements keep their renderer. Throws a RangeError for other values.
 */
export function setRenderThread(next: RenderThreadMode): void {
  if (!MODES.includes(next)) throw new RangeError(`render thread must be one of ${MODES.join(', ')}; got ${String(next)}`);
  mode = next;
}

/** The mode set by {@link setRenderThread} (`main` by default). */
export function renderThread(): RenderThreadMode {
  return mode;
}

/** Whether this browser can hand an element's canvas to a worker. */
export function workerRenderingSupported(): boolean {
  return (
    typeof OffscreenCanvas !== 'undefined' &&
    typeof HTMLCanvasElement !== 'undefined' &&
    'transferControlToOffscreen' in HTMLCanvasElement.prototype &&
    typeof Worker !== 'undefined'
  );
}

/** True when elements starting now should render in the worker (the mode asks for it and the browser can). */
export function rendersInWorker(): boolean {
  return mode !== 'main' && workerRenderingSupported();
}
