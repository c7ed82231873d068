// `npm run release` (scripts/release.mjs --no-build, over the dist/ npm run build left) and
// `vib3 verify-release` (the built CLI): the release folder, its SBOM checked against the
// CycloneDX schema and — independently of the SBOM code — against the bundlers' metafiles, the
// lockfile and the tarball; then tampered copies that must fail with the right code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'tar';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const cli = join(repo, 'dist/cli/vib3.js');
const TARBALL = `${pkg.name}-${pkg.version}.tgz`;
let work;
let releaseDir;
let keys;
let releaseRun;
/** The tarball's files, read here with tar (not with the code under test). */
let shipped;

const sha = (alg, bytes, enc = 'hex') => createHash(alg).update(bytes).digest(enc);
const release = (args, env = {}) => {
  const { VIB3_RELEASE_KEY: _unset, ...base } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/release.mjs', ...args], { cwd: repo, encoding: 'utf8', env: { ...base, ...env } });
};
const vib3 = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8' });

function untar(bytes) {
  return new Promise((resolve, reject) => {
    const files = new Map();
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry) => {
      const chunks = [];
      entry.on('data', (c) => chunks.push(c));
      entry.on('end', () => entry.type === 'File' && files.set(entry.path.replace(/^package\//, ''), Buffer.concat(chunks)));
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(files));
    parser.end(bytes);
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'vib3-release-'));
  const keygen = vib3('ext', 'keygen', '--out', join(work, 'keys'), '--name', 'release');
  assert.equal(keygen.status, 0, keygen.stderr);
  keys = { private: join(work, 'keys/release.private.jwk'), public: join(work, 'keys/release.public.jwk') };
  releaseDir = join(work, 'release');
  releaseRun = release(['--no-build', '--out', releaseDir], { VIB3_RELEASE_KEY: keys.private });
  assert.equal(releaseRun.status, 0, `${releaseRun.stdout}\n${releaseRun.stderr}`);
  shipped = await untar(readFileSync(join(releaseDir, TARBALL)));
});
after(() => rmSync(work, { recursive: true, force: true }));

const readJson = (dir, name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

test('the release folder holds the tarball, SBOM, SRI manifest, provenance and public key, and prints the script tags', () => {
  assert.deepEqual(readdirSync(releaseDir).sort(), ['integrity.json', 'provenance.intoto.jsonl', 'release-key.public.jwk', 'sbom.cdx.json', TARBALL].sort());
  assert.ok(!readdirSync(work).some((n) => n.includes('staging')), 'no staging folder left behind');
  assert.equal(readJson(releaseDir, 'release-key.public.jwk').x, readJson(join(work, 'keys'), 'release.public.jwk').x);
  assert.equal(readJson(releaseDir, 'release-key.public.jwk').d, undefined, 'no private part');
  // Demo-only builds stay out of the tarball.
  assert.deepEqual([...shipped.keys()].filter((p) => /^dist\/(examples|demo-frameworks)\/|\.map$/.test(p)), []);
  // integrity.json is the tarball's dist/integrity.json, and its values are the files' sha384.
  assert.deepEqual(readFileSync(join(releaseDir, 'integrity.json')), shipped.get('dist/integrity.json'));
  const manifest = readJson(releaseDir, 'integrity.json');
  assert.equal(manifest.package, pkg.name);
  assert.equal(manifest.version, pkg.version);
  for (const file of ['dist/vib3.iife.js', 'dist/vib3-extensions.iife.js']) {
    const integrity = `sha384-${sha('sha384', shipped.get(file), 'base64')}`;
    assert.deepEqual(manifest.files[file], { integrity, size: shipped.get(file).length, scriptTag: true });
    assert.ok(releaseRun.stdout.includes(`<script src="https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/${file}" integrity="${integrity}" crossorigin="anonymous"></script>`), `prints the tag for ${file}`);
  }
  const browserJs = [...shipped.keys()].filter((p) => p.startsWith('dist/') && p.endsWith('.js') && !p.startsWith('dist/cli/')).sort();
  assert.deepEqual(Object.keys(manifest.files).sort(), browserJs, 'every shipped browser .js file is pinned');
  for (const file of browserJs) assert.equal(manifest.files[file].integrity, `sha384-${sha('sha384', shipped.get(file), 'base64')}`, file);
});

test('the SBOM passes the CycloneDX library\'s JsonStrictValidator (CycloneDX 1.6), and a broken one does not', async () => {
  const text = readFileSync(join(releaseDir, 'sbom.cdx.json'), 'utf8');
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  assert.equal(await validator.validate(text), null);
  const broken = JSON.parse(text);
  broken.components[0].hashes = [{ alg: 'SHA-512', content: 'not hex' }];
  assert.notEqual(await validator.validate(JSON.stringify(broken)), null, 'the validator does reject a bad document');
});

/** name@version of every third-party package the shipped bundles contain, from the metafiles alone. */
function bundledFromMetafiles() {
  const metaDir = join(repo, '.build-meta');
  const found = new Map();
  const outputsSeen = new Set();
  for (const name of readdirSync(metaDir).filter((f) => f.endsWith('.json'))) {
    const { outputs } = JSON.parse(readFileSync(join(metaDir, name), 'utf8'));
    for (const [output, { inputs }] of Object.entries(outputs)) {
      if (!shipped.has(output)) continue;
      outputsSeen.add(output);
      for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
        const at = input.lastIndexOf('node_modules/');
        if (at === -1 || !(bytesInOutput > 0)) continue;
        const parts = input.slice(at + 'node_modules/'.length).split('/');
        const pkgName = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
        const dir = join(repo, input.slice(0, at), 'node_modules', pkgName);
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        const key = `${manifest.name}@${manifest.version}`;
        const entry = found.get(key) ?? { name: manifest.name, version: manifest.version, license: manifest.license, lockKey: join(input.slice(0, at), 'node_modules', pkgName), outputs: new Set() };
        entry.outputs.add(output);
        found.set(key, entry);
      }
    }
  }
  return { found, outputsSeen };
}

test('every third-party module in the shipped bundles is an SBOM component (purl, version, license, SHA-512 from the lockfile); none is missing', () => {
  const sbom = readJson(releaseDir, 'sbom.cdx.json');
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  const { found, outputsSeen } = bundledFromMetafiles();
  // Every bundled file in the tarball is described by some metafile (else its packages would be unseen).
  const bundles = [...shipped.keys()].filter((p) => p.startsWith('dist/') && /\.(js|html)$/.test(p) && !p.startsWith('dist/cli/templates/'));
  assert.deepEqual(bundles.filter((p) => !outputsSeen.has(p)), [], 'a metafile covers every shipped bundle');
  assert.ok(found.size >= 10, `the bundles contain third-party packages (${found.size})`);
  for (const must of ['lit-html', 'three', 'comlink', 'commander']) assert.ok([...found.values()].some((p) => p.name === must), `${must} is found in the metafiles`);
  const byPurl = new Map(sbom.components.filter((c) => c.type === 'library').map((c) => [c.purl, c]));
  for (const p of found.values()) {
    const purl = `pkg:npm/${p.name.replace('@', '%40')}@${p.version}`;
    const c = byPurl.get(purl);
    assert.ok(c, `${purl} is in the SBOM`);
    assert.equal(c.version, p.version);
    assert.equal(c.group ? `${c.group}/${c.name}` : c.name, p.name);
    const license = c.licenses?.[0]?.license?.id ?? c.licenses?.[0]?.license?.name ?? c.licenses?.[0]?.expression;
    assert.equal(license, p.license, `${purl} license`);
    const integrity = lock.packages[p.lockKey]?.integrity;
    assert.match(integrity ?? '', /^sha512-/, `${p.lockKey} has a lockfile integrity`);
    const hex = Buffer.from(integrity.slice(7), 'base64').toString('hex');
    assert.deepEqual(c.hashes.filter((h) => h.alg === 'SHA-512').map((h) => h.content), [hex], `${purl} SHA-512`);
    const into = c.properties.filter((x) => x.name === 'vib3:bundled-into').map((x) => x.value).sort();
    assert.deepEqual(into, [...p.outputs].sort(), `${purl} names the files it is bundled into`);
  }
  // No bundled component the metafiles do not show (runtime dependencies are marked as such).
  for (const c of sbom.components.filter((x) => x.type === 'library')) {
    const runtime = c.properties?.some((x) => x.name === 'vib3:dependency');
    assert.ok(runtime || found.has(`${c.group ? `${c.group}/` : ''}${c.name}@${c.version}`), `${c.purl} is bundled or a runtime dependency`);
  }
  // lit and comlink (package.json dependencies) and lit's own dependencies are there too.
  for (const dep of Object.keys(pkg.dependencies)) assert.ok(sbom.components.some((c) => c.type === 'library' && (c.group ? `${c.group}/${c.name}` : c.name) === dep), `${dep} is a component`);
  assert.equal(sbom.metadata.component.name, pkg.name);
  assert.equal(sbom.metadata.component.version, pkg.version);
  const tarball = readFileSync(join(releaseDir, TARBALL));
  assert.deepEqual(sbom.metadata.component.hashes, [{ alg: 'SHA-256', content: sha('sha256', tarball) }, { alg: 'SHA-512', content: sha('sha512', tarball) }]);
});

test('the SBOM lists every file of the tarball with its SHA-256, and nothing else', () => {
  const sbom = readJson(releaseDir, 'sbom.cdx.json');
  const files = sbom.components.filter((c) => c.type === 'file');
  assert.deepEqual(files.map((f) => f.name).sort(), [...shipped.keys()].sort());
  for (const f of files) assert.equal(f.hashes.find((h) => h.alg === 'SHA-256')?.content, sha('sha256', shipped.get(f.name)), f.name);
});

// ---------------------------------------------------------------- vib3 verify-release

const verify = (dir, trust = keys.public) => {
  const r = vib3('verify-release', dir, '--trust', trust, '--json');
  return { status: r.status, result: JSON.parse(r.stdout), stderr: r.stderr };
};
const check = (result, id) => result.checks.find((c) => c.id === id);

/** A copy of the release to tamper with. */
let copies = 0;
function copyRelease() {
  const dir = join(work, `copy-${++copies}`);
  cpSync(releaseDir, dir, { recursive: true });
  return dir;
}

/** DSSE PAE and an Ed25519 signature with node:crypto (independent of the kit's DSSE code). */
const pae = (type, body) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
const keyIdOf = (x) => `ed25519:${createHash('sha256').update(Buffer.from(x, 'base64url')).digest('base64url').slice(0, 22)}`;
function signStatement(statement, jwk) {
  const body = Buffer.from(JSON.stringify(statement));
  const type = 'application/vnd.in-toto+json';
  const sig = sign(null, pae(type, body), createPrivateKey({ key: jwk, format: 'jwk' }));
  return `${JSON.stringify({ payloadType: type, payload: body.toString('base64'), signatures: [{ keyid: keyIdOf(jwk.x), sig: sig.toString('base64') }] })}\n`;
}
const envelopeOf = (dir) => JSON.parse(readFileSync(join(dir, 'provenance.intoto.jsonl'), 'utf8'));
const statementOf = (dir) => JSON.parse(Buffer.from(envelopeOf(dir).payload, 'base64').toString('utf8'));

test('vib3 verify-release --json: every check passes for the release as written (exit 0)', () => {
  const { status, result, stderr } = verify(releaseDir);
  assert.equal(status, 0, stderr);
  assert.equal(result.ok, true);
  assert.equal(result.package, pkg.name);
  assert.equal(result.version, pkg.version);
  assert.deepEqual(result.checks.map((c) => [c.id, c.status]), ['files', 'signature', 'statement', 'subjects', 'tarball', 'sbom-schema', 'sbom-files', 'sbom-subject', 'integrity'].map((id) => [id, 'pass']));
  // The statement is what the issue asks for.
  const statement = statementOf(releaseDir);
  assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
  assert.equal(statement.predicateType, 'https://slsa.dev/provenance/v1');
  assert.deepEqual(statement.subject.map((s) => s.name).sort(), ['integrity.json', 'sbom.cdx.json', TARBALL].sort());
  assert.equal(statement.subject.find((s) => s.name === TARBALL).digest.sha256, sha('sha256', readFileSync(join(releaseDir, TARBALL))));
  const { buildDefinition, runDetails } = statement.predicate;
  assert.equal(buildDefinition.buildType, 'https://vib3.dev/slsa/release/v1');
  assert.equal(buildDefinition.externalParameters.command, 'npm run release');
  const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout.trim();
  assert.ok(buildDefinition.resolvedDependencies.some((d) => d.digest.gitCommit === commit), 'the source commit is a material');
  assert.ok(buildDefinition.resolvedDependencies.some((d) => d.name === 'package-lock.json' && d.digest.sha256 === sha('sha256', readFileSync(join(repo, 'package-lock.json')))), 'the lockfile is a material');
  assert.equal(runDetails.builder.id, 'https://vib3.dev/builders/local-release/v1');
  assert.equal(envelopeOf(releaseDir).signatures[0].keyid, keyIdOf(readJson(join(work, 'keys'), 'release.public.jwk').x));
});

test('one changed tarball byte: PROVENANCE_SUBJECT_MISMATCH, exit 1', () => {
  const dir = copyRelease();
  const file = join(dir, TARBALL);
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  writeFileSync(file, bytes);
  const { status, result } = verify(dir);
  assert.equal(status, 1);
  assert.equal(result.ok, false);
  assert.equal(result.code, 'PROVENANCE_SUBJECT_MISMATCH');
  assert.equal(check(result, 'signature').status, 'pass', 'the envelope itself is intact');
  assert.equal(check(result, 'subjects').status, 'fail');
});

test('a subject digest changed inside the signed statement: DSSE_SIGNATURE_INVALID, exit 1', () => {
  const dir = copyRelease();
  const envelope = envelopeOf(dir);
  const statement = statementOf(dir);
  const subject = statement.subject.find((s) => s.name === TARBALL);
  subject.digest.sha256 = subject.digest.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  writeFileSync(join(dir, 'provenance.intoto.jsonl'), `${JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') })}\n`);
  const { status, result } = verify(dir);
  assert.equal(status, 1);
  assert.equal(result.code, 'DSSE_SIGNATURE_INVALID');
  assert.equal(check(result, 'signature').status, 'fail');
  assert.equal(check(result, 'subjects').status, 'skip');
});

test('the unchanged statement signed by another key: DSSE_UNKNOWN_KEY with the original trust, exit 1', () => {
  const dir = copyRelease();
  const other = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  writeFileSync(join(dir, 'provenance.intoto.jsonl'), signStatement(statementOf(dir), other));
  const { status, result } = verify(dir);
  assert.equal(status, 1);
  assert.equal(result.code, 'DSSE_UNKNOWN_KEY');
  // …and that signature does verify for whoever trusts the other key: only the trust decides.
  const otherPublic = join(work, 'other.public.jwk');
  writeFileSync(otherPublic, JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: other.x }));
  const trustingOther = verify(dir, otherPublic);
  assert.equal(trustingOther.status, 0, JSON.stringify(trustingOther.result));
});

