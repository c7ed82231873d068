/**
 * The installer engine (browser-safe; the page's `Installer` and the CLI both run it): install,
 * update, channel switch, rollback, uninstall and list over one {@link InstallStore}, trusting only
 * what the registry's TUF metadata signs.
 *
 * Every install runs, in order: TUF refresh → resolve the version → target length + hashes →
 * package signature → supply chain (SBOM, provenance) → compatibility → consent → license →
 * activate → commit. Work happens on a copy of the state; the commit is one atomic write; so any
 * failure (or a crash) before the commit leaves the installed set, the active versions and the
 * persisted state as they were.
 */
import type { HostDescription } from '../extensions/manifest/compatibility.js';
import { telemetry } from '../telemetry/sink.js';
import { errorClassOf } from '../telemetry/error-classes.js';
import type { SupplyChainPolicy } from '../supply-chain/extension-artifacts.js';
import type { TrustedKeys } from '../extensions/signing/package.js';
import type { Activator } from './activator.js';
import { DEFAULT_CACHE_LIMITS, type CacheLimits } from './cache.js';
import { checkChannel, checkId, checkRange } from './channel-policy.js';
import { InstallerError, isInstallerError } from './errors.js';
import { InstallSession } from './install-session.js';
import { RegistryApi, registryBase } from './registry-api.js';
import { cloneState, emptyState, type InstallState, type InstallStore } from './store.js';
import type { TufClient } from './tuf/client.js';
import { openTufClient } from './trust-anchor.js';
import { LICENSE_KEYS_TARGET, LICENSE_REVOKED_TARGET, type LicenseHook } from './license-gate.js';

/** The store record of the registry's license keys and revocations as of the last refresh. */
const LICENSING_RECORD = 'licensing-state';
import type { AuditLog } from './audit/log.js';
import type { TufLimits } from './tuf/workflow.js';
import type { Channel, InstalledExtension, InstallerApi, InstallOptions, InstallProgressDetail, InstallResult } from './types.js';
import rcompare from 'semver/functions/rcompare.js';

/** Options of an {@link InstallerEngine}. */
export interface InstallerEngineOptions {
  /** The registry's base URL. */
  registry: string | URL;
  /** Where state, packages and trusted metadata live. */
  store: InstallStore;
  /** How consent and activation happen where the installer runs. */
  activator: Activator;
  /**
   * The TUF root to start trusting (the bytes or text of a `root.json`), used only while the store
   * has no trusted root yet. Without it the first refresh trusts the registry's `/tuf/1.root.json`
   * (trust on first use) — pass it wherever the root can be shipped with the page or the project.
   */
  trustedRoot?: Uint8Array | string;
  /** Publisher keys to require (by keyId): when set, only these may sign installed packages. */
  trustedKeys?: TrustedKeys;
  /**
   * What packages' supply-chain files must satisfy: `requireSbom`, `requireProvenance`,
   * `allowedBuilders` (docs/SUPPLY-CHAIN.md). SBOMs and provenance that a package carries are
   * always checked against its files, required or not.
   */
  supplyChain?: SupplyChainPolicy;
  /** The host to check compatibility against (default: this kit in this runtime). */
  compatibility?: HostDescription;
  /**
   * The license step: resolve to allow, reject to refuse (LICENSE_REQUIRED / LICENSE_REFUSED).
   * `licenseGate({ origin, tokenFor })` requires a valid token for paid extensions. Default: allow.
   */
  license?: LicenseHook;
  /** Cache bounds. */
  cache?: Partial<CacheLimits>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** The clock TUF expiry is checked against (default: the system clock). */
  now?: () => Date;
  /** Deadline of one package download in ms (default 120 s). */
  downloadDeadlineMs?: number;
  /**
   * A tamper-evident log of this installer's operations (pages: `new AuditLog(new
   * IndexedDbAuditStore())`): install, update, downgrade, rollback, channel, uninstall, grant,
   * license accepted / refused.
   */
  audit?: AuditLog;
  /** Bounds of the TUF client (sizes of metadata files, deadline of each metadata download). */
  tufLimits?: Partial<TufLimits>;
}

