#!/usr/bin/env node
// `npm run bench` part: what the LLM router (src/agent/llm/router.ts, issue 22) adds to a model
// call, next to a direct provider SDK call in the same run. Against the loopback LLM fake
// (test/support/llm-fake, the providers' SSE wire formats), for each provider kind (openai = Chat
// Completions, openai-responses, anthropic, openai-compatible):
//   per request  a short streamed answer (40 text chunks + usage), read to its end: the AI SDK
//                model's `doStream` (direct) against `router.model().stream()` with the
//                one-deployment configuration `--provider`/VIB3_LLM_PROVIDER builds and the
//                factory the kit ships (router), and the same with a two-deployment group,
//                budgets, pricing and context windows (router + budgets);
//   per chunk    a long answer (BENCH_LLM_CHUNKS chunks), direct against router;
//   session      runAgentSession (one tool-call step + one text step, in-memory tools) over the
//                router against the same two steps written by hand over `doStream`;
//   model cost   what making one provider model costs: the router makes one per deployment, on
//                its first use (in the unrecorded warm-up here), and keeps it.
// The sides run interleaved in one process (the order rotating every round, so each side takes
// every position equally often), after unrecorded warm-up rounds, so machine noise hits them
// alike; "added" is router − direct (of the p50s and p95s, and the percentiles of the per-round
// paired differences). Wall time and this process's CPU time (user + system) per request. The fake
// runs in this process too, so its work is in both sides' times. Writes bench/results/llm.{json,md};
// the goal (< 1 ms p95 added per request) is reported, never asserted.
//
// Runs on the sources through tsx (started without it, it re-executes itself with it).
// Env: BENCH_LLM_RUNS (200 per side per provider, per request), BENCH_LLM_PROVIDERS
// (openai,openai-responses,anthropic,openai-compatible), BENCH_LLM_LONG_RUNS (20),
// BENCH_LLM_CHUNKS (2000), BENCH_LLM_SESSION_RUNS (100; 0 skips the session rows).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (!process.execArgv.join(' ').includes('tsx')) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
  process.exit(r.status ?? 1);
}

const { summary } = await import('./registry/stats.mjs');
const { startLlmFake } = await import('../test/support/llm-fake/index.ts');
const { createProviderModel } = await import('../src/agent/llm/providers.ts');
const { PROVIDER_KINDS } = await import('../src/agent/llm/types.ts');
const { STEP_REQUEST, FRAGMENT, textTurn, sessionTurns, canvasSource, singleConfig, budgetConfig, MODEL_TOOLS } = await import('./llm/fixtures.mjs');
const { secrets, providerFactory, makeRouter, readDirect, readRouted, directSession, routedSession } = await import('./llm/clients.mjs');
const { renderReport } = await import('./llm/report.mjs');

const RUNS = Number(process.env.BENCH_LLM_RUNS || 200);
const PROVIDERS = (process.env.BENCH_LLM_PROVIDERS || PROVIDER_KINDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
const LONG_RUNS = Number(process.env.BENCH_LLM_LONG_RUNS || 20);
const LONG_CHUNKS = Number(process.env.BENCH_LLM_CHUNKS || 2000);
const SESSION_RUNS = Number(process.env.BENCH_LLM_SESSION_RUNS ?? 100);
const SHORT_CHUNKS = 40;
const WARMUP = { short: 20, long: 2, session: 5 };
const GOALS = { addedP95Ms: 1 };
for (const p of PROVIDERS) if (!PROVIDER_KINDS.includes(p)) throw new Error(`BENCH_LLM_PROVIDERS: unknown provider "${p}" (use ${PROVIDER_KINDS.join(', ')})`);

const started = performance.now();
const progress = (message) => console.error(`[llm bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
const round = (x, digits = 2) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const sub = (a, b) => round(a - b);

const results = {
  date: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}` },
  versions: Object.fromEntries(['@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/openai-compatible', '@ai-sdk/provider', '@ai-sdk/provider-utils'].map((n) => [n, pkgVersion(n)]).concat([['undici (Node fetch)', process.versions.undici]])),
  settings: { runs: RUNS, providers: PROVIDERS, shortChunks: SHORT_CHUNKS, longChunks: LONG_CHUNKS, longRuns: LONG_RUNS, sessionRuns: SESSION_RUNS, fragmentChars: FRAGMENT, warmupRounds: WARMUP, request: { messages: STEP_REQUEST.prompt.length, tools: MODEL_TOOLS.length, requestJsonChars: JSON.stringify(STEP_REQUEST).length } },
  goals: { ...GOALS, met: {} },
  // 1, 5 and 15 minute load averages when the run started and ended (other work on the machine shows here).
  loadAverage: { start: loadavg().map((x) => round(x)) },
  providers: {},
};

