/**
 * TUF 1.0 metadata as the client reads it: strict parsing of the four role types (root, timestamp,
 * snapshot, targets — delegated roles are targets) into plain typed objects, with every map from
 * the wire as a `Map` (names from the network never meet `Object.prototype`). Anything that does
 * not parse is a `TUF_MALFORMED` refusal.
 */
import { canonicalJsonBytes } from './canonical.js';
import { tufError } from './errors.js';

/** The four top-level role names (a delegated role may not take one of them). */
export const TOP_LEVEL_ROLES = ['root', 'timestamp', 'snapshot', 'targets'] as const;

/** A public key as TUF lists it (`keyval.public`; Ed25519 keys carry it in hex). */
export interface TufKey {
  keytype: string;
  scheme: string;
  public: string;
}

/** The key ids and threshold that sign a role. */
export interface RoleKeys {
  keyids: readonly string[];
  threshold: number;
}

/** One entry of `signatures`. */
export interface TufSignature {
  keyid: string;
  sig: string;
}

/** Fields every role has. */
export interface SignedCommon {
  version: number;
  specVersion: string;
  /** `expires` as written. */
  expires: string;
  /** `expires` in ms since the epoch. */
  expiresAt: number;
}

/** root.json `signed`. */
export interface RootSigned extends SignedCommon {
  consistentSnapshot: boolean;
  keys: Map<string, TufKey>;
  roles: Map<string, RoleKeys>;
}

/** A snapshot or timestamp `meta` entry. */
export interface MetaFileInfo {
  version: number;
  length?: number;
  hashes?: Record<string, string>;
}

/** timestamp.json `signed`. */
export interface TimestampSigned extends SignedCommon {
  snapshot: MetaFileInfo;
}

/** snapshot.json `signed`: `meta` by file name (`targets.json`, `bin-3f.json`, …). */
export interface SnapshotSigned extends SignedCommon {
  meta: Map<string, MetaFileInfo>;
}

/** A delegation of a targets role. */
export interface DelegatedRole extends RoleKeys {
  name: string;
  terminating: boolean;
  paths?: readonly string[];
  pathHashPrefixes?: readonly string[];
}

/** A target as a targets role lists it. */
export interface TargetEntry {
  length: number;
  hashes: Record<string, string>;
  custom?: Record<string, unknown>;
}

/** targets.json (or a delegated role) `signed`. */
export interface TargetsSigned extends SignedCommon {
  targets: Map<string, TargetEntry>;
  delegations?: { keys: Map<string, TufKey>; roles: readonly DelegatedRole[] };
}

/** The `signed` type of each role type. */
export interface SignedByType {
  root: RootSigned;
  timestamp: TimestampSigned;
  snapshot: SnapshotSigned;
  targets: TargetsSigned;
}

/** A role type. */
export type RoleType = keyof SignedByType;

/** Parsed, not yet verified metadata: the bytes, the canonical bytes of `signed`, the signatures. */
export interface Envelope<T extends SignedCommon> {
  signed: T;
  signatures: readonly TufSignature[];
  /** Canonical JSON of `signed` (what the signatures cover). */
  canonical: Uint8Array;
  /** The file as received. */
  bytes: Uint8Array;
}

type Json = Record<string, unknown>;

class Malformed extends Error {}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isCount = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

function need(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Malformed(what);
}

/**
 * Parses metadata bytes of role type `type` (`what` names the file in messages). Throws
 * `TUF_MALFORMED` for invalid UTF-8 or JSON, a wrong `_type`, an unsupported spec version, or any
 * field of the wrong shape.
 */
