// Tool packs (toolpack.json): schema + semantic checks with codes, legacy "/" names, the MCP and
// Markdown exports, `vib3 toolpack` in this process, and the generated types being up to date.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateToolPack, type ToolPackValidationOptions } from '../../src/agent/toolpack/validate.js';
import { normalizeToolName } from '../../src/agent/toolpack/names.js';
import { toMarkdown, toMcpToolsList } from '../../src/agent/toolpack/export.js';
import type { Vib3ToolPack } from '../../src/agent/toolpack/toolpack.generated.js';
import { main } from '../../src/cli/program.js';

const root = new URL('../../', import.meta.url);
const EXT_FILE = new URL('extensions/duoprism/extension.json', root).pathname;
const manifest = JSON.parse(readFileSync(EXT_FILE, 'utf8')) as { id: string; capabilities: Record<string, unknown> };
const ID = manifest.id;
const dir = mkdtempSync(join(tmpdir(), 'vib3-toolpack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const inputSchema = { type: 'object', properties: { sides: { type: 'integer', minimum: 3, description: 'Number of sides.' }, mode: { enum: ['a', 'b'] } }, required: ['sides'], additionalProperties: false } as const;
const validPack: Vib3ToolPack = {
  id: ID,
  version: '1.0.0',
  title: 'Duoprism tools',
  description: 'Tools for the duoprism geometry.',
  compatibility: { kit: '^1.0.0', mcpProtocolVersions: ['2025-06-18'] },
  toolsets: [{ name: 'shapes', title: 'Shapes', tools: [`${ID}.set_sides`, `${ID}.clear`] }],
  tools: [
    { name: `${ID}.set_sides`, title: 'Set sides', description: 'Sets the number of sides.', inputSchema: clone(inputSchema) as never, outputSchema: { type: 'object', properties: { sides: { type: 'integer' } } }, annotations: { readOnlyHint: false, idempotentHint: true }, requires: ['geometry'], approval: 'never', rateLimit: { perMinute: 30 }, examples: [{ title: 'A hexagonal duoprism', input: { sides: 6 }, output: { sides: 6 } }] },
    { name: `${ID}.clear`, description: 'Removes the shape.', inputSchema: { type: 'object' }, annotations: { destructiveHint: true }, requires: ['geometry'], approval: 'always' },
  ],
};
const withExt: ToolPackValidationOptions = { extension: manifest };
const codes = (pack: unknown, options: ToolPackValidationOptions = withExt) => validateToolPack(pack, options).problems.map((p) => `${p.severity}:${p.code}@${p.pointer}`);
const mutate = (fn: (p: Vib3ToolPack & Record<string, unknown>) => void) => {
  const p = clone(validPack) as Vib3ToolPack & Record<string, unknown>;
  fn(p);
  return p;
};

test('a valid pack passes (with and without its extension), as object or JSON text', () => {
  for (const r of [validateToolPack(validPack, withExt), validateToolPack(JSON.stringify(validPack)), validateToolPack(validPack, { extensionId: ID })]) {
    assert.deepEqual(r.problems, []);
    assert.equal(r.valid, true);
    assert.equal(r.pack?.tools.length, 2);
  }
});

test('schema problems carry codes and JSON pointers', () => {
  assert.deepEqual(codes('{ nope'), ['error:INVALID_JSON@']);
  assert.deepEqual(codes([1]), ['error:NOT_AN_OBJECT@']);
  assert.ok(codes(mutate((p) => { delete (p as Partial<Vib3ToolPack>).tools; })).includes('error:MISSING_FIELD@/tools'));
  assert.ok(codes(mutate((p) => { (p.tools[0] as unknown as Record<string, unknown>)['approval'] = 'sometimes'; })).includes('error:INVALID_VALUE@/tools/0/approval'));
  assert.ok(codes(mutate((p) => { (p.tools[0] as unknown as Record<string, unknown>)['cost'] = 1; })).includes('error:UNKNOWN_FIELD@/tools/0/cost'));
  assert.ok(codes(mutate((p) => { (p.tools[0].requires as string[]).push('teleport'); })).includes('error:INVALID_VALUE@/tools/0/requires/1'));
  assert.ok(codes(mutate((p) => { p.compatibility.kit = 'not a range'; })).includes('error:INVALID_RANGE@/compatibility/kit'));
});

test('each semantic code is triggered by a crafted pack', () => {
  const cases: Array<[string, Vib3ToolPack, string, ToolPackValidationOptions?]> = [
    ['error:TOOL_NAME_INVALID@/tools/0/name', mutate((p) => { p.tools[0].name = `${ID}.set sides!`; p.toolsets = []; }), 'bad characters'],
    ['error:TOOL_NAME_INVALID@/tools/0/name', mutate((p) => { p.tools[0].name = `${ID}.${'x'.repeat(128)}`; p.toolsets = []; }), 'too long'],
    ['error:TOOL_NAME_DUPLICATE@/tools/1/name', mutate((p) => { p.tools[1]!.name = p.tools[0].name; }), 'duplicate'],
    ['error:TOOL_NAME_NOT_NAMESPACED@/tools/0/name', mutate((p) => { p.tools[0].name = 'set_sides'; p.toolsets = []; }), 'no namespace'],
    ['error:TOOL_NAME_NOT_NAMESPACED@/tools/0/name', mutate((p) => { p.tools[0].name = 'com.other.ext.set_sides'; p.toolsets = []; }), 'another namespace', { extensionId: ID }],
    ['warning:TOOL_NAME_LEGACY@/tools/0/name', mutate((p) => { p.tools[0].name = `${ID}/set_sides`; }), 'legacy'],
    ['error:CAPABILITY_NOT_DECLARED@/tools/0/requires/1', mutate((p) => { p.tools[0].requires = ['geometry', 'network']; }), 'undeclared capability'],
    ['error:TOOLSET_UNKNOWN_TOOL@/toolsets/0/tools/1', mutate((p) => { p.toolsets![0]!.tools[1] = `${ID}.nothing`; }), 'toolset'],
    ['warning:APPROVAL_TOO_WEAK@/tools/1/approval', mutate((p) => { p.tools[1]!.approval = 'never'; }), 'approval'],
    ['error:INPUT_SCHEMA_NOT_OBJECT@/tools/0/inputSchema', mutate((p) => { (p.tools[0] as unknown as Record<string, unknown>)['inputSchema'] = { type: 'string' }; }), 'string schema'],
    ['error:INPUT_SCHEMA_NOT_OBJECT@/tools/0/inputSchema', mutate((p) => { (p.tools[0] as unknown as Record<string, unknown>)['inputSchema'] = { properties: {} }; }), 'no type'],
    ['error:INPUT_SCHEMA_NOT_OBJECT@/tools/0/inputSchema', mutate((p) => { (p.tools[0] as unknown as Record<string, unknown>)['inputSchema'] = []; }), 'array'],
  ];
  for (const [expected, pack, why, options] of cases) {
    const got = codes(pack, options ?? withExt);
    assert.ok(got.includes(expected), `${why}: expected ${expected}, got ${JSON.stringify(got)}`);
    assert.equal(validateToolPack(pack, options ?? withExt).valid, expected.startsWith('warning'), `${why}: validity`);
  }
  // Without an extension the namespace and capability rules do not apply (the kit's own pack).
  assert.deepEqual(codes(mutate((p) => { p.tools[0].name = 'set_params'; p.tools[0].requires = ['network']; p.toolsets = []; }), {}), []);
  // An extension without agent-tools cannot have a tool pack.
  assert.ok(codes(validPack, { extension: { id: ID, capabilities: { geometry: {} } } }).includes('error:CAPABILITY_NOT_DECLARED@'));
});

test('legacy "/" names are warned, normalized, matched by toolsets and exported dotted', () => {
  assert.equal(normalizeToolName(ID, `${ID}/set_sides`), `${ID}.set_sides`);
  assert.equal(normalizeToolName(ID, `${ID}.set_sides`), `${ID}.set_sides`);
  assert.equal(normalizeToolName(ID, 'set_params'), 'set_params');
  assert.equal(normalizeToolName(undefined, 'a.b.c/tool'), 'a.b.c.tool');
  const legacy = mutate((p) => { p.tools[0].name = `${ID}/set_sides`; p.tools[1]!.name = `${ID}/clear`; });
  const r = validateToolPack(legacy, withExt);
  assert.equal(r.valid, true);
  assert.deepEqual(r.problems.map((p) => p.code), ['TOOL_NAME_LEGACY', 'TOOL_NAME_LEGACY']);
  assert.match(r.problems[0]!.suggestion, new RegExp(`${ID.replace(/\./g, '\\.')}\\.set_sides`));
  // The legacy and dotted spellings of one tool are the same tool.
  assert.ok(codes(mutate((p) => { p.tools[1]!.name = `${ID}/set_sides`; })).includes('error:TOOL_NAME_DUPLICATE@/tools/1/name'));
  assert.deepEqual(toMcpToolsList(r.pack!, { extensionId: ID }).tools.map((t) => t.name), [`${ID}.set_sides`, `${ID}.clear`]);
});

test('the MCP export is tools/list with MCP Tool fields only and inputSchema verbatim', () => {
  const list = toMcpToolsList(validPack);
  assert.deepEqual(Object.keys(list), ['tools']);
  assert.deepEqual(Object.keys(list.tools[0]!).sort(), ['annotations', 'description', 'inputSchema', 'name', 'outputSchema', 'title']);
  assert.deepEqual(Object.keys(list.tools[1]!).sort(), ['annotations', 'description', 'inputSchema', 'name']);
  for (const t of list.tools) for (const policy of ['requires', 'approval', 'rateLimit', 'examples']) assert.ok(!(policy in t), `${policy} leaked into ${t.name}`);
  assert.deepEqual(list.tools[0]!.inputSchema, inputSchema);
  assert.notEqual(list.tools[0]!.inputSchema, validPack.tools[0].inputSchema, 'a copy, not the pack object');
});

test('the Markdown docs show each tool with its description, policy, parameters and examples', () => {
  const md = toMarkdown(validPack);
  assert.match(md, /^# Duoprism tools/);
  assert.match(md, new RegExp(`### \`${ID.replace(/\./g, '\\.')}\\.set_sides\` — Set sides`));
  assert.match(md, /Sets the number of sides\./);
  assert.match(md, /- Approval: never/);
  assert.match(md, /- Requires: `geometry`/);
  assert.match(md, /- Rate limit: 30 calls per minute/);
  assert.match(md, /- `sides` \(integer, required\): Number of sides\./);
  assert.match(md, /- `mode` \("a" \| "b"\)/);
  assert.match(md, /\*\*Example: A hexagonal duoprism\*\*[\s\S]*"sides": 6/);
  assert.match(md, /Hints \(not permissions\): destructiveHint=true/);
});

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('vib3 toolpack validate|docs|export: exit codes and --json shapes', async () => {
  const good = join(dir, 'toolpack.json');
  const legacy = join(dir, 'legacy.json');
  const bad = join(dir, 'bad.json');
  writeFileSync(good, JSON.stringify(validPack));
  writeFileSync(legacy, JSON.stringify(mutate((p) => { p.tools[0].name = `${ID}/set_sides`; p.toolsets = []; })));
  writeFileSync(bad, JSON.stringify(mutate((p) => { p.tools[0].requires = ['network']; })));

  const ok = await vib3('toolpack', 'validate', good, '--extension', EXT_FILE, '--json');
  assert.equal(ok.code, 0, ok.err.join('\n'));
  assert.deepEqual(JSON.parse(ok.out.join('\n')), { ok: true, id: ID, version: '1.0.0', tools: 2, problems: [] });

  const warned = await vib3('toolpack', 'validate', legacy, '--extension', EXT_FILE);
  assert.equal(warned.code, 0);
  assert.match(warned.out.join('\n'), /valid: .* 2 tools, 1 warning/);
  assert.match(warned.err.join('\n'), /warning TOOL_NAME_LEGACY \/tools\/0\/name/);

  const failed = await vib3('toolpack', 'validate', bad, '--extension', EXT_FILE, '--json');
  assert.equal(failed.code, 1);
  const body = JSON.parse(failed.out.join('\n'));
  assert.deepEqual([body.ok, body.code], [false, 'TOOLPACK_INVALID']);
  assert.deepEqual(body.problems.map((p: { code: string; pointer: string }) => `${p.code}@${p.pointer}`), ['CAPABILITY_NOT_DECLARED@/tools/0/requires/0']);
  assert.equal((await vib3('toolpack', 'validate', bad)).code, 0, 'without --extension capabilities are not checked');
  assert.equal((await vib3('toolpack', 'validate', join(dir, 'missing.json'))).code, 1);

  const mcp = await vib3('toolpack', 'export', good, '--format', 'mcp');
  assert.equal(mcp.code, 0);
  assert.deepEqual(JSON.parse(mcp.out.join('\n')), toMcpToolsList(validPack));
  const mcpJson = await vib3('toolpack', 'export', good, '--format', 'mcp', '--json');
  assert.deepEqual(JSON.parse(mcpJson.out.join('\n')), { ok: true, format: 'mcp', result: toMcpToolsList(validPack), problems: [] });
  const mdFile = join(dir, 'TOOLS.md');
  const md = await vib3('toolpack', 'export', good, '--format', 'markdown', '-o', mdFile, '--json');
  assert.deepEqual([md.code, JSON.parse(md.out.join('\n')).file], [0, mdFile]);
  assert.equal(readFileSync(mdFile, 'utf8'), toMarkdown(validPack));
  assert.equal((await vib3('toolpack', 'export', good, '--format', 'yaml')).code, 2);
  assert.equal((await vib3('toolpack', 'export', good)).code, 2);

  const docs = await vib3('toolpack', 'docs', good);
  assert.equal(docs.code, 0);
  assert.equal(`${docs.out.join('\n')}\n`, toMarkdown(validPack));
  for (const sub of ['validate', 'docs', 'export']) assert.equal((await vib3('toolpack', sub, '--help')).code, 0);
});

test('the schema capabilities are the manifest capabilities, and the generated types are up to date', async () => {
  const tp = JSON.parse(readFileSync(new URL('src/agent/toolpack/schema/toolpack.schema.json', root), 'utf8'));
  const ext = JSON.parse(readFileSync(new URL('src/extensions/manifest/schema/extension.schema.json', root), 'utf8'));
  assert.deepEqual([...tp.$defs.capability.enum].sort(), Object.keys(ext.properties.capabilities.properties).sort());
  const cwd = process.cwd();
  process.chdir(new URL('.', root).pathname);
  try {
    const { generate } = (await import(new URL('scripts/gen-toolpack-types.mjs', root).href)) as { generate(): Promise<string> };
    assert.equal(await generate(), readFileSync(new URL('src/agent/toolpack/toolpack.generated.ts', root), 'utf8'), 'run node scripts/gen-toolpack-types.mjs');
  } finally {
    process.chdir(cwd);
  }
});
