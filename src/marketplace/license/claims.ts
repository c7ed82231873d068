/**
 * The claims of a VIB3 license token (DESIGN §7): who is licensed (`sub`), where (`aud`: partner
 * origins), for which extension (`ext`), at which tier with which entitlements, when (`iat`, `nbf`,
 * `exp`, seconds since the epoch), and its id (`jti`, what a revocation names). The signing key is
 * named by the JWS header's `kid` (the publisher's or the registry's keyId).
 */
import { LicenseError } from './errors.js';

/** The claims of a license token. */
export interface LicenseClaims {
  /** The licensee (a customer or account id). */
  sub: string;
  /** Partner origins the license is valid on, e.g. `https://shop.example.com`. */
  aud: string[];
  /** The extension id. */
  ext: string;
  /** The tier bought (the publisher's names, e.g. `pro`). */
  tier: string;
  /** What the tier unlocks (tool names, features). */
  entitlements: string[];
  iat: number;
  nbf: number;
  exp: number;
  /** The token id. */
  jti: string;
}

const malformed = (why: string) => new LicenseError('LICENSE_MALFORMED', `The license token's claims are not valid: ${why}.`, 'Ask the publisher for a new license token.');
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks the shape of decoded claims; LICENSE_MALFORMED with the first problem otherwise. */
export function checkClaims(payload: Record<string, unknown>): LicenseClaims {
  const aud = typeof payload['aud'] === 'string' ? [payload['aud']] : payload['aud'];
  if (typeof payload['sub'] !== 'string' || !payload['sub']) throw malformed('sub must be a non-empty string');
  if (!isStrings(aud) || aud.length === 0) throw malformed('aud must name at least one origin');
  if (typeof payload['ext'] !== 'string' || !payload['ext']) throw malformed('ext must be an extension id');
  if (typeof payload['tier'] !== 'string' || !payload['tier']) throw malformed('tier must be a non-empty string');
  if (!isStrings(payload['entitlements'])) throw malformed('entitlements must be a list of strings');
  for (const k of ['iat', 'nbf', 'exp'] as const) if (!isTime(payload[k])) throw malformed(`${k} must be a time in seconds`);
  if (typeof payload['jti'] !== 'string' || !payload['jti']) throw malformed('jti must be a non-empty string');
  return {
    sub: payload['sub'],
    aud,
    ext: payload['ext'],
    tier: payload['tier'],
    entitlements: payload['entitlements'],
    iat: payload['iat'] as number,
    nbf: payload['nbf'] as number,
    exp: payload['exp'] as number,
    jti: payload['jti'],
  };
}

/** An origin as `aud` names it: scheme, host and port only (`https://shop.example.com`). */
export function normalizeOrigin(origin: string): string {
  try {
    const u = new URL(origin);
    if (u.origin === 'null') throw new Error('opaque');
    return u.origin;
  } catch {
    throw new LicenseError('LICENSE_WRONG_AUDIENCE', `${JSON.stringify(origin)} is not an origin.`, 'Pass the page origin, e.g. https://shop.example.com.');
  }
}
