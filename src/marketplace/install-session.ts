/**
 * One installer operation: a working copy of the state, the steps (refresh, resolve, fetch,
 * verify, consent, license, activate) and the commit. Nothing reaches the store's state until
 * {@link InstallSession.commit}; a failure before it restores the previously running version.
 */
import type { HostDescription } from '../extensions/manifest/compatibility.js';
import type { TrustedKeys } from '../extensions/signing/package.js';
import type { Activator } from './activator.js';
import { isPaid, type LicenseHook } from './license-gate.js';
import { notGranted } from './activator.js';
import type { AuditAppendEntry, AuditLog } from './audit/log.js';
import { collectGarbage, evict, readCached, type CacheLimits } from './cache.js';
import { channelCandidates, parseChannelFile, rangeCandidates } from './channel-policy.js';
import { InstallerError, isInstallerError } from './errors.js';
import { checkCompatible, checkPackage, checkSupplyChain, keysFor, vouchedKey } from './package-check.js';
import type { SupplyChainPolicy } from '../supply-chain/extension-artifacts.js';
import type { RegistryApi } from './registry-api.js';
import type { CachedVersion, HistoryEntry, InstalledRecord, InstallState, InstallStore } from './store.js';
import type { TufClient } from './tuf/client.js';
import type { Channel, InstallPhase, InstallProgressDetail, InstallResult } from './types.js';
import rcompare from 'semver/functions/rcompare.js';

const HISTORY_LIMIT = 200;
const CHANNEL_FILE_BYTES = 4096;
/** The most versions of one extension a range is resolved over (each is checked against TUF). */
const MAX_LISTED_VERSIONS = 500;

/** What a session needs from its installer. */
export interface SessionContext {
  operation: InstallProgressDetail['operation'];
  store: InstallStore;
  activator: Activator;
  /** The TUF client (created on first use: a rollback from the cache never needs it). */
  tuf: () => Promise<TufClient>;
  api: RegistryApi;
  limits: CacheLimits;
  state: InstallState;
  committed: InstallState;
  emit: (detail: { phase: InstallPhase; version?: string; loaded?: number; total?: number }) => void;
  signal?: AbortSignal;
  trustedKeys?: TrustedKeys;
  /** What the package's SBOM and provenance must satisfy. */
  supplyChain?: SupplyChainPolicy;
  compatibility?: HostDescription;
  license?: LicenseHook;
  /** Where operations are recorded, hash-chained (after each commit; license refusals at once). */
  audit?: AuditLog;
  /** An audit record could not be written (the operation itself stands). */
  auditFailed?: (err: unknown) => void;
  /** The registry's license keys and revocations as of the last refresh (for operations that do not refresh). */
  knownLicensing?: () => { keys: TrustedKeys; revoked: ReadonlySet<string> };
  /** Runs after each refresh with a reader of verified targets (the engine picks up the revocation list). */
  afterRefresh?: (readTarget: (path: string) => Promise<Uint8Array | undefined>) => Promise<void>;
  now?: () => Date;
  downloadDeadlineMs?: number;
}

/** How {@link InstallSession.apply} records the result. */
export interface ApplyOptions {
  channel: Channel;
  range?: string;
  pinned: boolean;
  /** The history action (default: update or downgrade by version order). */
  history?: HistoryEntry['action'];
  /** Only the local cache may supply the bytes (rollback). */
  cachedOnly?: boolean;
}

/** One operation's working state and steps. */
export class InstallSession {
  readonly state: InstallState;
  changed = false;
  private refreshed = false;
  /** Audit entries of this operation, appended once its commit succeeded. */
  private readonly audits: AuditAppendEntry[] = [];
  private readonly ctx: SessionContext;

  constructor(ctx: SessionContext) {
    this.ctx = ctx;
    this.state = ctx.state;
  }

  private get now(): Date {
    return this.ctx.now?.() ?? new Date();
  }

  private checkAborted(): void {
    if (this.ctx.signal?.aborted) throw new InstallerError('ABORTED', 'The operation was cancelled; nothing changed.', 'Start it again.');
  }

