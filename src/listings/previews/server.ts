/**
 * The preview page's loopback server: its own static page and script, the package to preview,
 * and the kit's built files under `/kit/` (read from the kit's dist/ folder, nothing else of the
 * disk). Listens on 127.0.0.1 on a free port. Node-only.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/** Content types of the files the kit's loopback page servers send. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/** What the preview server serves besides the kit. */
export interface PreviewSite {
  /** The page at `/`. */
  html: string;
  /** The page's script at `/preview.js`. */
  script: string;
  /** The package at `/extension.vib3x`. */
  pkg: Uint8Array;
  /** The kit's dist/ folder, served at `/kit/`. */
  kitDir: string;
}

/** A running preview server. */
export interface PreviewServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Starts the server for `site`. */
export async function startPreviewServer(site: PreviewSite): Promise<PreviewServer> {
  const kitRoot = resolve(site.kitDir);
  const fixed = new Map<string, { type: string; body: string | Uint8Array }>([
    ['/', { type: CONTENT_TYPES['.html']!, body: site.html }],
    ['/preview.js', { type: CONTENT_TYPES['.js']!, body: site.script }],
    ['/extension.vib3x', { type: 'application/octet-stream', body: site.pkg }],
  ]);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const page = fixed.get(path);
      if (page) {
        res.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' }).end(page.body);
        return;
      }
      if (path.startsWith('/kit/')) {
        const file = normalize(join(kitRoot, decodeURIComponent(path.slice('/kit/'.length))));
        if (file.startsWith(kitRoot + sep)) {
          const body = await readFile(file).catch(() => undefined);
          if (body) {
            res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
            return;
          }
        }
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
