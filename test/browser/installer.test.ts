// The page's Installer (vib3-embed/marketplace) in a real browser against a real registry on
// loopback (test/support/registry-fixture.ts, through a man-in-the-middle proxy): install into a
// real ExtensionHost, channels stable -> beta -> canary -> stable, update, rollback online and
// with the registry stopped, uninstall, progress events in order; attacks refused with coded
// errors and the installed set unchanged, also after a "reload" (a new Installer on the same
// IndexedDB store).
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { env } from './helpers.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';
import { AuditLog, IndexedDbAuditStore, Installer, IndexedDbInstallStore, isInstallerError, type InstallProgressDetail } from '../../src/marketplace/index.js';

interface Fixture {
  registry: string;
  proxy: string;
  control: string;
}
const ID = 'com.acme.shapes';
let fx: Fixture;
let root: string;
let storeCount = 0;

const post = async (url: string, body: unknown = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
};
const rules = (list: unknown[]) => post(`${fx.proxy}/__mitm/rules`, { rules: list });
const expectCode = async (p: Promise<unknown>, codes: string[]) => {
  try {
    await p;
  } catch (err) {
    expect(isInstallerError(err), String(err)).to.equal(true);
    expect(codes).to.include((err as { code: string }).code);
    return err as { code: string };
  }
  throw new Error(`expected one of ${codes.join(', ')}, but it succeeded`);
};

