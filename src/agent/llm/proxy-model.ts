/**
 * The page's model: a {@link StepModel} that sends each step of an agent session to a host proxy
 * (the registry's `/v1/agent`, or any server speaking the same protocol), so no provider key ever
 * reaches the page. The agent loop and the page's tools stay in the page. Browser-safe: fetch and
 * streams only, no Node modules, no eval.
 *
 * ## Wire protocol (docs/LLM.md "The host proxy")
 *
 * `POST {endpoint}/step` with `Authorization: Bearer <token>` and `Content-Type: application/json`:
 *
 * ```json
 * { "group": "default",
 *   "request": { "prompt": [LanguageModelV3Message…], "tools": [LanguageModelV3FunctionTool…],
 *                "toolChoice": { "type": "auto" }, "maxOutputTokens": 1024 } }
 * ```
 *
 * `group` is optional (default: the server's first group). Prompt messages have the roles
 * `system` (string content), `user` (text parts), `assistant` (text and tool-call parts) and
 * `tool` (tool-result parts with `text`, `error-text`, `json` or `error-json` output); nothing else
 * is accepted. The server drops `providerOptions` and `headers` and clamps `maxOutputTokens`.
 *
 * The answer is `200 application/x-ndjson`: one {@link StepPart} as JSON per line (`text-delta`,
 * `tool-call`, `finish`, `route`, `restart`, …), ending after `finish` + `route`, or with an error
 * line `{ "type": "error", "error": { code, message, suggestion, retryable, retryAfterMs? } }`.
 * Before the stream, failures are HTTP errors with `{ "error": { code, message, suggestion } }`:
 * 401 `UNAUTHORIZED`, 429 `RATE_LIMITED` (with `Retry-After`, per user), 400
 * `INVALID_AGENT_REQUEST`, 413 `PAYLOAD_TOO_LARGE`, 503 `LLM_NOT_CONFIGURED`. Closing the
 * connection (the session's abort signal) aborts the model call on the server.
 *
 * `GET {endpoint}` (same token) answers {@link ProxyStatus}: the groups and the deployments' ids,
 * providers and models, never keys or base URLs.
 *
 * Every failure surfaces as an {@link LlmError}: an `LLM_*` code of the server is kept, the
 * proxy's own codes are mapped (`UNAUTHORIZED` → `LLM_AUTH_FAILED`, `RATE_LIMITED` →
 * `LLM_RATE_LIMITED`, `INVALID_AGENT_REQUEST` → `LLM_BAD_REQUEST`, …), with `retryable` and
 * `retryAfterMs` from the body or the `Retry-After` header.
 */
import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { abortedError, LLM_ERROR_CODES, LlmError, retryAfterMs, type LlmErrorCode } from './errors.js';
import { parseArguments } from './arguments.js';
import type { StepModel, StepPart, StepRequest } from './types.js';

