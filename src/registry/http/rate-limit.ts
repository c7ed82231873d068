/**
 * Request budgets: a fixed one-minute window per key — by default the client address (the
 * registry's reads and writes budgets), or any key a route derives from the request (the LLM
 * proxy's per-user step budget). Over budget → 429 with `Retry-After` (seconds until the window
 * resets; also `retryAfter` and `retryAfterMs` in the error body).
 *
 * Kept in process memory on purpose: each server process limits what reaches it (behind a load
 * balancer, the limit a client sees is per process), and no request waits on shared state.
 * Hand-written (~50 lines) rather than a package: the available Hono limiters pull in a storage
 * layer we do not need and do not set `Retry-After` the way the API promises.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { RegistryError } from '../errors.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** The budget a request counts against (default: the client address, {@link clientAddress}). */
  key?: (c: Context) => string;
  /** The error code over budget (default `RATE_LIMITED`). */
  code?: string;
  /** The error message over budget (default: too many requests from this client). */
  message?: (perMinute: number) => string;
  /** Clock in ms (tests; default `Date.now`). */
  now?: () => number;
}

/** The request's client address; `unknown` off the Node adapter (tests through `app.request`: one shared budget). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * A fixed-window limiter of `perMinute` requests per key (a number, or a function read on every
 * request so settings can change at run time). `options` may also be just the clock.
 */
export function rateLimit(perMinute: number | (() => number), options: RateLimitOptions | (() => number) = {}): MiddlewareHandler {
  const { key = clientAddress, code = 'RATE_LIMITED', message = (n: number) => `Too many requests from this client (more than ${n} a minute).`, now = Date.now } = typeof options === 'function' ? { now: options } : options;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  return async (c, next) => {
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [k, w] of windows) if (t - w.start >= 60_000) windows.delete(k);
      lastSweep = t;
    }
    const k = key(c);
    let w = windows.get(k);
    if (!w || t - w.start >= 60_000) windows.set(k, (w = { start: t, count: 0 }));
    const limit = typeof perMinute === 'function' ? perMinute() : perMinute;
    if (++w.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
      c.header('Retry-After', String(retryAfter));
      throw new RegistryError(429, code, message(limit), `Retry after ${retryAfter} s.`, { retryAfter, retryAfterMs: retryAfter * 1000, retryable: true });
    }
    await next();
  };
}
