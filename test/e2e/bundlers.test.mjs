// Partners' production builds: the packed tarball (`npm pack`) installed as a real dependency
// into a Vite + TypeScript app, a webpack 5 app and an esbuild bundle, each built in production
// mode and served on loopback under a strict CSP. The element renders, the components register,
// a mesh slices in the worker, an extension runs in its sandbox, and no request fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../../scripts/serve.mjs';
import { launch, canvasSpread } from './browser.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(repo, 'test/e2e/fixtures/partner-apps');
// Inside the repo so the apps find the bundlers in the repo's node_modules; the kit itself only
// from the tarball installed into apps/node_modules.
const scratch = join(repo, '.scratch/partner-apps');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

let tarball;
let packed;
before(() => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, 'pack'), { recursive: true });
  [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', join(scratch, 'pack')], { cwd: repo, encoding: 'utf8' }));
  tarball = join(scratch, 'pack', packed.filename);
  cpSync(fixtures, join(scratch, 'apps'), { recursive: true });
  writeFileSync(join(scratch, 'apps/package.json'), JSON.stringify({ name: 'partner-apps', private: true, type: 'module', dependencies: { 'vib3-embed': `file:${tarball}` } }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], { cwd: join(scratch, 'apps'), stdio: 'pipe', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
});

test('npm pack ships the built kit without source maps, demo builds or example packages', () => {
  const files = packed.files.map((f) => f.path);
  for (const f of ['dist/vib3-embed.js', 'dist/vib3-components.js', 'dist/vib3.iife.js', 'dist/vib3-extensions.iife.js', 'dist/geometry-worker.js', 'dist/render-worker.js', 'dist/sandbox/frame.html', 'dist/extensions/runtime.js', 'dist/cli/vib3.js', 'dist/types/src/index.d.ts', 'custom-elements.json', 'README.md', 'CHANGELOG.md']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  assert.deepEqual(files.filter((f) => f.endsWith('.map')), [], 'no source maps');
  assert.deepEqual(files.filter((f) => /^dist\/(demo-frameworks|examples)\//.test(f)), [], 'no demo builds or example packages');
  assert.ok(files.some((f) => /^dist\/chunks\/three-view-.*\.js$/.test(f)), 'the lazy renderer chunk ships');
  const pkg = JSON.parse(readFileSync(join(scratch, 'apps/node_modules/vib3-embed/package.json'), 'utf8'));
  assert.equal(pkg.private, undefined, 'publishable');
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['comlink', 'lit'], 'runtime dependencies: what the shipped type declarations import');
  for (const heavy of ['three', 'esbuild']) assert.equal(existsSync(join(scratch, 'apps/node_modules', heavy)), false, `installing the kit does not pull ${heavy}`);
});

test('the installed CLI runs without the repo: vib3 --version and a scaffolded extension pinned to this kit', () => {
  const bin = join(scratch, 'apps/node_modules/.bin/vib3');
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  assert.match(version, new RegExp(packed.version.replace(/\./g, '\\.')));
  const dir = join(scratch, 'scaffold');
  execFileSync(bin, ['ext', 'create', 'my-shape', '--template', 'geometry', '--dir', dir], { encoding: 'utf8' });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.equal(manifest.devDependencies['vib3-embed'], packed.version, 'the exact kit version, not a range');
  assert.match(manifest.devDependencies.esbuild, /^\d+\.\d+\.\d+$/, 'esbuild pinned exactly');
  // Everything but the kit resolves from the public registry; the kit from its tarball.
  manifest.devDependencies['vib3-embed'] = `file:${tarball}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  // npm resolves the whole tree (failing with E404 on anything unpublished) and prints "add NAME VERSION" per package.
  const out = execFileSync('npm', ['install', '--dry-run', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  const added = [...out.matchAll(/^add (\S+) (\S+)$/gm)].map((m) => `${m[1]}@${m[2]}`);
  assert.ok(added.includes(`vib3-embed@${packed.version}`), out);
  assert.ok(added.includes(`esbuild@${manifest.devDependencies.esbuild}`), out);
});

/** Builds one app; returns the folder to serve. */
async function buildApp(name) {
  const app = join(scratch, 'apps', name);
  const out = join(app, 'dist');
  if (name === 'vite') {
    const { build } = await import('vite');
    await build({ root: app, logLevel: 'warn', configFile: false, build: { outDir: out, emptyOutDir: true } });
  } else if (name === 'webpack') {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) =>
      webpack({ mode: 'production', context: app, entry: './main.js', output: { path: out, filename: 'main.js', publicPath: 'auto' } }, (err, s) => (err ? reject(err) : resolve(s))),
    );
    assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
    cpSync(join(app, 'index.html'), join(out, 'index.html'));
  } else {
    const esbuild = await import('esbuild');
    await esbuild.build({ entryPoints: [join(app, 'main.js')], bundle: true, format: 'esm', splitting: true, minify: true, outdir: out, logLevel: 'warning', absWorkingDir: app });
    cpSync(join(app, 'index.html'), join(out, 'index.html'));
    // The README's esbuild recipe: copy the kit's two companion files.
    const kit = join(scratch, 'apps/node_modules/vib3-embed/dist');
    mkdirSync(join(out, 'vib3'), { recursive: true });
    cpSync(join(kit, 'geometry-worker.js'), join(out, 'vib3/geometry-worker.js'));
    cpSync(join(kit, 'sandbox/frame.html'), join(out, 'vib3/frame.html'));
  }
  // The extension package and its publisher key, as the app's own static files.
  cpSync(join(repo, 'extensions/duoprism/dev.vib3.duoprism-1.0.1.vib3x'), join(out, 'duoprism.vib3x'));
  cpSync(join(repo, 'extensions/duoprism/test-keys/reference.public.jwk'), join(out, 'reference.public.jwk'));
  return out;
}

let browser;
before(async () => (browser = await launch('plain')));
after(async () => browser?.close());

for (const name of ['vite', 'webpack', 'esbuild']) {
  test(`${name} production build from the tarball: renders, components register, mesh slices in the worker, extension runs in its sandbox, no failed request`, async () => {
    const out = await buildApp(name);
    const server = await serveStatic({ root: out, headers: (path) => (path === '/index.html' ? { 'content-security-policy': CSP } : {}) });
    const page = await browser.newPage();
    const failed = [];
    const errors = [];
    page.on('requestfailed', (r) => failed.push(`${new URL(r.url()).pathname} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && failed.push(`${new URL(r.url()).pathname} ${r.status()}`));
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => window.report, null, { timeout: 60_000 });
      const report = await page.evaluate(() => window.report);
      assert.equal(report.failed, undefined, report.failed);
      assert.equal(report.defined, true);
      assert.deepEqual(report.components, ['vib3-toolbar', 'vib3-control-panel', 'vib3-theme-switcher']);
      assert.equal(report.toolbarRendered, true);
      assert.equal(report.backend, 'webgl2');
      assert.equal(report.mesh.kernels, 'wasm-simd');
      assert.ok(report.mesh.triangles > 0);
      assert.equal(report.cells, 9);
      const std = await canvasSpread(page, 'vib3-canvas');
      assert.ok(std > 3, `the canvas shows a picture (std ${std})`);
      assert.deepEqual(failed, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      server.server.close();
    }
  });
}

