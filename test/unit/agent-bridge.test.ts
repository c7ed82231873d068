// The agent bridge's node side (src/agent-server/bridge): a `ws` client plays the page, honest or
// hostile. Wrong, reused, revoked and expired codes, foreign origins, non-loopback peers, malformed
// and oversize messages are refused and pair nothing; a paired page's registry answers the MCP
// side's list/call; when the page goes away the session answers CANVAS_NOT_CONNECTED again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { startBridge, isLoopbackAddress, type BridgeOptions, type BridgeServer } from '../../src/agent-server/bridge/index.js';
import { MAX_FAILED_ATTEMPTS } from '../../src/agent-server/bridge/pairing.js';
import { closeReason, normalizeCode, parseRequest, parsePageMessage, readCallResult } from '../../src/agent/bridge/protocol.js';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import type { ToolCallResult, ToolProvider } from '../../src/agent/registry/types.js';

const ORIGIN = 'http://localhost:8123';
const OTHER = 'http://127.0.0.1:9000';
const bridges: BridgeServer[] = [];
after(async () => {
  for (const b of bridges) await b.close();
});

async function bridge(options: Partial<BridgeOptions> = {}): Promise<BridgeServer> {
  const b = await startBridge({ allowedOrigins: [ORIGIN, OTHER], ...options });
  bridges.push(b);
  return b;
}

interface Outcome {
  ws: WebSocket;
  paired: boolean;
  close?: { code: number; reason: { code: string; message: string } | undefined };
  http?: number;
}

/** Opens a connection and sends `first` (a pair message unless given); resolves with what the bridge did. */
function attempt(b: BridgeServer, first: string | Buffer | undefined, options: { origin?: string | null; host?: string } = {}): Promise<Outcome> {
  const headers: Record<string, string> = options.host ? { host: options.host } : {};
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  const ws = new WebSocket(b.url, { ...(origin !== null ? { origin } : {}), headers });
  return new Promise((resolve) => {
    ws.on('open', () => {
      if (first !== undefined) ws.send(first, { binary: Buffer.isBuffer(first) });
    });
    ws.on('message', (data) => {
      if (String(data) === '{"type":"paired"}') resolve({ ws, paired: true });
    });
    ws.on('close', (code, reason) => {
      let parsed: Outcome['close'] extends infer C ? C : never;
      try {
        parsed = { code, reason: JSON.parse(String(reason)) as { code: string; message: string } };
      } catch {
        parsed = { code, reason: undefined };
      }
      resolve({ ws, paired: false, close: parsed });
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ ws, paired: false, http: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

const pairMsg = (code: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'pair', code, kit: '0.0.0-test', ...extra });
const errorCode = (r: ToolCallResult) => (r.structuredContent?.['error'] as { code: string } | undefined)?.code;

/** Asserts a refusal with a 4xxx close and reason code, and that the session is still not connected. */
async function refused(b: BridgeServer, outcome: Outcome, closeCode: number, reasonCode: string): Promise<void> {
  assert.equal(outcome.paired, false);
  assert.equal(outcome.close?.code, closeCode, JSON.stringify(outcome.close));
  assert.equal(outcome.close?.reason?.code, reasonCode);
  assert.ok(Buffer.byteLength(JSON.stringify(outcome.close?.reason)) <= 123);
  assert.equal(errorCode(await b.session().callTool('get_params', {})), 'CANVAS_NOT_CONNECTED');
}

/** A page: a real ToolRegistry with one tool, answering the bridge's requests over `ws`. */
function servePage(ws: WebSocket, options: { answer?: (req: Record<string, unknown>) => unknown } = {}) {
  const calls: { input: unknown; caller: string }[] = [];
  const provider: ToolProvider = {
    id: 'demo',
    tools: () => [{ name: 'demo.echo', description: 'Echoes text.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false }, outputSchema: { type: 'object', properties: { text: { type: 'string' }, caller: { type: 'string' } } }, policy: { requires: [], approval: 'never' }, source: 'demo' }],
    async call(_name, input, ctx) {
      calls.push({ input, caller: ctx.caller });
      return { content: [{ type: 'text', text: String(input['text']) }], structuredContent: { text: input['text'], caller: ctx.caller } };
    },
  };
  const registry = new ToolRegistry();
  registry.add(provider);
  const received: unknown[] = [];
  ws.on('message', async (data) => {
    const req = JSON.parse(String(data)) as Record<string, unknown>;
    received.push(req);
    if (req['type'] === 'cancel') return;
    if (options.answer) {
      const a = options.answer(req);
      if (a !== undefined) ws.send(typeof a === 'string' ? a : JSON.stringify(a));
      return;
    }
    const params = req['params'] as { name?: string; arguments?: Record<string, unknown> };
    const result = req['method'] === 'tools/list' ? { tools: registry.list() } : await registry.call(params.name!, params.arguments, { caller: 'bridge' });
    ws.send(JSON.stringify({ id: req['id'], result }));
  });
  return { calls, received, registry };
}

const closedWith = (ws: WebSocket): Promise<{ code: number; reason: { code: string } }> =>
  ws.readyState === WebSocket.CLOSED ? Promise.reject(new Error('already closed')) : new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: JSON.parse(String(reason) || '{}') as { code: string } })));

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('listens on loopback only: other bind addresses are refused, the bound address is 127.0.0.1', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
    await assert.rejects(startBridge({ allowedOrigins: [ORIGIN], host }), (e: { code: string }) => e.code === 'BRIDGE_NOT_LOOPBACK', host);
  }
  await assert.rejects(startBridge({ allowedOrigins: ['*'] }), (e: { code: string }) => e.code === 'ORIGIN_INVALID');
  await assert.rejects(startBridge({ allowedOrigins: [] }), (e: { code: string }) => e.code === 'ORIGIN_REQUIRED');
  const b = await bridge();
  assert.match(b.url, /^ws:\/\/127\.0\.0\.1:\d+\/vib3-bridge$/);
  assert.throws(() => b.issueCode('http://evil.example'), (e: { code: string; suggestion: string }) => e.code === 'ORIGIN_NOT_ALLOWED' && e.suggestion.includes(ORIGIN));
  // Where the machine has a non-loopback address, nothing answers there on the bridge's port.
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
  if (external) {
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const s = connect({ host: external.address, port: b.port }, () => {
        s.destroy();
        resolve(undefined);
      });
      s.on('error', resolve);
    });
    assert.equal(err?.code, 'ECONNREFUSED', `the bridge answered on ${external.address}`);
  }
});

