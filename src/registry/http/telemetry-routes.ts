/**
 * The registry's OTLP receiver and dashboard API (docs/TELEMETRY.md "The registry's receiver and
 * dashboard API"), mounted at `/v1`:
 *   POST /v1/traces              OTLP/HTTP JSON ExportTraceServiceRequest  → 200 `{}` or `{ partialSuccess: { rejectedSpans, errorMessage } }`
 *   POST /v1/metrics             OTLP/HTTP JSON ExportMetricsServiceRequest → 200 `{}` or `{ partialSuccess: { rejectedDataPoints, errorMessage } }`
 *   GET  /v1/telemetry/summary   `?since=<ISO>&until=<ISO>` → the dashboard's aggregates (admin)
 * Exports take the admin token or an agent token (pages report with theirs; a Collector forwards
 * with `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>`); publisher tokens get 403.
 * Protobuf bodies get 415 (send OTLP/HTTP JSON); gzip bodies are accepted. Bodies are capped
 * (`telemetry.maxBodyBytes`, also after decompression) and exports limited per token principal.
 * Content attributes are dropped and strings redacted and cut on ingest (src/registry/telemetry).
 * CORS ({@link telemetryCors}) is applied by `createApp` ahead of its per-address limiter.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { authenticateAny, bearer, requireAdmin, type Principal } from '../auth/tokens.js';
import { rateLimit } from './rate-limit.js';
import { readBytes } from './request.js';
import { decodeMetrics, decodeTraces, MAX_ITEMS_PER_REQUEST, OtlpShapeError, OtlpTooLargeError, type Decoded } from '../telemetry/otlp.js';
import { insertPoints, insertSpans, telemetrySettings } from '../telemetry/store.js';
import { telemetrySummary } from '../telemetry/summary.js';

const gunzipAsync = promisify(gunzip);

/**
 * CORS of the receiver and the dashboard API: any origin, bearer tokens only (never cookies),
 * `Retry-After` readable. `createApp` applies it before its per-address limiter.
 */
export const telemetryCors: MiddlewareHandler = cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization', 'Content-Type', 'Content-Encoding'], exposeHeaders: ['Retry-After'], maxAge: 600 });

/** A principal that may export telemetry: an agent token's user, or the admin. */
type IngestPrincipal = Extract<Principal, { kind: 'agent' | 'admin' }>;

type TelemetryEnv = { Variables: { who: IngestPrincipal } };

