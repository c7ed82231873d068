/**
 * The LLM layer's coded errors: one {@link LlmError} with a stable `code`, a `message` for a
 * person (secrets scrubbed), a `suggestion`, whether trying again may help, and the server's
 * `Retry-After`. {@link classifyLlmError} turns whatever a provider SDK throws into one.
 */
import { redactor } from './secrets.js';

/** Every stable code of {@link LlmError} (docs/LLM.md "Errors"). */
export const LLM_ERROR_CODES = [
  'LLM_RATE_LIMITED',
  'LLM_OVERLOADED',
  'LLM_SERVER_ERROR',
  'LLM_AUTH_FAILED',
  'LLM_CONTEXT_TOO_LONG',
  'LLM_BAD_REQUEST',
  'LLM_NETWORK',
  'LLM_STREAM_ERROR',
  'LLM_ABORTED',
  'LLM_NO_DEPLOYMENT',
  'LLM_BUDGET_EXHAUSTED',
  'LLM_NOT_CONFIGURED',
  'LLM_MISSING_KEY',
  'LLM_INVALID_CONFIG',
  'LLM_INVALID_POLICY',
  'LLM_MODERATION_BLOCKED',
  'LLM_SPEND_CAP',
  'LLM_MAX_STEPS',
] as const;

/** A stable code of {@link LlmError}. */
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];

/** An error of the LLM layer. Its message never contains a key (it passes the redactor). */
export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly suggestion: string;
  readonly retryable: boolean;
  /** HTTP status of the provider's answer, when there was one. */
  readonly status: number | undefined;
  /** The provider's `Retry-After` (or `retry-after-ms`) in ms. */
  readonly retryAfterMs: number | undefined;
  /** The deployment that failed, when known. */
  deployment: string | undefined;

  constructor(code: LlmErrorCode, message: string, suggestion: string, extra: { retryable?: boolean; status?: number; retryAfterMs?: number; deployment?: string } = {}) {
    super(redactor.redact(message));
    this.name = 'LlmError';
    this.code = code;
    this.suggestion = suggestion;
    this.retryable = extra.retryable ?? false;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
    this.deployment = extra.deployment;
  }

  /** The JSON form sent to pages and printed by the CLI. */
  toJSON(): { code: string; message: string; suggestion: string; retryable: boolean; retryAfterMs?: number } {
    return { code: this.code, message: this.message, suggestion: this.suggestion, retryable: this.retryable, ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}) };
  }
}

