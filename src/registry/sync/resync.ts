/**
 * A resync asked for by hand (`POST /v1/extensions/{id}/sync`, `vib3 listing sync`): one
 * `listing` outbox row per chosen partner, written whether or not the listing changed. A worker
 * still skips a partner that has this exact listing (same digest) — unless `force` clears what the
 * registry recorded as pushed, so the listing is pushed again (adapters are idempotent: a partner
 * that has it already changes nothing).
 */
import { randomUUID } from 'node:crypto';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { checkId } from '../names.js';
import { enqueueSync } from './outbox.js';

/** What a resync queued. */
export interface Resync {
  id: string;
  queued: Array<{ partner: string; rowId: number }>;
  force: boolean;
}

/** The body of `POST /v1/extensions/{id}/sync`: `{ partners?: string[], force?: boolean }`. */
export function parseResyncBody(body: Record<string, unknown>): { partners?: string[]; force: boolean } {
  const { partners, force } = body;
  if (partners !== undefined && (!Array.isArray(partners) || partners.some((p) => typeof p !== 'string'))) {
    throw new RegistryError(400, 'INVALID_PARTNERS', '`partners` must be a list of partner names.', 'Send { "partners": ["npm"] }, or no body for every enabled partner.');
  }
  if (force !== undefined && typeof force !== 'boolean') throw new RegistryError(400, 'INVALID_FORCE', '`force` must be true or false.', 'Send { "force": true } to push even where the partner has this listing already.');
  return { ...(partners ? { partners: [...new Set(partners as string[])] } : {}), force: force === true };
}

/**
 * Queues a resync of `idParam` to `partners` (default: every enabled partner).
 *
 * @throws RegistryError 404 `EXTENSION_NOT_FOUND`; 409 `SYNC_NOT_CONFIGURED` when no partner is
 *   enabled; 400 `UNKNOWN_PARTNER` for a partner that is not an enabled one.
 */
export async function resync(ctx: RegistryContext, idParam: string, options: { partners?: readonly string[]; force?: boolean } = {}): Promise<Resync> {
  const id = checkId(idParam);
  const ext = await ctx.db.query('SELECT 1 FROM extensions WHERE id = $1', [id]);
  if (!ext.rows.length) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');
  const enabled = (await ctx.db.query<{ partner: string }>('SELECT partner FROM sync_partners WHERE enabled ORDER BY partner')).rows.map((r) => r.partner);
  if (!enabled.length) throw new RegistryError(409, 'SYNC_NOT_CONFIGURED', 'This registry syncs to no partner.', 'Start the registry with --sync <partner>=<url> (docs/LISTINGS.md § Sync).');
  const unknown = (options.partners ?? []).filter((p) => !enabled.includes(p));
  if (unknown.length) throw new RegistryError(400, 'UNKNOWN_PARTNER', `No enabled sync partner ${unknown.join(', ')} here.`, `Use one of ${enabled.join(', ')}.`);
  const partners = options.partners?.length ? [...options.partners] : enabled;
  const force = options.force === true;
  const rows = await ctx.db.transaction(async (tx) => {
    if (force) await tx.query('UPDATE sync_state SET pushed_digest = NULL, updated_at = now() WHERE extension_id = $1 AND partner = ANY($2::text[])', [id, partners]);
    const ids = await enqueueSync(tx, { extensionId: id, event: 'listing', partners, nonce: `resync ${randomUUID()}` });
    const { rows: written } = await tx.query<{ id: number; partner: string }>('SELECT id, partner FROM sync_outbox WHERE id = ANY($1::bigint[]) ORDER BY partner', [ids]);
    return written.map((r) => ({ partner: r.partner, rowId: Number(r.id) }));
  });
  ctx.sync?.wake();
  return { id, queued: rows, force };
}
