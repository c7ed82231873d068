// Minimal static file server for the demo and the end-to-end tests. Loopback only.
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;
const LOOPBACK_PEER = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * A route answering `GET` with the agent demo's config as JSON, `{ registry, token }`: the
 * registry whose `/v1/agent` proxy the chat uses and an agent token the demo server issued for
 * the page (`config` is that object, or a function returning it or a promise of it). Loopback
 * only: a peer off loopback or a `Host` header that does not name loopback (DNS rebinding) gets
 * 403, and the answer is never cached. No CORS headers, so other sites cannot read the token.
 */
export function agentConfigRoute(config) {
  return async (req, res) => {
    if (!LOOPBACK_PEER.test(req.socket.remoteAddress ?? '') || !LOOPBACK_HOST.test(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('loopback only');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    let body;
    try {
      body = JSON.stringify(await (typeof config === 'function' ? config() : config));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`agent config: ${err.message}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * Serves `root` on 127.0.0.1. `headers(path)` may add response headers (e.g. a CSP for a page).
 * `routes` maps exact paths to handlers `(req, res)` answered before any file (e.g.
 * `{ '/demo/agent-config.json': agentConfigRoute(...) }`). Resolves to { server, port, url }.
 */
export function serveStatic({ root = process.cwd(), port = 0, headers = () => ({}), routes = {} } = {}) {
  const base = resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (route) {
      void route(req, res);
      return;
    }
    let path = normalize(decodeURIComponent(url.pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(base, path);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    let size;
    try {
      const st = statSync(file);
      if (st.isDirectory()) {
        res.writeHead(302, { location: `${url.pathname}/` }).end();
        return;
      }
      size = st.size;
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store',
      ...headers(path),
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      ok({ server, port: actual, url: `http://127.0.0.1:${actual}` });
    });
  });
}
