// Licenses issued by the registry for a publisher's checkout: POST /v1/extensions/{id}/licenses
// (publisher token) signs a token with the registry's license key; the key and the revocation
// list are TUF targets a stock client (our TufClient here) verifies; revocation updates the list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';
import { TufClient, MemoryMetadataStore } from '../../src/marketplace/tuf/index.js';
import { verifyLicense } from '../../src/marketplace/license/index.js';

let reg: TestRegistry;
let acme: TestPublisher;
let rival: TestPublisher;
const ID = 'com.acme.paid';

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  rival = await createPublisher(reg, 'rival');
  assert.equal((await publish(reg.url, acme.token, ID, '1.0.0', await makePackage(acme, { id: ID, version: '1.0.0' }))).status, 201);
});
after(async () => reg?.close());

async function targetJson(path: string): Promise<any> {
  const root = new Uint8Array(await (await fetch(`${reg.url}/tuf/1.root.json`)).arrayBuffer());
  const client = new TufClient({ metadataUrl: `${reg.url}/tuf/`, targetsUrl: `${reg.url}/tuf/targets/`, store: new MemoryMetadataStore(), trustedRoot: root });
  await client.refresh();
  const info = await client.getTargetInfo(path);
  return info ? JSON.parse(new TextDecoder().decode(await client.downloadTarget(info))) : undefined;
}

test(`[${BACKEND}] a publisher's checkout gets a license signed by the registry key that TUF publishes; revocation is signed too`, async () => {
  const request = { sub: 'customer-42', aud: ['https://shop.example.com'], tier: 'pro', entitlements: ['export'], days: 30 };
  const issued = await api(reg.url, `/v1/extensions/${ID}/licenses`, { method: 'POST', token: acme.token, json: request });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  const { token, jti, kid } = issued.body;
  // The key comes from the signed target, never from the answer.
  const published = await targetJson('licensing/keys.json');
  assert.deepEqual(published.keys.map((k: any) => k.kid), [kid]);
  const keys = new Map(published.keys.map((k: any) => [k.kid, { kty: 'OKP', crv: 'Ed25519', x: k.x }]));
  const claims = await verifyLicense(token, { ext: ID, origin: 'https://shop.example.com', keys: keys as any });
  assert.deepEqual([claims.sub, claims.tier, claims.entitlements, claims.jti, claims.exp - claims.nbf], ['customer-42', 'pro', ['export'], jti, 30 * 86_400]);
  assert.equal(await targetJson('licensing/revoked.json'), undefined);

  // Only the extension's publisher issues and revokes; bad requests are coded.
  assert.equal((await api(reg.url, `/v1/extensions/${ID}/licenses`, { method: 'POST', token: rival.token, json: request })).status, 403);
  assert.equal((await api(reg.url, `/v1/extensions/${ID}/licenses`, { method: 'POST', json: request })).status, 401);
  const badAud = await api(reg.url, `/v1/extensions/${ID}/licenses`, { method: 'POST', token: acme.token, json: { ...request, aud: ['https://shop.example.com/path'] } });
  assert.deepEqual([badAud.status, badAud.body.error.code], [400, 'INVALID_LICENSE_REQUEST']);
  assert.equal((await api(reg.url, `/v1/licenses/${jti}/revoke`, { method: 'POST', token: rival.token, json: { reason: 'no' } })).status, 404);
  assert.equal((await api(reg.url, `/v1/licenses/${jti}/revoke`, { method: 'POST', token: acme.token, json: {} })).body.error.code, 'REASON_REQUIRED');

  const revoked = await api(reg.url, `/v1/licenses/${jti}/revoke`, { method: 'POST', token: acme.token, json: { reason: 'refunded' } });
  assert.deepEqual([revoked.status, revoked.body.revoked], [200, true]);
  assert.deepEqual((await targetJson('licensing/revoked.json')).revoked, [jti]);
  await assert.rejects(verifyLicense(token, { ext: ID, origin: 'https://shop.example.com', keys: keys as any, revoked: new Set((await targetJson('licensing/revoked.json')).revoked) }), (e: any) => e.code === 'LICENSE_REVOKED');
  // A second license reuses the published key (no new keys target).
  const second = await api(reg.url, `/v1/extensions/${ID}/licenses`, { method: 'POST', token: acme.token, json: request });
  assert.equal(second.body.kid, kid);
  assert.equal((await targetJson('licensing/keys.json')).keys.length, 1);
});
