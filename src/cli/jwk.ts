/**
 * Reading publisher keys (JWK files written by `vib3 ext keygen`) for registry commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { CliError } from './errors.js';

function readJwkFile(path: string): Partial<Ed25519Jwk> & Record<string, unknown> {
  if (!existsSync(path)) throw new CliError(`key file ${path} not found.`, 2, 'KEY_NOT_FOUND', 'Create a key pair with vib3 ext keygen.');
  try {
    const jwk = JSON.parse(readFileSync(path, 'utf8')) as Partial<Ed25519Jwk> & Record<string, unknown>;
    if (jwk && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') return jwk;
  } catch {
    // reported below
  }
  throw new CliError(`${path} is not an Ed25519 JSON Web Key.`, 2, 'INVALID_KEY', 'Pass a .jwk file written by vib3 ext keygen.');
}

/** A public Ed25519 JWK (`kty`, `crv`, `x`); refuses a private key so it never leaves the machine. */
export function readPublicJwk(path: string): Ed25519Jwk {
  const jwk = readJwkFile(path);
  if ('d' in jwk) throw new CliError(`${path} is a private key.`, 2, 'PRIVATE_KEY_GIVEN', 'Pass the public key (<name>.public.jwk); the private key never leaves your machine.');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
}

/** A private Ed25519 JWK (with `d`). */
export function readPrivateJwk(path: string): Ed25519Jwk {
  const jwk = readJwkFile(path);
  if (typeof jwk.d !== 'string') throw new CliError(`${path} is a public key.`, 2, 'PRIVATE_KEY_REQUIRED', 'Pass the private key (<name>.private.jwk) to sign with.');
  return jwk as Ed25519Jwk;
}