/**
 * The installer engine. Dispatches `vib3-install-progress` (phases in order, bytes while
 * downloading), `vib3-installed-change` after each commit, and `vib3-audit-error` when an audit
 * record could not be written (the operation itself stands; the log's gap is what verify shows).
 */
export class InstallerEngine extends EventTarget implements InstallerApi {
  /** The registry's read API (search and listings for a marketplace UI). */
  readonly api: RegistryApi;
  /** The registry's base URL. */
  readonly registry: string;
  private readonly limits: CacheLimits;

  constructor(protected readonly options: InstallerEngineOptions) {
    super();
    this.registry = registryBase(options.registry);
    this.api = new RegistryApi(this.registry, options.fetch ? { fetch: options.fetch } : {});
    this.limits = { ...DEFAULT_CACHE_LIMITS, ...options.cache };
  }

  private tuf: Promise<TufClient> | undefined;

  /** The TUF client, created on first use (trust-anchor.ts: which registry and root the store trusts). */
  private tufClient(signal?: AbortSignal): Promise<TufClient> {
    const { store, trustedRoot, fetch: fetchImpl, now, tufLimits } = this.options;
    this.tuf ??= openTufClient({
      registry: this.registry,
      metadata: store.metadata,
      ...(trustedRoot !== undefined ? { trustedRoot } : {}),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
      ...(now ? { now } : {}),
      ...(tufLimits ? { tufLimits } : {}),
      ...(signal ? { signal } : {}),
    });
    // A failed first fetch is retried by the next operation.
    this.tuf.catch(() => (this.tuf = undefined));
    return this.tuf;
  }

  private revoked: ReadonlySet<string> = new Set();
  private registryKeys: TrustedKeys = new Map();

  /**
   * The registry's license keys, as of the last metadata refresh (the signed
   * `licensing/keys.json`): pass `() => installer.licenseKeys()` as the host's `licensing.keys`.
   */
  licenseKeys(): TrustedKeys {
    return this.registryKeys;
  }

  /**
   * License ids the registry has revoked, as of the last metadata refresh (the signed
   * `licensing/revoked.json`): pass `() => installer.revokedLicenses()` as the host's
   * `licensing.revoked` so a revocation stops an extension at its next activation.
   */
  revokedLicenses(): ReadonlySet<string> {
    return this.revoked;
  }

