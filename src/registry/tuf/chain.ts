/**
 * Writes the next versions of the metadata chain below root — changed bins, the top-level targets
 * (when its delegations change), snapshot, timestamp — inside the caller's transaction, which must
 * hold the TUF advisory lock. Every version is `max(version) + 1` read from the database.
 */
import { MetadataKind, type Metadata, type MetaFile, type Root, type Snapshot, type Targets } from '@tufjs/models';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import type { BinLayout } from './bins.js';
import { buildBin, buildSnapshot, buildTimestamp, buildTopTargets, rootRoleKeys, type ExpiryPolicy } from './build.js';
import { encodeMetadata, expiresIn, metaFileOf, parseMetadata } from './format.js';
import { signMetadata, type AnyMetadata, type KeyRing } from './keys.js';
import { insertMetadata, latestMetadata, latestVersion, targetsInBin, type StoredMetadata } from './store.js';

/**
 * Parsed metadata by `role@version`, checked against the stored text on every hit. A committed
 * version never changes, but a version read inside a transaction that then failed to commit (e.g.
 * the connection dropped at COMMIT) was never stored, and the same number is then taken by other
 * bytes (another process, or this one's next write): a hit whose text differs is parsed again,
 * never served stale (a stale snapshot would drop targets from the next one).
 */
export class ParseCache {
  private map = new Map<string, { body: string; md: AnyMetadata }>();

  /** The parsed form of a stored version. */
  get<T extends AnyMetadata>(stored: StoredMetadata, kind: MetadataKind): T {
    const key = `${stored.role}@${stored.version}`;
    let hit = this.map.get(key);
    if (!hit || hit.body !== stored.body) {
      hit = { body: stored.body, md: parseMetadata(kind as MetadataKind.Root, stored.body) as AnyMetadata };
      if (this.map.size >= 32) this.map.clear();
      this.map.set(key, hit);
    }
    return hit.md as T;
  }
}

/** What a chain write needs. */
export interface ChainContext {
  tx: Queryable;
  now: Date;
  ring: KeyRing;
  expiry: ExpiryPolicy;
  cache: ParseCache;
}

/** What to re-sign. Snapshot and timestamp follow automatically. */
export interface ChainPlan {
  /** The root in force (its keys sign the top-level roles). */
  root: Metadata<Root>;
  /** Re-sign the top-level targets (its delegations list root's current targets keys); needs `layout`. */
  targets?: boolean;
  layout?: BinLayout;
  /** Bins to re-sign from the current `tuf_targets` rows. */
  bins?: Iterable<string>;
  /** Re-sign snapshot even when no targets metadata changed. */
  snapshot?: boolean;
}

/** New versions written. */
export interface ChainResult {
  targets?: number;
  bins: Record<string, number>;
  snapshot: number;
  timestamp: number;
}

/** The latest stored version of a role, or a `TUF_NOT_INITIALIZED` error. */
export async function requireLatest(tx: Queryable, role: string): Promise<StoredMetadata> {
  const stored = await latestMetadata(tx, role);
  if (!stored) throw new RegistryError(503, 'TUF_NOT_INITIALIZED', `The TUF repository has no ${role} metadata yet.`, 'Start the registry once (TufRepository.init) to create it.');
  return stored;
}

async function store(ctx: ChainContext, role: string, version: number, md: AnyMetadata): Promise<MetaFile> {
  const body = encodeMetadata(md);
  await insertMetadata(ctx.tx, { role, version, body, expires: new Date(md.signed.expires) }, ctx.now);
  return metaFileOf(version, body);
}

/** Writes the plan's new versions; see {@link ChainPlan}. */
export async function writeChain(ctx: ChainContext, plan: ChainPlan): Promise<ChainResult> {
  const { tx, now, ring, expiry } = ctx;
  const written: Record<string, MetaFile> = {};
  const result: ChainResult = { bins: {}, snapshot: 0, timestamp: 0 };
  const bins = [...new Set(plan.bins ?? [])].sort();

  let top: Metadata<Targets> | undefined;
  if (plan.targets) {
    if (!plan.layout) throw new Error('re-signing targets needs the bin layout');
    const keys = rootRoleKeys(plan.root.signed, 'targets');
    const signers = await ring.signers('targets', keys.keyIds, keys.threshold);
    const version = (await latestVersion(tx, 'targets')) + 1;
    top = buildTopTargets(version, expiresIn(now, expiry.targets), plan.layout, keys);
    await signMetadata(top, signers);
    written['targets.json'] = await store(ctx, 'targets', version, top);
    result.targets = version;
  } else if (bins.length > 0) {
    top = ctx.cache.get<Metadata<Targets>>(await requireLatest(tx, 'targets'), MetadataKind.Targets);
  }

  for (const bin of bins) {
    const role = top!.signed.delegations?.roles?.[bin];
    if (!role) throw new Error(`the top-level targets does not delegate to ${bin}`);
    const signers = await ring.signers('targets', role.keyIDs, role.threshold);
    const version = (await latestVersion(tx, bin)) + 1;
    const md = buildBin(version, expiresIn(now, expiry.targets), await targetsInBin(tx, bin));
    await signMetadata(md, signers);
    written[`${bin}.json`] = await store(ctx, bin, version, md);
    result.bins[bin] = version;
  }

  let snapshotMeta: MetaFile;
  if (Object.keys(written).length > 0 || plan.snapshot) {
    const prev = await latestMetadata(tx, 'snapshot');
    const meta: Record<string, MetaFile> = prev ? { ...ctx.cache.get<Metadata<Snapshot>>(prev, MetadataKind.Snapshot).signed.meta } : {};
    Object.assign(meta, written);
    const keys = rootRoleKeys(plan.root.signed, 'snapshot');
    const signers = await ring.signers('snapshot', keys.keyIds, keys.threshold);
    const version = (prev?.version ?? 0) + 1;
    const md = buildSnapshot(version, expiresIn(now, expiry.snapshot), meta);
    await signMetadata(md, signers);
    snapshotMeta = await store(ctx, 'snapshot', version, md);
    result.snapshot = version;
  } else {
    const prev = await requireLatest(tx, 'snapshot');
    snapshotMeta = metaFileOf(prev.version, prev.body);
    result.snapshot = prev.version;
  }

  const keys = rootRoleKeys(plan.root.signed, 'timestamp');
  const signers = await ring.signers('timestamp', keys.keyIds, keys.threshold);
  const version = (await latestVersion(tx, 'timestamp')) + 1;
  const ts = buildTimestamp(version, expiresIn(now, expiry.timestamp), snapshotMeta);
  await signMetadata(ts, signers);
  await store(ctx, 'timestamp', version, ts);
  result.timestamp = version;
  return result;
}
