/**
 * Listing and partner-sync routes (docs/REGISTRY.md, docs/LISTINGS.md § Sync), mounted at `/v1`
 * ahead of the extension routes:
 *   GET   /extensions/{id}/listing         the listing document (public)
 *   PATCH /extensions/{id}/listing         edit its copy (the owner's token, or an admin's)
 *   GET   /extensions/{id}/sync            per-partner sync status (owner or admin)
 *   POST  /extensions/{id}/sync            queue a resync: `{ partners?, force? }` (owner or admin)
 *   POST  /extensions/{id}/sync/dry-run    what a sync would push, as diffs (owner or admin)
 *   GET   /sync                            counts by partner and state, lanes, dead letters (admin)
 *   POST  /sync/{rowId}/retry              a dead letter back to the queue (admin)
 * The token routes answer CORS requests with an Authorization header (bearer tokens, no
 * cookies), so the admin view `<vib3-sync-status>` can run on another origin.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { actingPublisher, requireAdmin, type RegistryPrincipal } from '../auth/tokens.js';
import { checkId } from '../names.js';
import { registryListing } from '../sync/listing.js';
import { editListing } from '../sync/edit.js';
import { dryRun } from '../sync/dry-run.js';
import { parseResyncBody, resync } from '../sync/resync.js';
import { extensionSyncStatus, retryDeadLetter, syncOverview } from '../sync/status.js';
import { principal, readJson } from './request.js';

/** The sync routes of a registry (mount at `/v1`). */
export function syncRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  const publicRead = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: ['Retry-After'], maxAge: 600 });
  const tokenApi = cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization', 'Content-Type'], exposeHeaders: ['Retry-After'], maxAge: 600 });
  app.use('/extensions/:id/listing', publicRead);
  for (const path of ['/extensions/:id/sync', '/extensions/:id/sync/*', '/sync', '/sync/*']) app.use(path, tokenApi);

  /** The base URL listings link to: the sync engine's, the configured one, else this request's origin. */
  const baseUrl = (c: Context) => ctx.sync?.registryUrl ?? ctx.settings.sync?.publicUrl ?? new URL(c.req.url).origin;
  /** The caller must own `id` or be an admin; resolves to the publisher (undefined for an admin). */
  const ownerOrAdmin = async (c: Context, id: string): Promise<string | undefined> => {
    const who: RegistryPrincipal = await principal(ctx, c);
    // Fails closed: anything but an admin or a publisher token is refused here.
    const publisher = actingPublisher(who);
    if (publisher === undefined) return undefined;
    const { rows } = await ctx.db.query<{ publisher: string }>('SELECT publisher FROM extensions WHERE id = $1', [checkId(id)]);
    if (rows[0] && rows[0].publisher !== publisher) throw new RegistryError(403, 'NAMESPACE_OWNED', `${id} belongs to another publisher.`, "Only its publisher (or a registry admin) may see and steer its partner sync.");
    return publisher;
  };

  app.get('/extensions/:id/listing', async (c) => c.json((await registryListing(ctx.db, c.req.param('id'), baseUrl(c), ctx.blobs)).listing));

  app.patch('/extensions/:id/listing', async (c) => {
    const who = await principal(ctx, c);
    const edit = await readJson(c, ctx.settings.maxJsonBytes);
    const result = await editListing(ctx, actingPublisher(who), c.req.param('id'), edit, baseUrl(c));
    return c.json({ listing: result.listing, overrides: result.overrides, queued: result.queued.length });
  });

  app.get('/extensions/:id/sync', async (c) => {
    await ownerOrAdmin(c, c.req.param('id'));
    return c.json(await extensionSyncStatus(ctx.db, c.req.param('id')));
  });

  app.post('/extensions/:id/sync', async (c) => {
    await ownerOrAdmin(c, c.req.param('id'));
    const body = c.req.header('content-type') ? await readJson(c, ctx.settings.maxJsonBytes) : {};
    return c.json(await resync(ctx, c.req.param('id'), parseResyncBody(body)), 202);
  });

  app.post('/extensions/:id/sync/dry-run', async (c) => {
    await ownerOrAdmin(c, c.req.param('id'));
    const body = c.req.header('content-type') ? await readJson(c, ctx.settings.maxJsonBytes) : {};
    const partners = body.partners;
    if (partners !== undefined && (!Array.isArray(partners) || partners.some((p) => typeof p !== 'string'))) {
      throw new RegistryError(400, 'INVALID_PARTNERS', '`partners` must be a list of partner names.', 'Send { "partners": ["npm"] }, or no body for every partner.');
    }
    const results = await dryRun(ctx.db, ctx.blobs, ctx.sync?.links ?? new Map(), baseUrl(c), c.req.param('id'), partners as string[] | undefined);
    return c.json({ id: c.req.param('id'), partners: results });
  });

  app.get('/sync', async (c) => {
    requireAdmin(await principal(ctx, c));
    return c.json(await syncOverview(ctx.db));
  });

  app.post('/sync/:rowId/retry', async (c) => {
    requireAdmin(await principal(ctx, c));
    const result = await retryDeadLetter(ctx.db, c.req.param('rowId'));
    ctx.sync?.wake();
    return c.json(result);
  });
  return app;
}
