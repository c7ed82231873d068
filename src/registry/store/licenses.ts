/**
 * Licenses issued by the registry for a publisher's checkout (DESIGN §7): the publisher's API
 * token asks `POST /v1/extensions/{id}/licenses`, the registry signs the token with its license key
 * and records everything but the token. Clients learn that key, and which licenses are revoked,
 * from two TUF targets — `licensing/keys.json` and `licensing/revoked.json` — so both are signed,
 * versioned and rollback-protected like packages; a revocation reaches installers with their next
 * metadata refresh.
 */
import { randomUUID } from 'node:crypto';
import { canonicalBytes } from '../../extensions/manifest/canonical-json.js';
import { keyIdOf } from '../../extensions/signing/ed25519.js';
import { issueLicense } from '../../marketplace/license/issue.js';
import { LICENSE_KEYS_TARGET, LICENSE_REVOKED_TARGET } from '../../marketplace/license-gate.js';
import { LOCKS, type Queryable } from '../db/database.js';
import type { RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { checkId } from '../names.js';
import { sha256Hex, sha512Hex, type TargetChange } from './targets.js';
import { appendAudit } from './audit.js';

/** TUF target paths of the licensing data (what installers read: src/marketplace/license-gate.ts). */
export { LICENSE_KEYS_TARGET, LICENSE_REVOKED_TARGET };

/** What `POST /v1/extensions/{id}/licenses` answers. */
export interface IssuedLicense {
  token: string;
  jti: string;
  kid: string;
  expiresAt: string;
}

const bad = (code: string, message: string, suggestion: string) => new RegistryError(400, code, message, suggestion);
const TEXT = /^[\x20-\x7e]{1,200}$/;

function checkRequest(body: unknown): { sub: string; aud: string[]; tier: string; entitlements: string[]; days: number } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b['sub'] !== 'string' || !TEXT.test(b['sub'])) throw bad('INVALID_LICENSE_REQUEST', 'sub (the licensee) must be 1-200 printable characters.', 'Send { "sub": "customer-42", "aud": ["https://shop.example.com"], "tier": "pro" }.');
  const aud = b['aud'];
  if (!Array.isArray(aud) || aud.length < 1 || aud.length > 20 || !aud.every((a) => typeof a === 'string' && /^https?:\/\/[^/]+$/.test(a) && new URL(a).origin === a)) {
    throw bad('INVALID_LICENSE_REQUEST', 'aud must list 1-20 origins (scheme://host[:port], no path).', 'Send "aud": ["https://shop.example.com"].');
  }
  if (typeof b['tier'] !== 'string' || !/^[a-z0-9][a-z0-9-]{0,31}$/.test(b['tier'])) throw bad('INVALID_LICENSE_REQUEST', 'tier must be a short lowercase name, e.g. pro.', 'Send "tier": "pro".');
  const ent = b['entitlements'] ?? [];
  if (!Array.isArray(ent) || ent.length > 50 || !ent.every((e) => typeof e === 'string' && /^[A-Za-z0-9_.-]{1,128}$/.test(e))) throw bad('INVALID_LICENSE_REQUEST', 'entitlements must be up to 50 tool or feature names.', 'Send "entitlements": ["export"].');
  const days = b['days'] ?? 365;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650) throw bad('INVALID_LICENSE_REQUEST', 'days must be an integer from 1 to 3650.', 'Send "days": 365.');
  return { sub: b['sub'], aud: aud as string[], tier: b['tier'], entitlements: ent as string[], days };
}

async function requireOwner(db: Queryable, id: string, publisher: string): Promise<void> {
  const { rows } = await db.query<{ publisher: string }>('SELECT publisher FROM extensions WHERE id = $1', [id]);
  if (!rows[0]) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Publish it first.');
  if (rows[0].publisher !== publisher) throw new RegistryError(403, 'NAMESPACE_OWNED', `${id} belongs to another publisher.`, 'Only its publisher may issue its licenses.');
}

/** A licensing TUF target written to the blob store. */
async function jsonTarget(ctx: RegistryContext, path: string, value: unknown): Promise<TargetChange> {
  const bytes = canonicalBytes(value);
  const sha256 = sha256Hex(bytes);
  await ctx.blobs.put(sha256, bytes);
  return { path, length: bytes.length, sha256, sha512: sha512Hex(bytes) };
}

