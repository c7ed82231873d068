// The registry API on a real server (PGlite + files, or PostgreSQL + S3 when
// VIB3_REGISTRY_BACKEND=postgres): first start, publishers, publish, downloads, immutability,
// namespaces, trust tiers, channels and yanks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { signEd25519, toBase64Url, utf8 } from './signing-exports.js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

let reg: TestRegistry;
let acme: TestPublisher;
let globex: TestPublisher;
let site: Server;
let siteBase = '';
const proofs = new Map<string, string>();

before(async () => {
  // A loopback "publisher site": serves /<domain>/.well-known/vib3-publisher.json from `proofs`.
  site = createServer((req, res) => {
    const domain = decodeURIComponent((req.url ?? '').split('/')[1] ?? '');
    const doc = proofs.get(domain);
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' }).end(doc ?? '{}');
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteBase = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  reg = await startTestRegistry({ settings: { proofUrl: (domain) => `${siteBase}/${domain}/.well-known/vib3-publisher.json` } });
  acme = await createPublisher(reg, 'acme');
  globex = await createPublisher(reg, 'globex');
});
after(async () => {
  await reg?.close();
  site?.close();
});

test(`[${BACKEND}] first start writes root.json (also served as /tuf/1.root.json) and a 0600 admin token`, async () => {
  const root = readFileSync(join(reg.dataDir, 'root.json'), 'utf8');
  assert.equal(JSON.parse(root).signed._type, 'root');
  const served = await fetch(`${reg.url}/tuf/1.root.json`);
  assert.equal(await served.text(), root);
  const tokenFile = join(reg.dataDir, 'admin.token');
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  assert.match(readFileSync(tokenFile, 'utf8').trim(), /^vib3_[A-Za-z0-9_-]{43}$/);
  const health = await api(reg.url, '/healthz');
  assert.deepEqual(health.body, { ok: true, database: BACKEND === 'postgres' ? 'postgres' : 'pglite' });
});

test(`[${BACKEND}] publish → 201; listing, version record and the immutable package bytes`, async () => {
  const bytes = await makePackage(acme, { id: 'com.acme.shapes', version: '1.0.0', title: 'Acme Shapes', tags: ['polytope'] });
  const res = await publish(reg.url, acme.token, 'com.acme.shapes', '1.0.0', bytes);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  assert.equal(res.body.integrity, `sha512-${sha512}`);
  assert.equal(res.body.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(res.body.keyId, acme.keyId);
  assert.deepEqual(res.body.channels, { stable: '1.0.0' });

  const listing = await api(reg.url, '/v1/extensions/com.acme.shapes');
  assert.equal(listing.status, 200);
  assert.equal(listing.body.name, 'Acme Shapes');
  assert.deepEqual(listing.body.publisher, { name: 'acme', displayName: 'acme', tier: 'community' });
  assert.equal(listing.body.tier, 'community');
  assert.deepEqual(listing.body.channels, { stable: '1.0.0' });
  assert.deepEqual(listing.body.versions.map((v: any) => [v.version, v.yanked]), [['1.0.0', false]]);

  const record = await api(reg.url, '/v1/extensions/com.acme.shapes/1.0.0');
  assert.equal(record.body.size, bytes.length);
  assert.equal(record.body.links.package, '/v1/extensions/com.acme.shapes/1.0.0/package');

  const pkg = await fetch(`${reg.url}/v1/extensions/com.acme.shapes/1.0.0/package`);
  assert.equal(pkg.status, 200);
  assert.equal(pkg.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.deepEqual(new Uint8Array(await pkg.arrayBuffer()), bytes);
});

test(`[${BACKEND}] id@version is immutable: other bytes, the same bytes, and after a yank all get 409 VERSION_EXISTS`, async () => {
  const first = await makePackage(acme, { id: 'com.acme.immutable', version: '1.0.0' });
  assert.equal((await publish(reg.url, acme.token, 'com.acme.immutable', '1.0.0', first)).status, 201);
  const other = await makePackage(acme, { id: 'com.acme.immutable', version: '1.0.0', summary: 'Different bytes.' });
  for (const bytes of [other, first]) {
    const res = await publish(reg.url, acme.token, 'com.acme.immutable', '1.0.0', bytes);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'VERSION_EXISTS');
  }
  const yank = await api(reg.url, '/v1/extensions/com.acme.immutable/1.0.0/yank', { method: 'POST', token: acme.token, json: { reason: 'broken build' } });
  assert.equal(yank.status, 200, JSON.stringify(yank.body));
  const again = await publish(reg.url, acme.token, 'com.acme.immutable', '1.0.0', other);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'VERSION_EXISTS');
  // The bytes served are still the first ones.
  const pkg = new Uint8Array(await (await fetch(`${reg.url}/v1/extensions/com.acme.immutable/1.0.0/package`)).arrayBuffer());
  assert.deepEqual(pkg, first);
});

test(`[${BACKEND}] a namespace belongs to its first publisher: another publisher gets 403 NAMESPACE_OWNED`, async () => {
  assert.equal((await publish(reg.url, acme.token, 'com.acme.owned', '1.0.0', await makePackage(acme, { id: 'com.acme.owned', version: '1.0.0' }))).status, 201);
  const res = await publish(reg.url, globex.token, 'com.acme.other', '1.0.0', await makePackage(globex, { id: 'com.acme.other', version: '1.0.0' }));
  assert.equal(res.status, 403);
  assert.equal(res.body.error.code, 'NAMESPACE_OWNED');
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.other')).status, 404);
});

test(`[${BACKEND}] a package signed with another publisher's key is refused (UNKNOWN_KEY), tampered bytes too`, async () => {
  const foreign = await makePackage(globex, { id: 'com.acme.foreign', version: '1.0.0' });
  const res = await publish(reg.url, acme.token, 'com.acme.foreign', '1.0.0', foreign);
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'UNKNOWN_KEY');
  const good = await makePackage(acme, { id: 'com.acme.tampered', version: '1.0.0' });
  const tampered = good.slice();
  // Flip a byte inside the worker file's contents (the archive stays readable).
  const at = Buffer.from(tampered).indexOf(Buffer.from('export'));
  tampered[at] = tampered[at]! ^ 0x20;
  const bad = await publish(reg.url, acme.token, 'com.acme.tampered', '1.0.0', tampered);
  assert.equal(bad.status, 400);
  assert.ok(['INTEGRITY_MISMATCH', 'SIGNATURE_INVALID', 'ARCHIVE_INVALID'].includes(bad.body.error.code), bad.body.error.code);
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.tampered')).status, 404);
});

test(`[${BACKEND}] id and version in the URL must match the manifest; an invalid manifest is 422 with every problem`, async () => {
  const bytes = await makePackage(acme, { id: 'com.acme.mismatch', version: '1.0.0' });
  assert.equal((await publish(reg.url, acme.token, 'com.acme.other-id', '1.0.0', bytes)).body.error.code, 'ID_MISMATCH');
  assert.equal((await publish(reg.url, acme.token, 'com.acme.mismatch', '1.0.1', bytes)).body.error.code, 'VERSION_MISMATCH');
  const invalid = await makePackage(acme, { id: 'com.acme.invalid', version: '1.0.0', edit: (m) => { m.name = ''; m.compatibility.rendererContract = 'one'; } });
  const res = await publish(reg.url, acme.token, 'com.acme.invalid', '1.0.0', invalid);
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'MANIFEST_INVALID');
  assert.ok(res.body.error.problems.length >= 2, JSON.stringify(res.body.error.problems));
});

