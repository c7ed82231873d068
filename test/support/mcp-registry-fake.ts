// A loopback stand-in for the official MCP Registry (registry.modelcontextprotocol.io), which
// cannot run here. It speaks the registry's documented v0 API as the registry's own code serves it
// (github.com/modelcontextprotocol/registry @ 8f8fc8980168ed973b6105cd1e62942d7a721e10:
// docs/reference/api/openapi.yaml, generic-registry-api.md, official-registry-api.md,
// internal/api/handlers/v0/{publish,servers,health}.go, internal/service/registry_service.go,
// internal/database/postgres.go, pkg/api/v0/types.go), under /v0 and its /v0.1 alias:
//   POST /v0/publish                                  Authorization: Bearer <token>; body = server.json
//        200 ServerResponse; 422 "validation failed" (huma: missing header, struct tags, unknown
//        properties); 400 "validation failed" (body is not JSON); 401 (bad header / token);
//        403 (name outside the token's namespaces); 400 "Failed to publish server" (service:
//        $schema version, the published schema, duplicate name+version:
//        "invalid version: cannot publish duplicate version")
//   GET  /v0/servers?cursor=&limit=&search=&updated_since=&version=
//        200 { servers: ServerResponse[], metadata: { nextCursor?, count } }, ordered by name,
//        version; cursor "name:version"; limit 1..100, default 30
//   GET  /v0/servers/{serverName}/versions            200 ServerList (newest first) | 404
//   GET  /v0/servers/{serverName}/versions/{version}  200 ServerResponse ("latest" too) | 404
//   GET  /v0/health  GET /v0/ping
// ServerResponse = { server: <server.json>, _meta: { "io.modelcontextprotocol.registry/official":
// { status, publishedAt, updatedAt, isLatest } } }. Errors are huma's RFC 9457 problem documents
// (application/problem+json): { title, status, detail, errors?: [{ message, location?, value? }] }.
// Tokens are given to the fake with the namespaces they may publish (`io.github.acme/*`), standing
// in for the registry JWTs its /v0/auth endpoints mint. `failNext()` answers the next requests
// with an injected status (and Retry-After), for the push's retry classification.
import { createServer, type IncomingMessage, type ServerResponse as HttpResponse } from 'node:http';
import semver from 'semver';
import { humaValidate, serviceValidate, type ErrorDetail } from './mcp-registry-validate.js';

const OFFICIAL = 'io.modelcontextprotocol.registry/official';
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
/** ServerJSON's field order (Go marshals struct fields in declaration order). */
const FIELD_ORDER = ['$schema', 'name', 'description', 'title', 'repository', 'version', 'websiteUrl', 'icons', 'packages', 'remotes', '_meta'];

interface Entry {
  server: Record<string, unknown>;
  status: 'active' | 'deprecated' | 'deleted';
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

/** The running fake. */
export interface McpRegistryFake {
  url: string;
  /** Every request seen: method, path (with query) and the status answered. */
  requests: { method: string; path: string; status: number }[];
  /** Answers the next `count` requests with `status` (and a `Retry-After` of `retryAfter` seconds). */
  failNext(status: number, count?: number, retryAfter?: number): void;
  stop(): Promise<void>;
}

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: ErrorDetail[] = [],
  ) {
    super(detail);
  }
}

const responseOf = (e: Entry) => ({
  server: Object.fromEntries(FIELD_ORDER.filter((k) => e.server[k] !== undefined).map((k) => [k, e.server[k]])),
  _meta: { [OFFICIAL]: { status: e.status, publishedAt: e.publishedAt, updatedAt: e.updatedAt, isLatest: e.isLatest } },
});

/** registry_service.go CompareVersions: semver when both are semver, else the later publish wins. */
const isNewer = (a: string, b: string) => (semver.valid(a) && semver.valid(b) ? semver.gt(a, b) : true);

