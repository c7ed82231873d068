// web-test-runner plugin: two loopback HTTP servers ("granted" and "forbidden" origins) that log
// every request (including WebSocket upgrades) so browser tests can check what reached the
// network — not what a page's API returned. Commands: vib3-netlog-start, vib3-netlog-read.
import { createServer } from 'node:http';

let servers;
const log = [];

function start(name) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      log.push({ server: name, method: req.method, url: req.url });
      const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
      if (req.url?.startsWith('/events')) {
        res.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
        res.end('data: hello\n\n');
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/plain' });
      res.end(req.url?.endsWith('.js') ? 'self.imported = true;' : `hello from ${name}`);
    });
    server.on('upgrade', (req, socket) => {
      log.push({ server: name, method: 'UPGRADE', url: req.url });
      socket.destroy();
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

export const networkLogPlugin = {
  name: 'vib3-netlog',
  async executeCommand({ command }) {
    if (command === 'vib3-netlog-start') {
      servers ??= { granted: await start('granted'), forbidden: await start('forbidden') };
      return { granted: servers.granted.origin, forbidden: servers.forbidden.origin };
    }
    if (command === 'vib3-netlog-read') return [...log];
    return undefined;
  },
  serverStop() {
    for (const s of Object.values(servers ?? {})) s.server.close();
  },
};
