/**
 * `vib3 mcp --http PORT`: the MCP server over Streamable HTTP at `/mcp`, on `node:http` with the
 * SDK's `createMcpHandler` (the current revision per request, and the stateless legacy fallback
 * for 2025-era clients) wrapped by `toNodeHandler`.
 *
 * Security: loopback by default. Every request's Host header must name the address it was sent
 * to (DNS rebinding), and a browser's Origin must be a localhost origin. Listening on any other
 * interface requires a bearer token, and then every request must carry
 * `Authorization: Bearer <token>` (401 otherwise). Node-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import { createMcpHandler, localhostAllowedHostnames, localhostAllowedOrigins, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpServerFactory, type McpServerFactoryOptions } from './mcp-server.js';
import type { CanvasSession } from './session.js';

/** The path the MCP endpoint is served at. */
export const MCP_PATH = '/mcp';
/** The shortest bearer token accepted. */
export const MIN_TOKEN_LENGTH = 16;

/** Options of {@link startMcpHttp}. */
export interface McpHttpOptions extends Omit<McpServerFactoryOptions, 'notify'> {
  /** Port (0 picks a free one). */
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Bearer token every request must carry; required when `host` is not a loopback address. */
  token?: string;
  /** More Host header names to accept (e.g. the machine's DNS name when listening off loopback). */
  allowedHosts?: string[];
}

/** A running HTTP endpoint. */
export interface McpHttpServer {
  /** `http://<host>:<port>/mcp` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A coded startup failure (the CLI prints code, message and suggestion). */
export class McpHttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly suggestion: string,
  ) {
    super(message);
    this.name = 'McpHttpError';
  }
}

/** Whether `host` is a loopback address or name. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the Authorization header with `Bearer <token>`. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(sha256(m[1]!), sha256(token));
}

function refuse(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: `${code}: ${message}`, data: { code } } }));
}

/**
 * Serves the MCP endpoint for `session`. Refuses to start off loopback without a token
 * (TOKEN_REQUIRED) or with a token too short to be one (TOKEN_TOO_SHORT).
 * @throws McpHttpError TOKEN_REQUIRED, TOKEN_TOO_SHORT, PORT_IN_USE, LISTEN_FAILED.
 */
export async function startMcpHttp(session: CanvasSession, options: McpHttpOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const token = options.token;
  if (!loopback && !token) {
    throw new McpHttpError('TOKEN_REQUIRED', `Listening on ${host} (not loopback) needs a bearer token.`, 'Pass --token <secret> (or set VIB3_MCP_TOKEN), or listen on 127.0.0.1.');
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) throw new McpHttpError('TOKEN_TOO_SHORT', `The bearer token must be at least ${MIN_TOKEN_LENGTH} characters.`, 'Use a long random secret, e.g. openssl rand -hex 32.');

  const log = options.log ?? (() => undefined);
  const factory = createMcpServerFactory(session, { ...options, notify: 'none', transport: 'tcp' });
  const handler = createMcpHandler(factory, { legacy: 'stateless', onerror: (err) => log(`http: ${err.message}`) });
  const offTools = session.onToolsChanged(() => handler.notify.toolsChanged());
  const serve = toNodeHandler(handler, { onerror: (err) => log(`http: ${err.message}`) });
  const wildcard = host === '0.0.0.0' || host === '::';
  const hostnames = [...localhostAllowedHostnames(), ...(loopback || wildcard ? [] : [host.includes(':') ? `[${host}]` : host]), ...(options.allowedHosts ?? [])];
  const origins = localhostAllowedOrigins();

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Authentication comes first: nothing about the server is revealed without the token.
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      refuse(res, 401, 'UNAUTHORIZED', 'This MCP server needs Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer realm="vib3"' });
      return;
    }
    // DNS rebinding: the Host must be one of ours (off loopback on a wildcard address, the token guards it).
    if (!(wildcard && token !== undefined)) {
      const checked = validateHostHeader(req.headers.host, hostnames);
      if (!checked.ok) return refuse(res, 403, 'HOST_NOT_ALLOWED', checked.message);
    }
    const origin = validateOriginHeader(req.headers.origin, origins);
    if (!origin.ok) return refuse(res, 403, 'ORIGIN_NOT_ALLOWED', origin.message);
    if (path !== MCP_PATH) return refuse(res, 404, 'NOT_FOUND', `The MCP endpoint is ${MCP_PATH}.`);
    serve(req, res).catch((err: unknown) => {
      log(`http: ${(err as Error).message}`);
      if (!res.headersSent) refuse(res, 500, 'INTERNAL_ERROR', 'The request failed.');
    });
  };

  const server: Server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new McpHttpError('PORT_IN_USE', `Port ${options.port} on ${host} is in use.`, 'Choose another --http port (0 picks a free one), or stop the process using it.')
          : new McpHttpError('LISTEN_FAILED', `Cannot listen on ${host}:${options.port}: ${err.message}.`, 'Check --host and --http (ports below 1024 need privileges).'),
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}${MCP_PATH}`,
    port,
    close: () =>
      (closed ??= (async () => {
        offTools();
        factory.dispose();
        await handler.close().catch(() => undefined);
        await new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        });
      })()),
  };
}
