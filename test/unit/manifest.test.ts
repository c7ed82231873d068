import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { validateManifest, lintManifest, checkCompatibility, migrateV1, type Vib3ExtensionManifest, type ManifestProblem } from '../../src/extensions/index.js';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');
const reference = JSON.parse(read('extensions/duoprism/extension.json')) as Vib3ExtensionManifest;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const templateVars: Record<string, string> = { __NAME__: 'demo', __ID__: 'com.example.demo', __TITLE__: 'Demo', __PUBLISHER__: 'Example', __KEY_ID__: 'ed25519:AAAAAAAAAAAAAAAAAAAAAA' };

test('the reference extension and every template manifest are valid', () => {
  assert.deepEqual(validateManifest(reference).problems, []);
  const templates = readdirSync(new URL('src/cli/templates/', root));
  assert.equal(templates.length, 4);
  for (const t of templates) {
    const text = read(`src/cli/templates/${t}/extension.json.tmpl`).replace(/__[A-Z_]+__/g, (m) => templateVars[m] ?? m);
    const result = lintManifest(text);
    assert.deepEqual(result.problems, [], `${t}: ${JSON.stringify(result.problems)}`);
    assert.equal(result.valid, true);
  }
});

type Case = [name: string, mutate: (m: Record<string, any>) => unknown, pointer: string, code: ManifestProblem['code']];
const CORPUS: Case[] = [
  ['id missing', (m) => delete m.id, '/id', 'MISSING_FIELD'],
  ['id uppercase', (m) => (m.id = 'Dev.Vib3.Duoprism'), '/id', 'INVALID_ID'],
  ['id with one part', (m) => (m.id = 'duoprism'), '/id', 'INVALID_ID'],
  ['version with v prefix', (m) => (m.version = 'v1.0.0'), '/version', 'INVALID_VERSION'],
  ['version with two parts', (m) => (m.version = '1.0'), '/version', 'INVALID_VERSION'],
  ['version with build metadata', (m) => (m.version = '1.0.0+build.5'), '/version', 'INVALID_VERSION'],
  ['version with leading zero', (m) => (m.version = '01.0.0'), '/version', 'INVALID_VERSION'],
  ['manifestVersion from the future', (m) => (m.manifestVersion = 3), '/manifestVersion', 'UNSUPPORTED_MANIFEST_VERSION'],
  ['manifestVersion missing', (m) => delete m.manifestVersion, '/manifestVersion', 'MISSING_FIELD'],
  ['empty name', (m) => (m.name = ''), '/name', 'TOO_SHORT'],
  ['name too long', (m) => (m.name = 'x'.repeat(65)), '/name', 'TOO_LONG'],
  ['malformed keyId', (m) => (m.publisher.keyId = 'abc'), '/publisher/keyId', 'INVALID_KEY_ID'],
  ['publisher name missing', (m) => delete m.publisher.name, '/publisher/name', 'MISSING_FIELD'],
  ['publisher url not https', (m) => (m.publisher.url = 'http://example.com'), '/publisher/url', 'INVALID_URL'],
  ['unknown publisher field', (m) => (m.publisher.email = 'a@b.c'), '/publisher/email', 'UNKNOWN_FIELD'],
  ['no capabilities', (m) => (m.capabilities = {}), '/capabilities', 'TOO_FEW'],
  ['unknown capability', (m) => (m.capabilities.camera = { reason: 'Takes pictures of you.' }), '/capabilities/camera', 'UNKNOWN_FIELD'],
  ['reason too short', (m) => (m.capabilities.geometry.reason = 'meshes'), '/capabilities/geometry/reason', 'TOO_SHORT'],
  ['reason missing', (m) => (m.capabilities.geometry = {}), '/capabilities/geometry/reason', 'MISSING_FIELD'],
  ['wildcard origin', (m) => (m.capabilities.network = { reason: 'Loads shapes from the server.', origins: ['https://*.example.com'] }), '/capabilities/network/origins/0', 'INVALID_ORIGIN'],
  ['origin with path', (m) => (m.capabilities.network = { reason: 'Loads shapes from the server.', origins: ['https://api.example.com/v1'] }), '/capabilities/network/origins/0', 'INVALID_ORIGIN'],
  ['origin with trailing slash', (m) => (m.capabilities.network = { reason: 'Loads shapes from the server.', origins: ['https://api.example.com/'] }), '/capabilities/network/origins/0', 'INVALID_ORIGIN'],
  ['network without origins', (m) => (m.capabilities.network = { reason: 'Loads shapes from the server.' }), '/capabilities/network/origins', 'MISSING_FIELD'],
  ['duplicate origins', (m) => (m.capabilities.network = { reason: 'Loads shapes from the server.', origins: ['https://a.example.com', 'https://a.example.com'] }), '/capabilities/network/origins', 'DUPLICATE'],
  ['ui capability without slots', (m) => (m.capabilities.ui = { reason: 'Shows a shape picker.' }), '/capabilities/ui/slots', 'MISSING_FIELD'],
  ['unknown ui slot', (m) => ((m.capabilities.ui = { reason: 'Shows a shape picker.', slots: ['sidebar'] }), (m.entrypoints.ui = 'dist/ui.js')), '/capabilities/ui/slots/0', 'INVALID_VALUE'],
  ['entrypoint escaping the package', (m) => (m.entrypoints.worker = '../escape.js'), '/entrypoints/worker', 'INVALID_PATH'],
  ['absolute entrypoint', (m) => (m.entrypoints.worker = '/worker.js'), '/entrypoints/worker', 'INVALID_PATH'],
  ['entrypoint that is not JavaScript', (m) => (m.entrypoints.worker = 'dist/worker.ts'), '/entrypoints/worker', 'INVALID_PATH'],
  ['worker entrypoint missing', (m) => delete m.entrypoints.worker, '/entrypoints/worker', 'MISSING_FIELD'],
  ['agent-tools without tool pack', (m) => delete m.entrypoints.toolPack, '/capabilities/agent-tools', 'CAPABILITY_WITHOUT_ENTRYPOINT'],
  ['tool pack without agent-tools', (m) => delete m.capabilities['agent-tools'], '/entrypoints/toolPack', 'ENTRYPOINT_WITHOUT_CAPABILITY'],
  ['core range unparsable', (m) => (m.compatibility.core = 'banana'), '/compatibility/core', 'INVALID_RANGE'],
  ['renderer contract zero', (m) => (m.compatibility.rendererContract = 0), '/compatibility/rendererContract', 'OUT_OF_RANGE'],
  ['renderer contract as string', (m) => (m.compatibility.rendererContract = '1'), '/compatibility/rendererContract', 'WRONG_TYPE'],
  ['unknown feature flag', (m) => (m.compatibility.features = { required: ['teleport'] }), '/compatibility/features/required/0', 'INVALID_VALUE'],
  ['feature both required and optional', (m) => (m.compatibility.features = { required: ['webgpu'], optional: ['webgpu'] }), '/compatibility/features/optional/0', 'FEATURE_CONFLICT'],
  ['no categories', (m) => (m.marketplace.categories = []), '/marketplace/categories', 'TOO_FEW'],
  ['unknown category', (m) => (m.marketplace.categories = ['games']), '/marketplace/categories/0', 'INVALID_VALUE'],
  ['paid without price', (m) => (m.marketplace.pricing = { model: 'paid' }), '/marketplace/pricing/amount', 'MISSING_FIELD'],
  ['lowercase currency', (m) => (m.marketplace.pricing = { model: 'paid', amount: 5, currency: 'usd' }), '/marketplace/pricing/currency', 'INVALID_FORMAT'],
  ['preview outside the package', (m) => (m.marketplace.previews[0].src = '../secret.png'), '/marketplace/previews/0/src', 'INVALID_URL'],
  ['brand colour by name', (m) => (m.marketplace.brand.color = 'blue'), '/marketplace/brand/color', 'INVALID_FORMAT'],
  ['tag with spaces', (m) => (m.marketplace.tags = ['Has Spaces']), '/marketplace/tags/0', 'INVALID_FORMAT'],
  ['locale key not BCP 47', (m) => (m.marketplace.locales = { english: { title: 'Duoprisms' } }), '/marketplace/locales', 'INVALID_VALUE'],
  ['signature by another key', (m) => (m.signature = { algorithm: 'Ed25519', keyId: 'ed25519:BBBBBBBBBBBBBBBBBBBBBB', files: {}, value: 'A'.repeat(86) }), '/signature/keyId', 'KEY_MISMATCH'],
  ['unknown top-level field', (m) => (m.permissions = ['everything']), '/permissions', 'UNKNOWN_FIELD'],
];

