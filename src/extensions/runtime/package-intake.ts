/**
 * Package intake: opens a signed extension package for the host — signature and integrity
 * (`verifyPackage`), then compatibility with this kit, then the worker entrypoint's code.
 */
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import { checkCompatibility } from '../manifest/compatibility.js';
import { verifyPackage, type TrustedKeys } from '../signing/package.js';
import { ExtensionError } from './errors.js';

/** A verified, compatible package: its manifest and its worker's code. */
export interface OpenedPackage {
  manifest: Vib3ExtensionManifest;
  /** The worker entrypoint's source (UTF-8 decoded). */
  code: string;
  /** The key that signed it (its keyId and JWK): licenses may be signed by it too. */
  signer: TrustedKeys;
}

const decoder = new TextDecoder();

/**
 * Verifies a package against the trusted publisher keys (plus `extraKeys` a caller vouches for,
 * such as the installer's TUF-bound key), checks its compatibility and reads its
 * worker entrypoint. Rejects with an ExtensionError: VERIFY_FAILED (bad signature or integrity,
 * or no worker entrypoint in the package) or INCOMPATIBLE.
 */
export async function openPackage(pkg: Uint8Array, trustedKeys: TrustedKeys, extraKeys?: TrustedKeys): Promise<OpenedPackage> {
  const verified = await verifyPackage(pkg, extraKeys?.size ? new Map([...extraKeys, ...trustedKeys]) : trustedKeys);
  if (!verified.ok) throw new ExtensionError('VERIFY_FAILED', `${verified.code}: ${verified.message}`, verified.suggestion);
  const manifest = verified.manifest;
  const issues = checkCompatibility(manifest);
  if (issues.length) throw new ExtensionError('INCOMPATIBLE', issues.map((i) => i.message).join(' '), issues[0]!.suggestion, manifest.id);
  const entry = manifest.entrypoints.worker;
  const bytes = entry ? verified.files.get(entry) : undefined;
  if (!bytes) throw new ExtensionError('VERIFY_FAILED', `${manifest.id} has no worker entrypoint in its package.`, 'Set entrypoints.worker in extension.json and pack the built file.', manifest.id);
  const keys = extraKeys?.size ? new Map([...extraKeys, ...trustedKeys]) : trustedKeys;
  const jwk = keys.get(verified.keyId);
  return { manifest, code: decoder.decode(bytes), signer: new Map(jwk ? [[verified.keyId, jwk]] : []) };
}
