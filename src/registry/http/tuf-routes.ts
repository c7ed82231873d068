/**
 * `/tuf/`: the registry as a standard TUF repository with consistent snapshots. Metadata is
 * served byte for byte as signed (`timestamp.json`, `N.root.json`, `N.snapshot.json`,
 * `N.targets.json`, `N.<bin>.json`); targets as a consistent-snapshot client asks for them,
 * `targets/<dir>/<hash>.<name>`, from the content-addressed blob store.
 */
import { Hono } from 'hono';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';

const METADATA_FILE = /^(timestamp|root|[1-9]\d{0,9}\.[a-z][a-z0-9-]{0,63})\.json$/;
const notFound = (what: string) => new RegistryError(404, 'TUF_NOT_FOUND', `There is no ${what} in this repository.`, 'Refresh from timestamp.json; TUF clients find every file from there.');

/** The TUF routes of a registry. */
export function tufRoutes(ctx: RegistryContext, log: (message: string) => void): Hono {
  const app = new Hono();

  app.get('/targets/*', async (c) => {
    const rest = decodeURIComponent(new URL(c.req.url).pathname.replace(/^.*?\/tuf\/targets\//, ''));
    if (rest.includes('..')) throw notFound('such target');
    // Current and older contents both resolve: a client (or CDN) on the previous snapshot still works.
    const target = await ctx.tuf.targetForUrl(ctx.db, rest);
    if (!target) throw notFound('target with that path and hash');
    const bytes = await ctx.blobs.get(target.sha256);
    if (!bytes) throw new RegistryError(503, 'BLOB_MISSING', `The bytes of ${target.path} are missing from storage.`, 'Retry later; the registry operators have to restore the blob store.');
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable' });
  });

  app.get('/:file', async (c) => {
    const file = c.req.param('file');
    if (!METADATA_FILE.test(file)) throw notFound(`metadata file named like that`);
    // A due re-signing failing (e.g. this process lacks the online keys) still serves the stored timestamp.
    if (file === 'timestamp.json') await ctx.tuf.refreshTimestamp(ctx.db).catch((err: Error) => log(`registry: timestamp refresh failed: ${err.message}`));
    const body = await ctx.tuf.metadata(ctx.db, file);
    if (body === undefined) throw notFound(file);
    // Versioned files never change; timestamp.json and root.json do.
    const cache = /^\d/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(body, 200, { 'Content-Type': 'application/json', 'Cache-Control': cache });
  });
  return app;
}
