/**
 * How a publisher becomes `verified`: an admin grant, or a domain proof. For a proof the registry
 * hands out a random challenge; the publisher serves, at `https://DOMAIN/.well-known/vib3-publisher.json`,
 * `{ publisher, domain, challenge, keyId, signature }` where `signature` is its Ed25519 signature
 * (base64url) over the UTF-8 text `vib3-publisher-proof:{publisher}:{domain}:{challenge}`, made
 * with one of its registered keys. The proven domain's namespace (`acme.com` → `com.acme`) is then
 * the publisher's and verified: look-alikes of it are refused.
 */
import { randomBytes } from 'node:crypto';
import { verifyEd25519 } from '../../extensions/signing/ed25519.js';
import { fromBase64Url, utf8 } from '../../extensions/signing/encoding.js';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import { namespaceOfDomain, skeleton } from '../names.js';
import { publisherKeys } from './publishers.js';

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The text a domain proof signs. */
export const proofMessage = (publisher: string, domain: string, challenge: string): string => `vib3-publisher-proof:${publisher}:${domain}:${challenge}`;

/** Refuses anything but a lowercase DNS name. */
export function checkDomain(domain: unknown): string {
  if (typeof domain !== 'string' || !DOMAIN.test(domain)) throw new RegistryError(400, 'INVALID_DOMAIN', 'domain must be a DNS name such as acme.com.', 'Send the bare domain, without scheme, port or path.');
  return domain;
}

/** Marks a publisher verified by an admin, with an optional domain whose namespace it then owns. */
export async function grantVerified(tx: Queryable, publisher: string, domain: string | undefined, by: string): Promise<void> {
  await tx.query("UPDATE publishers SET tier = 'verified', verified_by = $2, verified_at = now(), domain = COALESCE($3, domain) WHERE name = $1", [publisher, by, domain ?? null]);
  if (domain) await claimVerifiedNamespace(tx, publisher, namespaceOfDomain(domain));
  await tx.query('UPDATE namespaces SET verified = true WHERE publisher = $1', [publisher]);
}

/** A new challenge for `domain` (replacing an older one). */
export async function issueChallenge(tx: Queryable, publisher: string, domain: string): Promise<string> {
  const challenge = randomBytes(24).toString('base64url');
  await tx.query(
    'INSERT INTO challenges (publisher, domain, challenge) VALUES ($1, $2, $3) ON CONFLICT (publisher, domain) DO UPDATE SET challenge = EXCLUDED.challenge, created_at = now()',
    [publisher, domain, challenge],
  );
  return challenge;
}

/**
 * Fetches the proof document from `url` and checks it against the stored challenge and the
 * publisher's keys. Resolves when the proof holds; throws a coded error otherwise.
 */
export async function checkProof(db: Queryable, publisher: string, domain: string, url: string): Promise<void> {
  const { rows } = await db.query<{ challenge: string }>('SELECT challenge FROM challenges WHERE publisher = $1 AND domain = $2', [publisher, domain]);
  const challenge = rows[0]?.challenge;
  if (!challenge) throw new RegistryError(409, 'NO_CHALLENGE', `There is no open challenge for ${domain}.`, 'Request one first: POST /v1/publishers/{name}/verification { "method": "domain", "domain" } without a proof served.');
  let doc: { publisher?: unknown; domain?: unknown; challenge?: unknown; keyId?: unknown; signature?: unknown };
  try {
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
    const text = res.ok ? await res.text() : '';
    if (!res.ok || text.length > 4096) throw new Error(`HTTP ${res.status}`);
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    throw new RegistryError(422, 'PROOF_UNREACHABLE', `The proof at ${url} could not be read (${(err as Error).message}).`, 'Serve the proof JSON (at most 4 KiB) at that URL over HTTPS, without redirects.');
  }
  const keys = await publisherKeys(db, publisher);
  const key = typeof doc.keyId === 'string' ? keys.get(doc.keyId) : undefined;
  let valid = false;
  if (key && doc.publisher === publisher && doc.domain === domain && doc.challenge === challenge && typeof doc.signature === 'string') {
    try {
      valid = await verifyEd25519(key, utf8(proofMessage(publisher, domain, challenge)), fromBase64Url(doc.signature));
    } catch {
      valid = false;
    }
  }
  if (!valid) throw new RegistryError(422, 'PROOF_INVALID', `The proof at ${url} does not match the challenge or is not signed by a key of ${publisher}.`, 'Sign the current challenge with one of your registered keys and serve the document again.');
}

async function claimVerifiedNamespace(tx: Queryable, publisher: string, namespace: string): Promise<void> {
  const { rows } = await tx.query<{ publisher: string }>('SELECT publisher FROM namespaces WHERE namespace = $1', [namespace]);
  if (rows[0] && rows[0].publisher !== publisher) {
    throw new RegistryError(409, 'NAMESPACE_OWNED', `The namespace ${namespace} already belongs to ${rows[0].publisher}.`, 'Contact the registry admins to resolve a namespace dispute.');
  }
  await tx.query('INSERT INTO namespaces (namespace, publisher, skeleton, verified) VALUES ($1, $2, $3, true) ON CONFLICT (namespace) DO UPDATE SET verified = true', [namespace, publisher, skeleton(namespace)]);
}
