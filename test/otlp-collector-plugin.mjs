// web-test-runner plugin: a loopback OTLP/HTTP JSON receiver for the page-telemetry suite
// (test/browser/telemetry.test.ts). It answers CORS (the page's exporter sends JSON with fetch, so
// every export is preflighted) and records every request, preflights included, so a test can also
// check that nothing reached it. Commands: vib3-otlp-start -> origin, vib3-otlp-read -> requests,
// vib3-otlp-clear.
import { createServer } from 'node:http';

let collector;
const requests = [];

const cors = (req) => ({
  'access-control-allow-origin': req.headers.origin ?? '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
  'access-control-max-age': '0',
  'cache-control': 'no-store',
});

function start() {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const body = Buffer.concat(chunks).toString('utf8');
        requests.push({ method: req.method, path, contentType: req.headers['content-type'] ?? '', body });
        if (req.method === 'OPTIONS') {
          res.writeHead(204, cors(req)).end();
          return;
        }
        if (req.method !== 'POST' || (path !== '/v1/traces' && path !== '/v1/metrics')) {
          res.writeHead(404, cors(req)).end();
          return;
        }
        res.writeHead(200, { ...cors(req), 'content-type': 'application/json' }).end('{}');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

export const otlpCollectorPlugin = {
  name: 'vib3-otlp-collector',
  async executeCommand({ command }) {
    if (command === 'vib3-otlp-start') {
      collector ??= await start();
      return collector.origin;
    }
    if (command === 'vib3-otlp-read') return [...requests];
    if (command === 'vib3-otlp-clear') {
      requests.length = 0;
      return true;
    }
    return undefined;
  },
  serverStop() {
    collector?.server.close();
  },
};
