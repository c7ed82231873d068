/**
 * The agent bridge's wire protocol (browser-safe; the page and the node side both use it).
 * JSON text messages over one WebSocket:
 *
 * - page → server, first message: `{ type: "pair", code, kit }`; the server answers
 *   `{ type: "paired" }` or closes with a 4xxx close code and a JSON reason `{ code, message }`.
 * - server → page: requests `{ id, method: "tools/list" | "tools/call", params }`, and
 *   `{ type: "cancel", id }` when the server stops waiting for a call (the page aborts it).
 * - page → server: answers `{ id, result }` or `{ id, error: { code, message, suggestion } }`, and
 *   the notification `{ type: "tools/changed" }`.
 *
 * Every message is checked on both sides: size caps, exact shapes, no unknown keys. A page can
 * only answer; nothing it sends makes the server do anything else.
 */
import { TOOL_NAME_PATTERN } from '../toolpack/names.js';
import type { AgentTool, ContentBlock, ToolCallResult } from '../registry/types.js';

/** The bridge's WebSocket path. */
export const BRIDGE_PATH = '/vib3-bridge';
/** Largest message before pairing (the `pair` message), in bytes. */
export const MAX_PAIR_BYTES = 1024;
/** Largest request the page accepts from the server, in bytes. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** Largest answer the server accepts from the page (a 1024 px PNG snapshot fits), in bytes. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** Close codes the bridge uses (the JSON close reason carries the matching string code). */
export const CLOSE = {
  /** The page or the MCP side ended the session. */
  ENDED: 4000,
  /** The bridge shut down. */
  BRIDGE_CLOSED: 4001,
  /** A malformed or unexpected message. */
  BAD_MESSAGE: 4400,
  /** The pairing code was wrong, used, revoked or expired. */
  PAIRING_REFUSED: 4401,
  /** The page's origin is not allowed, or not the code's origin. */
  ORIGIN_REFUSED: 4403,
  /** No `pair` message in time. */
  PAIRING_TIMEOUT: 4408,
  /** Another page paired with a newer code. */
  REPLACED: 4409,
  /** The code of this session was revoked. */
  REVOKED: 4410,
  /** A message above the size cap. */
  TOO_LARGE: 4413,
  /** Too many failed pairing attempts: every open code was revoked. */
  TOO_MANY_ATTEMPTS: 4429,
} as const;

/** Pairing codes: Crockford base32 (no I, L, O, U), 8 characters, shown as `ABCD-EFGH`. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of a pairing code (40 random bits). */
export const CODE_LENGTH = 8;

/**
 * A typed code in canonical form (upper case, no separators, `I`/`L` read as `1` and `O` as `0`),
 * or `undefined` when it cannot be a pairing code.
 */
export function normalizeCode(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > 32) return undefined;
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== CODE_LENGTH) return undefined;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return s;
}

/** A canonical code as people read it: `ABCD-EFGH`. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The JSON close reason, cut to the 123 bytes a WebSocket close frame allows. */
export function closeReason(code: string, message: string): string {
  let m = message;
  const enc = new TextEncoder();
  for (;;) {
    const text = JSON.stringify({ code, message: m });
    if (enc.encode(text).length <= 123) return text;
    m = m.slice(0, Math.max(0, m.length - 8));
  }
}

/** Reads a close reason written by {@link closeReason}. */
export function parseCloseReason(reason: string): { code: string; message: string } | undefined {
  try {
    const v = JSON.parse(reason) as unknown;
    if (isObject(v) && typeof v['code'] === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(v['code']) && typeof v['message'] === 'string') return { code: v['code'], message: v['message'] };
  } catch {
    // not ours
  }
  return undefined;
}

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const onlyKeys = (o: Record<string, unknown>, keys: string[]): boolean => Object.keys(o).every((k) => keys.includes(k));
const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** The `pair` message. */
export interface PairMessage {
  type: 'pair';
  code: string;
  kit: string;
}

/** Reads the page's first message; `undefined` when it is not exactly a `pair` message. */
export function parsePair(text: string): PairMessage | undefined {
  const v = parseJson(text);
  if (!isObject(v) || !onlyKeys(v, ['type', 'code', 'kit'])) return undefined;
  if (v['type'] !== 'pair' || typeof v['code'] !== 'string' || v['code'].length > 32 || typeof v['kit'] !== 'string' || v['kit'].length > 64) return undefined;
  return { type: 'pair', code: v['code'], kit: v['kit'] };
}

/** A request from the server. */
export type BridgeRequest = { id: number; method: 'tools/list'; params: Record<string, never> } | { id: number; method: 'tools/call'; params: { name: string; arguments: Record<string, unknown> } };

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * Reads a request on the page. `{ request }` when valid; `{ cancel }` for `{ type: "cancel", id }`
 * (the server gave up on a call); `{ id, problem }` when it has a usable id but a bad shape (the
 * page answers with an error); `{ problem }` when it is not a request at all.
 */
export function parseRequest(text: string): { request: BridgeRequest } | { cancel: number } | { id?: number; problem: string } {
  const v = parseJson(text);
  if (!isObject(v)) return { problem: 'not a JSON object' };
  if (v['type'] === 'cancel') return isId(v['id']) && onlyKeys(v, ['type', 'id']) ? { cancel: v['id'] } : { problem: 'bad cancel' };
  if (!isId(v['id'])) return { problem: 'no valid id' };
  const id = v['id'];
  const params = v['params'] ?? {};
  if (!onlyKeys(v, ['id', 'method', 'params']) || !isObject(params)) return { id, problem: 'unexpected keys or params' };
  if (v['method'] === 'tools/list') return Object.keys(params).length ? { id, problem: 'tools/list takes no params' } : { request: { id, method: 'tools/list', params: {} } };
  if (v['method'] !== 'tools/call') return { id, problem: `unknown method ${JSON.stringify(String(v['method']).slice(0, 40))}` };
  const name = params['name'];
  const args = params['arguments'] ?? {};
  if (!onlyKeys(params, ['name', 'arguments']) || typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name) || !isObject(args)) return { id, problem: 'tools/call needs { name, arguments }' };
  return { request: { id, method: 'tools/call', params: { name, arguments: args } } };
}

