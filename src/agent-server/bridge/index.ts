/**
 * The agent bridge: lets a local MCP server (`vib3 mcp`) drive a visible page's `<vib3-canvas>`
 * after the user pairs that page with a short code (`connectAgentBridge` in `vib3-embed/agent`).
 *
 * Security model: the bridge listens on loopback only and refuses connections from any other
 * address; the WebSocket `Origin` must be one of `allowedOrigins` and equal to the origin the code
 * was issued for; codes are random, single-use, revocable, expire, and are compared in constant
 * time; one page is paired at a time; the page only ever answers requests. Node-only.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import * as wsPackage from 'ws';
import { BRIDGE_PATH, CLOSE, closeReason, MAX_ANSWER_BYTES, MAX_PAIR_BYTES, parsePair } from '../../agent/bridge/protocol.js';
import { PairingCodes, type IssuedCode, type RefusalCode } from './pairing.js';
import { PageLink, PairedSession } from './paired-session.js';
import type { CanvasSession } from '../session.js';

export type { IssuedCode } from './pairing.js';
export { PairedSession } from './paired-session.js';

/** Options of {@link startBridge}. */
export interface BridgeOptions {
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Page origins that may pair, exactly as browsers send them (`http://localhost:8000`). */
  allowedOrigins: string[];
  /** Receives one line per event (listening, paired, refused, ended). Codes are never logged. */
  log?: (line: string) => void;
  /** How long an issued code can be used, in ms (default 5 minutes). */
  codeTtlMs?: number;
  /** Loopback address to bind: `127.0.0.1` (default) or `::1`. Anything else is refused. */
  host?: string;
  /** How long the MCP side waits for the page to answer one request, in ms (default 120 000; approvals take time). */
  callTimeoutMs?: number;
  /** How long a new connection may take to send its `pair` message, in ms (default 10 000). */
  pairTimeoutMs?: number;
  /** Clock for code expiry (tests). */
  now?: () => number;
  /** Reads a connection's remote address (default: the socket's). Tests use it to play a non-loopback peer. */
  remoteAddress?: (request: IncomingMessage) => string | undefined;
}

/** A running bridge. */
export interface BridgeServer {
  /** `ws://127.0.0.1:PORT/vib3-bridge`: what the page passes to `connectAgentBridge`. */
  url: string;
  port: number;
  /** Issues a pairing code for a page of `origin` (one of `allowedOrigins`). Show it to the user. */
  issueCode(origin: string): IssuedCode;
  /** Revokes a code: an unused one can no longer pair, and a session paired with it ends. */
  revoke(code: string): void;
  /**
   * The paired canvas (a {@link CanvasSession}; the same object for the bridge's lifetime). Before
   * a page pairs it lists the kit's canvas pack and answers `CANVAS_NOT_CONNECTED`.
   */
  session(): PairedSession;
  /** Ends any session and stops listening. */
  close(): Promise<void>;
}

/** A coded error of the bridge's own API (bad options, refused origin). */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly suggestion: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** ws 8's server class (its ESM entry exports it by name; the installed typings are ws 7's). */
const WebSocketServer = (wsPackage as unknown as { WebSocketServer: typeof WebSocket.Server }).WebSocketServer;

/** Whether `address` is a loopback address: 127.0.0.0/8, `::1`, or IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  if (isIP(address) !== 6) return false;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(address) || address === '::1';
}

/** An origin in the form browsers send (`scheme://host[:port]`), or undefined. */
function canonicalOrigin(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== origin.replace(/\/$/, '')) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

const REFUSALS: Record<RefusalCode, [number, string]> = {
  PAIRING_CODE_UNKNOWN: [CLOSE.PAIRING_REFUSED, 'No such pairing code.'],
  PAIRING_CODE_USED: [CLOSE.PAIRING_REFUSED, 'This pairing code was already used.'],
  PAIRING_CODE_REVOKED: [CLOSE.PAIRING_REFUSED, 'This pairing code was revoked.'],
  PAIRING_CODE_EXPIRED: [CLOSE.PAIRING_REFUSED, 'This pairing code has expired.'],
  ORIGIN_MISMATCH: [CLOSE.ORIGIN_REFUSED, 'This code was issued for another origin; it is now revoked.'],
  TOO_MANY_ATTEMPTS: [CLOSE.TOO_MANY_ATTEMPTS, 'Too many failed attempts; every open code was revoked.'],
};

