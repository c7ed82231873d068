/**
 * The steps of the TUF 1.0 client workflow (spec §5 "Detailed client workflow"), each checking one
 * role's new metadata against what is trusted and persisting it only once it passed every check:
 * root chain (5.3), timestamp (5.4), snapshot (5.5), targets and delegated targets (5.6).
 */
import { isInstallerError } from '../errors.js';
import { tufError } from './errors.js';
import type { MetadataStore } from './metadata-store.js';
import { parseEnvelope, type Envelope, type RoleKeys, type RootSigned, type SnapshotSigned, type TargetsSigned, type TimestampSigned, type TufKey } from './metadata.js';
import { checkMetaFile, countValidSignatures, hashesMatch, requireThreshold } from './verify.js';

/** Bounds of a refresh. */
export interface TufLimits {
  /** Most root versions followed in one refresh (32). */
  maxRootRotations: number;
  /** Bytes of one root file (512 KiB). */
  rootMaxBytes: number;
  /** Bytes of timestamp.json (16 KiB). */
  timestampMaxBytes: number;
  /** Bytes of a snapshot when the timestamp gives no length, and at most (4 MiB). */
  snapshotMaxBytes: number;
  /** Bytes of a targets or delegated targets file when the snapshot gives no length, and at most (8 MiB). */
  targetsMaxBytes: number;
  /** Deadline of each metadata download, ms (20 s). */
  deadlineMs: number;
}

/** The default {@link TufLimits}. */
export const DEFAULT_TUF_LIMITS: Readonly<TufLimits> = Object.freeze({
  maxRootRotations: 32,
  rootMaxBytes: 512 * 1024,
  timestampMaxBytes: 16 * 1024,
  snapshotMaxBytes: 4 * 1024 * 1024,
  targetsMaxBytes: 8 * 1024 * 1024,
  deadlineMs: 20_000,
});

/** A verified root. */
export type TrustedRoot = Envelope<RootSigned>;
/** A verified timestamp. */
export type TrustedTimestamp = Envelope<TimestampSigned>;
/** A verified snapshot. */
export type TrustedSnapshot = Envelope<SnapshotSigned>;
/** A verified top-level or delegated targets role. */
export type TrustedTargets = Envelope<TargetsSigned>;

/** What the steps need: downloads of metadata files, the store, the refresh's start time. */
export interface WorkflowContext {
  /** Downloads a file under the metadata URL (`fresh`: revalidate any HTTP cache). */
  fetch(file: string, maxBytes: number, fresh: boolean): Promise<Uint8Array>;
  store: MetadataStore;
  /** The fixed start time of the refresh (ms since the epoch): every expiry is checked against it. */
  start: number;
  limits: TufLimits;
}

/** Stored bytes of a role, `undefined` when absent or deleted (empty). */
export async function loadStored(store: MetadataStore, name: string): Promise<Uint8Array | undefined> {
  const bytes = await store.load(name);
  return bytes && bytes.length > 0 ? bytes : undefined;
}

/** Deletes trusted metadata (an empty file: see `MetadataStore`). */
export async function deleteStored(store: MetadataStore, name: string): Promise<void> {
  await store.save(name, new Uint8Array(0));
}

/** The trusted root to start from: the stored one, else `initial` (then stored). `TUF_ROOT_INVALID` unless self-signed. */
export async function loadTrustedRoot(store: MetadataStore, initial: Uint8Array | undefined): Promise<TrustedRoot> {
  const stored = await loadStored(store, 'root');
  const bytes = stored ?? initial;
  const source = stored ? 'the stored trusted root' : 'the trusted root given';
  if (!bytes || bytes.length === 0) throw tufError('TUF_ROOT_INVALID', 'There is no trusted root: the store holds none and none was given.', {});
  let root: TrustedRoot;
  try {
    root = parseEnvelope('root', bytes, source);
  } catch (err) {
    throw tufError('TUF_ROOT_INVALID', `${source} is not valid: ${(err as Error).message}`, {});
  }
  const role = root.signed.roles.get('root')!;
  const valid = await countValidSignatures(root, root.signed.keys, role, role.threshold);
  if (valid < role.threshold) throw tufError('TUF_ROOT_INVALID', `${source} (version ${root.signed.version}) is signed by ${valid} of its own root keys; ${role.threshold} needed.`, { valid, threshold: role.threshold });
  if (!stored) await store.save('root', bytes);
  return root;
}

/**
 * 5.3: follows `N+1.root.json` until the repository has no next version (404/403), each signed by
 * a threshold of the trusted root's root keys and of its own, with exactly the next version; each
 * persisted once verified (the trusted timestamp and snapshot deleted first when it changes their
 * keys). At most `maxRootRotations` versions.
 */
