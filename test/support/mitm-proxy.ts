/**
 * A loopback man-in-the-middle HTTP proxy in front of a registry (node:http), for attack tests:
 * it passes requests through to `upstream` unless a rule matches the request's pathname, and then
 * answers in the attacker's way instead — a replayed or replaced body, one flipped byte, an endless
 * body, a response that stalls after its headers, or a bare status.
 *
 * Node tests steer it directly (`rule`, `capture`); browser tests (cross-origin) through control
 * endpoints, CORS `*` on everything it serves:
 *   POST /__mitm/rules    { rules: [{ match: "regex source", action, bytesBase64?, status?, path? }] }  → { ok, rules }
 *                         (replay/replace take bytesBase64, or `path` of an earlier capture)
 *   POST /__mitm/capture  { path }   → { path, base64 }   (fetches and remembers the current upstream bytes)
 *   GET  /__mitm/requests            → { requests }       (paths requested since start, rules' hits included)
 * When upstream is down, pass-through answers 502 (the network is gone).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with requests whose pathname matches `match` (the first matching rule wins). */
export type MitmRule =
  | { match: RegExp; action: 'replay'; bytes: Uint8Array }
  | { match: RegExp; action: 'flip-byte' }
  | { match: RegExp; action: 'replace'; bytes: Uint8Array }
  | { match: RegExp; action: 'endless' }
  | { match: RegExp; action: 'stall' }
  | { match: RegExp; action: 'status'; status: number };

/** A running proxy. */
export interface MitmProxy {
  /** Base URL of the proxy (use it where the registry URL would go). */
  url: string;
  /** Fetches `path` from upstream now, remembers and returns its bytes (to replay them later). */
  capture(path: string): Promise<Uint8Array>;
  /** Sets the active rules (one, a list, or none with `null`). */
  rule(r: MitmRule | readonly MitmRule[] | null): void;
  /** Every request path (with query) received, in order, control endpoints excluded. */
  requests: string[];
  /** Stops the proxy, dropping open connections (stalled and endless ones too). */
  close(): Promise<void>;
}

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, HEAD, POST, PUT, OPTIONS', 'access-control-expose-headers': '*' };
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
/** Endless bodies stop here even if a broken client never hangs up (the test then fails instead of hanging). */
const ENDLESS_CAP = 256 * 1024 * 1024;

interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Starts a proxy in front of `upstream` (e.g. `http://127.0.0.1:4873`) on a free loopback port. */
export async function startMitmProxy(upstream: string): Promise<MitmProxy> {
  const base = new URL(upstream);
  let rules: MitmRule[] = [];
  const requests: string[] = [];
  const captured = new Map<string, Uint8Array>();
  const sockets = new Set<Socket>();

  /** One request to upstream, buffered. */
  const fetchUpstream = (method: string, path: string, headers: IncomingMessage['headers'] = {}, body?: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ hostname: base.hostname, port: base.port, path, method, headers: { ...forwardable(headers), host: base.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers as Upstream['headers'], body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const capture = async (path: string): Promise<Uint8Array> => {
    const res = await fetchUpstream('GET', path);
    if (res.status !== 200) throw new Error(`capture ${path}: upstream answered ${res.status}`);
    const bytes = new Uint8Array(res.body);
    captured.set(path, bytes);
    return bytes.slice();
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { ...CORS, 'content-type': 'text/plain' });
      res.end(`mitm proxy: ${err.message}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.method === 'OPTIONS') return void res.writeHead(204, CORS).end();
    if (url.pathname.startsWith('/__mitm/')) return control(url.pathname, req, res);
    requests.push(`${url.pathname}${url.search}`);
    const rule = rules.find((r) => r.match.test(url.pathname));
    if (!rule) return passThrough(req, res, url);
    switch (rule.action) {
      case 'replay':
      case 'replace':
        return void res.writeHead(200, { ...CORS, 'content-type': guessType(url.pathname), 'content-length': rule.bytes.length, 'cache-control': 'no-store' }).end(Buffer.from(rule.bytes));
      case 'status':
        return void res.writeHead(rule.status, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'MITM', message: `mitm proxy answered ${rule.status}`, suggestion: '' } }));
      case 'flip-byte': {
        const { 'accept-encoding': _, ...headers } = req.headers;
        let up: Upstream;
        try {
          up = await fetchUpstream(req.method ?? 'GET', `${url.pathname}${url.search}`, headers);
        } catch (err) {
          return void res.writeHead(502, { ...CORS, 'content-type': 'text/plain' }).end(`mitm proxy: upstream unreachable (${(err as Error).message})`);
        }
        const body = Buffer.from(up.body);
        if (body.length > 0) body[body.length >> 1] = body[body.length >> 1]! ^ 0x01;
        return void res.writeHead(up.status, { ...relayHeaders(up.headers), ...CORS, 'content-length': body.length }).end(body);
      }
      case 'endless':
        return endless(res, url.pathname);
      case 'stall':
        // Headers now, then nothing until the client (or close()) hangs up.
        res.writeHead(200, { ...CORS, 'content-type': guessType(url.pathname) });
        res.flushHeaders();
        return;
    }
  }

  function passThrough(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    return new Promise((resolve) => {
      const up = httpRequest({ hostname: base.hostname, port: base.port, path: `${url.pathname}${url.search}`, method: req.method, headers: { ...forwardable(req.headers), host: base.host } }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, { ...relayHeaders(upRes.headers as Upstream['headers']), ...CORS });
        upRes.pipe(res);
        upRes.on('end', resolve);
        upRes.on('error', () => (res.destroy(), resolve()));
      });
      up.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { ...CORS, 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'UPSTREAM_UNREACHABLE', message: `mitm proxy: upstream unreachable (${err.message})`, suggestion: '' } }));
        resolve();
      });
      req.pipe(up);
    });
  }

  async function control(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = (status: number, body: unknown) => void res.writeHead(status, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && path === '/__mitm/requests') return json(200, { requests });
    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readAll(req)).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return json(400, { error: 'the body is not JSON' });
    }
    if (path === '/__mitm/rules') {
      try {
        rules = ((body.rules as unknown[]) ?? []).map((r) => ruleFromJson(r, captured));
      } catch (err) {
        return json(400, { error: (err as Error).message });
      }
      return json(200, { ok: true, rules: rules.length });
    }
    if (path === '/__mitm/capture') {
      if (typeof body.path !== 'string' || !body.path.startsWith('/')) return json(400, { error: 'path must be an absolute path' });
      try {
        const bytes = await capture(body.path);
        return json(200, { path: body.path, base64: Buffer.from(bytes).toString('base64') });
      } catch (err) {
        return json(502, { error: (err as Error).message });
      }
    }
    return json(404, { error: `no control ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    capture,
    rule: (r) => {
      rules = r === null ? [] : Array.isArray(r) ? [...(r as readonly MitmRule[])] : [r as MitmRule];
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}

/** A rule from the control endpoint's JSON. */
function ruleFromJson(raw: unknown, captured: ReadonlyMap<string, Uint8Array>): MitmRule {
  const r = raw as { match?: unknown; action?: unknown; bytesBase64?: unknown; status?: unknown; path?: unknown };
  if (typeof r?.match !== 'string') throw new Error('a rule needs match (a regular expression source)');
  const match = new RegExp(r.match);
  const bytes = () => {
    if (typeof r.bytesBase64 === 'string') return new Uint8Array(Buffer.from(r.bytesBase64, 'base64'));
    const earlier = typeof r.path === 'string' ? captured.get(r.path) : undefined;
    if (!earlier) throw new Error(`${String(r.action)} needs bytesBase64 (or the path of an earlier capture)`);
    return earlier;
  };
  switch (r.action) {
    case 'replay':
    case 'replace':
      return { match, action: r.action, bytes: bytes() };
    case 'flip-byte':
    case 'endless':
    case 'stall':
      return { match, action: r.action };
    case 'status':
      if (typeof r.status !== 'number' || r.status < 100 || r.status > 599) throw new Error('status needs a status (100-599)');
      return { match, action: 'status', status: r.status };
    default:
      throw new Error(`unknown action ${JSON.stringify(r.action)}`);
  }
}

function endless(res: ServerResponse, path: string): void {
  res.writeHead(200, { ...CORS, 'content-type': guessType(path) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < ENDLESS_CAP && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => (sent = Infinity));
  pump();
}

function forwardable(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host') out[k] = v;
  return out;
}

function relayHeaders(headers: Upstream['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && !k.startsWith('access-control-')) out[k] = v;
  return out;
}

function guessType(path: string): string {
  return path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
