/**
 * `connectAgentBridge`: pairs this page with a local MCP server (`vib3 mcp`) so an agent can drive
 * the page's canvas through the page's own {@link ToolRegistry} (its policy and approval UI; every
 * call says `caller: "bridge"`). Browser-safe: the native WebSocket, no eval.
 *
 * ```js
 * const connection = await connectAgentBridge({ url: 'ws://127.0.0.1:PORT/vib3-bridge', pairingCode: 'ABCD-EFGH', registry });
 * connection.addEventListener('close', (e) => console.log(e.detail.code));
 * ```
 */
import { VERSION } from '../../core/version.js';
import { AgentToolError, errorResult } from '../registry/envelope.js';
import type { ToolRegistry } from '../registry/tool-registry.js';
import type { ToolCallResult } from '../registry/types.js';
import { CLOSE, closeReason, formatCode, isObject, MAX_ANSWER_BYTES, MAX_REQUEST_BYTES, normalizeCode, parseCloseReason, parseRequest } from './protocol.js';

/** Options of {@link connectAgentBridge}. */
export interface AgentBridgeOptions {
  /** The bridge URL the MCP server printed: `ws://127.0.0.1:PORT/vib3-bridge` (loopback only). */
  url: string;
  /** The pairing code the MCP server printed (`ABCD-EFGH`; case, spaces and dashes do not matter). */
  pairingCode: string;
  /** The page's registry: the bridge lists and calls its tools. */
  registry: ToolRegistry;
  /** Aborting ends the pairing attempt or the session. */
  signal?: AbortSignal;
  /** How long pairing may take, in ms (default 15 000). */
  timeoutMs?: number;
  /** Calls run at the same time; more are answered `BUSY` (default 4). */
  maxConcurrentCalls?: number;
}

/** Detail of the connection's `call` event. */
export interface AgentBridgeCallDetail {
  name: string;
  caller: 'bridge';
  ok: boolean;
  /** The error code when `ok` is false. */
  code?: string;
}

/** Detail of the connection's `close` event, and the value of `closed`. */
export interface AgentBridgeCloseDetail {
  /** `CLOSED_BY_PAGE`, `SESSION_REVOKED`, `SESSION_REPLACED`, `SESSION_ENDED`, `BRIDGE_CLOSED`, `CONNECTION_LOST`, `BAD_MESSAGE`, … */
  code: string;
  reason: string;
}

/**
 * A paired page. Dispatches `call` ({@link AgentBridgeCallDetail}) after every call the agent
 * makes, and `close` ({@link AgentBridgeCloseDetail}) once when the session ends.
 */
export interface AgentBridgeConnection extends EventTarget {
  readonly state: 'paired' | 'closed';
  /** The pairing code, formatted `ABCD-EFGH`, for the page to show. */
  readonly code: string;
  /** Resolves when the session ends, with why. */
  readonly closed: Promise<AgentBridgeCloseDetail>;
  /** Ends the session (the MCP side sees `CANVAS_NOT_CONNECTED` again). */
  close(): void;
}

/** A failed pairing: `PAIRING_REFUSED` (with the server's `reason`), `BRIDGE_UNREACHABLE`, `BRIDGE_TIMEOUT`, `ABORTED`, … */
export class AgentBridgeError extends AgentToolError {
  /** The server's reason code for `PAIRING_REFUSED` (`PAIRING_CODE_USED`, `ORIGIN_NOT_ALLOWED`, …). */
  readonly reason: string | undefined;

  constructor(code: string, message: string, suggestion: string, options: { retryable?: boolean; reason?: string } = {}) {
    super(code, message, suggestion, options.retryable !== undefined ? { retryable: options.retryable } : {});
    this.name = 'AgentBridgeError';
    this.reason = options.reason;
  }
}

const NEW_CODE = 'Ask for a new pairing code (the MCP server issues one) and enter it.';
const SUGGESTIONS: Record<string, string> = {
  PAIRING_CODE_UNKNOWN: 'Check the code the MCP server printed and type it again.',
  PAIRING_CODE_USED: NEW_CODE,
  PAIRING_CODE_REVOKED: NEW_CODE,
  PAIRING_CODE_EXPIRED: NEW_CODE,
  ORIGIN_MISMATCH: `The code was issued for another page origin. ${NEW_CODE}`,
  ORIGIN_NOT_ALLOWED: "Start the MCP server with this page's origin allowed.",
  TOO_MANY_ATTEMPTS: NEW_CODE,
};

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Pairs the page with a local agent bridge. Resolves once the bridge accepted the code; rejects
 * with an {@link AgentBridgeError}. Under a strict CSP, `connect-src` must allow the bridge URL.
 */
