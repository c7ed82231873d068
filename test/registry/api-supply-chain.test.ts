// Supply chain on a real registry (docs/SUPPLY-CHAIN.md): a package carrying an SBOM of its bundle
// and a provenance statement is published; the registry serves both from inside the package
// (GET …/{version}/sbom, …/provenance) and names them in the version record; a package whose SBOM
// or provenance does not hold for its files (stale digests, another signer, another hash) is
// refused with the check's code and nothing is stored. The installer's policy (`vib3 ext install
// --require-sbom | --require-provenance | --allowed-builder`) refuses what it must and changes
// nothing when it does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { generateEd25519, packFiles, readArchive, signPackage, type Ed25519Jwk } from '../../src/extensions/index.js';
import { addProvenance, LOCAL_BUILDER_ID } from '../../src/supply-chain/node/extension-provenance.js';
import { PROVENANCE_PATH, verifyProvenance, provenanceArtifacts } from '../../src/supply-chain/index.js';
import { api, createPublisher, makePackage, publish, sbomOf, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

let reg: TestRegistry;
let acme: TestPublisher;
let work: string;
const enc = new TextEncoder();
const dec = new TextDecoder();

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  work = mkdtempSync(join(tmpdir(), 'vib3-supply-chain-'));
});
after(async () => {
  await reg?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Build {
  /** Change the files after the SBOM and provenance were made (then sign). */
  after?: (files: Map<string, Uint8Array>) => void;
  sbom?: boolean;
  provenance?: boolean | { key: Ed25519Jwk; builderId?: string };
}

/** A package as the publisher's toolchain makes it: build (SBOM) → pack → sign (provenance). */
async function build(id: string, version: string, spec: Build = {}): Promise<Uint8Array> {
  const files = readArchive(await makePackage(acme, { id, version }));
  if (spec.sbom !== false) files.set('dist/sbom.cdx.json', sbomOf(files, id, version));
  let archive = packFiles(files);
  if (spec.provenance !== false) {
    const p = typeof spec.provenance === 'object' ? spec.provenance : { key: acme.privateJwk };
    archive = (await addProvenance(archive, p.key, { kitVersion: '0.1.0', ...(p.builderId ? { builderId: p.builderId } : {}) })).archive;
  }
  const final = readArchive(archive);
  spec.after?.(final);
  return signPackage(packFiles(final), acme.privateJwk);
}

test('a package with SBOM and provenance: the version record links both, the registry serves them from the package, and the provenance verifies for its files', async () => {
  const bytes = await build('com.acme.attested', '1.0.0', { provenance: { key: acme.privateJwk, builderId: 'https://ci.acme.example/builders/release' } });
  const res = await publish(reg.url, acme.token, 'com.acme.attested', '1.0.0', bytes);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const record = await api(reg.url, '/v1/extensions/com.acme.attested/1.0.0');
  assert.deepEqual(record.body.links, { package: '/v1/extensions/com.acme.attested/1.0.0/package', sbom: '/v1/extensions/com.acme.attested/1.0.0/sbom', provenance: '/v1/extensions/com.acme.attested/1.0.0/provenance' });
  assert.equal(record.body.supplyChain.sbom.path, 'dist/sbom.cdx.json');
  assert.equal(record.body.supplyChain.sbom.files, 1);
  assert.equal(record.body.supplyChain.provenance.builderId, 'https://ci.acme.example/builders/release');
  assert.equal(record.body.supplyChain.provenance.keyId, acme.keyId);

  const files = readArchive(bytes);
  const sbom = await fetch(`${reg.url}${record.body.links.sbom}`);
  assert.equal(sbom.status, 200);
  assert.equal(sbom.headers.get('content-type'), 'application/vnd.cyclonedx+json');
  assert.match(sbom.headers.get('cache-control') ?? '', /immutable/);
  assert.deepEqual(new Uint8Array(await sbom.arrayBuffer()), files.get('dist/sbom.cdx.json'));
  const prov = await fetch(`${reg.url}${record.body.links.provenance}`);
  assert.equal(prov.status, 200);
  const envelope = await prov.json();
  assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
  // A consumer checks the served statement against the package it downloaded, with the publisher key.
  const verified = await verifyProvenance(envelope, provenanceArtifacts(files), { trusted: new Map([[acme.keyId, acme.publicJwk]]), exact: true });
  assert.equal(verified.builderId, 'https://ci.acme.example/builders/release');
  assert.deepEqual(verified.statement.subject.map((s) => s.name), ['dist/sbom.cdx.json', 'dist/tools.json', 'dist/worker.js']);
});

test('a package without them: links are null and both routes answer 404 with a code', async () => {
  const bytes = await build('com.acme.plain', '1.0.0', { sbom: false, provenance: false });
  assert.equal((await publish(reg.url, acme.token, 'com.acme.plain', '1.0.0', bytes)).status, 201);
  const record = await api(reg.url, '/v1/extensions/com.acme.plain/1.0.0');
  assert.equal(record.body.links.sbom, null);
  assert.equal(record.body.links.provenance, null);
  assert.deepEqual(record.body.supplyChain, { sbom: null, provenance: null });
  const sbom = await api(reg.url, '/v1/extensions/com.acme.plain/1.0.0/sbom');
  assert.equal(sbom.status, 404);
  assert.equal(sbom.body.error.code, 'SBOM_NOT_FOUND');
  const prov = await api(reg.url, '/v1/extensions/com.acme.plain/1.0.0/provenance');
  assert.equal(prov.status, 404);
  assert.equal(prov.body.error.code, 'PROVENANCE_NOT_FOUND');
  assert.equal((await api(reg.url, '/v1/extensions/com.acme.nothing/1.0.0/sbom')).body.error.code, 'EXTENSION_NOT_FOUND');
});

test('publish refuses a package whose SBOM or provenance does not hold for its files, and stores nothing', async () => {
  const mallory = await generateEd25519();
  const cases: Array<[string, Build, string]> = [
    ['the worker changed after the provenance was made (publisher-signed, stale digests)', { sbom: false, after: (f) => f.set('dist/worker.js', enc.encode(`${dec.decode(f.get('dist/worker.js')!)}\n// changed`)) }, 'PROVENANCE_SUBJECT_MISMATCH'],
    ['the worker changed after the build (the SBOM no longer describes it)', { after: (f) => f.set('dist/worker.js', enc.encode(`${dec.decode(f.get('dist/worker.js')!)}\n// changed`)) }, 'SBOM_MISMATCH'],
    ['a file added after the provenance was made', { after: (f) => f.set('dist/extra.json', enc.encode('{}')) }, 'PROVENANCE_SUBJECT_MISMATCH'],
    ['a provenance signed by a key that is not the publisher\'s', { provenance: { key: mallory.privateJwk } }, 'DSSE_UNKNOWN_KEY'],
    ['an SBOM listing another hash for the worker', { provenance: false, after: (f) => f.set('dist/sbom.cdx.json', sbomOf(new Map([['dist/worker.js', enc.encode('export default {}')]]), 'x', '1.0.0')) }, 'SBOM_MISMATCH'],
    ['a provenance that is not a DSSE envelope', { provenance: false, after: (f) => f.set(PROVENANCE_PATH, enc.encode('{"hello":"world"}')) }, 'DSSE_MALFORMED'],
  ];
  let n = 0;
  for (const [label, spec, code] of cases) {
    const id = `com.acme.bad${n++}`;
    const res = await publish(reg.url, acme.token, id, '1.0.0', await build(id, '1.0.0', spec));
    assert.equal(res.status, 422, `${label}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, code, label);
    assert.equal((await api(reg.url, `/v1/extensions/${id}/1.0.0`)).status, 404, `${label}: nothing stored`);
  }
});

/** Runs `vib3 …` in this process; returns exit code and the parsed --json result. */
async function vib3Json(...args: string[]): Promise<{ code: number; body: any }> {
  const out: string[] = [];
  const code = await main([...args, '--json'], { out: (l) => out.push(l), err: () => undefined });
  return { code, body: JSON.parse(out.join('\n')) };
}

test('installer policy: --require-sbom, --require-provenance and --allowed-builder refuse what they must and change nothing', async () => {
  await publish(reg.url, acme.token, 'com.acme.noattest', '1.0.0', await build('com.acme.noattest', '1.0.0', { sbom: false, provenance: false }));
  await publish(reg.url, acme.token, 'com.acme.sbomonly', '1.0.0', await build('com.acme.sbomonly', '1.0.0', { provenance: false }));
  await publish(reg.url, acme.token, 'com.acme.local', '1.0.0', await build('com.acme.local', '1.0.0'));
  const dir = join(work, 'policy');
  const install = (id: string, ...flags: string[]) => vib3Json('ext', 'install', id, '--registry', reg.url, '--dir', dir, '--yes', ...flags);

  // Without a policy, a package without SBOM or provenance installs (they are checked when present).
  const plain = await install('com.acme.noattest');
  assert.equal(plain.code, 0, JSON.stringify(plain.body));
  const before = readFileSync(join(dir, 'vib3-extensions.json'));

  const refusals: Array<[string, string[], string]> = [
    ['com.acme.sbomonly', ['--require-provenance'], 'PROVENANCE_REQUIRED'],
    ['com.acme.local', ['--require-sbom', '--allowed-builder', 'https://ci.acme.example/*'], 'BUILDER_NOT_ALLOWED'],
    ['com.acme.sbomonly', ['--allowed-builder', LOCAL_BUILDER_ID], 'PROVENANCE_REQUIRED'],
  ];
  const attested = await install('com.acme.attested', '--require-sbom', '--require-provenance');
  assert.equal(attested.code, 0, `the attested package satisfies both: ${JSON.stringify(attested.body)}`);
  const afterAttested = readFileSync(join(dir, 'vib3-extensions.json'));
  assert.notDeepEqual(afterAttested, before);
  for (const [id, flags, code] of refusals) {
    const r = await install(id, ...flags);
    assert.equal(r.code, 1, `${id} ${flags.join(' ')}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, code, `${id} ${flags.join(' ')}`);
    assert.deepEqual(readFileSync(join(dir, 'vib3-extensions.json')), afterAttested, `${code}: the installed set is unchanged`);
  }
  // Into a fresh directory: refused, nothing is installed at all.
  const fresh = join(work, 'fresh');
  const required = await vib3Json('ext', 'install', 'com.acme.noattest', '--registry', reg.url, '--dir', fresh, '--yes', '--require-sbom');
  assert.equal(required.code, 1);
  assert.equal(required.body.code, 'SBOM_REQUIRED');
  const listed = await vib3Json('ext', 'list', '--dir', fresh);
  assert.deepEqual(listed.body.extensions ?? [], []);
  // A package with both passes every requirement.
  const both = await install('com.acme.local', '--require-sbom', '--require-provenance', '--allowed-builder', 'https://vib3.dev/builders/*');
  assert.equal(both.code, 0, JSON.stringify(both.body));
  assert.equal(both.body.version, '1.0.0');
});
