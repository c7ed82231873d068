// Builds the React, Vue and Svelte host apps (demo/frameworks/*) against the kit's sources.
// `npm run build` runs it; output: dist/demo-frameworks/<framework>/index.html.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { viteGeometryWorker } from '../../scripts/geometry-worker-plugin.mjs';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  plugins: [
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('vib3-') } } }),
    svelte({ configFile: false }),
    viteGeometryWorker({ fileName: 'assets/geometry-worker.js' }),
  ],
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: [
      { find: /^vib3-embed$/, replacement: here('../../src/index.ts') },
      { find: /^vib3-embed\/react$/, replacement: here('../../src/frameworks/react.ts') },
    ],
  },
  define: { __VIB3_VERSION__: JSON.stringify('0.0.0-demo') },
  build: {
    outDir: here('../../dist/demo-frameworks'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
    rollupOptions: { input: { react: here('react/index.html'), vue: here('vue/index.html'), svelte: here('svelte/index.html') } },
  },
});