export function parseEnvelope<K extends RoleType>(type: K, bytes: Uint8Array, what: string): Envelope<SignedByType[K]> {
  try {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (err) {
      throw new Malformed(`not JSON (${(err as Error).message})`);
    }
    need(isObject(json), 'not a JSON object');
    const { signed, signatures } = json;
    need(isObject(signed), 'no "signed" object');
    need(Array.isArray(signatures), '"signatures" is not an array');
    const sigs: TufSignature[] = signatures.map((s) => {
      need(isObject(s) && typeof s.keyid === 'string' && typeof s.sig === 'string', 'a signature is not { keyid, sig }');
      return { keyid: s.keyid, sig: s.sig };
    });
    need(signed._type === type, `_type is ${JSON.stringify(signed._type)}, expected "${type}"`);
    let canonical: Uint8Array;
    try {
      canonical = canonicalJsonBytes(signed);
    } catch (err) {
      throw new Malformed(`"signed" is not canonical-JSON encodable (${(err as Error).message})`);
    }
    const parsed = PARSERS[type](signed, common(signed)) as SignedByType[K];
    return { signed: parsed, signatures: sigs, canonical, bytes };
  } catch (err) {
    if (err instanceof Malformed) throw tufError('TUF_MALFORMED', `${what} is not valid TUF ${type} metadata: ${err.message}.`, { file: what });
    throw err;
  }
}

const EXPIRES_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function common(s: Json): SignedCommon {
  need(isCount(s.version, 1), 'version is not an integer ≥ 1');
  need(typeof s.spec_version === 'string', 'spec_version is not a string');
  const spec = s.spec_version.split('.');
  need((spec.length === 2 || spec.length === 3) && spec.every((p) => /^\d+$/.test(p)), `spec_version ${JSON.stringify(s.spec_version)} is not MAJOR.MINOR[.PATCH]`);
  need(spec[0] === '1', `spec_version ${s.spec_version} is not 1.x`);
  need(typeof s.expires === 'string' && EXPIRES_RE.test(s.expires), 'expires is not a UTC date (YYYY-MM-DDTHH:MM:SSZ)');
  const expiresAt = Date.parse(s.expires);
  need(Number.isFinite(expiresAt), `expires ${s.expires} is not a date`);
  return { version: s.version, specVersion: s.spec_version, expires: s.expires, expiresAt };
}

function entries(v: unknown, what: string): Array<[string, unknown]> {
  need(isObject(v), `${what} is not an object`);
  return Object.entries(v);
}

function parseKeys(v: unknown, what: string): Map<string, TufKey> {
  const keys = new Map<string, TufKey>();
  for (const [id, k] of entries(v, what)) {
    need(isObject(k) && typeof k.keytype === 'string' && typeof k.scheme === 'string' && isObject(k.keyval), `key ${id} is not { keytype, scheme, keyval }`);
    // A key of another type may have no string `public`; it simply never verifies.
    keys.set(id, { keytype: k.keytype, scheme: k.scheme, public: typeof k.keyval.public === 'string' ? k.keyval.public : '' });
  }
  return keys;
}

function parseRoleKeys(v: unknown, what: string): RoleKeys {
  need(isObject(v) && isStringArray(v.keyids), `${what}: keyids is not an array of strings`);
  need(new Set(v.keyids).size === v.keyids.length, `${what}: duplicate key ids`);
  need(isCount(v.threshold, 1), `${what}: threshold is not an integer ≥ 1`);
  return { keyids: [...v.keyids], threshold: v.threshold };
}

function parseHashes(v: unknown, what: string): Record<string, string> {
  const list = entries(v, what);
  need(list.every(([, h]) => typeof h === 'string'), `${what} has a non-string hash`);
  return Object.fromEntries(list) as Record<string, string>;
}

function parseMetaFile(v: unknown, what: string): MetaFileInfo {
  need(isObject(v) && isCount(v.version, 1), `${what}: version is not an integer ≥ 1`);
  const out: MetaFileInfo = { version: v.version };
  if (v.length !== undefined) {
    need(isCount(v.length, 0), `${what}: length is not an integer ≥ 0`);
    out.length = v.length;
  }
  if (v.hashes !== undefined) {
    out.hashes = parseHashes(v.hashes, `${what}: hashes`);
    need(Object.keys(out.hashes).length > 0, `${what}: hashes is empty`);
  }
  return out;
}

