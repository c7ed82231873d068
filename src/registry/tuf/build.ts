/**
 * Builders of unsigned TUF metadata with `@tufjs/models` (root, top-level targets with the hashed-bin
 * delegations, a bin, snapshot, timestamp), and the expiry policy of each role.
 */
import { Metadata, Root, Snapshot, TargetFile, Targets, Timestamp, type Key, type MetaFile } from '@tufjs/models';
import { binDelegationsJSON, type BinLayout } from './bins.js';
import type { TopLevelRole } from './keys.js';
import type { TargetRow } from './store.js';

/** Seconds per role: how long a new version is valid (`expiry`) or when it is re-signed (`refreshBefore`). */
export interface ExpiryPolicy {
  root: number;
  /** The top-level targets role and every bin. */
  targets: number;
  snapshot: number;
  timestamp: number;
}

const DAY = 86_400;

/** Lifetimes: root and targets a year, snapshot a week, timestamp a day (short: freeze protection). */
export const DEFAULT_EXPIRY: ExpiryPolicy = { root: 365 * DAY, targets: 365 * DAY, snapshot: 7 * DAY, timestamp: DAY };

/**
 * Re-sign windows: a version is replaced by `refreshTimestamp` once less than this is left
 * (timestamp: half a day of its day; root only when its key is online).
 */
export const DEFAULT_REFRESH_BEFORE: ExpiryPolicy = { root: 30 * DAY, targets: 30 * DAY, snapshot: 3 * DAY, timestamp: DAY / 2 };

/** The expiry category of a role name (bins share the targets policy). */
export function policyKind(role: string): keyof ExpiryPolicy {
  if (role === 'root' || role === 'snapshot' || role === 'timestamp') return role;
  return 'targets';
}

/** Keys and threshold of one top-level role. */
export interface RoleKeys {
  keys: readonly Key[];
  threshold: number;
}

/** The spec version this repository writes. */
export const SPEC_VERSION = '1.0.31';

/** Root metadata (consistent snapshots on) listing each role's keys. */
export function buildRoot(version: number, expires: string, roles: Record<TopLevelRole, RoleKeys>): Metadata<Root> {
  const keys: Record<string, unknown> = {};
  const roleMap: Record<string, unknown> = {};
  for (const [name, r] of Object.entries(roles)) {
    for (const k of r.keys) keys[k.keyID] = k.toJSON();
    roleMap[name] = { keyids: r.keys.map((k) => k.keyID), threshold: r.threshold };
  }
  const signed = { _type: 'root', spec_version: SPEC_VERSION, version, expires, keys, roles: roleMap, consistent_snapshot: true };
  return new Metadata(Root.fromJSON(signed as never));
}

/** The keys a root lists for a role, with its threshold. */
export function rootRoleKeys(root: Root, role: TopLevelRole): RoleKeys & { keyIds: string[] } {
  const r = root.roles[role];
  if (!r) throw new Error(`root has no ${role} role`);
  const keys = r.keyIDs.flatMap((id) => root.keys[id] ?? []);
  return { keys, keyIds: [...r.keyIDs], threshold: r.threshold };
}

/** The top-level targets metadata: no targets of its own, every path delegated to a bin. */
export function buildTopTargets(version: number, expires: string, layout: BinLayout, binKeys: RoleKeys): Metadata<Targets> {
  const signed = {
    _type: 'targets',
    spec_version: SPEC_VERSION,
    version,
    expires,
    targets: {},
    delegations: binDelegationsJSON(layout, binKeys.keys, binKeys.threshold),
  };
  return new Metadata(Targets.fromJSON(signed as never));
}

/** One bin's targets metadata. Hashes list sha256 first: consistent-snapshot clients name files by it. */
export function buildBin(version: number, expires: string, rows: readonly TargetRow[]): Metadata<Targets> {
  const targets: Record<string, TargetFile> = {};
  for (const r of rows) {
    const hashes: Record<string, string> = { sha256: r.sha256 };
    if (r.sha512) hashes.sha512 = r.sha512;
    targets[r.path] = new TargetFile({ path: r.path, length: r.length, hashes, ...(r.custom ? { unrecognizedFields: { custom: r.custom as never } } : {}) });
  }
  return new Metadata(new Targets({ version, expires, specVersion: SPEC_VERSION, targets }));
}

/** Snapshot metadata: `targets.json` first, then the bins by name. */
export function buildSnapshot(version: number, expires: string, meta: Record<string, MetaFile>): Metadata<Snapshot> {
  const ordered: Record<string, MetaFile> = {};
  if (meta['targets.json']) ordered['targets.json'] = meta['targets.json'];
  for (const name of Object.keys(meta).sort()) if (name !== 'targets.json') ordered[name] = meta[name]!;
  return new Metadata(new Snapshot({ version, expires, specVersion: SPEC_VERSION, meta: ordered }));
}

/** Timestamp metadata pointing at one snapshot version (with its length and sha256). */
export function buildTimestamp(version: number, expires: string, snapshotMeta: MetaFile): Metadata<Timestamp> {
  return new Metadata(new Timestamp({ version, expires, specVersion: SPEC_VERSION, snapshotMeta }));
}
