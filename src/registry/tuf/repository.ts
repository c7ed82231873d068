/**
 * The registry's TUF repository (spec 1.0.x, consistent snapshots, hashed-bin delegation) on the
 * registry database. Every write runs in a transaction holding `pg_advisory_xact_lock(LOCKS.tuf)` and
 * takes its versions from the database, so any number of server processes can share one PostgreSQL.
 *
 * Served under `/tuf/`: `N.root.json`, `timestamp.json`, `N.snapshot.json`, `N.targets.json`,
 * `N.bin-xx.json` ({@link TufRepository.metadata}); target files at
 * `/tuf/targets/<dir>/<sha256>.<name>` ({@link TufRepository.targetForUrl}).
 */
import { canonicalize } from '@tufjs/canonical-json';
import { MetadataKind, type Metadata, type Root, type Snapshot, type Targets } from '@tufjs/models';
import type { Database, Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import { binForPath, DEFAULT_BIN_COUNT, layoutFromTargets, makeBinLayout, type BinLayout } from './bins.js';
import { buildRoot, DEFAULT_EXPIRY, DEFAULT_REFRESH_BEFORE, policyKind, rootRoleKeys, type ExpiryPolicy, type RoleKeys } from './build.js';
import { ParseCache, requireLatest, writeChain, type ChainContext, type ChainPlan, type ChainResult } from './chain.js';
import { encodeMetadata, expiresIn, isValidTargetPath, parseMetadataFileName, parseTargetUrlPath } from './format.js';
import { ensureRoleKeys, KeyRing, signMetadata, TOP_LEVEL_ROLES, type TopLevelRole } from './keys.js';
import { parseRoot, verifyRootUpdate } from './root-tools.js';
import { rotateRootInTx, type RotateRootOptions } from './rotation.js';
import * as sql from './store.js';

/** Options of {@link TufRepository.open}. */
export interface TufRepositoryOptions {
  /** The registry database (`init()` runs on it). */
  db: Database;
  /** Directory of the private key files (`root.jwk`, `targets.jwk`, `snapshot.jwk`, `timestamp.jwk`). */
  keyDir: string;
  /** Clock for `expires` (tests inject one). */
  now?: () => Date;
  /** Lifetime of new versions per role, seconds ({@link DEFAULT_EXPIRY}). */
  expiry?: Partial<ExpiryPolicy>;
  /** Re-sign a role when less than this is left, seconds ({@link DEFAULT_REFRESH_BEFORE}). */
  refreshBefore?: Partial<ExpiryPolicy>;
  /** Number of hashed bins, used only when `init()` creates the repository (default 256). */
  bins?: number;
}

/** A target to add or replace (`length` and hashes of the exact bytes served). */
export interface TargetUpsert {
  path: string;
  length: number;
  sha256: string;
  sha512?: string;
  /** Plain JSON (canonical-JSON encodable: integers only) listed as the target's `custom`. */
  custom?: object;
}

/** A change of the targets: an upsert, or `{ path, remove: true }`. */
export type TargetChange = TargetUpsert | { path: string; remove: true };

/** What {@link TufRepository.refreshTimestamp} did. */
export interface RefreshResult {
  /** Roles that got a new version (`[]` when everything was fresh). */
  resigned: string[];
  /** The timestamp version now served. */
  timestampVersion: number;
  /** When the newest root expires. */
  rootExpires: Date;
  /** The root is inside its refresh window but its keys are offline: sign a new root offline. */
  rootNeedsOfflineSigning: boolean;
}

interface DueState {
  timestampVersion: number;
  /** Earliest moment something must be re-signed. */
  dueAt: number;
  due: string[];
  rootExpires: Date;
  rootNeedsOfflineSigning: boolean;
}

function invalid(message: string): RegistryError {
  return new RegistryError(400, 'TUF_INVALID_TARGET', message, 'Target paths are relative URL-safe paths; hashes are lowercase hex; custom is plain JSON without fractions.');
}

/** The TUF repository engine. */
export class TufRepository {
  private readonly cache = new ParseCache();
  private dueState: DueState | undefined;
  private readonly expiry: ExpiryPolicy;
  private readonly refreshBefore: ExpiryPolicy;

  private constructor(
    private readonly db: Database,
    private readonly ring: KeyRing,
    private readonly now: () => Date,
    private readonly binCount: number,
    expiry: Partial<ExpiryPolicy> | undefined,
    refreshBefore: Partial<ExpiryPolicy> | undefined,
  ) {
    this.expiry = { ...DEFAULT_EXPIRY, ...expiry };
    this.refreshBefore = { ...DEFAULT_REFRESH_BEFORE, ...refreshBefore };
    makeBinLayout(binCount); // validates the count early
  }

  /** Opens the repository: loads the key directory (it may be missing or lack root keys). */
  static async open(options: TufRepositoryOptions): Promise<TufRepository> {
    const ring = await KeyRing.load(options.keyDir);
    return new TufRepository(options.db, ring, options.now ?? (() => new Date()), options.bins ?? DEFAULT_BIN_COUNT, options.expiry, options.refreshBefore);
  }

  private ctx(tx: Queryable, now: Date): ChainContext {
    return { tx, now, ring: this.ring, expiry: this.expiry, cache: this.cache };
  }

  private async latestRoot(q: Queryable): Promise<Metadata<Root>> {
    return this.cache.get<Metadata<Root>>(await requireLatest(q, 'root'), MetadataKind.Root);
  }

  private async layout(q: Queryable): Promise<BinLayout> {
    return layoutFromTargets(this.cache.get<Metadata<Targets>>(await requireLatest(q, 'targets'), MetadataKind.Targets).signed);
  }

  /**
   * Creates the repository on an empty database — key files missing from the key directory, root v1
   * (consistent snapshots), targets v1 with every bin v1, snapshot v1, timestamp v1 — and returns the
   * text of `1.root.json` (what clients trust first; the server writes it to `DATA/root.json`).
   * On an initialised database it only returns that text.
   */
  async init(): Promise<string> {
    return this.db.transaction(async (tx) => {
      await sql.lockTuf(tx);
      const existing = await sql.metadataAt(tx, 'root', 1);
      if (existing) return existing.body;
      const now = this.now();
      const keys = await ensureRoleKeys(this.ring.dir, TOP_LEVEL_ROLES);
      for (const k of Object.values(keys)) this.ring.add(k);
      const roles = {} as Record<TopLevelRole, RoleKeys>;
      for (const r of TOP_LEVEL_ROLES) roles[r] = { keys: [keys[r]!.key], threshold: 1 };
      const root = buildRoot(1, expiresIn(now, this.expiry.root), roles);
      await signMetadata(root, [keys.root!]);
      const body = encodeMetadata(root);
      await sql.insertMetadata(tx, { role: 'root', version: 1, body, expires: new Date(root.signed.expires) }, now);
      const layout = makeBinLayout(this.binCount);
      await writeChain(this.ctx(tx, now), { root, targets: true, layout, bins: layout.bins.map((b) => b.name) });
      return body;
    });
  }

  /**
   * Applies target changes and signs new versions of the affected bins, snapshot and timestamp.
   * Call inside the publishing transaction (READ COMMITTED, PostgreSQL's default); takes the TUF
   * advisory lock itself (a no-op when the caller already holds it). Paths are unique per call
   * (the last change of a path wins). Returns the versions written.
   */
  async updateTargets(tx: Queryable, changes: readonly TargetChange[]): Promise<ChainResult> {
    const last = new Map<string, TargetChange>();
    for (const c of changes) last.set(c.path, checkChange(c));
    await sql.lockTuf(tx);
    const now = this.now();
    const root = await this.latestRoot(tx);
    const layout = await this.layout(tx);
    const upserts: sql.TargetRow[] = [];
    const removals: string[] = [];
    const bins = new Set<string>();
    for (const c of last.values()) {
      if ('remove' in c) removals.push(c.path);
      else {
        const bin = binForPath(layout, c.path);
        bins.add(bin);
        upserts.push({ path: c.path, bin, length: c.length, sha256: c.sha256, ...(c.sha512 ? { sha512: c.sha512 } : {}), ...(c.custom ? { custom: c.custom as Record<string, unknown> } : {}) });
      }
    }
    await sql.upsertTargets(tx, upserts, now);
    for (const bin of await sql.deleteTargets(tx, removals)) bins.add(bin);
    if (bins.size === 0) {
      return { bins: {}, snapshot: await sql.latestVersion(tx, 'snapshot'), timestamp: await sql.latestVersion(tx, 'timestamp') };
    }
    const result = await writeChain(this.ctx(tx, now), { root, bins });
    this.dueState = undefined;
    return result;
  }

  private async computeDue(q: Queryable, now: Date): Promise<DueState> {
    const root = await requireLatest(q, 'root');
    const ts = await requireLatest(q, 'timestamp');
    const snapshot = await requireLatest(q, 'snapshot');
    const snap = this.cache.get<Metadata<Snapshot>>(snapshot, MetadataKind.Snapshot);
    const pairs = Object.entries(snap.signed.meta).map(([file, m]) => ({ role: file.slice(0, -'.json'.length), version: m.version }));
    const expiries = await sql.expiriesOf(q, pairs);
    const rootMd = this.cache.get<Metadata<Root>>(root, MetadataKind.Root);
    const rk = rootRoleKeys(rootMd.signed, 'root');
    const rootOnline = (await this.ring.find(rk.keyIds)).length >= rk.threshold;
    const entries: Array<[string, Date]> = [['root', root.expires], ['snapshot', snapshot.expires], ['timestamp', ts.expires], ...expiries];
    let dueAt = Infinity;
    const due: string[] = [];
    let rootNeedsOfflineSigning = false;
    for (const [role, expires] of entries) {
      const at = expires.getTime() - this.refreshBefore[policyKind(role)] * 1000;
      if (role === 'root' && !rootOnline) {
        rootNeedsOfflineSigning = now.getTime() >= at;
        continue;
      }
      dueAt = Math.min(dueAt, at);
      if (now.getTime() >= at) due.push(role);
    }
    return { timestampVersion: ts.version, dueAt, due, rootExpires: root.expires, rootNeedsOfflineSigning };
  }

  private refreshResult(state: DueState, resigned: string[]): RefreshResult {
    const { timestampVersion, rootExpires, rootNeedsOfflineSigning } = state;
    return { resigned, timestampVersion, rootExpires, rootNeedsOfflineSigning };
  }

  /**
   * Keeps the online metadata fresh: re-signs (as new versions) whatever is inside its refresh window —
   * the timestamp (short expiry: default a day, re-signed half a day before), the snapshot, the
   * targets and bins, and root when its keys are in the key directory. Cheap when nothing is due
   * (one indexed query), so call it on a timer (e.g. every minute) and before serving `timestamp.json`.
   */
  async refreshTimestamp(db: Database): Promise<RefreshResult> {
    const now = this.now();
    const cached = this.dueState;
    if (cached && now.getTime() < cached.dueAt && (await sql.latestVersion(db, 'timestamp')) === cached.timestampVersion) {
      return this.refreshResult(cached, []);
    }
    let state = await this.computeDue(db, now);
    if (state.due.length === 0) {
      this.dueState = state;
      return this.refreshResult(state, []);
    }
    const resigned = await db.transaction(async (tx) => {
      await sql.lockTuf(tx);
      const at = this.now();
      const fresh = await this.computeDue(tx, at);
      const done: string[] = [];
      state = fresh;
      if (fresh.due.length === 0) return done; // another process re-signed it while we waited
      let root = await this.latestRoot(tx);
      if (fresh.due.includes('root')) {
        root = await this.resignRoot(tx, root, at);
        done.push('root');
      }
      const bins = fresh.due.filter((r) => r.startsWith('bin-'));
      const plan: ChainPlan = { root, bins, snapshot: fresh.due.includes('snapshot') };
      if (fresh.due.includes('targets')) Object.assign(plan, { targets: true, layout: await this.layout(tx) });
      if (bins.length || plan.targets || plan.snapshot || fresh.due.includes('timestamp')) {
        const r = await writeChain(this.ctx(tx, at), plan);
        if (r.targets) done.push('targets');
        done.push(...Object.keys(r.bins));
        if (r.targets || bins.length || plan.snapshot) done.push('snapshot');
        done.push('timestamp');
      }
      state = await this.computeDue(tx, at);
      return done;
    });
    this.dueState = state;
    return this.refreshResult(state, resigned);
  }

  /** Root N+1 with the same keys and a new expiry, signed by the online root keys. */
  private async resignRoot(tx: Queryable, current: Metadata<Root>, now: Date): Promise<Metadata<Root>> {
    const roles = Object.fromEntries(TOP_LEVEL_ROLES.map((r) => [r, rootRoleKeys(current.signed, r)])) as Record<TopLevelRole, ReturnType<typeof rootRoleKeys>>;
    const next = buildRoot(current.signed.version + 1, expiresIn(now, this.expiry.root), roles);
    await signMetadata(next, await this.ring.signers('root', roles.root.keyIds, roles.root.threshold));
    verifyRootUpdate(current, next, now);
    const body = encodeMetadata(next);
    await sql.insertMetadata(tx, { role: 'root', version: next.signed.version, body, expires: new Date(next.signed.expires) }, now);
    return next;
  }

  /**
   * The stored bytes for a file name under `/tuf/`: `timestamp.json`, `root.json` (newest root),
   * `N.root.json`, `N.snapshot.json`, `N.targets.json`, `N.bin-xx.json`; `undefined` (→ 404) for
   * anything else, including a root version that does not exist yet (clients probe `N+1.root.json`).
   * Caching: `N.*.json` never change (immutable); `timestamp.json` and `root.json` must not be cached
   * longer than a few seconds.
   */
  async metadata(db: Queryable, file: string): Promise<string | undefined> {
    const name = parseMetadataFileName(file);
    if (!name) return undefined;
    const stored = name.version ? await sql.metadataAt(db, name.role, name.version) : await sql.latestMetadata(db, name.role);
    return stored?.body;
  }

  /** The current length and hashes of a target path, or `undefined`. */
  async target(db: Queryable, path: string): Promise<{ length: number; sha256: string; sha512?: string } | undefined> {
    const row = await sql.targetByPath(db, path);
    return row ? { length: row.length, sha256: row.sha256, ...(row.sha512 ? { sha512: row.sha512 } : {}) } : undefined;
  }

  /**
   * Resolves a URL path under `/tuf/targets/` (`<dir>/<hash>.<name>`, hash = sha256 or sha512 hex, as a
   * consistent-snapshot client requests it) to the target content it names — current or listed by an
   * older snapshot. The server then serves the blob with that sha256 (exactly `length` bytes).
   */
  async targetForUrl(db: Queryable, urlPath: string): Promise<sql.TargetFileInfo | undefined> {
    const parsed = parseTargetUrlPath(urlPath);
    return parsed ? sql.targetFileByHash(db, parsed.path, parsed.hash) : undefined;
  }

  /**
   * Root rotation with root keys online: root N+1 with new root key(s) (threshold of the old AND the
   * new root keys sign it), optionally new keys for online roles too (their metadata is re-signed in
   * the same transaction). New key files replace the old ones in the key directory after commit.
   */
  async rotateRoot(db: Database, options: RotateRootOptions = {}): Promise<{ version: number; root: string }> {
    return rotateRootInTx(db, options, {
      ring: this.ring,
      now: this.now,
      expiry: this.expiry,
      ctx: (tx, now) => this.ctx(tx, now),
      latestRoot: (tx) => this.latestRoot(tx),
      layout: (tx) => this.layout(tx),
      invalidate: () => (this.dueState = undefined),
    });
  }

  /**
   * Imports root N+1 signed offline (`signRoot`): checks it against the current root like a TUF
   * client, stores it, and re-signs the online roles whose keys or thresholds changed (their private
   * keys must already be in the key directory, else nothing is stored). Returns its version.
   */
  async importRoot(db: Database, text: string): Promise<{ version: number; resigned?: ChainResult }> {
    const next = parseRoot(text);
    const out = await db.transaction(async (tx) => {
      await sql.lockTuf(tx);
      const now = this.now();
      const current = await this.latestRoot(tx);
      verifyRootUpdate(current, next, now);
      const changed = (['targets', 'snapshot', 'timestamp'] as const).filter((r) => !sameRole(current.signed, next.signed, r));
      const body = encodeMetadata(next);
      await sql.insertMetadata(tx, { role: 'root', version: next.signed.version, body, expires: new Date(next.signed.expires) }, now);
      if (changed.length === 0) return { version: next.signed.version };
      const layout = await this.layout(tx);
      const targets = changed.includes('targets');
      const resigned = await writeChain(this.ctx(tx, now), {
        root: next,
        targets,
        layout,
        bins: targets ? layout.bins.map((b) => b.name) : [],
        snapshot: changed.includes('snapshot'),
      });
      return { version: next.signed.version, resigned };
    });
    this.dueState = undefined;
    return out;
  }

  /** Which roles the key directory can sign now (a threshold of the newest root's keys). */
  async keyStatus(db: Queryable): Promise<Record<TopLevelRole, boolean>> {
    const root = await this.latestRoot(db);
    const out = {} as Record<TopLevelRole, boolean>;
    for (const role of TOP_LEVEL_ROLES) {
      const k = rootRoleKeys(root.signed, role);
      out[role] = (await this.ring.find(k.keyIds)).length >= k.threshold;
    }
    return out;
  }

  /**
   * Deletes non-root metadata versions superseded before `olderThan` (keep them as long as a client
   * or CDN may still follow an older timestamp: at least the timestamp's cache lifetime). Returns the count.
   */
  async prune(db: Database, options: { olderThan: Date }): Promise<number> {
    return sql.pruneMetadata(db, options.olderThan);
  }
}

function sameRole(a: Root, b: Root, role: TopLevelRole): boolean {
  const ra = a.roles[role]!;
  const rb = b.roles[role]!;
  return ra.threshold === rb.threshold && [...ra.keyIDs].sort().join() === [...rb.keyIDs].sort().join();
}

function checkChange(c: TargetChange): TargetChange {
  if (!c || typeof c.path !== 'string' || !isValidTargetPath(c.path)) throw invalid(`Invalid target path ${JSON.stringify(c?.path)}.`);
  if ('remove' in c) {
    if (c.remove !== true) throw invalid(`${c.path}: remove must be true.`);
    return c;
  }
  if (!Number.isSafeInteger(c.length) || c.length < 0) throw invalid(`${c.path}: length must be a non-negative integer.`);
  if (typeof c.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.sha256)) throw invalid(`${c.path}: sha256 must be 64 lowercase hex digits.`);
  if (c.sha512 !== undefined && (typeof c.sha512 !== 'string' || !/^[0-9a-f]{128}$/.test(c.sha512))) throw invalid(`${c.path}: sha512 must be 128 lowercase hex digits.`);
  if (c.custom !== undefined) {
    if (typeof c.custom !== 'object' || c.custom === null || Array.isArray(c.custom)) throw invalid(`${c.path}: custom must be a JSON object.`);
    try {
      canonicalize(c.custom);
    } catch {
      throw invalid(`${c.path}: custom must be canonical-JSON encodable (no fractions, undefined or functions).`);
    }
  }
  return c;
}