export function connectAgentBridge(options: AgentBridgeOptions): Promise<AgentBridgeConnection> {
  const fail = (code: string, message: string, suggestion: string, extra: { retryable?: boolean; reason?: string } = {}) => Promise.reject(new AgentBridgeError(code, message, suggestion, extra));
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return fail('BRIDGE_URL_INVALID', `"${String(options.url)}" is not a URL.`, 'Use the ws://127.0.0.1:PORT/vib3-bridge URL the MCP server printed.');
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || !LOOPBACK_HOSTS.includes(url.hostname)) {
    return fail('BRIDGE_URL_INVALID', `The bridge URL must be ws:// on this machine (127.0.0.1), not ${url.protocol}//${url.hostname}.`, 'Use the ws://127.0.0.1:PORT/vib3-bridge URL the MCP server printed.');
  }
  const code = normalizeCode(options.pairingCode);
  if (!code) return fail('PAIRING_CODE_INVALID', 'A pairing code has 8 letters and digits (ABCD-EFGH).', 'Type the code the MCP server printed.');
  if (options.signal?.aborted) return fail('ABORTED', 'Pairing was cancelled.', 'Call connectAgentBridge again when you want to pair.');
  if (typeof WebSocket === 'undefined') return fail('BRIDGE_UNSUPPORTED', 'This environment has no WebSocket.', 'Pair from a browser page.');
  return new Promise((resolve, reject) => new Connection(url.href, code, options, resolve, reject));
}

class Connection extends EventTarget implements AgentBridgeConnection {
  state: 'paired' | 'closed' = 'closed';
  readonly code: string;
  readonly closed: Promise<AgentBridgeCloseDetail>;
  private settle!: (detail: AgentBridgeCloseDetail) => void;
  private readonly ws: WebSocket;
  private readonly calls = new Map<number, AbortController>();
  private readonly onChange = () => this.send({ type: 'tools/changed' });
  private readonly onAbort = () => this.end(CLOSE.ENDED, 'CLOSED_BY_PAGE', 'The page ended the session.');
  private pairing: { resolve: (c: AgentBridgeConnection) => void; reject: (e: AgentBridgeError) => void; timer: ReturnType<typeof setTimeout> } | undefined;
  private opened = false;

