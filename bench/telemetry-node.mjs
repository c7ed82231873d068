#!/usr/bin/env node
// `npm run bench` part: what telemetry costs in Node (issue 23's goal: < 0.2 ms added per tool
// call), with it off (the no-op seam, as shipped by default) and on (the OpenTelemetry SDK 2.12
// with the OTLP/HTTP JSON exporters batching to a loopback collector), in the same run:
//   - a tool call through the kit's agent loop: runAgentSession over a scripted model making
//     20 tool calls per session (execute_tool spans, attributes, duration metrics);
//   - one MCP request through the server's span wrapper (mcpSpan) around a trivial handler.
// Rounds alternate off/on so machine noise hits both; warm-up rounds are not recorded. Writes
// bench/results/telemetry-node.{json,md}; the goal is reported, never asserted. The page side
// (chunk bytes, per-frame cost) is bench/telemetry.mjs.
// Env: BENCH_TELEMETRY_ROUNDS (30), BENCH_TELEMETRY_CALLS (20 tool calls a session).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (!process.execArgv.join(' ').includes('tsx')) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
  process.exit(r.status ?? 1);
}
process.chdir(ROOT);

const { summary } = await import('./registry/stats.mjs');
const { startNodeTelemetry } = await import('../src/agent-server/telemetry-node.ts');
const { runAgentSession } = await import('../src/agent/llm/session.ts');
const { mcpSpan } = await import('../src/agent-server/mcp-telemetry.ts');
const { startOtlpCollector } = await import('../test/support/otlp-collector.ts');

const ROUNDS = Number(process.env.BENCH_TELEMETRY_ROUNDS || 30);
const CALLS = Number(process.env.BENCH_TELEMETRY_CALLS || 20);
const WARMUP = 5;
const MCP_CALLS = 2000;
const GOAL_US_PER_TOOL_CALL = 200;
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const pkgVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

/** A model that asks for CALLS tool calls in one step, then answers. */
function scriptedModel() {
  let step = 0;
  return {
    async *stream() {
      step++;
      if (step === 1) {
        for (let i = 0; i < CALLS; i++) yield { type: 'tool-call', toolCallId: `c${i}`, toolName: 'set_params', input: `{"hue":${i}}` };
        yield { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage: { inputTokens: { total: 100 }, outputTokens: { total: 10 } } };
        yield { type: 'route', deployment: 'bench', provider: 'openai', model: 'bench-model', costUsd: 0, inputTokens: 100, outputTokens: 10 };
        return;
      }
      yield { type: 'text-delta', id: '0', delta: 'done' };
      yield { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage: { inputTokens: { total: 120 }, outputTokens: { total: 2 } } };
    },
  };
}
const schema = { type: 'object', properties: { hue: { type: 'number' } } };
const tools = {
  list: () => [{ name: 'set_params', description: 'Sets parameters.', inputSchema: schema, policy: { requires: [], approval: 'never' }, source: 'kit' }],
  call: async () => ({ content: [{ type: 'text', text: '{"ok":true}' }], structuredContent: { ok: true } }),
};

/** ms per tool call of one session (the session's fixed cost spread over its calls). */
async function sessionMsPerCall() {
  const t = performance.now();
  const out = await runAgentSession({ model: scriptedModel(), tools, prompt: 'bench' });
  if (out.toolCalls.length !== CALLS) throw new Error(`session made ${out.toolCalls.length} calls`);
  return (performance.now() - t) / CALLS;
}

/** ms per MCP request through mcpSpan around a trivial handler. */
async function mcpMsPerCall() {
  const t = performance.now();
  for (let i = 0; i < MCP_CALLS; i++) await mcpSpan('tools/call', 'set_params', { 'network.transport': 'pipe', 'gen_ai.tool.name': 'set_params' }, async () => ({ result: i }));
  return (performance.now() - t) / MCP_CALLS;
}

const collector = await startOtlpCollector();
const rows = { off: { session: [], mcp: [] }, on: { session: [], mcp: [] } };
let spansExported = 0;
try {
  for (let r = -WARMUP; r < ROUNDS; r++) {
    for (const mode of r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      const tel = mode === 'on' ? await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_METRIC_EXPORT_INTERVAL: '1000' }, 'vib3-bench') : undefined;
      const s = await sessionMsPerCall();
      const m = await mcpMsPerCall();
      await tel?.shutdown();
      if (r >= 0) {
        rows[mode].session.push(s);
        rows[mode].mcp.push(m);
      }
    }
  }
  spansExported = collector.spans().length;
} finally {
  await collector.close();
}

const stat = (list) => summary(list.map((x) => x * 1000)); // µs
const results = {
  date: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}`, loadAverage: loadavg().map((x) => round(x)) },
  versions: Object.fromEntries(['@opentelemetry/sdk-trace', '@opentelemetry/sdk-metrics', '@opentelemetry/exporter-trace-otlp-http'].map((n) => [n, pkgVersion(n)])),
  settings: { rounds: ROUNDS, warmupRounds: WARMUP, toolCallsPerSession: CALLS, mcpCallsPerRound: MCP_CALLS },
  toolCallUs: { off: stat(rows.off.session), on: stat(rows.on.session) },
  mcpRequestUs: { off: stat(rows.off.mcp), on: stat(rows.on.mcp) },
  spansExported,
};
results.toolCallUs.addedP50 = round(results.toolCallUs.on.p50 - results.toolCallUs.off.p50);
results.mcpRequestUs.addedP50 = round(results.mcpRequestUs.on.p50 - results.mcpRequestUs.off.p50);
results.goal = { addedUsPerToolCall: GOAL_US_PER_TOOL_CALL, met: results.toolCallUs.addedP50 < GOAL_US_PER_TOOL_CALL && results.mcpRequestUs.addedP50 < GOAL_US_PER_TOOL_CALL };

const verdict = (us) => (us < GOAL_US_PER_TOOL_CALL ? 'met' : 'not met');
const md = [
  '# Telemetry overhead in Node',
  '',
  `${results.date} · ${results.machine.cores} cores · ${results.machine.cpu} · Node ${results.machine.node} · load ${results.machine.loadAverage.join(' / ')}`,
  `OpenTelemetry SDK ${results.versions['@opentelemetry/sdk-trace']}, OTLP/HTTP JSON exporter ${results.versions['@opentelemetry/exporter-trace-otlp-http']} batching to a loopback collector; ${ROUNDS} rounds off/on alternating (${WARMUP} warm-up rounds not recorded); ${spansExported} spans exported.`,
  '',
  '| path | off p50 (µs) | off p95 | on p50 (µs) | on p95 | added p50 (µs) | goal (< 200 µs) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  `| tool call in an agent session (${CALLS} calls a session) | ${results.toolCallUs.off.p50} | ${results.toolCallUs.off.p95} | ${results.toolCallUs.on.p50} | ${results.toolCallUs.on.p95} | ${results.toolCallUs.addedP50} | ${verdict(results.toolCallUs.addedP50)} |`,
  `| MCP request span (mcpSpan, trivial handler) | ${results.mcpRequestUs.off.p50} | ${results.mcpRequestUs.off.p95} | ${results.mcpRequestUs.on.p50} | ${results.mcpRequestUs.on.p95} | ${results.mcpRequestUs.addedP50} | ${verdict(results.mcpRequestUs.addedP50)} |`,
  '',
  '"Off" is the shipped default (the no-op seam); "on" includes span creation, attribute redaction, the metric record and the batch processor\'s queueing — the export itself runs in the background.',
  '',
].join('\n');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/telemetry-node.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, 'bench/results/telemetry-node.md'), md);
console.log(md);
