// Tool-pack exports checked against their official schemas: the MCPB manifest with
// @anthropic-ai/mcpb's published validator (its strict zod schema and its `validateManifest`),
// server.json with the MCP Registry's pinned schema under ajv; legacy "/" names exported dotted in
// every format; the pack built from SDK definitions (title, annotations, policy) and the SDK's
// checks of those fields; `vib3 toolpack export --format mcpb|server-json` in this process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DEFAULT_MANIFEST_VERSION, MANIFEST_SCHEMAS, validateManifest as mcpbValidate } from '@anthropic-ai/mcpb/node';
import { toMcpbManifest, MCPB_ENTRY_POINT } from '../../src/agent/toolpack/export-mcpb.js';
import { toServerJson } from '../../src/agent/toolpack/export-server-json.js';
import { toMarkdown, toMcpToolsList } from '../../src/agent/toolpack/export.js';
import { MCP_PROTOCOL_VERSIONS, toolPackFromExtension } from '../../src/agent/toolpack/from-extension.js';
import { validateToolPack } from '../../src/agent/toolpack/validate.js';
import type { Vib3ToolPack } from '../../src/agent/toolpack/toolpack.generated.js';
import { validateServerJson } from '../../src/listings/partners/server-json.js';
import { defineExtension, describeTools, ExtensionDefinitionError } from '../../src/sdk/index.js';
import { main } from '../../src/cli/program.js';

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('extensions/duoprism/extension.json', root), 'utf8'));
const ID: string = manifest.id;
const dir = mkdtempSync(join(tmpdir(), 'vib3-toolpack-exports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const serverSchema = JSON.parse(readFileSync(new URL('src/listings/partners/schema/server.schema.json', root), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const ajvServerJson = ajv.compile(serverSchema);
const mcpbSchema = MANIFEST_SCHEMAS[DEFAULT_MANIFEST_VERSION];

/** The published MCPB validator (`mcpb validate`): reads <folder>/manifest.json and prints its verdict. */
function mcpbValidates(doc: unknown): boolean {
  const folder = mkdtempSync(join(dir, 'mcpb-'));
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(doc));
  const log = console.log;
  console.log = () => {};
  try {
    return mcpbValidate(folder);
  } finally {
    console.log = log;
  }
}

const pack: Vib3ToolPack = {
  id: ID,
  version: '1.0.1',
  title: 'Duoprisms',
  description: 'Adds the p,q-duoprisms (a p-gon times a q-gon) as 4D meshes, with agent tools to describe them and put them on the canvas.',
  compatibility: { kit: '^0.1.0', mcpProtocolVersions: ['2025-06-18'] },
  toolsets: [{ name: 'default', tools: [`${ID}.duoprism_facts`, `${ID}.show_duoprism`] }],
  tools: [
    { name: `${ID}.duoprism_facts`, title: 'Duoprism facts', description: 'Counts the vertices, edges, faces and cells.', inputSchema: { type: 'object', properties: { p: { type: 'integer' } } }, annotations: { readOnlyHint: true }, requires: ['agent-tools'], approval: 'never' },
    { name: `${ID}.show_duoprism`, description: 'Puts the duoprism on the canvas.', inputSchema: { type: 'object' }, requires: ['agent-tools', 'geometry'], approval: 'destructive' },
  ],
};
/** The same pack with the legacy `<id>/<tool>` names. */
const legacy: Vib3ToolPack = { ...structuredClone(pack), toolsets: [], tools: pack.tools.map((t) => ({ ...t, name: t.name.replace(`${ID}.`, `${ID}/`) })) as Vib3ToolPack['tools'] };
const dotted = pack.tools.map((t) => t.name);

test('the MCPB manifest passes @anthropic-ai/mcpb\'s validator in the version it writes for new bundles, and runs vib3 mcp with node', () => {
  const m = toMcpbManifest(pack);
  const parsed = mcpbSchema.safeParse(m);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  assert.equal(mcpbValidates(m), true, 'mcpb validate accepts it');
  assert.equal(m.manifest_version, DEFAULT_MANIFEST_VERSION);
  assert.deepEqual(m.server, { type: 'node', entry_point: MCPB_ENTRY_POINT, mcp_config: { command: 'node', args: [`\${__dirname}/${MCPB_ENTRY_POINT}`, 'mcp'], env: {} } });
  assert.deepEqual(m.tools, pack.tools.map((t) => ({ name: t.name, description: t.description })));
  assert.deepEqual([m.name, m.display_name, m.version, m.description], [ID, pack.title, pack.version, pack.description]);
  // With every option (an extension's publisher as author, a repository, a license, extra server arguments).
  const full = toMcpbManifest(pack, { name: 'duoprism', version: '2.0.0', author: { name: 'VIB3', url: 'https://github.com/vib3' }, homepage: 'https://vib3.dev', repositoryUrl: 'https://github.com/vib3/vib3-embed', license: 'MIT', args: ['mcp', '--http', '8080'], env: { VIB3_CHROMIUM: '/usr/bin/chromium' } });
  assert.ok(mcpbSchema.safeParse(full).success);
  assert.equal(mcpbValidates(full), true);
  // The validator is live: what the spec forbids is refused.
  assert.equal(mcpbValidates({ ...m, server: { ...m.server, type: 'deno' } }), false);
  assert.equal(mcpbSchema.safeParse({ ...m, tools: [{ name: 'x', inputSchema: {} }] }).success, false, 'MCPB tools carry only name and description');
});

test('server.json validates against the pinned MCP Registry schema (ajv) and describes npx vib3-embed mcp over stdio', () => {
  const doc = toServerJson(pack, { packageVersion: '0.1.0', websiteUrl: 'https://vib3.dev', repositoryUrl: 'https://github.com/vib3/vib3-embed' });
  assert.equal(ajvServerJson(doc), true, JSON.stringify(ajvServerJson.errors));
  assert.deepEqual(validateServerJson(doc), [], 'the kit\'s eval-free validator agrees');
  assert.equal(doc['$schema'], serverSchema.$id);
  assert.equal(doc['name'], 'dev.vib3/duoprism');
  assert.equal(doc['version'], '0.1.0');
  assert.ok((doc['description'] as string).length <= 100, 'trimmed to the schema\'s 100 characters');
  assert.deepEqual(doc['packages'], [{ registryType: 'npm', identifier: 'vib3-embed', version: '0.1.0', runtimeHint: 'npx', transport: { type: 'stdio' }, packageArguments: [{ type: 'positional', value: 'mcp' }] }]);
  assert.deepEqual(doc['repository'], { url: 'https://github.com/vib3/vib3-embed', source: 'github' });
  const meta = (doc['_meta'] as Record<string, Record<string, { tools: { name: string }[] }>>)['io.modelcontextprotocol.registry/publisher-provided']!['dev.vib3/toolpack']!;
  assert.deepEqual(meta.tools.map((t) => t.name), dotted);
  // The schema is live: a name without a namespace and a missing version are refused.
  assert.equal(ajvServerJson({ ...doc, name: 'no-namespace' }), false);
  const { version: _v, ...noVersion } = doc;
  assert.equal(ajvServerJson(noVersion), false);
});

test('hostile: a pack with "/" names exports dotted names in every format', () => {
  assert.equal(validateToolPack(legacy).valid, true, 'accepted (with TOOL_NAME_LEGACY warnings)');
  for (const options of [{}, { extensionId: ID }]) {
    assert.deepEqual(toMcpToolsList(legacy, options).tools.map((t) => t.name), dotted);
    const m = toMcpbManifest(legacy, options);
    assert.deepEqual(m.tools.map((t) => t.name), dotted);
    assert.ok(mcpbSchema.safeParse(m).success);
    const s = toServerJson(legacy, { ...options, packageVersion: '1.2.3' });
    assert.equal(ajvServerJson(s), true);
    assert.doesNotMatch(JSON.stringify(s['_meta']), new RegExp(`${ID}/`));
    const md = toMarkdown(legacy, options);
    for (const name of dotted) assert.ok(md.includes(`\`${name}\``), name);
    assert.doesNotMatch(md, new RegExp(`${ID.replace(/\./g, '\\.')}/`));
  }
});

test('SDK definitions carry title, annotations and policy to the host description and the built pack', () => {
  const def = defineExtension({
    kind: 'toolpack',
    capabilities: ['agent-tools', 'rendering'],
    tools: {
      tint: { title: 'Tint', description: 'Tints the canvas a given hue.', inputSchema: { type: 'object', properties: { hue: { type: 'number' } }, required: ['hue'] }, annotations: { idempotentHint: true }, requires: ['rendering'], approval: 'always', rateLimit: { perMinute: 5 }, examples: [{ title: 'Red', input: { hue: 0 } }], handler: () => ({ content: [] }) },
      plain: { description: 'A tool as tools were written before.', inputSchema: { type: 'object' }, handler: () => ({ content: [] }) },
    },
  });
  const described = describeTools(def).tools;
  assert.deepEqual(described[0], { name: 'tint', title: 'Tint', description: 'Tints the canvas a given hue.', inputSchema: def.tools.tint!.inputSchema, annotations: { idempotentHint: true }, requires: ['rendering'], approval: 'always', rateLimit: { perMinute: 5 }, examples: [{ title: 'Red', input: { hue: 0 } }] });
  assert.deepEqual(described[1], { name: 'plain', description: 'A tool as tools were written before.', inputSchema: { type: 'object' } }, 'old definitions are described as before');
  const m = { ...manifest, id: 'com.example.tint', capabilities: { 'agent-tools': { reason: 'x' }, rendering: { reason: 'x' } } };
  const built = toolPackFromExtension(m, described);
  const result = validateToolPack(built, { extension: m });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(built.tools.map((t) => [t.name, t.requires, t.approval]), [['com.example.tint.tint', ['agent-tools', 'rendering'], 'always'], ['com.example.tint.plain', ['agent-tools'], 'destructive']]);
  assert.deepEqual(built.toolsets, [{ name: 'default', title: 'All tools of Duoprisms', tools: ['com.example.tint.tint', 'com.example.tint.plain'] }]);
  assert.deepEqual(built.compatibility, { kit: manifest.compatibility.core, mcpProtocolVersions: [...MCP_PROTOCOL_VERSIONS] });
});

test('defineExtension refuses malformed policy: an undeclared requires, a bad approval, rate limit, annotation or example', () => {
  const tool = { description: 'A tool that does something.', inputSchema: { type: 'object' as const }, handler: () => ({ content: [] }) };
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ requires: ['network'] }, /requires "network", which capabilities does not list/],
    [{ requires: ['teleport'] }, /unknown capability "teleport"/],
    [{ approval: 'sometimes' }, /approval "sometimes"/],
    [{ rateLimit: { perMinute: 0 } }, /rateLimit/],
    [{ annotations: { dangerous: true } }, /unknown annotation "dangerous"/],
    [{ annotations: { readOnlyHint: 'yes' } }, /annotations\.readOnlyHint/],
    [{ examples: [{ args: {} }] }, /malformed example/],
    [{ title: '' }, /title/],
  ];
  for (const [extra, message] of bad) {
    assert.throws(() => defineExtension({ kind: 'toolpack', capabilities: ['agent-tools'], tools: { t: { ...tool, ...extra } } } as never), (err: unknown) => err instanceof ExtensionDefinitionError && message.test(err.message) && err.suggestion.length > 0, JSON.stringify(extra));
  }
});

