/**
 * Per-provider budgets: a token bucket of requests and one of tokens per minute, refilled
 * continuously. A request takes one request and its estimated tokens up front; when the provider
 * reports usage, the difference is settled, so the bucket follows what was really spent.
 */
import type { BudgetLimit } from './types.js';

interface Bucket {
  requests: number;
  tokens: number;
  at: number;
}

/** The budget buckets of one router. */
export class Budgets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: Record<string, BudgetLimit>,
    private readonly now: () => number,
  ) {}

  private bucket(key: string): { bucket: Bucket; limit: BudgetLimit } | undefined {
    const limit = this.limits[key];
    if (!limit) return undefined;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { requests: limit.requestsPerMinute ?? 0, tokens: limit.tokensPerMinute ?? 0, at: t }));
    const minutes = (t - b.at) / 60_000;
    if (limit.requestsPerMinute) b.requests = Math.min(limit.requestsPerMinute, b.requests + minutes * limit.requestsPerMinute);
    if (limit.tokensPerMinute) b.tokens = Math.min(limit.tokensPerMinute, b.tokens + minutes * limit.tokensPerMinute);
    b.at = t;
    return { bucket: b, limit };
  }

  /** 0 when the bucket can take the request now, else the ms until it can. */
  waitMs(key: string, estimatedTokens: number): number {
    const found = this.bucket(key);
    if (!found) return 0;
    const { bucket, limit } = found;
    let wait = 0;
    if (limit.requestsPerMinute && bucket.requests < 1) wait = Math.max(wait, ((1 - bucket.requests) / limit.requestsPerMinute) * 60_000);
    if (limit.tokensPerMinute) {
      const need = Math.min(estimatedTokens, limit.tokensPerMinute);
      if (bucket.tokens < need) wait = Math.max(wait, ((need - bucket.tokens) / limit.tokensPerMinute) * 60_000);
    }
    return Math.ceil(wait);
  }

  /** Takes one request and the estimated tokens. */
  take(key: string, estimatedTokens: number): void {
    const found = this.bucket(key);
    if (!found) return;
    if (found.limit.requestsPerMinute) found.bucket.requests -= 1;
    if (found.limit.tokensPerMinute) found.bucket.tokens -= estimatedTokens;
  }

  /** Settles the difference between the reported and the estimated tokens. */
  settle(key: string, estimatedTokens: number, reportedTokens: number): void {
    const found = this.bucket(key);
    if (found?.limit.tokensPerMinute) found.bucket.tokens -= reportedTokens - estimatedTokens;
  }
}

/** A rough token count of a request (4 characters a token), used before the provider reports one. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? '').length / 4);
}
