// The MCP server factory of `vib3 mcp` (src/agent-server/mcp-server.ts) without a browser: a real
// page ToolRegistry (fake tools) as the session, served by the SDK's own entries — serveStdio over
// an in-memory pipe and createMcpHandler's fetch face — to the SDK client on both eras: tools
// without policy fields, cache hints, the envelope passed through, unknown tools as JSON-RPC
// -32602, resources, tool-list change notifications, and the HTTP guard (Host, Origin, bearer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, InMemoryTransport, ProtocolError } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import type { AgentTool, ToolProvider } from '../../src/agent/registry/types.js';
import { createMcpServerFactory } from '../../src/agent-server/mcp-server.js';
import { startMcpHttp } from '../../src/agent-server/http.js';
import { parametersMarkdown } from '../../src/agent-server/resources.js';
import type { CanvasSession } from '../../src/agent-server/session.js';

const tool = (name: string, extra: Partial<AgentTool> = {}): AgentTool => ({
  name,
  description: `the ${name} tool`,
  inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, additionalProperties: false },
  outputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  annotations: { readOnlyHint: true },
  policy: { requires: ['rendering'], approval: 'never', rateLimit: { perMinute: 100 } },
  examples: [{ input: { n: 1 } }],
  source: 'kit',
  ...extra,
});

/** A session over a real registry; `get_params` answers like the canvas pack's. */
function fakeSession() {
  const registry = new ToolRegistry();
  const kit: ToolProvider = {
    id: 'kit',
    tools: () => [tool('echo'), tool('get_params', { outputSchema: { type: 'object', properties: { params: { type: 'object' } }, required: ['params'] } })],
    async call(name, input) {
      if (name === 'get_params') return { content: [{ type: 'text', text: '{}' }], structuredContent: { params: { system: 'quantum', hue: 200 } } };
      return { content: [{ type: 'text', text: String(input['n'] ?? 0) }], structuredContent: { n: (input['n'] as number | undefined) ?? 0 } };
    },
  };
  registry.add(kit);
  const session: CanvasSession = {
    kind: 'headless',
    listTools: async () => registry.list(),
    callTool: (name, args, caller) => registry.call(name, args, { caller: caller ?? 'mcp' }),
    scene: async () => ({ mesh: 'none', meshMode: 'projection', sliceW: 0, theme: '', backend: 'webgl2' }),
    onToolsChanged(listener) {
      registry.addEventListener('change', listener);
      return () => registry.removeEventListener('change', listener);
    },
    close: async () => undefined,
  };
  return { registry, session };
}

/** The factory served by serveStdio over an in-memory pipe, and a client on the other end. */
async function connected(mode: 'legacy' | { pin: string }, onToolsChanged?: () => void) {
  const { registry, session } = fakeSession();
  const factory = createMcpServerFactory(session);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio(factory, { transport: serverSide });
  const client = new Client(
    { name: 'unit', version: '1.0.0' },
    { versionNegotiation: { mode }, ...(onToolsChanged ? { listChanged: { tools: { debounceMs: 0, onChanged: () => onToolsChanged() } } } : {}) },
  );
  await client.connect(clientSide);
  return {
    registry,
    client,
    close: async () => {
      await client.close();
      await handle.close();
      factory.dispose();
    },
  };
}

for (const mode of ['legacy', { pin: '2026-07-28' }] as const) {
  const era = mode === 'legacy' ? 'legacy' : 'modern';
  test(`${era}: tools/list has MCP fields only; calls pass the envelope through; unknown tools are -32602`, async () => {
    const { client, close } = await connected(mode);
    try {
      assert.equal(client.getProtocolEra(), era);
      assert.equal(client.getServerVersion()?.name, 'vib3');
      const listed = await client.listTools();
      assert.deepEqual(listed.tools.map((t) => t.name), ['echo', 'get_params']);
      assert.deepEqual(Object.keys(listed.tools[0]!).sort(), ['annotations', 'description', 'inputSchema', 'name', 'outputSchema']);
      const ok = await client.callTool({ name: 'echo', arguments: { n: 3 } });
      assert.deepEqual(ok.structuredContent, { n: 3 });
      const bad = await client.callTool({ name: 'echo', arguments: { n: -1 } });
      assert.equal(bad.isError, true);
      assert.equal((bad.structuredContent as { error: { code: string } }).error.code, 'INVALID_TOOL_INPUT');
      await assert.rejects(client.callTool({ name: 'ech', arguments: {} }), (err: unknown) => err instanceof ProtocolError && err.code === -32602);
      const scene = await client.readResource({ uri: 'vib3://scene/current' });
      assert.deepEqual(JSON.parse((scene.contents[0] as { text: string }).text), { canvas: 'headless', params: { system: 'quantum', hue: 200 }, mesh: 'none', meshMode: 'projection', sliceW: 0, theme: '', backend: 'webgl2' });
    } finally {
      await close();
    }
  });

  test(`${era}: a change of the page's tool list reaches the client as notifications/tools/list_changed`, async () => {
    let changed!: () => void;
    const heard = new Promise<void>((resolve) => (changed = resolve));
    const { registry, client, close } = await connected(mode, () => changed());
    try {
      await client.listTools();
      registry.add({ id: 'ext', tools: () => [tool('dev.x.added', { source: 'dev.x' })], call: async () => ({ content: [] }) });
      await heard;
      assert.ok((await client.listTools()).tools.some((t) => t.name === 'dev.x.added'));
    } finally {
      await close();
    }
  });
}

