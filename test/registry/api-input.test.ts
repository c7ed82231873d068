// Hostile and malformed input to a real registry: every request gets a coded error with a fitting
// status and changes nothing (the TUF timestamp, the listing set and the publisher set stay as
// they were); rate limits answer 429 with Retry-After.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/registry/http/app.js';
import { hashToken, issueToken } from '../../src/registry/auth/tokens.js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

let reg: TestRegistry;
let acme: TestPublisher;
let globex: TestPublisher;

before(async () => {
  reg = await startTestRegistry({ settings: { maxPackageBytes: 256 * 1024 } });
  acme = await createPublisher(reg, 'acme');
  globex = await createPublisher(reg, 'globex');
  assert.equal((await publish(reg.url, acme.token, 'com.acme.base', '1.0.0', await makePackage(acme, { id: 'com.acme.base', version: '1.0.0' }))).status, 201);
});
after(() => reg?.close());

/** Everything a failed request must not change. */
async function fingerprint() {
  const timestamp = await (await fetch(`${reg.url}/tuf/timestamp.json`)).json();
  const search = await api(reg.url, '/v1/extensions?sort=name&limit=100');
  const pubs = await reg.context.db.query('SELECT name FROM publishers ORDER BY name');
  const tokens = await reg.context.db.query('SELECT count(*)::int AS n FROM api_tokens');
  return JSON.stringify([timestamp.signed.meta, search.body, pubs.rows, tokens.rows]);
}

async function refused(label: string, request: () => Promise<{ status: number; body: any }>, status: number, code: string) {
  const before = await fingerprint();
  const res = await request();
  assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body?.error?.code, code, label);
  assert.equal(typeof res.body.error.message, 'string', label);
  assert.ok(res.body.error.suggestion.length > 5, `${label} has a suggestion`);
  assert.equal(await fingerprint(), before, `${label} changed nothing`);
}