  /** The installed record of `id`; NOT_INSTALLED otherwise. */
  require(id: string): InstalledRecord {
    const rec = this.state.extensions[id];
    if (!rec) throw new InstallerError('NOT_INSTALLED', `${id} is not installed.`, `Install it first: install('${id}').`);
    return rec;
  }

  /** TUF refresh (every install, update and channel switch does one). */
  async refresh(): Promise<void> {
    this.ctx.emit({ phase: 'refresh' });
    await (await this.ctx.tuf()).refresh(this.ctx.signal);
    this.refreshed = true;
    await this.ctx.afterRefresh?.(this.readTarget);
    this.checkAborted();
  }

  /** A verified TUF target's bytes, once this operation has refreshed (never the network otherwise). */
  private readonly readTarget = async (path: string): Promise<Uint8Array | undefined> => {
    if (!this.refreshed) return undefined;
    const tuf = await this.ctx.tuf();
    const info = await tuf.getTargetInfo(path, this.ctx.signal);
    return info ? tuf.downloadTarget(info, this.signalOpt()) : undefined;
  };

  /** The version to install: from the signed channel file, or the newest in `range` the channel allows; never a yanked one. */
  async resolve(id: string, channel: Channel, range?: string): Promise<string> {
    this.ctx.emit({ phase: 'resolve' });
    let candidates: string[];
    const tuf = await this.ctx.tuf();
    const channelInfo = await tuf.getTargetInfo(`channels/${id}.json`, this.ctx.signal);
    const file = channelInfo && channelInfo.length <= CHANNEL_FILE_BYTES ? parseChannelFile(await tuf.downloadTarget(channelInfo, this.signalOpt())) : undefined;
    if (!range) {
      candidates = file ? channelCandidates(file, channel) : [];
    } else {
      // The listing only suggests versions; each one is checked against signed metadata below. (It is
      // not signed: hiding a version there can make a range resolve lower, never to unsigned bytes.)
      const listing = await this.ctx.api.listing(id, this.ctx.signal).catch((err: unknown) => {
        if (isInstallerError(err) && err.code === 'TARGET_NOT_FOUND') return undefined;
        throw err;
      });
      const listed = Array.isArray(listing?.versions) ? listing.versions.slice(0, MAX_LISTED_VERSIONS).map((v) => (v as { version?: unknown })?.version).filter((v): v is string => typeof v === 'string') : [];
      const known = [...listed, ...(file ? Object.values(file).filter((v): v is string => !!v) : [])];
      candidates = rangeCandidates(known, range, channel);
    }
    for (const version of candidates) {
      const info = await tuf.getTargetInfo(packagePath(id, version), this.ctx.signal);
      if (info && info.custom?.['yanked'] !== true) return version;
    }
    throw new InstallerError('NO_MATCHING_VERSION', `No installable version of ${id}${range ? ` in ${range}` : ''} on the ${channel} channel.`, range ? 'Widen the range or follow another channel (beta, canary).' : 'Check the id (search the registry), or follow another channel (beta, canary).', { id, channel, ...(range ? { range } : {}) });
  }

