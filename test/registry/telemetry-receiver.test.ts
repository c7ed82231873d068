// The registry's OTLP receiver and dashboard API (docs/TELEMETRY.md "The registry's receiver and
// dashboard API") on a real registry over loopback: OTLP/JSON trace and metric exports built by
// hand as the OTLP specification encodes them (string and number int64s, arrays, error statuses)
// and one from the real OpenTelemetry JS exporter, then GET /v1/telemetry/summary checked against
// numbers computed here from what was sent. Also: protobuf 415, bad shapes 400 with nothing
// stored, body cap, gzip, tokens (none 401, publisher 403, agent ingest yes / summary no), CORS,
// content attributes dropped unless telemetry.storeContent, per-principal rate limits, cumulative
// series, and retention on the registry's injected clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { TracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { api, createPublisher, startTestRegistry, type TestRegistry } from './harness.js';
import { bucketPercentile, histogramIncrease, mergeBuckets } from '../../src/registry/telemetry/histogram.js';
import { ERROR_CLASSES } from '../../src/telemetry/error-classes.js';
import { telemetrySummary } from '../../src/registry/telemetry/summary.js';

const HOUR = 3_600_000;
/** The registry's clock (ms); whole seconds so that nanosecond times stay exact as JSON numbers. */
let clock = Math.floor(Date.now() / 1000) * 1000;
const T = clock;
const SECRET = `sk-${randomBytes(12).toString('hex')}`;
const PROMPT = `PLANTED-PROMPT draw a tesseract, my key is ${SECRET}`;

let reg: TestRegistry;
let content: TestRegistry;
let agentToken: string;
let publisherToken: string;

// --- OTLP/JSON builders (ExportTraceServiceRequest / ExportMetricsServiceRequest) -------------
type Any = Record<string, unknown>;
const str = (v: string) => ({ stringValue: v });
const int = (v: number | string) => ({ intValue: v });
const dbl = (v: number) => ({ doubleValue: v });
const attrs = (o: Record<string, Any>) => Object.entries(o).map(([key, value]) => ({ key, value }));
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface SpanSpec {
  name: string;
  at: number;
  ms: number;
  a?: Record<string, Any>;
  error?: boolean;
  /** Times as JSON numbers instead of strings. */
  numeric?: boolean;
}
const span = ({ name, at, ms, a = {}, error, numeric }: SpanSpec): Any => ({
  traceId: hex(16),
  spanId: hex(8),
  name,
  kind: 1,
  startTimeUnixNano: numeric ? Number(ns(at)) : ns(at),
  endTimeUnixNano: numeric ? Number(ns(at + ms)) : ns(at + ms),
  attributes: attrs(a),
  ...(error ? { status: { code: 2, message: 'failed' } } : {}),
});
const traces = (spans: Any[], service = 'vib3-test') => ({ resourceSpans: [{ resource: { attributes: attrs({ 'service.name': str(service) }) }, scopeSpans: [{ scope: { name: 'vib3' }, spans }] }] });
const metrics = (list: Any[]) => ({ resourceMetrics: [{ resource: { attributes: attrs({ 'service.name': str('vib3-page') }) }, scopeMetrics: [{ scope: { name: 'vib3' }, metrics: list }] }] });
const BOUNDS = [4, 8, 16, 33, 50];
const hPoint = (at: number, counts: number[], a: Record<string, Any>, start = at - 60_000) => ({ attributes: attrs(a), startTimeUnixNano: ns(start), timeUnixNano: ns(at), count: String(counts.reduce((x, y) => x + y, 0)), sum: 1234.5, bucketCounts: counts.map(String), explicitBounds: BOUNDS });
const frameTime = (temporality: number, points: Any[]) => ({ name: 'vib3.render.frame_time', unit: 'ms', histogram: { aggregationTemporality: temporality, dataPoints: points } });
const crashes = (temporality: number, points: Any[]) => ({ name: 'vib3.extension.crashes', unit: '{crash}', sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: points } });
const nPoint = (at: number, value: Any, a: Record<string, Any>, start = T - 3 * HOUR) => ({ attributes: attrs(a), startTimeUnixNano: ns(start), timeUnixNano: ns(at), ...value });

async function post(path: string, body: unknown, token: string | undefined = agentToken, headers: Record<string, string> = {}, base = reg.url) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const summary = (since: number, until: number, token = reg.adminToken, base = reg.url) => api(base, `/v1/telemetry/summary?since=${new Date(since).toISOString()}&until=${new Date(until).toISOString()}`, { token });
const count = async (table: string, r = reg) => Number((await r.context.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);

/** percentile_cont: linear interpolation between the closest ranks (PostgreSQL's definition). */
function percentileCont(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)) * 1000) / 1000;
}

