// POST /v1/responses: the OpenAI Responses API (platform.openai.com/docs/api-reference/responses
// and responses-streaming). A stream is `event: <type>` + `data: {…, sequence_number}` frames:
// response.created, response.in_progress; per message item output_item.added, content_part.added,
// output_text.delta…, output_text.done, content_part.done, output_item.done; per function_call
// item (id fc_…, call_id call_…) output_item.added, function_call_arguments.delta…,
// function_call_arguments.done, output_item.done; then response.completed (or
// response.incomplete, reason max_output_tokens) with usage { input_tokens, input_tokens_details,
// output_tokens, output_tokens_details, total_tokens }. No [DONE]. An in-stream error is the
// `error` event ({ type, code, message, param, sequence_number }) followed by response.failed.
import { randomInt } from 'node:crypto';
import { base62, eventFrame, finishOf, fragments, hex, json, now, openaiNameProblem, usageOf, type Ctx, type Dialect, type JsonReply } from './common.js';
import { openaiChat, openaiError, statusOfType } from './openai-chat.js';
import type { StatusTurn, StreamErrorTurn, TextTurn } from './types.js';

function contextBody(): JsonReply {
  return openaiError(400, 'Your input exceeds the context window of this model. Please adjust your input and try again.', 'invalid_request_error', 'input', 'context_length_exceeded');
}

interface Item {
  [key: string]: unknown;
}

/** The response object as response.created / response.completed carry it. */
function responseObject(ctx: Ctx, id: string, created: number, status: string, output: Item[], extra: Record<string, unknown> = {}) {
  const body = ctx.req.body ?? {};
  return {
    id,
    object: 'response',
    created_at: created,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: null,
    model: String(body.model ?? ''),
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: body.metadata ?? {},
    ...extra,
  };
}

const usageBody = (u: { input: number; output: number }) => ({
  input_tokens: u.input,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: u.output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: u.input + u.output,
});

interface Plan {
  id: string;
  created: number;
  message?: { id: string; text: string };
  calls: { id: string; call_id: string; name: string; arguments: string }[];
}

function plan(turn: TextTurn): Plan {
  const calls = (turn.toolCalls ?? []).map((c) => ({ id: `fc_${hex(48)}`, call_id: `call_${base62(24)}`, name: c.name, arguments: c.arguments }));
  const text = turn.text ?? '';
  return { id: `resp_${hex(48)}`, created: now(), ...(text.length > 0 || calls.length === 0 ? { message: { id: `msg_${hex(48)}`, text } } : {}), calls };
}

const textPart = (text: string) => ({ type: 'output_text', annotations: [], logprobs: [], text });
const messageItem = (m: { id: string; text: string }, done: boolean) => ({ id: m.id, type: 'message', status: done ? 'completed' : 'in_progress', content: done ? [textPart(m.text)] : [], role: 'assistant' });
const callItem = (c: Plan['calls'][number], done: boolean) => ({ id: c.id, type: 'function_call', status: done ? 'completed' : 'in_progress', arguments: done ? c.arguments : '', call_id: c.call_id, name: c.name });

function finalFields(turn: TextTurn, ctx: Ctx) {
  const incomplete = finishOf(turn) === 'length';
  return {
    status: incomplete ? 'incomplete' : 'completed',
    extra: { ...(incomplete ? { incomplete_details: { reason: 'max_output_tokens' } } : {}), usage: usageBody(usageOf(turn, ctx)) },
  };
}

function frames(turn: TextTurn, ctx: Ctx): string[] {
  const p = plan(turn);
  const obfuscate = ctx.req.body?.stream_options?.include_obfuscation !== false;
  const out: string[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => out.push(eventFrame(type, { type, ...fields, sequence_number: out.length }));
  const obfuscation = () => (obfuscate ? { obfuscation: base62(randomInt(1, 16)) } : {});
  emit('response.created', { response: responseObject(ctx, p.id, p.created, 'in_progress', []) });
  emit('response.in_progress', { response: responseObject(ctx, p.id, p.created, 'in_progress', []) });
  const output: Item[] = [];
  if (p.message) {
    const m = p.message;
    const at = { item_id: m.id, output_index: output.length, content_index: 0 };
    emit('response.output_item.added', { output_index: output.length, item: messageItem(m, false) });
    emit('response.content_part.added', { ...at, part: textPart('') });
    for (const f of fragments(m.text, turn.fragment)) emit('response.output_text.delta', { ...at, delta: f, logprobs: [], ...obfuscation() });
    emit('response.output_text.done', { ...at, text: m.text, logprobs: [] });
    emit('response.content_part.done', { ...at, part: textPart(m.text) });
    emit('response.output_item.done', { output_index: output.length, item: messageItem(m, true) });
    output.push(messageItem(m, true));
  }
  for (const c of p.calls) {
    const at = { item_id: c.id, output_index: output.length };
    emit('response.output_item.added', { output_index: output.length, item: callItem(c, false) });
    for (const f of fragments(c.arguments, turn.fragment)) emit('response.function_call_arguments.delta', { ...at, delta: f, ...obfuscation() });
    emit('response.function_call_arguments.done', { ...at, arguments: c.arguments });
    emit('response.output_item.done', { output_index: output.length, item: callItem(c, true) });
    output.push(callItem(c, true));
  }
  const { status, extra } = finalFields(turn, ctx);
  emit(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: responseObject(ctx, p.id, p.created, status, output, extra) });
  return out;
}

