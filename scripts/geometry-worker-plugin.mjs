// Virtual modules that tie the kit's code to its companion files, for every bundler the project
// uses (scripts/build.mjs builds the companion files first):
//   virtual:vib3-geometry-worker-url        URL of dist/geometry-worker.js (src/geometry/worker-url.ts)
//   virtual:vib3-render-worker-url          URL of dist/render-worker.js (src/render/worker/render-worker-url.ts)
//   virtual:vib3-sandbox-frame-url          URL of dist/sandbox/frame.html (src/extensions/runtime/host.ts)
//   virtual:vib3-extension-worker-source    source text of dist/sandbox/extension-worker.js, inlined
import { readFileSync } from 'node:fs';

export const VIRTUAL_ID = 'virtual:vib3-geometry-worker-url';
export const RENDER_ID = 'virtual:vib3-render-worker-url';
export const RENDER_WORKER_FILE = 'dist/render-worker.js';
/** How scripts/build.mjs bundles the render worker (the test server builds it the same way from the sources). */
export const RENDER_WORKER_BUILD = { entryPoints: { 'render-worker': 'workers/render-worker.ts' }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none' };
export const SANDBOX_ID = 'virtual:vib3-sandbox-frame-url';
export const SHIM_ID = 'virtual:vib3-extension-worker-source';
export const WORKER_FILE = 'dist/geometry-worker.js';
export const FRAME_FILE = 'dist/sandbox/frame.html';
export const SHIM_FILE = 'dist/sandbox/extension-worker.js';

const shimModule = () => `export default ${JSON.stringify(readFileSync(SHIM_FILE, 'utf8'))};`;

/**
 * Vite / Rollup: emits the worker and the sandbox frame next to the build's entry files and
 * resolves their URLs relative to whichever chunk imports them (import.meta.ROLLUP_FILE_URL_*:
 * ES via import.meta.url, IIFE via the script element captured at load time).
 */
export function viteGeometryWorker({ fileName = 'geometry-worker.js' } = {}) {
  const ids = new Set([VIRTUAL_ID, RENDER_ID, SANDBOX_ID, SHIM_ID]);
  return {
    name: 'vib3-companion-files',
    resolveId(id) {
      return ids.has(id) ? `\0${id}` : null;
    },
    load(id) {
      if (id === `\0${SHIM_ID}`) return shimModule();
      if (id === `\0${VIRTUAL_ID}`) {
        const ref = this.emitFile({ type: 'asset', fileName, source: readFileSync(WORKER_FILE) });
        return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
      }
      if (id === `\0${RENDER_ID}`) {
        const ref = this.emitFile({ type: 'asset', fileName: 'render-worker.js', source: readFileSync(RENDER_WORKER_FILE) });
        return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
      }
      if (id === `\0${SANDBOX_ID}`) {
        const ref = this.emitFile({ type: 'asset', fileName: 'sandbox/frame.html', source: readFileSync(FRAME_FILE) });
        return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
      }
      return null;
    },
    // ES output: './file' rather than Rollup's 'file', so that the bundlers of the kit's users
    // read `new URL('./…', import.meta.url)` as a file next to the module (webpack takes a bare
    // name for a package).
    resolveFileUrl({ relativePath, format }) {
      if (format !== 'es') return null;
      const path = relativePath.startsWith('.') ? relativePath : `./${relativePath}`;
      return `new URL(${JSON.stringify(path)}, import.meta.url).href`;
    },
  };
}

/**
 * esbuild: bundles in dist/ (dist/geometry.js next to dist/geometry-worker.js;
 * dist/extensions/runtime.js one folder below dist/sandbox/). The URLs stay
 * `new URL('…', import.meta.url)` so that the bundlers of the kit's users (Vite, webpack)
 * emit the files with the application.
 */
export const esbuildGeometryWorker = {
  name: 'vib3-companion-files',
  setup(build) {
    build.onResolve({ filter: /^virtual:vib3-(geometry-worker-url|render-worker-url|sandbox-frame-url|extension-worker-source)$/ }, (args) => ({ path: args.path, namespace: 'vib3-virtual' }));
    build.onLoad({ filter: /.*/, namespace: 'vib3-virtual' }, (args) => ({
      contents:
        args.path === SHIM_ID
          ? shimModule()
          : args.path === VIRTUAL_ID
            ? "export default new URL('./geometry-worker.js', import.meta.url).href;"
            : args.path === RENDER_ID
              ? "export default new URL('./render-worker.js', import.meta.url).href;"
              : "export default new URL('../sandbox/frame.html', import.meta.url).href;",
      loader: 'js',
    }));
  },
};

/** The render worker bundled from the sources (web-test-runner: tests always run the current worker code). */
let renderWorkerBundle;
async function renderWorkerFromSources() {
  renderWorkerBundle ??= import('esbuild').then(async ({ build }) => {
    const out = await build({ ...RENDER_WORKER_BUILD, minify: false, write: false, outdir: 'dist', logLevel: 'warning' });
    return out.outputFiles[0].text;
  });
  return renderWorkerBundle;
}

/**
 * web-test-runner: tests run the sources, with the built geometry worker, frame and shim; the
 * render worker is bundled from the sources on first request.
 */
export const wtrGeometryWorker = {
  name: 'vib3-companion-files',
  resolveImport({ source }) {
    if (source === VIRTUAL_ID) return '/__vib3/geometry-worker-url.js';
    if (source === RENDER_ID) return '/__vib3/render-worker-url.js';
    if (source === SANDBOX_ID) return '/__vib3/sandbox-frame-url.js';
    if (source === SHIM_ID) return '/__vib3/extension-worker-source.js';
    return undefined;
  },
  serve(context) {
    if (context.path === '/__vib3/geometry-worker-url.js') return { body: `export default new URL('/${WORKER_FILE}', location.href).href;`, type: 'js' };
    if (context.path === '/__vib3/render-worker-url.js') return { body: "export default new URL('/__vib3/render-worker.js', location.href).href;", type: 'js' };
    if (context.path === '/__vib3/render-worker.js') return renderWorkerFromSources().then((body) => ({ body, type: 'js' }));
    if (context.path === '/__vib3/sandbox-frame-url.js') return { body: `export default new URL('/${FRAME_FILE}', location.href).href;`, type: 'js' };
    if (context.path === '/__vib3/extension-worker-source.js') return { body: shimModule(), type: 'js' };
    return undefined;
  },
};
