// `vib3 ext build` writes a valid toolpack.json and `vib3 ext lint` checks it, in this process
// through `main`, on an extension scaffolded from the toolpack template. The template's worker
// imports `vib3-embed/sdk`; here that resolves to the SDK's sources (a stand-in package in the
// temp folder), so the test needs no `npm run build`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { validateToolPack } from '../../src/agent/toolpack/validate.js';
import { MCP_PROTOCOL_VERSIONS } from '../../src/agent/toolpack/from-extension.js';
import { readListingSource } from '../../src/cli/listing-input.js';

const repo = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'vib3-toolpack-build-'));
const ext = join(work, 'tints');
const ID = 'com.acme.tints';
after(() => rmSync(work, { recursive: true, force: true }));

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const lintJson = async () => {
  const r = await vib3('ext', 'lint', ext, '--json');
  return { code: r.code, ...(JSON.parse(r.out) as { valid: boolean; problems: { severity: string; code: string; pointer: string; message: string; suggestion: string }[] }) };
};

before(async () => {
  // vib3-embed/sdk -> src/sdk/index.ts (esbuild bundles the TypeScript sources).
  const pkg = join(work, 'node_modules', 'vib3-embed');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'vib3-embed', version: '0.0.0-test', type: 'module', exports: { './sdk': './sdk.ts' } }));
  writeFileSync(join(pkg, 'sdk.ts'), `export * from ${JSON.stringify(join(repo, 'src/sdk/index.ts'))};\n`);
  const created = await vib3('ext', 'create', 'tints', '--template', 'toolpack', '--id', ID, '--dir', ext);
  assert.equal(created.code, 0, created.err);
});

test('ext build writes a toolpack.json that validates against the manifest: dotted names, policy, annotations, examples, a default toolset', async () => {
  const built = await vib3('ext', 'build', ext);
  assert.equal(built.code, 0, built.err);
  assert.match(built.out, /wrote dist\/tools\.json \(toolpack\.json: 2 tools, com\.acme\.tints\.set_hue, com\.acme\.tints\.describe_view\)/);
  const manifest = read(join(ext, 'extension.json'));
  const pack = read(join(ext, manifest.entrypoints.toolPack));
  const result = validateToolPack(pack, { extension: manifest });
  assert.equal(result.valid, true);
  assert.deepEqual(result.problems, []);
  assert.deepEqual([pack.id, pack.version, pack.title, pack.description], [ID, manifest.version, manifest.marketplace.title, manifest.description]);
  assert.deepEqual(pack.compatibility, { kit: manifest.compatibility.core, mcpProtocolVersions: [...MCP_PROTOCOL_VERSIONS] });
  assert.deepEqual(pack.toolsets, [{ name: 'default', title: `All tools of ${manifest.marketplace.title}`, tools: [`${ID}.set_hue`, `${ID}.describe_view`] }]);
  const [setHue, describe] = pack.tools;
  assert.deepEqual([setHue.title, setHue.requires, setHue.approval, setHue.rateLimit], ['Set the hue', ['agent-tools', 'rendering'], 'never', { perMinute: 60 }]);
  assert.deepEqual(setHue.annotations, { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false });
  assert.deepEqual(setHue.examples, [{ title: 'Turn the canvas green', input: { hue: 120 }, output: { hue: 120 } }]);
  assert.equal(describe.outputSchema.type, 'object');
  // The file a listing reads its tools from.
  assert.deepEqual(readListingSource(ext, 'https://registry.example/').listing.tools.map((t) => t.name), [`${ID}.set_hue`, `${ID}.describe_view`]);
  const lint = await vib3('ext', 'lint', ext);
  assert.equal(lint.code, 0);
  assert.match(lint.out, /0 error\(s\), 0 warning\(s\)/);
});