// --- What the main export holds -------------------------------------------------------------
const base = T - HOUR;
const SET_PARAMS = [12, 30, 7, 50, 21];
const SNAPSHOT = [100, 300];
const MCP_CALL = [5, 15, 25];
const INSTALLS = [800, 1200, 2000];
const INSTALL_OPS = ['install', 'update', 'install'];
const SESSIONS = [1500, 2500];
const tool = (name: string) => ({ 'gen_ai.operation.name': str('execute_tool'), 'gen_ai.tool.name': str(name), 'gen_ai.tool.call.arguments': str(`{"prompt":"${PROMPT}"}`), 'gen_ai.tool.call.result': str(PROMPT) });
const chat = (provider: string, model: string, input: number | string, output: number, cost: number) => ({
  'gen_ai.operation.name': str('chat'),
  'gen_ai.provider.name': str(provider),
  'gen_ai.request.model': str(model),
  'gen_ai.usage.input_tokens': int(input),
  'gen_ai.usage.output_tokens': int(output),
  'vib3.cost.usd': dbl(cost),
  'gen_ai.response.finish_reasons': { arrayValue: { values: [str('tool-calls'), str('stop')] } },
  'gen_ai.input.messages': str(PROMPT),
  'gen_ai.output.messages': str(PROMPT),
  'vib3.router.reason': str(`retried after a 401 for ${SECRET}`),
});

function mainSpans(): Any[] {
  let t = base;
  const at = () => (t += 1000);
  return [
    ...SET_PARAMS.map((ms, k) => span({ name: 'execute_tool set_params', at: at(), ms, a: { ...tool('set_params'), ...(k === 1 ? { 'error.type': str('invalid_input'), 'vib3.error.code': str('INVALID_PARAMS') } : {}) }, error: k === 1, numeric: k === 0 })),
    ...SNAPSHOT.map((ms, k) => span({ name: 'execute_tool render_snapshot', at: at(), ms, a: { ...tool('render_snapshot'), ...(k === 1 ? { 'error.type': str('timeout') } : {}) }, error: k === 1 })),
    span({ name: 'chat gpt-4o-mini', at: at(), ms: 900, a: chat('openai', 'gpt-4o-mini', '1200', 50, 0.0012) }),
    span({ name: 'chat gpt-4o-mini', at: at(), ms: 700, a: chat('openai', 'gpt-4o-mini', 800, 70, 0.0008) }),
    span({ name: 'chat gpt-4o-mini', at: at(), ms: 600, a: chat('openai', 'gpt-4o-mini', '1000', 30, 0.001) }),
    span({ name: 'chat claude-sonnet', at: at(), ms: 400, a: { ...chat('anthropic', 'claude-sonnet', 500, 20, 0.0025), 'error.type': str('rate_limited'), 'vib3.error.code': str('LLM_RATE_LIMITED') }, error: true }),
    ...SESSIONS.map((ms) => span({ name: 'invoke_agent vib3-agent', at: at(), ms, a: { 'gen_ai.operation.name': str('invoke_agent'), 'gen_ai.agent.name': str('vib3-agent'), 'gen_ai.usage.input_tokens': int(9999), 'gen_ai.usage.output_tokens': int(999), 'vib3.cost.usd': dbl(1), 'gen_ai.input.messages': str(PROMPT) } })),
    ...MCP_CALL.map((ms, k) => span({ name: 'tools/call set_params', at: at(), ms, a: { 'mcp.method.name': str('tools/call'), 'gen_ai.tool.name': str('set_params'), 'gen_ai.operation.name': str('execute_tool'), 'network.transport': str('pipe'), ...(k === 2 ? { 'error.type': str('invalid_input') } : {}) }, error: k === 2 })),
    span({ name: 'tools/list', at: at(), ms: 2, a: { 'mcp.method.name': str('tools/list') } }),
    ...INSTALLS.map((ms, k) => span({ name: 'vib3.marketplace.install', at: at(), ms, a: { 'vib3.install.operation': str(INSTALL_OPS[k]!), 'vib3.extension.id': str('dev.vib3.duoprism'), 'vib3.channel': str('stable'), ...(k === 2 ? { 'error.type': str('integrity'), 'vib3.install.phase': str('verify') } : {}) }, error: k === 2 })),
    // An uninstall: in byOperation, not in the installs' count.
    span({ name: 'vib3.marketplace.install', at: at(), ms: 50, a: { 'vib3.install.operation': str('uninstall'), 'vib3.extension.id': str('dev.vib3.duoprism') } }),
    span({ name: 'vib3.render.scale', at: at(), ms: 0, a: { 'vib3.render.scale': dbl(0.75), 'vib3.render.backend': str('webgl2') } }),
    span({ name: 'vib3.render.scale', at: at(), ms: 0, a: { 'vib3.render.scale': dbl(0.5) } }),
    span({ name: 'GET /health', at: at(), ms: 3, error: true }),
    // Rejected (partial success): its end before its start.
    { ...span({ name: 'execute_tool set_params', at: at(), ms: 5, a: tool('set_params') }), endTimeUnixNano: ns(base) },
  ];
}

