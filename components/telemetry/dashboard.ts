import { LitElement, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import { themeContext } from '../../src/theme/theme-context.js';
import { LocaleController, msg } from '../i18n.js';
import { baseStyles } from '../shared-styles.js';
import { marketStyles } from '../marketplace/styles.js';
import { renderError } from '../marketplace/status.js';
import { UPLOT_CSS } from './uplot-css.js';
import { dashboardStyles } from './styles.js';
import type { BarChart, ChartPalette } from './dashboard-charts.js';
import {
  TELEMETRY_WINDOWS, errorOf, formatDateTime, formatTime, frameTimeSeries, isEmptySummary, isSummary, renderScaleSeries, toolP95Series, windowMs,
  type BarSeries, type TelemetryErrorDetail, type TelemetryErrorInfo, type TelemetrySummary, type TelemetryUpdateDetail, type TelemetryWindow,
} from './format.js';
import { crashesTable, errorClassesTable, frameTable, installsTable, mcpTable, modelsTable, section, sessionsTable, toolsTable } from './tables.js';

export { TELEMETRY_DASHBOARD_PARTS, TELEMETRY_WINDOWS, type TelemetryErrorDetail, type TelemetryErrorInfo, type TelemetryLatency, type TelemetrySummary, type TelemetryUpdateDetail, type TelemetryWindow } from './format.js';

type ChartId = 'frame' | 'scale' | 'p95';

/**
 * `<vib3-telemetry-dashboard>`: the registry's telemetry at a glance, live. Reads
 * `GET /v1/telemetry/summary` with an admin token for the chosen window and shows p50/p95 latency
 * and error rate per tool and per MCP method, failures per error class with the suggested action,
 * steps, tokens and estimated cost per model, agent sessions, installs and their latency, extension
 * crashes, and charts (uPlot, loaded on first use) of the frame-time and render-scale distributions
 * and of p95 per tool. It polls every `refreshMs` and updates in place, pauses while the page is
 * hidden, and stops when removed. Colours come from the design tokens; it runs under a strict CSP
 * (no inline style or script).
 *
 * ```js
 * const board = document.querySelector('vib3-telemetry-dashboard');
 * board.registry = 'https://registry.example.com';
 * board.token = adminToken; // a property only: never an attribute
 * ```
 *
 * @tagname vib3-telemetry-dashboard
 * @csspart toolbar - The bar with the title, the window picker, Refresh and the live status.
 * @csspart title - The heading.
 * @csspart window - The time-window picker (a select).
 * @csspart refresh - The Refresh button.
 * @csspart live - Live status: polling, paused while hidden, or on request.
 * @csspart updated - When the summary shown was loaded.
 * @csspart notice - Shown without a registry or token.
 * @csspart empty - Shown when the window holds no telemetry.
 * @csspart sections - The grid of sections.
 * @csspart section - One section (`data-section`: tools, tool-p95, error-classes, models, mcp, sessions, installs, frame-time, render-scale, crashes).
 * @csspart table - Every table; each also has its own part: tools, error-classes, models, mcp, sessions, installs, frame-time, crashes.
 * @csspart row - A table row (`data-key`: its tool, error type, provider/model, method or extension; cells have `data-col`).
 * @csspart none - Text shown instead of an empty table or chart.
 * @csspart chart - Every chart (role=img, labelled with its data); each also has its own part: p95-chart (p95 per tool), frame-chart, scale-chart.
 * @csspart error - A failed load (role=alert); also error-code, error-message, suggestion.
 * @fires vib3-telemetry-update - A summary was loaded and is shown. Bubbles, composed. `detail: TelemetryUpdateDetail` ({ summary }).
 * @fires vib3-telemetry-error - Loading failed (401/403: an admin token is needed). Bubbles, composed. `detail: TelemetryErrorDetail` ({ code, message, suggestion, status? }).
 */
export class Vib3TelemetryDashboard extends LitElement {
  static override styles = [
    baseStyles,
    marketStyles,
    unsafeCSS(UPLOT_CSS),
    dashboardStyles,
  ];
  static override properties = {
    registry: { type: String },
    token: { attribute: false },
    window: { type: String },
    refreshMs: { type: Number, attribute: 'refresh-ms' },
    _summary: { state: true, attribute: false },
    _error: { state: true, attribute: false },
    _busy: { state: true, attribute: false },
    _updatedAt: { state: true, attribute: false },
    _hidden: { state: true, attribute: false },
  };
  /** The registry's base URL, e.g. `https://registry.example.com` (the page's origin for the registry's own dashboard). */
  declare registry: string;
  /** The registry's admin token (a property only, never reflected to an attribute). */
  declare token: string;
  /** The time window shown, ending now: `15m`, `1h` (default), `24h` or `7d`. */
  declare window: TelemetryWindow;
  /** How often the summary is reloaded, in ms (default 5000; 0 or less: only on Refresh). */
  declare refreshMs: number;
  /** @internal */
  declare _summary: TelemetrySummary | undefined;
  /** @internal */
  declare _error: TelemetryErrorInfo | undefined;
  /** @internal */
  declare _busy: boolean;
  /** @internal */
  declare _updatedAt: number | undefined;
  /** @internal */
  declare _hidden: boolean;
  private readonly locale = new LocaleController(this);
  private readonly themeConsumer = new ContextConsumer(this, { context: themeContext, subscribe: true, callback: () => this.requestUpdate() });
  #source = '';
  #shownWindow = '';
  #abort: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stale = false;
  #series: Partial<Record<ChartId, BarSeries>> = {};
  readonly #charts = new Map<ChartId, BarChart>();
  #chartModule: Promise<typeof import('./dashboard-charts.js')> | undefined;
  #resizer: ResizeObserver | undefined;
  #drawing: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.registry = '';
    this.token = '';
    this.window = '1h';
    this.refreshMs = 5000;
    this._busy = false;
    this._hidden = false;
  }

  /** The summary shown (undefined before the first load). */
  get summary(): TelemetrySummary | undefined {
    return this._summary;
  }

  /** Resolves once the charts show the current summary. */
  get chartsDrawn(): Promise<void> {
    return this.updateComplete.then(() => this.#drawing);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    // A theme switched on the document (not through a <vib3-theme> around this element): new chart colours.
    document.addEventListener('vib3-theme-change', this.#onTheme);
    this._hidden = document.visibilityState === 'hidden';
    this.#source = ''; // (re)connected: load again
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    document.removeEventListener('vib3-theme-change', this.#onTheme);
    this.#abort?.abort();
    this.#abort = undefined;
    clearTimeout(this.#timer);
    for (const chart of this.#charts.values()) chart.destroy();
    this.#charts.clear();
    this.#resizer?.disconnect();
    this.#resizer = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const source = `${this.registry}\n${this.token}`;
    if (source !== this.#source || this.window !== this.#shownWindow) {
      if (source !== this.#source) {
        // Another registry or token: nothing of the previous one stays on screen.
        this._summary = undefined;
        this._error = undefined;
      }
      this.#source = source;
      this.#shownWindow = this.window;
      if (this.registry && this.token) void this.load();
      else this.#stop();
    } else if (changed.has('refreshMs') && !this.#abort) {
      this.#schedule();
    }
    this.#drawing = this.#drawCharts();
  }

  /** Loads the summary of the current window now; resolves once it (or the error) is shown. */
  async load(): Promise<void> {
    if (!this.registry || !this.token) return;
    this.#stop();
    const ctrl = new AbortController();
    this.#abort = ctrl;
    this._busy = true;
    const until = new Date();
    const since = new Date(until.getTime() - windowMs(this.window));
    const url = `${this.registry.replace(/\/+$/, '')}/v1/telemetry/summary?since=${encodeURIComponent(since.toISOString())}&until=${encodeURIComponent(until.toISOString())}`;
    try {
      let res: Response;
      try {
        res = await fetch(url, { headers: { authorization: `Bearer ${this.token}` }, signal: ctrl.signal, cache: 'no-store' });
      } catch (err) {
        if (ctrl.signal.aborted) throw err;
        throw { code: 'REGISTRY_UNREACHABLE', message: (err as Error)?.message ?? String(err), suggestion: msg('telemetry.unreachable') } satisfies TelemetryErrorInfo;
      }
      if (!res.ok) throw await errorOf(res);
      const body = (await res.json().catch(() => undefined)) as unknown;
      if (!isSummary(body)) throw { code: 'SUMMARY_BAD_RESPONSE', message: msg('telemetry.badResponse'), suggestion: msg('telemetry.badResponseHow'), status: res.status } satisfies TelemetryErrorInfo;
      if (ctrl.signal.aborted) return;
      this._summary = body;
      this._error = undefined;
      this._updatedAt = Date.now();
      this.dispatchEvent(new CustomEvent<TelemetryUpdateDetail>('vib3-telemetry-update', { bubbles: true, composed: true, detail: { summary: body } }));
    } catch (err) {
      if (ctrl.signal.aborted) return;
      const e = err as Partial<TelemetryErrorInfo>;
      this._error = typeof e?.code === 'string' ? { code: e.code, message: e.message ?? e.code, suggestion: e.suggestion ?? '', ...(e.status ? { status: e.status } : {}) } : { code: 'REGISTRY_UNREACHABLE', message: String(err), suggestion: msg('telemetry.unreachable') };
      this.dispatchEvent(new CustomEvent<TelemetryErrorDetail>('vib3-telemetry-error', { bubbles: true, composed: true, detail: this._error }));
    } finally {
      if (this.#abort === ctrl) {
        this.#abort = undefined;
        this._busy = false;
        this.#schedule();
      }
    }
    await this.chartsDrawn;
  }

  /** Cancels a load in flight and the next poll. */
  #stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this._busy = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.isConnected || !this.registry || !this.token || !(this.refreshMs > 0)) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (document.visibilityState === 'hidden') this.#stale = true; // the visibility handler loads
      else void this.load();
    }, this.refreshMs);
  }

  readonly #onVisibility = (): void => {
    this._hidden = document.visibilityState === 'hidden';
    if (!this._hidden && this.#stale) {
      this.#stale = false;
      void this.load();
    }
  };

  readonly #onTheme = (): void => this.requestUpdate();

  /** Chart colours and font from the design tokens in effect here. */
  #palette(probe: HTMLElement): ChartPalette {
    const style = getComputedStyle(this);
    const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const text = style.color;
    const accent = token('--vib3-color-accent', text);
    const probeStyle = getComputedStyle(probe);
    return {
      bar: accent,
      barStroke: accent,
      axis: token('--vib3-color-text-muted', text),
      grid: token('--vib3-color-border', text),
      font: `${Math.round(parseFloat(probeStyle.fontSize) || 12)}px ${probeStyle.fontFamily || 'sans-serif'}`,
    };
  }

  /** Creates, updates or removes the charts to match what is rendered. */
  async #drawCharts(): Promise<void> {
    const containers = () => new Map([...this.renderRoot.querySelectorAll<HTMLElement>('[data-chart]')].map((el) => [el.dataset.chart as ChartId, el]));
    if (containers().size === 0 && this.#charts.size === 0) return;
    const mod = containers().size ? await (this.#chartModule ??= import('./dashboard-charts.js')) : undefined;
    const current = containers();
    for (const [id, chart] of this.#charts) {
      if (current.get(id) !== chart.container || !this.isConnected) {
        chart.destroy();
        this.#resizer?.unobserve(chart.container);
        this.#charts.delete(id);
      }
    }
    if (!mod || !this.isConnected) return;
    for (const [id, el] of current) {
      const series = this.#series[id];
      if (!series) continue;
      const data = { labels: series.labels, values: series.values };
      const palette = this.#palette(el);
      const chart = this.#charts.get(id);
      if (chart) chart.update(data, palette);
      else {
        this.#charts.set(id, new mod.BarChart(el, data, palette));
        (this.#resizer ??= new ResizeObserver(() => this.#charts.forEach((c) => c.resize()))).observe(el);
      }
    }
  }

  #liveText(): string {
    if (!(this.refreshMs > 0)) return msg('telemetry.manual');
    if (this._hidden) return msg('telemetry.paused');
    return msg('telemetry.live', { seconds: Math.round(this.refreshMs / 100) / 10 });
  }

  #chart(id: ChartId, part: string, series: BarSeries) {
    this.#series[id] = series;
    return series.values.some((v) => v > 0)
      ? html`<div part="chart ${part}" class="chart" data-chart=${id} role="img" aria-label=${series.summary}></div>`
      : html`<p part="none" class="muted">${msg('telemetry.none')}</p>`;
  }

  protected override render() {
    void this.locale;
    void this.themeConsumer;
    const s = this._summary;
    const busy = this._busy ? 'true' : 'false';
    this.#series = {};
    return html`<div part="toolbar" class="bar">
        <h2 part="title">${msg('telemetry.title')}</h2>
        <label
          >${msg('telemetry.window')}
          <select part="window" @change=${(e: Event) => (this.window = (e.target as HTMLSelectElement).value as TelemetryWindow)}>
            ${TELEMETRY_WINDOWS.map((w) => html`<option value=${w} ?selected=${w === this.window}>${msg(`telemetry.window.${w}`)}</option>`)}
          </select></label
        >
        <button part="refresh" type="button" aria-disabled=${busy} @click=${() => !this._busy && void this.load()}>${msg('telemetry.refresh')}</button>
        <span part="live" class="muted" data-state=${!(this.refreshMs > 0) ? 'manual' : this._hidden ? 'paused' : 'live'}>${this.#liveText()}</span>
        ${this._updatedAt ? html`<span part="updated" class="muted">${msg('telemetry.updated', { time: formatTime(this._updatedAt) })}</span>` : nothing}
      </div>
      ${this._error ? renderError(this._error) : nothing}
      ${!this.registry || !this.token
        ? html`<p part="notice" class="muted">${msg('telemetry.notice')}</p>`
        : !s
          ? this._error
            ? nothing
            : html`<p part="notice" class="muted" role="status">${msg('telemetry.loading')}</p>`
          : isEmptySummary(s)
            ? html`<p part="empty" class="muted" role="status">${msg('telemetry.empty', { since: formatDateTime(s.since), until: formatDateTime(s.until) })}</p>`
            : this.#renderSections(s, busy)}`;
  }

  #renderSections(s: TelemetrySummary, busy: string) {
    return html`<div part="sections" class="grid" aria-busy=${busy}>
      ${section('tools', 'telemetry.tools', toolsTable(s))}
      ${section('tool-p95', 'telemetry.toolP95', this.#chart('p95', 'p95-chart', toolP95Series(s.tools)))}
      ${section('error-classes', 'telemetry.errorClasses', errorClassesTable(s))}
      ${section('models', 'telemetry.models', modelsTable(s))}
      ${section('mcp', 'telemetry.mcp', mcpTable(s))}
      ${section('sessions', 'telemetry.sessions', sessionsTable(s))}
      ${section('installs', 'telemetry.installs', installsTable(s))}
      ${section('frame-time', 'telemetry.frameTime', html`${frameTable(s)}${this.#chart('frame', 'frame-chart', frameTimeSeries(s.frameTime))}`)}
      ${section('render-scale', 'telemetry.renderScale', this.#chart('scale', 'scale-chart', renderScaleSeries(s.renderScale)))}
      ${section('crashes', 'telemetry.crashes', crashesTable(s))}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vib3-telemetry-dashboard': Vib3TelemetryDashboard;
  }
}