test('hostile: a tool that requires a capability the manifest does not declare fails the build with TOOLPACK_INVALID', async () => {
  const worker = join(ext, 'src', 'worker.ts');
  const original = readFileSync(worker, 'utf8');
  // The code declares network (so defineExtension accepts it); extension.json does not.
  writeFileSync(worker, original.replace("capabilities: ['agent-tools', 'rendering'],", "capabilities: ['agent-tools', 'rendering', 'network'],").replace("requires: ['rendering'],\n      approval: 'never',\n      rateLimit", "requires: ['rendering', 'network'],\n      approval: 'never',\n      rateLimit"));
  const before = readFileSync(join(ext, 'dist', 'tools.json'), 'utf8');
  try {
    const r = await vib3('ext', 'build', ext);
    assert.equal(r.code, 1);
    assert.match(r.err, /TOOLPACK_INVALID/);
    assert.match(r.err, /CAPABILITY_NOT_DECLARED \/tools\/0\/requires\/2/);
    assert.equal(readFileSync(join(ext, 'dist', 'tools.json'), 'utf8'), before, 'the invalid pack was not written');
  } finally {
    writeFileSync(worker, original);
  }
});

test('lint: an invalid pack, legacy "/" names, a missing pack and the bare listing of older builds', async () => {
  const file = join(ext, 'dist', 'tools.json');
  const good = read(file);
  try {
    // A pack whose tool requires an undeclared capability, with a toolset naming a missing tool.
    const bad = structuredClone(good);
    bad.tools[0].requires.push('network');
    bad.toolsets[0].tools.push(`${ID}.gone`);
    writeFileSync(file, JSON.stringify(bad));
    let r = await lintJson();
    assert.equal(r.code, 1);
    assert.equal(r.valid, false);
    assert.deepEqual(r.problems.map((p) => `${p.severity}:${p.code}@${p.pointer}`), ['error:CAPABILITY_NOT_DECLARED@dist/tools.json#/tools/0/requires/2', 'error:TOOLSET_UNKNOWN_TOOL@dist/tools.json#/toolsets/0/tools/2']);
    const text = await vib3('ext', 'lint', ext);
    assert.match(text.out, /2 error\(s\), 0 warning\(s\)/);
    assert.match(text.out, /dist\/tools\.json#\/tools\/0\/requires\/2/);

    // Legacy names: warned, still valid.
    const legacy = structuredClone(good);
    legacy.tools[0].name = `${ID}/set_hue`;
    writeFileSync(file, JSON.stringify(legacy));
    r = await lintJson();
    assert.equal(r.code, 0);
    assert.deepEqual(r.problems.map((p) => `${p.severity}:${p.code}@${p.pointer}`), ['warning:TOOL_NAME_LEGACY@dist/tools.json#/tools/0/name']);

    // The bare { tools } listing older builds wrote.
    writeFileSync(file, JSON.stringify({ tools: good.tools.map((t: { name: string }) => ({ ...t, name: t.name.slice(ID.length + 1) })) }));
    r = await lintJson();
    assert.equal(r.code, 1);
    assert.deepEqual(r.problems.map((p) => p.code), ['TOOLPACK_OUTDATED']);
    assert.match(r.problems[0]!.suggestion, /vib3 ext build/);

    // A stale pack (built for an earlier version).
    writeFileSync(file, JSON.stringify({ ...good, version: '0.0.9' }));
    r = await lintJson();
    assert.deepEqual([r.code, r.problems.map((p) => p.code)], [0, ['TOOLPACK_STALE']]);

    // No pack yet.
    unlinkSync(file);
    r = await lintJson();
    assert.equal(r.code, 0);
    assert.deepEqual(r.problems.map((p) => `${p.severity}:${p.code}@${p.pointer}`), ['warning:TOOLPACK_NOT_BUILT@/entrypoints/toolPack']);
    assert.match(r.problems[0]!.suggestion, /vib3 ext build/);
  } finally {
    writeFileSync(file, `${JSON.stringify(good, null, 2)}\n`);
  }
});
