import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  generateEd25519, keyIdOf, signEd25519, verifyEd25519, packFiles, signPackage, verifyPackage, readArchive, writeArchive,
  ArchiveError, sha512Integrity, type Ed25519Jwk, type PackageFiles, type Vib3ExtensionManifest,
} from '../../src/extensions/index.js';

const enc = new TextEncoder();
const root = new URL('../../', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('extensions/duoprism/extension.json', root), 'utf8')) as Vib3ExtensionManifest;

async function setup() {
  const { publicJwk, privateJwk } = await generateEd25519();
  const keyId = await keyIdOf(publicJwk);
  const manifest = { ...reference, publisher: { ...reference.publisher, keyId } };
  const files: PackageFiles = new Map([
    ['extension.json', enc.encode(JSON.stringify(manifest, null, 2))],
    ['dist/worker.js', enc.encode('export default {};\n'.repeat(40))],
    ['dist/tools.json', enc.encode('{"tools":[]}')],
    ['assets/preview.png', new Uint8Array([137, 80, 78, 71, 1, 2, 3])],
  ]);
  const signed = await signPackage(packFiles(files), privateJwk);
  const trusted = new Map([[keyId, publicJwk]]);
  return { publicJwk, privateJwk, keyId, manifest, files, signed, trusted };
}

const manifestOf = (pkg: Uint8Array) => JSON.parse(new TextDecoder().decode(readArchive(pkg).get('extension.json')!)) as Record<string, any>;
const withManifest = (pkg: Uint8Array, edit: (m: Record<string, any>) => void) => {
  const files = readArchive(pkg);
  const m = manifestOf(pkg);
  edit(m);
  files.set('extension.json', enc.encode(JSON.stringify(m)));
  return writeArchive(files);
};

test('keyId is "ed25519:" + 22 base64url characters of SHA-256(public key); sign/verify round-trips', async () => {
  const { publicJwk, privateJwk } = await generateEd25519();
  assert.match(await keyIdOf(publicJwk), /^ed25519:[A-Za-z0-9_-]{22}$/);
  const msg = enc.encode('hello');
  const sig = await signEd25519(privateJwk, msg);
  assert.equal(sig.length, 64);
  assert.equal(await verifyEd25519(publicJwk, msg, sig), true);
  assert.equal(await verifyEd25519(publicJwk, enc.encode('hellp'), sig), false);
});

test('WebCrypto and the pure-JS fallback (noble) agree in both directions', async () => {
  for (const [signer, verifier] of [['webcrypto', 'noble'], ['noble', 'webcrypto']] as const) {
    const { publicJwk, privateJwk } = await generateEd25519(signer);
    const msg = enc.encode(`cross-check ${signer}`);
    const sig = await signEd25519(privateJwk, msg, signer);
    assert.deepEqual(sig, await signEd25519(privateJwk, msg, verifier), 'Ed25519 is deterministic: same signature from both');
    assert.equal(await verifyEd25519(publicJwk, msg, sig, verifier), true);
  }
});

test('a signed package verifies; packing and signing are deterministic', async () => {
  const s = await setup();
  const result = await verifyPackage(s.signed, s.trusted);
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.deepEqual(packFiles(s.files), packFiles(new Map([...s.files].reverse())), 'file order does not matter');
  assert.deepEqual(await signPackage(packFiles(s.files), s.privateJwk), s.signed, 'same inputs, same bytes');
  const m = manifestOf(s.signed);
  assert.equal(m.signature.keyId, s.keyId);
  assert.equal(m.signature.files['dist/worker.js'], await sha512Integrity(s.files.get('dist/worker.js')!));
  assert.equal(Object.keys(m.signature.files).length, 3, 'every file except extension.json');
});

test('flipping any single byte of a signed package fails verification', async () => {
  const s = await setup();
  const codes = new Map<string, number>();
  for (let i = 0; i < s.signed.length; i++) {
    const copy = s.signed.slice();
    copy[i] = copy[i]! ^ 0x01;
    const r = await verifyPackage(copy, s.trusted);
    assert.equal(r.ok, false, `flipping byte ${i} of ${s.signed.length} went unnoticed`);
    if (!r.ok) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
  }
  // Content flips are caught by integrity / signature checks, everything else by the archive check.
  assert.ok(codes.has('ARCHIVE_INVALID') && codes.has('INTEGRITY_MISMATCH'), JSON.stringify([...codes]));
});