test(`the broken-manifest corpus has at least 30 cases (${CORPUS.length})`, () => {
  assert.ok(CORPUS.length >= 30);
  assert.equal(new Set(CORPUS.map((c) => c[0])).size, CORPUS.length, 'each case is distinct');
});

for (const [name, mutate, pointer, code] of CORPUS) {
  test(`broken manifest "${name}" -> ${code} at ${pointer}`, () => {
    const m = clone(reference) as Record<string, any>;
    mutate(m);
    const result = validateManifest(m);
    assert.equal(result.valid, false, `${name}: should be invalid`);
    assert.equal(result.manifest, undefined, `${name}: no manifest for invalid input`);
    const hit = result.problems.find((p) => p.pointer === pointer && p.code === code);
    assert.ok(hit, `${name}: expected ${code} at ${pointer}, got ${JSON.stringify(result.problems.map((p) => [p.code, p.pointer]))}`);
    for (const p of result.problems) {
      assert.ok(p.suggestion.length > 10 && p.message.length > 5, `${name}: every problem explains itself`);
    }
  });
}

test('a ui widget needs no ui entrypoint (its UI is view() in the worker); a leftover entrypoints.ui is a warning', () => {
  const m = clone(reference) as Record<string, any>;
  m.capabilities.ui = { reason: 'Shows a shape picker.', slots: ['panel'] };
  assert.equal(validateManifest(m).valid, true, JSON.stringify(validateManifest(m).problems));
  m.entrypoints.ui = 'dist/ui.js';
  const result = validateManifest(m);
  assert.equal(result.valid, true);
  assert.deepEqual(result.problems.map((p) => [p.severity, p.code, p.pointer]), [['warning', 'UNUSED_ENTRYPOINT', '/entrypoints/ui']]);
});

