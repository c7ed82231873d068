// A real registry for browser tests and benchmarks, as a process of its own
// (`node --import tsx test/support/registry-fixture.ts`): PGlite + file blobs in a temporary
// folder, a publisher `acme` and the extension `com.acme.shapes` released as 1.0.0, 1.1.0,
// 2.0.0-beta.1 (beta) and 3.0.0-canary.1 (canary), a man-in-the-middle proxy in front of it, and
// a loopback control server (CORS open, so a page can steer it):
//   POST /publish   { id?, version, channel?, padding?, paid?, attested? }  publish one more version
//                   (attested: with an SBOM and a provenance statement; a string names the builder)
//   POST /license   { id, aud, entitlements? }   a license the registry issues (acme's checkout)
//   POST /revoke    { jti }                      revoke it
//   POST /stop      stop the registry (the proxy then answers 502: "the network is gone")
//   POST /start     start it again on the same port and data
//   GET  /root      the registry's 1.root.json (what a page pins as its trusted root)
//   POST /sync-status  partner sync statuses for the admin view: two partners enabled, a listing
//                   event of com.acme.shapes pushed (npm: synced; mcp-registry: refused → a dead
//                   letter); answers { adminToken }
// It prints one JSON line { registry, proxy, control } and runs until stdin closes.
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../../src/registry/server.js';
import { api, attestedPackage, createPublisher, makePackage, publish } from '../registry/harness.js';
import { startMitmProxy } from './mitm-proxy.js';
import { syncStatusFixture } from './sync-fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vib3-fixture-'));
let reg: RunningRegistry | undefined = await startRegistry({ port: 0, dataDir, log: () => undefined });
const port = Number(new URL(reg.url).port);
const base = reg.url;
const acme = await createPublisher(reg, 'acme');

async function release(id: string, version: string, channel?: string, padding?: number, paid?: boolean, attested?: boolean | string): Promise<void> {
  // Any kit version: the browser suites run the kit from source (version 0.0.0-dev).
  const edit = (m: Record<string, any>) => {
    m.compatibility = { ...m.compatibility, core: '>=0.0.0-0' };
    if (paid) m.marketplace.pricing = { model: 'paid', amount: 5, currency: 'EUR' };
  };
  const spec = { id, version, title: id.split('.').pop()!, edit, ...(padding ? { padding } : {}) };
  const bytes = attested ? await attestedPackage(acme, spec, typeof attested === 'string' ? attested : undefined) : await makePackage(acme, spec);
  const res = await publish(base, acme.token, id, version, bytes);
  if (res.status !== 201) throw new Error(`publish ${id}@${version}: ${res.status} ${JSON.stringify(res.body)}`);
  if (channel && channel !== 'stable') {
    const moved = await api(base, `/v1/extensions/${id}/channels/${channel}`, { method: 'PUT', token: acme.token, json: { version } });
    if (moved.status !== 200) throw new Error(`channel ${channel}: ${moved.status}`);
  }
}

for (const [v, ch] of [['1.0.0'], ['1.1.0'], ['2.0.0-beta.1', 'beta'], ['3.0.0-canary.1', 'canary']] as const) await release('com.acme.shapes', v, ch);

const proxy = await startMitmProxy(base);

const body = async (req: IncomingMessage): Promise<any> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
};

const control = createServer(async (req, res) => {
  const headers = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'content-type': 'application/json' };
  if (req.method === 'OPTIONS') return void res.writeHead(204, headers).end();
  try {
    let answer: unknown = { ok: true };
    if (req.method === 'POST' && req.url === '/publish') {
      const b = await body(req);
      await release(b.id ?? 'com.acme.shapes', b.version, b.channel, b.padding, b.paid, b.attested);
    } else if (req.method === 'POST' && req.url === '/license') {
      // The publisher's checkout: a license the registry signs (see docs/LICENSING.md).
      const b = await body(req);
      answer = (await api(base, `/v1/extensions/${b.id}/licenses`, { method: 'POST', token: acme.token, json: { sub: 'customer-1', aud: b.aud, tier: 'pro', entitlements: b.entitlements ?? [] } })).body;
    } else if (req.method === 'POST' && req.url === '/revoke') {
      const b = await body(req);
      answer = (await api(base, `/v1/licenses/${b.jti}/revoke`, { method: 'POST', token: acme.token, json: { reason: 'refunded' } })).body;
    } else if (req.method === 'POST' && req.url === '/stop') {
      await reg?.close();
      reg = undefined;
    } else if (req.method === 'POST' && req.url === '/start') {
      reg ??= await startRegistry({ port, dataDir, log: () => undefined });
    } else if (req.method === 'POST' && req.url === '/sync-status') {
      answer = await syncStatusFixture(reg!, base);
    } else if (req.method === 'GET' && req.url === '/root') {
      answer = JSON.parse(readFileSync(join(dataDir, 'root.json'), 'utf8'));
    } else {
      res.writeHead(404, headers).end('{"error":"no such control"}');
      return;
    }
    res.writeHead(200, headers).end(JSON.stringify(answer));
  } catch (err) {
    res.writeHead(500, headers).end(JSON.stringify({ error: (err as Error).message }));
  }
});
await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
const controlUrl = `http://127.0.0.1:${(control.address() as { port: number }).port}`;
process.stdout.write(`${JSON.stringify({ registry: base, proxy: proxy.url, control: controlUrl })}\n`);

const shutdown = async () => {
  control.close();
  await proxy.close().catch(() => undefined);
  await reg?.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