/** What the page sends once paired. */
export type PageMessage = { type: 'tools/changed' } | { id: number; result: unknown } | { id: number; error: { code: string; message: string; suggestion: string } };

/** Reads a message from a paired page; `undefined` when it is none of {@link PageMessage}. */
export function parsePageMessage(text: string): PageMessage | undefined {
  const v = parseJson(text);
  if (!isObject(v)) return undefined;
  if (v['type'] === 'tools/changed') return onlyKeys(v, ['type']) ? { type: 'tools/changed' } : undefined;
  if (!isId(v['id'])) return undefined;
  if ('result' in v) return onlyKeys(v, ['id', 'result']) ? { id: v['id'], result: v['result'] } : undefined;
  const e = v['error'];
  if (!onlyKeys(v, ['id', 'error']) || !isObject(e)) return undefined;
  const { code, message, suggestion } = e;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]{0,63}$/.test(code) || typeof message !== 'string' || typeof suggestion !== 'string') return undefined;
  return { id: v['id'], error: { code, message: message.slice(0, 2000), suggestion: suggestion.slice(0, 2000) } };
}

const APPROVALS = ['never', 'destructive', 'always'];
const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const stringArray = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 64 && v.every((s) => str(s, 128));

/** Checks one tool of a page's `tools/list` answer and copies the fields the kit knows. */
function readTool(v: unknown): AgentTool | undefined {
  if (!isObject(v)) return undefined;
  const { name, title, description, inputSchema, outputSchema, annotations, policy, examples, source } = v;
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name) || !str(description, 10_000) || !str(source, 256)) return undefined;
  if (title !== undefined && !str(title, 512)) return undefined;
  if (!isObject(inputSchema) || inputSchema['type'] !== 'object') return undefined;
  if (outputSchema !== undefined && (!isObject(outputSchema) || outputSchema['type'] !== 'object')) return undefined;
  if (annotations !== undefined && !isObject(annotations)) return undefined;
  if (examples !== undefined && !Array.isArray(examples)) return undefined;
  if (!isObject(policy) || !stringArray(policy['requires']) || !APPROVALS.includes(policy['approval'] as string)) return undefined;
  const rate = policy['rateLimit'];
  if (rate !== undefined && (!isObject(rate) || typeof rate['perMinute'] !== 'number')) return undefined;
  return {
    name,
    ...(title !== undefined ? { title } : {}),
    description,
    inputSchema: inputSchema as AgentTool['inputSchema'],
    ...(outputSchema !== undefined ? { outputSchema: outputSchema as AgentTool['inputSchema'] } : {}),
    ...(annotations !== undefined ? { annotations: annotations as AgentTool['annotations'] } : {}),
    policy: { requires: policy['requires'] as string[], approval: policy['approval'] as AgentTool['policy']['approval'], ...(rate !== undefined ? { rateLimit: { perMinute: rate['perMinute'] as number } } : {}) },
    ...(examples !== undefined ? { examples: examples as AgentTool['examples'] } : {}),
    source,
  };
}

/** Checks a `tools/list` answer (`{ tools: [...] }`, at most 1000 tools, unique names). */
export function readToolsList(result: unknown): AgentTool[] | undefined {
  if (!isObject(result) || !onlyKeys(result, ['tools']) || !Array.isArray(result['tools']) || result['tools'].length > 1000) return undefined;
  const out: AgentTool[] = [];
  const seen = new Set<string>();
  for (const t of result['tools']) {
    const tool = readTool(t);
    if (!tool || seen.has(tool.name)) return undefined;
    seen.add(tool.name);
    out.push(tool);
  }
  return out;
}

/** Checks a `tools/call` answer: the MCP-shaped envelope with text and PNG/JPEG/WebP image blocks. */
export function readCallResult(result: unknown): ToolCallResult | undefined {
  if (!isObject(result) || !onlyKeys(result, ['content', 'structuredContent', 'isError']) || !Array.isArray(result['content']) || result['content'].length > 64) return undefined;
  const content: ContentBlock[] = [];
  for (const b of result['content'] as unknown[]) {
    if (!isObject(b)) return undefined;
    if (b['type'] === 'text' && typeof b['text'] === 'string' && onlyKeys(b, ['type', 'text'])) content.push({ type: 'text', text: b['text'] });
    else if (b['type'] === 'image' && typeof b['data'] === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(b['data']) && typeof b['mimeType'] === 'string' && /^image\/(png|jpeg|webp)$/.test(b['mimeType']) && onlyKeys(b, ['type', 'data', 'mimeType'])) content.push({ type: 'image', data: b['data'], mimeType: b['mimeType'] });
    else return undefined;
  }
  const structured = result['structuredContent'];
  const isError = result['isError'];
  if (structured !== undefined && !isObject(structured)) return undefined;
  if (isError !== undefined && typeof isError !== 'boolean') return undefined;
  if (isError === true) {
    const e = isObject(structured) ? structured['error'] : undefined;
    if (!isObject(e) || typeof e['code'] !== 'string' || typeof e['message'] !== 'string' || typeof e['suggestion'] !== 'string' || typeof e['retryable'] !== 'boolean') return undefined;
  }
  return { content, ...(structured !== undefined ? { structuredContent: structured } : {}), ...(isError === true ? { isError: true } : {}) };
}
