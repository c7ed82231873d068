/**
 * Hand-built TUF repositories for client tests, made with `@tufjs/models` and signed with real
 * Ed25519 keys: root → targets → delegated roles (`channels` by the path pattern `channels/*.json`,
 * then 16 hashed bins `bin-0` … `bin-f` by one hex digit), snapshot, timestamp; consistent snapshots.
 * Every file the repository serves is a byte string in `files` (`metadata/N.role.json`,
 * `metadata/timestamp.json`, `targets/<dir>/<sha256>.<name>`), so tests can swap, replay or corrupt
 * any of them; `serve()` puts them on a loopback HTTP server.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metadata, Root, Snapshot, Targets, Timestamp } from '@tufjs/models';
import { generateRingKey, signMetadata, type AnyMetadata, type RingKey } from '../../src/registry/tuf/keys.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Uint8Array | string) => createHash('sha512').update(b).digest('hex');
const enc = new TextEncoder();

/** A TUF date `ms` from now (whole seconds). */
export const expiresIn = (ms: number): string => `${new Date(Date.now() + ms).toISOString().slice(0, 19)}Z`;

export type TopRole = 'root' | 'timestamp' | 'snapshot' | 'targets';
export const BINS = [...'0123456789abcdef'].map((h) => `bin-${h}`);
export const DELEGATED = ['channels', ...BINS];

/** The role holding a target path in this layout. */
export function roleOfPath(path: string): string {
  return /^channels\/[^/]*\.json$/.test(path) ? 'channels' : `bin-${sha256(path)[0]}`;
}

type Json = Record<string, any>;

/** A repository under construction; see the module comment. */
export class TestRepo {
  readonly files = new Map<string, Uint8Array>();
  /** Target contents by path. */
  readonly content = new Map<string, { bytes: Uint8Array; custom?: Record<string, unknown> }>();
  /** Current version of every role. */
  readonly versions = new Map<string, number>();
  /** Current bytes of every role (timestamp included). */
  readonly current = new Map<string, Uint8Array>();
  /** Lifetime of new versions per role (ms from now). */
  readonly lifetime: Record<string, number> = { root: 365 * DAY, timestamp: DAY, snapshot: 7 * DAY, targets: 365 * DAY, delegated: 365 * DAY };
  private dirty = new Set<string>(DELEGATED);
  private targetsDirty = true;

  private constructor(
    readonly keys: Record<TopRole | 'delegated', RingKey[]>,
    readonly thresholds: Record<TopRole, number>,
  ) {}

  /** A new repository: root v1 (consistent snapshots), nothing committed yet. */
  static async create(opts: { timestampKeys?: number; timestampThreshold?: number } = {}): Promise<TestRepo> {
    const keys = {
      root: [await generateRingKey()],
      timestamp: await Promise.all(Array.from({ length: opts.timestampKeys ?? 1 }, () => generateRingKey())),
      snapshot: [await generateRingKey()],
      targets: [await generateRingKey()],
      delegated: [await generateRingKey()],
    };
    const repo = new TestRepo(keys, { root: 1, timestamp: opts.timestampThreshold ?? 1, snapshot: 1, targets: 1 });
    const root = repo.rootSigned(1);
    repo.putRoot(await repo.sign(new Metadata(Root.fromJSON(root)), keys.root));
    return repo;
  }

  /** The `signed` object of root `version` listing the current keys and thresholds. */
  rootSigned(version: number, extra: { keys?: Json; roles?: Json } = {}): Json {
    const keys: Json = {};
    const roles: Json = {};
    for (const role of ['root', 'timestamp', 'snapshot', 'targets'] as const) {
      for (const k of this.keys[role]) keys[k.keyId] = k.key.toJSON();
      roles[role] = { keyids: this.keys[role].map((k) => k.keyId), threshold: this.thresholds[role] };
    }
    return { _type: 'root', spec_version: '1.0.31', version, expires: expiresIn(this.lifetime.root!), consistent_snapshot: true, keys: { ...keys, ...extra.keys }, roles: { ...roles, ...extra.roles } };
  }

