/**
 * `/v1/publishers…` and `/v1/whoami`: publisher accounts (created by an admin), their public
 * view, and verification (admin grant or domain proof).
 */
import { Hono } from 'hono';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { actingPublisher, requireAdmin } from '../auth/tokens.js';
import { checkPublisherName, namespaceOfDomain } from '../names.js';
import { createPublisher, getPublisher } from '../store/publishers.js';
import { checkDomain, checkProof, grantVerified, issueChallenge, proofMessage } from '../store/verification.js';
import { principal, readJson } from './request.js';

/** The publisher routes of a registry. */
export function publisherRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  const { maxJsonBytes } = ctx.settings;
  // A tier change shows in this process's search at once.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300) ctx.searchCache.invalidate();
  });

  app.post('/', async (c) => {
    requireAdmin(await principal(ctx, c));
    const body = await readJson(c, maxJsonBytes);
    const created = await ctx.db.transaction((tx) => createPublisher(tx, { name: body.name, displayName: body.displayName, keys: body.keys }));
    return c.json(created, 201);
  });
  app.get('/:name', async (c) => c.json(await getPublisher(ctx.db, checkPublisherName(c.req.param('name')))));

  // { method: "admin", domain? } with an admin token; { method: "domain", domain } with the publisher's token:
  // the first call answers 202 with a challenge to serve; the same call again, once it is served, checks it (200 verified, 422 with the instructions when the proof does not hold).
  app.post('/:name/verification', async (c) => {
    const name = checkPublisherName(c.req.param('name'));
    const who = await principal(ctx, c);
    const body = await readJson(c, maxJsonBytes);
    await getPublisher(ctx.db, name);
    if (body.method === 'admin') {
      requireAdmin(who);
      const domain = body.domain === undefined ? undefined : checkDomain(body.domain);
      await ctx.db.transaction((tx) => grantVerified(tx, name, domain, 'admin'));
      return c.json(await getPublisher(ctx.db, name));
    }
    if (body.method !== 'domain') throw new RegistryError(400, 'INVALID_METHOD', 'method must be "domain" or "admin".', 'Send { "method": "domain", "domain": "acme.com" }.');
    const acting = actingPublisher(who);
    if (acting !== undefined && acting !== name) throw new RegistryError(403, 'NOT_YOUR_PUBLISHER', `This token belongs to ${acting}, not ${name}.`, "Use the publisher's own token.");
    const domain = checkDomain(body.domain);
    const url = ctx.settings.proofUrl(domain);
    const open = await ctx.db.query<{ challenge: string }>('SELECT challenge FROM challenges WHERE publisher = $1 AND domain = $2', [name, domain]);
    const instructions = (challenge: string) => ({ url, namespace: namespaceOfDomain(domain), challenge, sign: proofMessage(name, domain, challenge), document: { publisher: name, domain, challenge, keyId: '<one of your keyIds>', signature: '<base64url Ed25519 signature of `sign`>' } });
    if (!open.rows[0]) {
      const challenge = await ctx.db.transaction((tx) => issueChallenge(tx, name, domain));
      return c.json({ status: 'challenge', ...instructions(challenge) }, 202);
    }
    try {
      await checkProof(ctx.db, name, domain, url);
    } catch (err) {
      if (err instanceof RegistryError) throw new RegistryError(err.status, err.code, err.message, err.suggestion, instructions(open.rows[0].challenge));
      throw err;
    }
    await ctx.db.transaction((tx) => grantVerified(tx, name, domain, `domain:${domain}`));
    return c.json(await getPublisher(ctx.db, name));
  });
  return app;
}

/** `GET /v1/whoami`: whose token this is. */
export function whoamiRoute(ctx: RegistryContext): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const who = await principal(ctx, c);
    return c.json(who.kind === 'admin' ? { publisher: null, admin: true } : { publisher: who.publisher, admin: false });
  });
  return app;
}