test(`[${BACKEND}] trust tiers: a domain proof makes a publisher verified; look-alikes of its namespace are refused`, async () => {
  const first = await api(reg.url, '/v1/publishers/acme/verification', { method: 'POST', token: acme.token, json: { method: 'domain', domain: 'acme.com' } });
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.equal(first.body.namespace, 'com.acme');
  // Served but signed by the wrong key: refused, still community.
  const wrong = toBase64Url(await signEd25519(globex.privateJwk, utf8(first.body.sign)));
  proofs.set('acme.com', JSON.stringify({ publisher: 'acme', domain: 'acme.com', challenge: first.body.challenge, keyId: acme.keyId, signature: wrong }));
  const refused = await api(reg.url, '/v1/publishers/acme/verification', { method: 'POST', token: acme.token, json: { method: 'domain', domain: 'acme.com' } });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'PROOF_INVALID');
  assert.equal((await api(reg.url, '/v1/publishers/acme')).body.tier, 'community');
  // globex cannot run the proof for acme.
  const hijack = await api(reg.url, '/v1/publishers/acme/verification', { method: 'POST', token: globex.token, json: { method: 'domain', domain: 'acme.com' } });
  assert.equal(hijack.body.error.code, 'NOT_YOUR_PUBLISHER');

  const signature = toBase64Url(await signEd25519(acme.privateJwk, utf8(first.body.sign)));
  proofs.set('acme.com', JSON.stringify({ publisher: 'acme', domain: 'acme.com', challenge: first.body.challenge, keyId: acme.keyId, signature }));
  const ok = await api(reg.url, '/v1/publishers/acme/verification', { method: 'POST', token: acme.token, json: { method: 'domain', domain: 'acme.com' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.tier, 'verified');
  assert.equal(ok.body.domain, 'acme.com');
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.shapes')).body.tier, 'verified');

  for (const squat of ['com.acrne.shapes', 'com.acme-.shapes', 'corn.acme.shapes', 'com.acmee.shapes']) {
    const res = await publish(reg.url, globex.token, squat, '1.0.0', await makePackage(globex, { id: squat, version: '1.0.0' }));
    assert.equal(res.status, 403, `${squat}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, squat.startsWith('com.acme.') ? 'NAMESPACE_OWNED' : 'NAME_TOO_SIMILAR', squat);
  }
  // A different name is fine, and a first publish never makes a namespace verified.
  assert.equal((await publish(reg.url, globex.token, 'com.globex.tools', '1.0.0', await makePackage(globex, { id: 'com.globex.tools', version: '1.0.0' }))).status, 201);
  assert.equal((await api(reg.url, '/v1/extensions/com.globex.tools')).body.tier, 'community');
  // An admin grant verifies too.
  const grant = await api(reg.url, '/v1/publishers/globex/verification', { method: 'POST', token: reg.adminToken, json: { method: 'admin' } });
  assert.equal(grant.body.tier, 'verified');
  const notAdmin = await api(reg.url, '/v1/publishers/globex/verification', { method: 'POST', token: globex.token, json: { method: 'admin' } });
  assert.equal(notAdmin.body.error.code, 'ADMIN_REQUIRED');
});

test(`[${BACKEND}] channels: releases move stable; beta/canary are set explicitly; a yank clears channels but keeps the exact version downloadable`, async () => {
  const id = 'com.acme.channels';
  for (const v of ['1.0.0', '1.1.0-beta.1', '1.1.0']) assert.equal((await publish(reg.url, acme.token, id, v, await makePackage(acme, { id, version: v }))).status, 201);
  let listing = (await api(reg.url, `/v1/extensions/${id}`)).body;
  assert.deepEqual(listing.channels, { stable: '1.1.0' });
  assert.equal(listing.latest, '1.1.0');
  const beta = await api(reg.url, `/v1/extensions/${id}/channels/beta`, { method: 'PUT', token: acme.token, json: { version: '1.1.0-beta.1' } });
  assert.equal(beta.status, 200, JSON.stringify(beta.body));
  assert.deepEqual(beta.body.channels, { beta: '1.1.0-beta.1', stable: '1.1.0' });
  const foreign = await api(reg.url, `/v1/extensions/${id}/channels/beta`, { method: 'PUT', token: globex.token, json: { version: '1.0.0' } });
  assert.equal(foreign.status, 403);
  const bad = await api(reg.url, `/v1/extensions/${id}/channels/nightly`, { method: 'PUT', token: acme.token, json: { version: '1.0.0' } });
  assert.equal(bad.body.error.code, 'INVALID_CHANNEL');
  const missing = await api(reg.url, `/v1/extensions/${id}/channels/canary`, { method: 'PUT', token: acme.token, json: { version: '9.9.9' } });
  assert.equal(missing.body.error.code, 'VERSION_NOT_FOUND');

  const yank = await api(reg.url, `/v1/extensions/${id}/1.1.0/yank`, { method: 'POST', token: acme.token, json: { reason: 'crashes on load' } });
  assert.equal(yank.status, 200);
  assert.deepEqual(yank.body.channels, { beta: '1.1.0-beta.1' });
  const toYanked = await api(reg.url, `/v1/extensions/${id}/channels/stable`, { method: 'PUT', token: acme.token, json: { version: '1.1.0' } });
  assert.equal(toYanked.body.error.code, 'VERSION_YANKED');
  const record = (await api(reg.url, `/v1/extensions/${id}/1.1.0`)).body;
  assert.equal(record.yanked, true);
  assert.equal(record.yankReason, 'crashes on load');
  assert.equal((await fetch(`${reg.url}/v1/extensions/${id}/1.1.0/package`)).status, 200);
  listing = (await api(reg.url, `/v1/extensions/${id}`)).body;
  assert.deepEqual(listing.versions.filter((v: any) => v.yanked).map((v: any) => v.version), ['1.1.0']);
  const noReason = await api(reg.url, `/v1/extensions/${id}/1.0.0/yank`, { method: 'POST', token: acme.token, json: {} });
  assert.equal(noReason.body.error.code, 'REASON_REQUIRED');
});

test(`[${BACKEND}] publisher lookup and whoami`, async () => {
  const pub = await api(reg.url, '/v1/publishers/acme');
  assert.equal(pub.status, 200);
  assert.deepEqual(pub.body.keyIds, [acme.keyId]);
  assert.ok(pub.body.extensions.includes('com.acme.shapes'));
  assert.ok(pub.body.namespaces.includes('com.acme'));
  assert.deepEqual((await api(reg.url, '/v1/whoami', { token: acme.token })).body, { publisher: 'acme', admin: false });
  assert.deepEqual((await api(reg.url, '/v1/whoami', { token: reg.adminToken })).body, { publisher: null, admin: true });
  assert.equal((await api(reg.url, '/v1/publishers/nobody-here')).body.error.code, 'PUBLISHER_NOT_FOUND');
  assert.equal(existsSync(join(reg.dataDir, 'keys')), true);
});