test('isLoopbackAddress', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of [undefined, '', '0.0.0.0', '10.0.0.5', '192.168.1.20', '::', '::ffff:192.168.1.20', 'fe80::1', '1::1', 'localhost', '128.0.0.1']) assert.equal(isLoopbackAddress(a), false, String(a));
});

test('codes are random, typeable (ABCD-EFGH in Crockford base32) and expire after codeTtlMs', async () => {
  const b = await bridge({ codeTtlMs: 60_000, now: () => 1_000_000 });
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const c = b.issueCode(ORIGIN);
    assert.match(c.code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(c.origin, ORIGIN);
    assert.equal(c.expiresAt, 1_060_000);
    seen.add(c.code);
  }
  assert.equal(seen.size, 200, 'no repeats');
  assert.equal(normalizeCode(' abcd efgh '), 'ABCDEFGH');
  assert.equal(normalizeCode('abcd-efgI'), 'ABCDEFG1', 'I reads as 1');
  assert.equal(normalizeCode('ABCD-EFGU'), undefined, 'U is not in the alphabet');
  assert.equal(normalizeCode('ABC'), undefined);
});

test('before pairing: the kit canvas pack is listed and calls answer CANVAS_NOT_CONNECTED naming the code', async () => {
  const b = await bridge();
  const tools = await b.session().listTools();
  assert.deepEqual(tools.map((t) => t.name), ['set_params', 'get_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset', 'list_geometries', 'describe_geometry', 'render_snapshot']);
  assert.equal(b.session().kind, 'paired');
  const none = await b.session().callTool('set_params', { hue: 10 });
  assert.equal(none.isError, true);
  assert.deepEqual({ code: errorCode(none), retryable: (none.structuredContent?.['error'] as { retryable: boolean }).retryable }, { code: 'CANVAS_NOT_CONNECTED', retryable: true });
  const { code } = b.issueCode(ORIGIN);
  const hinted = (await b.session().callTool('set_params', { hue: 10 })).structuredContent?.['error'] as { suggestion: string };
  assert.ok(hinted.suggestion.includes(code) && hinted.suggestion.includes(ORIGIN), hinted.suggestion);
});