/**
 * Runs the variants in rounds, each variant once per round, the order rotating by one every round;
 * `warmup` rounds first, unrecorded. Before each run the fake gets that run's turns; after it, the
 * fake must have seen exactly `requests` requests (no retry, no fallback). Returns samples by variant.
 */
async function interleaved(fake, variants, rounds, warmup) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  const m = variants.length;
  for (let i = -warmup; i < rounds; i++) {
    const shift = ((i % m) + m) % m;
    for (let j = 0; j < m; j++) {
      const v = variants[(j + shift) % m];
      fake.requests.length = 0;
      fake.script(...v.turns());
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const info = await v.run();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (fake.requests.length !== v.requests) throw new Error(`${v.name}: ${fake.requests.length} requests reached the fake, expected ${v.requests}`);
      if (i >= 0) samples[v.name].push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, ...info });
    }
  }
  return samples;
}

/** { runs, ms, cpuMs, parts, textDeltas } of one variant's samples (every sample must have the same parts). */
function describe(rows) {
  const out = { runs: rows.length, ms: summary(rows.map((r) => r.ms)), cpuMs: summary(rows.map((r) => r.cpuMs)) };
  for (const key of ['parts', 'textDeltas', 'steps']) {
    if (rows[0][key] === undefined) continue;
    const values = new Set(rows.map((r) => r[key]));
    if (values.size !== 1) throw new Error(`${key} differs between runs: ${[...values].join(', ')}`);
    out[key] = rows[0][key];
  }
  return out;
}

/** What `b` adds to `a`: differences of the percentiles, and percentiles of the paired (same-round) differences. */
function added(a, b, rowsA, rowsB) {
  return {
    p50Ms: sub(b.ms.p50, a.ms.p50),
    p95Ms: sub(b.ms.p95, a.ms.p95),
    meanMs: sub(b.ms.mean, a.ms.mean),
    pairedMs: summary(rowsB.map((r, i) => r.ms - rowsA[i].ms)),
    cpuP50Ms: sub(b.cpuMs.p50, a.cpuMs.p50),
    cpuMeanMs: sub(b.cpuMs.mean, a.cpuMs.mean),
    pairedCpuMs: summary(rowsB.map((r, i) => r.cpuMs - rowsA[i].cpuMs)),
  };
}

