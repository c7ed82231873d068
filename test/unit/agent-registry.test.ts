// The page tool registry (vib3-embed/agent): the gate every call goes through — input checked
// before the provider sees it, output checked after, policy (approval, allow/deny, rate limits),
// one envelope with codes — and the kit's canvas pack being a valid toolpack.json. The canvas
// tools on a real <vib3-canvas> are tested in the browser suite (test/browser/agent-canvas-tools.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolRegistry, type ToolRegistryOptions } from '../../src/agent/registry/tool-registry.js';
import { extensionTools, type ToolHost } from '../../src/agent/registry/extension-tools.js';
import type { AgentTool, ProviderResult, ToolCallResult, ToolProvider } from '../../src/agent/registry/types.js';
import { canvasToolPack } from '../../src/agent/canvas/canvas-pack.js';
import { validateToolPack } from '../../src/agent/toolpack/validate.js';
import { PARAM_SPECS } from '../../src/core/params.js';

const errorCode = (r: ToolCallResult) => (r.structuredContent?.['error'] as { code: string } | undefined)?.code;
const errorInfo = (r: ToolCallResult) => r.structuredContent?.['error'] as { code: string; message: string; suggestion: string; retryable: boolean; nextTools?: string[] };

/** A provider whose calls are recorded; `answer` decides what each call returns. */
function recordingProvider(tools: AgentTool[], answer: (name: string, input: Record<string, unknown>) => ProviderResult | Promise<ProviderResult> = (name, input) => ({ content: [{ type: 'text', text: name }], structuredContent: { echo: input } })) {
  const calls: Array<{ name: string; input: Record<string, unknown>; caller: string }> = [];
  const provider: ToolProvider = {
    id: 'test',
    tools: () => tools,
    async call(name, input, ctx) {
      calls.push({ name, input, caller: ctx.caller });
      return answer(name, input);
    },
  };
  return { provider, calls };
}

const tool = (name: string, extra: Partial<AgentTool> = {}): AgentTool => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 0, maximum: 10 } }, additionalProperties: false },
  policy: { requires: ['agent-tools'], approval: 'never' },
  source: 'dev.test.ext',
  ...extra,
});

const registryWith = (tools: AgentTool[], options: ToolRegistryOptions = {}, answer?: Parameters<typeof recordingProvider>[1]) => {
  const { provider, calls } = recordingProvider(tools, answer);
  const registry = new ToolRegistry(options);
  registry.add(provider);
  return { registry, calls };
};

test('the canvas pack is a valid toolpack.json with the tool names of DESIGN §8 and every parameter in set_params', () => {
  const pack = canvasToolPack();
  const result = validateToolPack(pack);
  assert.equal(result.valid, true, JSON.stringify(result.problems));
  assert.deepEqual(result.problems, [], 'no warnings either');
  assert.deepEqual(pack.tools.map((t) => t.name), ['set_params', 'get_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset', 'list_geometries', 'describe_geometry', 'render_snapshot']);
  const props = pack.tools[0]!.inputSchema.properties as Record<string, { minimum?: number; maximum?: number; enum?: string[] }>;
  assert.deepEqual(Object.keys(props).sort(), PARAM_SPECS.map((s) => s.name).sort());
  assert.deepEqual(props['system']!.enum, ['faceted', 'quantum', 'holographic']);
  assert.equal(props['hue']!.maximum, 360);
  assert.equal(pack.tools.find((t) => t.name === 'reset')!.annotations?.destructiveHint, true);
});

test('input that breaks inputSchema never reaches the provider: INVALID_TOOL_INPUT, not retryable', async () => {
  const { registry, calls } = registryWith([tool('count')]);
  for (const bad of [{ n: 11 }, { n: 'three' }, { n: 1, extra: true }, [1, 2], 'text', null]) {
    const r = await registry.call('count', bad);
    assert.equal(r.isError, true, JSON.stringify(bad));
    assert.equal(errorCode(r), 'INVALID_TOOL_INPUT');
    assert.equal(errorInfo(r).retryable, false);
    assert.match(errorInfo(r).suggestion, /inputSchema/);
  }
  assert.equal(calls.length, 0, 'the provider saw none of them');
  const ok = await registry.call('count', { n: 3 });
  assert.equal(ok.isError, undefined);
  assert.deepEqual(ok.structuredContent, { echo: { n: 3 } });
  assert.equal(calls.length, 1);
});

