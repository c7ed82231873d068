// The page's Installer with a supply-chain policy (docs/SUPPLY-CHAIN.md), in a real browser
// against a real registry: a package without SBOM or provenance is refused when the policy
// requires them, one from a builder the policy does not list is refused, and nothing changes when
// it is; an attested package passes every requirement and is checked with the browser's own
// WebCrypto (DSSE + SLSA provenance over the package files). A provenance that does not hold is
// refused even without a policy.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { env } from './helpers.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';
import { Installer, isInstallerError, MemoryInstallStore, type SupplyChainPolicy } from '../../src/marketplace/index.js';

interface Fixture {
  registry: string;
  proxy: string;
  control: string;
}
let fx: Fixture;
let root: string;

const post = async (url: string, body: unknown = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
};
const expectCode = async (p: Promise<unknown>, code: string) => {
  try {
    await p;
  } catch (err) {
    expect(isInstallerError(err), String(err)).to.equal(true);
    expect((err as { code: string }).code).to.equal(code);
    return err as { code: string; details: Record<string, unknown> };
  }
  throw new Error(`expected ${code}, but it succeeded`);
};

describe(`installer supply-chain policy in the page (${env.flagSet} flags)`, function () {
  this.timeout(120_000);
  let host: ExtensionHost;
  const installer = (supplyChain: SupplyChainPolicy, store = new MemoryInstallStore()) => new Installer({ registry: fx.registry, host, trustedRoot: root, storage: store, consent: async () => true, supplyChain });
  const active = () => host.list().map((e) => `${e.id}@${e.version}`);

  before(async () => {
    fx = (await executeServerCommand('vib3-registry-fixture', { fresh: true })) as Fixture;
    root = JSON.stringify(await (await fetch(`${fx.control}/root`)).json());
    await post(`${fx.control}/publish`, { id: 'com.acme.attested', version: '1.0.0', attested: true });
    await post(`${fx.control}/publish`, { id: 'com.acme.ci', version: '1.0.0', attested: 'https://ci.acme.example/builders/release' });
  });
  beforeEach(() => {
    host = new ExtensionHost({ trustedKeys: new Map(), consent: async () => true, grants: memoryGrantStore() });
  });
  afterEach(() => host.dispose());

  it('refuses a package without SBOM or provenance when required, and installs nothing', async () => {
    const store = new MemoryInstallStore();
    await expectCode(installer({ requireSbom: true }, store).install('com.acme.shapes'), 'SBOM_REQUIRED');
    await expectCode(installer({ requireProvenance: true }, store).install('com.acme.shapes'), 'PROVENANCE_REQUIRED');
    expect(active()).to.deep.equal([]);
    expect(await installer({}, store).list()).to.deep.equal([]);
    // Without a policy the same package installs.
    expect((await installer({}, store).install('com.acme.shapes')).version).to.equal('1.1.0');
  });

  it('installs an attested package under every requirement, and holds builders to the allowed list', async () => {
    const store = new MemoryInstallStore();
    const strict = { requireSbom: true, requireProvenance: true, allowedBuilders: ['https://ci.acme.example/*'] };
    const err = await expectCode(installer(strict, store).install('com.acme.attested'), 'BUILDER_NOT_ALLOWED');
    expect(err.details['reason']).to.equal('BUILDER_NOT_ALLOWED');
    expect(active()).to.deep.equal([]);
    const ci = await installer(strict, store).install('com.acme.ci');
    expect([ci.id, ci.version, ci.action]).to.deep.equal(['com.acme.ci', '1.0.0', 'installed']);
    const local = await installer({ requireSbom: true, requireProvenance: true, allowedBuilders: ['https://vib3.dev/builders/local-cli/v1'] }, store).install('com.acme.attested');
    expect(local.action).to.equal('installed');
    expect(active().sort()).to.deep.equal(['com.acme.attested@1.0.0', 'com.acme.ci@1.0.0']);
  });
});
