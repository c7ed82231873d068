/**
 * `Installer` for pages: the installer engine with an extension host as its activator and
 * IndexedDB as its store (by default), plus `restore()` to start what is installed after a reload.
 */
import type { ExtensionHost } from '../extensions/runtime/host.js';
import type { ConsentPolicy } from '../extensions/runtime/consent.js';
import { hostActivator } from './host-activator.js';
import { IndexedDbInstallStore } from './idb-store.js';
import { InstallerEngine, type InstallerEngineOptions } from './installer.js';
import { readCached } from './cache.js';
import { keysFor } from './package-check.js';
import type { InstallStore } from './store.js';
import { isInstallerError, type InstallerError } from './errors.js';
import { licenseGate } from './license-gate.js';
import { localStorageLicenseClock } from './license/clock.js';
import type { LicenseWallet } from './license/wallet.js';

/** Options of a page {@link Installer}. */
export interface InstallerOptions extends Omit<InstallerEngineOptions, 'store' | 'activator'> {
  /** The extension host installed extensions run in. */
  host: ExtensionHost;
  /** Where to keep state, packages and trusted metadata: a store, or the name of an IndexedDB store (default "default"). */
  storage?: InstallStore | string;
  /** How to ask consent (default: the page's `<vib3-consent-dialog>`). */
  consent?: ConsentPolicy;
  /**
   * License tokens for paid extensions (the marketplace lets the user paste them here). Without a
   * `license` hook of its own, the installer then checks them for this page's origin.
   */
  licenses?: LicenseWallet;
}

/**
 * Installs extensions from a registry into a page's {@link ExtensionHost}:
 * `new Installer({ registry, host, trustedRoot })`, then `install`, `update`, `setChannel`,
 * `rollback`, `uninstall`, `list`. Call {@link Installer.restore} once after page load to start
 * what was installed before (from the verified cache, without network).
 */
export class Installer extends InstallerEngine {
  private readonly host: ExtensionHost;
  /** The license tokens this installer checks (the `licenses` option). */
  readonly licenses?: LicenseWallet;
  private readonly pageStore: InstallStore;

  constructor(options: InstallerOptions) {
    const store = typeof options.storage === 'object' ? options.storage : new IndexedDbInstallStore(options.storage ?? 'default');
    const wallet = options.licenses;
    const license = options.license ?? (wallet ? licenseGate({ origin: globalThis.location?.origin ?? '', tokenFor: (id) => wallet.get(id), clock: localStorageLicenseClock() }) : undefined);
    super({ ...options, store, activator: hostActivator(options.host, options.consent), ...(license ? { license } : {}) });
    this.host = options.host;
    this.pageStore = store;
    if (wallet) this.licenses = wallet;
  }

  /**
   * Starts every installed extension's active version in the host, from the cache (no network, no
   * consent prompt: the stored grant is reused). Resolves to the failures, one per extension that
   * could not start (the others still start).
   */
  async restore(): Promise<Array<{ id: string; error: InstallerError | Error }>> {
    // The registry's license keys and revocations of the last refresh: licenses check offline too.
    await this.loadLicensing();
    const state = await this.readState();
    const failures: Array<{ id: string; error: InstallerError | Error }> = [];
    for (const rec of Object.values(state.extensions)) {
      if (this.host.list().some((e) => e.id === rec.id)) continue;
      try {
        const entry = rec.cache[rec.active];
        const bytes = entry ? await readCached(this.pageStore, rec.id, entry) : undefined;
        if (!entry || !bytes) throw new Error(`${rec.id}@${rec.active} is missing from the cache`);
        await this.host.install(bytes, { keys: keysFor(entry, this.options.trustedKeys), consented: rec.granted });
        await this.host.activate(rec.id);
      } catch (err) {
        failures.push({ id: rec.id, error: isInstallerError(err) ? err : (err as Error) });
      }
    }
    return failures;
  }
}
