// The registry's LLM proxy (/v1/agent, docs/LLM.md "The host proxy"): a whole agent session runs
// in this process as a page would (its tools here, `proxyModel` as its model) against a real
// registry whose router (built from its environment: VIB3_LLM_PROVIDER=openai, the key planted in
// that environment) talks to a loopback fake of the OpenAI API. Also: authentication, agent
// tokens (which can do nothing else in the registry) and their revocation, publisher tokens
// refused, per-user rate limits (and CORS on the per-address limiter's 429), strict request
// validation, 503 without an LLM or with a half-configured one (the registry still starts), the
// key never leaving the server (redacted before serialisation), and a client abort reaching the
// upstream request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';
import { startLlmFake, type LlmFake } from '../support/llm-fake/index.js';
import { proxyModel, proxyStatus, redactor, runAgentSession, LlmError, type AgentToolSource, type StepPart } from '../../src/agent/llm/index.js';
import { routerFromEnvironment } from '../../src/agent-server/llm-environment.js';
import { createApp } from '../../src/registry/http/app.js';
import type { AgentTool, ToolCallResult } from '../../src/agent/registry/types.js';

// Not key-shaped on purpose: only the server's own redactor (fed from its environment) can hide it.
const KEY = `planted${randomBytes(16).toString('hex')}`;
const ID = 'com.acme.agentproof';

let fake: LlmFake;
let reg: TestRegistry;
let acme: TestPublisher;
const logs: string[] = [];
/** Everything the registry answered through `seen`: status, headers and body text. */
const answers: Promise<string>[] = [];

/** A fetch that keeps a copy of every answer (headers and body) for the key scan. */
const seen: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const copy = res.clone();
  answers.push(copy.text().then((body) => `${res.status} ${JSON.stringify([...res.headers])} ${body}`, () => `${res.status} ${JSON.stringify([...res.headers])}`));
  return res;
};

async function call(path: string, init: { method?: string; token?: string; json?: unknown; body?: string | Uint8Array<ArrayBuffer>; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined || init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
  const res = await seen(reg.url + path, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}) });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // NDJSON or text
  }
  return { status: res.status, headers: res.headers, body, text };
}

async function agentToken(user: string, expiresInSeconds?: number): Promise<string> {
  const res = await call('/v1/agent/tokens', { method: 'POST', token: reg.adminToken, json: { user, ...(expiresInSeconds ? { expiresInSeconds } : {}) } });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.user, user);
  return res.body.token;
}

/** The smallest valid step body. */
const step = (text = 'hello', extra: Record<string, unknown> = {}) => ({ request: { prompt: [{ role: 'user', content: [{ type: 'text', text }] }], tools: [], ...extra } });

/** An in-memory page tool source with one tool. */
function pageTools() {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  const params: Record<string, unknown> = { hue: 0, system: 'faceted' };
  const tool: AgentTool = {
    name: 'set_params',
    description: 'Sets canvas parameters.',
    inputSchema: { type: 'object', properties: { hue: { type: 'number' }, system: { type: 'string' } }, additionalProperties: false },
    policy: { requires: [], approval: 'never' },
    source: 'kit',
  };
  const source: AgentToolSource = {
    list: () => [tool],
    call: async (name, args): Promise<ToolCallResult> => {
      calls.push({ name, args });
      Object.assign(params, args);
      return { content: [{ type: 'text', text: 'ok' }], structuredContent: { params: { ...params } } };
    },
  };
  return { source, calls, params };
}

before(async () => {
  fake = await startLlmFake({ apiKey: KEY });
  reg = await startTestRegistry({
    env: { VIB3_LLM_PROVIDER: 'openai', VIB3_LLM_BASE_URL: fake.baseURL, OPENAI_API_KEY: KEY },
    settings: { agent: { requestsPerMinute: 3, maxOutputTokens: 256 } },
    log: (m) => logs.push(m),
  });
  acme = await createPublisher(reg, 'acme');
  assert.equal((await publish(reg.url, acme.token, ID, '1.0.0', await makePackage(acme, { id: ID, version: '1.0.0' }))).status, 201);
});
after(async () => {
  await reg?.close();
  await fake?.close();
});

