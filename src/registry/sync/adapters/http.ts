/**
 * One HTTP exchange with a partner for the push adapters: `fetch` bounded by the push's abort
 * signal and a per-request timeout, the whole body read, and every transport failure (refused,
 * reset, timed out) turned into a retryable {@link PushError}. Status codes are left to the
 * caller, which knows which ones are fine (a 404 that means "not there yet", a 409 that means
 * "already there").
 */
import { PushError, toPushError } from './failure.js';

/** Default bound on one request to a partner, in ms (configurable per partner: `timeoutMs`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** A partner's answer. */
export interface PartnerAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** What {@link partnerFetch} sends. */
export interface PartnerRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  /** JSON-serialized when not a string. */
  body?: unknown;
  signal: AbortSignal;
  timeoutMs?: number;
}

/** Sends one request; resolves with any answer, rejects only with a {@link PushError}. */
export async function partnerFetch(url: string, req: PartnerRequest): Promise<PartnerAnswer> {
  const signal = AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)]);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.body !== undefined) {
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  try {
    const res = await fetch(url, { method: req.method, headers, ...(body !== undefined ? { body } : {}), signal, redirect: 'follow' });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    throw toPushError(err);
  }
}

/** The JSON of an answer, or a non-retryable `PUSH_FAILED` naming the partner when it is not JSON. */
export function answerJson<T>(partner: string, answer: PartnerAnswer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new PushError({ code: 'PUSH_FAILED', retryable: false, status: answer.status, message: `${partner} answered ${answer.status} with a body that is not JSON`, detail: answer.text.slice(0, 500) });
  }
}

/** Timeout from a partner config value (`timeoutMs`), or the default. */
export function timeoutOf(value: string | undefined): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_REQUEST_TIMEOUT_MS;
}
