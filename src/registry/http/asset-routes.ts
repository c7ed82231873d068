/**
 * Listing asset routes (docs/REGISTRY.md, docs/LISTINGS.md § Listing images), mounted at `/v1`:
 *   PUT /extensions/{id}/{version}/assets/{target}/{name}   upload one image (the owner's token)
 *   GET /extensions/{id}/{version}/assets                   the stored images (public)
 *   GET /extensions/{id}/{version}/assets/{target}/{name}   its bytes (public)
 * Bytes are served `nosniff` under a restrictive CSP; `?sha256=<hex>` URLs (what the list and
 * the listing give) name one content and are cached for good, the bare URL is revalidated.
 */
import { Hono } from 'hono';
import type { RegistryContext } from '../context.js';
import { ASSET_MEDIA_TYPES } from '../store/asset-image.js';
import { listListingAssets, MAX_ASSET_BYTES, readListingAsset, uploadListingAsset } from '../store/listing-assets.js';
import { publisherOf, readBytes } from './request.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** The listing asset routes of a registry (mount at `/v1`). */
export function assetRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  const path = '/extensions/:id/:version/assets/:target/:name';

  /** The partners that get `target`'s images: those named after it or whose adapter pushes it; every one for `registry`. */
  const partnersOf = (target: string): string[] | undefined => {
    if (target === 'registry') return undefined;
    const names = new Set([target]);
    for (const [name, link] of ctx.sync?.links ?? []) if (link.adapter.target === target) names.add(name);
    return [...names];
  };

  app.put(path, async (c) => {
    const publisher = await publisherOf(ctx, c);
    const bytes = await readBytes(c, MAX_ASSET_BYTES, ASSET_MEDIA_TYPES);
    const p = c.req.param();
    const result = await uploadListingAsset(ctx, publisher, p.id, p.version, p.target, p.name, bytes, partnersOf);
    return c.json(result, result.created ? 201 : 200, { Location: result.url });
  });

  app.get('/extensions/:id/:version/assets', async (c) => c.json(await listListingAssets(ctx.db, c.req.param('id'), c.req.param('version'))));

  app.get(path, async (c) => {
    const p = c.req.param();
    const wanted = c.req.query('sha256');
    // A `sha256` that is not one (never a stored content) is a 404 like any other content.
    const { bytes, asset } = await readListingAsset(ctx.db, ctx.blobs, p.id, p.version, p.target, p.name, wanted === undefined ? undefined : SHA256.test(wanted) ? wanted : '-');
    const etag = `"${asset.sha256}"`;
    const headers: Record<string, string> = {
      'Content-Type': asset.type,
      'Cache-Control': wanted ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Length': String(bytes.length) });
  });
  return app;
}
