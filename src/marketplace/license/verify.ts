/**
 * Verifying a license token offline, in browsers and Node (jose; WebCrypto Ed25519; no eval): a
 * compact JWS signed with EdDSA only, by a key the caller trusts for this extension, for this
 * extension and this origin, inside its validity window, not revoked, on a clock that did not go
 * back. Every refusal is a {@link LicenseError} with its own code.
 */
import { compactVerify, decodeProtectedHeader, importJWK, errors as joseErrors } from 'jose';
import type { TrustedKeys } from '../../extensions/signing/package.js';
import { checkClaims, normalizeOrigin, type LicenseClaims } from './claims.js';
import { CLOCK_TOLERANCE_S, type LicenseClock } from './clock.js';
import { LicenseError } from './errors.js';

/** What a token is verified against. */
export interface VerifyLicenseOptions {
  /** The extension the license must be for. */
  ext: string;
  /** The page (partner) origin the license must name in `aud`. */
  origin: string;
  /** Keys allowed to sign licenses for this extension, by keyId (the publisher's, the registry's). */
  keys: TrustedKeys;
  /** Revoked token ids (the registry's signed revocation list). */
  revoked?: ReadonlySet<string>;
  /** The latest-seen-time guard (default: none). */
  clock?: LicenseClock;
  /** The current time (default: now). */
  now?: Date;
}

/** The longest token accepted (a license is a few hundred bytes). */
const MAX_TOKEN_LENGTH = 8192;
const EDDSA = ['EdDSA', 'Ed25519'];

const malformed = (why: string) => new LicenseError('LICENSE_MALFORMED', `This is not a license token: ${why}.`, 'Paste the whole token the publisher sent (three dot-separated parts).');

/** Verifies `token`; resolves to its claims or rejects with a {@link LicenseError}. */
export async function verifyLicense(token: string, options: VerifyLicenseOptions): Promise<LicenseClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token.trim())) {
    throw malformed('it is not three base64url parts');
  }
  const jws = token.trim();
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jws) as Record<string, unknown>;
  } catch {
    throw malformed('its header is not JSON');
  }
  if (typeof header['alg'] !== 'string' || !EDDSA.includes(header['alg'])) {
    throw new LicenseError('LICENSE_UNSUPPORTED_ALGORITHM', `License tokens are signed with EdDSA (Ed25519) only, not ${JSON.stringify(header['alg'])}.`, 'Refuse it: a genuine license is never signed any other way.', { alg: header['alg'] });
  }
  if (header['crit'] !== undefined) throw malformed('it has critical header extensions');
  const kid = header['kid'];
  if (typeof kid !== 'string') throw malformed('its header names no key (kid)');
  const jwk = options.keys.get(kid);
  if (!jwk) throw new LicenseError('LICENSE_UNKNOWN_KEY', `The license is signed with ${kid}, which is not trusted for ${options.ext}.`, 'Ask the publisher for a license signed with its registered key.', { kid });

  const now = options.now ?? new Date();
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, 'EdDSA');
    // jose checks the signature; the claims (times included) are checked below with our own codes.
    const verified = await compactVerify(jws, key, { algorithms: EDDSA });
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(verified.payload)) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new LicenseError('LICENSE_BAD_SIGNATURE', 'The license token\'s signature does not verify: it was altered or signed by another key.', 'Ask the publisher for a new license token.', { kid });
    throw malformed((err as Error).message ?? 'it could not be decoded');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw malformed('its claims are not a JSON object');
  const claims = checkClaims(payload);
  const origin = normalizeOrigin(options.origin);
  const seconds = Math.floor(now.getTime() / 1000);

  if (claims.ext !== options.ext) throw new LicenseError('LICENSE_WRONG_EXTENSION', `The license is for ${claims.ext}, not ${options.ext}.`, `Use the license bought for ${options.ext}.`, { ext: claims.ext });
  if (!claims.aud.map((a) => safeOrigin(a)).includes(origin)) throw new LicenseError('LICENSE_WRONG_AUDIENCE', `The license is for ${claims.aud.join(', ')}, not ${origin}.`, `Ask the publisher for a license that names ${origin}.`, { aud: claims.aud });
  if (options.revoked?.has(claims.jti)) throw new LicenseError('LICENSE_REVOKED', `The license ${claims.jti} was revoked.`, 'Ask the publisher why, or buy a new license.', { jti: claims.jti });
  if (options.clock) {
    const latest = await options.clock.latest(origin);
    if (latest !== undefined && seconds < latest - CLOCK_TOLERANCE_S) {
      throw new LicenseError('LICENSE_CLOCK_BACK', `This device's clock (${new Date(seconds * 1000).toISOString()}) is earlier than a time already seen here (${new Date(latest * 1000).toISOString()}).`, 'Set the clock right; licenses are checked offline against it.', { latest });
    }
    await options.clock.record(origin, seconds);
  }
  if (seconds < claims.nbf) throw new LicenseError('LICENSE_NOT_YET_VALID', `The license is valid from ${new Date(claims.nbf * 1000).toISOString()}.`, 'Wait until then, or check the clock.', { nbf: claims.nbf });
  if (seconds >= claims.exp) throw new LicenseError('LICENSE_EXPIRED', `The license expired at ${new Date(claims.exp * 1000).toISOString()}.`, 'Renew the license with the publisher.', { exp: claims.exp });
  return claims;
}

function safeOrigin(value: string): string | undefined {
  try {
    return normalizeOrigin(value);
  } catch {
    return undefined;
  }
}