// Frame-time histograms (delta): 100 frames at scale 1 and 50 at 0.75, merged below.
const FRAMES_A = [10, 60, 20, 8, 2, 0];
const FRAMES_B = [0, 10, 25, 10, 3, 2];
function mainMetrics() {
  return metrics([
    frameTime(1, [hPoint(T - 50 * 60_000, FRAMES_A, { 'vib3.render.backend': str('webgl2'), 'vib3.render.scale': dbl(1) }), hPoint(T - 50 * 60_000, FRAMES_B, { 'vib3.render.backend': str('webgl2'), 'vib3.render.scale': dbl(0.75) })]),
    crashes(1, [nPoint(T - 40 * 60_000, { asInt: '2' }, { 'vib3.extension.id': str('com.acme.a'), 'error.type': str('extension_fault') }), nPoint(T - 40 * 60_000, { asInt: 1 }, { 'vib3.extension.id': str('com.acme.b') })]),
    // A cumulative crash counter exported twice: it added 5 in the window, 2 of them in its last 30 minutes.
    crashes(2, [nPoint(T - 50 * 60_000, { asInt: '3' }, { 'vib3.extension.id': str('com.acme.c') }), nPoint(T - 20 * 60_000, { asInt: '5' }, { 'vib3.extension.id': str('com.acme.c') })]),
    { name: 'vib3.render.first_frame', unit: 'ms', gauge: { dataPoints: [nPoint(T - 30 * 60_000, { asDouble: 120.5 }, {})] } },
    // Rejected: 3 bucket counts for 5 bounds.
    frameTime(1, [{ ...hPoint(T - 30 * 60_000, [1, 2, 3], {}), explicitBounds: BOUNDS }]),
  ]);
}

before(async () => {
  reg = await startTestRegistry({ now: () => new Date(clock), settings: { telemetry: { retentionIntervalMs: 50, maxBodyBytes: 1024 * 1024 } } });
  content = await startTestRegistry({ now: () => new Date(clock), settings: { telemetry: { storeContent: true, requestsPerMinute: 5, agentRequestsPerMinute: 3 } } });
  const issued = await api(reg.url, '/v1/agent/tokens', { method: 'POST', token: reg.adminToken, json: { user: 'page-1', expiresInSeconds: 31_536_000 } });
  assert.equal(issued.status, 201);
  agentToken = issued.body.token;
  publisherToken = (await createPublisher(reg, 'acme')).token;
});

after(async () => {
  await reg?.close();
  await content?.close();
});