  constructor(
    url: string,
    code: string,
    private readonly options: AgentBridgeOptions,
    resolve: (c: AgentBridgeConnection) => void,
    reject: (e: AgentBridgeError) => void,
  ) {
    super();
    this.code = formatCode(code);
    this.closed = new Promise((r) => (this.settle = r));
    const timeoutMs = options.timeoutMs ?? 15_000;
    const timer = setTimeout(() => this.refuse(new AgentBridgeError('BRIDGE_TIMEOUT', `The bridge did not answer within ${timeoutMs} ms.`, 'Check that the MCP server is running, then try again.', { retryable: true })), timeoutMs);
    this.pairing = { resolve, reject, timer };
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      this.ws = new WebSocket(url);
    } catch {
      // A CSP without the bridge in connect-src, for instance, throws here in some browsers.
      this.ws = undefined as unknown as WebSocket;
      this.refuse(new AgentBridgeError('BRIDGE_UNREACHABLE', `Could not open ${url}.`, "Check that the MCP server is running and that the page's CSP connect-src allows the bridge URL.", { retryable: true }));
      return;
    }
    this.ws.onopen = () => {
      this.opened = true;
      this.send({ type: 'pair', code, kit: VERSION });
    };
    this.ws.onmessage = (e: MessageEvent) => this.receive(e.data);
    this.ws.onclose = (e: CloseEvent) => this.socketClosed(e.code, e.reason);
  }

  close(): void {
    this.end(CLOSE.ENDED, 'CLOSED_BY_PAGE', 'The page ended the session.');
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return this.end(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'The bridge sent a binary frame.');
    if (this.pairing) {
      let ok = false;
      try {
        const v = data.length <= 256 ? (JSON.parse(data) as unknown) : undefined;
        ok = isObject(v) && v['type'] === 'paired' && Object.keys(v).length === 1;
      } catch {
        ok = false;
      }
      if (!ok) return this.refuse(new AgentBridgeError('BRIDGE_PROTOCOL_ERROR', 'The bridge answered the pairing with an unexpected message.', 'Make sure the URL is the one vib3 mcp printed, and that the kit versions match.'), CLOSE.BAD_MESSAGE, 'BAD_MESSAGE');
      const { resolve, timer } = this.pairing;
      clearTimeout(timer);
      this.pairing = undefined;
      this.state = 'paired';
      this.options.registry.addEventListener('change', this.onChange);
      resolve(this);
      return;
    }
    if (this.state !== 'paired') return;
    if (data.length > MAX_REQUEST_BYTES) return this.end(CLOSE.TOO_LARGE, 'MESSAGE_TOO_LARGE', 'The bridge sent a request over the size cap.');
    const parsed = parseRequest(data);
    if ('cancel' in parsed) return this.calls.get(parsed.cancel)?.abort();
    if ('problem' in parsed) {
      if (parsed.id === undefined) return this.end(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'The bridge sent a message that is not a request.');
      return this.send({ id: parsed.id, error: { code: 'BAD_REQUEST', message: `The page refused a request: ${parsed.problem}.`, suggestion: 'Send tools/list or tools/call { name, arguments }.' } });
    }
    const { request } = parsed;
    if (request.method === 'tools/list') return this.send({ id: request.id, result: { tools: this.options.registry.list() } });
    void this.call(request.id, request.params.name, request.params.arguments);
  }

  private async call(id: number, name: string, args: Record<string, unknown>): Promise<void> {
    let result: ToolCallResult;
    if (this.calls.has(id)) return;
    if (this.calls.size >= (this.options.maxConcurrentCalls ?? 4)) {
      result = errorResult({ code: 'BUSY', message: 'The page is already running as many agent calls as it allows.', suggestion: 'Wait for the running calls to finish, then try again.', retryable: true });
    } else {
      const controller = new AbortController();
      this.calls.set(id, controller);
      try {
        result = await this.options.registry.call(name, args, { caller: 'bridge', signal: controller.signal });
      } finally {
        this.calls.delete(id);
      }
    }
    if (this.state !== 'paired') return;
    const error = result.isError ? (result.structuredContent?.['error'] as { code?: string } | undefined) : undefined;
    const detail: AgentBridgeCallDetail = { name, caller: 'bridge', ok: !result.isError, ...(error?.code ? { code: error.code } : {}) };
    this.dispatchEvent(new CustomEvent('call', { detail }));
    let text = JSON.stringify({ id, result });
    if (text.length * 3 > MAX_ANSWER_BYTES && new TextEncoder().encode(text).length > MAX_ANSWER_BYTES) {
      text = JSON.stringify({ id, result: errorResult({ code: 'RESULT_TOO_LARGE', message: `The result of ${name} is over the bridge's ${MAX_ANSWER_BYTES} byte cap.`, suggestion: 'Ask for less (e.g. a smaller render_snapshot).', retryable: false }) });
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  private send(message: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Fails a pairing attempt (closing the socket when it is open). */
  private refuse(error: AgentBridgeError, closeCode: number = CLOSE.ENDED, reasonCode = 'CLOSED_BY_PAGE'): void {
    const p = this.pairing;
    if (!p) return;
    this.pairing = undefined;
    clearTimeout(p.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.closeSocket(closeCode, reasonCode, error.message);
    this.settle({ code: error.code, reason: error.message });
    p.reject(error);
  }

  /** Ends a paired session (or cancels pairing), closing the socket. */
  private end(closeCode: number, code: string, reason: string): void {
    if (this.pairing) return this.refuse(new AgentBridgeError(code === 'CLOSED_BY_PAGE' ? 'ABORTED' : 'BRIDGE_PROTOCOL_ERROR', code === 'CLOSED_BY_PAGE' ? 'Pairing was cancelled.' : reason, 'Call connectAgentBridge again when you want to pair.'), closeCode, code);
    this.closeSocket(closeCode, code, reason);
    this.finish(code, reason);
  }

  private socketClosed(closeCode: number, rawReason: string): void {
    const reason = parseCloseReason(rawReason);
    if (this.pairing) {
      if (reason) return this.refuse(new AgentBridgeError('PAIRING_REFUSED', `The bridge refused the pairing: ${reason.message}`, SUGGESTIONS[reason.code] ?? NEW_CODE, { reason: reason.code, retryable: false }));
      if (!this.opened) return this.refuse(new AgentBridgeError('BRIDGE_UNREACHABLE', `Could not reach the bridge at ${this.options.url}.`, "Check that the MCP server is running, that the URL is the one it printed, and that the page's CSP connect-src allows it.", { retryable: true }));
      return this.refuse(new AgentBridgeError('BRIDGE_CLOSED', `The bridge closed the connection (${closeCode}).`, 'Try again; if it keeps happening, restart the MCP server.', { retryable: true }));
    }
    this.finish(reason?.code ?? 'CONNECTION_LOST', reason?.message ?? `The connection to the bridge was lost (${closeCode}).`);
  }

  private closeSocket(closeCode: number, code: string, reason: string): void {
    try {
      if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(closeCode, closeReason(code, reason));
    } catch {
      // already closing
    }
  }

  private finish(code: string, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.options.registry.removeEventListener('change', this.onChange);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const c of this.calls.values()) c.abort();
    this.calls.clear();
    const detail = { code, reason };
    this.settle(detail);
    this.dispatchEvent(new CustomEvent('close', { detail }));
  }
}