function parseRoot(s: Json, c: SignedCommon): RootSigned {
  need(typeof s.consistent_snapshot === 'boolean' || s.consistent_snapshot === undefined, 'consistent_snapshot is not a boolean');
  const keys = parseKeys(s.keys, 'keys');
  const roles = new Map<string, RoleKeys>();
  for (const [name, r] of entries(s.roles, 'roles')) roles.set(name, parseRoleKeys(r, `role ${name}`));
  for (const name of TOP_LEVEL_ROLES) need(roles.has(name), `roles has no ${name}`);
  return { ...c, consistentSnapshot: s.consistent_snapshot === true, keys, roles };
}

function parseTimestamp(s: Json, c: SignedCommon): TimestampSigned {
  const meta = entries(s.meta, 'meta');
  need(meta.length === 1 && meta[0]![0] === 'snapshot.json', 'meta does not list exactly snapshot.json');
  return { ...c, snapshot: parseMetaFile(meta[0]![1], 'meta snapshot.json') };
}

function parseSnapshot(s: Json, c: SignedCommon): SnapshotSigned {
  const meta = new Map<string, MetaFileInfo>();
  for (const [file, m] of entries(s.meta, 'meta')) meta.set(file, parseMetaFile(m, `meta ${file}`));
  return { ...c, meta };
}

function parseTargets(s: Json, c: SignedCommon): TargetsSigned {
  const targets = new Map<string, TargetEntry>();
  for (const [path, t] of entries(s.targets, 'targets')) {
    need(isObject(t) && isCount(t.length, 0), `target ${path}: length is not an integer ≥ 0`);
    const hashes = parseHashes(t.hashes, `target ${path}: hashes`);
    need(Object.keys(hashes).length > 0, `target ${path}: hashes is empty`);
    need(t.custom === undefined || isObject(t.custom), `target ${path}: custom is not an object`);
    targets.set(path, { length: t.length, hashes, ...(t.custom !== undefined ? { custom: t.custom as Record<string, unknown> } : {}) });
  }
  if (s.delegations === undefined) return { ...c, targets };
  need(isObject(s.delegations), 'delegations is not an object');
  const d = s.delegations;
  const keys = parseKeys(d.keys, 'delegations.keys');
  // `succinct_roles` (TAP 15) is not supported: such a delegation delegates nothing here.
  need(d.roles === undefined || Array.isArray(d.roles), 'delegations.roles is not an array');
  const names = new Set<string>();
  const roles: DelegatedRole[] = ((d.roles as unknown[] | undefined) ?? []).map((r, i) => {
    need(isObject(r) && typeof r.name === 'string' && r.name.length > 0, `delegated role #${i} has no name`);
    const name = r.name;
    need(!(TOP_LEVEL_ROLES as readonly string[]).includes(name), `delegated role ${name} has a top-level role name`);
    need(!names.has(name), `delegated role ${name} is listed twice`);
    names.add(name);
    const keyed = parseRoleKeys(r, `delegated role ${name}`);
    need(typeof r.terminating === 'boolean', `delegated role ${name}: terminating is not a boolean`);
    need(r.paths === undefined || isStringArray(r.paths), `delegated role ${name}: paths is not an array of strings`);
    need(r.path_hash_prefixes === undefined || isStringArray(r.path_hash_prefixes), `delegated role ${name}: path_hash_prefixes is not an array of strings`);
    need(r.paths === undefined || r.path_hash_prefixes === undefined, `delegated role ${name} has both paths and path_hash_prefixes`);
    return {
      name,
      ...keyed,
      terminating: r.terminating,
      ...(r.paths !== undefined ? { paths: [...(r.paths as string[])] } : {}),
      ...(r.path_hash_prefixes !== undefined ? { pathHashPrefixes: [...(r.path_hash_prefixes as string[])] } : {}),
    };
  });
  return { ...c, targets, delegations: { keys, roles } };
}

const PARSERS: { [K in RoleType]: (s: Json, c: SignedCommon) => SignedByType[K] } = {
  root: parseRoot,
  timestamp: parseTimestamp,
  snapshot: parseSnapshot,
  targets: parseTargets,
};
