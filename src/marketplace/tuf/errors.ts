/**
 * The TUF client's refusals as {@link InstallerError}s, each with the suggestion its code calls for.
 */
import { InstallerError, type InstallerErrorCode } from '../errors.js';

const SUGGESTIONS: Partial<Record<InstallerErrorCode, string>> = {
  TUF_ROOT_INVALID: 'Start from the registry\'s published root (DATA/root.json, also served as /tuf/1.root.json), or reset the stored trusted metadata.',
  TUF_BAD_SIGNATURE: 'The metadata was not signed by the keys the registry\'s root trusts: something between you and the registry altered it, or the registry is misconfigured. Do not install; retry later or contact the registry operators.',
  TUF_ROLLBACK: 'The registry (or a cache or attacker in between) served metadata older than what you already trust. Retry later; if it persists, contact the registry operators.',
  TUF_EXPIRED: 'The registry served expired metadata (a stale cache, a replay, or a registry that stopped re-signing). Retry later and check your clock.',
  TUF_MISMATCH: 'The registry served metadata that does not match what the signed metadata above it lists (mix-and-match). Retry later; if it persists, contact the registry operators.',
  TUF_MALFORMED: 'The registry served something that is not valid TUF metadata. Check the registry URL (…/tuf/).',
  TARGET_NOT_FOUND: 'Check the extension id and version.',
  TARGET_MISMATCH: 'The downloaded bytes are not the ones the registry signed (altered in transit or in storage). Retry; do not install them.',
};

/** An InstallerError of the TUF client with the code's standard suggestion. */
export function tufError(code: InstallerErrorCode, message: string, details: Record<string, unknown> = {}): InstallerError {
  return new InstallerError(code, message, SUGGESTIONS[code] ?? 'Retry later.', details);
}