test('a paired page answers list and call (caller "bridge"); closing it ends the session', async () => {
  const b = await bridge();
  let changes = 0;
  b.session().onToolsChanged(() => changes++);
  const { code } = b.issueCode(ORIGIN);
  const page = await attempt(b, pairMsg(code.toLowerCase()));
  assert.equal(page.paired, true);
  const { calls } = servePage(page.ws);
  await until(() => changes === 1);
  assert.deepEqual((await b.session().listTools()).map((t) => t.name), ['demo.echo']);
  const ok = await b.session().callTool('demo.echo', { text: 'hi' });
  assert.deepEqual(ok, { content: [{ type: 'text', text: 'hi' }], structuredContent: { text: 'hi', caller: 'bridge' } });
  assert.deepEqual(calls, [{ input: { text: 'hi' }, caller: 'bridge' }]);
  // The page's own gate still applies: bad input is the registry's envelope, passed through.
  assert.equal(errorCode(await b.session().callTool('demo.echo', { text: 5 })), 'INVALID_TOOL_INPUT');
  assert.equal(errorCode(await b.session().callTool('nope', {})), 'UNKNOWN_TOOL');
  // tools/changed reaches the MCP side (coalesced).
  for (let i = 0; i < 20; i++) page.ws.send('{"type":"tools/changed"}');
  await until(() => changes === 2);
  await new Promise((r) => setTimeout(r, 120));
  assert.ok(changes <= 3, `twenty notifications in a burst were ${changes - 1} changes, not one or two`);
  const settled = changes;
  page.ws.close(1000);
  await until(() => changes === settled + 1);
  assert.equal(b.session().connected, false);
  assert.equal(errorCode(await b.session().callTool('demo.echo', { text: 'again' })), 'CANVAS_NOT_CONNECTED');
  assert.equal((await b.session().listTools()).length, 9, 'back to the canvas pack');
});

test('a wrong code is refused', async () => {
  const b = await bridge();
  b.issueCode(ORIGIN);
  await refused(b, await attempt(b, pairMsg('ZZZZ-ZZZZ')), 4401, 'PAIRING_CODE_UNKNOWN');
  await refused(b, await attempt(b, pairMsg('not a code')), 4401, 'PAIRING_CODE_UNKNOWN');
});

test('a used code is refused to a second page, and the first stays paired', async () => {
  const b = await bridge();
  const { code } = b.issueCode(ORIGIN);
  const first = await attempt(b, pairMsg(code));
  assert.equal(first.paired, true);
  servePage(first.ws);
  const second = await attempt(b, pairMsg(code));
  assert.equal(second.close?.reason?.code, 'PAIRING_CODE_USED');
  assert.equal(second.close?.code, 4401);
  assert.deepEqual((await b.session().callTool('demo.echo', { text: 'still' })).structuredContent, { text: 'still', caller: 'bridge' });
  first.ws.close();
});

test('a revoked code is refused; revoking the code of a paired page ends its session', async () => {
  const b = await bridge();
  const a = b.issueCode(ORIGIN);
  b.revoke(a.code);
  await refused(b, await attempt(b, pairMsg(a.code)), 4401, 'PAIRING_CODE_REVOKED');
  const c = b.issueCode(ORIGIN);
  const page = await attempt(b, pairMsg(c.code));
  assert.equal(page.paired, true);
  const closed = closedWith(page.ws);
  b.revoke(c.code.replace('-', ''));
  assert.deepEqual(await closed, { code: 4410, reason: { code: 'SESSION_REVOKED', message: 'The pairing code of this session was revoked.' } });
  assert.equal(errorCode(await b.session().callTool('get_params', {})), 'CANVAS_NOT_CONNECTED');
});

test('an expired code is refused (injected clock)', async () => {
  let now = 5_000;
  const b = await bridge({ codeTtlMs: 1000, now: () => now });
  const late = b.issueCode(ORIGIN);
  const inTime = b.issueCode(ORIGIN);
  now += 999;
  const page = await attempt(b, pairMsg(inTime.code));
  assert.equal(page.paired, true, 'one ms before expiry still pairs');
  page.ws.close();
  await until(() => !b.session().connected);
  now += 1;
  await refused(b, await attempt(b, pairMsg(late.code)), 4401, 'PAIRING_CODE_EXPIRED');
});

test('wrong Origin headers are refused: not allowed, missing, or not the code\'s origin (which burns the code)', async () => {
  const b = await bridge();
  const { code } = b.issueCode(ORIGIN);
  await refused(b, await attempt(b, pairMsg(code), { origin: 'http://evil.example' }), 4403, 'ORIGIN_NOT_ALLOWED');
  await refused(b, await attempt(b, pairMsg(code), { origin: null }), 4403, 'ORIGIN_NOT_ALLOWED');
  await refused(b, await attempt(b, pairMsg(code), { origin: `${ORIGIN}.evil.example` }), 4403, 'ORIGIN_NOT_ALLOWED');
  await refused(b, await attempt(b, pairMsg(code), { origin: OTHER }), 4403, 'ORIGIN_MISMATCH');
  await refused(b, await attempt(b, pairMsg(code)), 4401, 'PAIRING_CODE_REVOKED');
});

