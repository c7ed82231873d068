/**
 * Writing received telemetry and keeping it bounded: decoded spans and metric points go in with
 * one statement per table (rows as one JSON parameter through `jsonb_to_recordset`, so a request
 * is stored whole or not at all), and the retention sweep deletes rows older than
 * `telemetry.retentionHours`, by their own time or by when they arrived, on an unref'd timer.
 */
import type { Queryable } from '../db/database.js';
import { DEFAULT_TELEMETRY_SETTINGS, type RegistryContext, type TelemetrySettings } from '../context.js';
import { RegistryError } from '../errors.js';
import { safeText } from './otlp-values.js';
import type { PointRecord, SpanRecord } from './otlp.js';

/** The receiver's settings: the registry's `telemetry` block over the defaults. */
export function telemetrySettings(ctx: Pick<RegistryContext, 'settings'>): TelemetrySettings {
  return { ...DEFAULT_TELEMETRY_SETTINGS, ...ctx.settings.telemetry };
}

/**
 * Rows as one JSON text PostgreSQL accepts (no NUL, no lone surrogates); longer than `maxChars`
 * (one request's rows, against amplification: each row repeats its resource) → 413.
 */
function rowsJson(rows: unknown[], maxChars = Infinity): string {
  const text = JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? safeText(value) : value));
  if (text.length > maxChars) {
    throw new RegistryError(413, 'PAYLOAD_TOO_LARGE', `The export request's rows would take ${text.length} characters to store, more than the ${maxChars} allowed for it (3× its body plus 1 KiB a row).`, 'Export smaller batches (e.g. a lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or a smaller resource.');
  }
  return text;
}

/** Stores spans; `receivedAt` is the registry's clock; rows serialised longer than `maxChars` → 413, nothing stored. */
export async function insertSpans(db: Queryable, spans: readonly SpanRecord[], receivedAt: Date, maxChars?: number): Promise<void> {
  if (spans.length === 0) return;
  const rows = spans.map((s) => ({
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    service: s.service,
    scope: s.scope,
    operation: s.operation,
    tool: s.tool,
    model: s.model,
    provider: s.provider,
    mcp_method: s.mcpMethod,
    extension_id: s.extensionId,
    error_type: s.errorType,
    error_code: s.errorCode,
    status: s.status,
    error: s.error,
    start_time: s.startTime,
    duration_ms: s.durationMs,
    input_tokens: s.inputTokens,
    output_tokens: s.outputTokens,
    cost_usd: s.costUsd,
    render_scale: s.renderScale,
    attributes: s.attributes,
    resource: s.resource,
    events: s.events,
  }));
  await db.query(
    `INSERT INTO telemetry_spans (trace_id, span_id, parent_span_id, name, kind, service, scope, operation, tool, model, provider,
       mcp_method, extension_id, error_type, error_code, status, error, start_time, duration_ms, input_tokens, output_tokens,
       cost_usd, render_scale, attributes, resource, events, received_at)
     SELECT trace_id, span_id, parent_span_id, name, kind, service, scope, operation, tool, model, provider,
       mcp_method, extension_id, error_type, error_code, status, error, start_time, duration_ms, input_tokens, output_tokens,
       cost_usd, render_scale, coalesce(attributes, '{}'), coalesce(resource, '{}'), coalesce(events, '[]'), $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS r(trace_id text, span_id text, parent_span_id text, name text, kind smallint,
       service text, scope text, operation text, tool text, model text, provider text, mcp_method text, extension_id text,
       error_type text, error_code text, status smallint, error boolean, start_time timestamptz, duration_ms double precision,
       input_tokens bigint, output_tokens bigint, cost_usd numeric, render_scale double precision, attributes jsonb,
       resource jsonb, events jsonb)`,
    [rowsJson(rows, maxChars), receivedAt.toISOString()],
  );
}

/** Stores metric data points; `receivedAt` is the registry's clock; rows serialised longer than `maxChars` → 413, nothing stored. */
export async function insertPoints(db: Queryable, points: readonly PointRecord[], receivedAt: Date, maxChars?: number): Promise<void> {
  if (points.length === 0) return;
  const rows = points.map((p) => ({
    name: p.name,
    kind: p.kind,
    unit: p.unit,
    temporality: p.temporality,
    monotonic: p.monotonic,
    service: p.service,
    series: p.series,
    start_time: p.startTime,
    time: p.time,
    attributes: p.attributes,
    value: p.value,
    count: p.count,
    sum: p.sum,
    min: p.min,
    max: p.max,
    bucket_counts: p.bucketCounts,
    explicit_bounds: p.explicitBounds,
  }));
  await db.query(
    `INSERT INTO telemetry_points (name, kind, unit, temporality, monotonic, service, series, start_time, time, attributes,
       value, count, sum, min, max, bucket_counts, explicit_bounds, received_at)
     SELECT name, kind, unit, temporality, monotonic, service, series, start_time, time, coalesce(attributes, '{}'),
       value, count, sum, min, max, bucket_counts, explicit_bounds, $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS r(name text, kind text, unit text, temporality smallint, monotonic boolean,
       service text, series text, start_time timestamptz, time timestamptz, attributes jsonb, value double precision,
       count bigint, sum double precision, min double precision, max double precision, bucket_counts jsonb, explicit_bounds jsonb)`,
    [rowsJson(rows, maxChars), receivedAt.toISOString()],
  );
}

/** How many rows a sweep deleted. */
export interface PruneResult {
  spans: number;
  points: number;
}

/** Deletes spans and points older than `retentionHours` before `now`, by their own time or their arrival. */
export async function pruneTelemetry(db: Queryable, now: Date, retentionHours: number): Promise<PruneResult> {
  const cutoff = new Date(now.getTime() - retentionHours * 3_600_000).toISOString();
  const spans = await db.query<{ n: number }>('WITH d AS (DELETE FROM telemetry_spans WHERE start_time < $1 OR received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [cutoff]);
  const points = await db.query<{ n: number }>('WITH d AS (DELETE FROM telemetry_points WHERE time < $1 OR received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [cutoff]);
  return { spans: Number(spans.rows[0]?.n ?? 0), points: Number(points.rows[0]?.n ?? 0) };
}

/** A running retention sweep. */
export interface TelemetryRetention {
  /** Runs one sweep now (the timer's work; tests call it too). */
  sweep(): Promise<PruneResult>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the retention sweep: every `telemetry.retentionIntervalMs` (read at start), with the
 * registry's clock and the retention read on each run. The timer is unref'd (it never keeps the
 * process alive); a failed sweep is logged and retried at the next tick.
 */
export function startTelemetryRetention(ctx: Pick<RegistryContext, 'db' | 'now' | 'settings'>, log: (message: string) => void = (m) => console.error(m)): TelemetryRetention {
  let running: Promise<PruneResult> | undefined;
  let stopped = false;
  const sweep = (): Promise<PruneResult> =>
    (running ??= pruneTelemetry(ctx.db, ctx.now(), telemetrySettings(ctx).retentionHours).finally(() => {
      running = undefined;
    }));
  const timer = setInterval(() => {
    if (stopped || running) return;
    sweep().catch((err: Error) => log(`registry: telemetry retention sweep failed: ${err.message}`));
  }, Math.max(1, telemetrySettings(ctx).retentionIntervalMs));
  timer.unref();
  return {
    sweep,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
