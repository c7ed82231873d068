// The registry's telemetry dashboard end to end (docs/TELEMETRY.md "The dashboard"): a built
// `vib3 registry serve` receives OTLP/HTTP JSON spans and metrics (POST /v1/traces, /v1/metrics with
// the admin token), Chromium opens <registry>/dashboard (served with a strict CSP, no inline script
// or style), signs in with the admin token (kept in sessionStorage, never in the URL), and the
// tables show the seeded aggregates while the uPlot charts draw; a later export shows up live; no
// CSP violation fires and axe-core finds nothing. The kit's files are served read-only from dist/:
// `..` in any encoding, hidden files, the CLI, other extensions and symbolic links out of dist/ are
// refused; without dist/ the page answers the coded error KIT_FILES_NOT_FOUND.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tsImport } from 'tsx/esm/api';
import { launch } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const LONG = { timeout: 60_000 };
const KEY = 'vib3.dashboard.adminToken';

let registry;
let url;
let admin;
let data;
let browser;

// --- OTLP/JSON (ExportTraceServiceRequest / ExportMetricsServiceRequest) -----------------------
const str = (v) => ({ stringValue: v });
const int = (v) => ({ intValue: String(v) });
const dbl = (v) => ({ doubleValue: v });
const attrs = (o) => Object.entries(o).map(([key, value]) => ({ key, value }));
const ns = (ms) => (BigInt(Math.round(ms)) * 1_000_000n).toString();
const hex = (bytes) => randomBytes(bytes).toString('hex');
const span = (name, at, ms, a, error = false) => ({ traceId: hex(16), spanId: hex(8), name, kind: 1, startTimeUnixNano: ns(at), endTimeUnixNano: ns(at + ms), attributes: attrs(a), ...(error ? { status: { code: 2, message: 'failed' } } : {}) });
const traces = (spans) => ({ resourceSpans: [{ resource: { attributes: attrs({ 'service.name': str('vib3-e2e') }) }, scopeSpans: [{ scope: { name: 'vib3' }, spans }] }] });
const tool = (name, extra = {}) => ({ 'gen_ai.operation.name': str('execute_tool'), 'gen_ai.tool.name': str(name), ...extra });
const chat = (input, output, cost) => ({ 'gen_ai.operation.name': str('chat'), 'gen_ai.provider.name': str('openai'), 'gen_ai.request.model': str('gpt-4o-mini'), 'gen_ai.usage.input_tokens': int(input), 'gen_ai.usage.output_tokens': int(output), 'vib3.cost.usd': dbl(cost) });
const BOUNDS = [4, 8, 16, 33, 50];
const FRAMES = [5, 30, 10, 3, 1, 1];

/** What is exported, minutes before now (inside the dashboard's default window, the last hour). */
function seedSpans(now) {
  let t = now - 30 * 60_000;
  const at = () => (t += 1000);
  return [
    ...[10, 20, 30, 40].map((ms, k) => span('execute_tool set_params', at(), ms, tool('set_params', k === 1 ? { 'error.type': str('invalid_input') } : {}), k === 1)),
    span('execute_tool render_snapshot', at(), 120, tool('render_snapshot')),
    span('chat gpt-4o-mini', at(), 900, chat(1000, 50, 0.001)),
    span('chat gpt-4o-mini', at(), 700, chat(2000, 100, 0.002)),
    span('invoke_agent vib3-agent', at(), 1000, { 'gen_ai.operation.name': str('invoke_agent') }),
    span('invoke_agent vib3-agent', at(), 3000, { 'gen_ai.operation.name': str('invoke_agent') }),
    span('tools/list', at(), 2, { 'mcp.method.name': str('tools/list') }),
    span('tools/list', at(), 4, { 'mcp.method.name': str('tools/list') }),
    span('vib3.marketplace.install', at(), 800, { 'vib3.install.operation': str('install'), 'vib3.extension.id': str('dev.vib3.duoprism') }),
    span('vib3.marketplace.install', at(), 1600, { 'vib3.install.operation': str('update'), 'vib3.extension.id': str('dev.vib3.duoprism'), 'error.type': str('integrity') }, true),
  ];
}
function seedMetrics(now) {
  const point = (extra) => ({ startTimeUnixNano: ns(now - 6 * 60_000), timeUnixNano: ns(now - 5 * 60_000), ...extra });
  return {
    resourceMetrics: [{
      resource: { attributes: attrs({ 'service.name': str('vib3-page') }) },
      scopeMetrics: [{
        scope: { name: 'vib3' },
        metrics: [
          { name: 'vib3.render.frame_time', unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints: [point({ attributes: attrs({ 'vib3.render.scale': dbl(0.75) }), count: String(FRAMES.reduce((a, b) => a + b)), sum: 600, bucketCounts: FRAMES.map(String), explicitBounds: BOUNDS })] } },
          { name: 'vib3.extension.crashes', unit: '{crash}', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [point({ attributes: attrs({ 'vib3.extension.id': str('com.acme.crashy') }), asInt: '3' })] } },
        ],
      }],
    }],
  };
}