test('non-loopback peers and foreign Host headers are refused before the WebSocket opens', async () => {
  let remote = '192.168.1.20';
  const b = await bridge({ remoteAddress: () => remote });
  const { code } = b.issueCode(ORIGIN);
  for (const r of ['192.168.1.20', '::ffff:10.0.0.7', '0.0.0.0']) {
    remote = r;
    const out = await attempt(b, pairMsg(code));
    assert.deepEqual({ paired: out.paired, http: out.http }, { paired: false, http: 403 }, r);
  }
  remote = '127.0.0.1';
  const rebinding = await attempt(b, pairMsg(code), { host: `attacker.example:${b.port}` });
  assert.deepEqual({ paired: rebinding.paired, http: rebinding.http }, { paired: false, http: 403 });
  assert.equal(errorCode(await b.session().callTool('get_params', {})), 'CANVAS_NOT_CONNECTED');
  // The code was never presented to the pairing logic, so it still works from loopback.
  assert.equal((await attempt(b, pairMsg(code))).paired, true);
});

test('malformed and oversize messages are refused, and burn nothing', async () => {
  const b = await bridge();
  const { code } = b.issueCode(ORIGIN);
  const bad = ['not json', '[]', 'null', '{"type":"hello"}', JSON.stringify({ type: 'pair', code: 12345678, kit: 'x' }), pairMsg(code, { extra: 1 }), JSON.stringify({ type: 'pair', code }), JSON.stringify({ type: 'pair', code, kit: 'x'.repeat(65) }), '{"id":1,"result":{}}', '{"type":"tools/changed"}'];
  for (const m of bad) await refused(b, await attempt(b, m), 4400, 'BAD_MESSAGE');
  await refused(b, await attempt(b, Buffer.from(pairMsg(code))), 4400, 'BAD_MESSAGE');
  await refused(b, await attempt(b, pairMsg(code, { pad: 'x'.repeat(2048) })), 4413, 'MESSAGE_TOO_LARGE');
  const quiet = await bridge({ pairTimeoutMs: 100 });
  await refused(quiet, await attempt(quiet, undefined), 4408, 'PAIRING_TIMEOUT');
  assert.equal((await attempt(b, pairMsg(code))).paired, true, 'the code was never consumed');
});

test('after pairing: malformed answers, requests from the page and oversize frames end the session', async () => {
  const b = await bridge();
  const pair = async (answer?: (req: Record<string, unknown>) => unknown) => {
    const page = await attempt(b, pairMsg(b.issueCode(ORIGIN).code));
    assert.equal(page.paired, true);
    return { ...page, ...servePage(page.ws, answer ? { answer } : {}) };
  };
  // A tool result that is not the envelope (script in an image block's data).
  let page = await pair((req) => ({ id: req['id'], result: { content: [{ type: 'image', data: '<script>', mimeType: 'image/png' }] } }));
  let closed = closedWith(page.ws);
  const r = await b.session().callTool('demo.echo', { text: 'x' });
  assert.equal(errorCode(r), 'BRIDGE_PROTOCOL_ERROR');
  assert.equal((await closed).code, 4400);
  // A tools/list answer with an invalid tool name.
  page = await pair((req) => ({ id: req['id'], result: { tools: [{ name: 'bad name', description: '', inputSchema: { type: 'object' }, policy: { requires: [], approval: 'never' }, source: 'x' }] } }));
  closed = closedWith(page.ws);
  assert.equal((await b.session().listTools()).length, 9, 'the pack, as not connected');
  assert.equal((await closed).code, 4400);
  // The page trying to make a request of its own.
  page = await pair();
  closed = closedWith(page.ws);
  page.ws.send(JSON.stringify({ id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } }));
  assert.equal((await closed).reason.code, 'BAD_MESSAGE');
  // A frame over the 16 MiB cap.
  page = await pair();
  closed = closedWith(page.ws);
  page.ws.send('x'.repeat(16 * 1024 * 1024 + 1));
  assert.equal((await closed).code, 1009);
  await until(() => !b.session().connected);
  assert.equal(errorCode(await b.session().callTool('get_params', {})), 'CANVAS_NOT_CONNECTED');
});