export async function updateRoot(ctx: WorkflowContext, trusted: TrustedRoot): Promise<TrustedRoot> {
  let root = trusted;
  for (let i = 0; i < ctx.limits.maxRootRotations; i++) {
    const expected = root.signed.version + 1;
    const file = `${expected}.root.json`;
    let bytes: Uint8Array;
    try {
      bytes = await ctx.fetch(file, ctx.limits.rootMaxBytes, true);
    } catch (err) {
      const status = isInstallerError(err) && err.code === 'REGISTRY_HTTP_ERROR' ? err.details.status : undefined;
      if (status === 404 || status === 403) break; // the trusted root is the newest
      throw err;
    }
    const next = parseEnvelope('root', bytes, file);
    await requireThreshold(next, root.signed.keys, root.signed.roles.get('root')!, `${file} (by the root keys of the trusted root ${root.signed.version})`);
    await requireThreshold(next, next.signed.keys, next.signed.roles.get('root')!, `${file} (by its own root keys)`);
    if (next.signed.version !== expected) {
      throw tufError(next.signed.version < expected ? 'TUF_ROLLBACK' : 'TUF_MISMATCH', `${file} holds root version ${next.signed.version}, not ${expected}.`, { file, version: next.signed.version, expected });
    }
    // 5.3.11: new timestamp or snapshot keys: forget the trusted timestamp and snapshot (recovery
    // from a fast-forward attack) — before the new root is stored, so a crash in between only
    // forgets more, never keeps them under a root that would no longer say so.
    if (roleChanged(root.signed, next.signed, 'timestamp') || roleChanged(root.signed, next.signed, 'snapshot')) {
      await deleteStored(ctx.store, 'timestamp');
      await deleteStored(ctx.store, 'snapshot');
    }
    root = next;
    await ctx.store.save('root', bytes);
  }
  return root;
}

/** Whether two roots list different keys or thresholds for `role`. */
export function roleChanged(a: RootSigned, b: RootSigned, role: string): boolean {
  const ra = a.roles.get(role)!;
  const rb = b.roles.get(role)!;
  return ra.threshold !== rb.threshold || [...ra.keyids].sort().join() !== [...rb.keyids].sort().join();
}

