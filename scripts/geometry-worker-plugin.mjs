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

/** Virtual module of the extension sandbox frame's URL (src/extensions/runtime/host.ts). */
export const SANDBOX_ID = 'virtual:vib3-sandbox-frame-url';

/**
 * esbuild: bundles in dist/ (dist/geometry.js next to dist/geometry-worker.js;
 * dist/extensions/runtime.js one folder below dist/sandbox/).
 */
export const esbuildGeometryWorker = {
  name: 'vib3-asset-urls',
  setup(build) {
    build.onResolve({ filter: /^virtual:vib3-(geometry-worker|sandbox-frame)-url$/ }, (args) => ({ path: args.path, namespace: 'vib3-virtual' }));
    build.onLoad({ filter: /.*/, namespace: 'vib3-virtual' }, (args) => ({
      contents: args.path === VIRTUAL_ID ? "export default new URL('./geometry-worker.js', import.meta.url).href;" : "export default new URL('../sandbox/frame.html', import.meta.url).href;",
      loader: 'js',
    }));
  },
};

/** web-test-runner: tests run the sources, with the built worker. */
export const wtrGeometryWorker = {
  name: 'vib3-geometry-worker',
  resolveImport({ source }) {
    if (source === VIRTUAL_ID) return '/__vib3/geometry-worker-url.js';
    if (source === SANDBOX_ID) return '/__vib3/sandbox-frame-url.js';
    return undefined;
  },
  serve(context) {
    if (context.path === '/__vib3/geometry-worker-url.js') return { body: `export default new URL('/${WORKER_FILE}', location.href).href;`, type: 'js' };
    if (context.path === '/__vib3/sandbox-frame-url.js') return { body: "export default new URL('/dist/sandbox/frame.html', location.href).href;", type: 'js' };
    return undefined;
  },
};
