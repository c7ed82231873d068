/**
 * The dashboard's aggregates over a time window (`GET /v1/telemetry/summary`): span latencies as
 * `percentile_cont` over `duration_ms` (PostgreSQL and PGlite alike), error rates, tokens and cost
 * per model, and from metric points the frame-time distribution (merged histogram buckets,
 * percentiles interpolated in TypeScript), render scales and extension crashes. Cumulative metric
 * series count what they added inside the window (their latest point in it minus their latest
 * point before it); delta series count every point in it.
 */
import type { Queryable } from '../db/database.js';
import { ERROR_CLASSES, errorInfo, isKnownErrorCode } from '../../telemetry/error-classes.js';
import { bucketPercentile, histogramIncrease, mergeBuckets, sumIncrease, type HistogramCounts } from './histogram.js';

import type { TelemetrySummary } from '../../telemetry/summary-types.js';

export type { TelemetrySummary };

/** Metric points read per metric and query at most (the newest first). */
export const MAX_SUMMARY_POINTS = 50_000;

/** Groups listed per section at most. */
const MAX_GROUPS = 200;
/** Span label of a missing grouping value. */
const UNKNOWN = '(unknown)';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
const rate = (errors: number, calls: number): number => (calls === 0 ? 0 : Math.round((errors / calls) * 10_000) / 10_000);

/** The suggested action of an `error.type`: its class's, or the class of a kit error code; undefined otherwise. */
function actionOf(errorType: string): string | undefined {
  const classes = ERROR_CLASSES as Record<string, { action: string }>;
  if (Object.hasOwn(classes, errorType)) return classes[errorType]!.action;
  if (/^[A-Z][A-Z0-9_]*$/.test(errorType) && isKnownErrorCode(errorType)) return errorInfo(errorType).action;
  return undefined;
}

const LATENCY = `percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95`;
const WINDOW = 'start_time >= $1 AND start_time < $2';