async function benchProvider(provider) {
  const out = {};
  const fake = await startLlmFake();
  try {
    const single = singleConfig(provider, fake.baseURL);
    const direct = await createProviderModel(single.deployments[0], { secrets });
    const routers = {
      router: makeRouter(single, providerFactory),
      routerBudgets: makeRouter(budgetConfig(provider, fake.baseURL), providerFactory),
    };
    const sessionRouter = makeRouter(single, providerFactory);
    out.model = single.deployments[0].model;

    // Per request: a short answer.
    const short = () => [textTurn(SHORT_CHUNKS)];
    const variants = [
      { name: 'direct', turns: short, requests: 1, run: () => readDirect(direct, STEP_REQUEST) },
      ...Object.entries(routers).map(([name, r]) => ({ name, turns: short, requests: 1, run: () => readRouted(r.model, STEP_REQUEST) })),
    ];
    const s = await interleaved(fake, variants, RUNS, WARMUP.short);
    const sides = Object.fromEntries(Object.entries(s).map(([name, rows]) => [name, describe(rows)]));
    for (const name of Object.keys(routers)) if (sides[name].textDeltas !== sides.direct.textDeltas) throw new Error(`${provider} ${name}: ${sides[name].textDeltas} text chunks, direct ${sides.direct.textDeltas}`);
    out.perRequest = { chunks: SHORT_CHUNKS, sides, added: Object.fromEntries(Object.keys(routers).map((name) => [name, added(sides.direct, sides[name], s.direct, s[name])])) };
    const a = out.perRequest.added;
    progress(`${provider} per request: direct p50 ${sides.direct.ms.p50} / p95 ${sides.direct.ms.p95} ms; router adds p50 ${a.router.p50Ms}, p95 ${a.router.p95Ms} (paired p95 ${a.router.pairedMs.p95}) ms; with budgets p95 ${a.routerBudgets.p95Ms} ms`);

    // Per chunk: a long answer.
    const long = () => [textTurn(LONG_CHUNKS)];
    const l = await interleaved(
      fake,
      [
        { name: 'direct', turns: long, requests: 1, run: () => readDirect(direct, STEP_REQUEST) },
        { name: 'router', turns: long, requests: 1, run: () => readRouted(routers.router.model, STEP_REQUEST) },
      ],
      LONG_RUNS,
      WARMUP.long,
    );
    const ld = describe(l.direct);
    const lr = describe(l.router);
    if (ld.textDeltas !== lr.textDeltas) throw new Error(`${provider} long: router ${lr.textDeltas} text chunks, direct ${ld.textDeltas}`);
    const lAdded = added(ld, lr, l.direct, l.router);
    const chunks = ld.textDeltas;
    const us = (ms) => round((ms * 1000) / chunks, 1);
    out.perChunk = {
      chunks,
      sides: { direct: ld, router: lr },
      added: lAdded,
      usPerChunk: { direct: us(ld.ms.p50), router: us(lr.ms.p50), cpuDirect: us(ld.cpuMs.p50), cpuRouter: us(lr.cpuMs.p50) },
      addedUsPerChunk: us(lAdded.pairedMs.p50),
      addedCpuUsPerChunk: us(lAdded.pairedCpuMs.p50),
      // What one more chunk adds beyond the per-request cost: (paired added, long − short) ÷ (chunks, long − short).
      marginalAddedUsPerChunk: round(((lAdded.pairedMs.p50 - a.router.pairedMs.p50) * 1000) / (chunks - sides.direct.textDeltas), 2),
      marginalAddedCpuUsPerChunk: round(((lAdded.pairedCpuMs.p50 - a.router.pairedCpuMs.p50) * 1000) / (chunks - sides.direct.textDeltas), 2),
    };
    progress(`${provider} per chunk (${chunks}): direct ${out.perChunk.usPerChunk.direct} µs, router ${out.perChunk.usPerChunk.router} µs, added ${out.perChunk.addedUsPerChunk} µs (marginal ${out.perChunk.marginalAddedUsPerChunk} µs)`);

    // Whole session: runAgentSession over the router against two hand-written doStream steps.
    if (SESSION_RUNS > 0) {
      const ss = await interleaved(
        fake,
        [
          { name: 'direct', turns: sessionTurns, requests: 2, run: () => directSession(direct, canvasSource()) },
          { name: 'session', turns: sessionTurns, requests: 2, run: () => routedSession(sessionRouter.model, canvasSource()) },
        ],
        SESSION_RUNS,
        WARMUP.session,
      );
      const sd = describe(ss.direct);
      const sr = describe(ss.session);
      out.session = { sides: { direct: sd, session: sr }, added: added(sd, sr, ss.direct, ss.session) };
      progress(`${provider} session: direct p50 ${sd.ms.p50} ms, runAgentSession p50 ${sr.ms.p50} ms, added p50 ${out.session.added.p50Ms} / p95 ${out.session.added.p95Ms} ms`);
    }
    out.decisions = Object.fromEntries(Object.entries(routers).map(([name, r]) => [name, r.decisions]));
    if (SESSION_RUNS > 0) out.decisions.session = sessionRouter.decisions;
    out.modelsMade = Object.fromEntries(Object.entries(routers).map(([name, r]) => [name, r.modelsMade]));
    if (SESSION_RUNS > 0) out.modelsMade.session = sessionRouter.modelsMade;
  } finally {
    await fake.close();
  }
  results.goals.met[provider] = Object.fromEntries(['router', 'routerBudgets'].map((name) => [name, out.perRequest.added[name].p95Ms < GOALS.addedP95Ms]));
  results.providers[provider] = out;
}

/**
 * What making one provider model costs: `createProviderModel` here (under tsx, whose loader hooks
 * see the `import()` it runs for every model), and the providers' own constructors with the same
 * settings in a plain Node process (bench/llm/model-cost.mjs). The router pays this once per
 * deployment, on its first use; without its cache every attempt would.
 */
async function modelCost() {
  const N = 200;
  const child = spawnSync(process.execPath, [join(ROOT, 'bench/llm/model-cost.mjs'), String(N)], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench/llm/model-cost.mjs failed: ${child.stderr}`);
  const plainNode = JSON.parse(child.stdout.trim());
  const tsx = { calls: N, createProviderModelUs: {} };
  for (const provider of PROVIDERS) {
    const d = { id: provider, provider, model: 'm', baseURL: 'http://127.0.0.1:9/v1' };
    for (let i = 0; i < 10; i++) await createProviderModel(d, { secrets });
    const t = performance.now();
    for (let i = 0; i < N; i++) await createProviderModel(d, { secrets });
    tsx.createProviderModelUs[provider] = round(((performance.now() - t) * 1000) / N, 1);
  }
  return { plainNode, tsx };
}

results.modelCost = await modelCost();
progress(`making one provider model: plain Node ${JSON.stringify(results.modelCost.plainNode.modelUs)} µs (import() ${results.modelCost.plainNode.importUs} µs); createProviderModel under tsx ${JSON.stringify(results.modelCost.tsx.createProviderModelUs)} µs`);
for (const provider of PROVIDERS) await benchProvider(provider);
results.totalSeconds = Math.round((performance.now() - started) / 1000);
results.loadAverage.end = loadavg().map((x) => round(x));

const md = renderReport(results);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/llm.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, 'bench/results/llm.md'), md);
console.log(md);
