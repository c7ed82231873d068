/**
 * The node side of a paired page: {@link PageLink} (one paired WebSocket: requests out, checked
 * answers in) and {@link PairedSession}, the {@link CanvasSession} the MCP server drives. Before a
 * page pairs, and after it goes away, the session lists the kit's canvas pack and every call
 * answers `CANVAS_NOT_CONNECTED`. Node-only.
 */
import type WebSocket from 'ws';
import { canvasPackTools } from '../../agent/canvas/canvas-tools.js';
import { AgentToolError, errorResult } from '../../agent/registry/envelope.js';
import type { AgentTool, ToolCallResult } from '../../agent/registry/types.js';
import { CLOSE, closeReason, parsePageMessage, readCallResult, readToolsList } from '../../agent/bridge/protocol.js';
import type { CanvasSession } from '../session.js';

/** A coded failure of a request to the page (an AgentToolError: code, message, suggestion, retryable). */
export class LinkError extends AgentToolError {
  constructor(code: string, message: string, suggestion: string, retryable = false) {
    super(code, message, suggestion, { retryable });
    this.name = 'LinkError';
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: LinkError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** What a link knows about its page. */
export interface PageInfo {
  /** The canonical pairing code the page used. */
  code: string;
  origin: string;
  kit: string;
}

/** One paired page: sends requests, matches and checks answers, ends with the socket. */
export class PageLink {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;

  constructor(
    private readonly ws: WebSocket,
    readonly info: PageInfo,
    private readonly options: { callTimeoutMs: number; onToolsChanged: () => void; onEnd: (link: PageLink, code: string, message: string) => void },
  ) {}

  /** Handles one message from the page (text, already under the size cap). */
  receive(text: string): void {
    const m = parsePageMessage(text);
    if (!m) return this.end(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'The page sent a message the bridge does not accept.');
    if ('type' in m) {
      // Coalesced: a page cannot flood the MCP side with list_changed notifications.
      this.changeTimer ??= setTimeout(() => {
        this.changeTimer = undefined;
        if (!this.ended) this.options.onToolsChanged();
      }, 50);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return; // a late answer to a request that timed out or was cancelled
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if ('error' in m) p.reject(new LinkError(m.error.code, m.error.message, m.error.suggestion));
    else p.resolve(m.result);
  }

  /** Sends a request and resolves with the page's (unchecked) `result`. */
  request(method: 'tools/list' | 'tools/call', params: Record<string, unknown>): Promise<unknown> {
    if (this.ended) return Promise.reject(notConnected('The page is no longer connected.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.send({ type: 'cancel', id });
        reject(new LinkError('BRIDGE_TIMEOUT', `The page did not answer ${method} within ${this.options.callTimeoutMs} ms.`, 'The page may be waiting for the user to approve the call; ask them, then try again.', true));
      }, this.options.callTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ id, method, params });
    });
  }

  /** Closes the socket with a bridge close code and reason; pending requests fail. */
  end(closeCode: number, code: string, message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.changeTimer);
    try {
      this.ws.close(closeCode, closeReason(code, message));
    } catch {
      this.ws.terminate();
    }
    this.socketClosed(code, message);
  }

  /** The socket closed (either side): fail whatever is pending and tell the bridge once. */
  socketClosed(code = 'PAGE_CLOSED', message = 'The page closed the connection.'): void {
    this.ended = true;
    clearTimeout(this.changeTimer);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(notConnected(`The page went away before answering (${message})`));
      this.pending.delete(id);
    }
    const onEnd = this.options.onEnd;
    this.options.onEnd = () => undefined;
    onEnd(this, code, message);
  }

  private send(message: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

const notConnected = (message: string) => new LinkError('CANVAS_NOT_CONNECTED', message, 'Pair a page again (a new pairing code), then retry.', true);


/**
 * The paired canvas as the MCP server sees it. `callTool` never rejects: failures (no page,
 * timeouts, a page gone mid-call, a malformed answer) are error envelopes.
 */
export class PairedSession implements CanvasSession {
  readonly kind = 'paired' as const;
  private link: PageLink | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly hint: () => string) {}

  /** Whether a page is paired now. */
  get connected(): boolean {
    return this.link !== undefined;
  }

  /** The paired page, if any. */
  get page(): PageInfo | undefined {
    return this.link?.info;
  }

  /** Binds a newly paired page (the bridge has ended any previous one). */
  attach(link: PageLink): void {
    this.link = link;
    this.changed();
  }

  /** Forgets `link` when it is the current page. */
  detach(link: PageLink): void {
    if (this.link !== link) return;
    this.link = undefined;
    this.changed();
  }

  /** Ends the current page's session, if any. */
  endPage(closeCode: number, code: string, message: string): void {
    this.link?.end(closeCode, code, message);
  }

  async listTools(): Promise<AgentTool[]> {
    const link = this.link;
    if (!link) return canvasPackTools();
    try {
      const tools = readToolsList(await link.request('tools/list', {}));
      if (tools) return tools;
      link.end(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'The page answered tools/list with something that is not a tool list.');
    } catch (err) {
      if ((err as LinkError).code !== 'CANVAS_NOT_CONNECTED') throw err;
    }
    return canvasPackTools();
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<ToolCallResult> {
    const link = this.link;
    if (!link) return errorResult({ code: 'CANVAS_NOT_CONNECTED', message: 'No page is paired with the bridge.', suggestion: this.hint(), retryable: true });
    let raw: unknown;
    try {
      raw = await link.request('tools/call', { name, arguments: args });
    } catch (err) {
      const e = err as LinkError;
      return errorResult({ code: e.code, message: e.message, suggestion: e.suggestion, retryable: e.retryable });
    }
    const result = readCallResult(raw);
    if (result) return result;
    link.end(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'The page answered tools/call with something that is not a tool result.');
    return errorResult({ code: 'BRIDGE_PROTOCOL_ERROR', message: `The page answered ${name} with something that is not a tool result; the session was ended.`, suggestion: 'Reload the page (it may run an incompatible kit) and pair again.', retryable: false });
  }

  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.endPage(CLOSE.ENDED, 'SESSION_ENDED', 'The MCP server ended the session.');
  }

  /** Tells the listeners the tool list may have changed (paired, unpaired, the page said so). */
  changed(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // a listener's failure is its own
      }
    }
  }
}