/** Whether a token's pattern (`ns/*`, `ns/name`, `*`) covers a server name. */
const permits = (pattern: string, name: string) => pattern === '*' || (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);

/** Starts the fake on a free loopback port. `tokens`: bearer token → namespaces it may publish. */
export async function startMcpRegistryFake(options: { tokens: Record<string, string[]> }): Promise<McpRegistryFake> {
  const servers = new Map<string, Map<string, Entry>>();
  const requests: McpRegistryFake['requests'] = [];
  const injected: { status: number; retryAfter?: number }[] = [];
  let clock = 0;
  /** Strictly increasing timestamps, so "updated since" and newest-first orders are exact. */
  const now = () => new Date(Math.max(Date.now(), (clock += 1))).toISOString();

  function publish(headers: IncomingMessage['headers'], raw: string): unknown {
    let body: unknown;
    const errors: ErrorDetail[] = [];
    const authorization = headers.authorization;
    if (authorization === undefined) errors.push({ message: 'required header parameter is missing', location: 'header.Authorization' });
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw new Problem(400, 'validation failed', [...errors, { message: (err as Error).message, location: 'body', value: raw }]);
    }
    errors.push(...humaValidate(body));
    if (errors.length > 0) throw new Problem(422, 'validation failed', errors);
    const doc = body as Record<string, unknown>;
    const name = doc.name as string;
    const version = doc.version as string;
    if (!/^bearer /i.test(authorization!)) throw new Problem(401, "Invalid Authorization header format. Expected 'Bearer <token>'");
    const patterns = options.tokens[authorization!.slice(7)];
    if (!patterns) throw new Problem(401, 'Invalid or expired Registry JWT token', [{ message: 'token is not valid for this registry' }]);
    if (!patterns.some((p) => permits(p, name))) {
      throw new Problem(403, `You do not have permission to publish this server. You have permission to publish: ${patterns.join(', ')}. Attempting to publish: ${name}`);
    }
    const problem = serviceValidate(doc);
    if (problem) throw new Problem(400, 'Failed to publish server', [{ message: problem }]);
    const versions = servers.get(name) ?? new Map<string, Entry>();
    if (versions.has(version)) throw new Problem(400, 'Failed to publish server', [{ message: 'invalid version: cannot publish duplicate version' }]);
    const latest = [...versions.values()].find((e) => e.isLatest);
    const at = now();
    const entry: Entry = { server: doc, status: 'active', publishedAt: at, updatedAt: at, isLatest: !latest || isNewer(version, latest.server.version as string) };
    if (entry.isLatest && latest) latest.isLatest = false;
    versions.set(version, entry);
    servers.set(name, versions);
    return responseOf(entry);
  }

  function list(query: URLSearchParams): unknown {
    const limitText = query.get('limit');
    const limit = limitText === null || limitText === '' ? 30 : Number(limitText);
    if (!Number.isInteger(limit)) throw new Problem(422, 'validation failed', [{ message: 'invalid integer', location: 'query.limit', value: limitText }]);
    if (limit < 1) throw new Problem(422, 'validation failed', [{ message: 'expected number >= 1', location: 'query.limit', value: limit }]);
    if (limit > 100) throw new Problem(422, 'validation failed', [{ message: 'expected number <= 100', location: 'query.limit', value: limit }]);
    let entries = [...servers.values()].flatMap((m) => [...m.values()]);
    const since = query.get('updated_since');
    if (since) {
      const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(since) ? Date.parse(since) : NaN;
      if (Number.isNaN(at)) throw new Problem(400, 'Invalid updated_since format: expected RFC3339 timestamp (e.g., 2025-08-07T13:15:04.280Z)');
      entries = entries.filter((e) => Date.parse(e.updatedAt) > at);
    }
    const search = query.get('search')?.toLowerCase();
    if (search) entries = entries.filter((e) => (e.server.name as string).toLowerCase().includes(search));
    const version = query.get('version');
    if (version === 'latest') entries = entries.filter((e) => e.isLatest);
    else if (version) entries = entries.filter((e) => e.server.version === version);
    const key = (e: Entry) => [e.server.name as string, e.server.version as string] as const;
    entries.sort((a, b) => (key(a)[0] === key(b)[0] ? (key(a)[1] < key(b)[1] ? -1 : 1) : key(a)[0] < key(b)[0] ? -1 : 1));
    const cursor = query.get('cursor');
    if (cursor) {
      const cut = cursor.indexOf(':');
      const [cn, cv] = cut >= 0 ? [cursor.slice(0, cut), cursor.slice(cut + 1)] : [cursor, undefined];
      entries = entries.filter((e) => key(e)[0] > cn || (cv !== undefined && key(e)[0] === cn && key(e)[1] > cv));
    }
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = last && page.length >= limit ? `${key(last)[0]}:${key(last)[1]}` : undefined;
    return { servers: page.map(responseOf), metadata: { ...(nextCursor ? { nextCursor } : {}), count: page.length } };
  }

  function byName(name: string, version?: string): unknown {
    const versions = servers.get(name);
    if (version === undefined) {
      if (!versions || versions.size === 0) throw new Problem(404, 'Server not found');
      const all = [...versions.values()].sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1));
      return { servers: all.map(responseOf), metadata: { count: all.length } };
    }
    const entry = version === 'latest' ? [...(versions?.values() ?? [])].find((e) => e.isLatest) : versions?.get(version);
    if (!entry) throw new Problem(404, 'Server not found');
    return responseOf(entry);
  }

  function route(method: string, path: string, query: URLSearchParams, headers: IncomingMessage['headers'], body: string): unknown {
    const m = /^\/v0(?:\.1)?(\/.*)$/.exec(path);
    const rest = m?.[1];
    if (rest === '/health' && method === 'GET') return { status: 'ok' };
    if (rest === '/ping' && method === 'GET') return { pong: true };
    if (rest === '/publish') {
      if (method !== 'POST') throw new Problem(405, 'Method Not Allowed');
      return publish(headers, body);
    }
    if (rest === '/servers') {
      if (method !== 'GET') throw new Problem(405, 'Method Not Allowed');
      return list(query);
    }
    // Path values arrive percent-decoded (Go's ServeMux) and the handler unescapes them once more.
    const parts = rest?.match(/^\/servers\/([^/]+)\/versions(?:\/([^/]+))?$/);
    if (parts && method === 'GET') {
      const decode = (s: string) => decodeURIComponent(decodeURIComponent(s));
      return byName(decode(parts[1]!), parts[2] === undefined ? undefined : decode(parts[2]));
    }
    const detail = m ? 'Endpoint not found. See /docs for the API documentation.' : `Endpoint not found. Did you mean '/v0.1${path}' or '/v0${path}'? See /docs for the API documentation.`;
    throw new Problem(404, detail);
  }

  const send = (res: HttpResponse, status: number, body: unknown, type: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, ...extra });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const record = (status: number) => requests.push({ method, path: `${url.pathname}${url.search}`, status });
      const fault = injected.shift();
      if (fault) {
        record(fault.status);
        const body = { title: STATUS_TEXT[fault.status] ?? 'Error', status: fault.status, detail: 'injected failure' };
        return send(res, fault.status, body, 'application/problem+json', fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {});
      }
      try {
        const body = route(method, url.pathname, url.searchParams, req.headers, Buffer.concat(chunks).toString('utf8'));
        record(200);
        send(res, 200, body, 'application/json');
      } catch (err) {
        const p = err instanceof Problem ? err : new Problem(500, 'Internal server error');
        record(p.status);
        send(res, p.status, { title: STATUS_TEXT[p.status] ?? 'Error', status: p.status, detail: p.detail, ...(p.errors.length ? { errors: p.errors } : {}) }, 'application/problem+json');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(status, count = 1, retryAfter) {
      for (let i = 0; i < count; i++) injected.push({ status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
