// Compliance at publish (docs/MARKETPLACE-POLICY.md) on a real registry: a package failing a
// required check (eval in the bundle, a placeholder capability reason) is refused with 422
// COMPLIANCE_FAILED and the report, and nothing is stored; a compliant one is published with its
// report, which GET /v1/extensions/{id}/{version} shows and GET /v1/compliance counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packFiles, readArchive, signPackage } from '../../src/extensions/index.js';
import { api, BACKEND, createPublisher, makePackage, publish, sbomOf, startTestRegistry, type PackageSpec, type TestPublisher, type TestRegistry } from './harness.js';
import { png } from '../support/png.js';

let reg: TestRegistry;
let acme: TestPublisher;

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
});
after(async () => {
  await reg?.close();
});

const enc = new TextEncoder();

/** makePackage's package with files added or replaced, signed again. */
async function packageWith(spec: PackageSpec, extra: Record<string, Uint8Array | string>): Promise<Uint8Array> {
  const files = readArchive(await makePackage(acme, spec));
  for (const [path, value] of Object.entries(extra)) files.set(path, typeof value === 'string' ? enc.encode(value) : value);
  return signPackage(packFiles(files), acme.privateJwk);
}

/** Everything a refused publish must leave as it was. */
async function state() {
  return {
    timestamp: (await api(reg.url, '/tuf/timestamp.json')).body,
    audit: (await api(reg.url, '/v1/audit')).body,
    compliance: (await api(reg.url, '/v1/compliance')).body,
    search: (await api(reg.url, '/v1/extensions')).body,
  };
}

const blobStored = (bytes: Uint8Array) => {
  const sha = createHash('sha256').update(bytes).digest('hex');
  return existsSync(join(reg.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2)));
};

test(`[${BACKEND}] a package failing a required check is refused with 422 COMPLIANCE_FAILED and the report; nothing is stored`, async () => {
  const before = await state();
  assert.deepEqual(before.compliance, { versions: 0, passingAll: 0, share: 1, passingRequired: 0, unchecked: 0, byCheck: {} });

  const withEval = await packageWith({ id: 'com.acme.evil', version: '1.0.0' }, { 'dist/worker.js': 'export default { activate() { return eval("1 + 1"); } };' });
  const res = await publish(reg.url, acme.token, 'com.acme.evil', '1.0.0', withEval);
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'COMPLIANCE_FAILED');
  assert.match(res.body.error.message, /NO_EVAL/);
  assert.match(res.body.error.suggestion, /vib3 ext compliance/);
  const report = res.body.error.report;
  assert.equal(report.ok, false);
  const failing = report.checks.filter((c: { ok: boolean; required: boolean }) => !c.ok && c.required).map((c: { code: string }) => c.code);
  assert.deepEqual(failing, ['NO_EVAL']);
  assert.equal(report.checks.find((c: { code: string }) => c.code === 'NO_EVAL').path, 'dist/worker.js');

  const placeholder = await makePackage(acme, { id: 'com.acme.vague', version: '1.0.0', edit: (m) => (m.capabilities.geometry.reason = 'TODO: explain later') });
  const vague = await publish(reg.url, acme.token, 'com.acme.vague', '1.0.0', placeholder);
  assert.deepEqual([vague.status, vague.body.error.code], [422, 'COMPLIANCE_FAILED']);
  assert.match(vague.body.error.message, /CAPABILITY_REASONS/);

  // Nothing stored: no listing, no version, no tombstone, no blob, TUF, audit log and metrics unchanged.
  assert.deepEqual(await state(), before);
  for (const id of ['com.acme.evil', 'com.acme.vague']) assert.equal((await api(reg.url, `/v1/extensions/${id}`)).status, 404);
  if (BACKEND === 'pglite' && !process.env.VIB3_S3_SPEC) assert.equal(blobStored(withEval), false);
  // No tombstone either: the version can be published once it complies.
  const fixed = await makePackage(acme, { id: 'com.acme.evil', version: '1.0.0' });
  assert.equal((await publish(reg.url, acme.token, 'com.acme.evil', '1.0.0', fixed)).status, 201);
  const yank = await api(reg.url, '/v1/extensions/com.acme.evil/1.0.0/yank', { method: 'POST', token: acme.token, json: { reason: 'test package' } });
  assert.equal(yank.status, 200, JSON.stringify(yank.body));
});

test(`[${BACKEND}] published versions carry their report; GET /v1/compliance counts what the registry serves`, async () => {
  // Today's test packages (no previews, no SBOM) publish: those checks are advisory.
  const plain = await makePackage(acme, { id: 'com.acme.plain', version: '1.0.0' });
  const res = await publish(reg.url, acme.token, 'com.acme.plain', '1.0.0', plain);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  if (BACKEND === 'pglite' && !process.env.VIB3_S3_SPEC) assert.equal(blobStored(plain), true, 'the blob check looks in the right place');
  const record = await api(reg.url, '/v1/extensions/com.acme.plain/1.0.0');
  assert.equal(record.body.compliance.ok, true);
  assert.deepEqual(record.body.compliance.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { code: string }) => c.code), ['PREVIEW', 'SBOM']);
  assert.match(record.body.compliance.checks[0].message, /verifies/);

  const complete = await packageWith(
    { id: 'com.acme.complete', version: '1.0.0', edit: (m) => (m.marketplace.previews = [{ src: 'assets/preview.png', alt: 'The shapes on a canvas', width: 1280, height: 720 }]) },
    // The SBOM describes the worker (the same bytes in every test package), as vib3 ext build writes it.
    { 'assets/preview.png': png(1280, 720), 'dist/sbom.cdx.json': sbomOf(readArchive(plain), 'com.acme.complete', '1.0.0') },
  );
  assert.equal((await publish(reg.url, acme.token, 'com.acme.complete', '1.0.0', complete)).status, 201);
  const full = await api(reg.url, '/v1/extensions/com.acme.complete/1.0.0');
  assert.deepEqual(full.body.compliance.checks.filter((c: { ok: boolean }) => !c.ok), []);

  // The yanked com.acme.evil@1.0.0 of the first test is not served, so it is not counted.
  const summary = await api(reg.url, '/v1/compliance');
  assert.equal(summary.status, 200);
  assert.deepEqual({ ...summary.body, byCheck: undefined }, { versions: 2, passingAll: 1, share: 0.5, passingRequired: 2, unchecked: 0, byCheck: undefined });
  assert.deepEqual(summary.body.byCheck, {
    CAPABILITY_REASONS: { passed: 2, failed: 0 },
    INTEGRITY: { passed: 2, failed: 0 },
    LISTING: { passed: 2, failed: 0 },
    MANIFEST: { passed: 2, failed: 0 },
    NO_EVAL: { passed: 2, failed: 0 },
    PREVIEW: { passed: 1, failed: 1 },
    PRIVACY: { passed: 2, failed: 0 },
    SBOM: { passed: 1, failed: 1 },
    SIGNATURE: { passed: 2, failed: 0 },
  });

  const yank = await api(reg.url, '/v1/extensions/com.acme.plain/1.0.0/yank', { method: 'POST', token: acme.token, json: { reason: 'no preview' } });
  assert.equal(yank.status, 200);
  const after = (await api(reg.url, '/v1/compliance')).body;
  assert.deepEqual([after.versions, after.passingAll, after.share, after.byCheck.PREVIEW], [1, 1, 1, { passed: 1, failed: 0 }]);
});
