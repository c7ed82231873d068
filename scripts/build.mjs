#!/usr/bin/env node
// Builds everything a user or a test needs: ES library (+ lazy renderer chunk), the classic-script
// IIFE file, type declarations and the Custom Elements Manifest. Prints gzip sizes.
// Every bundler build whose output ships in the npm tarball writes its metafile to .build-meta/
// (esbuild's own; the same shape from the Vite builds, scripts/rollup-metafile-plugin.mjs): the
// release's SBOM names the packages bundled into each file from them. Last, dist/integrity.json:
// the SRI values of the script-tag files and the other browser files the package ships.
import { execFileSync } from 'node:child_process';
import { rmSync, readFileSync, readdirSync, statSync, chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { esbuildGeometryWorker, RENDER_WORKER_BUILD } from './geometry-worker-plugin.mjs';
import { buildSandbox } from './build-sandbox.mjs';
import { kitModulesExternal } from './headless-page-plugin.mjs';

const bin = (name) => join('node_modules', '.bin', name);
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });

rmSync('dist', { recursive: true, force: true });
const META = '.build-meta';
rmSync(META, { recursive: true, force: true });
mkdirSync(META, { recursive: true });
run(process.execPath, ['--import', 'tsx', 'tokens/build.ts']);
run(process.execPath, ['scripts/build-wasm.mjs']);
// The geometry worker first: the library builds emit it next to their entry files.
const esbuild = await import('esbuild');
const esbuildVersion = JSON.parse(readFileSync('node_modules/esbuild/package.json', 'utf8')).version;
const common = { bundle: true, format: 'esm', target: 'es2022', legalComments: 'none', logLevel: 'warning', metafile: true, define: { __VIB3_VERSION__: JSON.stringify(pkg.version), __VIB3_ESBUILD_VERSION__: JSON.stringify(esbuildVersion) } };
/** An esbuild build whose metafile goes to .build-meta/<name>.json. */
const build = async (name, options) => {
  const result = await esbuild.build(options);
  writeFileSync(join(META, `${name}.json`), JSON.stringify(result.metafile));
  return result;
};
await build('geometry-worker', { ...common, platform: 'browser', minify: true, entryPoints: { 'geometry-worker': 'workers/geometry-worker.ts' }, outdir: 'dist' });
// The render worker (rendering off the main thread; three.js bundled in): self-contained like the geometry worker.
await build('render-worker', { ...common, ...RENDER_WORKER_BUILD, outdir: 'dist' });
// The extension sandbox (self-contained frame.html; the worker shim the runtime inlines).
await buildSandbox({ define: common.define, metaDir: META });
run(bin('vite'), ['build', '--logLevel', 'warn'], { BUILD_TARGET: 'es' });
run(bin('vite'), ['build', '--logLevel', 'warn'], { BUILD_TARGET: 'iife' });
run(bin('vite'), ['build', '--logLevel', 'warn'], { BUILD_TARGET: 'iife-extensions' });
run(bin('tsc'), ['-p', 'tsconfig.json']);