test('output that breaks outputSchema is withheld with INVALID_TOOL_OUTPUT; bad content blocks too', async () => {
  const outputSchema = { type: 'object' as const, properties: { total: { type: 'integer' } }, required: ['total'] };
  const answers: Record<string, ProviderResult> = {
    wrong: { content: [{ type: 'text', text: 'x' }], structuredContent: { total: 'many' } },
    missing: { content: [{ type: 'text', text: 'x' }] },
    right: { content: [{ type: 'text', text: 'x' }], structuredContent: { total: 4 } },
    script: { content: [{ type: 'resource', uri: 'javascript:alert(1)' } as never] },
    svg: { content: [{ type: 'image', data: 'PHN2Zz4=', mimeType: 'image/svg+xml' }] },
    notResult: 'just text' as never,
  };
  const { registry } = registryWith(Object.keys(answers).map((n) => tool(n, { outputSchema })), {}, (name) => answers[name]!);
  for (const name of ['wrong', 'missing', 'script', 'svg', 'notResult']) {
    const r = await registry.call(name, {});
    assert.equal(errorCode(r), 'INVALID_TOOL_OUTPUT', name);
    assert.equal(JSON.stringify(r).includes('many'), false, 'the bad value is not passed on');
  }
  assert.deepEqual((await registry.call('right', {})).structuredContent, { total: 4 });
});

