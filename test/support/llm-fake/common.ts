// Shared pieces of the LLM fake: what a dialect (one provider API) must provide, ids in each
// provider's shape, fragmenting, rough token counts and SSE framing.
import { randomBytes, randomInt } from 'node:crypto';
import type { FakeRequest, Flavor, StatusTurn, StreamErrorTurn, TextTurn } from './types.js';

/** A complete (non-streamed) HTTP answer. */
export interface JsonReply {
  status: number;
  headers: Record<string, string>;
  /** serialized as JSON unless a string */
  body: unknown;
}

/** What one request needs to know while its answer is built. */
export interface Ctx {
  req: FakeRequest;
  flavor: Flavor;
  contextWindow: number | undefined;
  /** rough prompt tokens: chars/4 of the JSON messages */
  promptTokens: number;
}

/** One provider API. Every `frames` list ends with exactly one terminating frame. */
export interface Dialect {
  /** 401 in the provider's format, when the expected key is missing or wrong */
  authError(ctx: Ctx, expectedKey: string): JsonReply | undefined;
  /** the request checks the real API makes before running the model */
  validate(ctx: Ctx): JsonReply | undefined;
  /** the text the rough token count is taken from */
  promptText(body: any): string;
  /** the context-window 400 (undefined where the server silently truncates instead) */
  contextError(ctx: Ctx): JsonReply | undefined;
  statusError(turn: StatusTurn, ctx: Ctx): JsonReply;
  /** the fake's own 500 when nothing is scripted */
  noTurn(ctx: Ctx): JsonReply;
  /** a body that is not JSON */
  badJson(ctx: Ctx): JsonReply;
  streamHeaders(ctx: Ctx): Record<string, string>;
  frames(turn: TextTurn, ctx: Ctx): string[];
  json(turn: TextTurn, ctx: Ctx): JsonReply;
  /** the frames of an in-stream error that follows `sent` frames */
  errorFrames(turn: StreamErrorTurn, ctx: Ctx, sent: number): string[];
  /** the same error when the request was not streamed */
  errorJson(turn: StreamErrorTurn, ctx: Ctx): JsonReply;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const base62 = (n: number) => Array.from({ length: n }, () => BASE62[randomInt(62)]).join('');
export const lowerAlnum = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[randomInt(36)]).join('');
export const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
export const now = () => Math.floor(Date.now() / 1000);

/** Splits by code points, so a fragment never holds half a surrogate pair. */
export function fragments(text: string, size: number | undefined): string[] {
  const n = Math.max(1, Math.floor(size ?? 7));
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += n) out.push(chars.slice(i, i + n).join(''));
  return out;
}

export const roughTokens = (text: string) => Math.ceil(text.length / 4);

/** Scripted usage, or chars/4 of the prompt and of the output. */
export function usageOf(turn: TextTurn, ctx: Ctx): { input: number; output: number } {
  if (turn.usage) return turn.usage;
  const out = (turn.text ?? '') + (turn.toolCalls ?? []).map((c) => c.name + c.arguments).join('');
  return { input: ctx.promptTokens, output: Math.max(1, roughTokens(out)) };
}

/** The default finish: tool calls → tool_calls, else stop. */
export const finishOf = (turn: TextTurn) => turn.finish ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop');

/** `data: …` frame (OpenAI chat and its compatibles). */
export const dataFrame = (value: unknown) => `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
/** `event: …` + `data: …` frame (Anthropic, OpenAI Responses). */
export const eventFrame = (event: string, value: unknown) => `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): JsonReply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

/** The text of the filler answer an in-stream error interrupts. */
export const FILLER: TextTurn = { text: 'This answer is cut short by an error.' };

/** Tool names as the OpenAI API checks them (string pattern, then length 64). */
export function openaiNameProblem(name: unknown, where: string): { message: string; code: string } | undefined {
  if (typeof name !== 'string') return { message: `Invalid type for '${where}': expected a string, but got ${name === null ? 'null' : typeof name} instead.`, code: 'invalid_type' };
  if (name.length === 0) return { message: `Invalid '${where}': empty string. Expected a string with minimum length 1, but got an empty string instead.`, code: 'empty_string' };
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) return { message: `Invalid '${where}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, code: 'invalid_value' };
  if (name.length > 64) return { message: `Invalid '${where}': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`, code: 'string_above_max_length' };
  return undefined;
}

/** The key the OpenAI API echoes in its 401 (first 3 and last 4 characters shown). */
export const maskKey = (key: string) => (key.length <= 8 ? key : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`);
