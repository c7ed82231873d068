// Supply chain, the browser-safe core and the extension toolchain (docs/SUPPLY-CHAIN.md): DSSE
// envelopes (the spec's PAE, verified independently with node:crypto), provenance verification
// against artifacts and builders, SBOM checks against shipped files, and `vib3 ext build | pack |
// sign | verify --provenance` on an extension that bundles real npm-style packages: the SBOM lists
// exactly what esbuild's metafile says was bundled, validates against the CycloneDX schema, and
// every tampering is caught with its code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { main } from '../../src/cli/program.js';
import { generateEd25519, keyIdOf, packFiles, readArchive, signPackage, writeArchive, type Ed25519Jwk } from '../../src/extensions/index.js';
import { fromBase64, toBase64 } from '../../src/extensions/signing/encoding.js';
import {
  checkSbomFiles,
  IN_TOTO_PAYLOAD_TYPE,
  openEnvelope,
  pae,
  readSbom,
  signEnvelope,
  signProvenance,
  SupplyChainError,
  verifyProvenance,
  type SlsaProvenanceV1,
} from '../../src/supply-chain/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let alice: { publicJwk: Ed25519Jwk; privateJwk: Ed25519Jwk; keyId: string };
let mallory: { publicJwk: Ed25519Jwk; privateJwk: Ed25519Jwk; keyId: string };
const key = async () => {
  const k = await generateEd25519();
  return { ...k, keyId: await keyIdOf(k.publicJwk) };
};
before(async () => {
  alice = await key();
  mallory = await key();
});
const trust = (...ks: { publicJwk: Ed25519Jwk; keyId: string }[]) => new Map(ks.map((k) => [k.keyId, k.publicJwk]));
async function rejects(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof SupplyChainError, String(err));
    assert.equal(err.code, code);
    return true;
  });
}

// ------------------------------------------------------------------ DSSE

test('DSSE: PAE is the spec\'s encoding, and the signature verifies with an independent Ed25519 (node:crypto)', async () => {
  assert.equal(dec.decode(pae('http://example.com/HelloWorld', enc.encode('hello world'))), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  // Lengths are bytes, not characters.
  assert.equal(dec.decode(pae('t', enc.encode('é'))), 'DSSEv1 1 t 2 é');
  const payload = enc.encode('{"_type":"x"}');
  const env = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, alice.privateJwk);
  assert.equal(env.signatures[0]!.keyid, alice.keyId);
  assert.deepEqual(fromBase64(env.payload), payload);
  const spki = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: alice.publicJwk.x }, format: 'jwk' });
  assert.ok(nodeVerify(null, Buffer.from(pae(IN_TOTO_PAYLOAD_TYPE, payload)), spki, Buffer.from(fromBase64(env.signatures[0]!.sig))));
  // Not over the bare payload: the type is bound too.
  assert.ok(!nodeVerify(null, Buffer.from(payload), spki, Buffer.from(fromBase64(env.signatures[0]!.sig))));
  const opened = await openEnvelope(env, trust(alice));
  assert.equal(opened.keyId, alice.keyId);
  assert.deepEqual(opened.payload, payload);
});

test('DSSE: a changed payload, a swapped type, another signer, a URL-safe re-encoding and junk', async () => {
  const payload = enc.encode('{"a":1}');
  const env = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, alice.privateJwk);
  await rejects(openEnvelope({ ...env, payload: toBase64(enc.encode('{"a":2}')) }, trust(alice)), 'DSSE_SIGNATURE_INVALID');
  await rejects(openEnvelope({ ...env, payloadType: 'application/json' }, trust(alice)), 'DSSE_PAYLOAD_TYPE');
  await rejects(openEnvelope({ ...env, payloadType: 'application/json' }, trust(alice), 'application/json'), 'DSSE_SIGNATURE_INVALID');
  await rejects(openEnvelope(await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, mallory.privateJwk), trust(alice)), 'DSSE_UNKNOWN_KEY');
  // Mallory relabels his signature with Alice's keyid: it is checked with Alice's key and fails.
  const forged = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, mallory.privateJwk);
  await rejects(openEnvelope({ ...forged, signatures: [{ keyid: alice.keyId, sig: forged.signatures[0]!.sig }] }, trust(alice)), 'DSSE_SIGNATURE_INVALID');
  // A second, valid signature by a trusted key is enough; order does not matter.
  const both = { ...env, signatures: [forged.signatures[0]!, env.signatures[0]!] };
  assert.equal((await openEnvelope(both, trust(alice))).keyId, alice.keyId);
  // DSSE allows URL-safe base64.
  const urlSafe = { ...env, payload: env.payload.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') };
  assert.deepEqual((await openEnvelope(urlSafe, trust(alice))).payload, payload);
  for (const junk of [null, 'x', {}, { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: '', signatures: [] }, { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: '***', signatures: [{ keyid: 'k', sig: 'x' }] }]) {
    await rejects(openEnvelope(junk, trust(alice)), 'DSSE_MALFORMED');
  }
});