test('OTLP/JSON traces and metrics → the summary answers the exact aggregates', async () => {
  const t = await post('/v1/traces', traces(mainSpans()));
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.match(t.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(t.body.partialSuccess.rejectedSpans, 1);
  assert.match(t.body.partialSuccess.errorMessage, /spans\/\d+: endTimeUnixNano is missing or before startTimeUnixNano/);
  const m = await post('/v1/metrics', mainMetrics());
  assert.equal(m.status, 200, JSON.stringify(m.body));
  assert.equal(m.body.partialSuccess.rejectedDataPoints, 1);
  assert.match(m.body.partialSuccess.errorMessage, /bucketCounts must have one more entry than explicitBounds/);
  assert.equal(await count('telemetry_spans'), mainSpans().length - 1);
  assert.equal(await count('telemetry_points'), 7);

  const res = await summary(T - 2 * HOUR, T);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const s = res.body;
  assert.equal(s.since, new Date(T - 2 * HOUR).toISOString());
  assert.equal(s.until, new Date(T).toISOString());
  // Tools: execute_tool spans only (the MCP tools/call spans are MCP requests).
  assert.deepEqual(s.tools, [
    { tool: 'set_params', calls: 5, errors: 1, errorRate: 0.2, p50Ms: percentileCont(SET_PARAMS, 0.5), p95Ms: percentileCont(SET_PARAMS, 0.95) },
    { tool: 'render_snapshot', calls: 2, errors: 1, errorRate: 0.5, p50Ms: percentileCont(SNAPSHOT, 0.5), p95Ms: percentileCont(SNAPSHOT, 0.95) },
  ]);
  assert.equal(s.tools[0].p50Ms, 21);
  assert.equal(s.tools[0].p95Ms, 46);
  assert.deepEqual(
    s.errorClasses.map((e: Any) => [e.errorType, e.count]),
    [['invalid_input', 2], ['_OTHER', 1], ['integrity', 1], ['rate_limited', 1], ['timeout', 1]],
  );
  const actions = Object.fromEntries(s.errorClasses.map((e: Any) => [e.errorType, e.action]));
  assert.equal(actions.invalid_input, ERROR_CLASSES.invalid_input.action);
  assert.equal(actions.timeout, ERROR_CLASSES.timeout.action);
  assert.equal(actions._OTHER, undefined);
  // Models: chat steps only (the invoke_agent sessions' totals are not counted again).
  assert.deepEqual(s.models, [
    { provider: 'openai', model: 'gpt-4o-mini', steps: 3, inputTokens: 3000, outputTokens: 150, costUsd: 0.003 },
    { provider: 'anthropic', model: 'claude-sonnet', steps: 1, inputTokens: 500, outputTokens: 20, costUsd: 0.0025 },
  ]);
  assert.deepEqual(s.mcp, [
    { method: 'tools/call', calls: 3, errorRate: 0.3333, p50Ms: percentileCont(MCP_CALL, 0.5), p95Ms: percentileCont(MCP_CALL, 0.95) },
    { method: 'tools/list', calls: 1, errorRate: 0, p50Ms: 2, p95Ms: 2 },
  ]);
  assert.deepEqual(s.installs, {
    count: 3,
    failures: 1,
    p50Ms: percentileCont(INSTALLS, 0.5),
    p95Ms: percentileCont(INSTALLS, 0.95),
    byOperation: [
      { operation: 'install', count: 2, failures: 1, p50Ms: percentileCont([800, 2000], 0.5), p95Ms: percentileCont([800, 2000], 0.95) },
      { operation: 'uninstall', count: 1, failures: 0, p50Ms: 50, p95Ms: 50 },
      { operation: 'update', count: 1, failures: 0, p50Ms: 1200, p95Ms: 1200 },
    ],
  });
  assert.equal(s.truncated, undefined);
  assert.deepEqual(s.sessions, { count: 2, p50Ms: percentileCont(SESSIONS, 0.5), p95Ms: percentileCont(SESSIONS, 0.95) });

  // Frame time: buckets summed per bound, percentiles interpolated inside the bucket (by hand:
  // merged 10, 70, 45, 18, 5, 2 of 150; p50 rank 75 → 4 + 4·65/70; p95 rank 142.5 → 16 + 17·17.5/18).
  const merged = FRAMES_A.map((c, k) => c + FRAMES_B[k]!);
  assert.deepEqual(s.frameTime.buckets, [...BOUNDS, null].map((le, k) => ({ le, count: merged[k] })));
  assert.equal(s.frameTime.count, 150);
  assert.equal(s.frameTime.p50Ms, Math.round((4 + (4 * 65) / 70) * 1000) / 1000);
  assert.equal(s.frameTime.p95Ms, Math.round((16 + (17 * 17.5) / 18) * 1000) / 1000);
  assert.deepEqual(s.renderScale, [{ scale: 0.5, count: 1 }, { scale: 0.75, count: 51 }, { scale: 1, count: 100 }]);
  assert.deepEqual(s.extensionCrashes, [{ extension: 'com.acme.c', count: 5 }, { extension: 'com.acme.a', count: 2 }, { extension: 'com.acme.b', count: 1 }]);

  // A narrower window: the cumulative series counts only what it added inside it.
  const late = (await summary(T - 30 * 60_000, T)).body;
  assert.deepEqual(late.extensionCrashes, [{ extension: 'com.acme.c', count: 2 }]);
  assert.equal(late.tools.length, 0);
  assert.equal(late.frameTime.count, 0);
  assert.equal(late.frameTime.p50Ms, null);

  // Denormalised columns and the rest of the attributes, as stored.
  const { rows } = await reg.context.db.query<Any>("SELECT service, scope, model, provider, input_tokens, attributes FROM telemetry_spans WHERE model = 'gpt-4o-mini' ORDER BY start_time LIMIT 1");
  assert.equal(rows[0]!.service, 'vib3-test');
  assert.equal(rows[0]!.scope, 'vib3');
  assert.equal(Number(rows[0]!.input_tokens), 1200);
  assert.deepEqual((rows[0]!.attributes as Any)['gen_ai.response.finish_reasons'], ['tool-calls', 'stop']);
});

test('the real OpenTelemetry JS exporter (OTLP/HTTP JSON) reaches the receiver and is counted', async () => {
  const exporter = new OTLPTraceExporter({ url: `${reg.url}/v1/traces`, headers: { Authorization: `Bearer ${agentToken}` } });
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'otel-js' }), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const before = await count('telemetry_spans');
  const started = Date.now();
  const s = provider.getTracer('vib3-test').startSpan('execute_tool set_params', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'set_params', 'vib3.tool.caller': 'agent', 'gen_ai.usage.input_tokens': 7, 'gen_ai.tool.call.arguments': PROMPT } });
  s.end();
  await provider.forceFlush();
  await provider.shutdown();
  assert.equal(await count('telemetry_spans'), before + 1);
  const { rows } = await reg.context.db.query<Any>("SELECT service, tool, operation, attributes FROM telemetry_spans WHERE service = 'otel-js'");
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.tool, 'set_params');
  assert.equal((rows[0]!.attributes as Any)['vib3.tool.caller'], 'agent');
  assert.equal(JSON.stringify(rows).includes('PLANTED-PROMPT'), false);
  const res = await summary(T - 2 * HOUR, Math.max(Date.now(), started) + 60_000);
  assert.equal(res.body.tools.find((x: Any) => x.tool === 'set_params').calls, 6);
});

