// A loopback stand-in for an OpenTelemetry Collector's OTLP/HTTP receiver (no Collector can run
// here): POST /v1/traces and /v1/metrics with JSON bodies as the OTLP specification defines them
// (ExportTraceServiceRequest / ExportMetricsServiceRequest), answered `200 {}` like the Collector.
// It keeps every raw body (for secret scans) and flattens spans and metric points for assertions.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: AnyValue[] } };
type KeyValue = { key: string; value: AnyValue };

/** A span as received, attributes flattened. */
export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status: { code?: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
}

/** A metric data point as received. */
export interface ReceivedPoint {
  metric: string;
  unit?: string;
  kind: 'histogram' | 'sum' | 'gauge';
  attributes: Record<string, unknown>;
  count?: number;
  sum?: number;
  value?: number;
}

export interface OtlpCollector {
  /** `http://127.0.0.1:PORT`: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  /** Raw request bodies, in order, with their path and headers (lower-cased). */
  readonly requests: { path: string; headers: Record<string, string>; body: string }[];
  spans(): ReceivedSpan[];
  points(): ReceivedPoint[];
  close(): Promise<void>;
}

function value(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

const attrs = (list: KeyValue[] | undefined): Record<string, unknown> => Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const requests: OtlpCollector['requests'] = [];
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST' || (path !== '/v1/traces' && path !== '/v1/metrics')) {
      res.writeHead(404).end();
      return;
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      res.writeHead(415, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: 'this receiver takes OTLP/HTTP JSON' }));
      return;
    }
    requests.push({ path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans() {
      const out: ReceivedSpan[] = [];
      for (const r of requests.filter((q) => q.path === '/v1/traces')) {
        for (const rs of JSON.parse(r.body).resourceSpans ?? []) {
          const resource = attrs(rs.resource?.attributes);
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              out.push({ name: s.name, traceId: s.traceId, spanId: s.spanId, ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}), attributes: attrs(s.attributes), resource, status: s.status ?? {}, events: (s.events ?? []).map((e: { name: string; attributes?: KeyValue[] }) => ({ name: e.name, attributes: attrs(e.attributes) })) });
            }
          }
        }
      }
      return out;
    },
    points() {
      const out: ReceivedPoint[] = [];
      for (const r of requests.filter((q) => q.path === '/v1/metrics')) {
        for (const rm of JSON.parse(r.body).resourceMetrics ?? []) {
          for (const sm of rm.scopeMetrics ?? []) {
            for (const m of sm.metrics ?? []) {
              const kind = m.histogram ? 'histogram' : m.sum ? 'sum' : 'gauge';
              for (const p of (m.histogram ?? m.sum ?? m.gauge)?.dataPoints ?? []) {
                out.push({ metric: m.name, ...(m.unit ? { unit: m.unit } : {}), kind, attributes: attrs(p.attributes), ...(p.count !== undefined ? { count: Number(p.count) } : {}), ...(p.sum !== undefined ? { sum: p.sum } : {}), ...(p.asInt !== undefined ? { value: Number(p.asInt) } : p.asDouble !== undefined ? { value: p.asDouble } : {}) });
              }
            }
          }
        }
      }
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
