/**
 * Decoding OTLP/JSON export requests (ExportTraceServiceRequest, ExportMetricsServiceRequest) into
 * the rows the receiver stores. The whole body is read before anything is stored: a value of the
 * wrong shape throws {@link OtlpShapeError} (the route answers 400 `INVALID_OTLP` naming its path,
 * and nothing is stored); well-formed items that cannot be used (a span without ids or with its
 * end before its start, a histogram point whose bucket counts do not match its bounds) are
 * rejected one by one and reported as OTLP's `partialSuccess`.
 */
import { createHash } from 'node:crypto';
import { attributes, cleanString, double, enumValue, hexId, int64, list, message, nanosToDate, str, takeNumber, takeString, type AttrMap, type CleanOptions } from './otlp-values.js';

export { OtlpShapeError } from './otlp-values.js';

/** Spans, or metric data points, accepted in one export request at most (beyond: {@link OtlpTooLargeError}). */
export const MAX_ITEMS_PER_REQUEST = 10_000;
/** Largest serialised resource stored with each row; beyond it only `service.name` / `service.version` are kept, with `_truncated: true`. */
export const MAX_RESOURCE_CHARS = 16 * 1024;

/** A request holding more than {@link MAX_ITEMS_PER_REQUEST} spans or points (the route answers 413). */
export class OtlpTooLargeError extends Error {
  constructor(readonly what: 'spans' | 'data points') {
    super(`The export request holds more than ${MAX_ITEMS_PER_REQUEST} ${what}.`);
    this.name = 'OtlpTooLargeError';
  }
}

/** A span as stored (`telemetry_spans`). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP SpanKind (0 unspecified … 5 consumer). */
  kind: number;
  /** The resource's `service.name`. */
  service: string | null;
  /** The instrumentation scope's name. */
  scope: string | null;
  /** `gen_ai.operation.name` (or, without it, `execute_tool` / `chat` / `invoke_agent` from the span name). */
  operation: string | null;
  tool: string | null;
  model: string | null;
  provider: string | null;
  mcpMethod: string | null;
  extensionId: string | null;
  /** `error.type`: the error class. */
  errorType: string | null;
  /** `vib3.error.code`. */
  errorCode: string | null;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: number;
  /** Status ERROR or an `error.type`. */
  error: boolean;
  /** ISO time of the span's start. */
  startTime: string;
  durationMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  renderScale: number | null;
  /** The attributes not pulled into columns. */
  attributes: AttrMap;
  resource: AttrMap;
  events: Array<{ name: string; time: string; attributes: AttrMap }>;
}

/** A metric data point as stored (`telemetry_points`). */
export interface PointRecord {
  name: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';
  unit: string | null;
  /** 0 unspecified (gauges), 1 delta, 2 cumulative. */
  temporality: number;
  monotonic: boolean | null;
  service: string | null;
  /** The time series the point belongs to (a hash of resource, scope, metric, attributes and start time). */
  series: string;
  startTime: string | null;
  time: string;
  attributes: AttrMap;
  /** Gauge and sum points. */
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  bucketCounts: number[] | null;
  explicitBounds: number[] | null;
}

