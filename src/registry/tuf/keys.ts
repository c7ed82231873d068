/**
 * The repository's Ed25519 keys: private JWK files in a key directory (`root.jwk`, `targets.jwk`,
 * `snapshot.jwk`, `timestamp.jwk`, mode 0600), their TUF key objects and key ids, and signing.
 *
 * The directory is a key ring: every private `*.jwk` file in it is loaded and indexed by its TUF key
 * id, and signing picks the keys the current root (or delegation) lists for a role, whatever the
 * files are called. So keys can be renamed, rotated keys can sit beside the old ones, and root keys
 * can be absent (kept offline): the online roles still sign, only root rotation is refused.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize } from '@tufjs/canonical-json';
import { Key, Signature, type Metadata, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import { generateEd25519, signEd25519, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { fromBase64Url, toBase64Url } from '../../extensions/signing/encoding.js';
import { RegistryError } from '../errors.js';

/** The four top-level TUF roles. */
export const TOP_LEVEL_ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
/** A top-level TUF role. */
export type TopLevelRole = (typeof TOP_LEVEL_ROLES)[number];
/** Roles whose keys the server holds to publish (targets also signs the hashed bins). */
export const ONLINE_ROLES = ['targets', 'snapshot', 'timestamp'] as const;
/** A role signed by the running server. */
export type OnlineRole = (typeof ONLINE_ROLES)[number];

/** Any signed TUF metadata. */
export type AnyMetadata = Metadata<Root | Targets | Snapshot | Timestamp>;

/** A TUF key object as the spec writes it (`keyval.public` is the raw public key in hex). */
export interface TufKeyObject {
  keytype: 'ed25519';
  scheme: 'ed25519';
  keyval: { public: string };
}

/** A private key of the ring. */
export interface RingKey {
  /** TUF key id: SHA-256 (hex) of the canonical JSON of the key object. */
  keyId: string;
  /** The public key as a `@tufjs/models` Key. */
  key: Key;
  /** The private JWK (has `d`). */
  privateJwk: Ed25519Jwk;
  /** The file it was read from or written to. */
  file: string;
}

/** The TUF key object of an Ed25519 JWK (public or private; only `x` is used). */
export function tufKeyObject(jwk: Ed25519Jwk): TufKeyObject {
  const raw = fromBase64Url(jwk.x);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || raw.length !== 32) throw new Error('not an Ed25519 JWK (kty OKP, crv Ed25519, 32-byte x)');
  return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: Buffer.from(raw).toString('hex') } };
}

/** The TUF key id of a key object: SHA-256 (hex) of its canonical JSON. */
export function tufKeyId(key: TufKeyObject | Key): string {
  const json = key instanceof Key ? key.toJSON() : key;
  return createHash('sha256').update(canonicalize(json)).digest('hex');
}

/** The `@tufjs/models` Key (with its key id) of an Ed25519 JWK. */
export function tufKey(jwk: Ed25519Jwk): Key {
  const obj = tufKeyObject(jwk);
  return new Key({ keyID: tufKeyId(obj), keyType: obj.keytype, scheme: obj.scheme, keyVal: { ...obj.keyval } });
}

/** The public JWK of an Ed25519 TUF key (hex `keyval.public`). */
export function publicJwkOf(key: Key): Ed25519Jwk {
  const hex = key.keyVal.public ?? '';
  if (key.keyType !== 'ed25519' || !/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`key ${key.keyID} is not a hex Ed25519 key`);
  return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(Buffer.from(hex, 'hex')) };
}

function isPrivateJwk(value: unknown): value is Ed25519Jwk {
  const jwk = value as Ed25519Jwk | null;
  return !!jwk && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string' && typeof jwk.d === 'string';
}