test('protobuf → 415; malformed JSON or shapes → 400 INVALID_OTLP naming the path, nothing stored; body cap; gzip', async () => {
  const spans = await count('telemetry_spans');
  const points = await count('telemetry_points');
  const proto = await post('/v1/traces', new Uint8Array([0x0a, 0x00]), agentToken, { 'content-type': 'application/x-protobuf' });
  assert.equal(proto.status, 415);
  assert.equal(proto.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.match(proto.body.error.suggestion, /OTEL_EXPORTER_OTLP_PROTOCOL=http\/json/);

  const broken = await post('/v1/traces', '{"resourceSpans": [', agentToken);
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'INVALID_OTLP');

  // A valid span first, then an intValue that is not an integer: nothing of the request is stored.
  const bad = traces([span({ name: 'execute_tool set_params', at: base, ms: 5 }), span({ name: 'execute_tool x', at: base, ms: 5, a: { 'gen_ai.usage.input_tokens': int('twelve') } })]);
  const shape = await post('/v1/traces', bad);
  assert.equal(shape.status, 400);
  assert.equal(shape.body.error.code, 'INVALID_OTLP');
  assert.equal(shape.body.error.path, '/resourceSpans/0/scopeSpans/0/spans/1/attributes/0/value/intValue');
  assert.match(shape.body.error.message, /spans\/1\/attributes\/0\/value\/intValue/);
  const b64 = await post('/v1/traces', traces([{ ...span({ name: 'x', at: base, ms: 1 }), traceId: Buffer.from(hex(16), 'hex').toString('base64') }]));
  assert.equal(b64.status, 400);
  assert.match(b64.body.error.message, /traceId: must be 32 hex digits/);
  const metricShape = await post('/v1/metrics', metrics([frameTime(1, [{ ...hPoint(T - 60_000, FRAMES_A, {}), bucketCounts: 'many' }])]));
  assert.equal(metricShape.status, 400);
  assert.equal(metricShape.body.error.path, '/resourceMetrics/0/scopeMetrics/0/metrics/0/histogram/dataPoints/0/bucketCounts');
  assert.equal((await post('/v1/traces', [1, 2])).status, 400);
  assert.equal(await count('telemetry_spans'), spans);
  assert.equal(await count('telemetry_points'), points);

  const big = await post('/v1/traces', JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(1024 * 1024) }));
  assert.equal(big.status, 413);
  const bomb = await post('/v1/traces', gzipSync(JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(2 * 1024 * 1024) })), agentToken, { 'content-encoding': 'gzip' });
  assert.equal(bomb.status, 413);
  const zipped = await post('/v1/traces', gzipSync(JSON.stringify(traces([span({ name: 'vib3.marketplace.install', at: T - 3 * HOUR, ms: 10 })]))), agentToken, { 'content-encoding': 'gzip' });
  assert.equal(zipped.status, 200, JSON.stringify(zipped.body));
  assert.deepEqual(zipped.body, {});
  assert.equal(await count('telemetry_spans'), spans + 1);
  // Enum values a newer protocol may add are read as unspecified, not refused.
  const odd = await post('/v1/traces', traces([{ ...span({ name: 'x', at: T - 3 * HOUR, ms: 1 }), kind: 4_000_000_000, status: { code: 9 } }]));
  assert.deepEqual(odd.body, {});
  const { rows } = await reg.context.db.query<{ kind: number; status: number }>("SELECT kind, status FROM telemetry_spans WHERE name = 'x'");
  assert.deepEqual(rows.map((r) => [Number(r.kind), Number(r.status)]), [[0, 0]]);
});

