import bundledWorkerUrl from 'virtual:vib3-geometry-worker-url';

let configured: string | URL | undefined;

/** File name of the geometry worker in the kit's dist folder. */
export const GEOMETRY_WORKER_FILE = 'geometry-worker.js';

/**
 * Where the geometry worker script is served from. By default it is the `geometry-worker.js`
 * that ships next to the kit's entry files (the build resolves it relative to the file that loads
 * it); call this when you serve it elsewhere. It must be same-origin (workers cannot be
 * cross-origin) and is loaded as a module worker, so a CSP needs `worker-src 'self'`.
 */
export function setGeometryWorkerUrl(url: string | URL): void {
  configured = url;
}

/** The geometry worker's URL. */
export function geometryWorkerUrl(): URL {
  return new URL(configured ?? bundledWorkerUrl, globalThis.location?.href);
}
