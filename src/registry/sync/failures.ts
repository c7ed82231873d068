/**
 * What a failed push is, as the outbox records it: the adapter's {@link PushFailure} when it
 * rejected with one, a push deadline, or anything else (treated as a transient failure).
 */
import type { PushFailure } from '../../listings/partners/adapter.js';

/** The `last_error` of an outbox row: the partner's error and when it happened. */
export interface SyncError extends PushFailure {
  /** The attempt that failed (1-based). */
  attempt: number;
  /** ISO time of the failure. */
  at: string;
  /** The findings that refused the listing (code LISTING_REFUSED). */
  findings?: unknown[];
}

/** Longest partner error body kept in a dead letter. */
export const MAX_DETAIL = 2000;

/** Normalizes what `push` rejected with (or a deadline) into a {@link PushFailure}. */
export function toFailure(err: unknown, deadline: AbortSignal): PushFailure {
  const e = err as Partial<PushFailure> & { name?: string; message?: string };
  if (e && typeof e === 'object' && typeof e.retryable === 'boolean' && typeof e.code === 'string') {
    return {
      code: e.code,
      message: String(e.message ?? e.code),
      retryable: e.retryable,
      ...(typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) ? { retryAfterMs: e.retryAfterMs } : {}),
      ...(typeof e.status === 'number' ? { status: e.status } : {}),
      ...(typeof e.detail === 'string' ? { detail: e.detail.slice(0, MAX_DETAIL) } : {}),
    };
  }
  if (deadline.aborted || e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return { code: 'PUSH_TIMEOUT', message: 'The partner did not answer before the push deadline.', retryable: true };
  }
  return { code: 'PUSH_FAILED', message: (e?.message ?? String(err)).slice(0, MAX_DETAIL), retryable: true };
}

/** `promise`, or a rejection when `signal` aborts first (an adapter that ignores its signal still meets the deadline). */
export function withDeadline<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('The push deadline passed.', 'TimeoutError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