  /** Signs metadata with `keys` and returns the served bytes (roots pretty-printed, as the registry does). */
  async sign(md: AnyMetadata, keys: readonly RingKey[]): Promise<Uint8Array> {
    await signMetadata(md, keys);
    return enc.encode(md.signed.type === 'root' ? `${JSON.stringify(md.toJSON(), null, 2)}\n` : JSON.stringify(md.toJSON()));
  }

  /** `signed` (a timestamp, snapshot or targets body) as metadata signed by the repository's keys of `role`. */
  async metadata(role: 'timestamp' | 'snapshot' | 'targets' | 'delegated', body: Json): Promise<AnyMetadata> {
    const md = body._type === 'targets' ? new Metadata(Targets.fromJSON(body)) : body._type === 'snapshot' ? new Metadata(Snapshot.fromJSON(body)) : new Metadata(Timestamp.fromJSON(body));
    await signMetadata(md, this.keys[role]);
    return md;
  }

  /** Serves root bytes as `N.root.json` (N from the bytes). */
  putRoot(bytes: Uint8Array): void {
    const version = JSON.parse(new TextDecoder().decode(bytes)).signed.version as number;
    this.files.set(`metadata/${version}.root.json`, bytes);
    this.versions.set('root', Math.max(version, this.versions.get('root') ?? 0));
  }

  /** Bytes of `N.root.json`. */
  root(version = this.versions.get('root')!): Uint8Array {
    return this.files.get(`metadata/${version}.root.json`)!;
  }

  /** Adds or replaces a target (signed at the next commit). */
  addTarget(path: string, data: Uint8Array | string, custom?: Record<string, unknown>): void {
    const bytes = typeof data === 'string' ? enc.encode(data) : data;
    this.content.set(path, { bytes, ...(custom ? { custom } : {}) });
    this.files.set(`targets/${hashedPath(path, sha256(bytes))}`, bytes);
    this.dirty.add(roleOfPath(path));
  }

  /** The `signed` of delegated role `name` at `version` with the current contents. */
  delegatedSigned(name: string, version: number): Json {
    const targets: Json = {};
    for (const [path, { bytes, custom }] of this.content) {
      if (roleOfPath(path) === name) targets[path] = { length: bytes.length, hashes: { sha256: sha256(bytes), sha512: sha512(bytes) }, ...(custom ? { custom } : {}) };
    }
    return { _type: 'targets', spec_version: '1.0.31', version, expires: expiresIn(this.lifetime.delegated!), targets };
  }

  /** The `signed` of the top-level targets at `version`: no targets, the delegations of the layout. */
  targetsSigned(version: number): Json {
    const keyids = this.keys.delegated.map((k) => k.keyId);
    const roles = [
      { name: 'channels', keyids, threshold: 1, terminating: true, paths: ['channels/*.json'] },
      ...BINS.map((name) => ({ name, keyids, threshold: 1, terminating: true, path_hash_prefixes: [name.slice(4)] })),
    ];
    const keys = Object.fromEntries(this.keys.delegated.map((k) => [k.keyId, k.key.toJSON()]));
    return { _type: 'targets', spec_version: '1.0.31', version, expires: expiresIn(this.lifetime.targets!), targets: {}, delegations: { keys, roles } };
  }

  /** A `meta` entry (version, length, sha256) of served bytes. */
  static metaOf(version: number, bytes: Uint8Array): Json {
    return { version, length: bytes.length, hashes: { sha256: sha256(bytes) } };
  }

  /** The snapshot `meta` of the current targets and delegated roles. */
  snapshotMeta(): Json {
    const meta: Json = {};
    for (const role of ['targets', ...DELEGATED]) meta[`${role}.json`] = TestRepo.metaOf(this.versions.get(role)!, this.current.get(role)!);
    return meta;
  }

