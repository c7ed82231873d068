/**
 * API tokens: 32 random bytes shown once (`vib3_…`), stored only as their SHA-256. A token is a
 * publisher's (may publish in its namespaces), an admin's (may create publishers, grant tiers),
 * or an agent token of a host page's end user (may only use the LLM proxy, `/v1/agent`).
 *
 * Agent tokens are refused by {@link authenticate}, the check every registry route uses, so no
 * route can mistake one for an admin or a publisher; only the proxy calls {@link authenticateAny}
 * (and lets only agent and admin tokens through). {@link revokeAgentTokens} revokes all of a
 * user's agent tokens at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';

/** Who a request's token belongs to. */
export type Principal = { kind: 'admin' } | { kind: 'publisher'; publisher: string } | { kind: 'agent'; user: string };

/** The principals the registry's own routes act for: never an agent token. */
export type RegistryPrincipal = Exclude<Principal, { kind: 'agent' }>;

const PREFIX = 'vib3_';
/**
 * An agent token is stored without publisher and admin flag, its user in the label
 * (`agent:<user>`): a row with neither publisher nor admin is an agent token and nothing else.
 */
const AGENT_LABEL = 'agent:';
/** What an agent token's user may be: an id of the host's, not a secret. */
export const AGENT_USER_PATTERN = /^[A-Za-z0-9_.@+-]{1,128}$/;

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Creates and stores a token; returns the only copy of its secret. An agent token's label is
 * always `agent:<user>` (`opts.label` is ignored for it).
 */
export async function issueToken(db: Queryable, owner: Principal, opts: { label?: string; expiresAt?: Date } = {}): Promise<string> {
  if (owner.kind === 'agent' && !AGENT_USER_PATTERN.test(owner.user)) throw new RegistryError(400, 'INVALID_AGENT_USER', 'An agent token\'s user must be 1–128 of A-Z a-z 0-9 _ . @ + -.', 'Send the host\'s user id, e.g. { "user": "alice" }.');
  const token = PREFIX + randomBytes(32).toString('base64url');
  await db.query('INSERT INTO api_tokens (token_hash, publisher, admin, label, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hashToken(token),
    owner.kind === 'publisher' ? owner.publisher : null,
    owner.kind === 'admin',
    owner.kind === 'agent' ? AGENT_LABEL + owner.user : (opts.label ?? null),
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

/**
 * Resolves a token to any principal, agent tokens included; refuses unknown, revoked and
 * expired tokens alike. Only the LLM proxy (`/v1/agent`) uses it: every other route calls
 * {@link authenticate}.
 */
export async function authenticateAny(db: Queryable, token: string | undefined, now: Date): Promise<Principal> {
  if (!token) throw new RegistryError(401, 'TOKEN_REQUIRED', 'This request needs an API token.', 'Send Authorization: Bearer <token>; `vib3 login --registry URL` stores one for the CLI.');
  const { rows } = await db.query<{ publisher: string | null; admin: boolean; label: string | null; expires_at: Date | null; revoked_at: Date | null }>(
    'SELECT publisher, admin, label, expires_at, revoked_at FROM api_tokens WHERE token_hash = $1',
    [hashToken(token)],
  );
  const row = rows[0];
  const invalid = () => new RegistryError(401, 'TOKEN_INVALID', 'The API token is not valid.', 'Check the token, or ask for a new one (`vib3 registry publisher create` prints it).');
  if (!row || row.revoked_at) throw invalid();
  if (row.expires_at && new Date(row.expires_at) <= now) throw new RegistryError(401, 'TOKEN_EXPIRED', 'The API token has expired.', 'Ask the registry admin for a new token.');
  if (row.admin) return { kind: 'admin' };
  if (row.publisher) return { kind: 'publisher', publisher: row.publisher };
  if (row.label?.startsWith(AGENT_LABEL)) return { kind: 'agent', user: row.label.slice(AGENT_LABEL.length) };
  throw invalid();
}

/**
 * Resolves a token to an admin or a publisher (what every registry route acts for). An agent
 * token is refused with 403 `AGENT_TOKEN_NOT_ALLOWED`: it may use the LLM proxy and nothing else.
 */
export async function authenticate(db: Queryable, token: string | undefined, now: Date): Promise<RegistryPrincipal> {
  const who = await authenticateAny(db, token, now);
  if (who.kind === 'agent') throw new RegistryError(403, 'AGENT_TOKEN_NOT_ALLOWED', 'This is an agent token: it may only use the LLM proxy (/v1/agent).', 'Use a publisher or admin token for registry operations.');
  return who;
}

/**
 * Revokes every agent token of `user` that is not revoked yet (sets `revoked_at`); returns how
 * many. Revoked tokens are refused like unknown ones (401).
 */
export async function revokeAgentTokens(db: Queryable, user: string, now: Date): Promise<number> {
  if (!AGENT_USER_PATTERN.test(user)) throw new RegistryError(400, 'INVALID_AGENT_USER', 'An agent token\'s user must be 1–128 of A-Z a-z 0-9 _ . @ + -.', 'Send the host\'s user id, e.g. { "user": "alice" }.');
  const { rows } = await db.query<{ token_hash: string }>(
    'UPDATE api_tokens SET revoked_at = $2 WHERE label = $1 AND publisher IS NULL AND admin = false AND revoked_at IS NULL RETURNING token_hash',
    [AGENT_LABEL + user, now],
  );
  return rows.length;
}

/**
 * The publisher a registry route acts for: undefined for the admin (who may act in any
 * namespace), the token's publisher for a publisher token. Anything else (an agent token, an
 * unexpected kind) is refused with 403, so a new kind of principal fails closed.
 */
export function actingPublisher(who: Principal): string | undefined {
  if (who.kind === 'admin') return undefined;
  if (who.kind === 'publisher' && typeof who.publisher === 'string' && who.publisher !== '') return who.publisher;
  if (who.kind === 'agent') throw new RegistryError(403, 'AGENT_TOKEN_NOT_ALLOWED', 'This is an agent token: it may only use the LLM proxy (/v1/agent).', 'Use a publisher or admin token for registry operations.');
  throw new RegistryError(403, 'PUBLISHER_REQUIRED', 'This needs a publisher or admin token.', 'Use the token `vib3 registry publisher create` printed for the publisher, or the admin token.');
}

/** Refuses anyone but an admin. */
export function requireAdmin(principal: Principal): void {
  if (principal.kind !== 'admin') throw new RegistryError(403, 'ADMIN_REQUIRED', 'Only a registry admin may do this.', 'Use the admin token from the registry data folder (admin.token).');
}