// ------------------------------------------------------------------ provenance

const predicate = (builder: string): SlsaProvenanceV1 => ({
  buildDefinition: { buildType: 'https://vib3.dev/slsa/test/v1', externalParameters: { command: 'test' } },
  runDetails: { builder: { id: builder } },
});

test('provenance: subjects must match the artifacts (digests, exact set), builders must be allowed', async () => {
  const artifacts = new Map([['a.js', enc.encode('a')], ['b.js', enc.encode('b')]]);
  const { envelope, statement } = await signProvenance(artifacts, predicate('https://ci.example/builders/one'), alice.privateJwk);
  assert.deepEqual(statement.subject.map((s) => [s.name, s.digest!['sha256']]), [['a.js', sha256(enc.encode('a'))], ['b.js', sha256(enc.encode('b'))]]);
  const ok = await verifyProvenance(envelope, artifacts, { trusted: trust(alice), exact: true, allowedBuilders: ['https://ci.example/*'] });
  assert.equal(ok.builderId, 'https://ci.example/builders/one');
  await rejects(verifyProvenance(envelope, new Map([['a.js', enc.encode('A')], ['b.js', enc.encode('b')]]), { trusted: trust(alice) }), 'PROVENANCE_SUBJECT_MISMATCH');
  await rejects(verifyProvenance(envelope, new Map([...artifacts, ['c.js', enc.encode('c')]]), { trusted: trust(alice) }), 'PROVENANCE_SUBJECT_MISMATCH');
  // Fewer artifacts than subjects: fine unless the set must be exact.
  await verifyProvenance(envelope, new Map([['a.js', enc.encode('a')]]), { trusted: trust(alice) });
  await rejects(verifyProvenance(envelope, new Map([['a.js', enc.encode('a')]]), { trusted: trust(alice), exact: true }), 'PROVENANCE_SUBJECT_MISMATCH');
  await rejects(verifyProvenance(envelope, artifacts, { trusted: trust(alice), allowedBuilders: ['https://ci.example/builders/two', 'https://other/*'] }), 'BUILDER_NOT_ALLOWED');
  // A prefix pattern is a prefix, not a substring or a glob in the middle.
  await rejects(verifyProvenance(envelope, artifacts, { trusted: trust(alice), allowedBuilders: ['https://ci.example/builders/one-evil*'] }), 'BUILDER_NOT_ALLOWED');
  await rejects(verifyProvenance(envelope, artifacts, { trusted: trust(mallory) }), 'DSSE_UNKNOWN_KEY');
  // A statement that is not SLSA v1 provenance, even when validly signed.
  const other = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, enc.encode(JSON.stringify({ ...statement, predicateType: 'https://example.com/other' })), alice.privateJwk);
  await rejects(verifyProvenance(other, artifacts, { trusted: trust(alice) }), 'PROVENANCE_MALFORMED');
  const noBuilder = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, enc.encode(JSON.stringify({ ...statement, predicate: { ...statement.predicate, runDetails: {} } })), alice.privateJwk);
  await rejects(verifyProvenance(noBuilder, artifacts, { trusted: trust(alice) }), 'PROVENANCE_MALFORMED');
});

