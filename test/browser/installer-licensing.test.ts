// A paid extension through the page's Installer and ExtensionHost against a real registry: no
// license → LICENSE_REQUIRED and nothing installed; a license the registry issued (its key read
// through TUF) installs and activates it; once revoked, the next metadata refresh brings the signed
// revocation list and the host refuses the next activation (LICENSE_REVOKED).
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { env } from './helpers.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';
import { Installer, MemoryLicenseClock, memoryLicenseWallet, isInstallerError } from '../../src/marketplace/index.js';

interface Fixture {
  registry: string;
  proxy: string;
  control: string;
}
const post = async (url: string, body: unknown = {}) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
const ID = 'com.acme.pro';

describe(`paid extensions through the installer and the host (${env.flagSet} flags)`, function () {
  this.timeout(120_000);

  it('needs a license to install, activates with one the registry issued, and stops at the next activation once it is revoked', async () => {
    const fx = (await executeServerCommand('vib3-registry-fixture', {})) as Fixture;
    const root = JSON.stringify(await (await fetch(`${fx.control}/root`)).json());
    await post(`${fx.control}/publish`, { id: ID, version: '1.0.0', paid: true });
    const wallet = memoryLicenseWallet();
    let installer: Installer | undefined;
    const host = new ExtensionHost({ trustedKeys: new Map(), consent: async () => true, grants: memoryGrantStore(), licensing: { tokenFor: (id) => wallet.get(id), keys: () => installer?.licenseKeys(), revoked: () => installer?.revokedLicenses(), clock: new MemoryLicenseClock() } });
    const storage = `licensing-${Date.now()}`;
    installer = new Installer({ registry: fx.registry, host, trustedRoot: root, storage, consent: async () => true, licenses: wallet });
    /** A reload: a new host and installer on the same storage, restoring without any network. */
    const reload = async () => {
      let next: Installer | undefined;
      const h = new ExtensionHost({ trustedKeys: new Map(), consent: async () => true, grants: memoryGrantStore(), licensing: { tokenFor: (id) => wallet.get(id), keys: () => next?.licenseKeys(), revoked: () => next?.revokedLicenses(), clock: new MemoryLicenseClock() } });
      next = new Installer({ registry: fx.registry, host: h, trustedRoot: root, storage, consent: async () => true, licenses: wallet });
      const failures = await next.restore();
      const states = h.list().map((e) => e.state);
      h.dispose();
      return { failures: failures.map((f) => (f.error as { code?: string }).code), states };
    };
    try {
      const refused = await installer.install(ID).catch((e: unknown) => e);
      expect(isInstallerError(refused) && refused.code).to.equal('LICENSE_REQUIRED');
      expect(await installer.list()).to.deep.equal([]);

      const bought = (await post(`${fx.control}/license`, { id: ID, aud: [location.origin] })) as { token: string; jti: string };
      wallet.set(ID, bought.token);
      expect((await installer.install(ID)).version).to.equal('1.0.0');
      expect(host.list().map((e) => `${e.id}:${e.state}`)).to.deep.equal([`${ID}:active`]);

      // After a reload, offline: the registry's license key was kept with the store.
      expect(await reload()).to.deep.equal({ failures: [], states: ['active'] });

      await post(`${fx.control}/revoke`, { jti: bought.jti });
      expect([...installer.revokedLicenses()]).to.deep.equal([]);
      await installer.update(); // a refresh: the signed revocation list arrives
      expect([...installer.revokedLicenses()]).to.deep.equal([bought.jti]);
      await host.deactivate(ID);
      const code = await host.activate(ID).then(() => 'active', (e: { code: string }) => e.code);
      expect(code).to.equal('LICENSE_REVOKED');
      // The revocation was kept too: a reload does not revive the license.
      expect(await reload()).to.deep.equal({ failures: ['LICENSE_REVOKED'], states: ['inactive'] });
    } finally {
      host.dispose();
    }
  });
});
