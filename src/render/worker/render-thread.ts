/**
 * The page-wide choice of where `<vib3-canvas>` elements render (read when an element starts).
 * Tiny on purpose: the element's default renderer loader reads it without loading three.js.
 * @module
 */

/**
 * Where elements render: `main` (the page's thread), `worker` (the page's render worker where
 * supported), `auto` (the default: an element starts on the main thread when none draws there and
 * moves to the worker once it keeps animating; the others start in the worker, where supported).
 */
export type RenderThreadMode = 'main' | 'worker' | 'auto';

const MODES: readonly RenderThreadMode[] = ['main', 'worker', 'auto'];
let mode: RenderThreadMode = 'auto';
/** Element views drawing on the main thread now (the built-in three.js view counts itself). */
let mainViews = 0;

/** The built-in main-thread view reports its creation (+1) and its disposal (-1). */
export function noteMainThreadView(delta: 1 | -1): void {
  mainViews = Math.max(0, mainViews + delta);
}

/** Element views drawing on the main thread now. */
export function mainThreadViews(): number {
  return mainViews;
}

/**
 * Chooses where elements started from now on render.
 * - `auto` (default): an element that starts while no other element draws on the main thread
 *   draws there first (a lone element is presented directly: the fastest first frame) and, once it
 *   keeps animating (60 frames drawn, no mesh shown), moves to the page's render worker without a
 *   blank frame; a page whose visuals do not animate never downloads the worker. Elements that
 *   start while one draws on the main thread draw in the render worker, so a page of many visuals
 *   costs its main thread almost nothing.
 * - `worker`: every element draws in the render worker.
 * - `main`: every element draws on the main thread (one shared renderer, as before).
 *
 * The worker needs `OffscreenCanvas` and `transferControlToOffscreen`; where the browser lacks
 * them, or the render worker cannot start or create a GPU context, elements render on the main
 * thread (`el.presentation` tells which path is active). Running elements keep their renderer.
 * Throws a RangeError for other values.
 */
export function setRenderThread(next: RenderThreadMode): void {
  if (!MODES.includes(next)) throw new RangeError(`render thread must be one of ${MODES.join(', ')}; got ${String(next)}`);
  mode = next;
}

/** The mode set by {@link setRenderThread} (`auto` by default). */
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

/** True when an element starting now should render in the worker (see {@link setRenderThread}). */
export function rendersInWorker(): boolean {
  if (mode === 'main' || !workerRenderingSupported()) return false;
  return mode === 'worker' || mainViews > 0;
}