test('tokens: none 401, publisher 403, agent ingests but may not read the summary; CORS for pages', async () => {
  const none = await post('/v1/traces', traces([]), '');
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  const publisher = await post('/v1/metrics', metrics([]), publisherToken);
  assert.equal(publisher.status, 403);
  assert.equal(publisher.body.error.code, 'TELEMETRY_TOKEN_NOT_ALLOWED');
  assert.equal((await post('/v1/traces', traces([]), reg.adminToken)).status, 200);
  assert.deepEqual((await post('/v1/metrics', metrics([]), agentToken)).body, {});
  assert.equal((await summary(T - HOUR, T, agentToken)).status, 403);
  assert.equal((await summary(T - HOUR, T, publisherToken)).status, 403);
  assert.equal((await api(reg.url, '/v1/telemetry/summary')).status, 401);
  assert.equal((await api(reg.url, '/v1/telemetry/summary?since=yesterday', { token: reg.adminToken })).body.error.code, 'INVALID_QUERY');
  assert.equal((await summary(T, T - HOUR)).status, 400);

  const preflight = await fetch(`${reg.url}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
  assert.match((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /authorization/);
  const refused = await fetch(`${reg.url}/v1/traces`, { method: 'POST', headers: { origin: 'https://partner.example', 'content-type': 'application/json' }, body: '{}' });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('access-control-allow-origin'), '*');
  const dash = await fetch(`${reg.url}/v1/telemetry/summary`, { headers: { origin: 'https://ops.example', authorization: `Bearer ${reg.adminToken}` } });
  assert.equal(dash.status, 200);
  assert.equal(dash.headers.get('access-control-allow-origin'), '*');
});

test('content attributes are dropped on ingest unless telemetry.storeContent; key shapes are redacted either way', async () => {
  const stored = (await reg.context.db.query<{ t: string }>("SELECT attributes::text || events::text AS t FROM telemetry_spans")).rows.map((r) => r.t).join('\n');
  assert.equal(stored.includes('PLANTED-PROMPT'), false);
  assert.equal(stored.includes(SECRET), false);
  assert.match(stored, /retried after a 401 for \[redacted\]/);
  const { rows } = await reg.context.db.query<{ n: number }>("SELECT count(*)::int AS n FROM telemetry_spans WHERE attributes ? 'gen_ai.input.messages' OR attributes ? 'gen_ai.tool.call.arguments'");
  assert.equal(rows[0]!.n, 0);

  const issued = await api(content.url, '/v1/agent/tokens', { method: 'POST', token: content.adminToken, json: { user: 'page-2' } });
  const kept = await post('/v1/traces', traces(mainSpans().slice(7, 8)), issued.body.token, {}, content.url);
  assert.equal(kept.status, 200, JSON.stringify(kept.body));
  const row = (await content.context.db.query<{ attributes: Any }>('SELECT attributes FROM telemetry_spans')).rows[0]!;
  assert.equal(row.attributes['gen_ai.input.messages'], PROMPT.replace(SECRET, '[redacted]'));
  assert.equal(JSON.stringify(row).includes(SECRET), false);
});

test('exports are rate-limited per token principal', async () => {
  const token = async (user: string) => (await api(content.url, '/v1/agent/tokens', { method: 'POST', token: content.adminToken, json: { user } })).body.token as string;
  const [a, b] = [await token('busy'), await token('quiet')];
  for (let k = 0; k < 3; k++) assert.equal((await post('/v1/traces', traces([]), a, {}, content.url)).status, 200);
  const limited = await post('/v1/traces', traces([]), a, {}, content.url);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.equal((await post('/v1/metrics', metrics([]), b, {}, content.url)).status, 200);
  // The admin (a Collector) has its own, higher budget (telemetry.requestsPerMinute).
  for (let k = 0; k < 5; k++) assert.equal((await post('/v1/traces', traces([]), content.adminToken, {}, content.url)).status, 200);
  assert.equal((await post('/v1/traces', traces([]), content.adminToken, {}, content.url)).status, 429);
});

test('amplification: large resources are cut, rows are capped at 3× the body, spans and points per request are capped', async () => {
  const at = T - 12 * HOUR;
  const spans = await count('telemetry_spans');
  const bigResource = (n: number) => ({ 'service.name': str('big'), 'service.version': str('1.2.3'), ...Object.fromEntries(Array.from({ length: n }, (_, k) => [`pad.${k}`, str('r'.repeat(3000))])) });
  const withResource = (resource: Record<string, Any>, list: Any[]) => ({ resourceSpans: [{ resource: { attributes: attrs(resource) }, scopeSpans: [{ scope: { name: 'vib3' }, spans: list }] }] });
  const cut = await post('/v1/traces', withResource(bigResource(8), [span({ name: 'big one', at, ms: 1 }), span({ name: 'big two', at, ms: 1 })]), reg.adminToken);
  assert.deepEqual(cut.body, {});
  const { rows } = await reg.context.db.query<{ service: string; resource: Any }>("SELECT service, resource FROM telemetry_spans WHERE name LIKE 'big %'");
  assert.equal(rows.length, 2);
  for (const r of rows) assert.deepEqual(r.resource, { 'service.name': 'big', 'service.version': '1.2.3', _truncated: true });
  assert.equal(rows[0]!.service, 'big');

  // A resource under the cap repeated by many small spans: more than 3× the body → 413, nothing stored.
  const many = await post('/v1/traces', withResource(bigResource(4), Array.from({ length: 50 }, () => span({ name: 'amplified', at, ms: 1 }))), reg.adminToken);
  assert.equal(many.status, 413, JSON.stringify(many.body));
  assert.equal(many.body.error.code, 'PAYLOAD_TOO_LARGE');
  assert.ok(many.body.error.suggestion);
  assert.equal(await count("telemetry_spans WHERE name = 'amplified'"), 0);

  const tooManySpans = await post('/v1/traces', traces(Array.from({ length: 10_001 }, () => ({}))), reg.adminToken);
  assert.equal(tooManySpans.status, 413);
  assert.match(tooManySpans.body.error.message, /more than 10000 spans/);
  const tooManyPoints = await post('/v1/metrics', metrics([{ name: 'x', gauge: { dataPoints: Array.from({ length: 10_001 }, () => ({})) } }]), reg.adminToken);
  assert.equal(tooManyPoints.status, 413);
  assert.match(tooManyPoints.body.error.message, /more than 10000 data points/);
  assert.equal(await count('telemetry_spans'), spans + 2);
});

test('ingest redaction: span, event, status, scope and metric names are cleaned; content attributes dropped by prefix', async () => {
  const at = T - 12 * HOUR;
  const leak = span({ name: `execute_tool leak ${SECRET} ${'t'.repeat(600)}`, at, ms: 1, a: { 'gen_ai.prompt.0.content': str(PROMPT), 'gen_ai.completion.0.content': str(PROMPT), 'gen_ai.input.extra': str(PROMPT), 'gen_ai.output.extra': str(PROMPT), 'vib3.kept': str('yes') } });
  const body = traces([{ ...leak, status: { code: 2, message: `failed with ${SECRET}` }, events: [{ name: `event ${SECRET}`, timeUnixNano: ns(at) }] }]);
  body.resourceSpans[0]!.scopeSpans[0]!.scope = { name: `scope ${SECRET}` };
  assert.deepEqual((await post('/v1/traces', body)).body, {});
  const { rows } = await reg.context.db.query<Any>("SELECT name, tool, scope, attributes, events FROM telemetry_spans WHERE name LIKE 'execute_tool leak%'");
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(JSON.stringify(row).includes(SECRET), false);
  assert.equal(JSON.stringify(row).includes('PLANTED-PROMPT'), false);
  assert.ok((row.name as string).length <= 512);
  assert.match(row.name as string, /^execute_tool leak \[redacted\]/);
  assert.ok((row.tool as string).length < 512);
  assert.match(row.tool as string, /^leak \[redacted\]/);
  assert.equal(row.scope, 'scope [redacted]');
  assert.equal((row.attributes as Any)['otel.status_description'], 'failed with [redacted]');
  assert.equal((row.attributes as Any)['vib3.kept'], 'yes');
  assert.deepEqual(Object.keys(row.attributes as Any).filter((k) => /^gen_ai\.(prompt|completion|input|output)\./.test(k)), []);
  assert.equal((row.events as Any[])[0]!.name, 'event [redacted]');

  const m = await post('/v1/metrics', metrics([{ name: `vib3.leak ${SECRET}`, gauge: { dataPoints: [nPoint(at, { asDouble: 1 }, {})] } }]));
  assert.deepEqual(m.body, {});
  assert.equal(await count(`telemetry_points WHERE name = 'vib3.leak [redacted]'`), 1);
});

test('the summary reads at most maxPoints metric points per query and says when it was truncated', async () => {
  const full = await telemetrySummary(reg.context.db, new Date(T - 2 * HOUR), new Date(T));
  assert.equal(full.truncated, undefined);
  assert.equal(full.frameTime.count, 150);
  const cut = await telemetrySummary(reg.context.db, new Date(T - 2 * HOUR), new Date(T), { maxPoints: 1 });
  assert.equal(cut.truncated, true);
  assert.ok(cut.frameTime.count < 150);
});

test('histogram merging and interpolated percentiles', () => {
  const merged = mergeBuckets([{ bucketCounts: [1, 1, 0], explicitBounds: [10, 20] }, { bucketCounts: [0, 2, 4, 0], explicitBounds: [5, 10, 20] }]);
  assert.deepEqual(merged, [{ le: 5, count: 0 }, { le: 10, count: 3 }, { le: 20, count: 5 }, { le: Infinity, count: 0 }]);
  const one = [{ le: 10, count: 4 }, { le: 20, count: 4 }, { le: Infinity, count: 2 }];
  assert.equal(bucketPercentile(one, 0.5), 12.5); // rank 5: 10 + 10·1/4
  assert.equal(bucketPercentile(one, 0.2), 5); // rank 2: 0 + 10·2/4
  assert.equal(bucketPercentile(one, 0.95), 20); // the overflow bucket: the highest finite bound
  assert.equal(bucketPercentile(one, 0), 0);
  assert.equal(bucketPercentile([{ le: 10, count: 0 }], 0.5), null);
  assert.deepEqual(histogramIncrease({ bucketCounts: [5, 7], explicitBounds: [1] }, { bucketCounts: [2, 3], explicitBounds: [1] }), { bucketCounts: [3, 4], explicitBounds: [1] });
  assert.deepEqual(histogramIncrease({ bucketCounts: [1, 1], explicitBounds: [1] }, { bucketCounts: [2, 3], explicitBounds: [1] }), { bucketCounts: [1, 1], explicitBounds: [1] });
});

test('cumulative frame-time series count what they added inside the window', async () => {
  const series = (at: number, counts: number[]) => hPoint(at, counts, { 'vib3.render.scale': dbl(0.5) }, T - 6 * HOUR);
  const res = await post('/v1/metrics', metrics([frameTime(2, [series(T - 5 * HOUR, [0, 5, 5, 0, 0, 0]), series(T - 4 * HOUR, [0, 10, 12, 3, 0, 0])])]));
  assert.deepEqual(res.body, {});
  const all = (await summary(T - 6 * HOUR, T - 3 * HOUR)).body;
  assert.equal(all.frameTime.count, 25);
  assert.deepEqual(all.renderScale, [{ scale: 0.5, count: 25 }]);
  const later = (await summary(T - 4.5 * HOUR, T - 3 * HOUR)).body;
  assert.deepEqual(later.frameTime.buckets.map((b: Any) => b.count), [0, 5, 7, 3, 0, 0]);
  assert.equal(later.frameTime.p50Ms, Math.round((8 + (8 * 2.5) / 7) * 1000) / 1000); // rank 7.5 of 15: inside (8, 16]
});

test('retention: rows older than telemetry.retentionHours go on the timer (the registry clock)', async () => {
  const old = T - 200 * HOUR;
  const recent = await count('telemetry_spans');
  // Stored whole (`{}`: nothing rejected), then swept by the timer.
  assert.deepEqual((await post('/v1/traces', traces([span({ name: 'execute_tool old', at: old, ms: 5 })]))).body, {});
  assert.deepEqual((await post('/v1/metrics', metrics([crashes(1, [nPoint(old, { asInt: 1 }, {}, old - 1000)])]))).body, {});
  const until = async (check: () => Promise<boolean>) => {
    for (let k = 0; k < 200 && !(await check()); k++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(await check());
  };
  await until(async () => (await count('telemetry_spans')) === recent && (await count("telemetry_points WHERE name = 'vib3.extension.crashes' AND time < now() - interval '100 hours'")) === 0);
  assert.ok(recent > 0);
  clock += 169 * HOUR;
  await until(async () => (await count('telemetry_spans')) === 0 && (await count('telemetry_points')) === 0);
});