test('non-objects and broken JSON are rejected at the root', () => {
  assert.deepEqual(validateManifest([1, 2]).problems.map((p) => [p.code, p.pointer]), [['NOT_AN_OBJECT', '']]);
  assert.deepEqual(validateManifest('{"id": ').problems.map((p) => p.code), ['INVALID_JSON']);
  assert.deepEqual(validateManifest(null).problems.map((p) => p.code), ['NOT_AN_OBJECT']);
  const cyclic: Record<string, unknown> = { ...clone(reference) };
  cyclic['self'] = cyclic;
  assert.deepEqual(validateManifest(cyclic).problems.map((p) => p.code), ['INVALID_JSON']);
  assert.equal(validateManifest({ ...clone(reference), description: undefined }).valid, true, 'undefined members are simply absent');
});

test('every problem is reported, not just the first', () => {
  const m = clone(reference) as Record<string, any>;
  m.id = 'X';
  m.version = 'latest';
  m.name = '';
  m.publisher.keyId = 'nope';
  m.entrypoints.worker = '../w.js';
  m.compatibility.core = 'whenever';
  const codes = validateManifest(m).problems.map((p) => p.code).sort();
  assert.deepEqual(codes, ['INVALID_ID', 'INVALID_KEY_ID', 'INVALID_PATH', 'INVALID_RANGE', 'INVALID_VERSION', 'TOO_SHORT']);
});

test('lint adds best-practice warnings that do not block install', () => {
  const m = clone(reference) as Record<string, any>;
  delete m.marketplace.previews;
  delete m.description;
  m.compatibility.core = '>=0.1.0';
  m.capabilities.network = {
    reason: 'Loads shapes from many servers.',
    origins: ['http://plain.example.com', 'https://localhost:8443', 'https://a.example.com', 'https://b.example.com', 'https://c.example.com', 'https://d.example.com'],
  };
  const result = lintManifest(m);
  assert.equal(result.valid, true);
  const warnings = result.problems.map((p) => [p.severity, p.code, p.pointer]);
  assert.deepEqual(warnings.sort(), [
    ['warning', 'BROAD_NETWORK_SCOPE', '/capabilities/network/origins'],
    ['warning', 'INSECURE_ORIGIN', '/capabilities/network/origins/0'],
    ['warning', 'LOCALHOST_ORIGIN', '/capabilities/network/origins/1'],
    ['warning', 'MISSING_DESCRIPTION', '/description'],
    ['warning', 'MISSING_PREVIEWS', '/marketplace/previews'],
    ['warning', 'OPEN_ENDED_RANGE', '/compatibility/core'],
  ].sort());
  assert.equal(lintManifest({ ...clone(reference), compatibility: { core: '*', rendererContract: 1 } }).problems[0]?.code, 'OPEN_ENDED_RANGE');
  assert.deepEqual(lintManifest(reference).problems, []);
});

