/**
 * Why a license token is refused: one stable code per reason (DESIGN §7), a message and what to do.
 */

/** Every code a {@link LicenseError} can carry. */
export const LICENSE_ERROR_CODES = [
  /** Not a compact JWS of three base64url parts with a JSON header and claims (PASETO and JWE too). */
  'LICENSE_MALFORMED',
  /** Signed with an algorithm other than EdDSA (Ed25519): `none`, HS256, RS256, … */
  'LICENSE_UNSUPPORTED_ALGORITHM',
  /** The key id is not one of the keys trusted for this extension. */
  'LICENSE_UNKNOWN_KEY',
  /** The signature does not verify with the trusted key (altered, or signed by another key). */
  'LICENSE_BAD_SIGNATURE',
  /** `exp` has passed. */
  'LICENSE_EXPIRED',
  /** `nbf` is still ahead. */
  'LICENSE_NOT_YET_VALID',
  /** The page's origin is not in `aud`. */
  'LICENSE_WRONG_AUDIENCE',
  /** The token licenses another extension (`ext`). */
  'LICENSE_WRONG_EXTENSION',
  /** The token's `jti` is on the registry's signed revocation list. */
  'LICENSE_REVOKED',
  /** The clock is earlier than the latest time already seen for this origin (it was turned back). */
  'LICENSE_CLOCK_BACK',
] as const;

/** A stable license error code. */
export type LicenseErrorCode = (typeof LICENSE_ERROR_CODES)[number];

/** A refused license token. */
export class LicenseError extends Error {
  override readonly name = 'LicenseError';
  constructor(
    readonly code: LicenseErrorCode,
    message: string,
    readonly suggestion: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The JSON form (`--json`, events). */
  toJSON(): { code: LicenseErrorCode; message: string; suggestion: string } {
    return { code: this.code, message: this.message, suggestion: this.suggestion };
  }
}
