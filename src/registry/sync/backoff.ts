/**
 * Retry delays: exponential backoff with jitter, never sooner than the partner's Retry-After.
 */

/** How retries are spaced. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Longest Retry-After honoured (a partner asking for more is retried after a day). */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/**
 * The delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed: a random value
 * in [d/2, d] with d = min(maxMs, baseMs · 2^(attempt-1)), raised to `retryAfterMs` when the
 * partner sent one.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const d = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jittered = d / 2 + random() * (d / 2);
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
  return Math.ceil(Math.max(jittered, floor));
}