/** Stored metadata of `name` that still verifies under `keys`/`role`, else `undefined` (ignored). */
async function loadTrustedSigned<K extends 'timestamp' | 'snapshot'>(store: MetadataStore, type: K, keys: ReadonlyMap<string, TufKey>, role: RoleKeys) {
  const bytes = await loadStored(store, type);
  if (!bytes) return undefined;
  try {
    const env = parseEnvelope(type, bytes, `the stored ${type}`);
    await requireThreshold(env, keys, role, `the stored ${type}`);
    return env;
  } catch (err) {
    if (isInstallerError(err)) return undefined; // corrupted, or signed by keys root no longer trusts
    throw err;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * 5.4: timestamp.json — threshold of root's timestamp keys; version not below the trusted one
 * (equal only when identical: then the trusted one stays); its snapshot version not below the
 * trusted timestamp's; not expired at the start time. Persisted when new.
 */
export async function updateTimestamp(ctx: WorkflowContext, root: TrustedRoot): Promise<TrustedTimestamp> {
  const keys = root.signed.keys;
  const role = root.signed.roles.get('timestamp')!;
  const trusted = await loadTrustedSigned(ctx.store, 'timestamp', keys, role);
  const bytes = await ctx.fetch('timestamp.json', ctx.limits.timestampMaxBytes, true);
  const fresh = parseEnvelope('timestamp', bytes, 'timestamp.json');
  await requireThreshold(fresh, keys, role, 'timestamp.json');
  let current = fresh;
  if (trusted) {
    const [t, n] = [trusted.signed, fresh.signed];
    if (n.version < t.version) throw tufError('TUF_ROLLBACK', `timestamp.json is version ${n.version}; version ${t.version} is already trusted.`, { file: 'timestamp.json', version: n.version, trusted: t.version });
    if (n.version === t.version) {
      if (!sameBytes(fresh.canonical, trusted.canonical)) throw tufError('TUF_ROLLBACK', `timestamp.json version ${n.version} differs from the trusted timestamp of the same version.`, { file: 'timestamp.json', version: n.version });
      current = trusted;
    }
    if (n.snapshot.version < t.snapshot.version) {
      throw tufError('TUF_ROLLBACK', `timestamp.json points at snapshot version ${n.snapshot.version}; version ${t.snapshot.version} is already trusted.`, { file: 'timestamp.json', snapshot: n.snapshot.version, trusted: t.snapshot.version });
    }
  }
  if (ctx.start >= current.signed.expiresAt) throw tufError('TUF_EXPIRED', `timestamp.json (version ${current.signed.version}) expired at ${current.signed.expires}.`, { file: 'timestamp.json', expires: current.signed.expires });
  if (current === fresh) await ctx.store.save('timestamp', bytes);
  return current;
}

const bound = (declared: number | undefined, max: number) => (declared === undefined ? max : Math.min(declared, max));

/**
 * 5.5: the snapshot the timestamp names — its length and hashes as the timestamp lists them,
 * threshold of root's snapshot keys, exactly the timestamp's version, no file of the trusted snapshot
 * missing or at a lower version, not expired. The stored snapshot is used when it is that one.
 */
export async function updateSnapshot(ctx: WorkflowContext, root: TrustedRoot, timestamp: TrustedTimestamp): Promise<TrustedSnapshot> {
  const keys = root.signed.keys;
  const role = root.signed.roles.get('snapshot')!;
  const meta = timestamp.signed.snapshot;
  const trusted = await loadTrustedSigned(ctx.store, 'snapshot', keys, role);
  if (trusted && trusted.signed.version === meta.version && ctx.start < trusted.signed.expiresAt && (await metaMatches(trusted.bytes, meta))) return trusted;

  const file = root.signed.consistentSnapshot ? `${meta.version}.snapshot.json` : 'snapshot.json';
  const bytes = await ctx.fetch(file, bound(meta.length, ctx.limits.snapshotMaxBytes), false);
  await checkMetaFile(bytes, meta, file, 'timestamp.json');
  const fresh = parseEnvelope('snapshot', bytes, file);
  await requireThreshold(fresh, keys, role, file);
  if (fresh.signed.version !== meta.version) throw tufError('TUF_MISMATCH', `${file} is version ${fresh.signed.version}; timestamp.json names version ${meta.version}.`, { file, version: fresh.signed.version, expected: meta.version });
  if (trusted) {
    if (fresh.signed.version < trusted.signed.version) throw tufError('TUF_ROLLBACK', `${file} is version ${fresh.signed.version}; snapshot version ${trusted.signed.version} is already trusted.`, { file });
    for (const [name, old] of trusted.signed.meta) {
      const now = fresh.signed.meta.get(name);
      if (!now) throw tufError('TUF_ROLLBACK', `${file} no longer lists ${name}, which the trusted snapshot lists.`, { file, role: name });
      if (now.version < old.version) throw tufError('TUF_ROLLBACK', `${file} lists ${name} at version ${now.version}; version ${old.version} is already trusted.`, { file, role: name, version: now.version, trusted: old.version });
    }
  }
  if (ctx.start >= fresh.signed.expiresAt) throw tufError('TUF_EXPIRED', `${file} expired at ${fresh.signed.expires}.`, { file, expires: fresh.signed.expires });
  await ctx.store.save('snapshot', bytes);
  return fresh;
}

async function metaMatches(bytes: Uint8Array, meta: { length?: number; hashes?: Record<string, string> }): Promise<boolean> {
  if (meta.length !== undefined && bytes.length !== meta.length) return false;
  return !meta.hashes || (await hashesMatch(bytes, meta.hashes)) !== false;
}

/** A targets role to load: its name and the keys its delegator trusts for it. */
export interface TargetsRoleSpec {
  name: string;
  keys: ReadonlyMap<string, TufKey>;
  role: RoleKeys;
}

/**
 * 5.6: the top-level targets or a delegated targets role at the version the snapshot lists — length
 * and hashes as listed (when given), threshold of the delegator's keys for it, exactly that version,
 * not expired. The stored copy is used when it is that version and still verifies; a download is
 * persisted once verified.
 */
export async function updateTargetsRole(ctx: WorkflowContext, root: TrustedRoot, snapshot: TrustedSnapshot, spec: TargetsRoleSpec): Promise<TrustedTargets> {
  const listed = `${spec.name}.json`;
  const meta = snapshot.signed.meta.get(listed);
  if (!meta) throw tufError('TUF_MISMATCH', `The snapshot (version ${snapshot.signed.version}) does not list ${listed}.`, { role: spec.name });
  const verify = async (bytes: Uint8Array, file: string): Promise<TrustedTargets> => {
    await checkMetaFile(bytes, meta, file, `snapshot version ${snapshot.signed.version}`);
    const env = parseEnvelope('targets', bytes, file);
    await requireThreshold(env, spec.keys, spec.role, file);
    if (env.signed.version !== meta.version) throw tufError('TUF_MISMATCH', `${file} is version ${env.signed.version}; the snapshot lists version ${meta.version}.`, { file, version: env.signed.version, expected: meta.version });
    if (ctx.start >= env.signed.expiresAt) throw tufError('TUF_EXPIRED', `${file} expired at ${env.signed.expires}.`, { file, expires: env.signed.expires });
    return env;
  };
  const stored = await loadStored(ctx.store, spec.name);
  if (stored) {
    try {
      return await verify(stored, `the stored ${spec.name}`);
    } catch (err) {
      if (!isInstallerError(err)) throw err; // an older version (or corrupted): download the listed one
    }
  }
  const name = encodeURIComponent(spec.name);
  const file = root.signed.consistentSnapshot ? `${meta.version}.${name}.json` : `${name}.json`;
  const bytes = await ctx.fetch(file, bound(meta.length, ctx.limits.targetsMaxBytes), false);
  const env = await verify(bytes, file);
  await ctx.store.save(spec.name, bytes);
  return env;
}