/** The license keys target, adding this process's key when the published list lacks it (several processes may hold different keys). */
async function keysChange(ctx: RegistryContext, tx: Queryable, kid: string, x: string): Promise<TargetChange | undefined> {
  const current = await ctx.tuf.target(tx, LICENSE_KEYS_TARGET);
  const known = current ? ((JSON.parse(new TextDecoder().decode((await ctx.blobs.get(current.sha256))!)) as { keys: Array<{ kid: string; x: string }> }).keys ?? []) : [];
  if (known.some((k) => k.kid === kid)) return undefined;
  return jsonTarget(ctx, LICENSE_KEYS_TARGET, { keys: [...known, { kid, x }].sort((a, b) => (a.kid < b.kid ? -1 : 1)) });
}

/** Publishes the registry's signing key in `licensing/keys.json` if it is not there (audit checkpoints are signed with it too). */
export async function publishRegistryKey(ctx: RegistryContext): Promise<string> {
  const kid = await keyIdOf(ctx.licenseKey);
  await ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    const change = await keysChange(ctx, tx, kid, ctx.licenseKey.x);
    if (change) await ctx.tuf.updateTargets(tx, [change]);
  });
  return kid;
}

/** Issues a license for `id` at its publisher's request. */
export async function issueRegistryLicense(ctx: RegistryContext, publisher: string, idParam: string, body: unknown): Promise<IssuedLicense> {
  const id = checkId(idParam);
  const req = checkRequest(body);
  await requireOwner(ctx.db, id, publisher);
  const key = ctx.licenseKey;
  // (Checked again inside the transaction below, under the lock.)
  const kid = await keyIdOf(key);
  const jti = randomUUID();
  const now = ctx.now();
  const token = await issueLicense(key, { ext: id, aud: req.aud, tier: req.tier, entitlements: req.entitlements, sub: req.sub, days: req.days, now, jti });
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + req.days * 86_400_000);
  await ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    await requireOwner(tx, id, publisher);
    await tx.query('INSERT INTO licenses (jti, extension, publisher, sub, aud, tier, entitlements, key_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
      jti, id, publisher, req.sub, JSON.stringify(req.aud), req.tier, JSON.stringify(req.entitlements), kid, now.toISOString(), expiresAt.toISOString(),
    ]);
    const change = await keysChange(ctx, tx, kid, key.x);
    if (change) await ctx.tuf.updateTargets(tx, [change]);
    // No licensee or origins in the public log: the jti, the extension and the tier.
    await appendAudit(tx, now, 'license-issued', jti, publisher, { ext: id, tier: req.tier, kid });
  });
  return { token, jti, kid, expiresAt: expiresAt.toISOString() };
}

/** Revokes a license its publisher issued; the signed revocation list changes in the same transaction. */
export async function revokeRegistryLicense(ctx: RegistryContext, publisher: string, jti: string, body: unknown): Promise<{ jti: string; revoked: true; reason: string }> {
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (typeof reason !== 'string' || reason.trim().length < 1 || reason.length > 500) throw bad('REASON_REQUIRED', 'A revocation needs a reason (1-500 characters).', 'Send { "reason": "refunded" }.');
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.tuf]);
    const { rows } = await tx.query<{ publisher: string; revoked_at: Date | null; extension: string }>('SELECT publisher, revoked_at, extension FROM licenses WHERE jti = $1', [jti]);
    if (!rows[0] || rows[0].publisher !== publisher) throw new RegistryError(404, 'LICENSE_NOT_FOUND', `No license ${jti.slice(0, 64)} of yours.`, 'Use the jti the license request answered.');
    if (!rows[0].revoked_at) {
      await tx.query('UPDATE licenses SET revoked_at = $2, revoke_reason = $3 WHERE jti = $1', [jti, ctx.now().toISOString(), reason]);
      // Expired licenses need not stay listed: they are refused anyway.
      const revoked = await tx.query<{ jti: string }>('SELECT jti FROM licenses WHERE revoked_at IS NOT NULL AND expires_at > $1 ORDER BY jti', [ctx.now().toISOString()]);
      await ctx.tuf.updateTargets(tx, [await jsonTarget(ctx, LICENSE_REVOKED_TARGET, { revoked: revoked.rows.map((r) => r.jti) })]);
      // The reason stays in the licenses table: it may name the customer, and the log is public.
      await appendAudit(tx, ctx.now(), 'license-revoked', jti, publisher, { ext: rows[0].extension });
    }
    return { jti, revoked: true as const, reason };
  });
}