test(`[${BACKEND}] malformed JSON, wrong content types and oversized bodies`, async () => {
  await refused('malformed JSON', () => api(reg.url, '/v1/publishers', { method: 'POST', token: reg.adminToken, body: '{"name": "x", ', type: 'application/json' }), 400, 'INVALID_JSON');
  await refused('JSON array', () => api(reg.url, '/v1/publishers', { method: 'POST', token: reg.adminToken, json: ['x'] }), 400, 'INVALID_JSON');
  await refused('form post', () => api(reg.url, '/v1/publishers', { method: 'POST', token: reg.adminToken, body: 'name=x', type: 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  const pkg = await makePackage(acme, { id: 'com.acme.typed', version: '1.0.0' });
  await refused('package as JSON', () => publish(reg.url, acme.token, 'com.acme.typed', '1.0.0', pkg, 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  const big = await makePackage(acme, { id: 'com.acme.big', version: '1.0.0', padding: 300 * 1024 });
  await refused('oversized package', () => publish(reg.url, acme.token, 'com.acme.big', '1.0.0', big), 413, 'PAYLOAD_TOO_LARGE');
  await refused('oversized JSON', () => api(reg.url, '/v1/publishers', { method: 'POST', token: reg.adminToken, json: { name: 'x'.repeat(100_000) } }), 413, 'PAYLOAD_TOO_LARGE');
  // A streamed body with no Content-Length is cut off at the limit too.
  const stream = new ReadableStream({ start(c) { for (let i = 0; i < 40; i++) c.enqueue(new Uint8Array(16 * 1024)); c.close(); } });
  const res = await fetch(`${reg.url}/v1/extensions/com.acme.stream/1.0.0`, { method: 'PUT', headers: { authorization: `Bearer ${acme.token}`, 'content-type': 'application/vnd.vib3.extension' }, body: stream, duplex: 'half' } as RequestInit);
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as any).error.code, 'PAYLOAD_TOO_LARGE');
});

test(`[${BACKEND}] path traversal, unicode confusables and malformed ids and versions`, async () => {
  const pkg = await makePackage(acme, { id: 'com.acme.base', version: '1.0.1' });
  await refused('encoded traversal', () => publish(reg.url, acme.token, '..%2F..%2Fetc%2Fpasswd', '1.0.1', pkg), 400, 'INVALID_ID');
  await refused('Cyrillic а in the id', () => publish(reg.url, acme.token, encodeURIComponent('com.аcme.base'), '1.0.1', pkg), 400, 'INVALID_ID');
  await refused('fullwidth letters', () => api(reg.url, `/v1/extensions/${encodeURIComponent('com.ａcme.base')}`), 400, 'INVALID_ID');
  await refused('uppercase id', () => api(reg.url, '/v1/extensions/COM.ACME.BASE'), 400, 'INVALID_ID');
  await refused('v-prefixed version', () => publish(reg.url, acme.token, 'com.acme.base', 'v1.0.1', pkg), 400, 'INVALID_VERSION');
  await refused('version with build metadata', () => api(reg.url, '/v1/extensions/com.acme.base/1.0.0+evil/package'), 400, 'INVALID_VERSION');
  await refused('traversal in TUF targets', () => api(reg.url, `/tuf/targets/extensions/${'a'.repeat(64)}.%2E%2E%2F%2E%2E%2Fadmin.token`), 404, 'TUF_NOT_FOUND');
  await refused('metadata name', () => api(reg.url, '/tuf/..%2Fadmin.token'), 404, 'TUF_NOT_FOUND');
  await refused('unknown route', () => api(reg.url, '/v1/nothing'), 404, 'NOT_FOUND');
});

test(`[${BACKEND}] invalid cursors, sorts and limits`, async () => {
  await refused('garbage cursor', () => api(reg.url, '/v1/extensions?cursor=%%%'), 400, 'INVALID_CURSOR');
  await refused('base64 of junk', () => api(reg.url, `/v1/extensions?cursor=${Buffer.from('{"s":"updated","k":["x"]}').toString('base64url')}`), 400, 'INVALID_CURSOR');
  const page = await api(reg.url, '/v1/extensions?sort=name&limit=1');
  // A cursor from one sort order is refused by another.
  if (page.body.nextCursor) await refused('cursor of another sort', () => api(reg.url, `/v1/extensions?sort=updated&cursor=${page.body.nextCursor}`), 400, 'INVALID_CURSOR');
  await refused('sort', () => api(reg.url, '/v1/extensions?sort=downloads'), 400, 'INVALID_SORT');
  await refused('limit 0', () => api(reg.url, '/v1/extensions?limit=0'), 400, 'INVALID_LIMIT');
  await refused('limit 1e9', () => api(reg.url, '/v1/extensions?limit=1000000000'), 400, 'INVALID_LIMIT');
  await refused('tier', () => api(reg.url, '/v1/extensions?tier=gold'), 400, 'INVALID_TIER');
});

test(`[${BACKEND}] tokens: missing, malformed, wrong, expired, revoked, or another publisher's`, async () => {
  const pkg = await makePackage(acme, { id: 'com.acme.tokens', version: '1.0.0' });
  await refused('no token', () => publish(reg.url, '', 'com.acme.tokens', '1.0.0', pkg), 401, 'TOKEN_REQUIRED');
  await refused('wrong token', () => publish(reg.url, `vib3_${'A'.repeat(43)}`, 'com.acme.tokens', '1.0.0', pkg), 401, 'TOKEN_INVALID');
  await refused('malformed header', () => api(reg.url, '/v1/whoami', { token: 'has spaces in it' }), 401, 'TOKEN_INVALID');
  const expired = await issueToken(reg.context.db, { kind: 'publisher', publisher: 'acme' }, { expiresAt: new Date(Date.now() - 1000) });
  await refused('expired token', () => publish(reg.url, expired, 'com.acme.tokens', '1.0.0', pkg), 401, 'TOKEN_EXPIRED');
  const revoked = await issueToken(reg.context.db, { kind: 'publisher', publisher: 'acme' });
  await reg.context.db.query('UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1', [hashToken(revoked)]);
  await refused('revoked token', () => publish(reg.url, revoked, 'com.acme.tokens', '1.0.0', pkg), 401, 'TOKEN_INVALID');
  await refused("another publisher's token", () => publish(reg.url, globex.token, 'com.acme.tokens', '1.0.0', pkg), 403, 'NAMESPACE_OWNED');
  await refused('publisher token for admin work', () => api(reg.url, '/v1/publishers', { method: 'POST', token: acme.token, json: { name: 'mallory', keys: [acme.publicJwk] } }), 403, 'ADMIN_REQUIRED');
  await refused('admin token for publishing', () => publish(reg.url, reg.adminToken, 'com.acme.tokens', '1.0.0', pkg), 403, 'PUBLISHER_REQUIRED');
  await refused("another publisher's yank", () => api(reg.url, '/v1/extensions/com.acme.base/1.0.0/yank', { method: 'POST', token: globex.token, json: { reason: 'sabotage' } }), 403, 'NAMESPACE_OWNED');
});

test(`[${BACKEND}] publisher creation refuses bad names, keys, private keys and duplicates`, async () => {
  const create = (json: unknown) => () => api(reg.url, '/v1/publishers', { method: 'POST', token: reg.adminToken, json });
  await refused('bad name', create({ name: 'Bad Name', keys: [acme.publicJwk] }), 400, 'INVALID_PUBLISHER_NAME');
  await refused('no keys', create({ name: 'newco', keys: [] }), 400, 'INVALID_KEY');
  await refused('RSA key', create({ name: 'newco', keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] }), 400, 'INVALID_KEY');
  await refused('private key', create({ name: 'newco', keys: [acme.privateJwk] }), 400, 'PRIVATE_KEY_SENT');
  await refused('duplicate name', create({ name: 'acme', keys: [globex.publicJwk] }), 409, 'PUBLISHER_EXISTS');
  await refused("someone else's key", create({ name: 'newco', keys: [acme.publicJwk] }), 409, 'KEY_IN_USE');
});

test(`[${BACKEND}] rate limits answer 429 with Retry-After and a coded error`, async () => {
  // A second server over the same registry state with a tiny read budget.
  const app = createApp({ ...reg.context, settings: { ...reg.context.settings, rateLimit: { reads: 3, writes: 1 } } });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((done) => server.once('listening', done));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    for (let i = 0; i < 3; i++) assert.equal((await api(base, '/v1/extensions/com.acme.base')).status, 200);
    const limited = await api(base, '/v1/extensions/com.acme.base');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  } finally {
    server.close();
  }
});
