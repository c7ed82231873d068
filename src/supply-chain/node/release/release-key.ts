/**
 * The release signing key: an Ed25519 private JWK in a file whose path is given with `--key` or in
 * `VIB3_RELEASE_KEY`. Checked before anything is built, so a release without a usable key fails
 * at once with `RELEASE_KEY_MISSING` and how to make one.
 */
import { readFileSync } from 'node:fs';
import { keyIdOf, signEd25519, verifyEd25519, type Ed25519Jwk } from '../../../extensions/signing/ed25519.js';
import { SupplyChainError } from '../../errors.js';

/** The environment variable naming the key file. */
export const RELEASE_KEY_ENV = 'VIB3_RELEASE_KEY';

/** A loaded release key. */
export interface ReleaseKey {
  privateJwk: Ed25519Jwk;
  publicJwk: Ed25519Jwk;
  /** `ed25519:…`, as DSSE signatures and `vib3 ext keygen` name it. */
  keyId: string;
  /** The file it came from. */
  path: string;
}

const HOW_TO_CREATE =
  'Create a key once with "vib3 ext keygen --out ~/.vib3-release --name release" (or: node dist/cli/vib3.js ext keygen …), keep the private file offline, ' +
  `and run with ${RELEASE_KEY_ENV}=~/.vib3-release/release.private.jwk npm run release (or npm run release -- --key <file>). See docs/SUPPLY-CHAIN.md.`;

const missing = (message: string, path?: string) => new SupplyChainError('RELEASE_KEY_MISSING', message, HOW_TO_CREATE, path);

/**
 * Reads the release key from `path` (else `VIB3_RELEASE_KEY`). Throws `RELEASE_KEY_MISSING` when
 * no path is given, the file cannot be read, it is not an Ed25519 JWK, it has no private part,
 * or its private and public halves do not belong together.
 */
export async function loadReleaseKey(path: string | undefined = process.env[RELEASE_KEY_ENV]): Promise<ReleaseKey> {
  if (!path) throw missing(`No release signing key: ${RELEASE_KEY_ENV} is not set and --key was not given.`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw missing(`The release key ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, path);
  }
  let jwk: Partial<Ed25519Jwk>;
  try {
    jwk = JSON.parse(text) as Partial<Ed25519Jwk>;
  } catch {
    throw missing(`The release key ${path} is not JSON (an Ed25519 private JWK is expected).`, path);
  }
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw missing(`The release key ${path} is not an Ed25519 JWK (kty "OKP", crv "Ed25519").`, path);
  if (typeof jwk.d !== 'string') throw missing(`The release key ${path} is a public key; signing needs the private key (the file with "d").`, path);
  const privateJwk: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d };
  const publicJwk: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  // A signature the public half verifies: catches a truncated or hand-edited key before the build.
  const probe = new TextEncoder().encode('vib3 release key check');
  let consistent = false;
  try {
    consistent = await verifyEd25519(publicJwk, probe, await signEd25519(privateJwk, probe));
  } catch {
    consistent = false;
  }
  if (!consistent) throw missing(`The release key ${path} is damaged: its private part does not match its public part (x).`, path);
  return { privateJwk, publicJwk, keyId: await keyIdOf(publicJwk), path };
}
