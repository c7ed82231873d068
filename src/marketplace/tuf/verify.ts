/**
 * The client's checks: signature thresholds over the canonical JSON of `signed` (Ed25519 through
 * the kit's own `verifyEd25519`), and lengths + hashes of downloaded bytes (`crypto.subtle.digest`).
 */
import { verifyEd25519, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { toBase64Url } from '../../extensions/signing/encoding.js';
import { tufError } from './errors.js';
import type { Envelope, MetaFileInfo, RoleKeys, SignedCommon, TufKey } from './metadata.js';

/** Hash algorithms the client checks (others listed in metadata are ignored). */
export const SUPPORTED_HASHES: Readonly<Record<string, 'SHA-256' | 'SHA-512'>> = Object.freeze({ sha256: 'SHA-256', sha512: 'SHA-512' });

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Bytes of a hex string, or `undefined` when it is not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The public JWK of a TUF Ed25519 key (`keytype` and `scheme` `ed25519`, 32-byte hex key), else `undefined`. */
export function ed25519JwkOf(key: TufKey): Ed25519Jwk | undefined {
  if (key.keytype !== 'ed25519' || key.scheme !== 'ed25519' || !/^[0-9a-fA-F]{64}$/.test(key.public)) return undefined;
  return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(fromHex(key.public)!) };
}

/**
 * How many of the role's keys made a valid signature over `env.canonical`: each key id counts once
 * (however many signatures carry it), only key ids the role lists count, and signatures by keys of an
 * unknown type or scheme are ignored. Stops counting at `stopAt`.
 */
export async function countValidSignatures(env: Envelope<SignedCommon>, keys: ReadonlyMap<string, TufKey>, role: RoleKeys, stopAt = Infinity): Promise<number> {
  let valid = 0;
  for (const keyid of new Set(role.keyids)) {
    if (valid >= stopAt) break;
    const key = keys.get(keyid);
    const jwk = key && ed25519JwkOf(key);
    if (!jwk) continue;
    for (const s of env.signatures) {
      if (s.keyid !== keyid) continue;
      const sig = fromHex(s.sig);
      if (sig && sig.length === 64 && (await verifyEd25519(jwk, env.canonical, sig))) {
        valid++;
        break;
      }
    }
  }
  return valid;
}

/** Throws `TUF_BAD_SIGNATURE` unless a threshold of the role's keys signed `env`. */
export async function requireThreshold(env: Envelope<SignedCommon>, keys: ReadonlyMap<string, TufKey>, role: RoleKeys, what: string): Promise<void> {
  const valid = await countValidSignatures(env, keys, role, role.threshold);
  if (valid < role.threshold) {
    throw tufError('TUF_BAD_SIGNATURE', `${what} is signed by ${valid} of the keys trusted for it; ${role.threshold} needed.`, { file: what, valid, threshold: role.threshold });
  }
}

/** Lowercase hex digest of `bytes` with a supported algorithm name (`sha256`, `sha512`). */
export async function digestHex(algorithm: string, bytes: Uint8Array): Promise<string> {
  const name = SUPPORTED_HASHES[algorithm];
  if (!name || !Object.prototype.hasOwnProperty.call(SUPPORTED_HASHES, algorithm)) throw new TypeError(`unsupported hash ${algorithm}`);
  return toHex(new Uint8Array(await crypto.subtle.digest(name, bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * Whether `bytes` match every supported hash in `hashes`; `undefined` when `hashes` lists no
 * supported algorithm at all (nothing could be checked).
 */
export async function hashesMatch(bytes: Uint8Array, hashes: Readonly<Record<string, string>>): Promise<boolean | undefined> {
  let checked = 0;
  for (const [algorithm, expected] of Object.entries(hashes)) {
    if (!Object.prototype.hasOwnProperty.call(SUPPORTED_HASHES, algorithm)) continue;
    checked++;
    if ((await digestHex(algorithm, bytes)) !== expected.toLowerCase()) return false;
  }
  return checked === 0 ? undefined : true;
}

/**
 * Checks metadata bytes against the `meta` entry that lists them (length and hashes, when given):
 * `TUF_MISMATCH` otherwise (mix-and-match: bytes the level above did not sign for).
 */
export async function checkMetaFile(bytes: Uint8Array, info: MetaFileInfo, what: string, listedBy: string): Promise<void> {
  if (info.length !== undefined && bytes.length !== info.length) {
    throw tufError('TUF_MISMATCH', `${what} is ${bytes.length} bytes; ${listedBy} lists ${info.length}.`, { file: what, length: bytes.length, expected: info.length });
  }
  if (info.hashes) {
    const ok = await hashesMatch(bytes, info.hashes);
    if (ok === false) throw tufError('TUF_MISMATCH', `${what} does not have the hash ${listedBy} lists for it.`, { file: what });
  }
}
