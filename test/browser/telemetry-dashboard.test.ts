// <vib3-telemetry-dashboard> against a stubbed registry (`fetch` answering seeded summaries of
// GET /v1/telemetry/summary): the tables show the exact numbers; the three uPlot charts draw (their
// canvases hold bars in the accent colour) and are labelled with their data; a new summary updates
// numbers and bars in place while polling (no rebuild, no blank frame); polling pauses while the
// page is hidden and stops when the element is removed; empty, 401/403 ("an admin token is
// needed"), server-error and unreachable states; under a strict CSP without 'unsafe-inline' (an
// iframe with the policy as a meta tag) it renders and draws with no securitypolicyviolation;
// axe-core finds nothing in every theme pack.
import { expect } from '@esm-bundle/chai';
import { frames, loadAxe } from './helpers.js';
import '../../components/index.js';
import { setLocale, type TelemetryErrorDetail, type TelemetrySummary, type Vib3TelemetryDashboard } from '../../components/index.js';
import { UPLOT_CSS } from '../../components/telemetry/uplot-css.js';
import type { TelemetrySummary as RegistrySummary } from '../../src/registry/telemetry/summary.js';

// The element reads the registry's answer: both types must stay the same shape (checked by tsc).
const sameShape: [(s: RegistrySummary) => TelemetrySummary, (s: TelemetrySummary) => RegistrySummary] = [(s) => s, (s) => s];
void sameShape;

const THEMES = ['default-dark', 'light', 'high-contrast', 'acme'] as const;
const REGISTRY = 'https://registry.example.test';

const A: TelemetrySummary = {
  since: '2026-05-01T11:00:00.000Z',
  until: '2026-05-01T12:00:00.000Z',
  tools: [
    { tool: 'set_params', calls: 5, errors: 1, errorRate: 0.2, p50Ms: 21, p95Ms: 46.8 },
    { tool: 'render_snapshot', calls: 2, errors: 1, errorRate: 0.5, p50Ms: 200, p95Ms: 290 },
  ],
  errorClasses: [
    { errorType: 'invalid_input', count: 2, action: 'Correct the input the error message points to (its suggestion says how) and send it again.' },
    { errorType: 'timeout', count: 1, action: 'Retry with backoff.' },
    { errorType: 'com.acme.weird', count: 1 },
  ],
  models: [
    { provider: 'openai', model: 'gpt-4o-mini', steps: 3, inputTokens: 3000, outputTokens: 150, costUsd: 0.003 },
    { provider: 'anthropic', model: 'claude-sonnet', steps: 1, inputTokens: 500, outputTokens: 20, costUsd: 0.0025 },
  ],
  mcp: [
    { method: 'tools/call', calls: 3, errorRate: 0.3333, p50Ms: 15, p95Ms: 24 },
    { method: 'tools/list', calls: 1, errorRate: 0, p50Ms: 2, p95Ms: 2 },
  ],
  installs: { count: 3, failures: 1, p50Ms: 1200, p95Ms: 1920, byOperation: [{ operation: 'install', count: 3, failures: 1, p50Ms: 1200, p95Ms: 1920 }] },
  frameTime: { count: 150, p50Ms: 7.714, p95Ms: 32.528, buckets: [{ le: 4, count: 10 }, { le: 8, count: 70 }, { le: 16, count: 50 }, { le: 33, count: 15 }, { le: 50, count: 3 }, { le: null, count: 2 }] },
  renderScale: [{ scale: 0.75, count: 51 }, { scale: 1, count: 99 }],
  extensionCrashes: [{ extension: 'com.acme.c', count: 5 }],
  sessions: { count: 2, p50Ms: 2000, p95Ms: 2450 },
};
/** The next poll: more calls, slower tools, another frame-time shape. */
const B: TelemetrySummary = {
  ...A,
  tools: [{ tool: 'set_params', calls: 9, errors: 3, errorRate: 0.3333, p50Ms: 25, p95Ms: 80 }, ...A.tools.slice(1)],
  frameTime: { count: 90, p50Ms: 20.5, p95Ms: 45, buckets: [{ le: 4, count: 0 }, { le: 8, count: 5 }, { le: 16, count: 20 }, { le: 33, count: 40 }, { le: 50, count: 20 }, { le: null, count: 5 }] },
  installs: { count: 4, failures: 1, p50Ms: 1100, p95Ms: 2500, byOperation: [{ operation: 'install', count: 4, failures: 1, p50Ms: 1100, p95Ms: 2500 }] },
};
const EMPTY: TelemetrySummary = { since: A.since, until: A.until, tools: [], errorClasses: [], models: [], mcp: [], installs: { count: 0, failures: 0, p50Ms: null, p95Ms: null, byOperation: [] }, frameTime: { count: 0, p50Ms: null, p95Ms: null, buckets: [] }, renderScale: [], extensionCrashes: [], sessions: { count: 0, p50Ms: null, p95Ms: null } };

