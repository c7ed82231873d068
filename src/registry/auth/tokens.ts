/**
 * API tokens: 32 random bytes shown once (`vib3_…`), stored only as their SHA-256. A token is a
 * publisher's (may publish in its namespaces) or an admin's (may create publishers, grant tiers).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';

/** Who a request's token belongs to. */
export type Principal = { kind: 'admin' } | { kind: 'publisher'; publisher: string };

const PREFIX = 'vib3_';

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates and stores a token; returns the only copy of its secret. */
export async function issueToken(db: Queryable, owner: Principal, opts: { label?: string; expiresAt?: Date } = {}): Promise<string> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  await db.query('INSERT INTO api_tokens (token_hash, publisher, admin, label, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hashToken(token),
    owner.kind === 'publisher' ? owner.publisher : null,
    owner.kind === 'admin',
    opts.label ?? null,
    opts.expiresAt ?? null,
  ]);
  return token;
}

/** Reads `Authorization: Bearer …`; undefined when the header is absent. */
export function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/.exec(header.trim());
  if (!match) throw new RegistryError(401, 'TOKEN_INVALID', 'The Authorization header is not "Bearer <token>".', 'Send Authorization: Bearer <your API token> (see `vib3 login`).');
  return match[1];
}

/** Resolves a token to its principal; refuses unknown, revoked and expired tokens alike. */
export async function authenticate(db: Queryable, token: string | undefined, now: Date): Promise<Principal> {
  if (!token) throw new RegistryError(401, 'TOKEN_REQUIRED', 'This request needs an API token.', 'Send Authorization: Bearer <token>; `vib3 login --registry URL` stores one for the CLI.');
  const { rows } = await db.query<{ publisher: string | null; admin: boolean; expires_at: Date | null; revoked_at: Date | null }>(
    'SELECT publisher, admin, expires_at, revoked_at FROM api_tokens WHERE token_hash = $1',
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row || row.revoked_at) throw new RegistryError(401, 'TOKEN_INVALID', 'The API token is not valid.', 'Check the token, or ask for a new one (`vib3 registry publisher create` prints it).');
  if (row.expires_at && new Date(row.expires_at) <= now) throw new RegistryError(401, 'TOKEN_EXPIRED', 'The API token has expired.', 'Ask the registry admin for a new token.');
  return row.admin ? { kind: 'admin' } : { kind: 'publisher', publisher: row.publisher! };
}

/** Refuses anyone but an admin. */
export function requireAdmin(principal: Principal): void {
  if (principal.kind !== 'admin') throw new RegistryError(403, 'ADMIN_REQUIRED', 'Only a registry admin may do this.', 'Use the admin token from the registry data folder (admin.token).');
}