test('vite dev server (the README recipe: optimizeDeps.exclude) serves the kit with its worker and sandbox, no failed request', async () => {
  const app = join(scratch, 'apps', 'vite');
  mkdirSync(join(app, 'public'), { recursive: true });
  cpSync(join(repo, 'extensions/duoprism/dev.vib3.duoprism-1.0.1.vib3x'), join(app, 'public/duoprism.vib3x'));
  cpSync(join(repo, 'extensions/duoprism/test-keys/reference.public.jwk'), join(app, 'public/reference.public.jwk'));
  const { createServer } = await import('vite');
  const server = await createServer({ root: app, configFile: false, logLevel: 'error', server: { port: 0, host: '127.0.0.1' }, optimizeDeps: { exclude: ['vib3-embed'] } });
  await server.listen();
  const page = await browser.newPage();
  const failed = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(`${new URL(r.url()).pathname} ${r.status()}`));
  page.on('pageerror', (e) => failed.push(e.message));
  try {
    await page.goto(`${server.resolvedUrls.local[0]}index.html`);
    await page.waitForFunction(() => window.report, null, { timeout: 60_000 });
    const report = await page.evaluate(() => window.report);
    assert.equal(report.failed, undefined, report.failed);
    assert.equal(report.mesh.kernels, 'wasm-simd');
    assert.equal(report.cells, 9);
    assert.deepEqual(failed, []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('the Vite app type-checks against the packed type declarations (strict, no skipLibCheck)', () => {
  execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(scratch, 'apps/vite/tsconfig.json')], { encoding: 'utf8' });
});
