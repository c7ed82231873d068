// Paid extensions in a real ExtensionHost (sandboxes in Chromium): no license → LICENSE_REQUIRED
// and nothing runs; a license for another origin, expired or revoked → its own code; a valid one
// activates, and a tool gated by an entitlement answers only when the license grants it; a
// declared free tier runs without a license, with its gated tools locked.
import { expect } from '@esm-bundle/chai';
import { env } from './helpers.js';
import { caps, pkg, testKeys, type TestKeys } from './extension-fixtures.js';
import { ExtensionHost, memoryGrantStore, type ExtensionInfo } from '../../src/extensions/runtime/index.js';
import { issueLicense, MemoryLicenseClock } from '../../src/marketplace/license/index.js';
import { AuditLog, MemoryAuditStore } from '../../src/marketplace/audit/index.js';

const tools = `export default {
  kind: 'toolpack',
  capabilities: ['agent-tools'],
  tools: {
    basic: { description: 'basic', inputSchema: { type: 'object' }, handler() { return { content: [{ type: 'text', text: 'basic ok' }] }; } },
    export_png: { description: 'export', inputSchema: { type: 'object' }, handler() { return { content: [{ type: 'text', text: 'exported' }] }; } },
  },
};`;
const market = (pricing: Record<string, unknown>) => ({ marketplace: { title: 'Paid', summary: 'A paid test extension.', categories: ['geometry'], pricing: { model: 'paid', amount: 5, currency: 'EUR', entitlements: { export_png: 'export' }, ...pricing } } });
const DAY = 86_400_000;

describe(`paid extensions in the host (${env.flagSet} flags)`, function () {
  this.timeout(60_000);
  let keys: TestKeys;
  let host: ExtensionHost;
  let tokens: Record<string, string>;
  let revoked: Set<string>;
  const codes: string[] = [];
  const license = (over: Partial<Parameters<typeof issueLicense>[1]> = {}) => issueLicense(keys.privateJwk, { ext: 'dev.test.paid', aud: [location.origin], tier: 'pro', entitlements: [], ...over });
  const attempt = async (id: string): Promise<string> => host.activate(id).then((i: ExtensionInfo) => i.state, (e: { code: string }) => e.code);
  const text = async (tool: string) => host.callTool(`dev.test.paid.${tool}`, {}).then((r) => (r.content[0] as { text: string }).text, (e: { code: string }) => e.code);

  before(async () => {
    keys = await testKeys();
  });
  beforeEach(() => {
    tokens = {};
    revoked = new Set();
    codes.length = 0;
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), licensing: { tokenFor: (id) => tokens[id], revoked: () => revoked, clock: new MemoryLicenseClock() } });
    host.addEventListener('vib3-extension-error', (e) => codes.push((e as CustomEvent<{ code: string }>).detail.code));
  });
  afterEach(() => host.dispose());

  it('refuses to activate without a valid license, with the license\'s own code, and runs nothing', async () => {
    await host.install(await pkg(keys, 'paid', tools, caps('agent-tools'), '1.0.0', market({})));
    expect(await attempt('dev.test.paid')).to.equal('LICENSE_REQUIRED');
    tokens['dev.test.paid'] = await license({ aud: ['https://other.example.com'] });
    expect(await attempt('dev.test.paid')).to.equal('LICENSE_WRONG_AUDIENCE');
    tokens['dev.test.paid'] = await license({ now: new Date(Date.now() - 40 * DAY), days: 30 });
    expect(await attempt('dev.test.paid')).to.equal('LICENSE_EXPIRED');
    tokens['dev.test.paid'] = await license({ ext: 'dev.test.other' });
    expect(await attempt('dev.test.paid')).to.equal('LICENSE_WRONG_EXTENSION');
    tokens['dev.test.paid'] = await license({ jti: 'revoked-1' });
    revoked.add('revoked-1');
    expect(await attempt('dev.test.paid')).to.equal('LICENSE_REVOKED');
    expect(host.list()[0]!.state).to.equal('inactive');
    expect(codes).to.deep.equal(['LICENSE_REQUIRED', 'LICENSE_WRONG_AUDIENCE', 'LICENSE_EXPIRED', 'LICENSE_WRONG_EXTENSION', 'LICENSE_REVOKED']);
  });

  it('activates with a valid license; an entitlement-gated tool answers only when the license grants it', async () => {
    await host.install(await pkg(keys, 'paid', tools, caps('agent-tools'), '1.0.0', market({})));
    tokens['dev.test.paid'] = await license();
    expect(await attempt('dev.test.paid')).to.equal('active');
    expect(await text('basic')).to.equal('basic ok');
    expect(await text('export_png')).to.equal('ENTITLEMENT_REQUIRED');
    await host.deactivate('dev.test.paid');
    tokens['dev.test.paid'] = await license({ entitlements: ['export'] });
    expect(await attempt('dev.test.paid')).to.equal('active');
    expect(await text('export_png')).to.equal('exported');
  });

  it('records the grants the user gives and a revocation in the audit log', async () => {
    const audit = new AuditLog(new MemoryAuditStore());
    const h = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), audit });
    try {
      await h.install(await pkg(keys, 'free', tools, caps('agent-tools', 'rendering')));
      await h.revoke('dev.test.free', 'rendering');
      await new Promise((r) => setTimeout(r, 0));
      const records = await audit.records();
      expect(records.map((r) => [r.action, r.subject])).to.deep.equal([['grant', 'dev.test.free'], ['revoke', 'dev.test.free']]);
      expect(records[1]!.details).to.deep.equal({ capability: 'rendering' });
      expect((await audit.verify()).ok).to.equal(true);
    } finally {
      h.dispose();
    }
  });

  it('runs a declared free tier without a license, with its gated tools locked', async () => {
    await host.install(await pkg(keys, 'paid', tools, caps('agent-tools'), '1.0.0', market({ freeTier: 'basic' })));
    expect(await attempt('dev.test.paid')).to.equal('active');
    expect(await text('basic')).to.equal('basic ok');
    expect(await text('export_png')).to.equal('ENTITLEMENT_REQUIRED');
    // A refused token never falls back to the free tier silently.
    await host.deactivate('dev.test.paid');
    tokens['dev.test.paid'] = await license({ aud: ['https://other.example.com'] });
    expect(await attempt('dev.test.paid')).to.equal('LICENSE_WRONG_AUDIENCE');
  });
});