/** The text of a frame (ws hands text frames over as Buffers). */
function textOf(data: WebSocket.Data): { text: string; bytes: number } {
  const buf = Array.isArray(data) ? Buffer.concat(data) : typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as ArrayBuffer);
  return { text: buf.toString('utf8'), bytes: buf.byteLength };
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${status.length}\r\n\r\n${status}`);
  socket.destroy();
}

/**
 * Starts the bridge on loopback. Rejects with a {@link BridgeError} for a non-loopback `host`,
 * bad origins, or a port that cannot be bound.
 */
export async function startBridge(options: BridgeOptions): Promise<BridgeServer> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) throw new BridgeError('BRIDGE_NOT_LOOPBACK', `The bridge only listens on loopback; "${host}" is not a loopback address.`, 'Use 127.0.0.1 or ::1. Pages on this machine reach it there.');
  if (!Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) throw new BridgeError('ORIGIN_REQUIRED', 'The bridge needs at least one allowed page origin.', 'Pass the origin of the page that will pair, e.g. http://localhost:8000.');
  const allowed = new Set<string>();
  for (const o of options.allowedOrigins) {
    const c = canonicalOrigin(o);
    if (!c) throw new BridgeError('ORIGIN_INVALID', `"${o}" is not a page origin.`, 'Give origins as scheme://host[:port] with http or https, no path and no wildcard.');
    allowed.add(c);
  }
  const ttl = options.codeTtlMs ?? 5 * 60_000;
  if (!(ttl > 0 && Number.isFinite(ttl))) throw new BridgeError('TTL_INVALID', 'codeTtlMs must be a positive number of milliseconds.', 'Leave it out for 5 minutes.');
  const now = options.now ?? Date.now;
  const codes = new PairingCodes(ttl, now);
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const pairTimeoutMs = options.pairTimeoutMs ?? 10_000;
  const remoteOf = options.remoteAddress ?? ((r: IncomingMessage) => r.socket.remoteAddress);

  const session = new PairedSession(() => {
    const open = codes.openCode();
    return open
      ? `Open the page at ${open.origin} and enter pairing code ${open.code} (valid until ${new Date(open.expiresAt).toISOString()}), then retry.`
      : 'Issue a pairing code (the MCP server prints one), enter it in the page with the canvas, then retry.';
  });

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' }).end('The VIB3 agent bridge only speaks WebSocket.');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_ANSWER_BYTES, perMessageDeflate: false });
  let port = 0;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const remote = remoteOf(req);
    if (!isLoopbackAddress(remote)) {
      log(`bridge: refused a connection from ${String(remote)} (not loopback)`);
      return refuseUpgrade(socket, '403 Forbidden');
    }
    let path = '';
    try {
      path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      // refused below
    }
    if (path !== BRIDGE_PATH) return refuseUpgrade(socket, '404 Not Found');
    // DNS rebinding: a browser addressing us by any other name is not one of our pages' connections.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader)) {
      log(`bridge: refused a connection for host "${hostHeader.slice(0, 80)}"`);
      return refuseUpgrade(socket, '403 Forbidden');
    }
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : '';
    // ws 8 takes any Duplex; its v7 typings say Socket.
    wss.handleUpgrade(req, socket as Socket, head, (ws) => onConnection(ws, origin));
  });

  function onConnection(ws: WebSocket, origin: string): void {
    ws.on('error', () => undefined);
    const refuse = (closeCode: number, code: string, message: string) => {
      state = 'refused';
      clearTimeout(timer);
      log(`bridge: refused a page of ${origin.slice(0, 100) || '(no origin)'}: ${code}`);
      ws.close(closeCode, closeReason(code, message));
    };
    let state: 'pairing' | 'paired' | 'refused' = 'pairing';
    let link: PageLink | undefined;
    const timer = setTimeout(() => refuse(CLOSE.PAIRING_TIMEOUT, 'PAIRING_TIMEOUT', 'No pair message in time.'), pairTimeoutMs);
    if (!allowed.has(origin)) return refuse(CLOSE.ORIGIN_REFUSED, 'ORIGIN_NOT_ALLOWED', 'This page origin is not allowed to pair.');

    ws.on('message', (data: WebSocket.Data, isBinary?: boolean) => {
      if (state === 'refused') return;
      if (isBinary === true) return link ? link.end(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'Binary frames are not accepted.') : refuse(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'Binary frames are not accepted.');
      const { text, bytes } = textOf(data);
      if (link) return link.receive(text);
      if (bytes > MAX_PAIR_BYTES) return refuse(CLOSE.TOO_LARGE, 'MESSAGE_TOO_LARGE', `The pair message is over ${MAX_PAIR_BYTES} bytes.`);
      const pair = parsePair(text);
      if (!pair) return refuse(CLOSE.BAD_MESSAGE, 'BAD_MESSAGE', 'The first message must be { type: "pair", code, kit }.');
      const result = codes.consume(pair.code, origin);
      if (!result.ok) {
        const [closeCode, message] = REFUSALS[result.refusal];
        if (result.refusal === 'TOO_MANY_ATTEMPTS') log('bridge: too many failed pairing attempts; every open code was revoked');
        return refuse(closeCode, result.refusal, message);
      }
      clearTimeout(timer);
      state = 'paired';
      session.endPage(CLOSE.REPLACED, 'SESSION_REPLACED', 'Another page paired with a newer code.');
      link = new PageLink(ws, { code: result.code, origin, kit: pair.kit }, {
        callTimeoutMs,
        onToolsChanged: () => session.changed(),
        onEnd: (l, code) => {
          log(`bridge: the page of ${l.info.origin} is no longer paired (${code})`);
          session.detach(l);
        },
      });
      ws.send(JSON.stringify({ type: 'paired' }));
      log(`bridge: paired a page of ${origin} (kit ${pair.kit.replace(/[^\w.+-]/g, '?')})`);
      session.attach(link);
    });
    ws.on('close', () => {
      clearTimeout(timer);
      link?.socketClosed();
    });
    let alive = true;
    ws.on('pong', () => (alive = true));
    heartbeats.set(ws, () => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    });
    ws.once('close', () => heartbeats.delete(ws));
  }

  // Dead pages (a closed laptop lid, a killed tab) are noticed within two intervals.
  const heartbeats = new Map<WebSocket, () => void>();
  const beat = setInterval(() => {
    for (const f of heartbeats.values()) f();
  }, 20_000);
  beat.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => reject(new BridgeError('BRIDGE_LISTEN_FAILED', `The bridge could not listen on ${host}:${options.port ?? 0}: ${err.code ?? err.message}.`, 'Pick another port, or leave the port out for a free one.')));
    http.listen({ host, port: options.port ?? 0 }, () => resolve());
  }).catch((err: unknown) => {
    clearInterval(beat);
    throw err;
  });
  const address = http.address() as AddressInfo;
  if (!isLoopbackAddress(address.address)) {
    clearInterval(beat);
    http.close();
    throw new BridgeError('BRIDGE_NOT_LOOPBACK', `The bridge was bound to ${address.address}, which is not loopback.`, 'Use 127.0.0.1 or ::1.');
  }
  port = address.port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}${BRIDGE_PATH}`;
  log(`bridge: listening on ${url} for ${[...allowed].join(', ')}`);

  return {
    url,
    port,
    issueCode(origin: string) {
      const c = canonicalOrigin(origin);
      if (!c || !allowed.has(c)) throw new BridgeError('ORIGIN_NOT_ALLOWED', `"${origin}" is not one of the bridge's allowed origins.`, `Use one of: ${[...allowed].join(', ')}; or start the bridge with that origin allowed.`);
      const issued = codes.issue(c);
      log(`bridge: issued a pairing code for ${c}, valid until ${new Date(issued.expiresAt).toISOString()}`);
      return issued;
    },
    revoke(code: string) {
      const canonical = codes.revoke(code);
      if (canonical === undefined) return;
      log('bridge: revoked a pairing code');
      if (session.page?.code === canonical) session.endPage(CLOSE.REVOKED, 'SESSION_REVOKED', 'The pairing code of this session was revoked.');
    },
    session: () => session,
    async close() {
      clearInterval(beat);
      session.endPage(CLOSE.BRIDGE_CLOSED, 'BRIDGE_CLOSED', 'The bridge shut down.');
      for (const ws of wss.clients) ws.close(CLOSE.BRIDGE_CLOSED, closeReason('BRIDGE_CLOSED', 'The bridge shut down.'));
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        force.unref();
        http.close(() => {
          clearTimeout(force);
          resolve();
        });
        http.closeAllConnections?.();
      });
      wss.close();
    },
  };
}
