/**
 * DSSE (Dead Simple Signing Envelope, https://github.com/secure-systems-lab/dsse) with Ed25519
 * keys: the envelope in-toto statements travel in. The signature covers PAE(payloadType, payload),
 * so neither the type nor the bytes can be swapped. Browser-safe (WebCrypto or @noble/curves).
 */
import { keyIdOf, signEd25519, verifyEd25519, type Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { fromBase64, toBase64, utf8 } from '../extensions/signing/encoding.js';
import { SupplyChainError } from './errors.js';

/** The payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** One signature of an envelope: the signer's keyId and the base64 Ed25519 signature. */
export interface DsseSignature {
  keyid: string;
  sig: string;
}

/** A DSSE envelope as JSON: `payload` is base64 of the payload bytes. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/** Keys a verifier trusts, by keyId (`ed25519:…`, as `vib3 ext keygen` prints them). */
export type TrustedKeyMap = ReadonlyMap<string, Ed25519Jwk>;

/** The Pre-Authentication Encoding: `DSSEv1 <len type> <type> <len body> <body>` (lengths in bytes, decimal). */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  const head = utf8(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/** Signs `payload` with an Ed25519 private JWK into a one-signature envelope. */
export async function signEnvelope(payloadType: string, payload: Uint8Array, privateJwk: Ed25519Jwk): Promise<DsseEnvelope> {
  const { d: _secret, ...publicJwk } = privateJwk;
  const keyid = await keyIdOf(publicJwk as Ed25519Jwk);
  const sig = await signEd25519(privateJwk, pae(payloadType, payload));
  return { payloadType, payload: toBase64(payload), signatures: [{ keyid, sig: toBase64(sig) }] };
}

/** What {@link openEnvelope} returns when a trusted key's signature verifies. */
export interface OpenedEnvelope {
  payload: Uint8Array;
  payloadType: string;
  /** The keyId whose signature verified. */
  keyId: string;
}

/** Base64 as DSSE allows it: standard or URL-safe alphabet, padding optional. */
function decodeBase64(text: string): Uint8Array {
  return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
}

/**
 * Checks an envelope: the expected payload type and at least one signature by a trusted key that
 * verifies over PAE(type, payload). Throws a {@link SupplyChainError}: `DSSE_MALFORMED`,
 * `DSSE_PAYLOAD_TYPE`, `DSSE_UNKNOWN_KEY` (no signature by a trusted key) or
 * `DSSE_SIGNATURE_INVALID` (a trusted key's signature does not verify).
 */
export async function openEnvelope(envelope: unknown, trusted: TrustedKeyMap, expectedType = IN_TOTO_PAYLOAD_TYPE): Promise<OpenedEnvelope> {
  const env = envelope as Partial<DsseEnvelope> | null;
  if (typeof env !== 'object' || env === null || typeof env.payloadType !== 'string' || typeof env.payload !== 'string' || !Array.isArray(env.signatures) || env.signatures.length === 0) {
    throw new SupplyChainError('DSSE_MALFORMED', 'The envelope is not DSSE JSON ({ payloadType, payload, signatures: [{ keyid, sig }] }).', 'Obtain the statement again; it was damaged or is not a DSSE envelope.');
  }
  if (env.payloadType !== expectedType) {
    throw new SupplyChainError('DSSE_PAYLOAD_TYPE', `The envelope carries ${JSON.stringify(env.payloadType)}, not ${expectedType}.`, 'Pass the in-toto provenance envelope, not another signed document.');
  }
  let payload: Uint8Array;
  try {
    payload = decodeBase64(env.payload);
  } catch {
    throw new SupplyChainError('DSSE_MALFORMED', 'The envelope payload is not base64.', 'Obtain the statement again; it was damaged.');
  }
  const message = pae(env.payloadType, payload);
  let trustedSignatures = 0;
  for (const s of env.signatures) {
    if (typeof s?.keyid !== 'string' || typeof s.sig !== 'string') continue;
    const key = trusted.get(s.keyid);
    if (!key || (await keyIdOf(key)) !== s.keyid) continue;
    trustedSignatures++;
    let sig: Uint8Array;
    try {
      sig = decodeBase64(s.sig);
    } catch {
      continue;
    }
    if (await verifyEd25519(key, message, sig)) return { payload, payloadType: env.payloadType, keyId: s.keyid };
  }
  if (trustedSignatures === 0) {
    const ids = env.signatures.map((s) => String(s?.keyid)).join(', ');
    throw new SupplyChainError('DSSE_UNKNOWN_KEY', `No signature on the envelope is by a trusted key (signed by: ${ids}).`, 'Check the signer out of band and pass its public key with --trust; do not trust a key shipped next to the artifact.');
  }
  throw new SupplyChainError('DSSE_SIGNATURE_INVALID', 'The envelope signature does not verify: the statement or its type changed after signing, or another key signed it.', 'Do not use the artifact; obtain the release or package again from its publisher.');
}