test('SBOM files: listed files must be shipped with their SHA-256; code the caller names must be listed', async () => {
  const shipped = new Map([['dist/w.js', enc.encode('w')], ['README.md', enc.encode('r')]]);
  const sbom = (files: Record<string, string>) =>
    readSbom(enc.encode(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'x', version: '1', components: Object.entries(files).map(([name, content]) => ({ type: 'file', name, hashes: [{ alg: 'SHA-256', content }] })) }] })));
  const isJs = (p: string) => p.endsWith('.js');
  await checkSbomFiles(sbom({ 'dist/w.js': sha256(enc.encode('w')) }), shipped, isJs);
  await rejects(checkSbomFiles(sbom({ 'dist/w.js': sha256(enc.encode('W')) }), shipped, isJs), 'SBOM_MISMATCH');
  await rejects(checkSbomFiles(sbom({}), shipped, isJs), 'SBOM_MISMATCH');
  await rejects(checkSbomFiles(sbom({ 'dist/w.js': sha256(enc.encode('w')), 'dist/gone.js': sha256(enc.encode('g')) }), shipped, isJs), 'SBOM_MISMATCH');
  assert.throws(() => readSbom(enc.encode('{"spdxVersion":"SPDX-2.3"}')), (e: unknown) => e instanceof SupplyChainError && e.code === 'SBOM_MALFORMED');
  assert.throws(() => readSbom(enc.encode('not json')), (e: unknown) => e instanceof SupplyChainError && e.code === 'SBOM_MALFORMED');
});

// ------------------------------------------------------------------ the extension toolchain

let work: string;
let ext: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'vib3-supply-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

async function vib3(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fake installed npm package (package.json + files) and its lockfile entry. */
const LOCK: Record<string, unknown> = {};
function npmPackage(name: string, version: string, license: unknown, files: Record<string, string>, extra: Record<string, unknown> = {}) {
  const dir = join(work, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version, license, ...extra }));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const integrity = `sha512-${createHash('sha512').update(`${name}@${version}`).digest('base64')}`;
  LOCK[`node_modules/${name}`] = { version, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity, license: typeof license === 'string' ? license : undefined };
}

test('vib3 ext build: the SBOM lists exactly the packages esbuild bundled (per its metafile), validates against CycloneDX 1.6, with purl, version, license and the lockfile hash', async () => {
  // Three packages: a scoped one whose code sits under a folder with its own {type: module}
  // package.json (not a package), an expression-licensed one, and one imported but tree-shaken away.
  npmPackage('@acme/colors', '1.2.3', 'MIT', { 'esm/package.json': '{"type":"module"}', 'esm/index.js': 'export const hueOf = (n) => (n * 37) % 360;' }, { module: 'esm/index.js' });
  npmPackage('tiny-math', '0.3.0', '(MIT OR Apache-2.0)', { 'index.js': 'export const clamp = (x, a, b) => Math.min(b, Math.max(a, x));\nexport const unused = () => 42;' }, { module: 'index.js' });
  npmPackage('shaken-out', '9.9.9', 'ISC', { 'index.js': 'export const never = () => "never";' }, { module: 'index.js', sideEffects: false });
  writeFileSync(join(work, 'package-lock.json'), JSON.stringify({ name: 'fixture', lockfileVersion: 3, packages: { '': { name: 'fixture' }, ...LOCK } }, null, 2));

  ext = join(work, 'shapes');
  assert.equal((await vib3('ext', 'create', 'shapes', '--template', 'geometry', '--id', 'com.acme.shapes', '--dir', ext)).code, 0);
  const keys = await vib3('ext', 'keygen', '--out', join(work, 'keys'), '--set', ext);
  assert.equal(keys.code, 0, keys.err);
  writeFileSync(
    join(ext, 'src/worker.ts'),
    "import { hueOf } from '@acme/colors';\nimport { clamp } from 'tiny-math';\nimport { never } from 'shaken-out';\nvoid never;\nexport default { activate() { return clamp(hueOf(3), 0, 360); } };\n",
  );
  process.env['SOURCE_DATE_EPOCH'] = '1767225600';
  let sbomText: string;
  try {
    const built = await vib3('ext', 'build', ext);
    assert.equal(built.code, 0, built.err);
    sbomText = readFileSync(join(ext, 'dist/sbom.cdx.json'), 'utf8');
    // Reproducible: the same sources and SOURCE_DATE_EPOCH give the same SBOM bytes.
    assert.equal((await vib3('ext', 'build', ext)).code, 0);
    assert.equal(readFileSync(join(ext, 'dist/sbom.cdx.json'), 'utf8'), sbomText);
  } finally {
    delete process.env['SOURCE_DATE_EPOCH'];
  }
  assert.equal(JSON.parse(sbomText).metadata.timestamp, '2026-01-01T00:00:00.000Z');
  assert.equal(await new JsonStrictValidator(Version.v1dot6).validate(sbomText), null, 'valid CycloneDX 1.6 (the library\'s strict validator)');
  const sbom = JSON.parse(sbomText);

  // Independently of the SBOM code: which node_modules packages put bytes into the bundle.
  const metafile = JSON.parse(readFileSync(join(ext, '.vib3-build/metafile.json'), 'utf8'));
  const bundled = new Set<string>();
  for (const out of Object.values(metafile.outputs) as { inputs: Record<string, { bytesInOutput: number }> }[]) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m && bytesInOutput > 0) bundled.add(m[1]!);
    }
  }
  assert.deepEqual([...bundled].sort(), ['@acme/colors', 'tiny-math'], 'esbuild bundled these two and shook the third out');
  const libs = sbom.components.filter((c: { type: string }) => c.type === 'library');
  assert.deepEqual(libs.map((c: { group?: string; name: string }) => (c.group ? `${c.group}/${c.name}` : c.name)).sort(), [...bundled].sort(), 'nothing bundled is missing and nothing else is listed');
  const colors = libs.find((c: { name: string }) => c.name === 'colors');
  assert.equal(colors.purl, 'pkg:npm/%40acme/colors@1.2.3');
  assert.equal(colors.version, '1.2.3');
  assert.deepEqual(colors.licenses, [{ license: { id: 'MIT' } }]);
  assert.equal(colors.hashes.find((h: { alg: string }) => h.alg === 'SHA-512').content, createHash('sha512').update('@acme/colors@1.2.3').digest('hex'), 'the lockfile\'s integrity, as hex');
  const math = libs.find((c: { name: string }) => c.name === 'tiny-math');
  assert.deepEqual(math.licenses, [{ expression: '(MIT OR Apache-2.0)' }]);
  assert.ok(math.properties.some((p: { name: string; value: string }) => p.name === 'vib3:bundled-into' && p.value === 'dist/worker.js'));
  // The shipped bundle is a file component with its real hash; the subject is the extension.
  const worker = sbom.components.find((c: { type: string; name: string }) => c.type === 'file' && c.name === 'dist/worker.js');
  assert.equal(worker.hashes.find((h: { alg: string }) => h.alg === 'SHA-256').content, sha256(readFileSync(join(ext, 'dist/worker.js'))));
  assert.equal(sbom.metadata.component.purl, 'pkg:generic/com.acme.shapes@0.1.0');
  assert.ok(sbom.metadata.tools.components.some((t: { name: string }) => t.name === 'esbuild'));
});

