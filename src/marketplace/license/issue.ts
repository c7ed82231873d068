/**
 * Issuing a license token (the CLI's `vib3 license issue`, a registry checkout): a compact JWS,
 * EdDSA over the claims of {@link LicenseClaims}, `kid` = the signing key's keyId.
 */
import { importJWK, SignJWT } from 'jose';
import { keyIdOf, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import type { LicenseClaims } from './claims.js';

/** What to license. */
export interface IssueLicenseInput {
  ext: string;
  aud: string[];
  tier: string;
  entitlements?: string[];
  /** The licensee (default `"licensee"`). */
  sub?: string;
  /** Days of validity from `now` (default 365). */
  days?: number;
  /** Valid from (default: now). */
  now?: Date;
  /** The token id (default: random). */
  jti?: string;
}

/** Signs a license token with a private Ed25519 JWK; resolves to the compact JWS. */
export async function issueLicense(privateJwk: Ed25519Jwk, input: IssueLicenseInput): Promise<string> {
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: Omit<LicenseClaims, 'iat'> = {
    sub: input.sub ?? 'licensee',
    aud: input.aud,
    ext: input.ext,
    tier: input.tier,
    entitlements: input.entitlements ?? [],
    nbf: now,
    exp: now + Math.round((input.days ?? 365) * 86_400),
    jti: input.jti ?? crypto.randomUUID(),
  };
  const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d }, 'EdDSA');
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'EdDSA', typ: 'vib3-license+jwt', kid: await keyIdOf(privateJwk) }).setIssuedAt(now).sign(key);
}