test('one file dropped from the SBOM: the SBOM subject digest fails; re-signed with the release key, SBOM_MISMATCH', () => {
  const dir = copyRelease();
  const sbom = readJson(dir, 'sbom.cdx.json');
  const dropped = sbom.components.findIndex((c) => c.type === 'file' && c.name === 'dist/vib3.iife.js');
  assert.ok(dropped >= 0);
  sbom.components.splice(dropped, 1);
  const text = Buffer.from(JSON.stringify(sbom, null, 2));
  writeFileSync(join(dir, 'sbom.cdx.json'), text);
  const unsigned = verify(dir);
  assert.equal(unsigned.status, 1);
  assert.equal(unsigned.result.code, 'PROVENANCE_SUBJECT_MISMATCH');

  const statement = statementOf(dir);
  statement.subject.find((s) => s.name === 'sbom.cdx.json').digest = { sha256: sha('sha256', text), sha512: sha('sha512', text) };
  writeFileSync(join(dir, 'provenance.intoto.jsonl'), signStatement(statement, readJson(join(work, 'keys'), 'release.private.jwk')));
  const { status, result } = verify(dir);
  assert.equal(status, 1);
  assert.equal(result.code, 'SBOM_MISMATCH', JSON.stringify(result.checks));
  assert.match(result.message, /dist\/vib3\.iife\.js/);
  assert.deepEqual(['signature', 'subjects', 'sbom-schema', 'integrity'].map((id) => check(result, id).status), ['pass', 'pass', 'pass', 'pass']);
  assert.equal(check(result, 'sbom-files').status, 'fail');
});