test('vib3 ext pack / sign / verify --provenance: the provenance covers every file, and every tampering is caught with its code', async () => {
  const pkg = join(work, 'shapes.vib3x');
  const privateKey = join(work, 'keys/publisher.private.jwk');
  const publicKey = join(work, 'keys/publisher.public.jwk');
  assert.equal((await vib3('ext', 'pack', ext, '-o', pkg)).code, 0);
  // The source: a git work tree whose commit the provenance records.
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: ext, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'shapes');
  const commit = git('rev-parse', 'HEAD');
  const signed = await vib3('ext', 'sign', pkg, '--key', privateKey, '--source-dir', ext);
  assert.equal(signed.code, 0, signed.err);
  const ok = await vib3('ext', 'verify', pkg, '--trust', publicKey, '--provenance', '--json');
  assert.equal(ok.code, 0, ok.out);
  const body = JSON.parse(ok.out);
  assert.equal(body.supplyChain.sbom.path, 'dist/sbom.cdx.json');
  assert.equal(body.supplyChain.provenance.builderId, 'https://vib3.dev/builders/local-cli/v1');
  const files = readArchive(readFileSync(pkg));
  const envelope = JSON.parse(dec.decode(files.get('provenance.intoto.json')!));
  const statement = JSON.parse(dec.decode(fromBase64(envelope.payload)));
  assert.deepEqual(statement.subject.map((s: { name: string }) => s.name).sort(), [...files.keys()].filter((p) => p !== 'extension.json' && p !== 'provenance.intoto.json').sort());
  assert.ok(statement.predicate.buildDefinition.resolvedDependencies.some((d: { uri: string; digest?: { sha512?: string } }) => d.uri === 'pkg:npm/tiny-math@0.3.0' && d.digest?.sha512), 'materials: the bundled packages from the SBOM');
  assert.ok(statement.predicate.buildDefinition.resolvedDependencies.some((d: { digest?: { gitCommit?: string } }) => d.digest?.gitCommit === commit), 'materials: the source commit');
  assert.equal(statement.predicate.buildDefinition.externalParameters.source.commit, commit);
  assert.equal(statement.predicate.buildDefinition.externalParameters.source.dirty, false);
  // The manifest signature covers the provenance file too.
  const manifest = JSON.parse(dec.decode(files.get('extension.json')!));
  assert.ok(manifest.signature.files['provenance.intoto.json']);
  assert.ok(manifest.signature.files['dist/sbom.cdx.json']);

  // A builder the verifier does not allow.
  const builder = await vib3('ext', 'verify', pkg, '--trust', publicKey, '--provenance', '--allowed-builder', 'https://ci.acme.example/*', '--json');
  assert.equal(builder.code, 1);
  assert.equal(JSON.parse(builder.out).code, 'BUILDER_NOT_ALLOWED');

  // The publisher re-signs a changed package without new provenance: the statement is stale.
  const publisher = JSON.parse(readFileSync(privateKey, 'utf8')) as Ed25519Jwk;
  const stale = new Map(files);
  stale.set('README.md', enc.encode('# changed after the build\n'));
  const stalePath = join(work, 'stale.vib3x');
  writeFileSync(stalePath, await signPackage(packFiles(stale), publisher));
  const staleResult = await vib3('ext', 'verify', stalePath, '--trust', publicKey, '--provenance', '--json');
  assert.equal(staleResult.code, 1);
  assert.equal(JSON.parse(staleResult.out).code, 'PROVENANCE_SUBJECT_MISMATCH');

  // Provenance by another key, wrapped into a package the publisher signed.
  const other = new Map(files);
  other.set('provenance.intoto.json', enc.encode(JSON.stringify((await signProvenance(new Map([...files].filter(([p]) => p !== 'extension.json' && p !== 'provenance.intoto.json')), statement.predicate, mallory.privateJwk)).envelope)));
  const otherPath = join(work, 'other.vib3x');
  writeFileSync(otherPath, await signPackage(packFiles(other), publisher));
  assert.equal(JSON.parse((await vib3('ext', 'verify', otherPath, '--trust', publicKey, '--provenance', '--json')).out).code, 'DSSE_UNKNOWN_KEY');

  // Without SBOM or provenance, --provenance refuses (plain verify still passes).
  const bare = new Map([...files].filter(([p]) => p !== 'provenance.intoto.json'));
  const barePath = join(work, 'bare.vib3x');
  writeFileSync(barePath, await signPackage(packFiles(bare), publisher));
  assert.equal((await vib3('ext', 'verify', barePath, '--trust', publicKey)).code, 0);
  assert.equal(JSON.parse((await vib3('ext', 'verify', barePath, '--trust', publicKey, '--provenance', '--json')).out).code, 'PROVENANCE_REQUIRED');

  // A byte changed in the signed package: the package signature fails before anything else.
  const flipped = new Map(files);
  const w = new Uint8Array(flipped.get('dist/worker.js')!);
  w[0] = w[0]! ^ 1;
  flipped.set('dist/worker.js', w);
  const flippedPath = join(work, 'flipped.vib3x');
  writeFileSync(flippedPath, writeArchive(flipped));
  const flippedResult = JSON.parse((await vib3('ext', 'verify', flippedPath, '--trust', publicKey, '--provenance', '--json')).out);
  assert.equal(flippedResult.code, 'INTEGRITY_MISMATCH');
});

test('vib3 ext pack refuses a folder whose SBOM no longer describes the built code', async () => {
  const copy = join(work, 'shapes-stale');
  cpSync(ext, copy, { recursive: true });
  writeFileSync(join(copy, 'dist/worker.js'), `${readFileSync(join(copy, 'dist/worker.js'), 'utf8')}\n// edited by hand\n`);
  const r = await vib3('ext', 'pack', copy, '-o', join(work, 'never.vib3x'));
  assert.equal(r.code, 1);
  assert.match(r.err, /SBOM_MISMATCH/);
  writeFileSync(join(copy, 'dist/stray.js'), 'export {}');
  assert.equal((await vib3('ext', 'build', copy)).code, 0);
  const stray = await vib3('ext', 'pack', copy, '-o', join(work, 'never.vib3x'));
  assert.equal(stray.code, 1, 'a stale file in dist/ that the build did not write is not in the SBOM');
  assert.match(stray.err, /dist\/stray\.js is shipped but the SBOM does not describe it/);
});
