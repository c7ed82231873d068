#!/usr/bin/env node
// Over ~400 lines on purpose: one driver that runs the phases in order (load, search, publish,
// install, report) against servers it must start and stop itself; the pieces that stand alone live
// in bench/registry/ (listings, registry process, Verdaccio).
// `npm run bench` part: the extension registry (src/registry, DESIGN §7) holding 10,000 generated
// listings, on embedded PGlite and on PostgreSQL side by side, next to Verdaccio 6 holding the same
// 10,000 names, all in the same run on this machine: search latency at 1, 50 and 200 concurrent
// connections (autocannon), publish throughput, and the install path (TUF refresh with tuf-js +
// 1 MiB package download + signature verification), cold and warm. Writes
// bench/results/registry.{json,md}; numbers are reported against the issue's goals, never asserted.
//
// Every server listens on 127.0.0.1 in its own child process (the load generator never shares an
// event loop with a server); every server, the PostgreSQL cluster and every temp directory are
// removed at the end. Runs on the TypeScript sources through tsx (`node --import tsx
// bench/registry.mjs`; started without it, it re-executes itself with it).
//
// Env: BENCH_REGISTRY_LISTINGS (10000), BENCH_REGISTRY_SECONDS (10 per load level),
// BENCH_REGISTRY_TARGETS (pglite,postgres,verdaccio), BENCH_REGISTRY_INSTALL_RUNS (30).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (!process.execArgv.join(' ').includes('tsx')) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
  process.exit(r.status ?? 1);
}

const { generateListings, queryWords, makePackage, npmPublishBody } = await import('./registry/listings.mjs');
const { startVerdaccio, addUser, npmPublish, VERDACCIO_VERSION } = await import('./registry/verdaccio.mjs');
const { summary } = await import('./registry/stats.mjs');
const { forkServer } = await import('./registry/fork.mjs');
const { generateEd25519, keyIdOf, verifyPackage } = await import('../src/extensions/index.ts');
const { startPgCluster } = await import('../scripts/pg-cluster.mjs');
const { Updater } = await import('tuf-js');
const { default: autocannon } = await import('autocannon');

const COUNT = Number(process.env.BENCH_REGISTRY_LISTINGS || 10_000);
const SECONDS = Number(process.env.BENCH_REGISTRY_SECONDS || 10);
const TARGETS = (process.env.BENCH_REGISTRY_TARGETS || 'pglite,postgres,verdaccio').split(',');
const INSTALL_RUNS = Number(process.env.BENCH_REGISTRY_INSTALL_RUNS || 30);
const API_SAMPLE = Math.min(500, Math.floor(COUNT / 4)); // published through the API on the empty registry, and again on top of the bulk load
const PUBLISH_CONCURRENCY = 8;
const CONNECTIONS = [1, 50, 200];
const BULK_BATCH = 1000;
const LARGE_PADDING = 1024 * 1024; // the "1 MB package": 1 MiB of incompressible payload
const REQUEST_TIMEOUT_S = 10; // autocannon: a response slower than this counts as a timeout
const GOALS = { searchP95Ms: 50, searchConnections: 200, installP95Ms: 1000 };

const started = performance.now();
const progress = (message) => console.error(`[registry bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** PUTs packages through the API with `concurrency` clients; throughput and per-publish latency. */
async function publishMany(url, token, items, concurrency) {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const { listing, bytes } = items[next++];
        const s = performance.now();
        const res = await fetch(`${url}/v1/extensions/${listing.id}/1.0.0`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.vib3.extension' }, body: bytes });
        const body = await json(res);
        latencies.push(performance.now() - s);
        if (res.status !== 201) throw new Error(`publish ${listing.id}: ${res.status} ${JSON.stringify(body)}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { count: items.length, concurrency, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round((items.length / seconds) * 10) / 10, latencyMs: summary(latencies) };
}

/** autocannon against rotating search paths: latency of every response, status counts, errors. */
async function searchLoad(baseUrl, pathFor, connections, seconds) {
  let i = 0;
  const latencies = [];
  const statuses = {};
  const instance = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: REQUEST_TIMEOUT_S,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pathFor(i++) }) }],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const r = await instance;
  const ok = Object.entries(statuses).reduce((n, [s, c]) => n + (Number(s) >= 200 && Number(s) < 300 ? c : 0), 0);
  return {
    connections,
    seconds: r.duration,
    responses: latencies.length,
    ok,
    non2xx: latencies.length - ok,
    statuses,
    errors: r.errors,
    timeouts: r.timeouts,
    sent: r.requests.sent,
    // Sent but neither answered nor failed when the run ended (still being worked on by the server).
    unansweredAtEnd: Math.max(0, r.requests.sent - latencies.length - r.errors),
    requestsPerSecond: Math.round((latencies.length / r.duration) * 10) / 10,
    latencyMs: summary(latencies),
  };
}

