// POST /v1/chat/completions: OpenAI Chat Completions, and the OpenAI-compatible servers that
// imitate it, each with the quirks of its own source:
//
// 'openai'   platform.openai.com/docs/api-reference/chat-streaming: `chat.completion.chunk`s with
//            `logprobs: null`, `usage: null` on every chunk and a last `choices: []` usage chunk
//            when stream_options.include_usage; the first delta carries the role; a tool call
//            opens with { index, id: call_…, type: "function", function: { name, arguments: "" } }
//            and continues with { index, function: { arguments } }; `data: [DONE]` ends it.
//            Errors { error: { message, type, param, code } }; tool names are checked against
//            ^[a-zA-Z0-9_-]+$ and 64 characters ("Invalid 'tools[0].function.name': …").
// 'ollama'   github.com/ollama/ollama openai/openai.go + middleware/openai.go: id chatcmpl-<0..998>,
//            system_fingerprint "fp_ollama", every delta repeats role "assistant" and content;
//            each tool call arrives whole in one chunk ({ id: call_<8 lowercase>, index, type,
//            function: { name, arguments } }, arguments re-marshalled by Go: keys sorted, <>&
//            escaped), finish_reason "tool_calls" on the closing chunk; the usage chunk only with
//            stream_options.include_usage; errors { error: { message, type: invalid_request_error
//            | not_found_error | api_error, param: null, code: null } }; no tool-name check; a
//            prompt over num_ctx is truncated silently (no context error).
// 'llamacpp' github.com/ggml-org/llama.cpp tools/server/server-task.cpp (+ common/chat.cpp):
//            keys in the server's order (choices first), system_fingerprint = build info, the first
//            delta { role: "assistant", content: null }, content deltas without role, a tool call
//            opens with { index, id: <32 alphanumerics, no prefix>, type, function: { name,
//            arguments: "" } }, the closing chunk has `delta: {}`, the usage chunk (choices: [])
//            only with include_usage and `timings` on the last chunk; errors { error: { code:
//            <http status>, message, type } }, the context error `exceed_context_size_error` with
//            n_prompt_tokens / n_ctx; an in-stream error is `data: {"error":…}` and no [DONE].
// 'vllm'     github.com/vllm-project/vllm entrypoints/openai (serving_chat.py, protocol.py, tool
//            parsers): id chatcmpl-<32 hex>, the first delta { role, content: "" }, a tool call
//            opens with { id: chatcmpl-tool-<32 hex>, type, index, function: { name } } (no
//            arguments key), the closing chunk has `stop_reason: null`; errors { error: { message,
//            type: BadRequestError…, param, code: <http status> } }, but the --api-key middleware
//            answers 401 { error: "Unauthorized" }; an in-stream error is followed by [DONE].
import { randomInt } from 'node:crypto';
import {
  base62,
  dataFrame,
  finishOf,
  fragments,
  hex,
  json,
  lowerAlnum,
  maskKey,
  now,
  openaiNameProblem,
  usageOf,
  type Ctx,
  type Dialect,
  type JsonReply,
} from './common.js';
import type { Flavor, StatusTurn, StreamErrorTurn, TextTurn } from './types.js';

/** An error in the OpenAI API's format. */
export function openaiError(status: number, message: string, type: string, param: string | null = null, code: string | null = null, headers: Record<string, string> = {}): JsonReply {
  return json(status, { error: { message, type, param, code } }, { 'x-request-id': `req_${hex(32)}`, ...headers });
}

/** An HTTP status for an error type named in a scripted stream error. */
export function statusOfType(type: string): number {
  if (/rate_limit|insufficient_quota/.test(type)) return 429;
  if (/overload/.test(type)) return 503;
  if (/auth/.test(type)) return 401;
  if (/not_found/.test(type)) return 404;
  if (/invalid|bad_request|context_length/.test(type)) return 400;
  if (/timeout/.test(type)) return 504;
  return 500;
}

const OLLAMA_TYPE = (status: number) => (status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error');
const LLAMACPP_TYPE: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 501: 'not_supported_error', 503: 'unavailable_error' };
const VLLM_TYPE: Record<number, string> = { 400: 'BadRequestError', 404: 'NotFoundError', 429: 'TooManyRequestsError', 503: 'ServiceUnavailableError' };
const DEFAULT_WINDOW: Record<Flavor, number> = { openai: 128000, ollama: 4096, llamacpp: 4096, vllm: 4096 };
const LLAMACPP_BUILD = 'b6890-8b11deea4';