// SDK and extension library: self-contained ESM bundles that run in browsers, workers and Node.
// The CLI: a Node bundle with its templates next to it.
await build('sdk', { ...common, platform: 'neutral', mainFields: ['module', 'main'], entryPoints: { 'sdk/index': 'src/sdk/index.ts', 'sdk/testing': 'src/sdk/testing.ts', 'extensions/index': 'src/extensions/index.ts' }, outdir: 'dist' });
// Self-contained (its libraries — commander, hono, @tufjs/models … — are bundled in, so the
// package keeps no runtime dependencies for them). Optional peers load only when their command
// runs: esbuild for `vib3 ext build`, PGlite / pg for `vib3 registry serve`. The CycloneDX models and
// serializer are bundled; its schema validator reads schema files next to itself, so it (with ajv)
// stays an optional install, and so do its XML stringifiers.
const cliExternal = ['esbuild', '@electric-sql/pglite', 'pg', 'pg-native', '@cyclonedx/cyclonedx-library/Validation', 'xmlbuilder2', 'libxmljs2', 'ajv', 'ajv-formats', 'ajv-formats-draft2019'];
await build('cli', { ...common, platform: 'node', entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/vib3.js', external: cliExternal, banner: { js: "import { createRequire as __vib3CreateRequire } from 'node:module'; const require = __vib3CreateRequire(import.meta.url);" } });
chmodSync('dist/cli/vib3.js', 0o755);
cpSync('src/cli/templates', 'dist/cli/templates', { recursive: true });
await build('react', { ...common, platform: 'neutral', entryPoints: { 'frameworks/react': 'src/frameworks/react.ts' }, outdir: 'dist' });
// The extension runtime (host side; references dist/sandbox/frame.html, inlines the worker shim).
await build('extensions-runtime', { ...common, platform: 'browser', entryPoints: { 'extensions/runtime': 'src/extensions/runtime/index.ts' }, outdir: 'dist', plugins: [esbuildGeometryWorker] });
// The headless canvas page of `vib3 mcp` (dist/agent/headless.html + headless-host.js), importing the kit's own ES files.
await build('agent-headless', { ...common, platform: 'browser', minify: true, entryPoints: { 'agent/headless-host': 'src/agent/headless/host-page.ts' }, outdir: 'dist', plugins: [kitModulesExternal] });
cpSync('src/agent/headless/headless.html', 'dist/agent/headless.html');
// The page is copied, not bundled: its metafile says so (one first-party input, no packages).
writeFileSync(join(META, 'agent-headless-page.json'), JSON.stringify({ inputs: { 'src/agent/headless/headless.html': { bytes: statSync('src/agent/headless/headless.html').size, imports: [] } }, outputs: { 'dist/agent/headless.html': { imports: [], exports: [], inputs: { 'src/agent/headless/headless.html': { bytesInOutput: statSync('dist/agent/headless.html').size } }, bytes: statSync('dist/agent/headless.html').size } } }));
// The page-telemetry pipeline for script-tag pages (vib3.iife.js imports it from next to itself
// when the page calls enableTelemetry; the ES build has it as a lazy chunk instead).
await build('telemetry', { ...common, platform: 'browser', minify: true, entryPoints: { 'vib3-telemetry': 'src/telemetry/browser-otel.ts' }, outdir: 'dist' });
// The installer (vib3-embed/marketplace): browser-safe, no host inside (the page passes its ExtensionHost).
await build('marketplace', { ...common, platform: 'browser', entryPoints: { marketplace: 'src/marketplace/index.ts' }, outdir: 'dist' });
// The templates' examples as signed packages, built with that CLI (the extension manager demo installs them).
run(process.execPath, ['scripts/build-examples.mjs']);
// …and published, with the reference extension, to the embedded registry `npm start` serves.
run(process.execPath, ['scripts/seed-registry.mjs']);
// The standalone geometry library (next to dist/geometry-worker.js).
await build('geometry', { ...common, platform: 'neutral', mainFields: ['module', 'main'], entryPoints: { geometry: 'src/geometry/index.ts' }, outdir: 'dist', plugins: [esbuildGeometryWorker] });

// The React, Vue and Svelte host apps (framework demos, covered by the e2e suite).
run(bin('vite'), ['build', '--config', 'demo/frameworks/vite.config.ts', '--logLevel', 'warn']);
run(bin('cem'), ['analyze', '--quiet'], {});
run(process.execPath, ['--import', 'tsx', 'scripts/cem-params.ts']);

// SRI values (sha384) of the browser files the package ships: the script-tag files and the ES modules.
const { integrityManifest, integrityJson, isPinnedFile, INTEGRITY_PATH } = await tsImport('../src/supply-chain/node/release/integrity-manifest.ts', import.meta.url);
const pinned = readdirSync('dist', { recursive: true }).map((f) => `dist/${f.split('\\').join('/')}`).filter(isPinnedFile);
const manifest = await integrityManifest(pkg, new Map(pinned.map((f) => [f, new Uint8Array(readFileSync(f))])));
writeFileSync(INTEGRITY_PATH, integrityJson(manifest));

// Partner packages (issue 20), from the files above: the WordPress plugin zip and the Shopify theme
// app extension, in dist/partners/ (their own artifacts: package.json "files" leaves them out).
run(process.execPath, ['scripts/build-wordpress.mjs']);
run(process.execPath, ['scripts/build-shopify.mjs']);

const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const chunks = readdirSync('dist/chunks').filter((f) => f.endsWith('.js')).map((f) => join('dist/chunks', f));
const entry = 'dist/vib3-embed.js';
const iife = 'dist/vib3.iife.js';
const entryText = readFileSync(entry, 'utf8');
const isStatic = (c) => new RegExp(`from\\s*["']\\./chunks/${c.split('/').pop().replace(/[.$-]/g, '\\$&')}["']`).test(entryText);
const lines = [
  `  ${iife}: ${kb(statSync(iife).size)} raw, ${kb(gz(iife))} gzip`,
  `  ${entry}: ${kb(statSync(entry).size)} raw, ${kb(gz(entry))} gzip`,
  `  dist/vib3-telemetry.js: ${kb(statSync('dist/vib3-telemetry.js').size)} raw, ${kb(gz('dist/vib3-telemetry.js'))} gzip (lazy: the script-tag file's page telemetry)`,
  ...chunks.map((c) => `  ${c}: ${kb(statSync(c).size)} raw, ${kb(gz(c))} gzip (${isStatic(c) ? 'loaded with the entry' : 'lazy'})`),
];
console.log(`build sizes:\n${lines.join('\n')}`);
console.log(`${INTEGRITY_PATH}: ${Object.keys(manifest.files).length} files; script tags:\n${Object.entries(manifest.files).filter(([, e]) => e.scriptTag).map(([f, e]) => `  ${f} ${e.integrity}`).join('\n')}`);