async function post(path, body) {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.clone().text());
  assert.deepEqual(await res.json(), {}, `${path}: nothing rejected`);
}

/** A GET with the path sent exactly as given (no client-side normalisation of `..` or escapes). */
function rawGet(path) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  assert.ok(existsSync(cli), 'needs a build (npm run build)');
  data = mkdtempSync(join(tmpdir(), 'vib3-dashboard-'));
  registry = spawn(process.execPath, [cli, 'registry', 'serve', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  registry.stderr.on('data', (c) => (log += c));
  url = await new Promise((resolve, reject) => {
    let text = '';
    registry.stdout.on('data', (c) => {
      text += c;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) resolve(m[0]);
    });
    registry.once('exit', (code) => reject(new Error(`the registry exited (${code}): ${log}`)));
  });
  for (let i = 0; i < 400 && !existsSync(join(data, 'admin.token')); i++) await new Promise((r) => setTimeout(r, 50));
  admin = readFileSync(join(data, 'admin.token'), 'utf8').trim();
  const now = Date.now();
  await post('/v1/traces', traces(seedSpans(now)));
  await post('/v1/metrics', seedMetrics(now));
  browser = await launch('plain');
});
after(async () => {
  await browser?.close();
  if (registry && registry.exitCode === null) {
    registry.kill('SIGTERM');
    await new Promise((done) => (registry.exitCode !== null ? done() : registry.once('exit', done)));
  }
  if (data) rmSync(data, { recursive: true, force: true });
});

