/**
 * Errors thrown by the audit log's building blocks (a verification that finds tampering does not
 * throw: it returns an {@link AuditProblem}, see `verify.ts`).
 */

/**
 * - `AUDIT_MALFORMED`: an entry, record or JSON Lines line is not what the format allows
 *   (`line` says which line of an export).
 * - `AUDIT_CONFLICT`: a store already holds a record with that `seq` (someone appended first).
 * - `AUDIT_STORE_FAILED`: the backing storage failed (IndexedDB unavailable, quota, …).
 */
export type AuditErrorCode = 'AUDIT_MALFORMED' | 'AUDIT_CONFLICT' | 'AUDIT_STORE_FAILED';

/** A coded audit-log error with what to do about it. */
export class AuditError extends Error {
  override readonly name = 'AuditError';

  /**
   * @param code - stable reason
   * @param message - what went wrong
   * @param suggestion - what to do about it
   * @param line - 1-based line of a JSON Lines export, when the error is about one
   */
  constructor(
    readonly code: AuditErrorCode,
    message: string,
    readonly suggestion: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
