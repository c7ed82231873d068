/**
 * The package checks of an install, after TUF has vouched for the bytes (length + hashes): the
 * package's own Ed25519 signature and integrity (`verifyPackage`) against the publisher key the
 * signed TUF target binds to it (plus any keys the page pins), that the manifest is the id and
 * version the target path names, and compatibility with this kit.
 */
import { checkCompatibility, type HostDescription } from '../extensions/manifest/compatibility.js';
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';
import type { Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { verifyPackage, type TrustedKeys } from '../extensions/signing/package.js';
import { readArchive } from '../extensions/signing/archive.js';
import { checkExtensionSupplyChain, type SupplyChainPolicy, type SupplyChainSummary } from '../supply-chain/extension-artifacts.js';
import { SupplyChainError } from '../supply-chain/errors.js';
import { InstallerError, type InstallerErrorCode } from './errors.js';
import type { CachedVersion } from './store.js';
import type { TargetInfo } from './tuf/client.js';

/** The signing key a package target vouches for: `custom.keyId` + `custom.publicKey`. */
export function vouchedKey(id: string, version: string, info: TargetInfo): { keyId: string; publicKey: string } {
  const custom = info.custom ?? {};
  const keyId = custom['keyId'];
  const publicKey = custom['publicKey'];
  if (typeof keyId !== 'string' || typeof publicKey !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(publicKey)) {
    throw new InstallerError('PACKAGE_SIGNATURE_INVALID', `The registry's signed metadata names no publisher key for ${id}@${version}.`, 'The registry is older than this installer or misconfigured; ask its operators to upgrade it.');
  }
  return { keyId, publicKey };
}

/**
 * The keys one package may be signed with: the key the signed target vouches for — and, when the
 * page pins publisher keys, only if that key is one of them (pinning narrows, never widens).
 */
export function keysFor(cached: Pick<CachedVersion, 'keyId' | 'publicKey'>, pinned?: TrustedKeys): TrustedKeys {
  if (pinned?.size) {
    const key = pinned.get(cached.keyId);
    if (!key || key.x !== cached.publicKey) {
      throw new InstallerError('PACKAGE_SIGNATURE_INVALID', `The package is signed with ${cached.keyId}, which is not one of the publisher keys this installer pins.`, 'Add the publisher key to trustedKeys if you trust it, or do not install this extension.', { keyId: cached.keyId });
    }
    return new Map([[cached.keyId, key]]);
  }
  const jwk: Ed25519Jwk = { kty: 'OKP', crv: 'Ed25519', x: cached.publicKey };
  return new Map([[cached.keyId, jwk]]);
}

/** Verifies a package's signature and that it is `id@version`; returns its manifest. */
export async function checkPackage(bytes: Uint8Array, id: string, version: string, keys: TrustedKeys): Promise<Vib3ExtensionManifest> {
  const verified = await verifyPackage(bytes, keys);
  if (!verified.ok) {
    throw new InstallerError('PACKAGE_SIGNATURE_INVALID', `${id}@${version}: ${verified.message}`, verified.code === 'UNKNOWN_KEY' ? 'The package is signed by a key the registry did not vouch for; do not install it, and tell the registry operators.' : verified.suggestion, { reason: verified.code });
  }
  const m = verified.manifest;
  if (m.id !== id || m.version !== version) {
    throw new InstallerError('PACKAGE_MISMATCH', `The package served as ${id}@${version} is ${m.id}@${m.version}.`, 'Do not install it; tell the registry operators.');
  }
  return m;
}

/** Compatibility with this kit; INCOMPATIBLE with every reason otherwise. */
export function checkCompatible(manifest: Vib3ExtensionManifest, host?: HostDescription): void {
  const issues = checkCompatibility(manifest, host);
  if (issues.length) {
    throw new InstallerError('INCOMPATIBLE', issues.map((i) => i.message).join(' '), issues[0]!.suggestion, { issues: issues.map((i) => i.code) });
  }
}

/** How a supply-chain failure is reported by the installer (finer codes go to `details.reason`). */
const INSTALLER_CODE_OF: Record<string, InstallerErrorCode> = {
  SBOM_REQUIRED: 'SBOM_REQUIRED',
  SBOM_MALFORMED: 'SBOM_INVALID',
  SBOM_MISMATCH: 'SBOM_INVALID',
  PROVENANCE_REQUIRED: 'PROVENANCE_REQUIRED',
  BUILDER_NOT_ALLOWED: 'BUILDER_NOT_ALLOWED',
};

/**
 * The package's SBOM and provenance (src/supply-chain/extension-artifacts.ts): valid for its files
 * when present — provenance signed by the same publisher key as the package — and present when the
 * policy requires them. Runs after {@link checkPackage}, so the files are the verified ones.
 */
export async function checkSupplyChain(bytes: Uint8Array, id: string, version: string, keys: TrustedKeys, policy: SupplyChainPolicy = {}): Promise<SupplyChainSummary> {
  try {
    return await checkExtensionSupplyChain(readArchive(bytes), keys, policy);
  } catch (err) {
    if (!(err instanceof SupplyChainError)) throw err;
    const code = INSTALLER_CODE_OF[err.code] ?? 'PROVENANCE_INVALID';
    throw new InstallerError(code, `${id}@${version}: ${err.message}`, err.suggestion, { reason: err.code, ...(err.path ? { path: err.path } : {}) });
  }
}
