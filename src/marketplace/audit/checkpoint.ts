/**
 * Checkpoints: a log keeper (the registry) signs `{ seq, head, at, kid }` — the log's head hash
 * at a point in time — with its Ed25519 key. A verifier holding a checkpoint detects a log that was
 * cut back below `seq` or rewritten up to it, which the chain alone cannot show.
 */
import { canonicalBytes } from '../../extensions/manifest/canonical-json.js';
import { keyIdOf, signEd25519, verifyEd25519, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { fromBase64Url, toBase64Url } from '../../extensions/signing/encoding.js';
import type { TrustedKeys } from '../../extensions/signing/package.js';
import { isHash } from './record.js';

/** A signed statement "record #seq of this log has hash `head`". */
export interface AuditCheckpoint {
  /** The last record's seq (0 for an empty log). */
  seq: number;
  /** Its hash (GENESIS for an empty log). */
  head: string;
  /** When the checkpoint was signed (ISO 8601). */
  at: string;
  /** The signing key's keyId (`ed25519:…`, see `keyIdOf`). */
  kid: string;
  /** base64url Ed25519 signature over `canonicalBytes({ seq, head, at, kid })`. */
  signature: string;
}

/** The bytes a checkpoint's signature covers. */
export function checkpointPayload(cp: Omit<AuditCheckpoint, 'signature'>): Uint8Array {
  return canonicalBytes({ seq: cp.seq, head: cp.head, at: cp.at, kid: cp.kid });
}

/** Whether `cp` has the fields and types of a checkpoint (not whether it verifies). */
export function isCheckpointShape(cp: unknown): cp is AuditCheckpoint {
  if (typeof cp !== 'object' || cp === null) return false;
  const c = cp as Record<string, unknown>;
  return Number.isSafeInteger(c.seq) && (c.seq as number) >= 0 && isHash(c.head) && typeof c.at === 'string' && typeof c.kid === 'string' && typeof c.signature === 'string' && /^[A-Za-z0-9_-]+$/.test(c.signature);
}

/**
 * Signs a checkpoint of `head` (e.g. `{ seq: v.lastSeq, head: v.head }` from a verification, or
 * the last record's `{ seq, hash }`). The kid is computed from the key's public part.
 */
export async function signCheckpoint(privateJwk: Ed25519Jwk, head: { seq: number; head: string }, at: Date = new Date()): Promise<AuditCheckpoint> {
  if (!Number.isSafeInteger(head.seq) || head.seq < 0 || !isHash(head.head)) throw new TypeError('checkpoint head needs an integer seq >= 0 and a 64-hex-digit hash');
  const kid = await keyIdOf({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x });
  const unsigned = { seq: head.seq, head: head.head, at: at.toISOString(), kid };
  const signature = await signEd25519(privateJwk, checkpointPayload(unsigned));
  return { ...unsigned, signature: toBase64Url(signature) };
}

/**
 * Whether `cp` is well formed, its `kid` is in `keys` and the signature verifies with that key.
 * Never throws.
 */
export async function verifyCheckpoint(cp: AuditCheckpoint, keys: TrustedKeys): Promise<boolean> {
  try {
    if (!isCheckpointShape(cp)) return false;
    const key = keys.get(cp.kid);
    if (!key) return false;
    return await verifyEd25519(key, checkpointPayload(cp), fromBase64Url(cp.signature));
  } catch {
    return false;
  }
}
