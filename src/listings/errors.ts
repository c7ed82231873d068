/**
 * Coded errors of the listing modules (docs/LISTINGS.md): a stable code, a message and what to do
 * about it, plus the findings that caused it when there are any. Browser-safe.
 */
import type { ListingFinding } from './types.js';

/** A listing operation that could not be done, e.g. EXPORT_REFUSED when a target has error findings. */
export class ListingError extends Error {
  constructor(
    /** Stable machine-readable code. */
    readonly code: string,
    message: string,
    /** What the user can do about it. */
    readonly suggestion: string,
    /** The findings behind the error, if any. */
    readonly findings: ListingFinding[] = [],
  ) {
    super(message);
    this.name = 'ListingError';
  }
}

/** Whether any finding is an error (the target refuses the listing as it is). */
export function hasErrors(findings: readonly ListingFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
