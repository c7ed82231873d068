/**
 * `vib3 registry verify <name>`: an admin's grant (`{ method: "admin", domain? }`), or a domain
 * proof in two steps — ask for a challenge (`{ method: "domain", domain }`, answered 202 with the
 * text to sign; with `--key` the CLI signs it and writes the proof document), serve the document at
 * `https://<domain>/.well-known/vib3-publisher.json`, then `--served` asks the registry to check it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyIdOf, signEd25519, type Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { toBase64Url, utf8 } from '../extensions/signing/encoding.js';
import type { Io } from './errors.js';
import { readPrivateJwk } from './jwk.js';
import type { RegistryClient } from './registry-client.js';

/** Options of {@link verifyPublisher}. */
export interface VerifyPublisherOptions {
  /** The client's token is an admin's: grant instead of prove. */
  admin: boolean;
  domain?: string;
  /** Private key to sign the challenge with. */
  key?: string;
  /** Where to write the signed proof (default vib3-publisher.json). */
  out?: string;
  /** The proof is served: ask the registry to check it. */
  served: boolean;
  json: boolean;
}

interface Challenge {
  status: 'challenge';
  url: string;
  namespace: string;
  challenge: string;
  sign: string;
}

/** Runs the admin grant or one step of the domain proof; prints what happened and what to do next. */
export async function verifyPublisher(io: Io, client: RegistryClient, name: string, opts: VerifyPublisherOptions): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = opts.admin ? { method: 'admin', ...(opts.domain ? { domain: opts.domain } : {}) } : { method: 'domain', domain: opts.domain, ...(opts.served ? { proof: 'served' } : {}) };
  const answer = await client.verifyPublisher(name, body);
  if (answer['status'] !== 'challenge') {
    if (opts.json) io.out(JSON.stringify({ ok: true, ...answer }, null, 2));
    else io.out(`publisher ${String(answer['name'] ?? name)} is now ${String(answer['tier'] ?? 'verified')}${answer['domain'] ? ` (domain ${String(answer['domain'])})` : ''}.`);
    return answer;
  }
  const challenge = answer as unknown as Challenge;
  let written: string | undefined;
  if (opts.key) {
    const privateJwk = readPrivateJwk(opts.key);
    const { d: _d, kid: _kid, ...pub } = privateJwk;
    const keyId = await keyIdOf(pub as Ed25519Jwk);
    const signature = toBase64Url(await signEd25519(privateJwk, utf8(challenge.sign)));
    written = resolve(opts.out ?? 'vib3-publisher.json');
    writeFileSync(written, `${JSON.stringify({ publisher: name, domain: opts.domain, challenge: challenge.challenge, keyId, signature }, null, 2)}\n`);
  }
  const next = `vib3 registry verify ${name} --domain ${opts.domain} --served --registry ${client.base}`;
  if (opts.json) {
    io.out(JSON.stringify({ ok: true, ...answer, ...(written ? { proofFile: written } : {}), next }, null, 2));
  } else {
    io.out(`Challenge for ${opts.domain} (namespace ${challenge.namespace}):`);
    if (written) io.out(`  wrote the signed proof to ${written}`);
    else io.out(`  sign this text with one of ${name}'s keys (Ed25519, base64url signature), or rerun with --key <private.jwk>:\n    ${challenge.sign}`);
    io.out(`  serve it at ${challenge.url}`);
    io.out(`then run:\n  ${next}`);
  }
  return answer;
}
