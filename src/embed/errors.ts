/**
 * Coded errors of the embed-snippet generator (browser-safe: the CLI and the demo page share it).
 */

/** Stable codes of {@link EmbedError}. */
export type EmbedErrorCode =
  | 'UNKNOWN_BUILDER'
  | 'UNKNOWN_PARAM'
  | 'INVALID_PARAM'
  | 'UNKNOWN_THEME'
  | 'INVALID_SIZE'
  | 'INVALID_CDN'
  | 'INVALID_INTEGRITY';

/** A refused snippet option: `{ code, message, suggestion }` like every error of the kit. */
export class EmbedError extends Error {
  readonly code: EmbedErrorCode;
  readonly suggestion: string;
  constructor(code: EmbedErrorCode, message: string, suggestion: string) {
    super(message);
    this.name = 'EmbedError';
    this.code = code;
    this.suggestion = suggestion;
  }
}