test('GET /dashboard: a page without inline script or style, under a strict CSP', async () => {
  const res = await fetch(`${url}/dashboard`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const csp = res.headers.get('content-security-policy');
  for (const d of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(d), `${d} in ${csp}`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const html = await res.text();
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no style elements, style attributes or event handler attributes');
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) assert.match(m[1], /\bsrc="\/dashboard\/app\.js"/, 'every script is the page module');
  assert.match(html, /<vib3-telemetry-dashboard id="board"/);
  const app = await fetch(`${url}/dashboard/app.js`);
  assert.match(app.headers.get('content-type'), /^text\/javascript/);
  assert.match(await app.text(), /sessionStorage/);
  const kit = await fetch(`${url}/dashboard/kit/vib3-components.js`);
  assert.equal(kit.status, 200);
  assert.match(kit.headers.get('content-type'), /^text\/javascript/);
  assert.equal(await kit.text(), readFileSync(join(repo, 'dist/vib3-components.js'), 'utf8'), 'served from the kit\'s dist/');
});

test('the kit files are dist/ only: traversal in any encoding, hidden files, the CLI and other types are refused', async () => {
  const pkg = readFileSync(join(repo, 'package.json'), 'utf8');
  const attempts = [
    '/dashboard/kit/../../package.json',
    '/dashboard/kit/../package.json',
    '/dashboard/kit/%2e%2e/%2e%2e/package.json',
    '/dashboard/kit/%2E%2E/%2E%2E/package.json',
    '/dashboard/kit/..%2f..%2fpackage.json',
    '/dashboard/kit/..%2F..%2Fpackage.json',
    '/dashboard/kit/%2e%2e%2f%2e%2e%2fpackage.json',
    '/dashboard/kit/chunks/..%2f..%2f..%2fpackage.json',
    '/dashboard/kit/..%5c..%5cpackage.json',
    '/dashboard/kit/%252e%252e%252f%252e%252e%252fpackage.json',
    '/dashboard/kit/%2fwork%2fpackage.json',
    `/dashboard/kit/${encodeURIComponent(join(repo, 'package.json'))}`,
    '/dashboard/kit//etc/passwd',
    '/dashboard/kit/..%00/package.json',
    '/dashboard/kit/%E0%A4%A.js',
    '/dashboard/kit/cli/vib3.js',
    '/dashboard/kit/vib3-components.js.map',
    '/dashboard/kit/.build-meta/vite-es.json',
  ];
  for (const path of attempts) {
    const res = await rawGet(path);
    assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
    assert.ok(!res.body.includes('"name": "vib3-embed"') && !res.body.includes(pkg.slice(0, 80)), `${path}: no package.json`);
    assert.match(JSON.parse(res.body).error.code, /^(NOT_FOUND|KIT_FILE_NOT_FOUND|INVALID_PATH)$/, path);
  }
  // Files the page needs (and their lazy chunks) are served.
  const components = readFileSync(join(repo, 'dist/vib3-components.js'), 'utf8');
  const chunk = /\.\/chunks\/dashboard-charts-[\w-]+\.js/.exec(components)?.[0];
  assert.ok(chunk, 'the charts are a lazy chunk of vib3-components.js');
  assert.equal((await rawGet(`/dashboard/kit/${chunk.slice(2)}`)).status, 200);
});

test('without dist/ the page says so (KIT_FILES_NOT_FOUND); symbolic links out of dist/ are refused', async () => {
  const { dashboardRoutes, dashboardDistDir } = await tsImport('../../src/registry/http/dashboard-routes.ts', import.meta.url);
  assert.equal(dashboardDistDir('/nonexistent/cli/vib3.js'), undefined);
  assert.equal(dashboardDistDir(join(repo, 'dist/cli/vib3.js')), join(repo, 'dist'), 'next to the CLI bundle');
  assert.equal(dashboardDistDir(join(repo, 'src/registry/http/dashboard-routes.ts')), join(repo, 'dist'), 'the checkout\'s, from the sources');
  const missing = dashboardRoutes({ distDir: null });
  const page = await missing.request('/');
  assert.equal(page.status, 503);
  assert.ok(page.headers.get('content-security-policy').includes("script-src 'self'"));
  const html = await page.text();
  assert.match(html, /data-code="KIT_FILES_NOT_FOUND"/);
  assert.match(html, /npm run build/);
  assert.doesNotMatch(html, /<script/);
  const file = await missing.request('/kit/vib3-components.js');
  assert.equal(file.status, 503);
  assert.equal((await file.json()).error.code, 'KIT_FILES_NOT_FOUND');

  const tmp = mkdtempSync(join(tmpdir(), 'vib3-dashboard-dist-'));
  try {
    const dist = join(tmp, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'vib3-embed.js'), 'export {};');
    writeFileSync(join(dist, 'vib3-components.js'), 'export {};');
    writeFileSync(join(tmp, 'secret.js'), 'SECRET');
    symlinkSync(join(tmp, 'secret.js'), join(dist, 'link.js'));
    symlinkSync(tmp, join(dist, 'up'));
    const routes = dashboardRoutes({ distDir: dist });
    assert.equal((await routes.request('/kit/vib3-embed.js')).status, 200);
    for (const path of ['/kit/link.js', '/kit/up/secret.js']) {
      const res = await routes.request(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /SECRET/);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('in Chromium: sign in with the admin token, the tables show the seeded aggregates, the charts draw, an export shows up live; no CSP violation, axe-clean', LONG, async () => {
  const { ERROR_CLASSES } = await tsImport('../../src/telemetry/error-classes.ts', import.meta.url);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  const csp = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  const res = await page.goto(`${url}/dashboard`);
  assert.ok(res.headers()['content-security-policy'].includes("style-src 'self'"));
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, LONG);
  assert.equal(await page.locator('#token-form').isVisible(), true, 'the form asks for the token');
  assert.equal(await page.locator('vib3-telemetry-dashboard').isVisible(), false);

  await page.locator('#token').fill(admin);
  await page.locator('#token-form button[type=submit]').click();
  const board = 'vib3-telemetry-dashboard';
  const cell = (table, key, col) => page.locator(`${board} [part~="${table}"] ${key === null ? 'tbody tr' : `tr[data-key="${key}"]`} [data-col="${col}"]`).textContent();
  await page.locator(`${board} [part~="tools"] tr[data-key="set_params"]`).waitFor(LONG);
  assert.ok(!page.url().includes(admin) && !page.url().includes('?'), 'the token is not in the URL');
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), KEY), admin, 'kept in sessionStorage');
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');

  // The seeded aggregates: percentile_cont over 10/20/30/40 ms is 25 / 38.5 ms; 1000/3000 ms sessions 2,000 / 2,900 ms …
  const row = async (table, key, cols) => Promise.all(cols.map((c) => cell(table, key, c)));
  assert.deepEqual(await row('tools', 'set_params', ['calls', 'errors', 'errorRate', 'p50', 'p95']), ['4', '1', '25%', '25 ms', '38.5 ms']);
  assert.deepEqual(await row('tools', 'render_snapshot', ['calls', 'errorRate', 'p50', 'p95']), ['1', '0%', '120 ms', '120 ms']);
  assert.deepEqual(await row('models', 'openai/gpt-4o-mini', ['steps', 'inputTokens', 'outputTokens', 'cost']), ['2', '3,000', '150', '$0.003']);
  assert.deepEqual(await row('mcp', 'tools/list', ['calls', 'errorRate', 'p50', 'p95']), ['2', '0%', '3 ms', '3.9 ms']);
  assert.deepEqual(await row('sessions', null, ['sessions', 'p50', 'p95']), ['2', '2,000 ms', '2,900 ms']);
  assert.deepEqual(await row('installs', null, ['installs', 'failures', 'p50', 'p95']), ['2', '1', '1,200 ms', '1,560 ms']);
  assert.equal(await cell('frame-time', null, 'frames'), '50');
  assert.equal(await cell('crashes', 'com.acme.crashy', 'crashes'), '3');
  assert.deepEqual(await row('error-classes', 'invalid_input', ['count', 'action']), ['1', ERROR_CLASSES.invalid_input.action]);
  assert.deepEqual(await row('error-classes', 'integrity', ['count', 'action']), ['1', ERROR_CLASSES.integrity.action]);
  assert.match(await page.locator(`${board} [part~="scale-chart"]`).getAttribute('aria-label'), /0\.75×: 50/);
  assert.match(await page.locator(`${board} [part~="frame-chart"]`).getAttribute('aria-label'), /≤ 8 ms: 30/);

  // The charts draw: three uPlot canvases with bars in them.
  await page.waitForFunction((b) => document.querySelector(b).shadowRoot.querySelectorAll('[part~="chart"] .uplot canvas').length === 3, board, LONG);
  await page.evaluate((b) => document.querySelector(b).chartsDrawn, board);
  const drawn = await page.evaluate((b) => {
    const root = document.querySelector(b).shadowRoot;
    return [...root.querySelectorAll('[part~="chart"] .uplot canvas')].map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
  }, board);
  assert.equal(drawn.length, 3);
  for (const n of drawn) assert.ok(n > 500, `a chart drew ${n} pixels`);

  // Live: another export appears within a poll or two (every 5 s).
  await post('/v1/traces', traces([span('execute_tool set_params', Date.now() - 60_000, 50, tool('set_params'))]));
  await page.waitForFunction((b) => document.querySelector(b).shadowRoot.querySelector('[part~="tools"] tr[data-key="set_params"] [data-col="calls"]')?.textContent === '5', board, { timeout: 20_000 });

  // axe-core, evaluated through the DevTools protocol (the page's CSP refuses inline scripts).
  await page.evaluate(readFileSync(join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })).violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`));
  assert.deepEqual(violations, []);

  // Forgetting the token: the form again, nothing stored.
  await page.locator('#sign-out').click();
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), KEY), null);
  assert.equal(await page.locator('#token-form').isVisible(), true);

  // A token that is not the admin's: the coded refusal and "an admin token is needed".
  await page.locator('#token').fill('vib3_not-the-admin-token');
  await page.locator('#token-form button[type=submit]').click();
  await page.locator(`${board} [part~="error-code"]`).waitFor(LONG);
  assert.equal(await page.locator(`${board} [part~="error-code"]`).textContent(), 'TOKEN_INVALID');
  assert.match((await page.locator(`${board} [part~="error-message"]`).textContent()).toLowerCase(), /an admin token is needed/);
  await page.waitForFunction((k) => sessionStorage.getItem(k) === null, KEY);
  assert.equal(await page.locator('#token-form').isVisible(), true, 'the form is back');

  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no securitypolicyviolation');
  assert.deepEqual(csp, [], 'no CSP messages on the console');
  assert.deepEqual(errors, []);
  await page.close();
});