  /** After a refresh: the registry's signed license keys and revocation list (kept in the store for offline use). */
  private async readRevocations(read: (path: string) => Promise<Uint8Array | undefined>): Promise<void> {
    const json = async (path: string): Promise<Record<string, unknown> | undefined> => {
      const bytes = await read(path).catch(() => undefined);
      try {
        return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>) : undefined;
      } catch {
        return undefined; // A malformed list is the registry's bug; the license step reports it when it matters.
      }
    };
    const revoked = (await json(LICENSE_REVOKED_TARGET))?.['revoked'];
    const keys = (await json(LICENSE_KEYS_TARGET))?.['keys'];
    this.applyLicensing({ revoked, keys });
    await this.options.store.metadata.save(LICENSING_RECORD, new TextEncoder().encode(JSON.stringify({ revoked: [...this.revoked], keys: [...this.registryKeys].map(([kid, k]) => ({ kid, x: k.x })) }))).catch(() => undefined);
  }

  private applyLicensing(v: { revoked?: unknown; keys?: unknown }): void {
    if (Array.isArray(v.revoked)) this.revoked = new Set(v.revoked.filter((j): j is string => typeof j === 'string'));
    if (Array.isArray(v.keys)) {
      this.registryKeys = new Map(v.keys.flatMap((k: { kid?: unknown; x?: unknown }) => (typeof k?.kid === 'string' && typeof k.x === 'string' ? [[k.kid, { kty: 'OKP', crv: 'Ed25519', x: k.x } as const]] : [])));
    }
  }

  private licensingLoaded: Promise<void> | undefined;

  /** Loads the license keys and revocations of the last refresh (persisted), once. */
  protected loadLicensing(): Promise<void> {
    this.licensingLoaded ??= (async () => {
      const bytes = await this.options.store.metadata.load(LICENSING_RECORD).catch(() => undefined);
      if (!bytes?.length) return;
      try {
        this.applyLicensing(JSON.parse(new TextDecoder().decode(bytes)) as { revoked?: unknown; keys?: unknown });
      } catch {
        // Unreadable: the next refresh writes it again.
      }
    })();
    return this.licensingLoaded;
  }

  /** Installs `id` (or moves it to the version `range`/`channel` select). */
  install(idParam: string, options: InstallOptions = {}): Promise<InstallResult> {
    const id = checkId(idParam);
    const range = options.range === undefined ? undefined : checkRange(options.range);
    const channel = options.channel === undefined ? undefined : checkChannel(options.channel);
    return this.run('install', id, options.signal, async (s) => {
      const rec = s.state.extensions[id];
      const ch = channel ?? rec?.channel ?? 'stable';
      const rg = range ?? (channel ? undefined : rec?.range);
      await s.refresh();
      const version = await s.resolve(id, ch, rg);
      return s.apply(id, version, { channel: ch, ...(rg ? { range: rg } : {}), pinned: false, history: rec ? undefined : 'install' });
    });
  }

  /** Updates `id` (and unpins it), or every installed extension that is not pinned. */
  async update(idParam?: string, options: { signal?: AbortSignal } = {}): Promise<InstallResult[]> {
    const only = idParam === undefined ? undefined : checkId(idParam);
    const results: InstallResult[] = [];
    const ids = only ? [only] : Object.values((await this.readState()).extensions).filter((r) => !r.pinned).map((r) => r.id).sort();
    const failures: Array<{ id: string; error: InstallerError }> = [];
    for (const id of ids) {
      const one = this.run('update', id, options.signal, async (s) => {
        const rec = s.require(id);
        await s.refresh();
        const version = await s.resolve(id, rec.channel, rec.range).catch((err: unknown) => {
          // Nothing installable (e.g. the channel's release was yanked): keep what runs.
          if (isInstallerError(err) && err.code === 'NO_MATCHING_VERSION') return rec.active;
          throw err;
        });
        // An update never moves backwards: a channel pointing lower keeps what runs.
        if (rcompare(version, rec.active) >= 0) return s.keep(id, { pinned: false });
        return s.apply(id, version, { channel: rec.channel, ...(rec.range ? { range: rec.range } : {}), pinned: false });
      });
      if (only) return [await one];
      // Updating everything: one extension's failure does not stop the others.
      try {
        results.push(await one);
      } catch (err) {
        if (!isInstallerError(err) || err.code === 'ABORTED') throw err;
        failures.push({ id, error: err });
      }
    }
    if (failures.length) {
      const first = failures[0]!.error;
      throw new InstallerError(first.code, `${failures.length} of ${ids.length} updates failed (the others were applied): ${failures.map((f) => `${f.id}: ${f.error.message}`).join(' ')}`, first.suggestion, { results, failures: failures.map((f) => ({ id: f.id, ...f.error.toJSON() })) });
    }
    return results;
  }

  /** Switches `id` to `channel` and installs what that channel offers (older versions included). */
  setChannel(idParam: string, channelParam: Channel, options: { signal?: AbortSignal } = {}): Promise<InstallResult> {
    const id = checkId(idParam);
    const channel = checkChannel(channelParam);
    return this.run('channel', id, options.signal, async (s) => {
      const rec = s.require(id);
      await s.refresh();
      const version = await s.resolve(id, channel, rec.range);
      return s.apply(id, version, { channel, ...(rec.range ? { range: rec.range } : {}), pinned: false, history: 'channel' });
    });
  }

  /**
   * Rolls `id` back to `to`, or to the newest cached version older than the active one, from the
   * verified cache (no network needed) and pins it until `update(id)`.
   */
  rollback(idParam: string, options: { to?: string; signal?: AbortSignal } = {}): Promise<InstallResult> {
    const id = checkId(idParam);
    return this.run('rollback', id, options.signal, async (s) => {
      const rec = s.require(id);
      const older = Object.keys(rec.cache).sort(rcompare).filter((v) => rcompare(v, rec.active) > 0);
      const to = options.to ?? older[0];
      if (!to) throw new InstallerError('NO_PREVIOUS_VERSION', `No earlier version of ${id} is cached.`, `Install a specific version instead: install('${id}', { range: 'X.Y.Z' }).`);
      if (to === rec.active) return s.keep(id, { pinned: true });
      if (!rec.cache[to]) throw new InstallerError('NOT_CACHED', `${id}@${to} is not in the local cache.`, `Cached versions: ${Object.keys(rec.cache).sort(rcompare).join(', ')}. Install ${to} online with a range instead.`, { cached: Object.keys(rec.cache) });
      return s.apply(id, to, { channel: rec.channel, ...(rec.range ? { range: rec.range } : {}), pinned: true, history: 'rollback', cachedOnly: true });
    });
  }

  /** Stops and removes `id`; its cached packages are deleted. */
  async uninstall(idParam: string): Promise<void> {
    const id = checkId(idParam);
    await this.run('uninstall', id, undefined, async (s) => s.remove(id));
  }

  /** The installed extensions, sorted by id. */
  async list(): Promise<InstalledExtension[]> {
    return listOf(await this.readState());
  }

  /** The committed state document (a copy). */
  async readState(): Promise<InstallState> {
    const state = await this.options.store.readState().catch((err: Error) => {
      throw new InstallerError('STORE_FAILED', `The install store could not be read: ${err.message}`, 'Check the store (its directory or the browser storage) is readable.');
    });
    return state ?? emptyState(this.registry);
  }

  private run<T extends InstallResult | void>(operation: InstallProgressDetail['operation'], id: string, signal: AbortSignal | undefined, body: (s: InstallSession) => Promise<T>): Promise<T> {
    return this.options.store.exclusive(async () => {
      await this.loadLicensing();
      const committed = await this.readState();
      if (committed.registry !== this.registry) {
        throw new InstallerError('STORE_REGISTRY_MISMATCH', `This store installs from ${committed.registry}, not ${this.registry}.`, 'Use a separate store (--dir, or storage name) per registry.');
      }
      const session = new InstallSession({
        ...this.options,
        operation,
        tuf: () => this.tufClient(signal),
        api: this.api,
        limits: this.limits,
        state: cloneState(committed),
        committed,
        emit: (detail) => this.dispatchEvent(new CustomEvent('vib3-install-progress', { detail: { operation, id, ...detail } })),
        afterRefresh: (read) => this.readRevocations(read),
        knownLicensing: () => ({ keys: this.registryKeys, revoked: this.revoked }),
        auditFailed: (error) => this.dispatchEvent(new CustomEvent('vib3-audit-error', { detail: { operation, id, error } })),
        ...(signal ? { signal } : {}),
      });
      const span = telemetry().startSpan('vib3.marketplace.install', { 'vib3.install.operation': operation, 'vib3.extension.id': id });
      const started = Date.now();
      let code: string | undefined;
      try {
        const result = await body(session);
        if (result) span.setAttributes({ 'vib3.extension.version': result.version, 'vib3.channel': result.channel, 'vib3.install.action': result.action });
        if (session.changed) this.dispatchEvent(new CustomEvent('vib3-installed-change', { detail: listOf(session.state) }));
        return result;
      } catch (err) {
        code = isInstallerError(err) ? err.code : 'INTERNAL';
        span.fail(code, (err as Error)?.message);
        throw err;
      } finally {
        span.end();
        telemetry().record('vib3.marketplace.install.duration', (Date.now() - started) / 1000, { 'vib3.install.operation': operation, 'vib3.extension.id': id, 'error.type': code ? errorClassOf(code) : undefined });
      }
    });
  }
}

/** The public list of a state. */
export function listOf(state: InstallState): InstalledExtension[] {
  return Object.values(state.extensions)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => ({
      id: r.id,
      version: r.active,
      channel: r.channel,
      ...(r.range ? { range: r.range } : {}),
      pinned: r.pinned,
      cached: Object.keys(r.cache).sort(rcompare),
      granted: [...r.granted.capabilities, ...r.granted.origins],
      activatedAt: r.activatedAt,
    }));
}