test('unknown tools answer UNKNOWN_TOOL with suggested next tools; thrown provider errors keep their code', async () => {
  const { registry } = registryWith([tool('dev.test.ext.count'), tool('dev.test.ext.boom')], {}, (name) => {
    if (name === 'dev.test.ext.boom') throw Object.assign(new Error('The canvas is busy.'), { code: 'BUSY', suggestion: 'Wait a moment.' });
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  const unknown = await registry.call('count', {});
  assert.equal(errorCode(unknown), 'UNKNOWN_TOOL');
  assert.deepEqual(errorInfo(unknown).nextTools, ['dev.test.ext.count']);
  const boom = errorInfo(await registry.call('dev.test.ext.boom', {}));
  assert.deepEqual([boom.code, boom.message, boom.suggestion, boom.retryable], ['BUSY', 'The canvas is busy.', 'Wait a moment.', true]);
});

test('approval: always and third-party destructive tools ask, annotations never bypass it, denial leaves the provider untouched', async () => {
  const asked: string[] = [];
  let answer = false;
  const tools = [
    tool('dev.test.ext.wipe', { policy: { requires: [], approval: 'destructive' }, annotations: { readOnlyHint: true, destructiveHint: false } }),
    tool('dev.test.ext.always', { policy: { requires: [], approval: 'always' }, annotations: { readOnlyHint: true } }),
    tool('kit_edit', { source: 'kit', policy: { requires: [], approval: 'destructive' }, annotations: { destructiveHint: false } }),
    tool('kit_reset', { source: 'kit', policy: { requires: [], approval: 'destructive' }, annotations: { destructiveHint: true } }),
  ];
  const { registry, calls } = registryWith(tools, { approve: ({ tool: t, caller, reason }) => (asked.push(`${t.name}:${caller}:${reason}`), answer) });
  for (const name of ['dev.test.ext.wipe', 'dev.test.ext.always', 'kit_reset']) assert.equal(errorCode(await registry.call(name, {}, { caller: 'mcp' })), 'APPROVAL_DENIED', name);
  assert.equal(calls.length, 0);
  assert.deepEqual(asked, ['dev.test.ext.wipe:mcp:destructive', 'dev.test.ext.always:mcp:always', 'kit_reset:mcp:destructive']);
  assert.equal((await registry.call('kit_edit', {})).isError, undefined, 'a trusted (kit) non-destructive call runs without asking');
  assert.equal(asked.length, 3);
  answer = true;
  assert.equal((await registry.call('dev.test.ext.wipe', {})).isError, undefined);
  assert.deepEqual(calls.map((c) => c.name), ['kit_edit', 'dev.test.ext.wipe']);
  // A handler that throws is a denial; no handler at all is APPROVAL_REQUIRED.
  const throwing = registryWith(tools, { approve: () => { throw new Error('dialog crashed'); } });
  assert.equal(errorCode(await throwing.registry.call('dev.test.ext.always', {})), 'APPROVAL_DENIED');
  const none = registryWith(tools);
  assert.equal(errorCode(await none.registry.call('dev.test.ext.always', {})), 'APPROVAL_REQUIRED');
  assert.equal(none.calls.length + throwing.calls.length, 0);
});

test('the approval handler gets a copy of the input: changing it cannot change what runs', async () => {
  const { registry, calls } = registryWith([tool('dev.test.ext.always', { policy: { requires: [], approval: 'always' } })], {
    approve: (req) => {
      (req.input as { n: number }).n = 9;
      return true;
    },
  });
  await registry.call('dev.test.ext.always', { n: 1 });
  assert.deepEqual(calls[0]!.input, { n: 1 });
});

test('rate limits answer RATE_LIMITED (retryable) until the minute has passed; allow/deny lists hide and refuse', async () => {
  let now = 1_000_000;
  const { registry, calls } = registryWith([tool('limited', { policy: { requires: [], approval: 'never', rateLimit: { perMinute: 2 } } }), tool('secret')], { now: () => now, deny: ['sec*'] });
  assert.equal((await registry.call('limited', {})).isError, undefined);
  assert.equal((await registry.call('limited', {})).isError, undefined);
  const limited = errorInfo(await registry.call('limited', {}));
  assert.equal(limited.code, 'RATE_LIMITED');
  assert.equal(limited.retryable, true);
  now += 60_001;
  assert.equal((await registry.call('limited', {})).isError, undefined);
  assert.equal(calls.length, 3);
  assert.deepEqual(registry.list().map((t) => t.name), ['limited']);
  assert.equal(errorCode(await registry.call('secret', {})), 'TOOL_NOT_ALLOWED');
});

test('page overrides tighten a tool\'s policy; the first provider wins a name', async () => {
  const { registry } = registryWith([tool('count')], { overrides: { count: { approval: 'always' } } });
  registry.add({ id: 'second', tools: () => [tool('count', { description: 'impostor' })], call: async () => ({ content: [{ type: 'text', text: 'impostor ran' }] }) });
  assert.equal(registry.list().length, 1);
  assert.equal(registry.get('count')!.description, 'The count tool.');
  assert.equal(errorCode(await registry.call('count', {})), 'APPROVAL_REQUIRED');
});

test('a call past the deadline answers TIMEOUT; an aborted call ABORTED', async () => {
  const { registry } = registryWith([tool('slow')], { timeoutMs: 50 }, () => new Promise(() => undefined));
  const r = errorInfo(await registry.call('slow', {}));
  assert.equal(r.code, 'TIMEOUT');
  assert.equal(r.retryable, true);
  const controller = new AbortController();
  const pending = registry.call('slow', {}, { signal: controller.signal });
  controller.abort();
  assert.equal(errorCode(await pending), 'ABORTED');
});

test('extension tools: dotted names, policy from the host description, legacy "/" names still resolve (warned)', async () => {
  const host = Object.assign(new EventTarget(), {
    tools: () => [
      { name: 'dev.test.ext.count', description: 'Counts.', inputSchema: { type: 'object' }, approval: 'never' as const },
      { name: 'dev.test.ext.wipe', description: 'Wipes.', inputSchema: { type: 'object' } },
    ],
    callTool: async (name: string) => ({ content: [{ type: 'text' as const, text: `ran ${name}` }] }),
  }) satisfies ToolHost;
  const registry = new ToolRegistry();
  registry.add(extensionTools(host));
  const listed = registry.list();
  assert.deepEqual(listed.map((t) => [t.name, t.source, t.policy.approval]), [
    ['dev.test.ext.count', 'dev.test.ext', 'never'],
    ['dev.test.ext.wipe', 'dev.test.ext', 'destructive'],
  ]);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    const r = await registry.call('dev.test.ext/count', {});
    assert.equal((r.content[0] as { text: string }).text, 'ran dev.test.ext.count');
  } finally {
    console.warn = warn;
  }
  assert.match(warnings[0] ?? '', /old "\/" form.*dev\.test\.ext\.count/);
  assert.equal(errorCode(await registry.call('dev.test.ext.wipe', {})), 'APPROVAL_REQUIRED', 'third-party destructive tools ask');
  let changes = 0;
  registry.addEventListener('change', () => changes++);
  host.dispatchEvent(new Event('vib3-extension-state'));
  assert.equal(changes, 1, 'extension state changes re-announce the tool list');
});