test(`[${BACKEND}] a whole agent session in the page runs its tool through the registry's proxy, with the server's key`, async () => {
  const token = await agentToken('alice');
  const status = await proxyStatus({ endpoint: `${reg.url}/v1/agent`, token, fetch: seen });
  assert.deepEqual(status, { configured: true, groups: ['default'], deployments: [{ id: 'openai', provider: 'openai', model: 'gpt-4.1-mini' }] });

  fake.script({ toolCalls: [{ name: 'set_params', arguments: '{"hue":280,"system":"holographic"}' }], usage: { input: 40, output: 9 } }, { text: 'The canvas is violet now.', usage: { input: 60, output: 7 } });
  const page = pageTools();
  const sent = fake.requests.length;
  const outcome = await runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent/`, token: () => token, fetch: seen }), tools: page.source, prompt: 'Make it holographic and violet.' });
  assert.equal(outcome.finishReason, 'stop', JSON.stringify(outcome.error));
  assert.equal(outcome.text, 'The canvas is violet now.');
  assert.deepEqual(page.calls, [{ name: 'set_params', args: { hue: 280, system: 'holographic' } }]);
  assert.deepEqual(outcome.toolCalls.map((c) => [c.name, c.arguments, c.result.ok]), [['set_params', { hue: 280, system: 'holographic' }, true]]);
  assert.deepEqual(outcome.usage, { inputTokens: 100, outputTokens: 16 });
  assert.equal(outcome.steps, 2);

  const upstream = fake.requests.slice(sent);
  assert.equal(upstream.length, 2);
  // The key came from the server's environment; the page never had it.
  for (const r of upstream) assert.equal(r.headers.authorization, `Bearer ${KEY}`);
  // maxOutputTokens (the policy's 1024) was clamped to the server's 256.
  assert.equal(upstream[0]!.body.max_tokens ?? upstream[0]!.body.max_completion_tokens, 256);
  assert.deepEqual(upstream[0]!.body.tools.map((t: any) => t.function.name), ['set_params']);
  // The tool's result went back to the model (as untrusted data) in the second step.
  const toolMessage = upstream[1]!.body.messages.find((m: any) => m.role === 'tool');
  assert.match(String(toolMessage.content), /ok/);
});

test(`[${BACKEND}] the admin token may use the proxy too, a publisher token may not (403 AGENT_TOKEN_REQUIRED); provider options and headers from the client are dropped`, async () => {
  fake.script({ text: 'one' });
  const sent = fake.requests.length;
  const asAdmin = await call('/v1/agent/step', { method: 'POST', token: reg.adminToken, json: step('hi', { providerOptions: { openai: { user: 'spoofed-user', store: true } }, headers: { 'x-smuggled': 'yes' } }) });
  assert.equal(asAdmin.status, 200, asAdmin.text);
  assert.match(asAdmin.headers.get('content-type') ?? '', /^application\/x-ndjson/);
  const lines = asAdmin.text.trim().split('\n').map((l) => JSON.parse(l) as StepPart);
  assert.deepEqual(lines.filter((p) => p.type === 'text-delta').map((p) => (p as { delta: string }).delta).join(''), 'one');
  assert.deepEqual(lines.slice(-2).map((p) => p.type), ['finish', 'route']);
  for (const p of lines) assert.equal((p as { providerMetadata?: unknown }).providerMetadata, undefined);
  // A publisher must not spend the operator's LLM key: refused before anything reaches the provider.
  const asPublisher = await call('/v1/agent/step', { method: 'POST', token: acme.token, json: step('hi', { prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi', providerOptions: { openai: { imageDetail: 'high' } } }] }] }) });
  assert.deepEqual([asPublisher.status, asPublisher.body.error.code], [403, 'AGENT_TOKEN_REQUIRED'], asPublisher.text);
  assert.match(asPublisher.body.error.suggestion, /admin.*agent token/i);
  const statusAsPublisher = await call('/v1/agent', { token: acme.token });
  assert.deepEqual([statusAsPublisher.status, statusAsPublisher.body.error.code], [403, 'AGENT_TOKEN_REQUIRED']);
  const viaModel = await runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent`, token: acme.token, fetch: seen }), tools: pageTools().source, prompt: 'hi' });
  assert.deepEqual([viaModel.finishReason, viaModel.error?.code], ['error', 'LLM_AUTH_FAILED']);
  const upstream = fake.requests.slice(sent);
  assert.equal(upstream.length, 1);
  // A page on any origin may POST with its bearer token (no cookies).
  const preflight = await call('/v1/agent/step', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/i);
  assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
  assert.equal(upstream[0]!.body.user, undefined);
  assert.equal(upstream[0]!.body.store, undefined);
  assert.equal(upstream[0]!.headers['x-smuggled'], undefined);
});

