// POST /v1/messages: the Anthropic Messages API (docs.claude.com/en/api/messages,
// build-with-claude/streaming, api/errors). A stream is `event: <type>` + `data: {…}` frames:
// message_start (message with usage.input_tokens), then per content block content_block_start
// (text: { type: "text", text: "" }; tool_use: { type: "tool_use", id: toolu_…, name, input: {} }),
// content_block_delta (text_delta / input_json_delta with partial_json, the first one empty as in
// the docs' example), content_block_stop; `ping` after the first block opens and between blocks;
// message_delta ({ stop_reason, stop_sequence }, usage.output_tokens), message_stop. An in-stream
// error is `event: error` + { type: "error", error: { type, message } } and the stream ends.
// HTTP errors are { type: "error", error: { type, message }, request_id } with the documented
// types (invalid_request_error 400, authentication_error 401, rate_limit_error 429, api_error 500,
// overloaded_error 529). Requests need `anthropic-version`, `model`, `max_tokens` and `messages`;
// custom tool names must match ^[a-zA-Z0-9_-]{1,128}$ (the API's current limit; it was 64 until
// mid-2025: "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'").
import { base62, eventFrame, finishOf, fragments, json, usageOf, type Ctx, type Dialect, type JsonReply } from './common.js';
import type { StatusTurn, StreamErrorTurn, TextTurn } from './types.js';

const DEFAULT_WINDOW = 200000;
const requestId = () => `req_011C${base62(20)}`;
const TYPE_OF_STATUS: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 503: 'api_error', 504: 'timeout_error', 529: 'overloaded_error' };
const STATUS_OF_TYPE: Record<string, number> = { invalid_request_error: 400, authentication_error: 401, billing_error: 402, permission_error: 403, not_found_error: 404, request_too_large: 413, rate_limit_error: 429, api_error: 500, timeout_error: 504, overloaded_error: 529 };

function anthropicError(status: number, message: string, type = TYPE_OF_STATUS[status] ?? 'api_error', headers: Record<string, string> = {}): JsonReply {
  const id = requestId();
  return json(status, { type: 'error', error: { type, message }, request_id: id }, { 'request-id': id, ...headers });
}

function contextBody(ctx: Ctx): JsonReply {
  const window = ctx.contextWindow ?? DEFAULT_WINDOW;
  const tokens = ctx.promptTokens > window ? ctx.promptTokens : window + 1;
  return anthropicError(400, `prompt is too long: ${tokens} tokens > ${window} maximum`);
}

const STOP_REASON = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' } as const;

interface Block {
  kind: 'text' | 'tool_use';
  id?: string;
  name?: string;
  text: string;
}

function blocksOf(turn: TextTurn): Block[] {
  const blocks: Block[] = [];
  if ((turn.text ?? '').length > 0) blocks.push({ kind: 'text', text: turn.text! });
  for (const c of turn.toolCalls ?? []) blocks.push({ kind: 'tool_use', id: `toolu_01${base62(22)}`, name: c.name, text: c.arguments });
  return blocks;
}

function frames(turn: TextTurn, ctx: Ctx): string[] {
  const u = usageOf(turn, ctx);
  const ping = turn.ping ?? true;
  const out: string[] = [];
  const emit = (type: string, fields: Record<string, unknown> = {}) => out.push(eventFrame(type, { type, ...fields }));
  emit('message_start', {
    message: {
      id: `msg_01${base62(22)}`,
      type: 'message',
      role: 'assistant',
      model: String(ctx.req.body?.model ?? ''),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: u.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' },
    },
  });
  blocksOf(turn).forEach((block, index) => {
    if (index > 0 && ping) emit('ping');
    if (block.kind === 'text') {
      emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
      if (index === 0 && ping) emit('ping');
      for (const f of fragments(block.text, turn.fragment)) emit('content_block_delta', { index, delta: { type: 'text_delta', text: f } });
    } else {
      emit('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      if (index === 0 && ping) emit('ping');
      emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (const f of fragments(block.text, turn.fragment)) emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: f } });
    }
    emit('content_block_stop', { index });
  });
  emit('message_delta', { delta: { stop_reason: STOP_REASON[finishOf(turn)], stop_sequence: null }, usage: { output_tokens: u.output } });
  emit('message_stop');
  return out;
}

