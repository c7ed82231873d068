/**
 * The headless page's loopback server: the kit's built files (its `dist/` folder, nothing else
 * of the disk) and the installed extension packages, on 127.0.0.1 at a free port. The page
 * itself (`/agent/headless.html`) is served under a strict Content Security Policy: scripts only
 * from this origin (no inline script, no eval), frames only from it (the extension sandbox).
 * Node-only.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_TYPES } from '../../listings/previews/server.js';

/** The page's path on the server. */
export const PAGE_PATH = '/agent/headless.html';

/** The policy of the page. */
export const HEADLESS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');


/** A running page server. */
export interface HeadlessServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The page's URL. */
  pageUrl: string;
  close(): Promise<void>;
}

/**
 * Serves `distDir` and `packages` (path → bytes, e.g. `/__vib3/extensions/0.vib3x`).
 */
export async function startHeadlessServer(distDir: string, packages: ReadonlyMap<string, Uint8Array> = new Map()): Promise<HeadlessServer> {
  const root = resolve(distDir);
  let expectedHost = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      // Only the page this process opened talks to this server: loopback, by the address it was given.
      if (req.headers.host !== expectedHost || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
        return;
      }
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const pkg = packages.get(path);
      if (pkg) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(pkg);
        return;
      }
      let file: string;
      try {
        file = normalize(join(root, decodeURIComponent(path)));
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
        return;
      }
      const body = file.startsWith(root + sep) ? await readFile(file).catch(() => undefined) : undefined;
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
      if (path === PAGE_PATH) headers['content-security-policy'] = HEADLESS_CSP;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  expectedHost = `127.0.0.1:${port}`;
  const origin = `http://${expectedHost}`;
  return {
    origin,
    pageUrl: `${origin}${PAGE_PATH}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
