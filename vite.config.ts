import { defineConfig } from 'vite';
import { viteGeometryWorker } from './scripts/geometry-worker-plugin.mjs';
import { rollupMetafile } from './scripts/rollup-metafile-plugin.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/*
 * Three library builds from one config, chosen by BUILD_TARGET:
 *   es               -> dist/vib3-embed.js, dist/vib3-components.js, dist/agent.js (+ shared and lazy chunks in dist/chunks/)
 *   iife             -> dist/vib3.iife.js, one classic-script file for <script src> embeds
 *   iife-extensions  -> dist/vib3-extensions.iife.js, the extension runtime for script-tag pages
 */
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const target = process.env['BUILD_TARGET'] ?? 'es';
const iife: Record<string, { entry: string; name: string; fileName: string }> = {
  iife: { entry: 'src/iife.ts', name: 'Vib3Bundle', fileName: 'vib3.iife.js' },
  'iife-extensions': { entry: 'src/iife-extensions.ts', name: 'Vib3ExtensionsBundle', fileName: 'vib3-extensions.iife.js' },
};
const lib = iife[target];

/**
 * Vite keeps whitespace in ES library builds; the kit's ES files are minified fully here instead
 * (Vite's own pass is off for that build: minify false, target esnext).
 */
const minifyEs = {
  name: 'vib3-minify-es',
  async renderChunk(code: string) {
    const out = await transform(code, { minify: true, format: 'esm', target: 'es2022', sourcemap: true, legalComments: 'none' });
    return { code: out.code, map: out.map };
  },
};

export default defineConfig({
  define: { __VIB3_VERSION__: JSON.stringify(pkg.version) },
  // The classic-script file inlines dynamic imports: its page-telemetry pipeline is loaded from the
  // separate dist/vib3-telemetry.js instead (src/telemetry/load-otel-iife.ts), so it stays out of vib3.iife.js.
  // The dashboard's charts (uPlot) likewise stay out of it: a stand-in notes where they are (components/telemetry/dashboard-charts-iife.ts).
  ...(lib
    ? {
        resolve: {
          alias: [
            { find: /^\.\/load-otel\.js$/, replacement: fileURLToPath(new URL('./src/telemetry/load-otel-iife.ts', import.meta.url)) },
            { find: /^\.\/dashboard-charts\.js$/, replacement: fileURLToPath(new URL('./components/telemetry/dashboard-charts-iife.ts', import.meta.url)) },
          ],
        },
      }
    : {}),
  // The metafile (.build-meta/vite-<target>.json) tells the release's SBOM which packages each file bundles.
  plugins: [viteGeometryWorker(), ...(lib ? [] : [minifyEs]), rollupMetafile({ file: `.build-meta/vite-${target}.json` })],
  build: {
    target: lib ? 'es2022' : 'esnext',
    outDir: 'dist',
    emptyOutDir: false,
    // Maps are written for local debugging without a sourceMappingURL comment: package.json
    // "files" keeps them out of the tarball, so a comment would point apps' dev servers at nothing.
    sourcemap: 'hidden',
    minify: lib ? 'esbuild' : false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
    // Library mode for every target: an app-style build would add Vite's preload helper, which
    // carries this build's own chunk paths into the apps that bundle the kit.
    lib: lib
      ? { entry: lib.entry, formats: ['iife'], name: lib.name, fileName: () => lib.fileName }
      : { entry: { 'vib3-embed': 'src/index.ts', 'vib3-components': 'components/index.ts', agent: 'src/agent/index.ts' }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    copyPublicDir: false,
    rollupOptions: lib
      ? { output: { inlineDynamicImports: true } }
      : {
          // Entry modules stay in their entry files (they may export more for the lazy chunk), so
          // the registration calls run in the files that package.json "sideEffects" names.
          preserveEntrySignatures: 'allow-extension',
          output: { chunkFileNames: 'chunks/[name]-[hash].js' },
        },
  },
});
