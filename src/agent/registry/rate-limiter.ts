/**
 * Per-tool rate limits: a sliding one-minute window of call times per tool name. The clock is
 * injectable so tests can move it.
 */

/** Counts calls per key within the last minute. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * Records a call of `key` if fewer than `perMinute` happened in the last 60 s and returns 0;
   * otherwise records nothing and returns the milliseconds until the next call is allowed.
   */
  take(key: string, perMinute: number): number {
    const t = this.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => t - at < 60_000);
    if (recent.length >= perMinute) {
      this.calls.set(key, recent);
      return Math.max(1, 60_000 - (t - recent[0]!));
    }
    recent.push(t);
    this.calls.set(key, recent);
    return 0;
  }
}
