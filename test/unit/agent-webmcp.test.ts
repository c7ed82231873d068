// exposeTools against a stand-in modelContext that behaves as Chromium 156's does (registerTool
// returns a promise, rejects duplicate names, removes a tool when its signal aborts), plus the
// older shapes (unregisterTool(name), a returned { unregister() }). The real browser API is
// exercised in test/e2e/webmcp.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import type { AgentTool, ToolProvider } from '../../src/agent/registry/types.js';
import { exposeTools, webmcpAnnotations, type ModelContextLike, type ModelContextTool } from '../../src/agent/webmcp.js';

/** Chromium-like: tools keyed by name, removed on abort; `taken` names are refused as duplicates. */
function fakeModelContext(taken: string[] = []) {
  const tools = new Map<string, ModelContextTool>();
  for (const n of taken) tools.set(n, { name: n, description: 'another script', execute: async () => undefined });
  const mc: ModelContextLike = {
    async registerTool(tool, options) {
      if (options?.signal?.aborted) throw new DOMException('signal is aborted without reason', 'AbortError');
      if (tools.has(tool.name)) throw new DOMException('Duplicate tool name', 'InvalidStateError');
      if (!tool.description) throw new DOMException('Description is required', 'InvalidStateError');
      tools.set(tool.name, tool);
      options?.signal?.addEventListener('abort', () => tools.delete(tool.name), { once: true });
    },
  };
  return { mc, tools };
}

const tool = (name: string, extra: Partial<AgentTool> = {}): AgentTool => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 0, maximum: 10 } }, additionalProperties: false },
  policy: { requires: [], approval: 'never' },
  source: 'kit',
  ...extra,
});

