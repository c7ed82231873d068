/**
 * Digests in the forms the supply-chain formats use: lowercase hex (in-toto `digest`, CycloneDX
 * `hashes`) and Subresource Integrity strings (`sha384-…`). WebCrypto only: browsers and Node.
 */
import { toBase64 } from '../extensions/signing/encoding.js';

/** The algorithms the kit computes, by their WebCrypto names. */
export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** The raw digest of `bytes`. */
export async function digest(algorithm: DigestAlgorithm, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>));
}

/** Lowercase hex of a byte string. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Lowercase hex SHA-256 / SHA-384 / SHA-512 of `bytes`. */
export async function hexDigest(algorithm: DigestAlgorithm, bytes: Uint8Array): Promise<string> {
  return toHex(await digest(algorithm, bytes));
}

/** The Subresource Integrity value of `bytes`: `sha384-` + base64 of the SHA-384 digest. */
export async function sriSha384(bytes: Uint8Array): Promise<string> {
  return `sha384-${toBase64(await digest('SHA-384', bytes))}`;
}

/** Constant-shape comparison of two hex strings (case-insensitive). */
export function sameHex(a: string | undefined, b: string | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.length === b.length && a.toLowerCase() === b.toLowerCase();
}
