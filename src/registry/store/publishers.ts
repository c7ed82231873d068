/**
 * Publisher accounts: name, display name, Ed25519 keys, trust tier. A publisher is created by an
 * admin (`vib3 registry publisher create`) and becomes `verified` by an admin grant or by proving
 * a domain (see `verification.ts`); otherwise it is `community`.
 */
import { keyIdOf, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import { checkPublisherName } from '../names.js';
import { issueToken } from '../auth/tokens.js';

/** A trust tier as listings show it (`unverified`: no registered publisher vouches for it). */
export type TrustTier = 'verified' | 'community' | 'unverified';

/** A publisher as `GET /v1/publishers/{name}` answers. */
export interface PublisherView {
  name: string;
  displayName: string;
  tier: TrustTier;
  domain: string | null;
  keyIds: string[];
  namespaces: string[];
  extensions: string[];
  createdAt: string;
}

/** Checks a public Ed25519 JWK and returns it trimmed to its public fields with its keyId. */
export async function publicKey(value: unknown): Promise<{ jwk: Ed25519Jwk; keyId: string }> {
  const jwk = value as Partial<Ed25519Jwk> | null;
  if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(jwk.x)) {
    throw new RegistryError(400, 'INVALID_KEY', 'A key is not a public Ed25519 JWK.', 'Send the public.jwk that `vib3 ext keygen` wrote ({ "kty": "OKP", "crv": "Ed25519", "x": … }).');
  }
  if ('d' in jwk) throw new RegistryError(400, 'PRIVATE_KEY_SENT', 'A key includes its private part ("d").', 'Send only the public key; keep the private key to yourself and rotate it now, it has left your machine.');
  const pub: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  return { jwk: pub, keyId: await keyIdOf(pub) };
}

/** Creates a publisher with its keys and returns its first API token. Nothing is written on failure (run it in a transaction). */
export async function createPublisher(tx: Queryable, input: { name: unknown; displayName?: unknown; keys: unknown }): Promise<{ name: string; token: string; keyIds: string[] }> {
  const name = checkPublisherName(String(input.name ?? ''));
  if (input.displayName !== undefined && (typeof input.displayName !== 'string' || input.displayName.length < 1 || input.displayName.length > 100)) {
    throw new RegistryError(400, 'INVALID_DISPLAY_NAME', 'displayName must be a string of 1-100 characters.', 'Send a shorter display name, or leave it out.');
  }
  if (!Array.isArray(input.keys) || input.keys.length < 1 || input.keys.length > 10) {
    throw new RegistryError(400, 'INVALID_KEY', 'keys must list 1-10 public Ed25519 JWKs.', 'Send { "name", "keys": [ public.jwk ] }.');
  }
  const keys = await Promise.all(input.keys.map(publicKey));
  const existing = await tx.query('SELECT 1 FROM publishers WHERE name = $1', [name]);
  if (existing.rows.length) throw new RegistryError(409, 'PUBLISHER_EXISTS', `A publisher named ${name} already exists.`, 'Pick another name.');
  await tx.query('INSERT INTO publishers (name, display_name) VALUES ($1, $2)', [name, typeof input.displayName === 'string' ? input.displayName : name]);
  for (const { jwk, keyId } of keys) {
    const taken = await tx.query<{ publisher: string }>('SELECT publisher FROM publisher_keys WHERE key_id = $1', [keyId]);
    if (taken.rows.length) throw new RegistryError(409, 'KEY_IN_USE', `Key ${keyId} already belongs to a publisher.`, 'Generate a new key pair for this publisher with `vib3 ext keygen`.');
    await tx.query('INSERT INTO publisher_keys (key_id, publisher, jwk) VALUES ($1, $2, $3)', [keyId, name, JSON.stringify(jwk)]);
  }
  const token = await issueToken(tx, { kind: 'publisher', publisher: name }, { label: 'created with the publisher' });
  return { name, token, keyIds: keys.map((k) => k.keyId) };
}

/** The publisher's active keys, by keyId (what its packages must be signed with). */
export async function publisherKeys(db: Queryable, name: string): Promise<Map<string, Ed25519Jwk>> {
  const { rows } = await db.query<{ key_id: string; jwk: Ed25519Jwk | string }>('SELECT key_id, jwk FROM publisher_keys WHERE publisher = $1 AND revoked_at IS NULL', [name]);
  return new Map(rows.map((r) => [r.key_id, typeof r.jwk === 'string' ? (JSON.parse(r.jwk) as Ed25519Jwk) : r.jwk]));
}

/** A publisher's public view, or a 404. */
export async function getPublisher(db: Queryable, name: string): Promise<PublisherView> {
  const { rows } = await db.query<{ name: string; display_name: string; tier: TrustTier; domain: string | null; created_at: Date }>(
    'SELECT name, display_name, tier, domain, created_at FROM publishers WHERE name = $1',
    [name],
  );
  const row = rows[0];
  if (!row) throw new RegistryError(404, 'PUBLISHER_NOT_FOUND', `No publisher named ${name.slice(0, 40)}.`, 'Check the name; `vib3 registry search` shows publishers of extensions.');
  const keys = await db.query<{ key_id: string }>('SELECT key_id FROM publisher_keys WHERE publisher = $1 AND revoked_at IS NULL ORDER BY key_id', [name]);
  const namespaces = await db.query<{ namespace: string }>('SELECT namespace FROM namespaces WHERE publisher = $1 ORDER BY namespace', [name]);
  const extensions = await db.query<{ id: string }>('SELECT id FROM extensions WHERE publisher = $1 ORDER BY id', [name]);
  return {
    name: row.name,
    displayName: row.display_name,
    tier: row.tier,
    domain: row.domain,
    keyIds: keys.rows.map((r) => r.key_id),
    namespaces: namespaces.rows.map((r) => r.namespace),
    extensions: extensions.rows.map((r) => r.id),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