test(`[${BACKEND}] without a valid token the proxy answers 401 UNAUTHORIZED; proxyModel and proxyStatus surface LLM_AUTH_FAILED`, async () => {
  const sent = fake.requests.length;
  const expired = await agentToken('expired-user', 60);
  await reg.context.db.query("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE label = 'agent:expired-user'");
  for (const token of [undefined, 'vib3_not-a-token', expired]) {
    const res = await call('/v1/agent/step', { method: 'POST', json: step(), ...(token ? { token } : {}) });
    assert.deepEqual([res.status, res.body.error.code], [401, 'UNAUTHORIZED'], res.text);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await call('/v1/agent', token ? { token } : {})).status, 401);
  }
  const outcome = await runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent`, fetch: seen }), tools: pageTools().source, prompt: 'hi' });
  assert.deepEqual([outcome.finishReason, outcome.error?.code], ['error', 'LLM_AUTH_FAILED']);
  await assert.rejects(proxyStatus({ endpoint: `${reg.url}/v1/agent`, token: 'vib3_nope', fetch: seen }), (e: unknown) => e instanceof LlmError && e.code === 'LLM_AUTH_FAILED' && e.status === 401);
  // Only an admin issues agent tokens.
  for (const token of [acme.token, await agentToken('mallory')]) assert.equal((await call('/v1/agent/tokens', { method: 'POST', token, json: { user: 'eve' } })).status, 403);
  assert.equal((await call('/v1/agent/tokens', { method: 'POST', token: reg.adminToken, json: { user: 'bad user!' } })).body.error.code, 'INVALID_AGENT_USER');
  assert.equal(fake.requests.length, sent);
});

test(`[${BACKEND}] an agent token can do nothing else in the registry`, async () => {
  const token = await agentToken('intruder');
  const bytes = await makePackage(acme, { id: ID, version: '1.0.1' });
  const attempts: [string, string, { json?: unknown; body?: string | Uint8Array<ArrayBuffer>; type?: string }?][] = [
    ['GET', '/v1/whoami'],
    ['POST', '/v1/publishers', { json: { name: 'evil', keys: [acme.publicJwk] } }],
    ['POST', '/v1/publishers/acme/verification', { json: { method: 'domain', domain: 'evil.example' } }],
    ['POST', '/v1/publishers/acme/verification', { json: { method: 'admin' } }],
    ['PUT', `/v1/extensions/${ID}/1.0.1`, { body: bytes as Uint8Array<ArrayBuffer>, type: 'application/vnd.vib3.extension' }],
    ['PUT', `/v1/extensions/${ID}/channels/beta`, { json: { version: '1.0.0' } }],
    ['POST', `/v1/extensions/${ID}/1.0.0/yank`, { json: { reason: 'pwned' } }],
    ['POST', `/v1/extensions/${ID}/licenses`, { json: { sub: 'x', aud: ['https://evil.example'], tier: 'pro', entitlements: [] } }],
    ['POST', '/v1/licenses/some-jti/revoke', { json: { reason: 'x' } }],
    ['PATCH', `/v1/extensions/${ID}/listing`, { json: { summary: 'pwned' } }],
    ['GET', `/v1/extensions/${ID}/sync`],
    ['POST', `/v1/extensions/${ID}/sync`, { json: {} }],
    ['POST', `/v1/extensions/${ID}/sync/dry-run`, { json: {} }],
    ['GET', '/v1/sync'],
    ['POST', '/v1/sync/1/retry'],
    ['PUT', `/v1/extensions/${ID}/1.0.0/assets/registry/icon.png`, { body: 'x', type: 'image/png' }],
  ];
  for (const [method, path, init] of attempts) {
    const res = await call(path, { method, token, ...init });
    assert.deepEqual([res.status, res.body?.error?.code], [403, 'AGENT_TOKEN_NOT_ALLOWED'], `${method} ${path}: ${res.text}`);
  }
  // Nothing changed: the version is not yanked, no channel moved, no publisher was created.
  const version = await call(`/v1/extensions/${ID}/1.0.0`);
  assert.equal(version.body.yanked ?? false, false);
  assert.equal((await call('/v1/publishers/evil')).status, 404);
  assert.equal((await call(`/v1/extensions/${ID}/1.0.1`)).status, 404);
  // The same token does work where it is meant to.
  assert.equal((await call('/v1/agent', { token })).status, 200);
});

test(`[${BACKEND}] the admin revokes every agent token of a user at once; they then get 401, another user's still work`, async () => {
  const [c1, c2, d] = [await agentToken('revoke-carol'), await agentToken('revoke-carol'), await agentToken('revoke-dave')];
  for (const token of [c1, c2, d]) assert.equal((await call('/v1/agent', { token })).status, 200);
  // Only the admin revokes; a bad user is 400.
  for (const token of [acme.token, d]) assert.equal((await call('/v1/agent/tokens/revoke', { method: 'POST', token, json: { user: 'revoke-carol' } })).status, 403);
  assert.equal((await call('/v1/agent/tokens/revoke', { method: 'POST', token: reg.adminToken, json: { user: 'bad user!' } })).body.error.code, 'INVALID_AGENT_USER');
  assert.equal((await call('/v1/agent', { token: c1 })).status, 200);

  const revoked = await call('/v1/agent/tokens/revoke', { method: 'POST', token: reg.adminToken, json: { user: 'revoke-carol' } });
  assert.equal(revoked.status, 200, revoked.text);
  assert.deepEqual(revoked.body, { user: 'revoke-carol', revoked: 2 });
  const sent = fake.requests.length;
  for (const token of [c1, c2]) {
    assert.equal((await call('/v1/agent', { token })).status, 401);
    const res = await call('/v1/agent/step', { method: 'POST', token, json: step() });
    assert.deepEqual([res.status, res.body.error.code], [401, 'UNAUTHORIZED'], res.text);
  }
  assert.equal(fake.requests.length, sent);
  // Another user's token still works; revoking again finds nothing left to revoke.
  fake.script({ text: 'still here' });
  assert.equal((await call('/v1/agent/step', { method: 'POST', token: d, json: step() })).status, 200);
  assert.deepEqual((await call('/v1/agent/tokens/revoke', { method: 'POST', token: reg.adminToken, json: { user: 'revoke-carol' } })).body, { user: 'revoke-carol', revoked: 0 });
  // A new token for the same user works again; revocation touched no registry token.
  assert.equal((await call('/v1/agent', { token: await agentToken('revoke-carol') })).status, 200);
  assert.equal((await call('/v1/whoami', { token: acme.token })).status, 200);
});

