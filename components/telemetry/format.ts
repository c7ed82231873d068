/**
 * What `<vib3-telemetry-dashboard>` reads and shows: the wire type of the registry's
 * `GET /v1/telemetry/summary` (docs/TELEMETRY.md "The registry's receiver and dashboard API"), the
 * time windows, number formatting, the data of its three charts with their text summaries, and
 * registry errors reduced to what the UI shows. No DOM, no lit: the element and its tests share it.
 */
import { getLocale, msg } from '../i18n.js';

import type { TelemetryLatency, TelemetrySummary } from '../../src/telemetry/summary-types.js';

/** The registry's summary answer and its latency type (one definition: src/telemetry/summary-types.ts). */
export type { TelemetryLatency, TelemetrySummary };

/** The time windows the dashboard offers (the last 15 minutes … 7 days). */
export const TELEMETRY_WINDOWS = ['15m', '1h', '24h', '7d'] as const;
export type TelemetryWindow = (typeof TELEMETRY_WINDOWS)[number];
const WINDOW_MS: Record<TelemetryWindow, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 };

/** The window's length in ms (an unknown value counts as `1h`). */
export function windowMs(window: string): number {
  return WINDOW_MS[window as TelemetryWindow] ?? WINDOW_MS['1h'];
}

/** A failed load as the UI shows it: the registry's code and message, a suggestion, the HTTP status when there was one. */
export interface TelemetryErrorInfo {
  code: string;
  message: string;
  suggestion: string;
  status?: number;
}

/** Detail of `vib3-telemetry-error`. */
export type TelemetryErrorDetail = TelemetryErrorInfo;

/** Detail of `vib3-telemetry-update`: the summary now shown. */
export interface TelemetryUpdateDetail {
  summary: TelemetrySummary;
}

/** Parts of `<vib3-telemetry-dashboard>`. */
export const TELEMETRY_DASHBOARD_PARTS = [
  'toolbar', 'title', 'window', 'refresh', 'live', 'updated', 'notice', 'empty', 'sections', 'section', 'table', 'row', 'none',
  'tools', 'error-classes', 'models', 'mcp', 'sessions', 'installs', 'crashes', 'frame-time',
  'chart', 'p95-chart', 'frame-chart', 'scale-chart', 'error', 'error-code', 'error-message', 'suggestion',
] as const;

