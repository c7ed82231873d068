/** `/v1/licenses`: a publisher revokes a license the registry issued for it (`POST /v1/licenses/{jti}/revoke`). */
import { Hono } from 'hono';
import type { RegistryContext } from '../context.js';
import { revokeRegistryLicense } from '../store/licenses.js';
import { publisherOf, readJson } from './request.js';

/** The license routes of a registry. */
export function licenseRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  app.post('/:jti/revoke', async (c) => {
    const publisher = await publisherOf(ctx, c);
    return c.json(await revokeRegistryLicense(ctx, publisher, c.req.param('jti'), await readJson(c, ctx.settings.maxJsonBytes)));
  });
  return app;
}
