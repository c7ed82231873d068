import bundledWorkerUrl from 'virtual:vib3-geometry-worker-url';

let configured: string | URL | undefined;
let generation = 0;

/** File name of the geometry worker in the kit's dist folder. */
export const GEOMETRY_WORKER_FILE = 'geometry-worker.js';

/**
 * Where the geometry worker script is served from. By default it is the `geometry-worker.js`
 * that ships next to the kit's entry files (the build resolves it relative to the file that loads
 * it); call this when you serve it elsewhere. On the page's origin it starts as a module worker
 * (a CSP needs `worker-src 'self'`); on another origin (a CDN) through a `blob:` trampoline (a
 * CSP needs `worker-src blob:`). The page's geometry pool restarts with the new URL.
 */
export function setGeometryWorkerUrl(url: string | URL): void {
  configured = url;
  generation++;
}

/** Changes with every {@link setGeometryWorkerUrl} call (the page pool restarts on a change). */
export function workerUrlGeneration(): number {
  return generation;
}

/** The geometry worker's URL. */
export function geometryWorkerUrl(): URL {
  return new URL(configured ?? bundledWorkerUrl, globalThis.location?.href);
}
