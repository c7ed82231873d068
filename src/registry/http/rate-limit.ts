/**
 * Per-client request budgets: a fixed one-minute window per client address and class (reads,
 * writes). Over budget → 429 with `Retry-After` (seconds until the window resets).
 *
 * Kept in process memory on purpose: each server process limits what reaches it (behind a load
 * balancer, the limit a client sees is per process), and no request waits on shared state.
 * Hand-written (~40 lines) rather than a package: the available Hono limiters pull in a storage
 * layer we do not need and do not set `Retry-After` the way the API promises.
 */
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { RegistryError } from '../errors.js';

/** A fixed-window limiter of `perMinute` requests per client address. */
export function rateLimit(perMinute: number, now: () => number = Date.now): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  return async (c, next) => {
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [key, w] of windows) if (t - w.start >= 60_000) windows.delete(key);
      lastSweep = t;
    }
    let client = 'unknown';
    try {
      client = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // Not on the Node adapter (tests through app.request): one shared budget.
    }
    let w = windows.get(client);
    if (!w || t - w.start >= 60_000) windows.set(client, (w = { start: t, count: 0 }));
    if (++w.count > perMinute) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
      c.header('Retry-After', String(retryAfter));
      throw new RegistryError(429, 'RATE_LIMITED', `Too many requests from this client (more than ${perMinute} a minute).`, `Retry after ${retryAfter} s.`, { retryAfter });
    }
    await next();
  };
}
