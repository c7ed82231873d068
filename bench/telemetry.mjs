#!/usr/bin/env node
// Page telemetry (issue 23): what enableTelemetry costs. The lazy OpenTelemetry chunk's bytes (raw
// and gzip), whether a page that never enables telemetry fetches it or sends anything, and the
// main-thread time per frame of one <vib3-canvas> with telemetry off vs on (Chrome's TaskDuration
// over a window, divided by the frames drawn), in headless Chromium, under a CSP without
// 'unsafe-eval' (violations are listed). Writes bench/results/telemetry.json and .md.
// Not part of `npm test`: numbers are reported, never asserted. Needs `npm run build` first.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../test/chromium-flags.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS || 4000);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The chunk and what it pulls in (every chunk it imports that the entry does not load anyway).
const chunkFiles = readdirSync('dist/chunks').filter((f) => f.endsWith('.js'));
const imports = (f) => [...readFileSync(join('dist/chunks', f), 'utf8').matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]);
const entryText = readFileSync('dist/vib3-embed.js', 'utf8');
const eager = new Set();
for (const q = [...entryText.matchAll(/from\s*["']\.\/chunks\/([\w.-]+\.js)["']/g)].map((m) => m[1]); q.length; ) {
  const f = q.shift();
  if (!eager.has(f)) (eager.add(f), q.push(...imports(f)));
}
const otelChunk = chunkFiles.find((f) => f.startsWith('browser-otel-'));
if (!otelChunk) throw new Error('no dist/chunks/browser-otel-*.js: run `npm run build` first');
const lazyFiles = [otelChunk, ...imports(otelChunk).filter((f) => !eager.has(f))];
const bytes = Object.fromEntries(lazyFiles.map((f) => { const b = readFileSync(join('dist/chunks', f)); return [f, { raw: b.length, gzip: gzipSync(b, { level: 9 }).length }]; }));
const total = Object.values(bytes).reduce((t, b) => ({ raw: t.raw + b.raw, gzip: t.gzip + b.gzip }), { raw: 0, gzip: 0 });
const eval_ = lazyFiles.filter((f) => /\bnew Function\s*\(|\beval\s*\(/.test(readFileSync(join('dist/chunks', f), 'utf8')));

// A same-origin OTLP receiver counting what arrives.
const received = [];
const collect = (path) => (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received.push({ path, bytes: Buffer.concat(chunks).length });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
};
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'";
const { server, url } = await serveStatic({ headers: () => ({ 'content-security-policy': CSP }), routes: { '/otlp/v1/traces': collect('/v1/traces'), '/otlp/v1/metrics': collect('/v1/metrics') } });

const results = {};
for (const [name, set] of Object.entries(FLAG_SETS)) {
  const off = [];
  const on = [];
  let offPage;
  let violations = [];
  let backend;
  for (let i = 0; i < RUNS; i++) {
    for (const mode of i % 2 ? ['on', 'off'] : ['off', 'on']) {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: set.args });
      const page = await browser.newPage({ viewport: { width: 400, height: 300 } });
      const requested = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      await page.goto(`${url}/bench/pages/telemetry.html`);
      await page.waitForFunction(() => window.bench, null, { timeout: 30_000 });
      backend = await page.evaluate(() => window.bench.ready);
      if (mode === 'on') await page.evaluate(() => window.bench.enable(1));
      await page.waitForTimeout(500);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      const f0 = await page.evaluate(() => window.bench.frames());
      const m0 = await metric();
      await page.waitForTimeout(WINDOW_MS);
      const m1 = await metric();
      const f1 = await page.evaluate(() => window.bench.frames());
      const perFrameMs = ((m1.TaskDuration - m0.TaskDuration) * 1000) / Math.max(1, f1 - f0);
      (mode === 'on' ? on : off).push({ perFrameMs, frames: f1 - f0 });
      if (mode === 'off' && !offPage) offPage = { requested: requested.filter((p) => /browser-otel|opentelemetry|\/otlp\//.test(p)) };
      if (mode === 'on') await page.evaluate(() => window.bench.flush());
      violations = [...violations, ...(await page.evaluate(() => window.bench.violations))];
      await browser.close();
    }
  }
  results[name] = {
    backend,
    framesPerWindow: median(off.map((s) => s.frames)),
    offMsPerFrame: median(off.map((s) => s.perFrameMs)),
    onMsPerFrame: median(on.map((s) => s.perFrameMs)),
    offPageTelemetryRequests: offPage.requested,
    cspViolations: [...new Set(violations)],
  };
}
server.close();

const result = { date: new Date().toISOString(), chromium: CHROMIUM_PATH, runs: RUNS, windowMs: WINDOW_MS, lazyChunks: bytes, lazyTotal: total, evalInLazyChunks: eval_, otlpRequestsReceived: { traces: received.filter((r) => r.path === '/v1/traces').length, metrics: received.filter((r) => r.path === '/v1/metrics').length }, perBackend: results };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/telemetry.json', `${JSON.stringify(result, null, 2)}\n`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const md = `# Page telemetry benchmark (${result.date})

The OpenTelemetry pipeline \`enableTelemetry\` loads (lazy; pages that never call it do not fetch it):

| file | raw | gzip |
|---|---|---|
${Object.entries(bytes).map(([f, b]) => `| \`dist/chunks/${f}\` | ${kb(b.raw)} | ${kb(b.gzip)} |`).join('\n')}
| total | ${kb(total.raw)} | ${kb(total.gzip)} |

\`eval\` / \`new Function\` in them: ${eval_.length ? eval_.join(', ') : 'none'}. Pages ran under \`${CSP}\`.

Main-thread time per frame of one 320×240 \`<vib3-canvas>\` (Chrome TaskDuration over ${WINDOW_MS} ms ÷ frames drawn; median of ${RUNS} fresh pages each):

| flags | backend | frames / window | telemetry off | telemetry on | telemetry requests of a page that leaves it off | CSP violations |
|---|---|---|---|---|---|---|
${Object.entries(results).map(([n, r]) => `| ${n} | ${r.backend} | ${r.framesPerWindow} | ${r.offMsPerFrame.toFixed(3)} ms | ${r.onMsPerFrame.toFixed(3)} ms | ${r.offPageTelemetryRequests.length ? r.offPageTelemetryRequests.join(', ') : 'none'} | ${r.cspViolations.length ? r.cspViolations.join('; ') : 'none'} |`).join('\n')}

OTLP requests received from the pages with telemetry on (after their flush): ${result.otlpRequestsReceived.traces} traces, ${result.otlpRequestsReceived.metrics} metrics.
`;
writeFileSync('bench/results/telemetry.md', md);
console.log(md);
