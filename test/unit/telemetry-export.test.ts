// Telemetry end to end in Node: with the standard OTEL_* variables set, an agent session (the
// router over the loopback LLM fake, a real ToolRegistry) and MCP requests export spans and
// metrics as OTLP/HTTP JSON to a loopback collector, with the taxonomy's names and attributes,
// error.type from the closed class list, parent/child links — and no key, token or prompt text
// unless content capture is on. Off by default.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { startNodeTelemetry } from '../../src/agent-server/telemetry-node.js';
import { telemetry, noopTelemetry } from '../../src/telemetry/sink.js';
import { ATTRIBUTES, SIGNALS } from '../../src/telemetry/taxonomy.js';
import { ERROR_CLASSES } from '../../src/telemetry/error-classes.js';
import { Router } from '../../src/agent/llm/router.js';
import { runAgentSession } from '../../src/agent/llm/session.js';
import { registryToolSource } from '../../src/agent/llm/registry-source.js';
import { createProviderModel } from '../../src/agent/llm/providers.js';
import { envSecrets } from '../../src/agent/llm/secrets.js';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import type { AgentTool } from '../../src/agent/registry/types.js';
import { createMcpServerFactory } from '../../src/agent-server/mcp-server.js';
import type { CanvasSession } from '../../src/agent-server/session.js';
import { startLlmFake, type LlmFake } from '../support/llm-fake/index.js';
import { startOtlpCollector, type OtlpCollector, type ReceivedSpan } from '../support/otlp-collector.js';

const KEY = 'sk-telemetry-test-key-0123456789abcdef';
const PROMPT = 'Make it holographic — my private prompt text 7f3a9';
const schema = { type: 'object', properties: { hue: { type: 'number' }, system: { type: 'string' } }, additionalProperties: false } as unknown as AgentTool['inputSchema'];

function canvasRegistry(): ToolRegistry {
  const state: Record<string, unknown> = { system: 'quantum', hue: 200 };
  const registry = new ToolRegistry({ approve: () => false });
  registry.add({
    id: 'kit',
    tools: () => [
      { name: 'set_params', description: 'Sets parameters.', inputSchema: schema, policy: { requires: [], approval: 'never' }, annotations: { readOnlyHint: false, destructiveHint: false }, source: 'kit' },
      { name: 'reset', description: 'Resets.', inputSchema: schema, policy: { requires: [], approval: 'destructive' }, annotations: { destructiveHint: true }, source: 'kit' },
    ],
    async call(name, input) {
      if (name === 'set_params') Object.assign(state, input);
      return { content: [{ type: 'text', text: JSON.stringify(state) }] };
    },
  });
  return registry;
}

