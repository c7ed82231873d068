/**
 * A TUF 1.0 client (the verifier of the installer) that runs in browsers under a strict CSP and in
 * Node: `fetch`, `crypto.subtle.digest`, and the kit's Ed25519. It trusts a root, follows root
 * rotations, refuses rollback, freeze, mix-and-match and endless data, walks delegations (hashed
 * bins and path patterns) lazily, and downloads targets by their consistent-snapshot URL, checking
 * length and every hash. Trusted metadata persists in a {@link MetadataStore}.
 *
 * ```ts
 * const client = new TufClient({ metadataUrl: `${registry}/tuf/`, targetsUrl: `${registry}/tuf/targets/`, store, trustedRoot });
 * await client.refresh();
 * const info = await client.getTargetInfo('extensions/com.acme.shapes/1.0.0.vib3x');
 * const bytes = info && (await client.downloadTarget(info));
 * ```
 */
import { fetchBytes } from '../fetch-bytes.js';
import { isInstallerError } from '../errors.js';
import { rolesForTarget } from './delegation.js';
import { tufError } from './errors.js';
import type { MetadataStore } from './metadata-store.js';
import type { DelegatedRole, TufKey } from './metadata.js';
import { hashesMatch } from './verify.js';
import {
  DEFAULT_TUF_LIMITS,
  loadTrustedRoot,
  updateRoot,
  updateSnapshot,
  updateTargetsRole,
  updateTimestamp,
  type TrustedRoot,
  type TrustedSnapshot,
  type TrustedTargets,
  type TufLimits,
  type WorkflowContext,
} from './workflow.js';

/** A target as signed metadata lists it. */
export interface TargetInfo {
  /** The target path (e.g. `extensions/com.acme.shapes/1.0.0.vib3x`, `channels/com.acme.shapes.json`). */
  path: string;
  /** Exact length in bytes. */
  length: number;
  /** Hex digests by algorithm (`sha256`, `sha512`, …). */
  hashes: Record<string, string>;
  /** The target's `custom` object, if any (this registry: `integrity`, `keyId`, `publicKey`, `yanked`, `yankReason`). */
  custom?: Record<string, unknown>;
}

/** Options of a {@link TufClient}. */
export interface TufClientOptions {
  /** Base URL of the metadata (`…/tuf/`). */
  metadataUrl: string;
  /** Base URL of the targets (`…/tuf/targets/`). */
  targetsUrl: string;
  /** Where trusted metadata persists. */
  store: MetadataStore;
  /** Bytes of a root.json to start from, used only while the store holds no root. */
  trustedRoot?: Uint8Array;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Clock (default: `new Date()`), read once at the start of each refresh. */
  now?: () => Date;
  /** Bounds; see {@link TufLimits} for the defaults. */
  limits?: Partial<TufLimits>;
}

/** Options of {@link TufClient.downloadTarget}. */
export interface DownloadTargetOptions {
  signal?: AbortSignal;
  /** Bytes received so far and the target's signed length. */
  onProgress?: (loaded: number, total: number) => void;
  /** Deadline of the whole download, ms (default {@link DEFAULT_TARGET_DEADLINE_MS}). */
  deadlineMs?: number;
}

/** Default deadline of one target download (packages may be up to 64 MiB). */
export const DEFAULT_TARGET_DEADLINE_MS = 120_000;

/** Most delegated roles visited for one target path (as tuf-js). */
const MAX_DELEGATIONS = 32;

interface RefreshedState {
  root: TrustedRoot;
  snapshot: TrustedSnapshot;
  targets: TrustedTargets;
  /** Delegated roles verified since the refresh. */
  delegated: Map<string, TrustedTargets>;
  /** The refresh's start time: delegated roles loaded later are checked against it too. */
  start: number;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The TUF client; see the module comment. One instance may serve many calls; refreshes run one at a time. */
export class TufClient {
  private readonly metadataUrl: string;
  private readonly targetsUrl: string;
  private readonly store: MetadataStore;
  private readonly trustedRoot: Uint8Array | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;
  private readonly limits: TufLimits;
  private state: RefreshedState | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Promise<void> | undefined;

  constructor(opts: TufClientOptions) {
    this.metadataUrl = withSlash(opts.metadataUrl);
    this.targetsUrl = withSlash(opts.targetsUrl);
    this.store = opts.store;
    this.trustedRoot = opts.trustedRoot?.slice();
    this.fetchImpl = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.now = opts.now ?? (() => new Date());
    this.limits = { ...DEFAULT_TUF_LIMITS, ...opts.limits };
  }

  /**
   * The TUF 1.0 client workflow: one start time; the root chain; timestamp, snapshot and top-level
   * targets, each verified against the trusted state and persisted once verified. Until it
   * succeeds, {@link getTargetInfo} trusts nothing (it refreshes first).
   */
  refresh(signal?: AbortSignal): Promise<void> {
    const run = this.queue.then(() => this.doRefresh(signal));
    this.queue = run.catch(() => undefined);
    this.pending = run;
    const done = () => {
      if (this.pending === run) this.pending = undefined;
    };
    run.then(done, done);
    return run;
  }

  /** The workflow context of a refresh started at `start`, downloading under `signal`. */
  private context(start: number, signal: AbortSignal | undefined): WorkflowContext {
    return {
      start,
      store: this.store,
      limits: this.limits,
      fetch: (file, maxBytes, fresh) =>
        fetchBytes(this.metadataUrl + file, {
          maxBytes,
          deadlineMs: this.limits.deadlineMs,
          fetch: this.fetchImpl,
          ...(signal ? { signal } : {}),
          ...(fresh ? { cache: 'no-cache' as const } : {}),
        }),
    };
  }