test('an example that breaks its tool\'s inputSchema is EXAMPLE_INVALID', () => {
  const p = structuredClone(pack);
  p.tools[0].examples = [{ input: { p: 'six' } }, { input: { p: 6 } }];
  const r = validateToolPack(p);
  assert.equal(r.valid, false);
  assert.deepEqual(r.problems.map((x) => `${x.code}@${x.pointer}`), ['EXAMPLE_INVALID@/tools/0/examples/0/input']);
});

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('vib3 toolpack export --format mcpb|server-json: the library\'s documents, --extension, --name, --package-version, coded failures', async () => {
  const file = join(dir, 'toolpack.json');
  writeFileSync(file, JSON.stringify(legacy));
  const extFile = join(dir, 'extension.json');
  writeFileSync(extFile, JSON.stringify(manifest));

  const mcpb = await vib3('toolpack', 'export', file, '--format', 'mcpb', '--extension', extFile);
  assert.equal(mcpb.code, 0, mcpb.err);
  const m = JSON.parse(mcpb.out);
  assert.deepEqual(m, toMcpbManifest(legacy, { extensionId: ID, author: { name: manifest.publisher.name, url: manifest.publisher.url }, homepage: manifest.publisher.url }));
  assert.ok(mcpbSchema.safeParse(m).success);
  assert.match(mcpb.err, /warning TOOL_NAME_LEGACY/);

  mkdirSync(join(dir, 'bundle'));
  const written = await vib3('toolpack', 'export', file, '--format', 'mcpb', '-o', join(dir, 'bundle', 'manifest.json'), '--json');
  assert.deepEqual(JSON.parse(written.out).file, join(dir, 'bundle', 'manifest.json'));
  assert.equal(mcpbValidates(JSON.parse(readFileSync(join(dir, 'bundle', 'manifest.json'), 'utf8'))), true);

  const server = await vib3('toolpack', 'export', file, '--format', 'server-json', '--name', 'io.github.vib3/duoprism', '--package-version', '0.1.0', '--json');
  assert.equal(server.code, 0, server.err);
  const body = JSON.parse(server.out);
  assert.deepEqual([body.ok, body.format, body.result.name, body.result.version], [true, 'server-json', 'io.github.vib3/duoprism', '0.1.0']);
  assert.equal(ajvServerJson(body.result), true);
  assert.deepEqual(body.result._meta['io.modelcontextprotocol.registry/publisher-provided']['dev.vib3/toolpack'].tools.map((t: { name: string }) => t.name), dotted);

  const badName = await vib3('toolpack', 'export', file, '--format', 'server-json', '--name', 'no namespace', '--json');
  assert.equal(badName.code, 1);
  assert.equal(JSON.parse(badName.out).code, 'SERVER_JSON_INVALID');
  assert.ok(JSON.parse(badName.out).problems.some((p: { pointer: string }) => p.pointer === '/name'));

  const help = await vib3('toolpack', 'export', '--help');
  assert.equal(help.code, 0);
  for (const word of ['mcpb', 'server-json', '--package-version', '--name', 'Examples:']) assert.ok(help.out.includes(word), word);
  assert.equal((await vib3('toolpack', 'export', file, '--format', 'zip')).code, 2);
});
