/** Coded supply-chain failures (DSSE, provenance, SBOM, SRI, releases): `code`, `message`, `suggestion`. */

/** Every code a supply-chain check can fail with. */
export type SupplyChainErrorCode =
  | 'DSSE_MALFORMED'
  | 'DSSE_PAYLOAD_TYPE'
  | 'DSSE_UNKNOWN_KEY'
  | 'DSSE_SIGNATURE_INVALID'
  | 'PROVENANCE_MALFORMED'
  | 'PROVENANCE_SUBJECT_MISMATCH'
  | 'PROVENANCE_REQUIRED'
  | 'BUILDER_NOT_ALLOWED'
  | 'SBOM_MALFORMED'
  | 'SBOM_MISMATCH'
  | 'SBOM_REQUIRED'
  | 'SBOM_INVALID'
  | 'SRI_MISMATCH'
  | 'RELEASE_INCOMPLETE'
  | 'RELEASE_KEY_MISSING'
  | 'RELEASE_FAILED'
  | 'TARBALL_INVALID';

/** A supply-chain check that failed, with what to do about it. */
export class SupplyChainError extends Error {
  readonly code: SupplyChainErrorCode;
  readonly suggestion: string;
  /** The file or artifact the failure is about, when there is one. */
  readonly path?: string;
  constructor(code: SupplyChainErrorCode, message: string, suggestion: string, path?: string) {
    super(message);
    this.name = 'SupplyChainError';
    this.code = code;
    this.suggestion = suggestion;
    if (path !== undefined) this.path = path;
  }
  /** The plain `{ code, message, suggestion, path? }` form (CLI `--json`, HTTP bodies). */
  toJSON(): { code: SupplyChainErrorCode; message: string; suggestion: string; path?: string } {
    return { code: this.code, message: this.message, suggestion: this.suggestion, ...(this.path ? { path: this.path } : {}) };
  }
}
