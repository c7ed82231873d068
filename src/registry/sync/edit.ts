/**
 * Listing edits (`PATCH /v1/extensions/{id}/listing`): the owner's new copy is validated against
 * the manifest schema, stored as overrides, and — in the same transaction, under the TUF advisory
 * lock that orders the audit log — recorded in the audit log and queued for every enabled partner.
 */
import { LOCKS } from '../db/database.js';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { checkId } from '../names.js';
import { appendAudit } from '../store/audit.js';
import { registryListing, type RegistryListing } from './listing.js';
import { mergeEdit, readOverrides, writeOverrides } from './overrides.js';
import { enqueueSync } from './outbox.js';

/**
 * Applies `edit` to the listing of `idParam` for `publisher` (undefined = an admin) and returns
 * the new listing (built for `registryUrl`) and the outbox rows written.
 *
 * @throws RegistryError 404 `EXTENSION_NOT_FOUND`, 403 `NAMESPACE_OWNED` (another publisher's),
 *   400 `INVALID_LISTING_EDIT`, 422 `LISTING_INVALID`.
 */
export async function editListing(ctx: RegistryContext, publisher: string | undefined, idParam: string, edit: Record<string, unknown>, registryUrl: string): Promise<RegistryListing & { queued: number[] }> {
  const id = checkId(idParam);
  const owner = await ctx.db.query<{ publisher: string }>('SELECT publisher FROM extensions WHERE id = $1', [id]);
  if (!owner.rows[0]) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');
  if (publisher !== undefined && owner.rows[0].publisher !== publisher) throw new RegistryError(403, 'NAMESPACE_OWNED', `${id} belongs to another publisher.`, 'Only its publisher may edit its listing.');
  const queued = await ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    const { manifest } = await registryListing(tx, id, registryUrl);
    const { copy } = await readOverrides(tx, id);
    const next = mergeEdit(manifest, copy, edit);
    await writeOverrides(tx, id, next);
    const rows = await enqueueSync(tx, { extensionId: id, event: 'listing' });
    await appendAudit(tx, ctx.now(), 'listing', id, publisher ?? 'admin', { fields: Object.keys(edit).sort() });
    return rows;
  });
  ctx.sync?.wake();
  return { ...(await registryListing(ctx.db, id, registryUrl, ctx.blobs)), queued };
}
