/**
 * How a partner push fails, as the sync engine needs to know it: a stable code, whether a retry
 * can help (5xx, 429, timeouts, refused or reset connections) or never will (4xx validation,
 * authentication, a version that exists with other content), the partner's Retry-After, status
 * and (trimmed) error body. Every push adapter throws {@link PushError}; {@link classifyFailure}
 * turns anything else that escaped (a fetch `TypeError`, an `AbortError`, a Node system error)
 * into the same shape.
 */
import type { PushFailure } from '../../../listings/partners/adapter.js';

/** Codes a push can fail with. */
export type PushFailureCode =
  | 'PARTNER_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'REJECTED'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'OUT_OF_DATE'
  | 'INVALID_PREPARED'
  | 'INVALID_CONFIG'
  | 'PUSH_FAILED';

/** A push failure: an `Error` carrying the {@link PushFailure} fields. */
export class PushError extends Error implements PushFailure {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly detail?: string;

  constructor(failure: PushFailure & { code: PushFailureCode | string }) {
    super(failure.message);
    this.name = 'PushError';
    this.code = failure.code;
    this.retryable = failure.retryable;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
    if (failure.status !== undefined) this.status = failure.status;
    if (failure.detail !== undefined) this.detail = failure.detail;
  }

  /** The plain {@link PushFailure} (for dead-letter records and logs). */
  toJSON(): PushFailure {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
    };
  }
}

/** Longest partner error body kept in `detail`. */
export const DETAIL_LIMIT = 2000;

/** `text` cut to {@link DETAIL_LIMIT} characters, with `secret` (a credential) blanked out. */
export function trimDetail(text: string, secret?: string): string {
  const clean = secret ? text.split(secret).join('***') : text;
  return clean.length > DETAIL_LIMIT ? `${clean.slice(0, DETAIL_LIMIT)}…` : clean;
}

/**
 * A `Retry-After` header value in milliseconds: delay-seconds or an HTTP-date (relative to
 * `now`). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The failure an HTTP answer with a non-success `status` means. */
export function httpFailure(
  partner: string,
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  secret?: string,
): PushError {
  const detail = trimDetail(body, secret);
  const base = { status, detail };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    return new PushError({ ...base, code: 'RATE_LIMITED', retryable: true, message: `${partner} rate-limited the push (429)`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  if (status === 408) return new PushError({ ...base, code: 'TIMEOUT', retryable: true, message: `${partner} timed out the request (408)` });
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    return new PushError({ ...base, code: 'PARTNER_UNAVAILABLE', retryable: true, message: `${partner} failed (${status})`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  if (status === 401) return new PushError({ ...base, code: 'UNAUTHORIZED', retryable: false, message: `${partner} refused the credentials (401)` });
  if (status === 403) return new PushError({ ...base, code: 'FORBIDDEN', retryable: false, message: `${partner} does not allow this push (403)` });
  if (status === 404) return new PushError({ ...base, code: 'NOT_FOUND', retryable: false, message: `${partner} has no such resource (404)` });
  if (status === 409) return new PushError({ ...base, code: 'VERSION_CONFLICT', retryable: false, message: `${partner} already holds this version with other content (409)` });
  return new PushError({ ...base, code: 'REJECTED', retryable: false, message: `${partner} rejected the push (${status})` });
}

/** Node / undici error codes of a connection that failed before or while talking: worth a retry. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const errorCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Any error a push raised, as a {@link PushFailure}: a {@link PushError} (or anything already
 * carrying `code` + `retryable`) as it is; aborts and timeouts, refused / reset connections and
 * DNS failures (also inside a fetch `TypeError`'s `cause`) as retryable; anything else as a
 * non-retryable `PUSH_FAILED` (a bug is not fixed by retrying).
 */
export function classifyFailure(err: unknown): PushFailure {
  if (err instanceof PushError) return err.toJSON();
  const shaped = err as Partial<PushFailure> | null;
  if (shaped && typeof shaped.code === 'string' && typeof shaped.retryable === 'boolean' && typeof shaped.message === 'string') {
    return {
      code: shaped.code,
      message: shaped.message,
      retryable: shaped.retryable,
      ...(typeof shaped.retryAfterMs === 'number' ? { retryAfterMs: shaped.retryAfterMs } : {}),
      ...(typeof shaped.status === 'number' ? { status: shaped.status } : {}),
      ...(typeof shaped.detail === 'string' ? { detail: shaped.detail } : {}),
    };
  }
  const name = (err as { name?: unknown } | null)?.name;
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'TimeoutError') return { code: 'TIMEOUT', message: `the partner did not answer in time: ${message}`, retryable: true };
  if (name === 'AbortError') return { code: 'TIMEOUT', message: `the push was aborted before the partner answered: ${message}`, retryable: true };
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = errorCode(e);
    if (code && TIMEOUT_CODES.has(code)) return { code: 'TIMEOUT', message: `the partner did not answer in time (${code})`, retryable: true };
    if (code && NETWORK_CODES.has(code)) return { code: 'NETWORK', message: `could not reach the partner (${code})`, retryable: true };
  }
  return { code: 'PUSH_FAILED', message, retryable: false };
}

/** {@link classifyFailure} as a throwable {@link PushError}. */
export function toPushError(err: unknown): PushError {
  return err instanceof PushError ? err : new PushError(classifyFailure(err));
}