/** The one `LLM_ABORTED` error: the caller cancelled (never retried, never a cooldown). */
export function abortedError(deployment?: string): LlmError {
  return new LlmError('LLM_ABORTED', 'The model call was cancelled.', 'Start the session again if you still want an answer.', deployment ? { deployment } : {});
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in ms. */
export function retryAfterMs(headers: Record<string, string | undefined> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const lower: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const ms = Number.parseFloat(lower['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = lower['retry-after'];
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(raw)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

const CONTEXT_PATTERN = /context[_ -]?length|context window|maximum context|too many tokens|prompt is too long|exceeds the context/i;

interface ProviderErrorShape {
  name?: string;
  message?: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  isRetryable?: boolean;
  responseBody?: string;
  data?: unknown;
  cause?: unknown;
}

/** The provider's own error message (from its error body), else the SDK's. */
function providerMessage(e: ProviderErrorShape): string {
  const data = e.data as { error?: { message?: unknown; type?: unknown } } | undefined;
  if (typeof data?.error?.message === 'string') return data.error.message;
  return typeof e.message === 'string' ? e.message : String(e);
}

/** Turns anything a provider SDK throws (or an in-stream `error` part) into an {@link LlmError}. */
export function classifyLlmError(err: unknown, deployment?: string): LlmError {
  if (err instanceof LlmError) {
    if (deployment && !err.deployment) err.deployment = deployment;
    return err;
  }
  const e = (err ?? {}) as ProviderErrorShape;
  const where = deployment ? ` (${deployment})` : '';
  const extra = { ...(deployment ? { deployment } : {}) };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return abortedError(deployment);
  // The AI SDK refusing the request before sending it (a prompt or tool it cannot express): the request's fault, not the provider's.
  if (typeof e.name === 'string' && /^AI_(Invalid|UnsupportedFunctionality|TypeValidation|NoSuchTool|InvalidPrompt)/.test(e.name)) {
    return new LlmError('LLM_BAD_REQUEST', `The request cannot be sent to this model${where}: ${providerMessage(e)}`, 'Check the prompt and the tool schemas for what this provider supports.', extra);
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const message = providerMessage(e);
  const wait = retryAfterMs(e.responseHeaders);
  const http = { ...extra, ...(status !== undefined ? { status } : {}), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  if (status === 429) return new LlmError('LLM_RATE_LIMITED', `The provider rate-limited the request${where}: ${message}`, 'Wait for the Retry-After time, lower the request rate, or add a fallback deployment to the group.', { ...http, retryable: true });
  if (status === 529 || status === 503) return new LlmError('LLM_OVERLOADED', `The provider is overloaded${where}: ${message}`, 'Try again shortly, or add a fallback deployment to the group.', { ...http, retryable: true });
  if (status === 401 || status === 403) return new LlmError('LLM_AUTH_FAILED', `The provider refused the API key${where} (HTTP ${status}).`, 'Check the key in the environment or secret store (docs/LLM.md "Keys").', http);
  if (status !== undefined && (status === 400 || status === 413 || status === 422) && CONTEXT_PATTERN.test(message)) return new LlmError('LLM_CONTEXT_TOO_LONG', `The conversation does not fit the model's context window${where}: ${message}`, 'Configure a context fallback group with a larger model, or shorten the prompt.', http);
  if (status !== undefined && status >= 500) return new LlmError('LLM_SERVER_ERROR', `The provider failed${where} (HTTP ${status}): ${message}`, 'Try again; if it persists, check the provider status page.', { ...http, retryable: true });
  if (status !== undefined && status >= 400) return new LlmError('LLM_BAD_REQUEST', `The provider rejected the request${where} (HTTP ${status}): ${message}`, 'Check the model id and the tool schemas; rerun with VIB3_DEBUG=1 for details.', http);
  const data = e.data as { error?: { type?: unknown; message?: unknown } } | undefined;
  const streamType = typeof data?.error?.type === 'string' ? data.error.type : typeof (err as { type?: unknown })?.type === 'string' ? String((err as { type?: unknown }).type) : undefined;
  if (streamType === 'overloaded_error') return new LlmError('LLM_OVERLOADED', `The provider is overloaded${where}: ${message}`, 'Try again shortly, or add a fallback deployment to the group.', { ...extra, retryable: true });
  if (streamType !== undefined && /^(server_error|api_error|internal_error)$/.test(streamType)) return new LlmError('LLM_SERVER_ERROR', `The provider failed while answering${where}: ${message}`, 'Try again; if it persists, check the provider status page.', { ...extra, retryable: true });
  if (streamType === 'rate_limit_error') return new LlmError('LLM_RATE_LIMITED', `The provider rate-limited the request${where}: ${message}`, 'Wait and try again, or add a fallback deployment.', { ...extra, retryable: true });
  if (e.name === 'AI_APICallError' || /fetch failed|ECONNREFUSED|ECONNRESET|socket|terminated|network/i.test(`${message} ${String((e.cause as Error | undefined)?.message ?? '')}`)) {
    return new LlmError('LLM_NETWORK', `The provider could not be reached or the connection broke${where}: ${message}`, 'Check the base URL and the network; the router retries and falls back where it can.', { ...extra, retryable: true });
  }
  // Anything else is not known to be transient: not retried, and no deployment is cooled down for it.
  return new LlmError('LLM_STREAM_ERROR', `The model's answer could not be read${where}: ${message}`, 'Try again; if it persists, report it with VIB3_DEBUG=1 output.', extra);
}