/** What a decoded export request holds: the rows to store, and the items rejected with the first reasons. */
export interface Decoded<T> {
  rows: T[];
  rejected: number;
  reasons: string[];
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const TEMPORALITIES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
/** GenAI operations a span name may start with when the attribute is missing. */
const NAMED_OPERATIONS = new Set(['execute_tool', 'chat', 'invoke_agent']);
const MAX_EVENTS = 128;
const MAX_REASONS = 5;

const nonNegative = (n: number | undefined): number | null => (n === undefined || n < 0 ? null : n);

/** Collects rejections. */
class Rejections {
  count = 0;
  readonly reasons: string[] = [];
  add(path: string, why: string, n = 1): void {
    this.count += n;
    if (this.reasons.length < MAX_REASONS) this.reasons.push(`${path}: ${why}`);
  }
}

/** The resource's attributes and `service.name`. */
function resourceOf(value: unknown, path: string, clean: CleanOptions): { resource: AttrMap; service: string | null } {
  let resource = attributes(message(value, path).attributes, `${path}/attributes`, clean);
  const service = resource['service.name'];
  // Every row stores its resource: a large one is cut to its service, so rows cannot amplify it.
  if (JSON.stringify(resource).length > MAX_RESOURCE_CHARS) {
    const kept: AttrMap = { _truncated: true };
    for (const key of ['service.name', 'service.version']) if (typeof resource[key] === 'string') kept[key] = (resource[key] as string).slice(0, 1024);
    resource = kept;
  }
  return { resource, service: typeof service === 'string' ? service.slice(0, 1024) : null };
}

/** Decodes an ExportTraceServiceRequest. @throws OtlpShapeError */
export function decodeTraces(body: unknown, clean: CleanOptions): Decoded<SpanRecord> {
  const root = message(body, '');
  const rows: SpanRecord[] = [];
  const rejected = new Rejections();
  let seen = 0;
  list(root.resourceSpans, '/resourceSpans').forEach((rs, i) => {
    const rPath = `/resourceSpans/${i}`;
    const r = message(rs, rPath);
    const { resource, service } = resourceOf(r.resource, `${rPath}/resource`, clean);
    list(r.scopeSpans, `${rPath}/scopeSpans`).forEach((ss, j) => {
      const sPath = `${rPath}/scopeSpans/${j}`;
      const s = message(ss, sPath);
      const scope = cleanString(str(message(s.scope, `${sPath}/scope`).name, `${sPath}/scope/name`), clean.maxChars).slice(0, 256) || null;
      const spans = list(s.spans, `${sPath}/spans`);
      if ((seen += spans.length) > MAX_ITEMS_PER_REQUEST) throw new OtlpTooLargeError('spans');
      spans.forEach((sp, k) => {
        const path = `${sPath}/spans/${k}`;
        const row = decodeSpan(sp, path, clean, rejected);
        if (row) rows.push({ ...row, service, scope, resource });
      });
    });
  });
  return { rows, rejected: rejected.count, reasons: rejected.reasons };
}

/** One span (without its resource and scope), or undefined when rejected. */
function decodeSpan(value: unknown, path: string, clean: CleanOptions, rejected: Rejections): Omit<SpanRecord, 'service' | 'scope' | 'resource'> | undefined {
  const span = message(value, path);
  const traceId = hexId(span.traceId, `${path}/traceId`, 16);
  const spanId = hexId(span.spanId, `${path}/spanId`, 8);
  const parentSpanId = hexId(span.parentSpanId, `${path}/parentSpanId`, 8);
  // Cleaned and cut before the tool / model columns are derived from it.
  const name = cleanString(str(span.name, `${path}/name`), clean.maxChars).slice(0, 512);
  const kind = enumValue(span.kind, `${path}/kind`, SPAN_KINDS);
  const start = int64(span.startTimeUnixNano, `${path}/startTimeUnixNano`);
  const end = int64(span.endTimeUnixNano, `${path}/endTimeUnixNano`);
  const attrs = attributes(span.attributes, `${path}/attributes`, clean);
  const status = message(span.status, `${path}/status`);
  const statusCode = enumValue(status.code, `${path}/status/code`, STATUS_CODES);
  const statusMessage = cleanString(str(status.message, `${path}/status/message`), clean.maxChars);
  const events = list(span.events, `${path}/events`)
    .slice(0, MAX_EVENTS)
    .map((ev, e) => {
      const event = message(ev, `${path}/events/${e}`);
      const time = int64(event.timeUnixNano, `${path}/events/${e}/timeUnixNano`);
      return { name: cleanString(str(event.name, `${path}/events/${e}/name`), clean.maxChars).slice(0, 512), time: nanosToDate(time).toISOString(), attributes: attributes(event.attributes, `${path}/events/${e}/attributes`, clean) };
    });

  if (!/[^0]/.test(traceId) || !/[^0]/.test(spanId)) return void rejected.add(path, 'a span needs a non-zero traceId and spanId');
  if (name === '') return void rejected.add(path, 'a span needs a name');
  if (start <= 0n) return void rejected.add(path, 'startTimeUnixNano is missing');
  if (end < start) return void rejected.add(path, 'endTimeUnixNano is missing or before startTimeUnixNano');

  // Columns the dashboard groups by come out of the attributes.
  let operation = takeString(attrs, 'gen_ai.operation.name') ?? null;
  let tool = takeString(attrs, 'gen_ai.tool.name') ?? null;
  let model = takeString(attrs, 'gen_ai.request.model', 'gen_ai.response.model') ?? null;
  const [first, ...rest] = name.split(' ');
  if (operation === null && NAMED_OPERATIONS.has(first!) && rest.length > 0) {
    operation = first!;
    if (operation === 'execute_tool') tool ??= rest.join(' ');
    if (operation === 'chat') model ??= rest.join(' ');
  }
  const errorType = takeString(attrs, 'error.type') ?? null;
  const tokens = (key: string) => {
    const n = takeNumber(attrs, key);
    return n === undefined || n < 0 || n > Number.MAX_SAFE_INTEGER ? null : Math.round(n);
  };
  if (statusMessage !== '') attrs['otel.status_description'] = statusMessage;
  return {
    traceId,
    spanId,
    parentSpanId: parentSpanId || null,
    name,
    kind,
    operation,
    tool,
    model,
    provider: takeString(attrs, 'gen_ai.provider.name', 'gen_ai.system') ?? null,
    mcpMethod: takeString(attrs, 'mcp.method.name') ?? null,
    extensionId: takeString(attrs, 'vib3.extension.id') ?? null,
    errorType,
    errorCode: takeString(attrs, 'vib3.error.code') ?? null,
    status: statusCode,
    error: statusCode === 2 || errorType !== null,
    startTime: nanosToDate(start).toISOString(),
    durationMs: Number(end - start) / 1e6,
    inputTokens: tokens('gen_ai.usage.input_tokens'),
    outputTokens: tokens('gen_ai.usage.output_tokens'),
    costUsd: nonNegative(takeNumber(attrs, 'vib3.cost.usd')),
    renderScale: takeNumber(attrs, 'vib3.render.scale') ?? null,
    attributes: attrs,
    events,
  };
}

/** Canonical JSON (sorted keys) of attributes, for series keys. */
const canonical = (attrs: AttrMap): string => JSON.stringify(Object.keys(attrs).sort().map((k) => [k, attrs[k]]));

/** Decodes an ExportMetricsServiceRequest. @throws OtlpShapeError */
export function decodeMetrics(body: unknown, clean: CleanOptions): Decoded<PointRecord> {
  const root = message(body, '');
  const rows: PointRecord[] = [];
  const rejected = new Rejections();
  let seen = 0;
  list(root.resourceMetrics, '/resourceMetrics').forEach((rm, i) => {
    const rPath = `/resourceMetrics/${i}`;
    const r = message(rm, rPath);
    const { resource, service } = resourceOf(r.resource, `${rPath}/resource`, clean);
    list(r.scopeMetrics, `${rPath}/scopeMetrics`).forEach((sm, j) => {
      const sPath = `${rPath}/scopeMetrics/${j}`;
      const s = message(sm, sPath);
      const scope = cleanString(str(message(s.scope, `${sPath}/scope`).name, `${sPath}/scope/name`), clean.maxChars);
      list(s.metrics, `${sPath}/metrics`).forEach((mv, k) => {
        const path = `${sPath}/metrics/${k}`;
        const metric = message(mv, path);
        const name = cleanString(str(metric.name, `${path}/name`), clean.maxChars).slice(0, 256);
        const unit = str(metric.unit, `${path}/unit`).slice(0, 64) || null;
        const seriesBase = `${canonical(resource)}\n${scope}\n${name}`;
        const decoded = decodeMetric(metric, path, clean, rejected);
        if ((seen += decoded.length) > MAX_ITEMS_PER_REQUEST) throw new OtlpTooLargeError('data points');
        const points = decoded.filter((p) => p !== undefined);
        if (points.length > 0 && name === '') return void rejected.add(path, 'a metric needs a name', points.length);
        for (const p of points) {
          const series = createHash('sha256').update(`${seriesBase}\n${canonical(p.attributes)}\n${p.startTime ?? ''}`).digest('hex').slice(0, 32);
          rows.push({ ...p, name, unit, service, series });
        }
      });
    });
  });
  return { rows, rejected: rejected.count, reasons: rejected.reasons };
}

type PointFields = Omit<PointRecord, 'name' | 'unit' | 'service' | 'series'>;

/** The points of one metric (undefined for each rejected one). */
function decodeMetric(metric: Record<string, unknown>, path: string, clean: CleanOptions, rejected: Rejections): Array<PointFields | undefined> {
  const kinds = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;
  const field = kinds.find((k) => metric[k] !== undefined && metric[k] !== null);
  if (!field) return [];
  const data = message(metric[field], `${path}/${field}`);
  const kind = field === 'exponentialHistogram' ? 'exponential_histogram' : field;
  const temporality = kind === 'gauge' || kind === 'summary' ? 0 : enumValue(data.aggregationTemporality, `${path}/${field}/aggregationTemporality`, TEMPORALITIES);
  const monotonic = kind === 'sum' ? data.isMonotonic === true : null;
  return list(data.dataPoints, `${path}/${field}/dataPoints`).map((dp, n) => {
    const pPath = `${path}/${field}/dataPoints/${n}`;
    const point = message(dp, pPath);
    const start = int64(point.startTimeUnixNano, `${pPath}/startTimeUnixNano`);
    const time = int64(point.timeUnixNano, `${pPath}/timeUnixNano`);
    const base: PointFields = {
      kind,
      temporality,
      monotonic,
      startTime: start > 0n ? nanosToDate(start).toISOString() : null,
      time: nanosToDate(time).toISOString(),
      attributes: attributes(point.attributes, `${pPath}/attributes`, clean),
      value: null,
      count: null,
      sum: null,
      min: null,
      max: null,
      bucketCounts: null,
      explicitBounds: null,
    };
    const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
    if (kind === 'gauge' || kind === 'sum') {
      const asInt = point.asInt !== undefined && point.asInt !== null ? Number(int64(point.asInt, `${pPath}/asInt`)) : undefined;
      const value = asInt ?? double(point.asDouble, `${pPath}/asDouble`);
      if (time <= 0n) return void rejected.add(pPath, 'timeUnixNano is missing');
      if (value === undefined || !Number.isFinite(value)) return void rejected.add(pPath, 'a number data point needs a finite asInt or asDouble');
      return { ...base, value };
    }
    const count = Number(int64(point.count, `${pPath}/count`));
    const sum = finite(double(point.sum, `${pPath}/sum`));
    const withTotals = { ...base, count, sum, min: finite(double(point.min, `${pPath}/min`)), max: finite(double(point.max, `${pPath}/max`)) };
    if (kind !== 'histogram') {
      if (time <= 0n) return void rejected.add(pPath, 'timeUnixNano is missing');
      return count < 0 || count > Number.MAX_SAFE_INTEGER ? void rejected.add(pPath, 'count must be from 0 to 2^53') : withTotals;
    }
    const bucketCounts = list(point.bucketCounts, `${pPath}/bucketCounts`).map((c, b) => Number(int64(c, `${pPath}/bucketCounts/${b}`)));
    const explicitBounds = list(point.explicitBounds, `${pPath}/explicitBounds`).map((b, x) => double(b, `${pPath}/explicitBounds/${x}`) ?? 0);
    if (time <= 0n) return void rejected.add(pPath, 'timeUnixNano is missing');
    if ([count, ...bucketCounts].some((c) => c < 0 || c > Number.MAX_SAFE_INTEGER)) return void rejected.add(pPath, 'counts must be from 0 to 2^53');
    if (bucketCounts.length > 0 && bucketCounts.length !== explicitBounds.length + 1) return void rejected.add(pPath, 'bucketCounts must have one more entry than explicitBounds');
    if (explicitBounds.some((b, x) => !Number.isFinite(b) || (x > 0 && b <= explicitBounds[x - 1]!))) return void rejected.add(pPath, 'explicitBounds must be finite and strictly increasing');
    if (bucketCounts.length > 0 && bucketCounts.reduce((a, c) => a + c, 0) !== count) return void rejected.add(pPath, 'bucketCounts must add up to count');
    return { ...withTotals, bucketCounts: bucketCounts.length > 0 ? bucketCounts : null, explicitBounds: bucketCounts.length > 0 ? explicitBounds : null };
  });
}