/** An error in the flavour's format. `type` only where the server lets the cause name it. */
function chatError(ctx: Ctx, status: number, message: string, o: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {}): JsonReply {
  switch (ctx.flavor) {
    case 'ollama':
      return json(status, { error: { message, type: OLLAMA_TYPE(status), param: null, code: null } }, o.headers);
    case 'llamacpp':
      return json(status, { error: { code: status, message, type: o.type ?? LLAMACPP_TYPE[status] ?? 'server_error' } }, o.headers);
    case 'vllm':
      return json(status, { error: { message, type: o.type ?? VLLM_TYPE[status] ?? 'InternalServerError', param: o.param ?? null, code: status } }, o.headers);
    default:
      return openaiError(status, message, o.type ?? 'invalid_request_error', o.param ?? null, o.code ?? null, o.headers);
  }
}

function contextBody(ctx: Ctx): JsonReply {
  const window = ctx.contextWindow ?? DEFAULT_WINDOW[ctx.flavor];
  const tokens = ctx.promptTokens > window ? ctx.promptTokens : window + 1;
  switch (ctx.flavor) {
    case 'ollama':
      return chatError(ctx, 400, 'the input length exceeds the context length');
    case 'llamacpp':
      return json(400, { error: { code: 400, message: `request (${tokens} tokens) exceeds the available context size (${window} tokens), try increasing it`, type: 'exceed_context_size_error', n_prompt_tokens: tokens, n_ctx: window } });
    case 'vllm':
      return chatError(ctx, 400, `This model's maximum context length is ${window} tokens. However, your request has ${tokens} input tokens. Please reduce the length of the input messages.`);
    default:
      return openaiError(400, `This model's maximum context length is ${window} tokens. However, your messages resulted in ${tokens} tokens. Please reduce the length of the messages.`, 'invalid_request_error', 'messages', 'context_length_exceeded');
  }
}