  private async doRefresh(signal: AbortSignal | undefined): Promise<void> {
    this.state = undefined;
    const start = this.now().getTime();
    const ctx = this.context(start, signal);
    const initial = await loadTrustedRoot(this.store, this.trustedRoot);
    const root = await updateRoot(ctx, initial);
    if (start >= root.signed.expiresAt) throw tufError('TUF_EXPIRED', `The newest root (version ${root.signed.version}) expired at ${root.signed.expires}.`, { file: 'root', expires: root.signed.expires });
    const timestamp = await updateTimestamp(ctx, root);
    const snapshot = await updateSnapshot(ctx, root, timestamp);
    const top = root.signed.roles.get('targets')!;
    const targets = await updateTargetsRole(ctx, root, snapshot, { name: 'targets', keys: root.signed.keys, role: top });
    this.state = { root, snapshot, targets, delegated: new Map(), start };
  }

  /** The state of the last successful refresh (awaiting one in progress, or refreshing first). */
  private async refreshed(signal?: AbortSignal): Promise<RefreshedState> {
    if (this.pending) await this.pending.catch(() => undefined); // its failure is its caller's; then try again
    if (!this.state) await this.refresh(signal);
    return this.state!;
  }

  /**
   * The signed info of a target path, or `undefined` when no trusted role lists it. Walks the
   * delegations in order (pre-order, depth first; a terminating match ends the search), loading and
   * verifying each delegated role the snapshot lists as it is needed (and persisting it).
   */
  async getTargetInfo(path: string, signal?: AbortSignal): Promise<TargetInfo | undefined> {
    const state = await this.refreshed(signal);
    const ctx = this.context(state.start, signal);
    type Visit = { name: string; load: () => Promise<TrustedTargets> };
    const stack: Visit[] = [{ name: 'targets', load: async () => state.targets }];
    const visited = new Set<string>();
    while (stack.length > 0 && visited.size <= MAX_DELEGATIONS) {
      const { name, load } = stack.pop()!;
      if (visited.has(name)) continue;
      const md = (await load()).signed;
      const entry = md.targets.get(path);
      if (entry) {
        return {
          path,
          length: entry.length,
          hashes: { ...entry.hashes },
          ...(entry.custom !== undefined ? { custom: structuredClone(entry.custom) } : {}),
        };
      }
      visited.add(name);
      if (!md.delegations) continue;
      const { roles, terminated } = await rolesForTarget(md.delegations.roles, path);
      if (terminated) stack.length = 0;
      const keys = md.delegations.keys;
      for (const role of [...roles].reverse()) stack.push({ name: role.name, load: () => this.delegated(state, ctx, role, keys) });
    }
    return undefined;
  }

  /** A delegated role at the snapshot's version, verified once per refresh (a failure is not remembered: the next lookup tries again). */
  private async delegated(state: RefreshedState, ctx: WorkflowContext, role: DelegatedRole, keys: ReadonlyMap<string, TufKey>): Promise<TrustedTargets> {
    const known = state.delegated.get(role.name);
    if (known) return known;
    const loaded = await updateTargetsRole(ctx, state.root, state.snapshot, { name: role.name, keys, role });
    state.delegated.set(role.name, loaded);
    return loaded;
  }

  /**
   * Downloads a target by its consistent-snapshot URL (`<dir>/<sha256>.<name>` under the targets
   * URL), bounded by its signed length, and checks length and every listed hash (`TARGET_MISMATCH`).
   */
  async downloadTarget(info: TargetInfo, opts: DownloadTargetOptions = {}): Promise<Uint8Array> {
    const state = await this.refreshed(opts.signal);
    const url = this.targetsUrl + targetUrlPath(info, state.root.signed.consistentSnapshot);
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(url, {
        maxBytes: info.length,
        deadlineMs: opts.deadlineMs ?? DEFAULT_TARGET_DEADLINE_MS,
        fetch: this.fetchImpl,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: (loaded: number) => opts.onProgress!(loaded, info.length) } : {}),
      });
    } catch (err) {
      if (isInstallerError(err) && err.code === 'TOO_LARGE') throw tufError('TARGET_MISMATCH', `${info.path}: the download is longer than the signed length ${info.length}.`, { path: info.path, length: info.length });
      throw err;
    }
    if (!(await this.verifyTargetBytes(info, bytes))) {
      throw tufError('TARGET_MISMATCH', `${info.path}: the downloaded bytes (${bytes.length}) do not match the signed length (${info.length}) and hashes.`, { path: info.path, length: bytes.length, expected: info.length });
    }
    return bytes;
  }

  /** Whether bytes have the target's signed length and every listed hash (sha256, sha512; at least one must be listed). */
  async verifyTargetBytes(info: TargetInfo, bytes: Uint8Array): Promise<boolean> {
    if (bytes.length !== info.length) return false;
    return (await hashesMatch(bytes, info.hashes)) === true;
  }
}

/** The URL path of a target under the targets URL: `<dir>/<sha256>.<name>` with consistent snapshots (segments URL-encoded). */
export function targetUrlPath(info: TargetInfo, consistentSnapshot: boolean): string {
  const segments = info.path.split('/');
  if (consistentSnapshot) {
    const hash = info.hashes.sha256 ?? info.hashes.sha512;
    if (!hash || !/^[0-9a-fA-F]+$/.test(hash)) throw tufError('TUF_MALFORMED', `${info.path} lists no sha256 or sha512 hash to name its file by.`, { path: info.path });
    segments[segments.length - 1] = `${hash.toLowerCase()}.${segments[segments.length - 1]}`;
  }
  return segments.map(encodeURIComponent).join('/');
}