/**
 * The install path, `runs` times cold (an empty metadata dir holding only DATA/root.json) and
 * `runs` times warm (one metadata dir kept across runs, primed once): a new tuf-js Updater →
 * refresh() → getTargetInfo → downloadTarget (1 MiB) → verifyPackage with the publisher key.
 */
async function installPath(url, dataDir, target, keys, runs, work) {
  const once = async (metadataDir, n) => {
    const targetDir = join(work, 'targets');
    mkdirSync(targetDir, { recursive: true });
    const t0 = performance.now();
    const updater = new Updater({ metadataBaseUrl: `${url}/tuf`, targetBaseUrl: `${url}/tuf/targets`, metadataDir, targetDir });
    await updater.refresh();
    const t1 = performance.now();
    const info = await updater.getTargetInfo(target);
    if (!info) throw new Error(`${target} is not in the signed targets`);
    const t2 = performance.now();
    const file = join(targetDir, `download-${n}.vib3x`);
    await updater.downloadTarget(info, file);
    const t3 = performance.now();
    const verified = await verifyPackage(new Uint8Array(await readFile(file)), keys);
    if (!verified.ok) throw new Error(`downloaded package fails verification: ${verified.code}`);
    const t4 = performance.now();
    rmSync(file, { force: true });
    return { total: t4 - t0, refresh: t1 - t0, targetInfo: t2 - t1, download: t3 - t2, verify: t4 - t3, bytes: info.length };
  };
  const freshDir = (name) => {
    const dir = join(work, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(dataDir, 'root.json'), join(dir, 'root.json'));
    return dir;
  };
  const cold = [];
  const warmUp = freshDir('warm-up');
  await once(warmUp, -1); // the first install in this process pays for JIT and connection set-up (not recorded)
  rmSync(warmUp, { recursive: true, force: true });
  for (let i = 0; i < runs; i++) {
    const dir = freshDir(`cold-${i}`);
    cold.push(await once(dir, i));
    rmSync(dir, { recursive: true, force: true });
  }
  const warmDir = freshDir('warm');
  await once(warmDir, -1); // primes the metadata dir (not recorded)
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await once(warmDir, i));
  const describe = (rows) => ({
    totalMs: summary(rows.map((r) => r.total)),
    medianMs: Object.fromEntries(['refresh', 'targetInfo', 'download', 'verify'].map((k) => [k, summary(rows.map((r) => r[k])).p50])),
  });
  return { target, packageBytes: cold[0].bytes, runs, cold: describe(cold), warm: describe(warm) };
}