/** Aggregates the window [since, until); `maxPoints` bounds the metric points read (tests lower it). */
export async function telemetrySummary(db: Queryable, since: Date, until: Date, { maxPoints = MAX_SUMMARY_POINTS }: { maxPoints?: number } = {}): Promise<TelemetrySummary> {
  const w = [since.toISOString(), until.toISOString()];
  type Row = Record<string, unknown>;
  const q = async (sql: string): Promise<Row[]> => (await db.query<Row>(sql, w)).rows;

  const tools = await q(`SELECT coalesce(tool, '${UNKNOWN}') COLLATE "C" AS tool, count(*)::int AS calls, count(*) FILTER (WHERE error)::int AS errors, ${LATENCY}
    FROM telemetry_spans WHERE ${WINDOW} AND operation = 'execute_tool' AND mcp_method IS NULL
    GROUP BY 1 ORDER BY calls DESC, tool LIMIT ${MAX_GROUPS}`);
  const errorClasses = await q(`SELECT coalesce(error_type, '_OTHER') COLLATE "C" AS error_type, count(*)::int AS count
    FROM telemetry_spans WHERE ${WINDOW} AND error GROUP BY 1 ORDER BY count DESC, error_type LIMIT ${MAX_GROUPS}`);
  const models = await q(`SELECT coalesce(provider, '${UNKNOWN}') COLLATE "C" AS provider, coalesce(model, '${UNKNOWN}') COLLATE "C" AS model, count(*)::int AS steps,
      coalesce(sum(input_tokens), 0)::float8 AS input_tokens, coalesce(sum(output_tokens), 0)::float8 AS output_tokens, coalesce(sum(cost_usd), 0)::text AS cost_usd
    FROM telemetry_spans WHERE ${WINDOW} AND operation = 'chat' GROUP BY 1, 2 ORDER BY steps DESC, provider, model LIMIT ${MAX_GROUPS}`);
  const mcp = await q(`SELECT mcp_method COLLATE "C" AS method, count(*)::int AS calls, count(*) FILTER (WHERE error)::int AS errors, ${LATENCY}
    FROM telemetry_spans WHERE ${WINDOW} AND mcp_method IS NOT NULL GROUP BY 1 ORDER BY calls DESC, method LIMIT ${MAX_GROUPS}`);
  const INSTALL_OPS = `attributes->>'vib3.install.operation' IN ('install', 'update', 'channel', 'rollback')`;
  const [installs] = await q(`SELECT count(*)::int AS count, count(*) FILTER (WHERE error)::int AS failures, ${LATENCY}
    FROM telemetry_spans WHERE ${WINDOW} AND name = 'vib3.marketplace.install' AND ${INSTALL_OPS}`);
  const installOps = await q(`SELECT coalesce(attributes->>'vib3.install.operation', '${UNKNOWN}') COLLATE "C" AS operation, count(*)::int AS count,
      count(*) FILTER (WHERE error)::int AS failures, ${LATENCY}
    FROM telemetry_spans WHERE ${WINDOW} AND name = 'vib3.marketplace.install' GROUP BY 1 ORDER BY count DESC, operation LIMIT ${MAX_GROUPS}`);
  const [sessions] = await q(`SELECT count(*)::int AS count, ${LATENCY} FROM telemetry_spans WHERE ${WINDOW} AND operation = 'invoke_agent'`);
  const spanScales = await q(`SELECT round(render_scale::numeric, 2)::float8 AS scale, count(*)::int AS count
    FROM telemetry_spans WHERE ${WINDOW} AND render_scale IS NOT NULL GROUP BY 1`);

  let truncated = false;
  const frames = await windowed(db, 'vib3.render.frame_time', 'histogram', w, maxPoints, () => (truncated = true));
  const histograms = frames.map((p) => ({ attributes: p.attributes, counts: p.counts! })).filter((p) => p.counts.bucketCounts.length > 0);
  const buckets = mergeBuckets(histograms.map((p) => p.counts));
  const frameCount = buckets.reduce((a, b) => a + b.count, 0);

  const scales = new Map<number, number>();
  for (const r of spanScales) scales.set(num(r.scale), (scales.get(num(r.scale)) ?? 0) + num(r.count));
  for (const h of histograms) {
    const scale = h.attributes['vib3.render.scale'];
    if (typeof scale !== 'number') continue;
    const key = Math.round(scale * 100) / 100;
    scales.set(key, (scales.get(key) ?? 0) + h.counts.bucketCounts.reduce((a, c) => a + c, 0));
  }

  const crashes = new Map<string, number>();
  for (const p of await windowed(db, 'vib3.extension.crashes', 'sum', w, maxPoints, () => (truncated = true))) {
    const id = typeof p.attributes['vib3.extension.id'] === 'string' ? (p.attributes['vib3.extension.id'] as string) : UNKNOWN;
    crashes.set(id, (crashes.get(id) ?? 0) + p.value!);
  }

  return {
    since: w[0]!,
    until: w[1]!,
    tools: tools.map((r) => ({ tool: String(r.tool), calls: num(r.calls), errors: num(r.errors), errorRate: rate(num(r.errors), num(r.calls)), p50Ms: ms(r.p50), p95Ms: ms(r.p95) })),
    errorClasses: errorClasses.map((r) => {
      const action = actionOf(String(r.error_type));
      return { errorType: String(r.error_type), count: num(r.count), ...(action ? { action } : {}) };
    }),
    models: models.map((r) => ({ provider: String(r.provider), model: String(r.model), steps: num(r.steps), inputTokens: num(r.input_tokens), outputTokens: num(r.output_tokens), costUsd: num(r.cost_usd) })),
    mcp: mcp.map((r) => ({ method: String(r.method), calls: num(r.calls), errorRate: rate(num(r.errors), num(r.calls)), p50Ms: ms(r.p50), p95Ms: ms(r.p95) })),
    installs: {
      count: num(installs?.count),
      failures: num(installs?.failures),
      p50Ms: ms(installs?.p50),
      p95Ms: ms(installs?.p95),
      byOperation: installOps.map((r) => ({ operation: String(r.operation), count: num(r.count), failures: num(r.failures), p50Ms: ms(r.p50), p95Ms: ms(r.p95) })),
    },
    frameTime: {
      count: frameCount,
      p50Ms: ms(bucketPercentile(buckets, 0.5)),
      p95Ms: ms(bucketPercentile(buckets, 0.95)),
      buckets: buckets.map((b) => ({ le: Number.isFinite(b.le) ? b.le : null, count: b.count })),
    },
    renderScale: [...scales].map(([scale, count]) => ({ scale, count })).filter((s) => s.count > 0).sort((a, b) => a.scale - b.scale),
    extensionCrashes: [...crashes].map(([extension, count]) => ({ extension, count })).filter((c) => c.count > 0).sort((a, b) => b.count - a.count || a.extension.localeCompare(b.extension)).slice(0, MAX_GROUPS),
    sessions: { count: num(sessions?.count), p50Ms: ms(sessions?.p50), p95Ms: ms(sessions?.p95) },
    ...(truncated ? { truncated: true as const } : {}),
  };
}

