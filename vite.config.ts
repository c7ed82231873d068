import { defineConfig } from 'vite';
import { viteGeometryWorker } from './scripts/geometry-worker-plugin.mjs';
import { readFileSync } from 'node:fs';

/*
 * Two library builds from one config, chosen by BUILD_TARGET:
 *   es   -> dist/vib3-embed.js (+ the lazily loaded renderer chunk in dist/chunks/)
 *   iife -> dist/vib3.iife.js, one classic-script file for <script src> embeds
 */
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const target = process.env['BUILD_TARGET'] === 'iife' ? 'iife' : 'es';

export default defineConfig({
  define: { __VIB3_VERSION__: JSON.stringify(pkg.version) },
  plugins: [viteGeometryWorker()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: 'esbuild',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
    // The ES build is an app-style build (not lib mode) so it is fully minified; the entry keeps its exports.
    lib:
      target === 'iife'
        ? { entry: 'src/iife.ts', formats: ['iife'], name: 'Vib3Bundle', fileName: () => 'vib3.iife.js' }
        : false,
    copyPublicDir: false,
    rollupOptions:
      target === 'iife'
        ? { output: { inlineDynamicImports: true } }
        : {
            input: { 'vib3-embed': 'src/index.ts', 'vib3-components': 'components/index.ts' },
            preserveEntrySignatures: 'strict',
            output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
          },
  },
});
