/**
 * Registry errors: values a client can act on. Every failed request answers
 * `{ "error": { code, message, suggestion } }` with the error's HTTP status.
 */
export class RegistryError extends Error {
  constructor(
    /** HTTP status the error is answered with. */
    readonly status: number,
    /** Stable machine-readable code, e.g. `VERSION_EXISTS`. */
    readonly code: string,
    message: string,
    /** What the caller can do about it. */
    readonly suggestion: string,
    /** Extra fields for the body (e.g. `problems` of a manifest, `retryAfter`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  /** The JSON body of the error response. */
  toBody(): { error: { code: string; message: string; suggestion: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, suggestion: this.suggestion, ...(this.details ?? {}) } };
  }
}
