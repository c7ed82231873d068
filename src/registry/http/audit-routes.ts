/**
 * `/v1/audit`: the registry's audit log for anyone to verify — `GET /v1/audit?after=SEQ&limit=N`
 * (JSON Lines, oldest first, up to 1000 records a page) and `GET /v1/audit/checkpoint` (its head,
 * signed with the registry key published in the TUF target `licensing/keys.json`).
 */
import { Hono } from 'hono';
import { toJsonLines } from '../../marketplace/audit/index.js';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { auditCheckpoint, auditRecords } from '../store/audit.js';
import { publishRegistryKey } from '../store/licenses.js';

const count = (value: string | undefined, name: string, fallback: number, max: number): number => {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) > max) throw new RegistryError(400, 'INVALID_QUERY', `${name} must be an integer from 0 to ${max}.`, `Send ?${name}=N.`);
  return Number(value);
};

/** The audit routes of a registry. */
export function auditRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  let keyPublished: Promise<string> | undefined;
  app.get('/', async (c) => {
    const after = count(c.req.query('after'), 'after', 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, count(c.req.query('limit'), 'limit', 1000, 1000));
    const records = await auditRecords(ctx.db, after, limit);
    const last = records.at(-1)?.seq;
    return c.body(toJsonLines(records), 200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache', ...(records.length === limit && last !== undefined ? { Link: `</v1/audit?after=${last}&limit=${limit}>; rel="next"` } : {}) });
  });
  app.get('/checkpoint', async (c) => {
    // Verifiers find the signing key through TUF: publish it once per process (idempotent).
    keyPublished ??= publishRegistryKey(ctx).catch((err: unknown) => {
      keyPublished = undefined;
      throw err;
    });
    await keyPublished;
    return c.json(await auditCheckpoint(ctx), 200, { 'Cache-Control': 'no-cache' });
  });
  return app;
}