type Answer = TelemetrySummary | { status: number; body: unknown } | Error | 'hang';
interface Call {
  url: URL;
  authorization: string | null;
  signal: AbortSignal | undefined;
}

/** A stub of `fetch` on `win` answering `next()` for each summary request, recording the calls. */
function stubFetch(next: (n: number) => Answer, win: Window & typeof globalThis = window) {
  const calls: Call[] = [];
  const original = win.fetch;
  win.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith('/v1/telemetry/summary')) return original(input, init);
    calls.push({ url, authorization: new Headers(init?.headers).get('authorization'), signal: init?.signal ?? undefined });
    const answer = next(calls.length - 1);
    if (answer === 'hang') {
      return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    if (answer instanceof Error) throw answer;
    const { status, body } = 'status' in answer ? answer : { status: 200, body: answer };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { calls, restore: () => (win.fetch = original) };
}

async function until(check: () => boolean, what: string): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20)); // the mocha timeout is the hang guard
  expect(check(), what).to.equal(true);
}

const q = (board: Vib3TelemetryDashboard, selector: string) => board.shadowRoot!.querySelector<HTMLElement>(selector);
const qa = (board: Vib3TelemetryDashboard, selector: string) => [...board.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
/** The text of one cell: table part, row key, column. */
const cell = (board: Vib3TelemetryDashboard, table: string, key: string | null, col: string) =>
  q(board, `[part~="${table}"] ${key === null ? 'tbody tr' : `tr[data-key="${key}"]`} [data-col="${col}"]`)?.textContent?.trim();

/** The accent colour as RGB (what the bars are filled with). */
function accentRgb(board: Vib3TelemetryDashboard): [number, number, number] {
  const c = document.createElement('canvas').getContext('2d')!;
  c.fillStyle = getComputedStyle(board).getPropertyValue('--vib3-color-accent').trim();
  c.fillRect(0, 0, 1, 1);
  const d = c.getImageData(0, 0, 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}

/** Pixels of a chart canvas: drawn (alpha > 0) and in the accent colour. */
function canvasStats(canvas: HTMLCanvasElement, accent: [number, number, number]) {
  const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  let bars = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3]! === 0) continue;
    drawn++;
    if (Math.abs(d[i]! - accent[0]) < 8 && Math.abs(d[i + 1]! - accent[1]) < 8 && Math.abs(d[i + 2]! - accent[2]) < 8) bars++;
  }
  return { drawn, bars, signature: Array.from(d.filter((_, i) => i % 97 === 3)).join(',') };
}

