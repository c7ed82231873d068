#!/usr/bin/env node
// `npm test`: the whole suite, on a fresh machine too. Installs what is missing (npm packages;
// Debian Chromium when root), builds the kit, then runs
//   unit     node:test on the core math, params and frame state
//   registry node:test on real registry servers, over PGlite + files and over PostgreSQL + S3
//   browser  web-test-runner in real Chromium, once with the WebGPU flag set and once without,
//            and in Firefox ESR (WebGL2 path, over WebDriver BiDi under Xvfb)
//   e2e      playwright against the built files (script-tag IIFE on a plain HTML page)
// and ends with one line "N passed, N failed, N skipped" summed over every suite.
//
// Usage: node scripts/test.mjs [unit|registry|browser|e2e|goldens]...
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { ensureNodeModules, ensureChromium, ensureFirefox, ensureSubversion, ensureWordPress } from './ensure-deps.mjs';

const requested = process.argv.slice(2);
const updateGoldens = requested.includes('goldens');
const suites = requested.filter((s) => s !== 'goldens');
const want = (s) => suites.length === 0 || suites.includes(s);

ensureNodeModules();
if (want('browser') || want('e2e')) ensureChromium();
if (want('e2e')) ensureWordPress();

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];
const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
};
const collect = (label, file, status) => {
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(file)) counts = JSON.parse(readFileSync(file, 'utf8'));
  // A runner that crashed before reporting (or exited non-zero with no failure counted) is a failure.
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  rows.push(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
};

const bin = (name) => `node_modules/.bin/${name}`;

/** `node scripts/s3-server.mjs` as a child process: resolves with its spec and a stop(). */
function startS3Process() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/s3-server.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const spec = /^s3:\/\/\S+/m.exec(text)?.[0];
      if (spec) resolve({ spec, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGINT'); }) });
    });
    child.once('exit', (code) => reject(new Error(`s3-server exited (${code})`)));
  });
}

// Design tokens are generated sources (src/theme/generated): every suite and the typecheck need them.
if (run('tokens', process.execPath, ['--import', 'tsx', 'tokens/build.ts']) !== 0) collect('tokens', `${RESULTS}/none.json`, 1);
// So are the WASM geometry kernels (src/geometry/generated), compiled from AssemblyScript.
if (run('wasm', process.execPath, ['scripts/build-wasm.mjs']) !== 0) collect('wasm', `${RESULTS}/none.json`, 1);

// Build first: the e2e suite loads the built files.
if (want('e2e') || want('browser')) {
  const status = run('build', process.execPath, ['scripts/build.mjs']);
  if (status !== 0) collect('build', `${RESULTS}/none.json`, status);
}

// Strict TypeScript over sources and tests: a type error fails the run like a failing test.
if (suites.length === 0) {
  const status = run('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json']);
  if (status !== 0) collect('typecheck', `${RESULTS}/none.json`, status);
}

if (want('unit')) {
  const files = readdirSync('test/unit').filter((f) => f.endsWith('.test.ts')).map((f) => `test/unit/${f}`);
  const status = run('unit (node)', process.execPath, [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${RESULTS}/unit.json`,
    ...files,
  ]);
  collect('unit', `${RESULTS}/unit.json`, status);
}

if (want('registry')) {
  ensureSubversion();
  // The registry suite runs twice: embedded (PGlite + file blobs) and at scale (a real PostgreSQL
  // cluster from Debian's postgresql + an S3-compatible stand-in), both started here.
  const all = readdirSync('test/registry').filter((f) => f.endsWith('.test.ts')).map((f) => `test/registry/${f}`);
  const nodeTest = (label, file, files, env) => {
    const status = run(label, process.execPath, [
      '--import', 'tsx', '--test', '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${file}`,
      ...files,
    ], env);
    collect(label, file, status);
  };
  // Several worker processes on one database need PostgreSQL (PGlite is one process's): that file runs only there.
  const postgresOnly = (f) => /\/api-sync-workers\.test\.ts$/.test(f);
  nodeTest('registry (PGlite + files)', `${RESULTS}/registry-pglite.json`, all.filter((f) => !postgresOnly(f)), { VIB3_REGISTRY_BACKEND: 'pglite' });
  const { startPgCluster } = await import('./pg-cluster.mjs');
  let cluster;
  let s3;
  try {
    cluster = await startPgCluster();
    // The S3 stand-in runs in a process of its own: this script blocks in spawnSync while the suite runs.
    s3 = await startS3Process();
  } catch (err) {
    console.error(`registry (PostgreSQL): could not start PostgreSQL or the S3 stand-in: ${err.message}`);
  }
  if (cluster && s3) {
    nodeTest('registry (PostgreSQL + S3)', `${RESULTS}/registry-postgres.json`, all.filter((f) => /\/api-/.test(f)), { VIB3_REGISTRY_BACKEND: 'postgres', VIB3_PG_URL: cluster.url, VIB3_S3_SPEC: s3.spec });
  } else {
    collect('registry (PostgreSQL + S3): cluster did not start (apt-get install -y postgresql)', `${RESULTS}/none.json`, 1);
  }
  await s3?.stop();
  await cluster?.stop();
}

if (want('browser')) {
  const engines = ['webgpu', 'plain'];
  // Second engine: Firefox ESR (WebGL2 path). A missing Firefox is a failure, not a silent skip.
  if (ensureFirefox()) engines.push('firefox');
  else collect('browser/firefox (Firefox ESR or Xvfb missing: apt-get install -y firefox-esr xvfb libgl1-mesa-dri)', `${RESULTS}/none.json`, 1);
  for (const flags of engines) {
    const file = `${RESULTS}/browser-${flags}.json`;
    const status = run(flags === 'firefox' ? 'browser (Firefox ESR, WebGL2)' : `browser (Chromium, ${flags} flags)`, bin('wtr'), ['--config', 'web-test-runner.config.mjs'], {
      VIB3_FLAGS: flags,
      VIB3_RESULTS: file,
      ...(updateGoldens ? { UPDATE_GOLDENS: '1' } : {}),
    });
    collect(`browser/${flags}`, file, status);
  }
}

if (want('e2e')) {
  const files = readdirSync('test/e2e').filter((f) => f.endsWith('.test.mjs')).map((f) => `test/e2e/${f}`);
  const status = run('e2e (playwright)', process.execPath, [
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${RESULTS}/e2e.json`,
    ...files,
  ]);
  collect('e2e', `${RESULTS}/e2e.json`, status);
}

console.log(`\n${rows.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
