/**
 * `/v1/extensions…`: search, listing, version records, immutable package downloads, publish,
 * channel moves and yanks (DESIGN §7).
 */
import { Hono } from 'hono';
import type { RegistryContext } from '../context.js';
import { getListing, getPackage, getPreview, getSupplyChainFile, getVersion } from '../store/catalog.js';
import { publish } from '../store/publish.js';
import { moveChannel, yank } from '../store/releases.js';
import { issueRegistryLicense } from '../store/licenses.js';
import { countDownload } from '../store/downloads.js';
import { actingPublisher } from '../auth/tokens.js';
import { PACKAGE_TYPES, principal, publisherOf, readBytes, readJson } from './request.js';

/** The extension routes of a registry. */
export function extensionRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  const { maxPackageBytes, maxJsonBytes } = ctx.settings;

  app.get('/', async (c) => c.body(await ctx.searchCache.get(c.req.query()), 200, { 'Content-Type': 'application/json' }));
  app.get('/:id', async (c) => c.json(await getListing(ctx.db, c.req.param('id'))));
  app.get('/:id/:version', async (c) => c.json(await getVersion(ctx.db, c.req.param('id'), c.req.param('version'))));
  app.get('/:id/:version/package', async (c) => {
    const { bytes, sha256 } = await getPackage(ctx.db, ctx.blobs, c.req.param('id'), c.req.param('version'));
    const etag = `"${sha256}"`;
    const headers = { 'Content-Type': 'application/vnd.vib3.extension', 'Cache-Control': 'public, max-age=31536000, immutable', ETag: etag };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    await countDownload(ctx.db, c.req.param('id'));
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Length': String(bytes.length) });
  });

  // The SBOM and the provenance envelope, from inside the signed package (immutable like it).
  for (const which of ['sbom', 'provenance'] as const) {
    app.get(`/:id/:version/${which}`, async (c) => {
      const { bytes, sha256 } = await getSupplyChainFile(ctx.db, ctx.blobs, c.req.param('id'), c.req.param('version'), which);
      const type = which === 'sbom' ? 'application/vnd.cyclonedx+json' : 'application/json';
      const headers = { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: `"${sha256}-${which}"`, 'X-Content-Type-Options': 'nosniff' };
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
    });
  }

  app.get('/:id/:version/previews/:index', async (c) => {
    const { bytes, type, sha256 } = await getPreview(ctx.db, ctx.blobs, c.req.param('id'), c.req.param('version'), c.req.param('index'));
    const headers = { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: `"${sha256}-${c.req.param('index')}"`, 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'", 'Cross-Origin-Resource-Policy': 'cross-origin' };
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
  });

  // Writes through this process show in its search at once.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300) ctx.searchCache.invalidate();
  });

  app.put('/:id/channels/:channel', async (c) => {
    const who = await principal(ctx, c);
    const body = await readJson(c, maxJsonBytes);
    const channels = await moveChannel(ctx, actingPublisher(who), c.req.param('id'), c.req.param('channel'), body);
    return c.json({ id: c.req.param('id'), channels });
  });
  app.put('/:id/:version', async (c) => {
    const publisher = await publisherOf(ctx, c);
    const bytes = await readBytes(c, maxPackageBytes, PACKAGE_TYPES);
    const result = await publish(ctx, publisher, c.req.param('id'), c.req.param('version'), bytes);
    return c.json(result, 201, { Location: `/v1/extensions/${result.id}/${result.version}` });
  });
  app.post('/:id/licenses', async (c) => {
    const publisher = await publisherOf(ctx, c);
    const issued = await issueRegistryLicense(ctx, publisher, c.req.param('id'), await readJson(c, maxJsonBytes));
    return c.json(issued, 201);
  });
  app.post('/:id/:version/yank', async (c) => {
    const who = await principal(ctx, c);
    const body = await readJson(c, maxJsonBytes);
    return c.json(await yank(ctx, actingPublisher(who), c.req.param('id'), c.req.param('version'), body));
  });
  return app;
}