function authBody(ctx: Ctx, sent: string | undefined): JsonReply {
  switch (ctx.flavor) {
    case 'ollama':
      return chatError(ctx, 401, 'unauthorized');
    case 'llamacpp':
      return chatError(ctx, 401, 'Invalid API Key');
    case 'vllm':
      return json(401, { error: 'Unauthorized' });
    default:
      return sent === undefined
        ? openaiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.", 'invalid_request_error')
        : openaiError(401, `Incorrect API key provided: ${maskKey(sent)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
  }
}

/** The bearer token of a request, if any. */
export function bearerOf(ctx: Ctx): string | undefined {
  const header = ctx.req.headers['authorization'];
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/** Go's json.Marshal of a map[string]any: sorted keys, no spaces, <>& and U+2028/9 escaped. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${goJson(k)}:${goJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Ollama parses the model's arguments into a map and marshals them again; text it cannot parse is passed through here. */
function ollamaArguments(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? goJson(parsed) : raw;
  } catch {
    return raw;
  }
}

const toolCallId = (flavor: Flavor) =>
  flavor === 'ollama' ? `call_${lowerAlnum(8)}` : flavor === 'llamacpp' ? base62(32) : flavor === 'vllm' ? `chatcmpl-tool-${hex(32)}` : `call_${base62(24)}`;
const completionId = (flavor: Flavor) =>
  flavor === 'ollama' ? `chatcmpl-${randomInt(999)}` : flavor === 'llamacpp' ? `chatcmpl-${base62(32)}` : flavor === 'vllm' ? `chatcmpl-${hex(32)}` : `chatcmpl-${base62(29)}`;

function usageBody(flavor: Flavor, u: { input: number; output: number }) {
  const total = u.input + u.output;
  if (flavor === 'openai')
    return {
      prompt_tokens: u.input,
      completion_tokens: u.output,
      total_tokens: total,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
  if (flavor === 'llamacpp') return { completion_tokens: u.output, prompt_tokens: u.input, total_tokens: total };
  if (flavor === 'vllm') return { prompt_tokens: u.input, total_tokens: total, completion_tokens: u.output };
  return { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: total };
}

const timings = (u: { input: number; output: number }) => ({
  cache_n: 0,
  prompt_n: u.input,
  prompt_ms: 12.5,
  prompt_per_token_ms: 12.5 / Math.max(1, u.input),
  prompt_per_second: (1000 * u.input) / 12.5,
  predicted_n: u.output,
  predicted_ms: 40,
  predicted_per_token_ms: 40 / Math.max(1, u.output),
  predicted_per_second: (1000 * u.output) / 40,
});

function frames(turn: TextTurn, ctx: Ctx): string[] {
  const { flavor } = ctx;
  const body = ctx.req.body ?? {};
  const includeUsage = body.stream_options?.include_usage === true;
  const obfuscate = flavor === 'openai' && body.stream_options?.include_obfuscation !== false;
  const model = String(body.model ?? '');
  const id = completionId(flavor);
  const created = now();
  const u = usageOf(turn, ctx);
  const text = turn.text ?? '';
  const calls = turn.toolCalls ?? [];
  const finish = finishOf(turn);
  const out: string[] = [];

  // The envelope of one chunk, keys in each server's order.
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => {
    switch (flavor) {
      case 'ollama':
        return dataFrame({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_ollama', choices, ...extra });
      case 'llamacpp':
        return dataFrame({ choices, created, id, model, system_fingerprint: LLAMACPP_BUILD, object: 'chat.completion.chunk', ...extra });
      case 'vllm':
        return dataFrame({ id, object: 'chat.completion.chunk', created, model, choices, ...extra });
      default:
        return dataFrame({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          service_tier: 'default',
          system_fingerprint: 'fp_b1442291a8',
          choices,
          ...(includeUsage ? { usage: null } : {}),
          ...extra,
          ...(obfuscate ? { obfuscation: base62(randomInt(1, 12)) } : {}),
        });
    }
  };
  const choice = (delta: Record<string, unknown>, finish_reason: string | null = null) =>
    flavor === 'ollama'
      ? { index: 0, delta: { role: 'assistant', content: '', ...delta }, finish_reason }
      : flavor === 'llamacpp'
        ? { finish_reason, index: 0, delta }
        : flavor === 'vllm' && finish_reason !== null
          ? { index: 0, delta, logprobs: null, finish_reason, stop_reason: null }
          : { index: 0, delta, logprobs: null, finish_reason };

  if (flavor === 'ollama') {
    for (const f of fragments(text, turn.fragment)) out.push(chunk([choice({ content: f })]));
    if (calls.length > 0)
      out.push(
        chunk([
          choice({
            tool_calls: calls.map((c, index) => ({ id: toolCallId(flavor), index, type: 'function', function: { name: c.name, arguments: ollamaArguments(c.arguments) } })),
          }),
        ]),
      );
    out.push(chunk([choice({}, calls.length > 0 || finish === 'tool_calls' ? 'tool_calls' : finish)]));
  } else {
    // The role comes first: alone (with an empty text) unless the answer opens with a tool call.
    let roleSent = false;
    const role =
      flavor === 'llamacpp' ? { role: 'assistant', content: null } : flavor === 'vllm' ? { role: 'assistant', content: '' } : { role: 'assistant', content: '', refusal: null };
    if (text.length > 0 || calls.length === 0 || flavor !== 'openai') {
      out.push(chunk([choice(role)]));
      roleSent = true;
    }
    for (const f of fragments(text, turn.fragment)) out.push(chunk([choice({ content: f })]));
    calls.forEach((c, index) => {
      const head =
        flavor === 'vllm'
          ? { id: toolCallId(flavor), type: 'function', index, function: { name: c.name } }
          : { index, id: toolCallId(flavor), type: 'function', function: { name: c.name, arguments: '' } };
      out.push(chunk([choice(roleSent ? { tool_calls: [head] } : { role: 'assistant', content: null, tool_calls: [head], refusal: null })]));
      roleSent = true;
      for (const f of fragments(c.arguments, turn.fragment)) out.push(chunk([choice({ tool_calls: [{ index, function: { arguments: f } }] })]));
    });
    out.push(chunk([choice(flavor === 'vllm' ? { content: '' } : {}, finish)]));
  }
  if (includeUsage) {
    const usage = usageBody(flavor, u);
    if (flavor === 'openai') out.push(dataFrame({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_b1442291a8', choices: [], usage, ...(obfuscate ? { obfuscation: base62(randomInt(1, 12)) } : {}) }));
    else out.push(chunk([], { usage }));
  }
  if (flavor === 'llamacpp') {
    // llama-server hangs its timings on the last chunk it sends.
    const last = out.pop()!;
    const value = JSON.parse(last.slice('data: '.length));
    out.push(dataFrame({ ...value, timings: timings(u) }));
  }
  out.push(dataFrame('[DONE]'));
  return out;
}

function completion(turn: TextTurn, ctx: Ctx): JsonReply {
  const { flavor } = ctx;
  const model = String(ctx.req.body?.model ?? '');
  const id = completionId(flavor);
  const created = now();
  const u = usageOf(turn, ctx);
  const text = turn.text ?? '';
  const calls = turn.toolCalls ?? [];
  const usage = usageBody(flavor, u);
  switch (flavor) {
    case 'ollama': {
      const toolCalls = calls.map((c, index) => ({ id: toolCallId(flavor), index, type: 'function', function: { name: c.name, arguments: ollamaArguments(c.arguments) } }));
      const message = { role: 'assistant', content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
      const finish = calls.length > 0 || turn.finish === 'tool_calls' ? 'tool_calls' : finishOf(turn);
      return json(200, { id, object: 'chat.completion', created, model, system_fingerprint: 'fp_ollama', choices: [{ index: 0, message, finish_reason: finish }], usage });
    }
    case 'llamacpp': {
      const toolCalls = calls.map((c) => ({ type: 'function', function: { name: c.name, arguments: c.arguments }, id: toolCallId(flavor) }));
      const message = { role: 'assistant', content: text.length === 0 && calls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
      return json(200, { choices: [{ finish_reason: finishOf(turn), index: 0, message }], created, model, system_fingerprint: LLAMACPP_BUILD, object: 'chat.completion', usage, id, timings: timings(u) });
    }
    case 'vllm': {
      const toolCalls = calls.map((c) => ({ id: toolCallId(flavor), type: 'function', function: { name: c.name, arguments: c.arguments } }));
      const message = { role: 'assistant', content: text.length === 0 && calls.length > 0 ? null : text, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: toolCalls, reasoning_content: null };
      return json(200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(turn), stop_reason: null }],
        service_tier: null,
        system_fingerprint: null,
        usage: { ...usage, prompt_tokens_details: null },
        prompt_logprobs: null,
        kv_transfer_params: null,
      });
    }
    default: {
      const toolCalls = calls.map((c) => ({ id: toolCallId(flavor), type: 'function', function: { name: c.name, arguments: c.arguments } }));
      const message = { role: 'assistant', content: text.length === 0 && calls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}), refusal: null, annotations: [] };
      return json(
        200,
        { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(turn) }], usage, service_tier: 'default', system_fingerprint: 'fp_b1442291a8' },
        { 'x-request-id': `req_${hex(32)}` },
      );
    }
  }
}

function validate(ctx: Ctx): JsonReply | undefined {
  const body = ctx.req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return chatError(ctx, 400, 'Invalid request body: expected a JSON object.');
  const messages = body.messages;
  if (ctx.flavor === 'ollama') return Array.isArray(messages) && messages.length > 0 ? undefined : chatError(ctx, 400, "[] is too short - 'messages'");
  if (ctx.flavor === 'llamacpp') return Array.isArray(messages) ? undefined : chatError(ctx, 400, "'messages' is required");
  if (ctx.flavor === 'vllm') return Array.isArray(messages) ? undefined : chatError(ctx, 400, '1 validation error for ChatCompletionRequest\nmessages\n  Field required');
  if (typeof body.model !== 'string' || body.model.length === 0) return openaiError(400, 'you must provide a model parameter', 'invalid_request_error');
  if (!Array.isArray(messages)) return openaiError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter');
  const tools: unknown[] = Array.isArray(body.tools) ? body.tools : [];
  for (const [i, tool] of tools.entries()) {
    const where = `tools[${i}].function.name`;
    const problem = openaiNameProblem((tool as { function?: { name?: unknown } })?.function?.name, where);
    if (problem) return openaiError(400, problem.message, 'invalid_request_error', where, problem.code);
  }
  for (const [i, message] of (messages as { tool_calls?: unknown }[]).entries()) {
    const calls: unknown[] = Array.isArray(message?.tool_calls) ? message.tool_calls : [];
    for (const [j, call] of calls.entries()) {
      const where = `messages[${i}].tool_calls[${j}].function.name`;
      const problem = openaiNameProblem((call as { function?: { name?: unknown } })?.function?.name, where);
      if (problem) return openaiError(400, problem.message, 'invalid_request_error', where, problem.code);
    }
  }
  return undefined;
}

function statusError(turn: StatusTurn, ctx: Ctx): JsonReply {
  const model = String(ctx.req.body?.model ?? 'gpt-4o');
  const { flavor } = ctx;
  switch (turn.status) {
    case 429: {
      const headers: Record<string, string> = turn.retryAfter === undefined ? {} : { 'retry-after': String(turn.retryAfter) };
      const message =
        turn.message ??
        (flavor === 'openai'
          ? `Rate limit reached for ${model} in organization org-llmfake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${turn.retryAfter ?? 20}s. Visit https://platform.openai.com/account/rate-limits to learn more.`
          : 'Too many requests, please try again later.');
      return flavor === 'openai' ? openaiError(429, message, 'requests', null, 'rate_limit_exceeded', headers) : chatError(ctx, 429, message, { headers });
    }
    case 401:
      return turn.message === undefined ? authBody(ctx, 'sk-wrong') : chatError(ctx, 401, turn.message, { type: flavor === 'openai' ? 'invalid_request_error' : undefined, code: 'invalid_api_key' });
    case 400:
      if (turn.code === 'context_length_exceeded' && turn.message === undefined) return contextBody(ctx);
      return turn.code === 'context_length_exceeded' && flavor === 'openai'
        ? openaiError(400, turn.message!, 'invalid_request_error', 'messages', 'context_length_exceeded')
        : chatError(ctx, 400, turn.message ?? 'Invalid request.', { code: turn.code ?? null });
    case 503: {
      const fallback = { openai: 'The engine is currently overloaded, please try again later', ollama: 'server busy, please try again.  maximum pending requests exceeded', llamacpp: 'Loading model', vllm: 'The server is not ready.' }[flavor];
      return chatError(ctx, 503, turn.message ?? fallback, { type: flavor === 'openai' ? 'server_error' : undefined });
    }
    default:
      return chatError(ctx, turn.status, turn.message ?? (turn.status === 529 ? 'Overloaded' : 'The server had an error while processing your request. Sorry about that!'), {
        type: flavor === 'openai' ? 'server_error' : undefined,
      });
  }
}