function response(turn: TextTurn, ctx: Ctx): JsonReply {
  const p = plan(turn);
  const output: Item[] = [...(p.message ? [messageItem(p.message, true)] : []), ...p.calls.map((c) => callItem(c, true))];
  const { status, extra } = finalFields(turn, ctx);
  return json(200, responseObject(ctx, p.id, p.created, status, output, extra), { 'x-request-id': `req_${hex(32)}` });
}

function validate(ctx: Ctx): JsonReply | undefined {
  const body = ctx.req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return openaiError(400, 'Invalid request body: expected a JSON object.', 'invalid_request_error');
  if (typeof body.model !== 'string' || body.model.length === 0) return openaiError(400, "Missing required parameter: 'model'.", 'invalid_request_error', 'model', 'missing_required_parameter');
  const tools: unknown[] = Array.isArray(body.tools) ? body.tools : [];
  for (const [i, tool] of tools.entries()) {
    const t = tool as { type?: unknown; name?: unknown };
    if (t?.type !== 'function') continue;
    const where = `tools[${i}].name`;
    const problem = openaiNameProblem(t.name, where);
    if (problem) return openaiError(400, problem.message, 'invalid_request_error', where, problem.code);
  }
  const input: unknown[] = Array.isArray(body.input) ? body.input : [];
  for (const [i, item] of input.entries()) {
    const it = item as { type?: unknown; name?: unknown };
    if (it?.type !== 'function_call') continue;
    const where = `input[${i}].name`;
    const problem = openaiNameProblem(it.name, where);
    if (problem) return openaiError(400, problem.message, 'invalid_request_error', where, problem.code);
  }
  return undefined;
}

function statusError(turn: StatusTurn, ctx: Ctx): JsonReply {
  if (turn.status === 400 && turn.code === 'context_length_exceeded') {
    return turn.message === undefined ? contextBody() : openaiError(400, turn.message, 'invalid_request_error', 'input', 'context_length_exceeded');
  }
  return openaiChat.statusError(turn, { ...ctx, flavor: 'openai' });
}

function errorFrames(turn: StreamErrorTurn, ctx: Ctx, sent: number): string[] {
  const { type, message } = turn.streamError;
  const created = now();
  return [
    eventFrame('error', { type: 'error', code: type, message, param: null, sequence_number: sent }),
    eventFrame('response.failed', {
      type: 'response.failed',
      response: responseObject(ctx, `resp_${hex(48)}`, created, 'failed', [], { error: { code: type, message } }),
      sequence_number: sent + 1,
    }),
  ];
}

export const openaiResponses: Dialect = {
  authError: (ctx, expectedKey) => openaiChat.authError({ ...ctx, flavor: 'openai' }, expectedKey),
  validate,
  promptText: (body) => JSON.stringify(body?.input ?? '') + (typeof body?.instructions === 'string' ? body.instructions : ''),
  contextError: (ctx) => (ctx.contextWindow !== undefined && ctx.promptTokens > ctx.contextWindow ? contextBody() : undefined),
  statusError,
  noTurn: (ctx) => openaiError(500, `llm-fake: no scripted turn for POST ${ctx.req.path}`, 'server_error'),
  badJson: (ctx) => openaiChat.badJson({ ...ctx, flavor: 'openai' }),
  streamHeaders: () => ({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': `req_${hex(32)}` }),
  frames,
  json: response,
  errorFrames,
  errorJson: (turn) => openaiError(statusOfType(turn.streamError.type), turn.streamError.message, turn.streamError.type),
};