/** An error answer of the registry as UI info (401/403: an admin token is needed). */
export async function errorOf(res: Response): Promise<TelemetryErrorInfo> {
  const body = (await res.json().catch(() => undefined)) as { error?: Partial<TelemetryErrorInfo> } | undefined;
  const e = body?.error;
  const code = typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`;
  if (res.status === 401 || res.status === 403) {
    return { code, message: e?.message ? `${msg('telemetry.adminNeeded')} ${e.message}` : msg('telemetry.adminNeeded'), suggestion: msg('telemetry.adminHow'), status: res.status };
  }
  return { code, message: e?.message ?? (res.statusText || `HTTP ${res.status}`), suggestion: e?.suggestion ?? '', status: res.status };
}

/** Whether `body` has the summary's shape (lists and totals where the dashboard reads them). */
export function isSummary(body: unknown): body is TelemetrySummary {
  const b = body as Partial<Record<keyof TelemetrySummary, unknown>> | null;
  const lists = ['tools', 'errorClasses', 'models', 'mcp', 'renderScale', 'extensionCrashes'] as const;
  const totals = ['installs', 'frameTime', 'sessions'] as const;
  return (
    typeof b === 'object' && b !== null && typeof b.since === 'string' && typeof b.until === 'string' &&
    lists.every((k) => Array.isArray(b[k])) &&
    totals.every((k) => typeof b[k] === 'object' && b[k] !== null && typeof (b[k] as { count?: unknown }).count === 'number') &&
    Array.isArray((b.frameTime as { buckets?: unknown }).buckets)
  );
}

/** Whether the window holds nothing at all to show. */
export function isEmptySummary(s: TelemetrySummary): boolean {
  return (
    s.tools.length + s.errorClasses.length + s.models.length + s.mcp.length + s.renderScale.length + s.extensionCrashes.length === 0 &&
    s.installs.count + s.frameTime.count + s.sessions.count === 0
  );
}

// --- Numbers ---------------------------------------------------------------------------------

const nf = (options: Intl.NumberFormatOptions = {}) => new Intl.NumberFormat(getLocale(), options);
/** The placeholder of a missing value. */
export const NONE = '—';

/** A count, grouped: `12,345`. */
export function formatCount(n: number): string {
  return nf().format(n);
}

/** A latency: `21 ms`, `46.75 ms`, `1,920 ms`; `—` without one. */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  return msg('telemetry.ms', { value: nf({ maximumFractionDigits: v < 100 ? 2 : v < 1000 ? 1 : 0 }).format(v) });
}

/** A rate in 0..1 as a percentage: `20%`, `33.3%`. */
export function formatRate(r: number): string {
  return nf({ style: 'percent', maximumFractionDigits: 1 }).format(r);
}

/** An estimated cost in US dollars: `$0.003`, `$12.50`. */
export function formatUsd(v: number): string {
  return nf({ style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(v);
}

/** A render scale: `0.75×`. */
export function formatScale(scale: number): string {
  return msg('telemetry.scale', { value: nf({ maximumFractionDigits: 2 }).format(scale) });
}

/** A time of day, e.g. `14:03:05`. */
export function formatTime(time: string | number): string {
  return new Intl.DateTimeFormat(getLocale(), { timeStyle: 'medium' }).format(new Date(time));
}

/** A date and time, e.g. `5/1/26, 2:03 PM`. */
export function formatDateTime(time: string | number): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'short', timeStyle: 'short' }).format(new Date(time));
}

// --- Chart data ------------------------------------------------------------------------------

/** One bar chart: category labels, their values and a text summary (the chart's `aria-label`). */
export interface BarSeries {
  labels: string[];
  values: number[];
  summary: string;
}

/** Bars listed in a chart's text summary at most (the rest is counted). */
const SUMMARY_BARS = 24;
/** Tools drawn in the p95 chart at most (the busiest first, as the summary lists them). */
export const MAX_TOOL_BARS = 20;

function summarise(title: string, labels: string[], values: string[]): string {
  const items = labels.slice(0, SUMMARY_BARS).map((l, i) => `${l}: ${values[i]}`);
  const more = labels.length > SUMMARY_BARS ? [msg('telemetry.chart.more', { count: labels.length - SUMMARY_BARS })] : [];
  return `${title}. ${[...items, ...more].join('; ')}.`;
}

/** The frame-time distribution: one bar per histogram bucket (`≤ 8 ms`, …, `> 50 ms`). */
export function frameTimeSeries(f: TelemetrySummary['frameTime']): BarSeries {
  const finite = f.buckets.filter((b) => b.le !== null).map((b) => b.le as number);
  const top = finite.length ? Math.max(...finite) : 0;
  const labels = f.buckets.map((b) => (b.le === null ? msg('telemetry.bucket.over', { ms: formatCount(top) }) : msg('telemetry.bucket.le', { ms: formatCount(b.le) })));
  const values = f.buckets.map((b) => b.count);
  const title = msg('telemetry.chart.frameSummary', { count: formatCount(f.count), p50: formatMs(f.p50Ms), p95: formatMs(f.p95Ms) });
  return { labels, values, summary: summarise(title, labels, values.map(formatCount)) };
}

/** The render-scale distribution: frames (and scale changes) per render scale. */
export function renderScaleSeries(scales: TelemetrySummary['renderScale']): BarSeries {
  const labels = scales.map((s) => formatScale(s.scale));
  const values = scales.map((s) => s.count);
  return { labels, values, summary: summarise(msg('telemetry.chart.scaleSummary'), labels, values.map(formatCount)) };
}

/** p95 latency per tool (tools without a p95 are left out). */
export function toolP95Series(tools: TelemetrySummary['tools']): BarSeries {
  const drawn = tools.filter((t) => t.p95Ms !== null).slice(0, MAX_TOOL_BARS);
  const labels = drawn.map((t) => t.tool);
  const values = drawn.map((t) => t.p95Ms as number);
  return { labels, values, summary: summarise(msg('telemetry.chart.p95Summary'), labels, values.map(formatMs)) };
}