/** The default window of the summary: the last 24 hours. */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The routes of the receiver and the dashboard API (mount at `/v1`, after {@link telemetryCors}). */
export function telemetryRoutes(ctx: RegistryContext): Hono<TelemetryEnv> {
  const app = new Hono<TelemetryEnv>();
  const settings = () => telemetrySettings(ctx);

  /** Any valid token's principal; 401 with `WWW-Authenticate` otherwise. */
  const caller = async (c: Context): Promise<Principal> => {
    try {
      return await authenticateAny(ctx.db, bearer(c.req.header('authorization')), ctx.now());
    } catch (err) {
      if (err instanceof RegistryError && err.status === 401) c.header('WWW-Authenticate', 'Bearer realm="vib3-telemetry"');
      throw err;
    }
  };

  /** The exporter, when it may export: the admin or an agent token; a publisher token is 403. */
  const exporter: MiddlewareHandler<TelemetryEnv> = async (c, next) => {
    const who = await caller(c);
    if (who.kind !== 'agent' && who.kind !== 'admin') {
      throw new RegistryError(403, 'TELEMETRY_TOKEN_NOT_ALLOWED', 'Telemetry is exported with an agent token or the admin token: a publisher token may not write it.', 'Ask the registry admin for an agent token (POST /v1/agent/tokens) and send it as Authorization: Bearer <token> (a Collector: OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>).');
    }
    c.set('who', who);
    await next();
  };

  // Per token principal (all agent tokens of one user share one budget), not per address; agent
  // tokens are handed to web pages, so they get a lower budget than the admin's (a Collector).
  const limitOptions = {
    key: (c: Context) => {
      const who = c.get('who') as IngestPrincipal;
      return who.kind === 'agent' ? `agent:${who.user}` : 'admin';
    },
    message: (n: number) => `Too many telemetry exports for this token (more than ${n} a minute).`,
    now: () => ctx.now().getTime(),
  };
  const adminLimit = rateLimit(() => settings().requestsPerMinute, limitOptions);
  const agentLimit = rateLimit(() => settings().agentRequestsPerMinute, limitOptions);
  const limit: MiddlewareHandler<TelemetryEnv> = (c, next) => (c.get('who').kind === 'agent' ? agentLimit : adminLimit)(c, next);

  /** The request body as JSON (and its decoded size in bytes): OTLP/HTTP JSON only, gzip allowed, capped before and after decompression. */
  const otlpJson = async (c: Context): Promise<{ body: unknown; size: number }> => {
    const max = settings().maxBodyBytes;
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      const proto = type === 'application/x-protobuf' || type === 'application/protobuf';
      throw new RegistryError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        proto ? 'This receiver takes OTLP/HTTP with JSON encoding, not protobuf.' : `Content-Type ${type || '(none)'} is not accepted here: OTLP/HTTP JSON is (application/json).`,
        'Export OTLP/HTTP JSON: OTEL_EXPORTER_OTLP_PROTOCOL=http/json for OpenTelemetry SDKs, `encoding: json` on a Collector\'s otlphttp exporter (docs/TELEMETRY.md).',
      );
    }
    const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') throw new RegistryError(415, 'UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not accepted here.`, 'Send the body uncompressed or gzip-compressed.');
    let bytes = await readBytes(c, max, ['application/json']);
    if (encoding === 'gzip') {
      try {
        bytes = await gunzipAsync(bytes, { maxOutputLength: max });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw new RegistryError(413, 'PAYLOAD_TOO_LARGE', `The decompressed request body is larger than ${max} bytes.`, 'Export smaller batches (e.g. a lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE).');
        throw new RegistryError(400, 'INVALID_OTLP', 'The request body is not valid gzip.', 'Send it uncompressed, or gzip it whole with Content-Encoding: gzip.');
      }
    }
    try {
      return { body: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown, size: bytes.length };
    } catch (err) {
      throw new RegistryError(400, 'INVALID_OTLP', `The OTLP body is invalid at /: not UTF-8 JSON (${(err as Error).message.slice(0, 200)}).`, 'Send an OTLP/HTTP JSON export request as the OpenTelemetry specification encodes it.');
    }
  };

  /** Decodes with `decode`, mapping shape errors to 400 `INVALID_OTLP` naming the path, too many items to 413. */
  const decodeWith = <T>(what: string, decode: () => Decoded<T>): Decoded<T> => {
    try {
      return decode();
    } catch (err) {
      if (err instanceof OtlpTooLargeError) throw new RegistryError(413, 'PAYLOAD_TOO_LARGE', err.message, `Export at most ${MAX_ITEMS_PER_REQUEST} ${err.what} a request (e.g. a lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE).`);
      if (!(err instanceof OtlpShapeError)) throw err;
      throw new RegistryError(400, 'INVALID_OTLP', `The OTLP ${what} export is invalid at ${err.path}: ${err.message}.`, `Send an ${what === 'trace' ? 'ExportTraceServiceRequest' : 'ExportMetricsServiceRequest'} in OTLP/JSON (lowerCamelCase fields, hex ids, 64-bit integers as strings or numbers, enums as integers).`, { path: err.path });
    }
  };

  /**
   * Most characters one request's rows may take serialised (against amplification: every row
   * repeats its resource): 3× the decoded body, plus 1 KiB a row for the stored columns' names.
   */
  const rowsBudget = (size: number, rows: number): number => 3 * size + 1024 * rows;

  /** The OTLP answer: `{}`, or `partialSuccess` with the rejected count under `field`. */
  const answer = (c: Context, decoded: Decoded<unknown>, field: 'rejectedSpans' | 'rejectedDataPoints') =>
    c.json(decoded.rejected === 0 ? {} : { partialSuccess: { [field]: decoded.rejected, errorMessage: `${decoded.rejected} rejected: ${decoded.reasons.join('; ')}` } });

  app.post('/traces', exporter, limit, async (c) => {
    const { body, size } = await otlpJson(c);
    const s = settings();
    const decoded = decodeWith('trace', () => decodeTraces(body, { storeContent: s.storeContent, maxChars: s.maxAttributeChars }));
    await insertSpans(ctx.db, decoded.rows, ctx.now(), rowsBudget(size, decoded.rows.length));
    return answer(c, decoded, 'rejectedSpans');
  });

  app.post('/metrics', exporter, limit, async (c) => {
    const { body, size } = await otlpJson(c);
    const s = settings();
    const decoded = decodeWith('metrics', () => decodeMetrics(body, { storeContent: s.storeContent, maxChars: s.maxAttributeChars }));
    await insertPoints(ctx.db, decoded.rows, ctx.now(), rowsBudget(size, decoded.rows.length));
    return answer(c, decoded, 'rejectedDataPoints');
  });

  app.get('/telemetry/summary', async (c) => {
    requireAdmin(await caller(c));
    const time = (name: string, fallback: Date): Date => {
      const text = c.req.query(name);
      if (text === undefined || text === '') return fallback;
      const t = ISO.test(text) ? Date.parse(text) : Number.NaN;
      if (!Number.isFinite(t)) throw new RegistryError(400, 'INVALID_QUERY', `\`${name}\` must be an ISO 8601 time, e.g. 2026-05-01T00:00:00Z.`, 'Send ?since=<ISO>&until=<ISO>, or leave them out for the last 24 hours.');
      return new Date(t);
    };
    const until = time('until', ctx.now());
    const since = time('since', new Date(until.getTime() - DEFAULT_WINDOW_MS));
    if (since >= until) throw new RegistryError(400, 'INVALID_QUERY', '`since` must be before `until`.', 'Send a window whose since is earlier than its until.');
    c.header('Cache-Control', 'no-store');
    return c.json(await telemetrySummary(ctx.db, since, until));
  });

  return app;
}