/** Reads one private JWK file; throws a clear error for anything else. */
export async function readKeyFile(file: string): Promise<RingKey> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not a JSON key file (${(err as Error).message})`);
  }
  if (!isPrivateJwk(parsed)) throw new Error(`${file}: not a private Ed25519 JWK (kty OKP, crv Ed25519, x, d)`);
  const jwk: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x: parsed.x, d: parsed.d };
  if (fromBase64Url(jwk.d!).length !== 32) throw new Error(`${file}: the private part d is not 32 bytes`);
  const key = tufKey(jwk);
  return { keyId: key.keyID, key, privateJwk: jwk, file };
}

/**
 * Writes a private JWK file with mode 0600, never overwriting (`wx`): resolves `false` when the file
 * already exists. Creates the directory (mode 0700) when needed.
 */
export async function writeKeyFile(file: string, jwk: Ed25519Jwk, dir: string): Promise<boolean> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** A new Ed25519 key pair as a ring key (not yet written anywhere; `file` is empty). */
export async function generateRingKey(): Promise<RingKey> {
  const { privateJwk } = await generateEd25519();
  const key = tufKey(privateJwk);
  return { keyId: key.keyID, key, privateJwk, file: '' };
}

/**
 * Creates `<dir>/<role>.jwk` for each role that has none (mode 0600; an existing file is kept, also
 * when another process created it a moment earlier) and returns the key of each role's file.
 */
export async function ensureRoleKeys(dir: string, roles: readonly TopLevelRole[]): Promise<Record<string, RingKey & { created: boolean }>> {
  const out: Record<string, RingKey & { created: boolean }> = {};
  for (const role of roles) {
    const file = join(dir, `${role}.jwk`);
    const fresh = await generateRingKey();
    const created = await writeKeyFile(file, fresh.privateJwk, dir);
    out[role] = created ? { ...fresh, file, created } : { ...(await readKeyFile(file)), created };
  }
  return out;
}

/**
 * `vib3 registry keys init`: creates the missing role key files in `dir` (default: all four roles;
 * pass `roles: ['root']` to make only an offline root key) and reports each role's public key.
 */
export async function keysInit(options: { dir: string; roles?: readonly TopLevelRole[] }): Promise<
  Record<string, { keyId: string; publicJwk: Ed25519Jwk; file: string; created: boolean }>
> {
  const keys = await ensureRoleKeys(options.dir, options.roles ?? TOP_LEVEL_ROLES);
  const out: Record<string, { keyId: string; publicJwk: Ed25519Jwk; file: string; created: boolean }> = {};
  for (const [role, k] of Object.entries(keys)) out[role] = { keyId: k.keyId, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: k.privateJwk.x }, file: k.file, created: k.created };
  return out;
}

/** The private keys found in a key directory, by TUF key id. */
export class KeyRing {
  private keys = new Map<string, RingKey>();
  private loadedMtime = -1;
  /** `*.jwk` files that are not private Ed25519 keys, with the reason. */
  skipped = new Map<string, string>();

  private constructor(readonly dir: string) {}

  /** Loads every private `*.jwk` file of `dir` (a missing directory is an empty ring). */
  static async load(dir: string): Promise<KeyRing> {
    const ring = new KeyRing(dir);
    await ring.reload();
    return ring;
  }

  /** Re-reads the directory (keys added by an operator or another process). */
  async reload(): Promise<void> {
    let names: string[];
    const mtime = await dirMtime(this.dir);
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.jwk')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') names = [];
      else throw err;
    }
    this.loadedMtime = mtime;
    const next = new Map<string, RingKey>();
    const skipped = new Map<string, string>();
    for (const name of names) {
      try {
        const entry = await readKeyFile(join(this.dir, name));
        if (!next.has(entry.keyId) || name === `${basenameRole(name)}.jwk`) next.set(entry.keyId, entry);
      } catch (err) {
        // A public key or a broken file must not take the other keys down; signers() reports it.
        skipped.set(name, (err as Error).message);
      }
    }
    this.keys = next;
    this.skipped = skipped;
  }

  /** Whether the ring holds the private key of `keyId`. */
  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** Adds a key (already written to `entry.file`). */
  add(entry: RingKey): void {
    this.keys.set(entry.keyId, entry);
  }

  /**
   * The ring's keys among `keyIds`, in the order given. Re-reads the directory when it changed (a key
   * file added, removed or renamed: an operator taking the root key offline takes effect at once).
   */
  async find(keyIds: readonly string[]): Promise<RingKey[]> {
    if ((await dirMtime(this.dir)) !== this.loadedMtime) await this.reload();
    return keyIds.flatMap((id) => this.keys.get(id) ?? []);
  }

  /**
   * At least `threshold` keys among `keyIds` (all the ring has of them), or a `TUF_KEYS_MISSING`
   * error naming the role.
   */
  async signers(role: string, keyIds: readonly string[], threshold: number): Promise<RingKey[]> {
    const found = await this.find(keyIds);
    if (found.length < threshold) {
      throw new RegistryError(
        503,
        'TUF_KEYS_MISSING',
        `The ${role} role needs ${threshold} of its keys [${keyIds.map((k) => k.slice(0, 12)).join(', ')}] but the key directory ${this.dir} holds ${found.length}.` +
          [...this.skipped].map(([file, why]) => ` Ignored ${file}: ${why}.`).join(''),
        role === 'root'
          ? 'Root keys are kept offline: sign the new root with `vib3 registry keys sign-root` and import it.'
          : `Copy the ${role} key file(s) of this registry into ${this.dir} (every server process needs the online keys).`,
      );
    }
    return found;
  }

  /**
   * Retires key files after a rotation: removes the files of `retired` keys and renames the files of
   * `promoted` keys to `<role>.jwk` (unless that name still holds a key in use).
   */
  async retire(retired: readonly RingKey[], promoted: ReadonlyArray<{ role: string; key: RingKey }>): Promise<void> {
    for (const key of retired) {
      if (key.file) await rm(key.file, { force: true });
      this.keys.delete(key.keyId);
    }
    for (const { role, key } of promoted) {
      const target = join(this.dir, `${role}.jwk`);
      if (key.file && key.file !== target && !(await exists(target))) {
        await rename(key.file, target);
        this.keys.set(key.keyId, { ...key, file: target });
      }
    }
  }
}

async function dirMtime(dir: string): Promise<number> {
  try {
    return (await stat(dir)).mtimeMs;
  } catch {
    return 0;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function basenameRole(name: string): string {
  return name.slice(0, name.indexOf('.'));
}

/**
 * Signs `md` (canonical JSON of `signed`) with each key, adding one signature per key id and
 * keeping the signatures it already has.
 */
export async function signMetadata(md: AnyMetadata, signers: readonly RingKey[]): Promise<void> {
  const bytes = Buffer.from(canonicalize(md.signed.toJSON()));
  for (const s of signers) {
    const sig = Buffer.from(await signEd25519(s.privateJwk, bytes)).toString('hex');
    md.sign(() => new Signature({ keyID: s.keyId, sig }), true);
  }
}