test('an integrity value changed and re-signed with the release key: SRI_MISMATCH', () => {
  const dir = copyRelease();
  const manifest = readJson(dir, 'integrity.json');
  manifest.files['dist/vib3.iife.js'].integrity = `sha384-${sha('sha384', Buffer.from('something else'), 'base64')}`;
  const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'integrity.json'), text);
  const statement = statementOf(dir);
  statement.subject.find((s) => s.name === 'integrity.json').digest = { sha256: sha('sha256', text), sha512: sha('sha512', text) };
  writeFileSync(join(dir, 'provenance.intoto.jsonl'), signStatement(statement, readJson(join(work, 'keys'), 'release.private.jwk')));
  const { status, result } = verify(dir);
  assert.equal(status, 1);
  assert.equal(result.code, 'SRI_MISMATCH');
  assert.equal(check(result, 'subjects').status, 'pass');
  assert.equal(check(result, 'integrity').status, 'fail');
});

test('verify-release without --trust is a usage error (MISSING_OPTION, exit 2); a folder without provenance is RELEASE_INCOMPLETE', () => {
  const r = vib3('verify-release', releaseDir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /MISSING_OPTION/);
  const dir = copyRelease();
  rmSync(join(dir, 'provenance.intoto.jsonl'));
  const { status, result } = verify(dir);
  assert.equal(status, 1);
  assert.equal(result.code, 'RELEASE_INCOMPLETE');
});

test('no release key: exit 1 with RELEASE_KEY_MISSING and how to make one; a public key is refused the same way; no folder is created', () => {
  const out = join(work, 'not-created');
  const none = release(['--no-build', '--out', out]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /RELEASE_KEY_MISSING/);
  assert.match(none.stderr, /VIB3_RELEASE_KEY/);
  assert.match(none.stderr, /vib3 ext keygen --out ~\/\.vib3-release --name release/);
  const publicOnly = release(['--no-build', '--out', out, '--key', keys.public]);
  assert.equal(publicOnly.status, 1);
  assert.match(publicOnly.stderr, /RELEASE_KEY_MISSING: .*public key/);
  const unreadable = release(['--no-build', '--out', out], { VIB3_RELEASE_KEY: join(work, 'no-such.jwk') });
  assert.equal(unreadable.status, 1);
  assert.match(unreadable.stderr, /RELEASE_KEY_MISSING/);
  assert.equal(existsSync(out), false);
  assert.ok(!readdirSync(work).some((n) => n.includes('staging')), 'no staging folder either');
});
