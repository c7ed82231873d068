/**
 * Changes to published versions that keep their bytes: channel moves and yanks. Both are signed
 * into TUF (the channel file and the package target's `custom.yanked`), in the same transaction
 * and under the same advisory lock as publishes, so clients can trust them and cannot be rolled
 * back to an older assignment.
 */
import { LOCKS, type Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import type { RegistryContext } from '../context.js';
import { checkChannel, checkId, checkVersion } from '../names.js';
import { currentChannels } from './publish.js';
import { appendAudit } from './audit.js';
import { enqueueSync } from '../sync/outbox.js';
import { channelFile, packageTarget, sha512Hex, type TargetChange } from './targets.js';

/** Who may change an extension: its publisher (admins too). */
async function requireOwner(db: Queryable, id: string, publisher: string | undefined): Promise<void> {
  const { rows } = await db.query<{ publisher: string }>('SELECT publisher FROM extensions WHERE id = $1', [id]);
  if (!rows[0]) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');
  if (publisher !== undefined && rows[0].publisher !== publisher) throw new RegistryError(403, 'NAMESPACE_OWNED', `${id} belongs to another publisher.`, 'Only its publisher may change it.');
}

async function versionRow(db: Queryable, id: string, version: string) {
  const { rows } = await db.query<{ sha256: string; size: string | number; integrity: string; key_id: string; yanked_at: Date | null; yank_reason: string | null }>(
    'SELECT sha256, size, integrity, key_id, yanked_at, yank_reason FROM versions WHERE id = $1 AND version = $2',
    [id, version],
  );
  if (!rows[0]) throw new RegistryError(404, 'VERSION_NOT_FOUND', `${id} has no version ${version}.`, 'List its versions with GET /v1/extensions/{id}.');
  return rows[0];
}

/** Points `channel` of `id` at `version` (an existing, unyanked version). `publisher` undefined = admin. */
export async function moveChannel(ctx: RegistryContext, publisher: string | undefined, idParam: string, channelParam: string, body: unknown): Promise<Record<string, string>> {
  const id = checkId(idParam);
  const channel = checkChannel(channelParam);
  const version = checkVersion(String((body as { version?: unknown } | null)?.version ?? ''));
  await requireOwner(ctx.db, id, publisher);
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    const row = await versionRow(tx, id, version);
    if (row.yanked_at) throw new RegistryError(409, 'VERSION_YANKED', `${id}@${version} is yanked; a channel never points at a yanked version.`, 'Publish a fixed version and move the channel to it.');
    await tx.query('INSERT INTO channels (id, channel, version) VALUES ($1, $2, $3) ON CONFLICT (id, channel) DO UPDATE SET version = EXCLUDED.version, updated_at = now()', [id, channel, version]);
    await tx.query(`UPDATE extensions SET updated_at = now(), update_seq = nextval('extension_updates') WHERE id = $1`, [id]);
    await ctx.tuf.updateTargets(tx, [await channelFile(tx, ctx.blobs, id)]);
    await enqueueSync(tx, { extensionId: id, event: 'channel', version });
    await appendAudit(tx, ctx.now(), 'channel', id, publisher ?? 'admin', { channel, version });
    return currentChannels(tx, id);
  });
}

/**
 * Yanks a version: still downloadable by exact version, never chosen by a range or a channel.
 * Channels pointing at it are cleared. Yanking twice is a no-op success.
 */
export async function yank(ctx: RegistryContext, publisher: string | undefined, idParam: string, versionParam: string, body: unknown): Promise<{ id: string; version: string; yanked: true; reason: string; channels: Record<string, string> }> {
  const id = checkId(idParam);
  const version = checkVersion(versionParam);
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (typeof reason !== 'string' || reason.trim().length < 1 || reason.length > 500) {
    throw new RegistryError(400, 'REASON_REQUIRED', 'A yank needs a reason (1-500 characters).', 'Send { "reason": "why users must not get this version" }.');
  }
  await requireOwner(ctx.db, id, publisher);
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    const row = await versionRow(tx, id, version);
    if (!row.yanked_at) {
      await tx.query('UPDATE versions SET yanked_at = now(), yank_reason = $3 WHERE id = $1 AND version = $2', [id, version, reason]);
      const cleared = await tx.query('DELETE FROM channels WHERE id = $1 AND version = $2 RETURNING channel', [id, version]);
      const blob = await ctx.blobs.get(row.sha256);
      // The signed target keeps vouching for the publisher key (installers of exact versions still verify).
      const key = await tx.query<{ jwk: { x: string } | string }>('SELECT jwk FROM publisher_keys WHERE key_id = $1', [row.key_id]);
      const jwk = key.rows[0] ? (typeof key.rows[0].jwk === 'string' ? (JSON.parse(key.rows[0].jwk) as { x: string }) : key.rows[0].jwk) : undefined;
      const changes: TargetChange[] = [
        { path: packageTarget(id, version), length: Number(row.size), sha256: row.sha256, ...(blob ? { sha512: sha512Hex(blob) } : {}), custom: { integrity: row.integrity, keyId: row.key_id, ...(jwk ? { publicKey: jwk.x } : {}), yanked: true, yankReason: reason } },
      ];
      if (cleared.rows.length) changes.push(await channelFile(tx, ctx.blobs, id));
      await ctx.tuf.updateTargets(tx, changes);
      await enqueueSync(tx, { extensionId: id, event: 'yank', version });
      await appendAudit(tx, ctx.now(), 'yank', `${id}@${version}`, publisher ?? 'admin', { reason, cleared: cleared.rows.map((r) => (r as { channel: string }).channel) });
    }
    return { id, version, yanked: true as const, reason: row.yank_reason ?? reason, channels: await currentChannels(tx, id) };
  });
}