test(`[${BACKEND}] steps are rate-limited per user (not per token or address): 429 RATE_LIMITED with Retry-After`, async () => {
  const [a1, a2, b] = [await agentToken('rate-a'), await agentToken('rate-a'), await agentToken('rate-b')];
  fake.script({ text: '1' }, { text: '2' }, { text: '3' }, { text: '4' });
  for (const token of [a1, a2, a1]) assert.equal((await call('/v1/agent/step', { method: 'POST', token, json: step() })).status, 200);
  const sent = fake.requests.length;
  const limited = await call('/v1/agent/step', { method: 'POST', token: a2, json: step(), headers: { origin: 'https://shop.example' } });
  assert.deepEqual([limited.status, limited.body.error.code], [429, 'RATE_LIMITED'], limited.text);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
  // A page on another origin can read Retry-After.
  assert.equal(limited.headers.get('access-control-allow-origin'), '*');
  assert.match(limited.headers.get('access-control-expose-headers') ?? '', /Retry-After/i);
  const viaModel = await runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent`, token: a1, fetch: seen }), tools: pageTools().source, prompt: 'hi' });
  assert.equal(viaModel.error?.code, 'LLM_RATE_LIMITED');
  await assert.rejects(
    (async () => {
      for await (const _ of proxyModel({ endpoint: `${reg.url}/v1/agent`, token: a1, fetch: seen }).stream(step().request as never)) void _;
    })(),
    (e: unknown) => e instanceof LlmError && e.code === 'LLM_RATE_LIMITED' && e.retryable && (e.retryAfterMs ?? 0) >= 1000,
  );
  assert.equal(fake.requests.length, sent);
  // Another user has a budget of their own.
  assert.equal((await call('/v1/agent/step', { method: 'POST', token: b, json: step() })).status, 200);
});

test(`[${BACKEND}] the registry's per-address limiter answers the proxy's pages with CORS headers too (429 readable cross-origin)`, async () => {
  // The same registry state behind an application with tiny per-address budgets (app.request: one shared address).
  const app = createApp({ ...reg.context, settings: { ...reg.context.settings, rateLimit: { reads: 1, writes: 1 } } }, (m) => logs.push(m));
  const token = await agentToken('cors-429');
  const headers = { origin: 'https://shop.example', authorization: `Bearer ${token}` };
  const post = () => app.request('/v1/agent/step', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
  const sent = fake.requests.length;
  // Within the budgets: a read and a (bad) step.
  assert.equal((await app.request('/v1/agent', { headers })).status, 200);
  assert.equal((await post()).status, 400);
  // Over them: the limiter answers before the proxy's routes, and the page can still read its answer.
  for (const res of [await app.request('/v1/agent', { headers }), await post()]) {
    assert.equal(res.status, 429);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /Retry-After/i);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
  }
  // Preflights are answered before the limiter, so a page can still learn what it may send.
  const preflight = await app.request('/v1/agent/step', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  // Other routes keep their own CORS: a write elsewhere is still not offered to browsers.
  const write = await app.request('/v1/publishers', { method: 'POST', headers: { origin: 'https://shop.example' } });
  assert.equal(write.status, 429);
  assert.equal(write.headers.get('access-control-allow-origin'), null);
  assert.equal(fake.requests.length, sent);
});

test(`[${BACKEND}] a bad step body is 400 INVALID_AGENT_REQUEST (or 413/415) and nothing reaches the provider`, async () => {
  const bad: [unknown, number?][] = [
    [{}],
    [{ request: { prompt: [], tools: [] } }],
    [{ request: { prompt: [{ role: 'developer', content: 'x' }], tools: [] } }],
    [{ request: { prompt: [{ role: 'system', content: [{ type: 'text', text: 'x' }] }], tools: [] } }],
    [{ request: { prompt: [{ role: 'user', content: [{ type: 'file', data: 'aGk=', mediaType: 'image/png' }] }], tools: [] } }],
    [{ request: { prompt: [{ role: 'user', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} }] }], tools: [] } }],
    [{ request: { prompt: [{ role: 'assistant', content: [{ type: 'reasoning', text: 'x' }] }], tools: [] } }],
    [{ request: { prompt: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'content', value: [] } }] }], tools: [] } }],
    [{ request: { prompt: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'text', value: 42 } }] }], tools: [] } }],
    [{ request: { prompt: [{ role: 'user', content: [{ type: 'text', text: 'x', extra: 1 }] }], tools: [] } }],
    [step('x', { tools: [{ type: 'provider', id: 'openai.web_search', name: 'web', args: {} }] })],
    [step('x', { tools: [{ type: 'function', name: 'has.dot', inputSchema: { type: 'object' } }] })],
    [step('x', { tools: [{ type: 'function', name: 't', inputSchema: { type: 'string' } }] })],
    [step('x', { tools: [{ type: 'function', name: 't', inputSchema: { type: 'object' } }, { type: 'function', name: 't', inputSchema: { type: 'object' } }] })],
    [step('x', { toolChoice: { type: 'tool' } })],
    [step('x', { toolChoice: { type: 'tool', toolName: 'missing' } })],
    [step('x', { temperature: 2 })],
    [step('x', { maxOutputTokens: 0 })],
    [{ ...step(), group: 'nope' }],
    [{ ...step(), extra: true }],
    [step('x'.repeat(100_001))],
    [step('x'.repeat(300_000)), 413],
  ];
  const token = await agentToken('validator');
  // This user's budget is not what is under test here.
  const budget = reg.context.settings.agent!.requestsPerMinute;
  reg.context.settings.agent!.requestsPerMinute = 1000;
  try {
    const sent = fake.requests.length;
    for (const [body, status = 400] of bad) {
      const res = await call('/v1/agent/step', { method: 'POST', token, json: body });
      assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 200)} → ${res.text.slice(0, 300)}`);
      if (status === 400) assert.equal(res.body.error.code, 'INVALID_AGENT_REQUEST', res.text.slice(0, 300));
      assert.equal(typeof res.body.error.suggestion, 'string');
    }
    assert.equal((await call('/v1/agent/step', { method: 'POST', token, body: '{"request":', type: 'application/json' })).body.error.code, 'INVALID_JSON');
    assert.equal((await call('/v1/agent/step', { method: 'POST', token, body: JSON.stringify(step()), type: 'text/plain' })).status, 415);
    assert.equal(fake.requests.length, sent);
  } finally {
    reg.context.settings.agent!.requestsPerMinute = budget;
  }
});

