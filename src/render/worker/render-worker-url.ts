import bundledRenderWorkerUrl from 'virtual:vib3-render-worker-url';

let configured: string | URL | undefined;
let generation = 0;

/** File name of the render worker in the kit's dist folder. */
export const RENDER_WORKER_FILE = 'render-worker.js';

/**
 * Where the render worker script (`render-worker.js`, used when {@link setRenderThread} asks for
 * rendering off the main thread) is served from. By default it is the file that ships next to the
 * kit's entry files; call this when you serve it elsewhere. On the page's origin it starts as a
 * module worker (a CSP needs `worker-src 'self'`); on another origin (a CDN) through a `blob:`
 * trampoline (a CSP needs `worker-src blob:`). Elements started afterwards use the new URL; if it
 * cannot start, they render on the main thread.
 */
export function setRenderWorkerUrl(url: string | URL): void {
  configured = url;
  generation++;
}

/** Changes with every {@link setRenderWorkerUrl} call (a new page worker is started on a change). */
export function renderWorkerUrlGeneration(): number {
  return generation;
}

/** The render worker's URL. */
export function renderWorkerUrl(): URL {
  return new URL(configured ?? bundledRenderWorkerUrl, globalThis.location?.href);
}
