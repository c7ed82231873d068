/**
 * The result envelope: success results pass through; every failure becomes
 * `{ isError: true, content: [text], structuredContent: { error: { code, message, suggestion, retryable, nextTools? } } }`.
 */
import type { ToolCallResult, ToolErrorInfo } from './types.js';

/** Codes that may succeed when the same call is tried again later. */
const RETRYABLE = new Set(['RATE_LIMITED', 'TIMEOUT', 'CALL_TIMEOUT', 'NOT_READY', 'CANVAS_NOT_READY', 'RESTARTING', 'BUSY', 'ABORTED']);

/** An error a provider or the registry throws; becomes the envelope's `error`. */
export class AgentToolError extends Error {
  readonly code: string;
  readonly suggestion: string;
  readonly retryable: boolean;
  readonly nextTools: string[] | undefined;

  constructor(code: string, message: string, suggestion: string, options: { retryable?: boolean; nextTools?: string[] } = {}) {
    super(message);
    this.name = 'AgentToolError';
    this.code = code;
    this.suggestion = suggestion;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
    this.nextTools = options.nextTools;
  }
}

/** The envelope of a failed call. */
export function errorResult(error: ToolErrorInfo): ToolCallResult {
  const info: ToolErrorInfo = { code: error.code, message: error.message, suggestion: error.suggestion, retryable: error.retryable, ...(error.nextTools?.length ? { nextTools: error.nextTools } : {}) };
  return { isError: true, content: [{ type: 'text', text: `${info.code}: ${info.message} ${info.suggestion}`.trim() }], structuredContent: { error: info } };
}

/** Reads whatever was thrown (AgentToolError, the kit's coded errors, anything) as an error envelope. */
export function resultFromThrown(thrown: unknown, nextTools?: string[]): ToolCallResult {
  const e = (thrown ?? {}) as { code?: unknown; message?: unknown; suggestion?: unknown; retryable?: unknown; nextTools?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(e.code) ? e.code : 'TOOL_FAILED';
  const message = typeof e.message === 'string' && e.message ? e.message : String(thrown);
  const suggestion = typeof e.suggestion === 'string' ? e.suggestion : 'Check the input against the tool inputSchema, or try another tool.';
  const retryable = typeof e.retryable === 'boolean' ? e.retryable : RETRYABLE.has(code);
  const next = Array.isArray(e.nextTools) ? e.nextTools.filter((n): n is string => typeof n === 'string') : nextTools;
  return errorResult({ code, message, suggestion, retryable, ...(next?.length ? { nextTools: next } : {}) });
}

/** The `error` of an envelope, when it is one. */
export function errorOf(result: ToolCallResult): ToolErrorInfo | undefined {
  return result.isError ? (result.structuredContent?.['error'] as ToolErrorInfo | undefined) : undefined;
}