/** Waits (at most 30 s) until the server answers /healthz in under 5 ms three times in a row. */
async function settle(url) {
  const deadline = Date.now() + 30_000;
  for (let quick = 0; quick < 3 && Date.now() < deadline; ) {
    const t = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    quick = performance.now() - t < 5 ? quick + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --- one registry backend ------------------------------------------------------------------------
async function runRegistry(backend, shared) {
  const out = { backend };
  const dataDir = join(shared.tmp, `${backend}-data`);
  let cluster;
  let server;
  try {
    if (backend === 'postgres') {
      const t = performance.now();
      cluster = await startPgCluster();
      out.clusterStartMs = Math.round(performance.now() - t);
    }
    server = forkServer();
    let t = performance.now();
    const first = await server.call('start', { dataDir, ...(cluster ? { database: cluster.url } : {}) });
    let { url } = first;
    const { adminToken } = first;
    out.searchFreshMs = first.searchFreshMs;
    out.startMs = Math.round(performance.now() - t);
    progress(`${backend}: registry at ${url}`);
    const res = await fetch(`${url}/v1/publishers`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', keys: [shared.publisher.publicJwk] }) });
    const created = await json(res);
    if (res.status !== 201) throw new Error(`publisher create: ${res.status} ${JSON.stringify(created)}`);
    const token = created.token;

    const { items } = shared;
    out.publishEmpty = await publishMany(url, token, items.slice(0, API_SAMPLE), PUBLISH_CONCURRENCY);
    progress(`${backend}: ${API_SAMPLE} API publishes on the empty registry: ${out.publishEmpty.perSecond}/s`);

    const bulkItems = items.slice(API_SAMPLE, COUNT - API_SAMPLE);
    const bulk = { count: 0, batches: 0, verifyMs: 0, dbMs: 0 };
    t = performance.now();
    for (let i = 0; i < bulkItems.length; i += BULK_BATCH) {
      const r = await server.call('bulk', { packages: bulkItems.slice(i, i + BULK_BATCH).map((x) => x.bytes), publisher: { name: 'bench', keyId: shared.publisher.keyId, publicJwk: shared.publisher.publicJwk } });
      bulk.count += r.count;
      bulk.batches++;
      bulk.verifyMs += r.verifyMs;
      bulk.dbMs += r.dbMs;
    }
    bulk.seconds = Math.round((performance.now() - t) / 10) / 100;
    bulk.verifyMs = Math.round(bulk.verifyMs);
    bulk.dbMs = Math.round(bulk.dbMs);
    out.bulkLoad = bulk;
    progress(`${backend}: bulk-loaded ${bulk.count} listings in ${bulk.seconds} s`);

    out.publishFull = await publishMany(url, token, items.slice(COUNT - API_SAMPLE), PUBLISH_CONCURRENCY);
    progress(`${backend}: ${API_SAMPLE} API publishes on top of ${COUNT - API_SAMPLE}: ${out.publishFull.perSecond}/s`);

    const large = await publishMany(url, token, [shared.large], 1);
    out.large = { id: shared.large.listing.id, bytes: shared.large.bytes.length, publishMs: large.latencyMs.p50 };
    out.counts = await server.call('counts');
    progress(`${backend}: ${JSON.stringify(out.counts)}`);

    // Sanity: every query word answers 200 with hits (the bulk-loaded listings are searchable).
    out.firstPageHits = {};
    for (const w of shared.words) {
      const r = await fetch(`${url}/v1/extensions?q=${encodeURIComponent(w.q)}&limit=20`);
      const body = await json(r);
      if (r.status !== 200) throw new Error(`search ${w.q}: ${r.status} ${JSON.stringify(body)}`);
      out.firstPageHits[w.q] = body.items.length;
    }

    const explainAll = async () => {
      const list = [];
      for (const tier of ['common', 'medium', 'rare', 'two words']) {
        const w = shared.words.find((x) => x.tier === tier);
        list.push({ tier, share: w.share, ...(await server.call('explain', { q: w.q })) });
      }
      return list;
    };
    const pathFor = (i) => `/v1/extensions?q=${encodeURIComponent(shared.words[i % shared.words.length].q)}&limit=20`;
    const loadAll = async (label) => {
      await searchLoad(url, pathFor, 50, 3); // warm-up, not recorded
      const levels = {};
      for (const c of CONNECTIONS) {
        const s = (levels[c] = await searchLoad(url, pathFor, c, SECONDS));
        progress(`${backend} (${label}): search @${c}: p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, ${s.requestsPerSecond} req/s, non-2xx ${s.non2xx}, errors ${s.errors}`);
      }
      return levels;
    };
    // The registry keeps search answers for `searchFreshMs` (default 1 s): with a few dozen
    // distinct queries nearly every request is then served from memory. Each configuration is
    // measured as shipped (cache on) and with the cache off (every request runs the SQL: the
    // worst case, all-distinct queries).
    const cacheOff = async () => ({ url } = await server.call('restart', { settings: { searchFreshMs: 0 } }));
    // As loaded: nothing has vacuumed or analyzed the tables yet; the search index's GIN pending
    // list (fastupdate) holds whatever was inserted since it was last flushed.
    out.maintenanceAsLoaded = await server.call('maintenance');
    out.explainAsLoaded = await explainAll();
    out.search = {};
    if (backend === 'pglite') {
      // PGlite has no autovacuum: what the registry serves is this state, for good.
      out.search.cacheOn = await loadAll('as served, cache on');
      await cacheOff();
      out.search.cacheOff = await loadAll('as served, cache off');
      await server.call('vacuum');
      out.explain = await explainAll();
      out.search.cacheOffVacuumed = await loadAll('after VACUUM ANALYZE, cache off');
    } else {
      // PostgreSQL's autovacuum vacuums and analyzes a table after this many inserts (within a
      // minute); run it now so the numbers do not depend on whether it got there first.
      await server.call('vacuum');
      out.explain = await explainAll();
      out.search.cacheOn = await loadAll('cache on');
      await cacheOff();
      out.search.cacheOff = await loadAll('cache off');
    }
    out.maintenance = await server.call('maintenance');

    await settle(url); // let queued search work drain before timing installs
    out.install = await installPath(url, dataDir, `extensions/${shared.large.listing.id}/1.0.0.vib3x`, new Map([[shared.publisher.keyId, shared.publisher.publicJwk]]), INSTALL_RUNS, join(shared.tmp, `${backend}-client`));
    progress(`${backend}: install path cold p95 ${out.install.cold.totalMs.p95} ms, warm p95 ${out.install.warm.totalMs.p95} ms`);
    out.serverErrors = await server.call('errors');
  } finally {
    await server?.stop();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join(shared.tmp, `${backend}-client`), { recursive: true, force: true });
  }
  return out;
}

// --- Verdaccio -----------------------------------------------------------------------------------
async function runVerdaccio(shared) {
  const out = { backend: 'verdaccio', version: VERDACCIO_VERSION };
  const dir = join(shared.tmp, 'verdaccio');
  let v;
  try {
    let t = performance.now();
    v = await startVerdaccio(dir);
    out.startMs = Math.round(performance.now() - t);
    progress(`verdaccio ${VERDACCIO_VERSION} at ${v.url}`);
    const token = await addUser(v.url, 'bench', randomBytes(12).toString('hex'));
    const done = [];
    const latencies = [];
    let next = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: PUBLISH_CONCURRENCY }, async () => {
        while (next < COUNT) {
          const listing = shared.listings[next++];
          const s = performance.now();
          const r = await npmPublish(v.url, token, npmPublishBody(listing, v.url));
          latencies.push(performance.now() - s);
          if (r.status !== 201) throw new Error(`verdaccio publish ${listing.id}: ${r.status} ${r.body.slice(0, 300)}`);
          done.push(performance.now() - t);
        }
      }),
    );
    const rate = (a, b) => Math.round(((b - a + 1) / ((done[b] - (a ? done[a - 1] : 0)) / 1000)) * 10) / 10;
    out.publish = {
      count: COUNT,
      concurrency: PUBLISH_CONCURRENCY,
      seconds: Math.round(done.at(-1) / 10) / 100,
      perSecond: rate(0, COUNT - 1),
      firstPerSecond: rate(0, API_SAMPLE - 1),
      lastPerSecond: rate(COUNT - API_SAMPLE, COUNT - 1),
      latencyMs: summary(latencies),
    };
    progress(`verdaccio: published ${COUNT} in ${out.publish.seconds} s (${out.publish.perSecond}/s)`);
    await v.stop();

    // A Verdaccio search keeps running after its client gives up: restart Verdaccio before each
    // load level so one level's backlog does not slow the next.
    const pathFor = (i) => `/-/v1/search?text=${encodeURIComponent(shared.words[i % shared.words.length].q)}&size=20`;
    out.search = {};
    out.singleSearchMs = {};
    for (const c of CONNECTIONS) {
      v = await startVerdaccio(dir);
      t = performance.now();
      const first = await fetch(`${v.url}${pathFor(0)}`);
      await first.arrayBuffer();
      out.singleSearchMs[c] = Math.round(performance.now() - t); // one search before the load (fills the page cache)
      out.search[c] = await searchLoad(v.url, pathFor, c, SECONDS);
      const s = out.search[c];
      progress(`verdaccio: search @${c}: ${s.responses} answered, p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, timeouts ${s.timeouts}`);
      await v.stop();
      v = undefined;
    }
  } finally {
    await v?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// --- run -----------------------------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'vib3-bench-registry-'));
// Ctrl+C / SIGTERM: exit through the 'exit' hooks (the PostgreSQL cluster, Verdaccio and the temp dir
// go; the registry child sees the IPC channel close and stops itself).
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
const results = {
  date: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}` },
  versions: { pglite: pkgVersion('@electric-sql/pglite'), pg: pkgVersion('pg'), verdaccio: VERDACCIO_VERSION, autocannon: pkgVersion('autocannon'), 'tuf-js': pkgVersion('tuf-js') },
  settings: { listings: COUNT, apiSample: API_SAMPLE, publishConcurrency: PUBLISH_CONCURRENCY, bulkBatch: BULK_BATCH, searchSeconds: SECONDS, connections: CONNECTIONS, requestTimeoutSeconds: REQUEST_TIMEOUT_S, installRuns: INSTALL_RUNS, largePackagePadding: LARGE_PADDING, rateLimit: { reads: 1e9, writes: 1e9 } },
  goals: GOALS,
};
try {
  const listings = generateListings(COUNT);
  const words = queryWords(listings);
  results.queries = words;
  const { publicJwk, privateJwk } = await generateEd25519();
  const publisher = { keyId: await keyIdOf(publicJwk), publicJwk, privateJwk };
  let t = performance.now();
  const items = [];
  for (const listing of listings) items.push({ listing, bytes: await makePackage(publisher, listing) });
  const largeListing = { id: 'io.benchmark.large-package', title: 'Large Package', summary: 'A 1 MiB package for the install-path benchmark.', tags: ['benchmark'], categories: ['data'] };
  const large = { listing: largeListing, bytes: await makePackage(publisher, largeListing, '1.0.0', LARGE_PADDING) };
  results.packaging = { count: COUNT, seconds: Math.round((performance.now() - t) / 10) / 100, bytesEach: items[0].bytes.length, largeBytes: large.bytes.length };
  progress(`signed ${COUNT} packages (${items[0].bytes.length} bytes each) + 1 large (${large.bytes.length} bytes) in ${results.packaging.seconds} s`);
  const shared = { tmp, listings, words, publisher, items, large };
  results.backends = {};
  for (const backend of ['pglite', 'postgres'].filter((b) => TARGETS.includes(b))) results.backends[backend] = await runRegistry(backend, shared);
  if (TARGETS.includes('verdaccio')) results.verdaccio = await runVerdaccio(shared);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
results.totalSeconds = Math.round((performance.now() - started) / 1000);

// --- report --------------------------------------------------------------------------------------
const ms = (x) => (x === null || x === undefined ? 'n/a' : x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`);
const num = (x) => (x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US'));
const yes = (ok) => (ok ? '**met**' : '**not met**');
const B = results.backends;
const V = results.verdaccio;
const labels = { pglite: 'registry · PGlite', postgres: 'registry · PostgreSQL', verdaccio: `Verdaccio ${VERDACCIO_VERSION}` };
const TIERS = ['common', 'medium', 'rare', 'two words'];

// Rows of the search table: [label, levels by connection count].
const searchSets = [];
if (B.pglite) {
  searchSets.push(
    [`${labels.pglite}, as served (cache on)`, B.pglite.search.cacheOn],
    [`${labels.pglite}, as served, cache off`, B.pglite.search.cacheOff],
    [`${labels.pglite}, VACUUM ANALYZE, cache off`, B.pglite.search.cacheOffVacuumed],
  );
}
if (B.postgres) searchSets.push([`${labels.postgres} (cache on)`, B.postgres.search.cacheOn], [`${labels.postgres}, cache off`, B.postgres.search.cacheOff]);
if (V) searchSets.push([labels.verdaccio, V.search]);

const goalRows = [];
const meets = (s) => s.latencyMs.p95 !== null && s.latencyMs.p95 < GOALS.searchP95Ms && s.non2xx === 0 && s.errors === 0;
if (B.postgres) {
  results.goals.search = {};
  for (const [key, what] of [['cacheOn', `as shipped (${B.postgres.searchFreshMs} ms search cache)`], ['cacheOff', 'cache off: every request runs the SQL']]) {
    const s = B.postgres.search[key][GOALS.searchConnections];
    results.goals.search[key] = meets(s);
    goalRows.push(`| search p95 < ${GOALS.searchP95Ms} ms at ${GOALS.searchConnections} concurrent, PostgreSQL, ${what} | ${ms(s.latencyMs.p95)} (${num(s.requestsPerSecond)} answered/s, ${num(s.non2xx)} non-2xx, ${num(s.errors)} errors) | ${yes(meets(s))} |`);
  }
}
if (B.pglite) {
  for (const [label, levels] of searchSets.filter(([l]) => l.startsWith(labels.pglite))) {
    const s = levels[GOALS.searchConnections];
    goalRows.push(`| (same on ${label.replace('registry · ', '')}: no goal) | ${ms(s.latencyMs.p95)} (${num(s.requestsPerSecond)} answered/s, ${num(s.errors)} errors) | ${meets(s) ? 'would meet' : 'would not meet'} |`);
  }
}
results.goals.install = {};
for (const [name, r] of Object.entries(B)) {
  for (const kind of ['cold', 'warm']) {
    const p95 = r.install[kind].totalMs.p95;
    results.goals.install[`${name}.${kind}`] = p95 < GOALS.installP95Ms;
    goalRows.push(`| install path p95 < 1 s (refresh + 1 MiB download + verify), ${kind}, ${name === 'pglite' ? 'PGlite' : 'PostgreSQL'} | ${ms(p95)} | ${yes(p95 < GOALS.installP95Ms)} |`);
  }
}

const searchRows = [];
for (const c of CONNECTIONS) {
  for (const [label, levels] of searchSets) {
    const s = levels[c];
    const answered = s.responses ? `${ms(s.latencyMs.p50)} | ${ms(s.latencyMs.p95)} | ${ms(s.latencyMs.p99)}` : `none within ${SECONDS} s | | `;
    searchRows.push(`| ${c} | ${label} | ${answered} | ${num(s.requestsPerSecond)} | ${num(s.responses)} | ${num(s.unansweredAtEnd)} | ${num(s.non2xx)} | ${num(s.errors)} / ${num(s.timeouts)} |`);
  }
}

const explainColumns = [];
for (const [name, r] of Object.entries(B)) {
  const short = name === 'pglite' ? 'PGlite' : 'PostgreSQL';
  explainColumns.push([`${short}, as loaded`, r.explainAsLoaded], [`${short}, after VACUUM ANALYZE`, r.explain]);
}
const explainRows = TIERS.map((tier) => {
  const e = explainColumns[0]?.[1].find((x) => x.tier === tier);
  const cells = explainColumns.map(([, list]) => {
    const x = list.find((y) => y.tier === tier);
    return `${ms(x?.executionMs)} (${x?.scan ?? '?'})`;
  });
  return `| ${tier} | \`${e?.q}\` | ${(e?.share * 100).toFixed(1)} % | ${cells.join(' | ')} |`;
});

const publishRows = Object.entries(B).map(
  ([name, r]) =>
    `| ${labels[name]} | ${r.publishEmpty.perSecond}/s (p50 ${ms(r.publishEmpty.latencyMs.p50)}, p95 ${ms(r.publishEmpty.latencyMs.p95)}) | ${r.publishFull.perSecond}/s (p50 ${ms(r.publishFull.latencyMs.p50)}, p95 ${ms(r.publishFull.latencyMs.p95)}) | ${ms(r.large.publishMs)} | ${num(r.bulkLoad.count)} in ${r.bulkLoad.seconds} s |`,
);
if (V) {
  const p = V.publish;
  publishRows.push(`| ${labels.verdaccio} (npm publish PUT) | ${p.firstPerSecond}/s (first ${API_SAMPLE}) | ${p.lastPerSecond}/s (last ${API_SAMPLE}) | | all ${num(p.count)} through the API in ${p.seconds} s (${p.perSecond}/s; p50 ${ms(p.latencyMs.p50)}, p95 ${ms(p.latencyMs.p95)}) |`);
}

const installRows = Object.entries(B).flatMap(([name, r]) =>
  ['cold', 'warm'].map((kind) => {
    const k = r.install[kind];
    return `| ${labels[name]} | ${kind} | ${ms(k.totalMs.p50)} | ${ms(k.totalMs.p95)} | ${ms(k.totalMs.max)} | ${ms(k.medianMs.refresh)} | ${ms(k.medianMs.targetInfo)} | ${ms(k.medianMs.download)} | ${ms(k.medianMs.verify)} |`;
  }),
);

const needed = Math.round(GOALS.searchConnections / (GOALS.searchP95Ms / 1000));
const pending = B.postgres?.maintenanceAsLoaded.ginPendingTuples;
const findings = [];
if (B.postgres) {
  const on = B.postgres.search.cacheOn;
  const off = B.postgres.search.cacheOff;
  const [common, , rare] = B.postgres.explain;
  findings.push(`- **Search cache.** The registry reuses a search answer for ${B.postgres.searchFreshMs} ms per distinct query. With ${results.queries.length} rotating queries nearly every request is a cache hit: PostgreSQL answered ${num(on[GOALS.searchConnections].requestsPerSecond)}/s at ${GOALS.searchConnections} connections, p95 ${ms(on[GOALS.searchConnections].latencyMs.p95)}. Real traffic has a long tail of distinct queries; the cache-off rows are the worst case, where every request runs the SQL.`);
  findings.push(`- **Without the cache, search is throughput-bound.** autocannon keeps every connection busy, so mean latency ≈ connections ÷ answers per second: p95 < ${GOALS.searchP95Ms} ms at ${GOALS.searchConnections} connections needs more than ~${num(needed)} answers/s. With the cache off PostgreSQL answered ${num(off[GOALS.searchConnections].requestsPerSecond)}/s at ${GOALS.searchConnections} connections (${num(off[1].requestsPerSecond)}/s from one connection, p50 ${ms(off[1].latencyMs.p50)}), with the ${results.machine.cores} cores shared by PostgreSQL, the registry and the load generator. The cost is PostgreSQL's per-row work, \`search @@ query\` and \`ts_rank_cd\` on every matching row before the top 20 are picked: ${ms(common.executionMs)} for \`${common.q}\` (${(common.share * 100).toFixed(0)} % of listings match) against ${ms(rare.executionMs)} for \`${rare.q}\`.`);
}
if (B.pglite && B.postgres) {
  const g = B.pglite.search.cacheOff;
  const gv = B.pglite.search.cacheOffVacuumed;
  const late = g[GOALS.searchConnections].timeouts + gv[GOALS.searchConnections].timeouts;
  findings.push(`- **PGlite** runs every query in the registry's own process, one at a time (WASM on its event loop): with the cache off it answered ${num(g[50].requestsPerSecond)}/s as served and ${num(gv[50].requestsPerSecond)}/s after \`VACUUM ANALYZE\` at 50 connections, PostgreSQL ${num(B.postgres.search.cacheOff[50].requestsPerSecond)}/s${late ? `; at ${GOALS.searchConnections} connections ${num(late)} requests waited over ${REQUEST_TIMEOUT_S} s` : ''}.`);
}
const slowPlans = Object.entries(B).filter(([, r]) => r.explainAsLoaded.some((e, i) => e.tier !== 'common' && e.scan === 'Seq Scan' && r.explain[i].scan !== 'Seq Scan'));
if (slowPlans.length) {
  findings.push(`- **The search index's GIN pending list.** \`extensions_search\` is a GIN index with the default \`fastupdate = on\`: new entries wait in an unsorted pending list (up to \`gin_pending_list_limit\`, 4 MB, about this whole catalogue) until VACUUM or that limit flushes it. On the loaded database (${slowPlans.map(([b]) => (b === 'pglite' ? 'PGlite' : 'PostgreSQL')).join(', ')}) the planner scanned the whole table even for rare words${pending !== undefined ? ` (${num(pending)} entries pending on PostgreSQL)` : ''}; after \`VACUUM ANALYZE\` it used the index (EXPLAIN table). PostgreSQL's autovacuum gets there eventually; PGlite has no autovacuum, so an embedded registry keeps the long pending list and never gets planner statistics.`);
}
if (V) findings.push(`- **Verdaccio** answers \`/-/v1/search\` by walking its whole storage for every request (directory listing, then \`stat\` and read and parse each of the ${num(COUNT)} \`package.json\` files) and substring-matching name and description: one search took ${Object.values(V.singleSearchMs).map((x) => ms(x)).join(', ')} right after each start. Concurrent walks interleave on one event loop${CONNECTIONS.filter((c) => !V.search[c].responses).length ? `, so at ${CONNECTIONS.filter((c) => !V.search[c].responses).join(' and ')} connections nothing finished within ${SECONDS} s` : ''}. A search keeps running after its client gave up, so Verdaccio was restarted before each level. It searches neither keywords nor categories (its npm description is \`title. summary\`), so its hit sets differ from the registry's weighted full-text search.`);

const md = `# Extension registry benchmark (${results.date})

${num(COUNT)} generated listings in the VIB3 registry on embedded PGlite and on PostgreSQL, and the same
${num(COUNT)} names as npm packages in Verdaccio ${V?.version ?? VERDACCIO_VERSION}, in one run on one machine: ${results.machine.cores} cores
(${results.machine.cpu}), ${results.machine.memoryGB} GB, Node ${results.machine.node}, ${B.postgres?.counts.version.split(' on ')[0] ?? 'PostgreSQL n/a'}
(a throwaway cluster from \`scripts/pg-cluster.mjs\`: fsync off), PGlite ${results.versions.pglite}. Each server runs in its own process
on 127.0.0.1; autocannon ${results.versions.autocannon} and the tuf-js ${results.versions['tuf-js']} client run in the driver process, so the
load generator, the registry and PostgreSQL share the ${results.machine.cores} cores. Listings come from seeded word lists (skewed, so
search sees common, medium and rare words; ${results.queries.length} rotating queries, listed under Notes). Total run time: ${results.totalSeconds} s.

## Goals

| goal | measured | |
|---|---|---|
${goalRows.join('\n')}

## Search

\`GET /v1/extensions?q=WORD&limit=20\` (registry) and \`GET /-/v1/search?text=WORD&size=20\` (Verdaccio),
the query word rotating per request; ${SECONDS} s per level (the registry after a 3 s warm-up); latency of every
answered request; a request unanswered after ${REQUEST_TIMEOUT_S} s counts as a timeout. "cache on" is the registry as
shipped (search answers reused for ${Object.values(B)[0]?.searchFreshMs ?? '?'} ms per distinct query); "cache off" restarts it with
\`settings.searchFreshMs = 0\`, so every request runs the SQL. PostgreSQL was measured after \`VACUUM ANALYZE\` (what
its autovacuum does after this many inserts); PGlite has no autovacuum, so it was measured as served and again
after an explicit \`VACUUM ANALYZE\`.

| connections | server | p50 | p95 | p99 | answered/s | answered | still running at end | non-2xx | errors / timeouts |
|---|---|---|---|---|---|---|---|---|---|
${searchRows.join('\n')}

EXPLAIN ANALYZE of the search SQL (\`search()\` in \`src/registry/store/search.ts\`, first page, one word per
tier, fastest of 3), on the loaded database and after \`VACUUM ANALYZE\`:

| tier | query | listings matching | ${explainColumns.map(([label]) => label).join(' | ')} |
|---|---|---|${explainColumns.map(() => '---|').join('')}
${explainRows.join('\n')}

${findings.join('\n')}

## Publish

Publish throughput through \`PUT /v1/extensions/{id}/{version}\` with ${PUBLISH_CONCURRENCY} concurrent clients (packages
signed beforehand, ${num(results.packaging.bytesEach)} bytes each). Each publish verifies the package and, under the TUF advisory
lock, signs a new hashed bin, snapshot and timestamp, so publishes are serialized: all ${num(COUNT)} that way would take
over 5 minutes per backend. So ${API_SAMPLE} were published through the API on the empty registry, the next
${num(COUNT - 2 * API_SAMPLE)} were **bulk-loaded** (\`bench/registry/server.mjs\`: each package verified, its blob stored, the
rows publish writes inserted ${num(BULK_BATCH)} per transaction, and the TUF bins, snapshot and timestamp re-signed once per
batch through the real \`tuf.updateTargets\`; not a throughput figure), and the last ${API_SAMPLE} through the API again
on top of them. Verdaccio got all ${num(COUNT)} through \`npm publish\`'s PUT with the same concurrency.

| server | API publishes/s, empty | API publishes/s, at ~${num(COUNT - API_SAMPLE)} | 1 MiB publish | bulk load |
|---|---|---|---|---|
${publishRows.join('\n')}

## Install path (1 MiB package)

\`${Object.values(B)[0]?.install.target ?? ''}\` (${num(Object.values(B)[0]?.install.packageBytes)} bytes), ${INSTALL_RUNS} runs each after one unrecorded run: a new
tuf-js Updater → \`refresh()\` → \`getTargetInfo\` → \`downloadTarget\` → \`verifyPackage\` with the publisher key.
Cold: an empty metadata dir holding only \`DATA/root.json\` (fetches timestamp, snapshot, targets and the bin).
Warm: one metadata dir kept across runs (timestamp, then cached metadata); the package is downloaded every time.

| server | | p50 | p95 | max | refresh (median) | getTargetInfo | download | verify |
|---|---|---|---|---|---|---|---|---|
${installRows.join('\n')}

## Notes

- The registries ran with \`settings: { rateLimit: { reads: 1e9, writes: 1e9 } }\`: the default per-address limit
  (6,000 reads a minute) would answer 429 to a load generator that is one address.
- Query words (share of listings containing them): ${results.queries.map((q) => `\`${q.q}\` ${(q.share * 100).toFixed(1)} %`).join(', ')}.
- Maintenance state as loaded: ${Object.entries(B).map(([b, r]) => `${labels[b]}: ${r.maintenanceAsLoaded.autovacuumed ? 'autovacuumed' : 'not vacuumed'}, ${r.maintenanceAsLoaded.analyzed ? 'analyzed' : 'never analyzed'}${r.maintenanceAsLoaded.ginPendingTuples !== undefined ? `, ${num(r.maintenanceAsLoaded.ginPendingTuples)} GIN pending entries` : ''}`).join('; ')}.
- Verdaccio config: htpasswd auth, JWT API tokens, no uplinks, web UI off, error-level logs, \`userRateLimit\` lifted.
- Unexpected server errors logged: ${Object.entries(B).map(([b, r]) => `${labels[b]} ${r.serverErrors.length}`).join(', ')}.
`;

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/registry.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, 'bench/results/registry.md'), md);
console.log(md);