  /** Signs the next versions of changed delegated roles (and targets at first), then snapshot and timestamp. */
  async commit(): Promise<void> {
    if (this.targetsDirty) {
      const v = (this.versions.get('targets') ?? 0) + 1;
      this.setRole('targets', v, await this.sign(new Metadata(Targets.fromJSON(this.targetsSigned(v))), this.keys.targets));
      this.targetsDirty = false;
    }
    for (const name of [...this.dirty].sort()) {
      const v = (this.versions.get(name) ?? 0) + 1;
      this.setRole(name, v, await this.sign(new Metadata(Targets.fromJSON(this.delegatedSigned(name, v))), this.keys.delegated));
    }
    this.dirty.clear();
    await this.commitSnapshot(this.snapshotMeta());
  }

  /** Signs snapshot N+1 with `meta`, then timestamp M+1 naming it. */
  async commitSnapshot(meta: Json, keys = this.keys.snapshot): Promise<void> {
    const v = (this.versions.get('snapshot') ?? 0) + 1;
    const signed = { _type: 'snapshot', spec_version: '1.0.31', version: v, expires: expiresIn(this.lifetime.snapshot!), meta };
    this.setRole('snapshot', v, await this.sign(new Metadata(Snapshot.fromJSON(signed)), keys));
    await this.commitTimestamp();
  }

  /** Signs timestamp M+1 naming the current snapshot (or `snapshotMeta`), with `keys`. */
  async commitTimestamp(opts: { snapshotMeta?: Json; keys?: readonly RingKey[]; expires?: string } = {}): Promise<Uint8Array> {
    const v = (this.versions.get('timestamp') ?? 0) + 1;
    const snapshotMeta = opts.snapshotMeta ?? TestRepo.metaOf(this.versions.get('snapshot')!, this.current.get('snapshot')!);
    const signed = { _type: 'timestamp', spec_version: '1.0.31', version: v, expires: opts.expires ?? expiresIn(this.lifetime.timestamp!), meta: { 'snapshot.json': snapshotMeta } };
    const bytes = await this.sign(new Metadata(Timestamp.fromJSON(signed)), opts.keys ?? this.keys.timestamp);
    this.setRole('timestamp', v, bytes);
    return bytes;
  }

  /** Makes `bytes` the current version `v` of `role` and serves them. */
  setRole(role: string, version: number, bytes: Uint8Array): void {
    this.versions.set(role, version);
    this.current.set(role, bytes);
    this.files.set(role === 'timestamp' ? 'metadata/timestamp.json' : `metadata/${version}.${role}.json`, bytes);
  }

  /**
   * Root N+1 with new keys for `rotate` roles, signed by `signers` ('both': old and new root keys, as
   * the spec demands; 'old' or 'new' alone for attacks). Returns its bytes (served as N+1.root.json).
   */
  async rotate(rotate: readonly TopRole[], signers: 'both' | 'old' | 'new' = 'both'): Promise<Uint8Array> {
    const old = this.keys.root;
    for (const role of rotate) this.keys[role] = await Promise.all(this.keys[role].map(() => generateRingKey()));
    const version = this.versions.get('root')! + 1;
    const keys = signers === 'both' ? [...old, ...this.keys.root] : signers === 'old' ? old : this.keys.root;
    const bytes = await this.sign(new Metadata(Root.fromJSON(this.rootSigned(version))), keys);
    this.putRoot(bytes);
    if (rotate.includes('targets')) this.targetsDirty = true;
    return bytes;
  }

  /** Serves `files` on loopback: `/metadata/…` and `/targets/…`; 404 for anything else. */
  async serve(): Promise<{ url: string; close(): Promise<void> }> {
    const server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
      const bytes = this.files.get(path);
      if (!bytes) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      res.writeHead(200, { 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())),
    };
  }
}

/** `<dir>/<hash>.<name>` of a target path. */
export function hashedPath(path: string, hash: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? `${path.slice(0, slash + 1)}${hash}.${path.slice(slash + 1)}` : `${hash}.${path}`;
}

/** Parses served metadata bytes into JSON (to edit and re-sign). */
export function jsonOf(bytes: Uint8Array): Json {
  return JSON.parse(new TextDecoder().decode(bytes));
}
