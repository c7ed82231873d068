#!/usr/bin/env node
// `npm run bench` part: the installer (DESIGN §7) end to end against a real registry on loopback —
// install (TUF refresh + download + verify + activate) cold and warm, update, channel switch to a
// cached version, rollback online and offline (registry stopped) — for ~100 KB and ~1 MB signed
// packages, in three clients: the installer engine in this process (the CLI's file store), whole
// `vib3 ext …` processes (the built CLI), and the page `Installer` in Chromium (real ExtensionHost,
// IndexedDB); next to `npm install` of the same bytes from a local Verdaccio 6, in the same run.
// p50/p95 over BENCH_INSTALL_RUNS runs (processes: BENCH_INSTALL_PROCESS_RUNS), each scenario
// after one unrecorded run. Writes bench/results/install.{json,md}; the goals (install p95 < 1 s,
// rollback < 200 ms, faster than the npm path) are reported, never asserted.
//
// One client at a time (engine, CLI, Chromium; then npm): its online scenarios, the registry
// stopped for its offline rollbacks and started again on the same port, then its updates. The
// registry runs in its own process (bench/registry/server.mjs, as bench/registry.mjs runs it),
// Verdaccio in another (only for the npm rows); both listen on 127.0.0.1 and are stopped, and
// every temp directory removed, at the end. Runs on the sources through tsx (started without it, it re-executes itself
// with it). Env: BENCH_INSTALL_RUNS (20), BENCH_INSTALL_PROCESS_RUNS (15),
// BENCH_INSTALL_CLIENTS (engine,cli,chromium,npm), BENCH_INSTALL_CLI (a vib3.js to time instead
// of dist/cli/vib3.js), BENCH_INSTALL_NPM (npm).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (!process.execArgv.join(' ').includes('tsx')) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
  process.exit(r.status ?? 1);
}
process.chdir(ROOT); // the build's esbuild plugin reads dist/sandbox/* relative to the working directory

const { summary } = await import('./registry/stats.mjs');
const { SIZES, SWITCH_VERSIONS, ids, startFixtureRegistry, publishFixtures } = await import('./install/fixtures.mjs');
const { engineClient } = await import('./install/engine.mjs');
const { cliClient, resolveCli } = await import('./install/cli.mjs');
const { chromiumClient } = await import('./install/chromium.mjs');
const { startNpmAnchor } = await import('./install/npm.mjs');
const { PHASE_GROUPS } = await import('./install/phases.mjs');
const { renderReport } = await import('./install/report.mjs');

const RUNS = Number(process.env.BENCH_INSTALL_RUNS || 20);
const PROCESS_RUNS = Number(process.env.BENCH_INSTALL_PROCESS_RUNS || 15);
const CLIENTS = (process.env.BENCH_INSTALL_CLIENTS || 'engine,cli,chromium,npm').split(',');
const GOALS = { installP95Ms: 1000, rollbackMs: 200 };

const started = performance.now();
const progress = (message) => console.error(`[install bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
const round1 = (x) => Math.round(x * 10) / 10;

const tmp = mkdtempSync(join(tmpdir(), 'vib3-bench-install-'));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));

const results = {
  date: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}` },
  versions: { 'playwright-core': pkgVersion('playwright-core'), verdaccio: pkgVersion('verdaccio') },
  settings: { runs: RUNS, processRuns: PROCESS_RUNS, clients: CLIENTS, sizes: SIZES, unrecordedRunsPerScenario: 1 },
  goals: GOALS,
  // 1, 5 and 15 minute load averages when the run started and ended (other work on the machine shows here).
  loadAverage: { start: loadavg().map((x) => Math.round(x * 100) / 100) },
  scenarios: {},
};

/** Runs `once` (after one unrecorded call) n times and records { ms, phases, inner } under client/scenario/size. */
async function measure(client, scenario, size, n, once) {
  await once();
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(await once());
  const phasesMs = {};
  for (const group of Object.keys(PHASE_GROUPS)) {
    const xs = rows.map((r) => r.phases?.[group]).filter((x) => x !== undefined);
    if (xs.length) phasesMs[group] = summary(xs).p50;
  }
  const entry = { runs: n, ms: summary(rows.map((r) => r.ms)), samplesMs: rows.map((r) => round1(r.ms)) };
  if (Object.keys(phasesMs).length) entry.phasesMedianMs = phasesMs;
  if (rows[0].inner !== undefined) entry.innerMs = summary(rows.map((r) => r.inner));
  ((results.scenarios[client] ??= {})[scenario] ??= {})[size] = entry;
  progress(`${client} ${scenario} ${size}: p50 ${entry.ms.p50} ms, p95 ${entry.ms.p95} ms (${n} runs)`);
  return entry;
}

/** Throws unless the installer result is what the scenario must produce. */
function expectResult(r, what, { action, version, fromCache }) {
  const x = r.result;
  if ((action && x.action !== action) || (version && x.version !== version) || (fromCache !== undefined && x.fromCache !== fromCache)) {
    throw new Error(`${what}: expected ${JSON.stringify({ action, version, fromCache })}, got ${JSON.stringify(x)}`);
  }
  return r;
}

// Which switch version is active, per client and extension (the runs alternate between the two).
const active = new Map();
const other = (v) => (v === SWITCH_VERSIONS.stable ? SWITCH_VERSIONS.beta : SWITCH_VERSIONS.stable);