  /** Installs `version` of `id` as the active one (from the cache when it holds it) and commits. */
  async apply(id: string, version: string, opts: ApplyOptions): Promise<InstallResult> {
    const prev = this.state.extensions[id];
    if (prev?.active === version) return this.keep(id, { channel: opts.channel, range: opts.range, pinned: opts.pinned, history: opts.history === 'channel' ? 'channel' : undefined });
    const { bytes, entry, fromCache } = await this.obtain(id, version, prev, opts.cachedOnly === true);

    this.ctx.emit({ phase: 'verify', version });
    const keys = keysFor(entry, this.ctx.trustedKeys);
    const manifest = await checkPackage(bytes, id, version, keys);
    await checkSupplyChain(bytes, id, version, keys, this.ctx.supplyChain);
    this.ctx.emit({ phase: 'compatibility', version });
    checkCompatible(manifest, this.ctx.compatibility);
    this.checkAborted();
    this.ctx.emit({ phase: 'consent', version });
    const granted = await this.ctx.activator.consent(manifest, prev?.granted);
    this.ctx.emit({ phase: 'license', version });
    await this.ctx.license?.(manifest, { keys, readTarget: this.readTarget, ...(this.ctx.knownLicensing ? { known: this.ctx.knownLicensing() } : {}) }).catch(async (err: unknown) => {
      const refusal = isInstallerError(err) ? err : new InstallerError('LICENSE_REFUSED', `The license check refused ${id}@${version}: ${(err as Error)?.message ?? String(err)}`, 'Get a license for this extension, or choose a free one.');
      // A refusal changes nothing but is recorded at once.
      await this.ctx.audit?.append({ action: 'license-refused', subject: `${id}@${version}`, details: { code: refusal.code, ...(refusal.details['reason'] ? { reason: refusal.details['reason'] } : {}) } }).catch((e: unknown) => this.ctx.auditFailed?.(e));
      throw refusal;
    });
    if (this.ctx.license && isPaid(manifest)) this.audits.push({ action: 'license-accepted', subject: `${id}@${version}` });
    const added = notGranted(prev?.granted, granted);
    if (added.length) this.audits.push({ action: 'grant', subject: id, details: { granted: added } });
    this.checkAborted();

    const previous = prev ? await this.previousPackage(prev) : undefined;
    const downgrade = !!prev && rcompare(version, prev.active) > 0;
    this.ctx.emit({ phase: 'activate', version });
    await this.ctx.store.writeBlob(entry.sha256, bytes).catch((err: Error) => {
      throw new InstallerError('STORE_FAILED', `The package could not be cached: ${err.message}`, 'Nothing changed. Free some space or check permissions, then retry.');
    });
    await this.ctx.activator.activate(bytes, { manifest, keys, granted, downgrade, ...(previous ? { previous } : {}) });

    const at = this.now.toISOString();
    const rec: InstalledRecord = { id, active: version, channel: opts.channel, pinned: opts.pinned, granted, activatedAt: at, cache: { ...(prev?.cache ?? {}), [version]: entry }, ...(opts.range ? { range: opts.range } : {}) };
    this.state.extensions[id] = rec;
    this.record({ at, action: opts.history ?? (!prev ? 'install' : downgrade ? 'downgrade' : 'update'), id, ...(prev ? { from: prev.active } : {}), to: version, channel: opts.channel });
    await this.commit(async () => {
      // The commit failed: put the previous version back in place (or nothing, for a first install).
      if (previous && prev) await this.ctx.activator.activate(previous.bytes, { manifest: await checkPackage(previous.bytes, id, prev.active, previous.keys), keys: previous.keys, granted: prev.granted, downgrade: !downgrade });
      else if (!prev) await this.ctx.activator.remove(id);
    });
    this.ctx.emit({ phase: 'done', version });
    const action = opts.history === 'rollback' ? 'rolled-back' : !prev ? 'installed' : downgrade ? 'downgraded' : 'updated';
    return { id, version, ...(prev ? { previous: prev.active } : {}), channel: opts.channel, action, fromCache };
  }

  /** Keeps the active version, recording channel / range / pin changes (a commit only when something changed). */
  async keep(id: string, opts: { channel?: Channel; range?: string | undefined; pinned: boolean; history?: HistoryEntry['action'] | undefined }): Promise<InstallResult> {
    const rec = this.require(id);
    const next: InstalledRecord = { ...rec, channel: opts.channel ?? rec.channel, pinned: opts.pinned };
    if ('range' in opts) {
      if (opts.range) next.range = opts.range;
      else delete next.range;
    }
    if (next.channel !== rec.channel || next.pinned !== rec.pinned || next.range !== rec.range) {
      this.state.extensions[id] = next;
      if (next.channel !== rec.channel) this.record({ at: this.now.toISOString(), action: 'channel', id, from: rec.active, to: rec.active, channel: next.channel });
      await this.commit(async () => undefined);
    }
    this.ctx.emit({ phase: 'done', version: rec.active });
    return { id, version: rec.active, previous: rec.active, channel: next.channel, action: 'unchanged', fromCache: true };
  }

  /** Uninstalls `id`: the state commit first, then the extension stops. */
  async remove(id: string): Promise<void> {
    const rec = this.require(id);
    delete this.state.extensions[id];
    this.record({ at: this.now.toISOString(), action: 'uninstall', id, from: rec.active });
    await this.commit(async () => undefined);
    await this.ctx.activator.remove(id).catch(() => undefined);
    this.ctx.emit({ phase: 'done' });
  }