/** What one series (or one delta point) of a metric contributed to the window. */
interface Contribution {
  attributes: Record<string, unknown>;
  value?: number;
  counts?: HistogramCounts;
}

interface PointRow {
  series: string;
  attributes: Record<string, unknown> | string;
  value: number | null;
  bucket_counts: number[] | string | null;
  explicit_bounds: number[] | string | null;
}

const COLUMNS = 'series, attributes, value, bucket_counts, explicit_bounds';
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * A metric's contributions to the window [w0, w1): every delta (or unspecified) point in it, and
 * per cumulative series its latest point in the window less its latest point before the window.
 * Each query reads at most `limit` points (the newest); `onTruncated` is called when one hits it.
 */
async function windowed(db: Queryable, name: string, kind: 'sum' | 'histogram', w: string[], limit: number, onTruncated: () => void): Promise<Contribution[]> {
  const params = [name, kind, ...w];
  const delta = await db.query<PointRow>(`SELECT ${COLUMNS} FROM telemetry_points WHERE name = $1 AND kind = $2 AND temporality <> 2 AND time >= $3 AND time < $4
    ORDER BY time DESC, id DESC LIMIT ${limit + 1}`, params);
  const latest = await db.query<PointRow>(`SELECT * FROM (SELECT DISTINCT ON (series) ${COLUMNS}, time, id FROM telemetry_points
    WHERE name = $1 AND kind = $2 AND temporality = 2 AND time >= $3 AND time < $4 ORDER BY series, time DESC, id DESC) AS l ORDER BY time DESC, id DESC LIMIT ${limit + 1}`, params);
  for (const rows of [delta.rows, latest.rows]) {
    if (rows.length > limit) {
      rows.length = limit;
      onTruncated();
    }
  }
  const before = latest.rows.length === 0 ? [] : (await db.query<PointRow>(`SELECT DISTINCT ON (series) ${COLUMNS} FROM telemetry_points
    WHERE name = $1 AND kind = $2 AND temporality = 2 AND time < $3 AND series IN (SELECT jsonb_array_elements_text($4::jsonb))
    ORDER BY series, time DESC, id DESC`, [name, kind, w[0], JSON.stringify(latest.rows.map((r) => r.series))])).rows;
  const baseline = new Map(before.map((r) => [r.series, r]));

  const counts = (r: PointRow): HistogramCounts => ({ bucketCounts: (json(r.bucket_counts) ?? []).map(Number), explicitBounds: (json(r.explicit_bounds) ?? []).map(Number) });
  const out: Contribution[] = delta.rows.map((r) => ({ attributes: json(r.attributes), ...(kind === 'sum' ? { value: num(r.value) } : { counts: counts(r) }) }));
  for (const r of latest.rows) {
    const b = baseline.get(r.series);
    if (kind === 'sum') out.push({ attributes: json(r.attributes), value: sumIncrease(num(r.value), b ? num(b.value) : undefined) });
    else out.push({ attributes: json(r.attributes), counts: histogramIncrease(counts(r), b ? counts(b) : undefined) });
  }
  return out;
}