function provider(id: string, list: AgentTool[]): ToolProvider & { calls: string[] } {
  const calls: string[] = [];
  return { id, calls, tools: () => list, call: async (name, input, ctx) => (calls.push(`${name} ${ctx.caller} ${JSON.stringify(input)}`), { content: [{ type: 'text', text: 'ok' }] }) };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

test('without a modelContext it resolves WEBMCP_UNAVAILABLE (no throw); with an aborted signal, ABORTED', async () => {
  const registry = new ToolRegistry();
  const none = await exposeTools({ registry, modelContext: null });
  assert.equal(none.exposed, false);
  assert.equal(!none.exposed && none.reason, 'WEBMCP_UNAVAILABLE');
  // Node has no document: the default lookup finds nothing either.
  assert.equal((await exposeTools({ registry })).exposed, false);
  const { mc, tools } = fakeModelContext();
  const aborted = await exposeTools({ registry, modelContext: mc, signal: AbortSignal.abort() });
  assert.equal(!aborted.exposed && aborted.reason, 'ABORTED');
  assert.equal(tools.size, 0);
});

test('registers every tool, calls go through registry.call as "webmcp" (validated), abort removes all', async () => {
  const p = provider('kit', [tool('a'), tool('b', { title: 'Bee', annotations: { readOnlyHint: true } })]);
  const registry = new ToolRegistry();
  registry.add(p);
  const { mc, tools } = fakeModelContext();
  const controller = new AbortController();
  const result = await exposeTools({ registry, modelContext: mc, signal: controller.signal });
  assert.deepEqual(result, { exposed: true, tools: ['a', 'b'], failed: [] });
  assert.equal(tools.get('b')?.title, 'Bee');
  assert.deepEqual(tools.get('b')?.annotations, { readOnlyHint: true, untrustedContentHint: false, consequentialHint: false });
  assert.deepEqual(tools.get('a')?.inputSchema, tool('a').inputSchema);
  const ok = (await tools.get('a')!.execute({ n: 3 }, {})) as { isError?: boolean };
  assert.notEqual(ok.isError, true);
  // A JSON string (earlier drafts) is read as the object.
  await tools.get('a')!.execute('{"n":4}');
  const bad = (await tools.get('a')!.execute({ n: 99 })) as { isError?: boolean; structuredContent?: { error?: { code?: string } } };
  assert.equal(bad.isError, true);
  assert.equal(bad.structuredContent?.error?.code, 'INVALID_TOOL_INPUT');
  assert.deepEqual(p.calls, ['a webmcp {"n":3}', 'a webmcp {"n":4}']);
  controller.abort();
  assert.equal(tools.size, 0);
});

test('follows registry changes: new tools register, removed ones unregister, changed ones re-register; refusals are reported', async () => {
  const registry = new ToolRegistry();
  registry.add(provider('kit', [tool('a')]));
  const { mc, tools } = fakeModelContext(['taken']);
  const syncs: string[][] = [];
  const controller = new AbortController();
  await exposeTools({ registry, modelContext: mc, signal: controller.signal, onSync: (s) => syncs.push(s.tools) });
  const extra = provider('extra', [tool('x', { source: 'dev.x' }), tool('taken', { source: 'dev.x' })]);
  const remove = registry.add(extra);
  await settle();
  assert.deepEqual([...tools.keys()].sort(), ['a', 'taken', 'x']);
  assert.deepEqual(syncs.at(-1), ['a', 'x']);
  remove();
  await settle();
  assert.deepEqual([...tools.keys()].sort(), ['a', 'taken']);
  // A provider whose tool changes (onChange): the new definition replaces the old one.
  let description = 'First.';
  const listeners = new Set<() => void>();
  registry.add({ id: 'live', tools: () => [tool('live', { description })], call: async () => ({ content: [] }), onChange: (l) => (listeners.add(l), () => listeners.delete(l)) });
  await settle();
  assert.equal(tools.get('live')?.description, 'First.');
  description = 'Second.';
  for (const l of listeners) l();
  await settle();
  assert.equal(tools.get('live')?.description, 'Second.');
  controller.abort();
  assert.deepEqual([...tools.keys()], ['taken'], "another script's tool is left alone");
  registry.add(provider('late', [tool('late')]));
  await settle();
  assert.equal(tools.has('late'), false, 'nothing registers after the abort');
});

test('reports tools the browser refuses, and uses unregisterTool / a returned handle of older drafts', async () => {
  const registry = new ToolRegistry();
  registry.add(provider('kit', [tool('a'), tool('dup')]));
  const { mc } = fakeModelContext(['dup']);
  const result = await exposeTools({ registry, modelContext: mc });
  assert.equal(result.exposed, true);
  assert.deepEqual(result.exposed && result.tools, ['a']);
  assert.deepEqual(result.exposed && result.failed, [{ name: 'dup', code: 'WEBMCP_REGISTER_FAILED', message: 'InvalidStateError: Duplicate tool name' }]);

  const removed: string[] = [];
  const older: ModelContextLike = { registerTool: (t) => (t.name === 'a' ? { unregister: () => removed.push('handle a') } : undefined), unregisterTool: (name) => removed.push(`unregisterTool ${name}`) };
  const controller = new AbortController();
  const registry2 = new ToolRegistry();
  registry2.add(provider('kit', [tool('a'), tool('b')]));
  await exposeTools({ registry: registry2, modelContext: older, signal: controller.signal });
  controller.abort();
  assert.deepEqual(removed.sort(), ['handle a', 'unregisterTool b']);
});

test('annotations are hints mapped from the policy: "read-only" only when the page never asks', () => {
  assert.deepEqual(webmcpAnnotations(tool('r', { annotations: { readOnlyHint: true } })), { readOnlyHint: true, untrustedContentHint: false, consequentialHint: false });
  assert.equal(webmcpAnnotations(tool('r', { annotations: { readOnlyHint: true }, policy: { requires: [], approval: 'destructive' } })).readOnlyHint, false);
  assert.equal(webmcpAnnotations(tool('d', { annotations: { destructiveHint: true }, policy: { requires: [], approval: 'destructive' } })).consequentialHint, true);
  assert.equal(webmcpAnnotations(tool('s', { policy: { requires: [], approval: 'always' } })).consequentialHint, true);
  assert.equal(webmcpAnnotations(tool('e', { source: 'dev.ext' })).untrustedContentHint, true);
});