  private record(entry: HistoryEntry): void {
    const { at: _at, action, id, ...rest } = entry;
    this.audits.push({ action, subject: id, details: rest });
    this.state.history.push(entry);
    if (this.state.history.length > HISTORY_LIMIT) this.state.history.splice(0, this.state.history.length - HISTORY_LIMIT);
  }

  /** Writes the state (the commit); on failure runs `undo` and throws STORE_FAILED. Then collects garbage. */
  private async commit(undo: () => Promise<void>): Promise<void> {
    this.ctx.emit({ phase: 'commit' });
    evict(this.state, this.ctx.limits);
    try {
      await this.ctx.store.writeState(this.state);
    } catch (err) {
      await undo().catch(() => undefined);
      throw new InstallerError('STORE_FAILED', `The install could not be saved: ${(err as Error).message}`, 'Nothing changed. Free some space or check permissions, then retry.');
    }
    this.changed = true;
    await collectGarbage(this.ctx.store, this.state);
    for (const entry of this.audits.splice(0)) await this.ctx.audit?.append(entry).catch((err: unknown) => this.ctx.auditFailed?.(err));
  }

  private signalOpt(): { signal?: AbortSignal } {
    return this.ctx.signal ? { signal: this.ctx.signal } : {};
  }

  /** The package bytes and their signed entry: cached (verified on read) or downloaded through TUF. */
  private async obtain(id: string, version: string, prev: InstalledRecord | undefined, cachedOnly: boolean): Promise<{ bytes: Uint8Array; entry: CachedVersion; fromCache: boolean }> {
    const cachedEntry = prev?.cache[version];
    if (cachedEntry) {
      const bytes = await readCached(this.ctx.store, id, cachedEntry).catch((err: unknown) => {
        if (cachedOnly) throw err;
        return undefined; // An altered cache entry online: download it again.
      });
      if (bytes) return { bytes, entry: cachedEntry, fromCache: true };
    }
    if (cachedOnly) throw new InstallerError('NOT_CACHED', `${id}@${version} is not in the local cache.`, 'Install it online with a range instead.');
    const tuf = await this.ctx.tuf();
    const info = await tuf.getTargetInfo(packagePath(id, version), this.ctx.signal);
    if (!info) throw new InstallerError('TARGET_NOT_FOUND', `The registry's signed metadata has no ${id}@${version}.`, 'Check the id and version (search the registry).');
    const key = vouchedKey(id, version, info);
    const sha256 = info.hashes['sha256']?.toLowerCase();
    if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) throw new InstallerError('TARGET_MISMATCH', `The signed target of ${id}@${version} has no SHA-256.`, 'Report this to the registry operators; packages are cached by SHA-256.');
    const sha512 = info.hashes['sha512']?.toLowerCase();
    this.ctx.emit({ phase: 'download', version, loaded: 0, total: info.length });
    const bytes = await tuf.downloadTarget(info, {
      ...this.signalOpt(),
      ...(this.ctx.downloadDeadlineMs ? { deadlineMs: this.ctx.downloadDeadlineMs } : {}),
      onProgress: (loaded: number) => this.ctx.emit({ phase: 'download', version, loaded, total: info.length }),
    });
    const entry: CachedVersion = { version, length: info.length, sha256, ...(sha512 ? { sha512 } : {}), ...key, cachedAt: this.now.toISOString() };
    return { bytes, entry, fromCache: false };
  }

  private async previousPackage(prev: InstalledRecord): Promise<{ version: string; bytes: Uint8Array; keys: TrustedKeys } | undefined> {
    const entry = prev.cache[prev.active];
    const bytes = entry ? await readCached(this.ctx.store, prev.id, entry).catch(() => undefined) : undefined;
    if (!entry || !bytes) return undefined;
    try {
      return { version: prev.active, bytes, keys: keysFor(entry, this.ctx.trustedKeys) };
    } catch {
      return undefined; // No longer a pinned key: it cannot be put back.
    }
  }
}

/** The TUF target path of a package. */
export const packagePath = (id: string, version: string): string => `extensions/${id}/${version}.vib3x`;