/** A tool_use block's input is an object; arguments that do not parse to one come back as {}. */
function inputOf(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function message(turn: TextTurn, ctx: Ctx): JsonReply {
  const u = usageOf(turn, ctx);
  const content = blocksOf(turn).map((b) => (b.kind === 'text' ? { type: 'text', text: b.text } : { type: 'tool_use', id: b.id, name: b.name, input: inputOf(b.text) }));
  return json(
    200,
    {
      id: `msg_01${base62(22)}`,
      type: 'message',
      role: 'assistant',
      model: String(ctx.req.body?.model ?? ''),
      content,
      stop_reason: STOP_REASON[finishOf(turn)],
      stop_sequence: null,
      usage: { input_tokens: u.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: u.output, service_tier: 'standard' },
    },
    { 'request-id': requestId() },
  );
}

function validate(ctx: Ctx): JsonReply | undefined {
  if (!ctx.req.headers['anthropic-version']) return anthropicError(400, 'anthropic-version: header is required');
  const body = ctx.req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return anthropicError(400, 'Input should be a valid dictionary');
  for (const field of ['model', 'messages', 'max_tokens']) if (body[field] === undefined) return anthropicError(400, `${field}: Field required`);
  if (!Number.isInteger(body.max_tokens)) return anthropicError(400, 'max_tokens: Input should be a valid integer');
  if (!Array.isArray(body.messages)) return anthropicError(400, 'messages: Input should be a valid list');
  const tools: unknown[] = Array.isArray(body.tools) ? body.tools : [];
  for (const [i, tool] of tools.entries()) {
    const t = tool as { type?: unknown; name?: unknown };
    if (t?.type !== undefined && t.type !== 'custom') continue; // server tools have fixed names
    const where = `tools.${i}.custom.name`;
    if (typeof t?.name !== 'string') return anthropicError(400, `${where}: Input should be a valid string`);
    if (/^[a-zA-Z0-9_-]+$/.test(t.name) && t.name.length > 128) return anthropicError(400, `${where}: String should have at most 128 characters`);
    if (!/^[a-zA-Z0-9_-]{1,128}$/.test(t.name)) return anthropicError(400, `${where}: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
  }
  return undefined;
}

function statusError(turn: StatusTurn, ctx: Ctx): JsonReply {
  switch (turn.status) {
    case 429:
      return anthropicError(
        429,
        turn.message ??
          'This request would exceed the rate limit for your organization (llm-fake) of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.',
        'rate_limit_error',
        turn.retryAfter === undefined ? {} : { 'retry-after': String(turn.retryAfter) },
      );
    case 400:
      return turn.code === 'context_length_exceeded' && turn.message === undefined ? contextBody(ctx) : anthropicError(400, turn.message ?? 'Invalid request.');
    default:
      return anthropicError(turn.status, turn.message ?? { 401: 'invalid x-api-key', 500: 'Internal server error', 503: 'Service unavailable', 529: 'Overloaded' }[turn.status]);
  }
}

export const anthropic: Dialect = {
  authError(ctx, expectedKey) {
    const sent = ctx.req.headers['x-api-key'];
    if (sent === expectedKey) return undefined;
    return anthropicError(401, sent === undefined ? 'x-api-key header is required' : 'invalid x-api-key');
  },
  validate,
  promptText: (body) => JSON.stringify(body?.messages ?? []) + (body?.system === undefined ? '' : JSON.stringify(body.system)),
  contextError: (ctx) => (ctx.contextWindow !== undefined && ctx.promptTokens > ctx.contextWindow ? contextBody(ctx) : undefined),
  statusError,
  noTurn: (ctx) => anthropicError(500, `llm-fake: no scripted turn for POST ${ctx.req.path}`, 'api_error'),
  badJson: () => anthropicError(400, 'There was an error parsing the body of your request as JSON.'),
  streamHeaders: () => ({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId() }),
  frames,
  json: message,
  errorFrames: (turn: StreamErrorTurn) => [eventFrame('error', { type: 'error', error: { type: turn.streamError.type, message: turn.streamError.message } })],
  errorJson: (turn: StreamErrorTurn) => anthropicError(STATUS_OF_TYPE[turn.streamError.type] ?? 500, turn.streamError.message, turn.streamError.type),
};