test(`[${BACKEND}] a registry without an LLM answers 503 LLM_NOT_CONFIGURED with what to set; its status says so`, async () => {
  // As a registry started without VIB3_LLM_PROVIDER / VIB3_LLM_CONFIG is (see routerFromEnvironment below).
  const agent = reg.context.settings.agent!;
  const router = agent.router;
  agent.router = undefined;
  try {
    const token = await agentToken('no-llm');
    const res = await call('/v1/agent/step', { method: 'POST', token, json: step() });
    assert.deepEqual([res.status, res.body.error.code], [503, 'LLM_NOT_CONFIGURED']);
    assert.match(res.body.error.suggestion, /OPENAI_API_KEY.*VIB3_LLM_PROVIDER=openai/);
    const status = await proxyStatus({ endpoint: `${reg.url}/v1/agent`, token, fetch: seen });
    assert.equal(status.configured, false);
    assert.match(status.message ?? '', /VIB3_LLM_PROVIDER/);
    const outcome = await runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent`, token, fetch: seen }), tools: pageTools().source, prompt: 'hi' });
    assert.deepEqual([outcome.finishReason, outcome.error?.code], ['error', 'LLM_NOT_CONFIGURED']);
  } finally {
    agent.router = router;
  }
  // routerFromEnvironment refuses a provider without its key, an unknown provider, an unreadable
  // file (the registry then starts without a router: see the next test).
  assert.throws(() => routerFromEnvironment({ VIB3_LLM_PROVIDER: 'openai' }), (e: any) => e.code === 'LLM_MISSING_KEY' && /OPENAI_API_KEY/.test(e.message));
  assert.throws(() => routerFromEnvironment({ VIB3_LLM_PROVIDER: 'bogus', OPENAI_API_KEY: KEY }), (e: any) => e.code === 'LLM_INVALID_CONFIG');
  assert.throws(() => routerFromEnvironment({ VIB3_LLM_CONFIG: '/nonexistent/router.json' }), (e: any) => e.code === 'LLM_INVALID_CONFIG');
  assert.equal(routerFromEnvironment({ OPENAI_API_KEY: KEY }), undefined);
});

test(`[${BACKEND}] a half-configured LLM does not stop the registry: it logs why, and the proxy answers 503 LLM_NOT_CONFIGURED with that reason`, async () => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ VIB3_LLM_PROVIDER: 'openai' }, 'LLM_MISSING_KEY', /OPENAI_API_KEY/],
    [{ VIB3_LLM_CONFIG: '/nonexistent/router.json' }, 'LLM_INVALID_CONFIG', /VIB3_LLM_CONFIG/],
  ];
  for (const [env, code, reason] of cases) {
    const started: string[] = [];
    const half = await startTestRegistry({ env, log: (m) => started.push(m) });
    try {
      // One clear line: code, message, suggestion.
      const lines = started.filter((l) => l.includes(code));
      assert.equal(lines.length, 1, started.join('\n'));
      assert.match(lines[0]!, reason);
      assert.equal(half.context.settings.agent!.router, undefined);
      assert.equal(half.context.settings.agent!.unavailable?.code, code);
      // The registry itself works.
      assert.equal((await fetch(`${half.url}/healthz`)).status, 200);
      const issued = await fetch(`${half.url}/v1/agent/tokens`, { method: 'POST', headers: { authorization: `Bearer ${half.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ user: 'half' }) });
      assert.equal(issued.status, 201);
      const { token } = (await issued.json()) as { token: string };
      const res = await fetch(`${half.url}/v1/agent/step`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(step()) });
      const body = (await res.json()) as { error: { code: string; message: string; suggestion: string } };
      assert.deepEqual([res.status, body.error.code], [503, 'LLM_NOT_CONFIGURED']);
      assert.match(body.error.message, new RegExp(code));
      assert.match(body.error.message, reason);
      assert.match(body.error.suggestion, /restart/);
      const status = await proxyStatus({ endpoint: `${half.url}/v1/agent`, token });
      assert.equal(status.configured, false);
      assert.match(status.message ?? '', new RegExp(code));
      const outcome = await runAgentSession({ model: proxyModel({ endpoint: `${half.url}/v1/agent`, token }), tools: pageTools().source, prompt: 'hi' });
      assert.deepEqual([outcome.finishReason, outcome.error?.code], ['error', 'LLM_NOT_CONFIGURED']);
      assert.match(outcome.error!.message, new RegExp(code));
    } finally {
      await half.close();
    }
  }
});