test('tampering is reported with a precise reason', async () => {
  const s = await setup();
  const cases: [string, Uint8Array, string, string?][] = [];
  // a manifest field changed after signing
  cases.push(['manifest field', withManifest(s.signed, (m) => (m.name = 'Duoprisms Pro')), 'SIGNATURE_INVALID']);
  cases.push(['capability added', withManifest(s.signed, (m) => (m.capabilities.network = { reason: 'Phones home to report.', origins: ['https://evil.example'] })), 'SIGNATURE_INVALID']);
  // a file's content changed (archive rewritten canonically)
  const files = readArchive(s.signed);
  files.set('dist/worker.js', enc.encode('fetch("https://evil.example")'));
  cases.push(['file content', writeArchive(files), 'INTEGRITY_MISMATCH', 'dist/worker.js']);
  // a file added / removed
  const added = readArchive(s.signed);
  added.set('dist/extra.js', enc.encode('1'));
  cases.push(['file added', writeArchive(added), 'FILE_UNLISTED', 'dist/extra.js']);
  const removed = readArchive(s.signed);
  removed.delete('assets/preview.png');
  cases.push(['file removed', writeArchive(removed), 'FILE_MISSING', 'assets/preview.png']);
  // the signature itself
  cases.push(['signature bytes', withManifest(s.signed, (m) => (m.signature.value = (m.signature.value[0] === 'A' ? 'B' : 'A') + m.signature.value.slice(1))), 'SIGNATURE_INVALID']);
  cases.push(['signature removed', withManifest(s.signed, (m) => delete m.signature), 'UNSIGNED']);
  // the key: an attacker re-signs with their own key but keeps the publisher's keyId
  const attacker = await generateEd25519();
  const resigned = await signPackage(withManifest(s.signed, (m) => delete m.signature), { ...attacker.privateJwk }).catch((e: Error) => e);
  assert.ok(resigned instanceof Error, 'signing refuses a key that is not publisher.keyId');
  const forged = withManifest(s.signed, (m) => (m.signature.value = 'A'.repeat(86)));
  cases.push(['forged signature', forged, 'SIGNATURE_INVALID']);
  // publisher.keyId swapped to the attacker (signature no longer matches the claimed key)
  const attackerId = await keyIdOf(attacker.publicJwk);
  cases.push(['keyId swapped', withManifest(s.signed, (m) => (m.publisher.keyId = attackerId)), 'KEY_MISMATCH']);
  cases.push(['truncated', s.signed.slice(0, s.signed.length - 512), 'ARCHIVE_INVALID']);
  cases.push(['not an archive', enc.encode('hello'), 'ARCHIVE_INVALID']);
  for (const [name, pkg, code, path] of cases) {
    const r = await verifyPackage(pkg, s.trusted);
    assert.equal(r.ok, false, name);
    if (!r.ok) {
      assert.equal(r.code, code, `${name}: ${r.message}`);
      if (path) assert.equal(r.path, path, name);
      assert.ok(r.suggestion.length > 10, `${name} has a suggestion`);
    }
  }
});

test('an untrusted or wrongly registered key is refused', async () => {
  const s = await setup();
  const other = await generateEd25519();
  const r1 = await verifyPackage(s.signed, new Map());
  assert.equal(r1.ok ? 'ok' : r1.code, 'UNKNOWN_KEY');
  const r2 = await verifyPackage(s.signed, new Map([[s.keyId, other.publicJwk as Ed25519Jwk]]));
  assert.equal(r2.ok ? 'ok' : r2.code, 'UNKNOWN_KEY', 'a trust store entry whose key has another id');
});

test('archives: canonical form only, safe paths only, long paths via the ustar prefix', () => {
  const long = `assets/${'deep/'.repeat(25)}file.txt`;
  const files: PackageFiles = new Map([['extension.json', enc.encode('{}')], [long, enc.encode('x')]]);
  assert.deepEqual([...readArchive(writeArchive(files)).keys()], ['extension.json', long]);
  for (const bad of ['../etc/passwd', '/abs', 'a/./b', 'a//b/..', 'dir/']) {
    assert.throws(() => writeArchive(new Map([['extension.json', enc.encode('{}')], [bad, enc.encode('x')]])), ArchiveError, bad);
  }
  assert.throws(() => readArchive(writeArchive(new Map([['other.json', enc.encode('{}')]]))), /no extension\.json/);
  const padded = new Uint8Array(writeArchive(files).length + 512);
  padded.set(writeArchive(files));
  assert.throws(() => readArchive(padded), /canonical/);
});

test('a signed extension.json changed into an invalid manifest is reported as tampered, before any lint advice', async () => {
  const s = await setup();
  const cases: [string, Uint8Array][] = [
    ['version no longer semver', withManifest(s.signed, (m) => (m.version = '1.0'))],
    ['name emptied', withManifest(s.signed, (m) => (m.name = ''))],
    ['wildcard origin added', withManifest(s.signed, (m) => (m.capabilities.network = { reason: 'Phones home to report.', origins: ['https://*.evil.example'] }))],
    ['unknown field added', withManifest(s.signed, (m) => (m.backdoor = true))],
  ];
  for (const [name, pkg] of cases) {
    const r = await verifyPackage(pkg, s.trusted);
    assert.equal(r.ok, false, name);
    if (!r.ok) {
      assert.equal(r.code, 'SIGNATURE_INVALID', `${name}: ${r.code} ${r.message}`);
      assert.doesNotMatch(r.suggestion, /lint/, name);
      assert.equal(r.problems, undefined, `${name}: no manifest problems are listed for a tampered package`);
    }
  }
  // An unsigned manifest that is invalid still gets the author's advice.
  const unsigned = withManifest(s.signed, (m) => {
    delete m.signature;
    m.version = '1.0';
  });
  const r = await verifyPackage(unsigned, s.trusted);
  assert.equal(r.ok ? 'ok' : r.code, 'MANIFEST_INVALID');
});
