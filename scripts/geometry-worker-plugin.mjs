// Resolves `virtual:vib3-geometry-worker-url` (src/geometry/worker-url.ts) to the URL of the
// built geometry worker, for every bundler the project uses. The worker itself is built first by
// scripts/build.mjs (esbuild -> dist/geometry-worker.js).
import { readFileSync } from 'node:fs';

export const VIRTUAL_ID = 'virtual:vib3-geometry-worker-url';
export const WORKER_FILE = 'dist/geometry-worker.js';

/**
 * Vite / Rollup: emits the worker next to the build's entry files and resolves the URL relative
 * to whichever chunk imports it (import.meta.ROLLUP_FILE_URL_*: ES via import.meta.url, IIFE via
 * the script element captured at load time).
 */
export function viteGeometryWorker({ fileName = 'geometry-worker.js' } = {}) {
  return {
    name: 'vib3-geometry-worker',
    resolveId(id) {
      return id === VIRTUAL_ID ? `\0${VIRTUAL_ID}` : null;
    },
    load(id) {
      if (id !== `\0${VIRTUAL_ID}`) return null;
      const ref = this.emitFile({ type: 'asset', fileName, source: readFileSync(WORKER_FILE) });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}

/** esbuild (dist/geometry.js, next to dist/geometry-worker.js). */
export const esbuildGeometryWorker = {
  name: 'vib3-geometry-worker',
  setup(build) {
    build.onResolve({ filter: /^virtual:vib3-geometry-worker-url$/ }, () => ({ path: VIRTUAL_ID, namespace: 'vib3-virtual' }));
    build.onLoad({ filter: /.*/, namespace: 'vib3-virtual' }, () => ({ contents: "export default new URL('./geometry-worker.js', import.meta.url).href;", loader: 'js' }));
  },
};

/** web-test-runner: tests run the sources, with the built worker. */
export const wtrGeometryWorker = {
  name: 'vib3-geometry-worker',
  resolveImport({ source }) {
    return source === VIRTUAL_ID ? '/__vib3/geometry-worker-url.js' : undefined;
  },
  serve(context) {
    if (context.path === '/__vib3/geometry-worker-url.js') return { body: `export default new URL('/${WORKER_FILE}', location.href).href;`, type: 'js' };
    return undefined;
  },
};