describe(`installer in the page against a real registry (${env.flagSet} flags)`, function () {
  this.timeout(120_000);
  let host: ExtensionHost;
  let storeName: string;
  const installer = (registry = fx.proxy) => new Installer({ registry, host, trustedRoot: root, storage: storeName, consent: async () => true, audit: new AuditLog(new IndexedDbAuditStore(storeName)) });
  const active = () => host.list().map((e) => `${e.id}@${e.version}:${e.state}`);

  before(async () => {
    fx = (await executeServerCommand('vib3-registry-fixture', { fresh: true })) as Fixture;
    root = JSON.stringify(await (await fetch(`${fx.control}/root`)).json());
  });
  beforeEach(async () => {
    storeName = `test-${Date.now()}-${storeCount++}`;
    host = new ExtensionHost({ trustedKeys: new Map(), consent: async () => true, grants: memoryGrantStore() });
    await rules([]);
  });
  afterEach(() => host.dispose());

  it('installs, switches stable -> beta -> canary -> stable, updates, rolls back and uninstalls', async () => {
    const inst = installer();
    const events: InstallProgressDetail[] = [];
    inst.addEventListener('vib3-install-progress', (e) => events.push((e as CustomEvent<InstallProgressDetail>).detail));
    const first = await inst.install(ID);
    expect([first.version, first.action, first.channel]).to.deep.equal(['1.1.0', 'installed', 'stable']);
    expect(active()).to.deep.equal([`${ID}@1.1.0:active`]);
    // Progress: the phases in order, bytes rising to the package length.
    const phases = events.map((e) => e.phase).filter((p, i, a) => p !== a[i - 1]);
    expect(phases).to.deep.equal(['refresh', 'resolve', 'download', 'verify', 'compatibility', 'consent', 'license', 'activate', 'commit', 'done']);
    const loaded = events.filter((e) => e.phase === 'download').map((e) => e.loaded!);
    expect(loaded[0]).to.equal(0);
    expect(loaded.at(-1)).to.equal(events.find((e) => e.phase === 'download')!.total);
    expect(loaded.every((n, i) => i === 0 || n >= loaded[i - 1]!)).to.equal(true);

    expect((await inst.setChannel(ID, 'beta')).version).to.equal('2.0.0-beta.1');
    expect(active()).to.deep.equal([`${ID}@2.0.0-beta.1:active`]);
    expect((await inst.setChannel(ID, 'canary')).version).to.equal('3.0.0-canary.1');
    const down = await inst.setChannel(ID, 'stable');
    expect([down.version, down.action, down.fromCache]).to.deep.equal(['1.1.0', 'downgraded', true]);
    expect(active()).to.deep.equal([`${ID}@1.1.0:active`]);

    await post(`${fx.control}/publish`, { version: '1.2.0' });
    const [upd] = await inst.update();
    expect([upd!.version, upd!.action]).to.deep.equal(['1.2.0', 'updated']);
    expect(active()).to.deep.equal([`${ID}@1.2.0:active`]);

    const back = await inst.rollback(ID);
    expect([back.version, back.action]).to.deep.equal(['1.1.0', 'rolled-back']);
    expect(active()).to.deep.equal([`${ID}@1.1.0:active`]);
    const [listed] = await inst.list();
    expect([listed!.version, listed!.pinned, listed!.cached]).to.deep.equal(['1.1.0', true, ['3.0.0-canary.1', '2.0.0-beta.1', '1.2.0', '1.1.0']]);

    await inst.uninstall(ID);
    expect(active()).to.deep.equal([]);
    expect(await inst.list()).to.deep.equal([]);
    // Every operation is in the page's tamper-evident log (IndexedDB), in order.
    const log = new AuditLog(new IndexedDbAuditStore(storeName));
    expect((await log.records()).map((r) => r.action)).to.deep.equal(['grant', 'install', 'channel', 'channel', 'channel', 'update', 'rollback', 'uninstall']);
    expect((await log.verify()).ok).to.equal(true);
  });

  it('rolls back with the registry stopped; an install that needs it fails and changes nothing', async () => {
    const inst = installer(fx.registry);
    await inst.install(ID, { range: '1.0.0' });
    await inst.install(ID, { channel: 'beta' });
    const before = JSON.stringify(await inst.list());
    await post(`${fx.control}/stop`);
    try {
      await expectCode(inst.install(ID, { channel: 'canary' }), ['REGISTRY_UNREACHABLE']);
      expect(JSON.stringify(await inst.list())).to.equal(before);
      expect(active()).to.deep.equal([`${ID}@2.0.0-beta.1:active`]);
      const back = await inst.rollback(ID);
      expect([back.version, back.fromCache]).to.deep.equal(['1.0.0', true]);
      expect(active()).to.deep.equal([`${ID}@1.0.0:active`]);
    } finally {
      await post(`${fx.control}/start`);
    }
  });

  it('refuses swapped package bytes and a replayed timestamp, changes nothing, and keeps refusing after a reload', async () => {
    const inst = installer();
    await inst.install(ID, { range: '1.0.0' });
    const before = JSON.stringify(await inst.list());
    // Swapped bytes on the way (a version this browser has never fetched, so its HTTP cache cannot answer).
    await post(`${fx.control}/publish`, { version: '1.0.5' });
    await rules([{ match: '^/tuf/targets/extensions/', action: 'flip-byte' }]);
    const swapped = await expectCode(inst.install(ID, { range: '1.0.5' }), ['TARGET_MISMATCH']);
    expect(swapped.code).to.equal('TARGET_MISMATCH');
    expect(JSON.stringify(await inst.list())).to.equal(before);
    expect(active()).to.deep.equal([`${ID}@1.0.0:active`]);

    // An old timestamp replayed after the client has seen a newer one (rollback attack).
    await rules([]);
    const old = (await post(`${fx.proxy}/__mitm/capture`, { path: '/tuf/timestamp.json' })) as { base64: string };
    await post(`${fx.control}/publish`, { version: '1.3.0' });
    await inst.install(ID);
    const now = JSON.stringify(await inst.list());
    await rules([{ match: '^/tuf/timestamp\\.json$', action: 'replay', bytesBase64: old.base64 }]);
    await expectCode(inst.install(ID, { channel: 'beta' }), ['TUF_ROLLBACK']);
    expect(JSON.stringify(await inst.list())).to.equal(now);
    // A reload: a new Installer on the same IndexedDB store still remembers the newer timestamp.
    const reloaded = new Installer({ registry: fx.proxy, host, trustedRoot: root, storage: new IndexedDbInstallStore(storeName), consent: async () => true });
    await expectCode(reloaded.install(ID, { channel: 'beta' }), ['TUF_ROLLBACK']);
    expect(JSON.stringify(await reloaded.list())).to.equal(now);
  });

  it('a page that goes away in the middle of an install leaves the previous version: the next page restores it', async () => {
    const inst = installer();
    await inst.install(ID, { range: '1.0.0' });
    const before = JSON.stringify(await inst.list());
    // Another page of this origin (same IndexedDB) installs a version whose download the proxy holds.
    await post(`${fx.control}/publish`, { version: '1.0.7' });
    await rules([{ match: '^/tuf/targets/extensions/', action: 'stall' }]);
    const seen = ((await (await fetch(`${fx.proxy}/__mitm/requests`)).json()) as { requests: string[] }).requests.length;
    const frame = document.createElement('iframe');
    const params = new URLSearchParams({ registry: fx.proxy, store: storeName, root, id: ID, range: '1.0.7' });
    frame.src = `/test/browser/installer-frame.html?${params}`;
    document.body.append(frame);
    for (let i = 0; ; i++) {
      const { requests } = (await (await fetch(`${fx.proxy}/__mitm/requests`)).json()) as { requests: string[] };
      if (requests.slice(seen).some((r) => r.includes('1.0.7.vib3x'))) break;
      const status = frame.contentDocument?.body?.dataset['status'];
      if (status?.startsWith('error')) throw new Error(`the other page failed: ${status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    frame.remove(); // the page is gone mid-download
    await rules([]);
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map(), consent: async () => true, grants: memoryGrantStore() });
    const next = installer();
    expect(JSON.stringify(await next.list())).to.equal(before);
    expect(await next.restore()).to.deep.equal([]);
    expect(active()).to.deep.equal([`${ID}@1.0.0:active`]);
    // The store is not left locked: the next install runs.
    expect((await next.install(ID, { range: '1.0.7' })).version).to.equal('1.0.7');
    expect(active()).to.deep.equal([`${ID}@1.0.7:active`]);
  });
});
