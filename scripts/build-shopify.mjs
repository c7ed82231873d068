#!/usr/bin/env node
// The partner builds that come after the kit build (they need dist/vib3.iife.js and
// dist/integrity.json), into dist/partners/ — which the npm tarball leaves out:
//   dist/partners/shopify/          the Shopify theme app extension (partners/shopify/build.ts)
//   dist/partners/embed/snippet.js  the embed-snippet generator (src/embed) as a browser module,
//                                   for demo/embed-code.html: the page runs the same code as `vib3 embed-code`
import { existsSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(`${root}dist/integrity.json`)) {
  console.error('build-shopify: dist/integrity.json is missing: run the kit build first (node scripts/build.mjs).');
  process.exit(1);
}
const { buildShopifyExtension } = await tsImport('../partners/shopify/build.ts', import.meta.url);
console.log(`Shopify theme app extension: ${buildShopifyExtension({ root })}`);

const esbuild = await import('esbuild');
await esbuild.build({
  entryPoints: { snippet: `${root}src/embed/index.ts` },
  outdir: `${root}dist/partners/embed`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('Embed-snippet module for the demo: dist/partners/embed/snippet.js');
