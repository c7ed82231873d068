/**
 * Starts the geometry worker from wherever the kit's files are served.
 *
 * Browsers refuse `new Worker(url)` when `url` is on another origin than the page (a kit loaded
 * by `<script src>` from a CDN). For that case the worker is started from a one-line `blob:`
 * trampoline, a classic worker that runs `importScripts(url)`: classic imports work across
 * origins without CORS, and the built worker (`dist/geometry-worker.js`) is a self-contained
 * script with no `import`/`export`, so it runs as a classic script too.
 *
 * What the page's CSP needs (the trampoline inherits the page's policy):
 * - same origin: `worker-src 'self'` (a module worker; its own response's CSP applies inside);
 * - cross origin: `worker-src blob:` and the kit's origin in `script-src` (which the script tag
 *   already needs); `'wasm-unsafe-eval'` in `script-src` keeps the WASM kernels, without it the
 *   worker uses the TypeScript kernels (same results, slower).
 * @module
 */

/** How a worker was started. */
export type WorkerLaunch = 'module' | 'blob-trampoline';

/** A started worker, or why none could be started (a CSP refusal throws synchronously). */
export type SpawnResult = { worker: Worker; launch: WorkerLaunch } | { error: Error; launch: WorkerLaunch };

/** Whether `url` can be loaded directly by `new Worker()` from this page. */
export function isSameOrigin(url: URL): boolean {
  const here = globalThis.location;
  if (!here) return true;
  // blob: and data: URLs carry their creator's origin or none; let the browser decide.
  if (url.protocol === 'blob:' || url.protocol === 'data:') return true;
  return url.origin === here.origin;
}

/** The source of the classic-worker trampoline for `url`. */
export function trampolineSource(url: URL): string {
  return `importScripts(${JSON.stringify(url.href)});\n`;
}

/**
 * Creates a worker running the script at `url`: a module worker on the page's origin, a blob
 * trampoline otherwise. Never throws: a refusal (CSP, SecurityError) comes back as `error`.
 */
export function spawnWorker(url: URL, name: string): SpawnResult {
  const launch: WorkerLaunch = isSameOrigin(url) ? 'module' : 'blob-trampoline';
  let blobUrl: string | undefined;
  try {
    if (launch === 'module') return { worker: new Worker(url, { type: 'module', name }), launch };
    blobUrl = URL.createObjectURL(new Blob([trampolineSource(url)], { type: 'text/javascript' }));
    const worker = new Worker(blobUrl, { name });
    return { worker, launch };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)), launch };
  } finally {
    // The worker has fetched (or is fetching) the blob by now; the URL is not needed again.
    if (blobUrl) setTimeout(() => URL.revokeObjectURL(blobUrl!), 10_000);
  }
}