async function rollbacks(c, n, size, scenario) {
  const id = ids(size).switch;
  const key = `${c.name}:${id}`;
  await measure(c.name, scenario, size, n, async () => {
    const to = other(active.get(key));
    const r = expectResult(await c.rollback(id, to), `${c.name} rollback ${id} --to ${to}`, { action: 'rolled-back', version: to, fromCache: true });
    active.set(key, to);
    return r;
  });
}

/** Cold, warm, channel switch and online rollback of one client, both sizes. */
async function onlineScenarios(c, n) {
  for (const size of Object.keys(SIZES)) {
    const id = ids(size);
    await measure(c.name, 'cold', size, n, async () => expectResult(await c.coldInstall(id.install), `${c.name} cold install`, { action: 'installed', version: '1.0.0', fromCache: false }));
    await c.prepareWarm(id.install);
    await measure(c.name, 'warm', size, n, async () => expectResult(await c.warmInstall(id.install), `${c.name} warm install`, { action: 'installed', version: '1.0.0', fromCache: false }));
    await c.prepare(id.switch, 'beta');
    const key = `${c.name}:${id.switch}`;
    active.set(key, SWITCH_VERSIONS.beta);
    await measure(c.name, 'channel', size, n, async () => {
      const channel = active.get(key) === SWITCH_VERSIONS.stable ? 'beta' : 'stable';
      const r = expectResult(await c.channel(id.switch, channel), `${c.name} channel ${channel}`, { version: SWITCH_VERSIONS[channel], fromCache: true });
      active.set(key, SWITCH_VERSIONS[channel]);
      return r;
    });
    await rollbacks(c, n, size, 'rollbackOnline');
  }
}

/** Updates of one client: before each, a new release (it becomes stable) of that client's extension. */
async function updates(c, n, reg) {
  for (const size of Object.keys(SIZES)) {
    const id = ids(size).update(c.name);
    await c.prepare(id);
    let patch = 0;
    await measure(c.name, 'update', size, n, async () => {
      const version = `1.0.${++patch}`;
      await reg.release(id, version, size);
      return expectResult(await c.update(id), `${c.name} update ${id}`, { action: 'updated', version, fromCache: false });
    });
    await c.release(id);
  }
}

/**
 * Every scenario of one client, alone on the machine apart from the registry: online ones, then
 * the registry stopped for the offline rollbacks and started again (same data, same port), then
 * updates.
 */
async function clientBlock(c, n, reg) {
  await onlineScenarios(c, n);
  await reg.stop();
  progress(`${c.name}: registry stopped`);
  for (const size of Object.keys(SIZES)) await rollbacks(c, n, size, 'rollbackOffline');
  await reg.start();
  progress(`${c.name}: registry started again`);
  for (const size of Object.keys(SIZES)) await c.release(ids(size).switch);
  await updates(c, n, reg);
}

let reg;
let client;
let anchor;
try {
  const installers = CLIENTS.filter((c) => c !== 'npm');
  reg = await startFixtureRegistry(join(tmp, 'registry-data'));
  progress(`registry at ${reg.url}`);
  const installBytes = await publishFixtures(reg, installers);
  results.packages = { base: reg.basePackageBytes, bytes: { ...reg.packageBytes } };
  progress(`published fixtures: ${JSON.stringify(reg.packageBytes)} bytes`);

  for (const name of installers) {
    if (name === 'engine') client = engineClient({ registry: reg.url, root: reg.root, work: join(tmp, 'engine') });
    if (name === 'cli') {
      const cli = await resolveCli(ROOT, tmp);
      results.cli = cli;
      progress(`CLI: ${cli.source}`);
      client = cliClient({ cli: cli.path, registry: reg.url, rootFile: reg.rootFile, work: join(tmp, 'cli') });
    }
    if (name === 'chromium') {
      client = await chromiumClient({ root: ROOT, work: join(tmp, 'chromium'), registry: reg.url, rootText: new TextDecoder().decode(reg.root) });
      results.versions.chromium = client.version;
    }
    await clientBlock(client, name === 'cli' ? PROCESS_RUNS : RUNS, reg);
    if (name === 'chromium') Object.assign(results, { chromiumPageErrors: client.pageErrors, chromiumHttpErrors: client.httpErrors });
    await client.close();
    client = undefined;
  }
  results.registryErrors = await reg.errors();
  await reg.stop();
  reg = undefined;

  if (CLIENTS.includes('npm')) {
    const packages = Object.fromEntries(Object.keys(SIZES).map((size) => [ids(size).install, installBytes[size]]));
    anchor = await startNpmAnchor({ work: join(tmp, 'npm'), packages });
    results.versions.npm = anchor.npmVersion;
    results.npm = { tarballBytes: anchor.tarballBytes };
    progress(`npm ${anchor.npmVersion} against Verdaccio ${anchor.verdaccioVersion}`);
    for (const size of Object.keys(SIZES)) {
      const name = ids(size).install;
      await measure('npm', 'cold', size, PROCESS_RUNS, () => anchor.install(name, 'cold'));
      await anchor.prime(name);
      await measure('npm', 'warm', size, PROCESS_RUNS, () => anchor.install(name, 'warm'));
    }
  }
} finally {
  await client?.close().catch(() => undefined);
  await reg?.stop().catch(() => undefined);
  await anchor?.stop().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
}
results.totalSeconds = Math.round((performance.now() - started) / 1000);
results.loadAverage.end = loadavg().map((x) => Math.round(x * 100) / 100);

const md = renderReport(results);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/install.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, 'bench/results/install.md'), md);
console.log(md);