describe('<vib3-telemetry-dashboard>', function () {
  this.timeout(60_000);
  const wraps: HTMLElement[] = [];
  let stub: ReturnType<typeof stubFetch> | undefined;

  afterEach(() => {
    for (const w of wraps.splice(0)) w.remove();
    stub?.restore();
    stub = undefined;
    setLocale('en');
  });

  function mount(options: { theme?: string; refreshMs?: number; token?: string; window?: string } = {}): Vib3TelemetryDashboard {
    const wrap = document.createElement('div');
    wrap.innerHTML = `<vib3-theme theme="${options.theme ?? 'default-dark'}"><main style="background: var(--vib3-color-surface); color: var(--vib3-color-text); padding: 8px; width: 1000px"><h1>Registry admin</h1><vib3-telemetry-dashboard></vib3-telemetry-dashboard></main></vib3-theme>`;
    document.body.append(wrap);
    wraps.push(wrap);
    const board = wrap.querySelector('vib3-telemetry-dashboard')!;
    board.refreshMs = options.refreshMs ?? 0;
    if (options.window) board.window = options.window as never;
    board.registry = REGISTRY;
    board.token = options.token ?? 'vib3_admin-token';
    return board;
  }

  const shown = (board: Vib3TelemetryDashboard) => until(() => q(board, '[part~="sections"]') !== null, 'the sections are shown');

  it('shows the exact numbers of the summary in its tables, for the window asked with the admin token', async () => {
    stub = stubFetch(() => A);
    const updated = new Promise<TelemetrySummary>((resolve) => document.addEventListener('vib3-telemetry-update', (e) => resolve((e as CustomEvent<{ summary: TelemetrySummary }>).detail.summary), { once: true }));
    const board = mount();
    expect(await updated).to.deep.equal(A);
    await shown(board);
    expect(board.hasAttribute('token'), 'the token is never an attribute').to.equal(false);
    expect(stub.calls[0]!.authorization).to.equal('Bearer vib3_admin-token');
    const { url } = stub.calls[0]!;
    expect(`${url.origin}${url.pathname}`).to.equal(`${REGISTRY}/v1/telemetry/summary`);
    expect(Date.parse(url.searchParams.get('until')!) - Date.parse(url.searchParams.get('since')!)).to.equal(3_600_000);
    expect(Math.abs(Date.parse(url.searchParams.get('until')!) - Date.now())).to.be.below(10_000);

    expect(qa(board, '[part~="tools"] tbody tr').map((r) => r.dataset.key)).to.deep.equal(['set_params', 'render_snapshot']);
    expect(['calls', 'errors', 'errorRate', 'p50', 'p95'].map((c) => cell(board, 'tools', 'set_params', c))).to.deep.equal(['5', '1', '20%', '21 ms', '46.8 ms']);
    expect(['calls', 'errorRate', 'p50', 'p95'].map((c) => cell(board, 'tools', 'render_snapshot', c))).to.deep.equal(['2', '50%', '200 ms', '290 ms']);
    expect(cell(board, 'error-classes', 'invalid_input', 'count')).to.equal('2');
    expect(cell(board, 'error-classes', 'invalid_input', 'action')).to.equal(A.errorClasses[0]!.action);
    expect(cell(board, 'error-classes', 'com.acme.weird', 'action')).to.equal('—');
    expect(['provider', 'steps', 'inputTokens', 'outputTokens', 'cost'].map((c) => cell(board, 'models', 'openai/gpt-4o-mini', c))).to.deep.equal(['openai', '3', '3,000', '150', '$0.003']);
    expect(cell(board, 'models', 'anthropic/claude-sonnet', 'cost')).to.equal('$0.0025');
    expect(['calls', 'errorRate', 'p50', 'p95'].map((c) => cell(board, 'mcp', 'tools/call', c))).to.deep.equal(['3', '33.3%', '15 ms', '24 ms']);
    expect(['sessions', 'p50', 'p95'].map((c) => cell(board, 'sessions', null, c))).to.deep.equal(['2', '2,000 ms', '2,450 ms']);
    expect(['installs', 'failures', 'p50', 'p95'].map((c) => cell(board, 'installs', null, c))).to.deep.equal(['3', '1', '1,200 ms', '1,920 ms']);
    expect(['frames', 'p50', 'p95'].map((c) => cell(board, 'frame-time', null, c))).to.deep.equal(['150', '7.71 ms', '32.53 ms']);
    expect(cell(board, 'crashes', 'com.acme.c', 'crashes')).to.equal('5');
    // Tables are labelled: a caption and column headers; each row has its header.
    for (const table of qa(board, 'table')) {
      expect(table.querySelector('caption')?.textContent?.trim(), 'caption').to.not.equal('');
      expect(table.querySelectorAll('thead th[scope=col]').length).to.be.above(1);
    }
    expect(board.summary).to.deep.equal(A);
  });

  it('draws the frame-time, render-scale and p95-per-tool charts with uPlot (bars on canvas, labelled with their data)', async () => {
    stub = stubFetch(() => A);
    const board = mount();
    await shown(board);
    await board.chartsDrawn;
    await frames(2);
    const accent = accentRgb(board);
    const charts = qa(board, '[part~="chart"]');
    expect(charts.map((c) => c.getAttribute('part'))).to.deep.equal(['chart p95-chart', 'chart frame-chart', 'chart scale-chart']);
    for (const chart of charts) {
      expect(chart.getAttribute('role')).to.equal('img');
      const canvas = chart.querySelector<HTMLCanvasElement>('.uplot canvas');
      expect(canvas, `${chart.getAttribute('part')}: a uPlot canvas`).to.not.equal(null);
      expect(canvas!.width).to.be.above(100);
      const stats = canvasStats(canvas!, accent);
      expect(stats.drawn, `${chart.getAttribute('part')}: drawn pixels`).to.be.above(500);
      expect(stats.bars, `${chart.getAttribute('part')}: bars in the accent colour`).to.be.above(200);
    }
    const label = (part: string) => q(board, `[part~="${part}"]`)!.getAttribute('aria-label')!;
    expect(label('frame-chart')).to.contain('150 frames').and.contain('≤ 8 ms: 70').and.contain('> 50 ms: 2').and.contain('p95 32.53 ms');
    expect(label('scale-chart')).to.contain('0.75×: 51').and.contain('1×: 99');
    expect(label('p95-chart')).to.contain('set_params: 46.8 ms').and.contain('render_snapshot: 290 ms');
    // uPlot's own stylesheet is adopted into the shadow root (its layout rules apply there).
    const over = q(board, '.u-over')!;
    expect(getComputedStyle(over).position).to.equal('absolute');
    expect(board.shadowRoot!.adoptedStyleSheets.some((s) => [...s.cssRules].some((r) => r.cssText.startsWith('.u-wrap')))).to.equal(true);
  });

  it('follows the theme: switching it redraws the bars in the new accent colour', async () => {
    stub = stubFetch(() => A);
    const board = mount({ theme: 'default-dark' });
    await shown(board);
    await board.chartsDrawn;
    const dark = accentRgb(board);
    board.closest('vib3-theme')!.setAttribute('theme', 'light');
    await board.updateComplete;
    await board.chartsDrawn;
    await frames(2);
    const light = accentRgb(board);
    expect(light, 'the packs differ in accent').to.not.deep.equal(dark);
    const canvas = q(board, '[part~="frame-chart"] canvas') as HTMLCanvasElement;
    expect(canvasStats(canvas, light).bars, 'bars in the light accent').to.be.above(200);
    expect(canvasStats(canvas, dark).bars, 'none left in the dark one').to.equal(0);
  });

  it('is the installed uPlot stylesheet, byte for byte', async () => {
    const installed = await (await fetch('/node_modules/uplot/dist/uPlot.min.css')).text();
    expect(UPLOT_CSS).to.equal(installed);
  });

  it('updates live: the next poll changes the numbers and the bars in place, without a blank moment', async () => {
    stub = stubFetch((n) => (n === 0 ? A : B));
    const board = mount({ refreshMs: 150 });
    await shown(board);
    await board.chartsDrawn;
    await frames(2);
    const accent = accentRgb(board);
    const canvas = q(board, '[part~="frame-chart"] canvas') as HTMLCanvasElement;
    const before = canvasStats(canvas, accent).signature;
    let blank = false;
    const watch = new MutationObserver(() => {
      if (!q(board, '[part~="sections"]') || !q(board, '[part~="frame-chart"] canvas')) blank = true;
    });
    watch.observe(board.shadowRoot!, { childList: true, subtree: true });
    await until(() => cell(board, 'tools', 'set_params', 'calls') === '9', 'the second summary is shown');
    await board.chartsDrawn;
    await frames(2);
    watch.disconnect();
    expect(['errors', 'errorRate', 'p95'].map((c) => cell(board, 'tools', 'set_params', c))).to.deep.equal(['3', '33.3%', '80 ms']);
    expect(['installs', 'p95'].map((c) => cell(board, 'installs', null, c))).to.deep.equal(['4', '2,500 ms']);
    expect(q(board, '[part~="frame-chart"] canvas'), 'the same canvas (setData, not a new plot)').to.equal(canvas);
    expect(canvasStats(canvas, accent).signature, 'the bars changed').to.not.equal(before);
    expect(q(board, '[part~="frame-chart"]')!.getAttribute('aria-label')).to.contain('90 frames');
    expect(blank, 'sections and charts stayed on screen while updating').to.equal(false);
    expect(q(board, '[part~="live"]')!.dataset.state).to.equal('live');
    expect(q(board, '[part~="updated"]')).to.not.equal(null);
    // Another window asks again at once, for that window.
    const asked = stub.calls.length;
    const select = q(board, '[part~="window"]') as HTMLSelectElement;
    select.value = '24h';
    select.dispatchEvent(new Event('change'));
    await until(() => stub!.calls.length > asked, 'the 24h window is asked for');
    const url = stub.calls[asked]!.url;
    expect(Date.parse(url.searchParams.get('until')!) - Date.parse(url.searchParams.get('since')!)).to.equal(24 * 3_600_000);
    expect(board.window).to.equal('24h');
  });

  it('pauses polling while the page is hidden and catches up when it shows again', async () => {
    stub = stubFetch(() => A);
    const board = mount({ refreshMs: 100 });
    await shown(board);
    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')!;
    let state: DocumentVisibilityState = 'hidden';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => q(board, '[part~="live"]')!.dataset.state === 'paused', 'the live status says paused');
      await new Promise((r) => setTimeout(r, 150)); // a poll in flight when hidden may still land
      const hiddenCalls = stub.calls.length;
      await new Promise((r) => setTimeout(r, 600));
      expect(stub.calls.length, 'no request while hidden').to.equal(hiddenCalls);
      state = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => stub!.calls.length > hiddenCalls, 'it loads again once visible');
      expect(q(board, '[part~="live"]')!.dataset.state).to.equal('live');
    } finally {
      delete (document as unknown as Record<string, unknown>).visibilityState;
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')).to.deep.equal(visibility);
    }
  });

  it('stops when removed: the request in flight is aborted and no poll follows', async () => {
    stub = stubFetch((n) => (n === 0 ? A : 'hang'));
    const board = mount({ refreshMs: 100 });
    await shown(board);
    await until(() => stub!.calls.length >= 2, 'the next poll is in flight');
    const inFlight = stub.calls[1]!.signal!;
    expect(inFlight.aborted).to.equal(false);
    board.remove();
    expect(inFlight.aborted, 'aborted on disconnect').to.equal(true);
    const calls = stub.calls.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(stub.calls.length, 'no poll after removal').to.equal(calls);
  });

  it('an empty window says so, without tables or charts', async () => {
    stub = stubFetch(() => EMPTY);
    const board = mount();
    await until(() => q(board, '[part~="empty"]') !== null, 'the empty state is shown');
    expect(q(board, '[part~="empty"]')!.textContent).to.contain('No telemetry arrived between');
    expect(q(board, 'table')).to.equal(null);
    expect(q(board, '[part~="chart"]')).to.equal(null);
  });

  for (const [status, code] of [[401, 'TOKEN_INVALID'], [403, 'ADMIN_REQUIRED']] as const) {
    it(`${status} ${code}: the registry's code and "an admin token is needed"`, async () => {
      stub = stubFetch(() => ({ status, body: { error: { code, message: `The registry refused the token (${code}).`, suggestion: 'Send the admin token.' } } }));
      const failed = new Promise<TelemetryErrorDetail>((resolve) => document.addEventListener('vib3-telemetry-error', (e) => resolve((e as CustomEvent<TelemetryErrorDetail>).detail), { once: true }));
      const board = mount({ token: 'vib3_not-the-admin' });
      const detail = await failed;
      expect(detail).to.include({ code, status });
      await until(() => q(board, '[part~="error"]') !== null, 'the error is shown');
      expect(q(board, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
      expect(q(board, '[part~="error-code"]')!.textContent).to.equal(code);
      expect(q(board, '[part~="error-message"]')!.textContent!.toLowerCase()).to.contain('an admin token is needed');
      expect(q(board, '[part~="suggestion"]')!.textContent).to.contain('admin token');
    });
  }

  it('a server error shows its code, message and suggestion above the last summary; an unreachable registry is coded too', async () => {
    stub = stubFetch((n) => (n === 0 ? A : n === 1 ? { status: 503, body: { error: { code: 'DATABASE_UNREACHABLE', message: 'The database does not answer.', suggestion: 'Check the database.' } } } : new TypeError('Failed to fetch')));
    const board = mount();
    await shown(board);
    await board.load();
    expect(q(board, '[part~="error-code"]')!.textContent).to.equal('DATABASE_UNREACHABLE');
    expect(q(board, '[part~="error-message"]')!.textContent).to.equal('The database does not answer.');
    expect(q(board, '[part~="suggestion"]')!.textContent).to.contain('Check the database.');
    expect(cell(board, 'tools', 'set_params', 'calls'), 'the last summary stays').to.equal('5');
    await board.load();
    expect(q(board, '[part~="error-code"]')!.textContent).to.equal('REGISTRY_UNREACHABLE');
    expect(q(board, '[part~="error-message"]')!.textContent).to.equal('Failed to fetch');
  });

  it('speaks German when the locale is de', async () => {
    stub = stubFetch(() => A);
    const board = mount();
    await shown(board);
    setLocale('de');
    await board.updateComplete;
    expect(q(board, '[part~="title"]')!.textContent).to.equal('Telemetrie');
    expect(q(board, '[data-section="tools"] h3')!.textContent).to.equal('Werkzeuge');
  });

  it('renders and draws under a strict CSP without \'unsafe-inline\' (no securitypolicyviolation)', async () => {
    const frame = document.createElement('iframe');
    frame.style.width = '1100px';
    frame.style.height = '900px';
    frame.srcdoc = `<!doctype html><html lang="en" data-vib3-theme="default-dark"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'">
<title>CSP</title><script type="module" src="/src/index.ts"></script><script type="module" src="/components/index.ts"></script></head>
<body><main><h1>Telemetry</h1><vib3-telemetry-dashboard></vib3-telemetry-dashboard></main></body></html>`;
    const violations: string[] = [];
    wraps.push(frame);
    const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
    document.body.append(frame);
    await loaded;
    const win = frame.contentWindow as Window & typeof globalThis;
    win.document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
    await until(() => win.customElements.get('vib3-telemetry-dashboard') !== undefined, 'the kit loaded in the frame');
    const local = stubFetch(() => A, win);
    try {
      const board = win.document.querySelector('vib3-telemetry-dashboard') as Vib3TelemetryDashboard;
      board.refreshMs = 0;
      board.registry = REGISTRY;
      board.token = 'vib3_admin-token';
      await until(() => board.shadowRoot?.querySelector('[part~="sections"]') != null, 'the sections are shown in the frame');
      await board.chartsDrawn;
      await new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(r)));
      expect(cell(board, 'tools', 'set_params', 'p95')).to.equal('46.8 ms');
      const canvases = [...board.shadowRoot!.querySelectorAll<HTMLCanvasElement>('[part~="chart"] .uplot canvas')];
      expect(canvases.length).to.equal(3);
      for (const c of canvases) expect(canvasStats(c, accentRgb(board)).bars).to.be.above(200);
      expect(win.getComputedStyle(board.shadowRoot!.querySelector('.u-over')!).position, 'uPlot styles apply').to.equal('absolute');
      // Styles are adopted stylesheets, never <style> elements or style attributes (which the policy refuses).
      expect(board.shadowRoot!.adoptedStyleSheets.length).to.be.above(0);
      expect(board.shadowRoot!.querySelectorAll('style, [style]:not(.uplot *):not(.uplot)').length).to.equal(0);
      expect(violations, 'no violation while rendering and drawing').to.deep.equal([]);
      // The policy is in force: an inline style element is refused (and reported) in this frame.
      const probe = win.document.createElement('style');
      probe.textContent = 'body { outline: 1px solid red; }';
      win.document.head.append(probe);
      await until(() => violations.length > 0, 'the probe is reported');
      expect(violations.map((v) => v.split(':')[0])).to.deep.equal(['style-src-elem']);
    } finally {
      local.restore();
    }
  });

  for (const theme of THEMES) {
    it(`axe-core finds no violations (${theme}): tables, charts, an error, the empty state`, async () => {
      const axe = await loadAxe();
      stub = stubFetch((n) => (n === 0 ? A : n === 1 ? { status: 403, body: { error: { code: 'ADMIN_REQUIRED', message: 'Admin only.', suggestion: '' } } } : EMPTY));
      const full = mount({ theme });
      await shown(full);
      const failing = mount({ theme, token: 'vib3_other' });
      await until(() => q(failing, '[part~="error"]') !== null, 'the error is shown');
      const empty = mount({ theme, token: 'vib3_third' });
      await until(() => q(empty, '[part~="empty"]') !== null, 'the empty state is shown');
      await full.chartsDrawn;
      await frames(2);
      for (const board of [full, failing, empty]) {
        const results = await axe.run(board.closest('vib3-theme')!.parentElement, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
        expect(results.violations.map((x) => `${x.id}: ${JSON.stringify(x.nodes.map((n) => n.target))}`)).to.deep.equal([]);
      }
    });
  }
});