async function agentSession(fake: LlmFake) {
  const router = new Router({ deployments: [{ id: 'main', provider: 'openai', model: 'gpt-test', baseURL: fake.baseURL, pricing: { input: 1, output: 2 } }], groups: { default: ['main'] } }, (d) => createProviderModel(d, { secrets: envSecrets({ OPENAI_API_KEY: KEY }) }));
  fake.script({ status: 429, retryAfter: 0 }, { toolCalls: [{ name: 'set_params', arguments: '{"system":"holographic","hue":280}' }, { name: 'reset', arguments: '{}' }], usage: { input: 500, output: 30 } }, { text: 'Done.', usage: { input: 700, output: 5 } });
  return runAgentSession({ model: router.model(), tools: registryToolSource(canvasRegistry()), prompt: PROMPT });
}

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe('telemetry export (OTLP/HTTP JSON)', () => {
  let collector: OtlpCollector;
  let fake: LlmFake;
  before(async () => {
    collector = await startOtlpCollector();
    fake = await startLlmFake({ apiKey: KEY });
  });
  after(async () => {
    await fake.close();
    await collector.close();
  });

  test('off by default: no endpoint, no SDK, the no-op sink', async () => {
    assert.equal(await startNodeTelemetry({}, 'vib3-test'), undefined);
    assert.equal(await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SDK_DISABLED: 'true' }, 'vib3-test'), undefined);
    assert.equal(telemetry(), noopTelemetry);
  });

  test('an agent session exports invoke_agent → chat / execute_tool spans, router events and GenAI metrics', async () => {
    collector.requests.length = 0;
    const tel = await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'vib3-unit', OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20collector-token-1234' }, 'vib3-test');
    assert.ok(tel);
    const out = await agentSession(fake);
    assert.equal(out.finishReason, 'stop', JSON.stringify(out.error));
    await tel.shutdown();
    assert.equal(telemetry(), noopTelemetry, 'shutdown turns the sink off');
    assert.ok(collector.requests.every((r) => r.headers['authorization'] === 'Bearer collector-token-1234'), 'OTEL_EXPORTER_OTLP_HEADERS are sent');
    const spans = collector.spans();
    const [session] = byName(spans, 'invoke_agent vib3-agent');
    assert.ok(session, spans.map((s) => s.name).join());
    assert.equal(session.resource['service.name'], 'vib3-unit');
    assert.equal(session.attributes['gen_ai.operation.name'], 'invoke_agent');
    assert.equal(session.attributes['gen_ai.usage.input_tokens'], 1200);
    assert.equal(session.attributes['gen_ai.usage.output_tokens'], 35);
    assert.equal(session.attributes['vib3.session.finish_reason'], 'stop');
    assert.equal(session.attributes['vib3.session.tool_calls'], 2);
    const chats = byName(spans, 'chat gpt-test');
    assert.equal(chats.length, 2);
    for (const c of chats) {
      assert.equal(c.parentSpanId, session.spanId);
      assert.equal(c.traceId, session.traceId);
      assert.equal(c.attributes['gen_ai.provider.name'], 'openai');
      assert.equal(c.attributes['gen_ai.request.model'], 'gpt-test');
    }
    assert.equal(chats[0]!.attributes['gen_ai.usage.input_tokens'], 500);
    assert.deepEqual(chats[0]!.attributes['gen_ai.response.finish_reasons'], ['tool-calls']);
    // The 429 and its retry are events of the first chat span.
    const decisions = chats[0]!.events.filter((e) => e.name === 'vib3.router.decision').map((e) => `${e.attributes['vib3.router.decision']}:${e.attributes['vib3.router.reason'] ?? ''}`);
    assert.ok(decisions.includes('retry:LLM_RATE_LIMITED'), decisions.join());
    const [setParams] = byName(spans, 'execute_tool set_params');
    assert.ok(setParams);
    assert.equal(setParams.parentSpanId, session.spanId);
    assert.equal(setParams.attributes['gen_ai.tool.name'], 'set_params');
    assert.equal(setParams.attributes['vib3.tool.caller'], 'agent');
    assert.notEqual(setParams.status.code, 2);
    const [reset] = byName(spans, 'execute_tool reset');
    assert.equal(reset?.status.code, 2, 'a denied tool call is an error span');
    assert.equal(reset?.attributes['error.type'], 'approval_denied');
    assert.equal(reset?.attributes['vib3.error.code'], 'APPROVAL_DENIED');
    // Metrics: token usage by type, operation durations.
    const points = collector.points();
    const tokens = points.filter((p) => p.metric === 'gen_ai.client.token.usage');
    assert.equal(tokens.filter((p) => p.attributes['gen_ai.token.type'] === 'input').reduce((n, p) => n + (p.sum ?? 0), 0), 1200);
    assert.equal(tokens.filter((p) => p.attributes['gen_ai.token.type'] === 'output').reduce((n, p) => n + (p.sum ?? 0), 0), 35);
    assert.ok(points.some((p) => p.metric === 'gen_ai.client.operation.duration' && p.attributes['gen_ai.tool.name'] === 'set_params'));
    // Everything emitted is in the taxonomy; error.type values are classes.
    const known = new Set(Object.keys(ATTRIBUTES));
    for (const s of spans) for (const k of Object.keys(s.attributes)) assert.ok(known.has(k), `${s.name}: ${k} is not in the taxonomy`);
    for (const s of spans) if (s.attributes['error.type']) assert.ok(String(s.attributes['error.type']) in ERROR_CLASSES);
    const metricNames = new Set(SIGNALS.map((x) => x.name));
    for (const p of points) assert.ok(metricNames.has(p.metric), p.metric);
  });

  test('redaction: no key, token or prompt text leaves the process unless content capture is on; the key never does', async () => {
    collector.requests.length = 0;
    const tel = await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, 'vib3-test');
    await agentSession(fake);
    await tel!.shutdown();
    const plain = collector.requests.map((r) => r.body).join('\n');
    assert.ok(plain.length > 1000);
    for (const secret of [KEY, KEY.slice(-12), 'private prompt text', '"hue":280']) assert.ok(!plain.includes(secret), `exported: ${secret}`);

    collector.requests.length = 0;
    const captured = await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }, 'vib3-test');
    await agentSession(fake);
    await captured!.shutdown();
    const withContent = collector.requests.map((r) => r.body).join('\n');
    assert.ok(withContent.includes('private prompt text'), 'the prompt is captured when asked for');
    assert.ok(withContent.includes('\\"hue\\":280'), 'tool arguments are captured');
    assert.ok(!withContent.includes(KEY) && !withContent.includes(KEY.slice(-12)), 'the key still is not');
  });

  test('MCP requests: one span each, named by method and target, refused calls failed with their class', async () => {
    collector.requests.length = 0;
    const tel = await startNodeTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, 'vib3-mcp');
    const registry = canvasRegistry();
    const session: CanvasSession = { kind: 'headless', listTools: async () => registry.list(), callTool: (n, a, c) => registry.call(n, a, { caller: c ?? 'mcp' }), onToolsChanged: () => () => undefined, close: async () => undefined };
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const handle = serveStdio(createMcpServerFactory(session, { transport: 'pipe' }), { transport: serverSide });
    const client = new Client({ name: 'unit', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(clientSide);
    await client.listTools();
    await client.callTool({ name: 'set_params', arguments: { hue: 10 } });
    await client.callTool({ name: 'reset', arguments: {} });
    await client.readResource({ uri: 'vib3://docs/tools' }).catch(() => undefined);
    await client.close();
    await handle.close?.();
    await tel!.shutdown();
    const spans = collector.spans();
    assert.ok(byName(spans, 'tools/list').length >= 1);
    const [ok] = byName(spans, 'tools/call set_params');
    assert.equal(ok?.attributes['mcp.method.name'], 'tools/call');
    assert.equal(ok?.attributes['gen_ai.tool.name'], 'set_params');
    assert.equal(ok?.attributes['network.transport'], 'pipe');
    const [refused] = byName(spans, 'tools/call reset');
    assert.equal(refused?.attributes['error.type'], 'approval_denied');
    assert.ok(byName(spans, 'resources/read vib3://docs/tools').length === 1);
    assert.ok(collector.points().some((p) => p.metric === 'mcp.server.operation.duration' && p.attributes['mcp.method.name'] === 'tools/call'));
  });
});