test('modern tools/list carries the cache hints (ttlMs, private)', async () => {
  const { session } = fakeSession();
  const handler = createMcpHandler(createMcpServerFactory(session, { toolsTtlMs: 1234, notify: 'none' }));
  const client = new Client({ name: 'unit', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  await client.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { fetch: (input, init) => handler.fetch(new Request(input, init)) }));
  try {
    assert.equal(client.getProtocolEra(), 'modern');
    const raw = (await client.listTools()) as { ttlMs?: number; cacheScope?: string };
    assert.equal(raw.ttlMs, 1234);
    assert.equal(raw.cacheScope, 'private');
  } finally {
    await client.close();
    await handler.close();
  }
});

test('HTTP guard: Host and Origin checked, bearer required when a token is set', async () => {
  const { session } = fakeSession();
  await assert.rejects(startMcpHttp(session, { port: 0, host: '0.0.0.0' }), { code: 'TOKEN_REQUIRED' });
  const server = await startMcpHttp(session, { port: 0, token: 'x'.repeat(32) });
  try {
    const post = (headers: Record<string, string>) =>
      fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'u', version: '1' } } }) });
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ authorization: `Bearer ${'y'.repeat(32)}` })).status, 401);
    assert.equal((await post({ authorization: `Bearer ${'x'.repeat(32)}`, origin: 'https://evil.example' })).status, 403);
    const ok = await post({ authorization: `Bearer ${'x'.repeat(32)}`, origin: 'http://localhost:5173' });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /"name":"vib3"/);
  } finally {
    await server.close();
  }
});

test('HTTP, current revision: a tool-list change reaches a listening client', async () => {
  const { registry, session } = fakeSession();
  const server = await startMcpHttp(session, { port: 0 });
  let changed!: () => void;
  const heard = new Promise<void>((resolve) => (changed = resolve));
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const client = new Client({ name: 'unit', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' }, listChanged: { tools: { debounceMs: 0, onChanged: () => changed() } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  try {
    assert.equal(client.getProtocolEra(), 'modern');
    // The listen stream opens in the background; a change published before it is acknowledged is missed, so repeat until heard.
    const repeat = setInterval(() => registry.add({ id: `ext-${Math.random()}`, tools: () => [], call: async () => ({ content: [] }) }), 100);
    await heard.finally(() => clearInterval(repeat));
  } finally {
    await client.close();
    await server.close();
  }
});

test('the parameter docs list every parameter with its range and default', () => {
  const md = parametersMarkdown();
  assert.match(md, /\| `system` \| `system` \| string \| `faceted` \/ `quantum` \/ `holographic` \| `quantum` \|/);
  assert.match(md, /\| `rot4dXW` \| `rot4d-xw` \| number \| -2π \.\. 2π \| 0 \|/);
  assert.match(md, /\| `hue` \| `hue` \| integer \| 0 \.\. 360 \| 200 \|/);
});

test('vib3 mcp --print-config: client snippets for the flags given, never the token', async () => {
  const { main } = await import('../../src/cli/program.js');
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['mcp', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const vscode = await run('--yes', '--renderer', 'webgl2', '--print-config', 'vscode');
  assert.equal(vscode.code, 0, vscode.err);
  assert.deepEqual(JSON.parse(vscode.out), { servers: { vib3: { type: 'stdio', command: 'npx', args: ['-y', 'vib3-embed', 'mcp', '--renderer', 'webgl2', '--yes'] } } });
  const desktop = JSON.parse((await run('--print-config', 'claude-desktop')).out);
  assert.deepEqual(desktop.mcpServers.vib3.args, ['-y', 'vib3-embed', 'mcp']);
  assert.equal((await run('--print-config', 'claude-code')).out, 'claude mcp add vib3 -- npx -y vib3-embed mcp');
  const secret = 'do-not-print-this-token-0123456789';
  const cursor = await run('--http', '8765', '--token', secret, '--print-config', 'cursor');
  assert.equal(cursor.code, 0, cursor.err);
  assert.deepEqual(JSON.parse(cursor.out), { mcpServers: { vib3: { url: 'http://127.0.0.1:8765/mcp', headers: { Authorization: 'Bearer ${env:VIB3_MCP_TOKEN}' } } } });
  const vsHttp = await run('--http', '8765', '--token', secret, '--print-config', 'vscode');
  assert.equal(JSON.parse(vsHttp.out).servers.vib3.headers.Authorization, 'Bearer ${input:vib3-token}');
  assert.ok(![cursor.out, vsHttp.out].some((o) => o.includes(secret)), 'the token is never printed');
  const refused = await run('--http', '8765', '--print-config', 'claude-desktop');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /UNSUPPORTED_TRANSPORT/);
  assert.match((await run('--print-config', 'emacs')).err, /INVALID_OPTION_VALUE/);
});