function errorFrames(turn: StreamErrorTurn, ctx: Ctx): string[] {
  const { type, message } = turn.streamError;
  switch (ctx.flavor) {
    case 'llamacpp':
      return [dataFrame({ error: { code: statusOfType(type), message, type } })];
    case 'vllm':
      return [dataFrame({ error: { message, type, param: null, code: statusOfType(type) } }), dataFrame('[DONE]')];
    default:
      return [dataFrame({ error: { message, type, param: null, code: null } })];
  }
}

export const openaiChat: Dialect = {
  authError(ctx, expectedKey) {
    const sent = bearerOf(ctx);
    return sent === expectedKey ? undefined : authBody(ctx, sent);
  },
  validate,
  promptText: (body) => JSON.stringify(body?.messages ?? []),
  contextError(ctx) {
    if (ctx.contextWindow === undefined || ctx.promptTokens <= ctx.contextWindow) return undefined;
    // Ollama keeps the system prompt and the newest messages that fit num_ctx and runs on.
    return ctx.flavor === 'ollama' ? undefined : contextBody(ctx);
  },
  statusError,
  noTurn: (ctx) => chatError(ctx, 500, `llm-fake: no scripted turn for POST ${ctx.req.path}`, { type: ctx.flavor === 'openai' ? 'server_error' : undefined }),
  badJson: (ctx) =>
    ctx.flavor === 'openai'
      ? openaiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)", 'invalid_request_error')
      : chatError(ctx, 400, 'Invalid JSON in request body'),
  streamHeaders: (ctx): Record<string, string> =>
    ctx.flavor === 'openai'
      ? { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': `req_${hex(32)}` }
      : ctx.flavor === 'vllm'
        ? { 'content-type': 'text/event-stream; charset=utf-8' }
        : { 'content-type': 'text/event-stream' },
  frames,
  json: completion,
  errorFrames,
  errorJson: (turn, ctx) => chatError(ctx, statusOfType(turn.streamError.type), turn.streamError.message, { type: ctx.flavor === 'ollama' ? undefined : turn.streamError.type }),
};