test(`[${BACKEND}] a client abort aborts the upstream model request`, { timeout: 120_000 }, async () => {
  const upstream: AbortSignal[] = [];
  let called!: () => void;
  const reached = new Promise<void>((resolve) => (called = resolve));
  // The provider's answer starts and then stalls (a slow model) until its request is aborted.
  const slow: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const signal = init!.signal!;
    upstream.push(signal);
    const reader = res.body!.getReader();
    const first = await reader.read();
    called();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) controller.enqueue(first.value);
      },
      pull: () => new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      cancel: () => reader.cancel().catch(() => undefined),
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  const env = { VIB3_LLM_PROVIDER: 'openai', VIB3_LLM_BASE_URL: fake.baseURL, OPENAI_API_KEY: KEY };
  const agent = reg.context.settings.agent!;
  const router = agent.router;
  agent.router = routerFromEnvironment(env, { fetch: slow });
  try {
    fake.script({ text: 'a long answer that never finishes in time', fragment: 3 });
    const sent = fake.requests.length;
    const token = await agentToken('aborter');
    const controller = new AbortController();
    const page = runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent`, token, fetch: seen }), tools: pageTools().source, prompt: 'hi', signal: controller.signal });
    await reached;
    assert.equal(fake.requests.length, sent + 1);
    controller.abort();
    const outcome = await page;
    assert.deepEqual([outcome.finishReason, outcome.error?.code], ['aborted', 'LLM_ABORTED']);
    // The server saw the page leave and aborted its own call to the provider.
    const signal = upstream[0]!;
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
  } finally {
    agent.router = router;
  }
});

test(`[${BACKEND}] the provider key never appears in any answer, header, error or log`, async () => {
  const token = await agentToken('scanner');
  // The provider echoes the key in its error (some do): the message reaches the page redacted.
  fake.script({ status: 400, message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.example/account.` });
  const outcome = await runAgentSession({ model: proxyModel({ endpoint: `${reg.url}/v1/agent`, token, fetch: seen }), tools: pageTools().source, prompt: 'hi' });
  assert.deepEqual([outcome.finishReason, outcome.error?.code], ['error', 'LLM_BAD_REQUEST']);
  assert.match(outcome.error!.message, /\[redacted\]/);
  assert.ok(logs.some((l) => /LLM_BAD_REQUEST.*HTTP 400/.test(l)), logs.join('\n'));
  // The log line has code, status and deployment, not the provider's message (it may echo prompt text).
  if (!process.env.VIB3_DEBUG) assert.equal(logs.some((l) => /Incorrect API key|platform\.example/.test(l)), false, logs.join('\n'));
  const everything = [...(await Promise.all(answers)), JSON.stringify(outcome), ...logs].join('\n');
  assert.ok(answers.length > 3, `only ${answers.length} answers were scanned`);
  assert.equal(everything.includes(KEY), false, 'the key leaked');
  assert.equal(everything.includes(KEY.slice(7, 27)), false, 'part of the key leaked');
  // The provider did get it, from the server's environment.
  assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
});

test(`[${BACKEND}] a secret with a quote or a backslash is redacted before the line is serialised`, async () => {
  // JSON escapes `"` and a backslash: redacting the serialised line would miss such a secret.
  const secret = `q"uo\\te${randomBytes(8).toString('hex')}`;
  redactor.add(secret);
  const token = await agentToken('quoted');
  fake.script({ text: `the secret is ${secret}, twice: ${secret}`, fragment: 10_000 });
  const res = await call('/v1/agent/step', { method: 'POST', token, json: step() });
  assert.equal(res.status, 200, res.text);
  const text = res.text.trim().split('\n').map((l) => JSON.parse(l) as StepPart).filter((p) => p.type === 'text-delta').map((p) => (p as { delta: string }).delta).join('');
  assert.equal(text, 'the secret is [redacted], twice: [redacted]');
  assert.equal(res.text.includes(JSON.stringify(secret).slice(1, -1)), false, 'the escaped secret leaked');
});