const V1 = {
  manifestVersion: 1,
  id: 'com.example.legacy-shape',
  version: '0.3.0',
  name: 'Legacy shape',
  publisher: 'Example',
  keyId: 'ed25519:AAAAAAAAAAAAAAAAAAAAAA',
  main: 'dist/worker.js',
  permissions: ['geometry', 'telemetry'],
  hosts: ['https://shapes.example.com'],
  engine: '^0.1.0',
};

test('a manifestVersion 1 document still loads: validated as v1, migrated to v2', () => {
  const result = lintManifest(V1);
  assert.equal(result.valid, true, JSON.stringify(result.problems));
  assert.equal(result.sourceVersion, 1);
  assert.equal(result.manifest?.manifestVersion, 2);
  assert.equal(result.manifest?.entrypoints.worker, 'dist/worker.js');
  assert.deepEqual(Object.keys(result.manifest!.capabilities).sort(), ['geometry', 'network', 'telemetry']);
  assert.deepEqual(result.manifest?.capabilities.network?.origins, ['https://shapes.example.com']);
  assert.equal(result.manifest?.compatibility.core, '^0.1.0');
  assert.ok(result.problems.some((p) => p.code === 'MIGRATED' && p.severity === 'warning'));
  assert.deepEqual(migrateV1(V1 as never), result.manifest);
});

test('a broken v1 document is reported with v1 pointers; after migration v2 rules still apply', () => {
  const bad = validateManifest({ ...V1, permissions: ['root'] });
  assert.ok(bad.problems.some((p) => p.pointer === '/permissions/0' && p.code === 'INVALID_VALUE'));
  const noKey = validateManifest({ ...V1, keyId: undefined });
  assert.ok(noKey.problems.some((p) => p.pointer === '/publisher/keyId' && p.code === 'MISSING_FIELD'));
});

test('compatibility: core ranges, renderer contract, required features; prerelease cores by precedence', () => {
  const host = { coreVersion: '0.1.4', rendererContract: 1, features: ['webgl2' as const] };
  assert.deepEqual(checkCompatibility(reference, host), []);
  assert.deepEqual(checkCompatibility(reference, { ...host, coreVersion: '0.2.0' }).map((i) => i.code), ['CORE_VERSION_MISMATCH']);
  assert.deepEqual(checkCompatibility(reference, { ...host, rendererContract: 2 }).map((i) => i.code), ['RENDERER_CONTRACT_MISMATCH']);
  const needsGpu = { ...reference, compatibility: { ...reference.compatibility, features: { required: ['webgpu' as const] } } };
  assert.deepEqual(checkCompatibility(needsGpu, host).map((i) => i.code), ['MISSING_FEATURE']);
  // Prerelease cores compare by semver precedence (includePrerelease):
  const at = (core: string, coreVersion: string) => checkCompatibility({ ...reference, compatibility: { core, rendererContract: 1 } }, { ...host, coreVersion }).length === 0;
  assert.equal(at('^0.1.0', '0.1.5-beta.1'), true, 'a beta of a later patch inside the range');
  assert.equal(at('^0.2.0', '0.2.0-beta.1'), false, 'a beta comes before its release');
  assert.equal(at('>=0.2.0-0 <0.3.0', '0.2.0-beta.1'), true, 'opt in to betas with a -0 lower bound');
});

test('the TypeScript types are generated from the current schema', async () => {
  const { generate } = (await import(new URL('scripts/gen-manifest-types.mjs', root).href)) as { generate(): Promise<string> };
  assert.equal(await generate(), read('src/extensions/manifest/manifest.generated.ts'), 'run node scripts/gen-manifest-types.mjs');
});