/** Options of {@link proxyModel}. */
export interface ProxyModelOptions {
  /** The proxy's base, e.g. `http://127.0.0.1:4873/v1/agent` (steps go to `${endpoint}/step`). */
  endpoint: string;
  /** Bearer token (an agent token the host issued for its user), or a function returning one (called for every step, so it may refresh). */
  token?: string | (() => string | Promise<string>);
  /** Router group on the server (default: the server's first group). */
  group?: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** What `GET {endpoint}` answers: whether the server has an LLM, and which. */
export interface ProxyStatus {
  configured: boolean;
  groups: string[];
  deployments: { id: string; provider: string; model: string }[];
  /** Why it is not configured and what to do (for the page to show). */
  message?: string;
}

const LLM_CODES = new Set<string>(LLM_ERROR_CODES);

/** The proxy's own codes (and the registry's token codes) as LLM-layer codes. */
const PROXY_CODES: Record<string, LlmErrorCode> = {
  UNAUTHORIZED: 'LLM_AUTH_FAILED',
  TOKEN_REQUIRED: 'LLM_AUTH_FAILED',
  TOKEN_INVALID: 'LLM_AUTH_FAILED',
  TOKEN_EXPIRED: 'LLM_AUTH_FAILED',
  ADMIN_REQUIRED: 'LLM_AUTH_FAILED',
  RATE_LIMITED: 'LLM_RATE_LIMITED',
  INVALID_AGENT_REQUEST: 'LLM_BAD_REQUEST',
  INVALID_JSON: 'LLM_BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'LLM_CONTEXT_TOO_LONG',
  UNSUPPORTED_MEDIA_TYPE: 'LLM_BAD_REQUEST',
  NOT_FOUND: 'LLM_NOT_CONFIGURED',
  INTERNAL: 'LLM_SERVER_ERROR',
};

const RETRYABLE = new Set<LlmErrorCode>(['LLM_RATE_LIMITED', 'LLM_OVERLOADED', 'LLM_SERVER_ERROR', 'LLM_NETWORK', 'LLM_STREAM_ERROR', 'LLM_NO_DEPLOYMENT', 'LLM_BUDGET_EXHAUSTED']);

const DEFAULT_SUGGESTION: Partial<Record<LlmErrorCode, string>> = {
  LLM_AUTH_FAILED: "Check the page's agent token (the host issues it: POST /v1/agent/tokens).",
  LLM_RATE_LIMITED: 'Wait for the Retry-After time, then try again.',
  LLM_NOT_CONFIGURED: 'Check the proxy endpoint, and that the server has an LLM configured (docs/LLM.md "The host proxy").',
};

function codeOf(serverCode: unknown, status: number | undefined): LlmErrorCode {
  if (typeof serverCode === 'string') {
    if (LLM_CODES.has(serverCode)) return serverCode as LlmErrorCode;
    const mapped = PROXY_CODES[serverCode];
    if (mapped) return mapped;
  }
  if (status === undefined) return 'LLM_STREAM_ERROR';
  if (status === 401 || status === 403) return 'LLM_AUTH_FAILED';
  if (status === 429) return 'LLM_RATE_LIMITED';
  if (status === 404) return 'LLM_NOT_CONFIGURED';
  if (status === 413) return 'LLM_CONTEXT_TOO_LONG';
  if (status === 503) return 'LLM_OVERLOADED';
  return status >= 500 ? 'LLM_SERVER_ERROR' : 'LLM_BAD_REQUEST';
}

/** An {@link LlmError} from an error body (`{ error: {…} }`) or an error line's `error`, with the HTTP status and `Retry-After` when there were some. */
function proxyError(raw: unknown, status?: number, headerWait?: number): LlmError {
  const e = (raw && typeof raw === 'object' ? raw : {}) as { code?: unknown; message?: unknown; suggestion?: unknown; retryable?: unknown; retryAfterMs?: unknown; retryAfter?: unknown };
  const code = codeOf(e.code, status);
  const wait = typeof e.retryAfterMs === 'number' ? e.retryAfterMs : typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : headerWait;
  const serverCode = typeof e.code === 'string' && e.code !== code ? ` (${e.code.slice(0, 64)})` : '';
  const message = typeof e.message === 'string' ? `${e.message}${serverCode}` : `The agent proxy answered HTTP ${status ?? '?'}${serverCode}.`;
  const suggestion = typeof e.suggestion === 'string' ? e.suggestion : (DEFAULT_SUGGESTION[code] ?? 'Try again; if it persists, ask the host to check its proxy.');
  return new LlmError(code, message, suggestion, {
    retryable: typeof e.retryable === 'boolean' ? e.retryable : RETRYABLE.has(code),
    ...(status !== undefined ? { status } : {}),
    ...(wait !== undefined && Number.isFinite(wait) && wait >= 0 ? { retryAfterMs: wait } : {}),
  });
}


const isAbort = (err: unknown, signal?: AbortSignal) => signal?.aborted === true || (err as { name?: unknown })?.name === 'AbortError';

const network = (err: unknown, endpoint: string) =>
  new LlmError('LLM_NETWORK', `The agent proxy at ${endpoint} could not be reached or the connection broke: ${err instanceof Error ? err.message : String(err)}`, 'Check the network and the proxy endpoint, then try again.', { retryable: true });

async function headers(options: Pick<ProxyModelOptions, 'token'>, json: boolean): Promise<Record<string, string>> {
  let token: string | undefined;
  try {
    token = typeof options.token === 'function' ? await options.token() : options.token;
  } catch (err) {
    throw new LlmError('LLM_AUTH_FAILED', `The page could not get its agent token: ${err instanceof Error ? err.message : String(err)}`, "Check the host's token endpoint (it issues agent tokens: POST /v1/agent/tokens).");
  }
  return { accept: json ? 'application/json' : 'application/x-ndjson', ...(json ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/** The HTTP error of a non-2xx answer. */
async function httpError(res: Response): Promise<LlmError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const wait = retryAfterMs({ 'retry-after': res.headers.get('retry-after') ?? undefined });
  return proxyError((body as { error?: unknown } | undefined)?.error, res.status, wait);
}

/** The request as the wire carries it: the parts the proxy accepts, without provider options or headers. */
function wireRequest(request: StepRequest): Record<string, unknown> {
  const prompt = request.prompt.map((m): Record<string, unknown> => {
    if (m.role === 'system') return { role: 'system', content: m.content };
    const content = (m.content as { type: string }[]).flatMap((p): Record<string, unknown>[] => {
      const q = p as Record<string, any>;
      if (q.type === 'text') return [{ type: 'text', text: q.text }];
      if (q.type === 'tool-call' && m.role === 'assistant') return [{ type: 'tool-call', toolCallId: q.toolCallId, toolName: q.toolName, input: parseArguments(q.input) ?? {} }];
      if (q.type === 'tool-result' && m.role === 'tool') return [{ type: 'tool-result', toolCallId: q.toolCallId, toolName: q.toolName, output: wireOutput(q.output) }];
      return [];
    });
    return { role: m.role, content };
  });
  const tools = (request.tools ?? []).filter((t): t is LanguageModelV3FunctionTool => t.type === 'function').map((t) => ({ type: 'function', name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema }));
  return { prompt, tools, ...(request.toolChoice ? { toolChoice: request.toolChoice } : {}), ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}) };
}

/** A tool result's output in the four forms the proxy accepts. */
function wireOutput(output: Record<string, any> | undefined): { type: string; value: unknown } {
  const type = output?.type;
  if (type === 'text' || type === 'error-text' || type === 'json' || type === 'error-json') return { type, value: output!.value };
  if (type === 'execution-denied') return { type: 'error-text', value: typeof output!.reason === 'string' ? output!.reason : 'The tool call was denied.' };
  if (type === 'content' && Array.isArray(output!.value)) return { type: 'text', value: (output!.value as { type?: string; text?: string }[]).map((v) => (v.type === 'text' ? v.text : '')).join('\n') };
  return { type: 'text', value: '' };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

async function* streamStep(options: ProxyModelOptions, request: StepRequest, signal?: AbortSignal): AsyncGenerator<StepPart> {
  if (signal?.aborted) throw abortedError();
  const endpoint = trimSlash(options.endpoint);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(`${endpoint}/step`, { method: 'POST', headers: await headers(options, false), body: JSON.stringify({ ...(options.group ? { group: options.group } : {}), request: wireRequest(request) }), ...(signal ? { signal } : {}) });
  } catch (err) {
    throw isAbort(err, signal) ? abortedError() : network(err, endpoint);
  }
  if (!res.ok) throw await httpError(res);
  if (!res.body) throw new LlmError('LLM_STREAM_ERROR', 'The agent proxy answered without a body.', 'Check that the endpoint is a VIB3 agent proxy.', { retryable: true });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let finished = false;
  let ended = false;
  const parse = (line: string): StepPart => {
    let part: { type?: unknown; error?: unknown };
    try {
      part = JSON.parse(line) as { type?: unknown };
    } catch {
      throw new LlmError('LLM_STREAM_ERROR', 'The agent proxy sent a line that is not JSON.', 'Check that the endpoint is a VIB3 agent proxy; try again.', { retryable: true });
    }
    if (part.type === 'error') throw proxyError(part.error);
    if (typeof part.type !== 'string') throw new LlmError('LLM_STREAM_ERROR', 'The agent proxy sent a part without a type.', 'Check that the endpoint is a VIB3 agent proxy.', { retryable: true });
    if (part.type === 'finish') finished = true;
    return part as StepPart;
  };
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw isAbort(err, signal) ? abortedError() : network(err, endpoint);
      }
      if (chunk.done) break;
      buffered += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield parse(line);
      }
    }
    ended = true;
    const rest = (buffered + decoder.decode()).trim();
    if (rest) yield parse(rest);
    if (!finished) throw new LlmError('LLM_NETWORK', 'The answer of the agent proxy ended before it was complete.', 'Try again; if it persists, ask the host to check its proxy.', { retryable: true });
  } finally {
    // Leaving early (an error, or the consumer stopped) closes the connection, which aborts the call upstream.
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * A {@link StepModel} over a host proxy: give it to `runAgentSession` in a page. Each step is one
 * `POST {endpoint}/step`; the session's abort signal closes the connection, which aborts the model
 * call on the server.
 */
export function proxyModel(options: ProxyModelOptions): StepModel {
  return { stream: (request, signal) => streamStep(options, request, signal) };
}

/**
 * What the proxy has configured (`GET {endpoint}`), e.g. to show "no LLM configured" in a chat
 * panel before the first prompt. Rejects with an {@link LlmError} (`LLM_AUTH_FAILED` for a bad
 * token, `LLM_NETWORK` when unreachable, …).
 */
export async function proxyStatus(options: Omit<ProxyModelOptions, 'group'>): Promise<ProxyStatus> {
  const endpoint = trimSlash(options.endpoint);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(endpoint, { method: 'GET', headers: await headers(options, true) });
  } catch (err) {
    throw network(err, endpoint);
  }
  if (!res.ok) throw await httpError(res);
  let body: Partial<ProxyStatus>;
  try {
    body = (await res.json()) as Partial<ProxyStatus>;
  } catch {
    throw new LlmError('LLM_STREAM_ERROR', 'The agent proxy answered its status with something that is not JSON.', 'Check that the endpoint is a VIB3 agent proxy.');
  }
  return {
    configured: body.configured === true,
    groups: Array.isArray(body.groups) ? body.groups.filter((g): g is string => typeof g === 'string') : [],
    deployments: Array.isArray(body.deployments) ? body.deployments.filter((d) => d && typeof d.id === 'string').map((d) => ({ id: d.id, provider: String(d.provider), model: String(d.model) })) : [],
    ...(typeof body.message === 'string' ? { message: body.message } : {}),
  };
}
