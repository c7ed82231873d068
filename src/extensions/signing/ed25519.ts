import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64Url, toBase64Url } from './encoding.js';

/** An Ed25519 key as a JWK (RFC 8037), the format key files use. `d` only in private keys. */
export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d?: string;
  /** The keyId ("ed25519:" + 22 base64url characters). */
  kid?: string;
}

/** Which implementation signs and verifies. */
export type Ed25519Engine = 'webcrypto' | 'noble';

let webcryptoSupport: Promise<boolean> | undefined;

/** Whether WebCrypto in this runtime implements Ed25519 (Chromium 137+, Node 20, Firefox 130+, Safari 17+). */
export function webcryptoHasEd25519(): Promise<boolean> {
  webcryptoSupport ??= (async () => {
    try {
      const subtle = globalThis.crypto?.subtle;
      if (!subtle) return false;
      await subtle.importKey('raw', new Uint8Array(32), { name: 'Ed25519' }, false, ['verify']);
      return true;
    } catch {
      return false;
    }
  })();
  return webcryptoSupport;
}

async function pickEngine(preferred?: Ed25519Engine): Promise<Ed25519Engine> {
  if (preferred) return preferred;
  return (await webcryptoHasEd25519()) ? 'webcrypto' : 'noble';
}

/** Creates a new key pair (private JWK includes the public `x`). */
export async function generateEd25519(engine?: Ed25519Engine): Promise<{ publicJwk: Ed25519Jwk; privateJwk: Ed25519Jwk }> {
  if ((await pickEngine(engine)) === 'webcrypto') {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const priv = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
    return { publicJwk: { kty: 'OKP', crv: 'Ed25519', x: priv.x! }, privateJwk: { kty: 'OKP', crv: 'Ed25519', x: priv.x!, d: priv.d! } };
  }
  const seed = ed25519.utils.randomSecretKey();
  const pub = ed25519.getPublicKey(seed);
  return { publicJwk: { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(pub) }, privateJwk: { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(pub), d: toBase64Url(seed) } };
}

function checkJwk(jwk: Ed25519Jwk, needPrivate: boolean): void {
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || fromBase64Url(jwk.x).length !== 32) {
    throw new Error('not an Ed25519 JWK (kty OKP, crv Ed25519, 32-byte x)');
  }
  if (needPrivate && (typeof jwk.d !== 'string' || fromBase64Url(jwk.d).length !== 32)) throw new Error('the key has no private part (d)');
}

/** Signs `message` with a private JWK; returns the 64-byte signature. */
export async function signEd25519(privateJwk: Ed25519Jwk, message: Uint8Array, engine?: Ed25519Engine): Promise<Uint8Array> {
  checkJwk(privateJwk, true);
  if ((await pickEngine(engine)) === 'webcrypto') {
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d, ext: false }, { name: 'Ed25519' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, message as Uint8Array<ArrayBuffer>));
  }
  return ed25519.sign(message, fromBase64Url(privateJwk.d!));
}

/** Verifies a signature; never throws for a bad signature (returns false). */
export async function verifyEd25519(publicJwk: Ed25519Jwk, message: Uint8Array, signature: Uint8Array, engine?: Ed25519Engine): Promise<boolean> {
  checkJwk(publicJwk, false);
  if (signature.length !== 64) return false;
  if ((await pickEngine(engine)) === 'webcrypto') {
    const key = await crypto.subtle.importKey('raw', fromBase64Url(publicJwk.x) as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>);
  }
  try {
    return ed25519.verify(signature, message, fromBase64Url(publicJwk.x));
  } catch {
    return false;
  }
}

/** keyId = "ed25519:" + the first 22 base64url characters of SHA-256(raw public key). */
export async function keyIdOf(publicJwk: Ed25519Jwk): Promise<string> {
  checkJwk(publicJwk, false);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', fromBase64Url(publicJwk.x) as Uint8Array<ArrayBuffer>));
  return `ed25519:${toBase64Url(digest).slice(0, 22)}`;
}
