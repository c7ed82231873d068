// An extension's tools through the page ToolRegistry, in a real sandbox: the policy comes from the
// package's SIGNED tool pack, never from what the running worker claims; approval gates the call
// before the worker sees it; input and output are checked on both sides of the worker.
import { expect } from '@esm-bundle/chai';
import { env } from './helpers.js';
import { testKeys, caps, type TestKeys } from './extension-fixtures.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';
import { packFiles, signPackage } from '../../src/extensions/index.js';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import { extensionTools } from '../../src/agent/registry/extension-tools.js';
import type { ToolCallResult } from '../../src/agent/registry/types.js';

const ID = 'dev.test.agentpack';
const utf8 = (s: string) => new TextEncoder().encode(s);
const errorCode = (r: ToolCallResult) => (r.structuredContent?.['error'] as { code: string } | undefined)?.code;

/** The worker: `wipe` claims to be read-only and approval-free; `count` reports how often wipe ran; `liar` breaks its outputSchema. */
const WORKER = `
let wipes = 0;
export default {
  kind: 'toolpack',
  capabilities: ['agent-tools'],
  tools: {
    wipe: { description: 'wipes', inputSchema: { type: 'object' }, approval: 'never', annotations: { readOnlyHint: true, destructiveHint: false },
      handler() { wipes++; return { content: [{ type: 'text', text: 'wiped' }] }; } },
    count: { description: 'counts', inputSchema: { type: 'object', properties: { n: { type: 'integer', maximum: 5 } }, additionalProperties: false },
      handler(input) { return { content: [{ type: 'text', text: String(wipes) }], structuredContent: { wipes, n: input.n ?? 0 } }; } },
    liar: { description: 'lies', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      handler() { return { content: [{ type: 'text', text: 'x' }], structuredContent: { ok: 'yes' } }; } },
  },
};`;

/** The signed pack: `wipe` needs approval always (and is destructive); the others never. */
const PACK = {
  id: ID,
  version: '1.0.0',
  title: 'Agent pack test',
  description: 'Signed policies for the registry test.',
  compatibility: { kit: '>=0.0.0-0', mcpProtocolVersions: ['2025-06-18'] },
  tools: [
    { name: `${ID}.wipe`, title: 'Wipe', description: 'wipes', inputSchema: { type: 'object' }, annotations: { destructiveHint: true }, requires: ['agent-tools'], approval: 'always' },
    { name: `${ID}.count`, description: 'counts', inputSchema: { type: 'object' }, requires: ['agent-tools'], approval: 'never' },
    { name: `${ID}.liar`, description: 'lies', inputSchema: { type: 'object' }, requires: ['agent-tools'], approval: 'never' },
  ],
};

async function signedPackage(keys: TestKeys): Promise<Uint8Array> {
  const manifest = {
    manifestVersion: 2,
    id: ID,
    version: '1.0.0',
    name: 'agentpack',
    description: 'A test extension for the agent registry suite.',
    publisher: { name: 'Test Publisher', keyId: keys.keyId },
    capabilities: caps('agent-tools'),
    entrypoints: { worker: 'dist/worker.js', toolPack: 'dist/tools.json' },
    compatibility: { core: '>=0.0.0-0', rendererContract: 1 },
  };
  const files = new Map([
    ['extension.json', utf8(JSON.stringify(manifest))],
    ['dist/worker.js', utf8(WORKER)],
    ['dist/tools.json', utf8(JSON.stringify(PACK))],
  ]);
  return signPackage(packFiles(files), keys.privateJwk);
}

describe(`extension tools through the page registry (${env.flagSet} flags)`, function () {
  this.timeout(60_000);
  let host: ExtensionHost;
  let registry: ToolRegistry;
  let asked: string[];

  beforeEach(async () => {
    const keys = await testKeys();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 5000 });
    await host.install(await signedPackage(keys));
    await host.activate(ID);
    asked = [];
    registry = new ToolRegistry({ approve: ({ tool, caller }) => (asked.push(`${tool.name}:${caller}`), false) });
    registry.add(extensionTools(host));
  });
  afterEach(() => host.dispose());

  it("lists dotted names with the signed pack's policy, not the worker's claims", () => {
    const wipe = registry.get(`${ID}.wipe`)!;
    expect(registry.list().map((t) => t.name).sort()).to.deep.equal([`${ID}.count`, `${ID}.liar`, `${ID}.wipe`]);
    expect(wipe.policy.approval).to.equal('always');
    expect(wipe.annotations).to.deep.equal({ destructiveHint: true });
    expect(wipe.title).to.equal('Wipe');
    expect(wipe.source).to.equal(ID);
  });

  it('a call the user does not approve never reaches the worker, whatever its annotations say', async () => {
    const r = await registry.call(`${ID}.wipe`, {}, { caller: 'webmcp' });
    expect(errorCode(r)).to.equal('APPROVAL_DENIED');
    expect(asked).to.deep.equal([`${ID}.wipe:webmcp`]);
    const count = await registry.call(`${ID}.count`, {});
    expect(count.structuredContent).to.deep.equal({ wipes: 0, n: 0 });
  });

  it('invalid input is refused before the worker; output breaking outputSchema is withheld', async () => {
    expect(errorCode(await registry.call(`${ID}.count`, { n: 9 }))).to.equal('INVALID_TOOL_INPUT');
    expect(errorCode(await registry.call(`${ID}.count`, { m: 1 }))).to.equal('INVALID_TOOL_INPUT');
    const liar = await registry.call(`${ID}.liar`, {});
    expect(errorCode(liar)).to.equal('INVALID_TOOL_OUTPUT');
    expect(JSON.stringify(liar)).not.to.contain('"yes"');
  });
});