test('a call the page does not answer times out with BRIDGE_TIMEOUT and is cancelled on the page', async () => {
  const b = await bridge({ callTimeoutMs: 150 });
  const page = await attempt(b, pairMsg(b.issueCode(ORIGIN).code));
  const { received } = servePage(page.ws, { answer: () => undefined });
  const r = await b.session().callTool('demo.echo', { text: 'x' });
  assert.equal(errorCode(r), 'BRIDGE_TIMEOUT');
  await until(() => received.some((m) => (m as { type?: string }).type === 'cancel'));
  assert.deepEqual(received, [{ id: 1, method: 'tools/call', params: { name: 'demo.echo', arguments: { text: 'x' } } }, { type: 'cancel', id: 1 }]);
  page.ws.close();
});

test('one page at a time: a newer pairing replaces the old page; session.close() and bridge.close() end it', async () => {
  const b = await bridge();
  const first = await attempt(b, pairMsg(b.issueCode(ORIGIN).code));
  const firstClosed = closedWith(first.ws);
  const second = await attempt(b, pairMsg(b.issueCode(OTHER).code), { origin: OTHER });
  servePage(second.ws);
  assert.deepEqual((await firstClosed).reason.code, 'SESSION_REPLACED');
  assert.equal((await b.session().callTool('demo.echo', { text: 'b' })).isError, undefined);
  const secondClosed = closedWith(second.ws);
  await b.session().close();
  assert.deepEqual(await secondClosed, { code: 4000, reason: { code: 'SESSION_ENDED', message: 'The MCP server ended the session.' } });
  const third = await attempt(b, pairMsg(b.issueCode(ORIGIN).code));
  const thirdClosed = closedWith(third.ws);
  await b.close();
  bridges.splice(bridges.indexOf(b), 1);
  assert.equal((await thirdClosed).code, 4001);
});

test(`${MAX_FAILED_ATTEMPTS} failed attempts revoke every open code until a new one is issued`, async () => {
  const b = await bridge();
  const { code } = b.issueCode(ORIGIN);
  for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++) await refused(b, await attempt(b, pairMsg('AAAA-AAAA')), 4401, 'PAIRING_CODE_UNKNOWN');
  await refused(b, await attempt(b, pairMsg('AAAA-AAAA')), 4429, 'TOO_MANY_ATTEMPTS');
  await refused(b, await attempt(b, pairMsg(code)), 4429, 'TOO_MANY_ATTEMPTS');
  const fresh = b.issueCode(ORIGIN);
  await refused(b, await attempt(b, pairMsg(code)), 4401, 'PAIRING_CODE_REVOKED');
  assert.equal((await attempt(b, pairMsg(fresh.code))).paired, true);
});

test('protocol checks on the page side and close reasons', () => {
  assert.ok('request' in parseRequest('{"id":3,"method":"tools/list"}'));
  assert.deepEqual(parseRequest('{"id":3,"method":"tools/call","params":{"name":"set_params","arguments":{"hue":1}}}'), { request: { id: 3, method: 'tools/call', params: { name: 'set_params', arguments: { hue: 1 } } } });
  assert.deepEqual(parseRequest('{"type":"cancel","id":3}'), { cancel: 3 });
  for (const [text, id] of [['{"id":3,"method":"eval","params":{}}', 3], ['{"id":3,"method":"tools/call","params":{"name":"a/b/c"}}', 3], ['{"id":3,"method":"tools/call","params":{"name":"x","arguments":[]}}', 3], ['{"id":3,"method":"tools/list","extra":1}', 3], ['{"id":-1,"method":"tools/list"}', undefined], ['[1]', undefined], ['nope', undefined]] as const) {
    const r = parseRequest(text);
    assert.ok('problem' in r, text);
    assert.equal((r as { id?: number }).id, id, text);
  }
  assert.equal(parsePageMessage('{"id":1,"error":{"code":"lower","message":"","suggestion":""}}'), undefined);
  assert.equal(readCallResult({ content: [{ type: 'text', text: 'a', extra: 1 }] }), undefined);
  assert.equal(readCallResult({ content: [], isError: true }), undefined, 'an error without the coded error');
  const long = closeReason('SESSION_REVOKED', 'é'.repeat(200));
  assert.ok(Buffer.byteLength(long) <= 123 && (JSON.parse(long) as { code: string }).code === 'SESSION_REVOKED');
});
