/**
 * The registry's HTTP application (Hono): rate limits, CORS for public reads, the `/v1` API
 * (with the LLM proxy at `/v1/agent`), `/tuf/`, `/healthz`, and
 * one error shape for every failure — `{ "error": { code, message, suggestion } }` with its
 * status (429 with `Retry-After` under rate limits). Unexpected errors answer 500 `INTERNAL`
 * without internals.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { extensionRoutes } from './extension-routes.js';
import { publisherRoutes, whoamiRoute } from './publisher-routes.js';
import { tufRoutes } from './tuf-routes.js';
import { licenseRoutes } from './license-routes.js';
import { auditRoutes } from './audit-routes.js';
import { complianceRoutes } from './compliance-routes.js';
import { syncRoutes } from './sync-routes.js';
import { assetRoutes } from './asset-routes.js';
import { rateLimit } from './rate-limit.js';
import { agentCors, agentRoutes } from './agent-routes.js';
import { telemetryCors, telemetryRoutes } from './telemetry-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';

/** Builds the HTTP application of a registry. `log` receives unexpected errors. */
export function createApp(ctx: RegistryContext, log: (message: string) => void = (m) => console.error(m)): Hono {
  const app = new Hono();
  // The LLM proxy's CORS first (it answers preflights itself), so that every answer a page gets
  // from it, the per-address limiter's 429 included, is readable cross-origin.
  app.use('/v1/agent/*', agentCors);
  // The OTLP receiver and dashboard API likewise (pages export with their agent token).
  app.use('/v1/traces', telemetryCors);
  app.use('/v1/metrics', telemetryCors);
  app.use('/v1/telemetry/*', telemetryCors);
  const reads = rateLimit(ctx.settings.rateLimit.reads);
  const writes = rateLimit(ctx.settings.rateLimit.writes);
  app.use('*', async (c, next) => {
    const method = c.req.method;
    return method === 'GET' || method === 'HEAD' ? reads(c, next) : writes(c, next);
  });
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });
  // Listing and sync routes first: /extensions/{id}/listing and …/sync win over /extensions/{id}/{version}, and they answer their own CORS.
  app.route('/v1', syncRoutes(ctx));
  // The LLM proxy (CORS above: POST with Authorization from any origin; bearer tokens, no cookies).
  app.route('/v1/agent', agentRoutes(ctx, log));
  // The OTLP receiver (/v1/traces, /v1/metrics) and /v1/telemetry/summary (CORS above).
  app.route('/v1', telemetryRoutes(ctx));
  // Reads are public: pages on any origin (the in-page installer) may search, fetch TUF metadata
  // and download packages. Writes are not offered to browsers (the preflight allows GET only).
  const publicReads = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: ['Retry-After', 'ETag'], maxAge: 600 });
  app.use('/v1/*', publicReads);
  app.use('/tuf/*', publicReads);
  app.route('/v1', assetRoutes(ctx));

  app.get('/healthz', async (c) => {
    await ctx.db.query('SELECT 1');
    return c.json({ ok: true, database: ctx.db.kind });
  });
  app.route('/v1/extensions', extensionRoutes(ctx));
  app.route('/v1/publishers', publisherRoutes(ctx));
  app.route('/v1/whoami', whoamiRoute(ctx));
  app.route('/v1/licenses', licenseRoutes(ctx));
  app.route('/v1/audit', auditRoutes(ctx));
  app.route('/v1/compliance', complianceRoutes(ctx));
  app.route('/tuf', tufRoutes(ctx, log));
  // The telemetry dashboard page (same origin as /v1/telemetry/summary; the kit's dist/ read-only).
  app.route('/dashboard', dashboardRoutes());

  app.notFound((c) => c.json(new RegistryError(404, 'NOT_FOUND', `No route for ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}.`, 'See docs/REGISTRY.md for the API.').toBody(), 404));
  app.onError((err, c) => {
    if (err instanceof RegistryError) {
      const headers: Record<string, string> = {};
      if (err.details?.retryAfter) headers['Retry-After'] = String(err.details.retryAfter);
      // The unread rest of an oversized body is not drained: the connection must not be reused.
      if (err.status === 413) headers.Connection = 'close';
      return c.json(err.toBody(), err.status as 400, headers);
    }
    const coded = err as { code?: string; status?: number; suggestion?: string };
    if (typeof coded.code === 'string' && typeof coded.suggestion === 'string') {
      // Coded errors of the database and blob layers (e.g. DATABASE_UNREACHABLE) keep their code.
      return c.json(new RegistryError(503, coded.code, err.message, coded.suggestion).toBody(), 503);
    }
    log(`registry: ${c.req.method} ${new URL(c.req.url).pathname}: ${err.stack ?? err.message}`);
    return c.json(new RegistryError(500, 'INTERNAL', 'The registry failed to answer this request.', 'Retry; if it persists, report it to the registry operators.').toBody(), 500);
  });
  return app;
}
