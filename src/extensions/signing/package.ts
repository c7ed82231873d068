import { canonicalBytes } from '../manifest/canonical-json.js';
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import { validateManifest } from '../manifest/validate.js';
import type { ManifestProblem } from '../manifest/problems.js';
import { ArchiveError, readArchive, writeArchive, type PackageFiles } from './archive.js';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from './encoding.js';
import { keyIdOf, signEd25519, verifyEd25519, type Ed25519Engine, type Ed25519Jwk } from './ed25519.js';
import { sha512Integrity } from './integrity.js';

export const MANIFEST_FILE = 'extension.json';

/** Stable reasons a package fails verification. */
export type VerifyFailureCode =
  | 'ARCHIVE_INVALID'
  | 'MANIFEST_UNREADABLE'
  | 'MANIFEST_INVALID'
  | 'UNSIGNED'
  | 'UNKNOWN_KEY'
  | 'KEY_MISMATCH'
  | 'FILE_MISSING'
  | 'FILE_UNLISTED'
  | 'INTEGRITY_MISMATCH'
  | 'SIGNATURE_INVALID';

/** The outcome of {@link verifyPackage}. */
export type VerifyResult =
  | { ok: true; manifest: Vib3ExtensionManifest; files: PackageFiles; keyId: string }
  | { ok: false; code: VerifyFailureCode; message: string; suggestion: string; path?: string; problems?: ManifestProblem[] };

/** Publisher keys the verifier trusts, by keyId. */
export type TrustedKeys = ReadonlyMap<string, Ed25519Jwk>;

/** Builds an unsigned package from files (extension.json included). */
export function packFiles(files: PackageFiles): Uint8Array {
  return writeArchive(files);
}

/** The bytes a signature covers: RFC 8785 JSON of the manifest without signature.value. */
export function signedPayload(manifest: Vib3ExtensionManifest): Uint8Array {
  const copy = JSON.parse(JSON.stringify(manifest)) as { signature?: Record<string, unknown> };
  if (copy.signature) delete copy.signature['value'];
  return canonicalBytes(copy);
}

/**
 * Signs a package: records the SHA-512 integrity of every file except extension.json in
 * signature.files, signs the canonical manifest with the private key, and writes the package
 * again. The key's id must equal publisher.keyId.
 */
export async function signPackage(archive: Uint8Array, privateJwk: Ed25519Jwk, engine?: Ed25519Engine): Promise<Uint8Array> {
  const files = readArchive(archive);
  const manifest = JSON.parse(fromUtf8(files.get(MANIFEST_FILE)!)) as Vib3ExtensionManifest;
  const keyId = await keyIdOf(privateJwk);
  if (manifest.publisher?.keyId !== keyId) {
    throw new Error(`publisher.keyId is ${manifest.publisher?.keyId ?? '(missing)'} but the signing key is ${keyId}; put the key's id in extension.json first.`);
  }
  const integrity: Record<string, string> = {};
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (path !== MANIFEST_FILE) integrity[path] = await sha512Integrity(bytes);
  }
  const unsigned = { ...manifest, signature: { algorithm: 'Ed25519' as const, keyId, files: integrity, value: '' } };
  const signature = await signEd25519(privateJwk, signedPayload(unsigned), engine);
  const signed = { ...unsigned, signature: { ...unsigned.signature, value: toBase64Url(signature) } };
  const out = new Map(files);
  out.set(MANIFEST_FILE, utf8(`${JSON.stringify(signed, null, 2)}\n`));
  return writeArchive(out);
}

/**
 * Verifies a package completely: canonical archive, valid manifest, a trusted key matching
 * publisher.keyId, exactly the listed files with matching SHA-512, and the Ed25519 signature.
 * Returns the first failure with a precise code (checks run from the outside in).
 */
export async function verifyPackage(archive: Uint8Array, trusted: TrustedKeys, engine?: Ed25519Engine): Promise<VerifyResult> {
  let files: PackageFiles;
  try {
    files = readArchive(archive);
  } catch (err) {
    return fail('ARCHIVE_INVALID', `The package archive is damaged: ${(err as Error).message}.`, err instanceof ArchiveError ? 'Download the package again; if it persists, the publisher must re-pack it with `vib3 ext pack`.' : 'Re-pack the extension.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fromUtf8(files.get(MANIFEST_FILE)!));
  } catch (err) {
    return fail('MANIFEST_UNREADABLE', `extension.json is not valid UTF-8 JSON: ${(err as Error).message}.`, 'The package was modified after signing; obtain it again from the publisher.', MANIFEST_FILE);
  }
  const claimed = raw as { publisher?: { keyId?: unknown }; signature?: { keyId?: unknown } };
  if (claimed?.signature && claimed.signature.keyId !== claimed.publisher?.keyId) {
    return fail('KEY_MISMATCH', `Signed with ${String(claimed.signature.keyId)} but publisher.keyId is ${String(claimed.publisher?.keyId)}.`, 'Do not install: the package claims one publisher and carries the signature of another.', MANIFEST_FILE);
  }
  // A signed manifest is checked against its signature before it is validated: a manifest changed
  // after signing is a tampered package (SIGNATURE_INVALID), not an author's mistake to lint.
  const early = await tamperedSignature(raw, trusted, engine);
  if (early) return early;
  const validation = validateManifest(raw);
  if (!validation.valid || !validation.manifest) {
    return {
      ok: false,
      code: 'MANIFEST_INVALID',
      message: 'extension.json does not pass validation.',
      suggestion: 'Run `vib3 ext lint` on the extension and fix the listed problems.',
      path: MANIFEST_FILE,
      problems: validation.problems,
    };
  }
  const manifest = raw as Vib3ExtensionManifest;
  const sig = manifest.signature;
  if (!sig) return fail('UNSIGNED', 'The package is not signed.', 'Sign it with `vib3 ext sign --key <private.jwk>`.');
  const key = trusted.get(sig.keyId);
  if (!key) return fail('UNKNOWN_KEY', `The signing key ${sig.keyId} is not trusted here.`, 'Add the publisher public key to the trusted keys (after checking it out of band), or install from a registry that vouches for it.');
  if ((await keyIdOf(key)) !== sig.keyId) return fail('UNKNOWN_KEY', `The trusted key registered as ${sig.keyId} has a different id.`, 'Fix the trust store: a key is registered under the wrong id.');
  for (const path of Object.keys(sig.files)) {
    if (!files.has(path)) return fail('FILE_MISSING', `${path} is listed in the signature but missing from the package.`, 'The package is incomplete; obtain it again.', path);
  }
  for (const [path, bytes] of files) {
    if (path === MANIFEST_FILE) continue;
    const expected = sig.files[path];
    if (!expected) return fail('FILE_UNLISTED', `${path} is in the package but not covered by the signature.`, 'The package was modified after signing; obtain it again.', path);
    if ((await sha512Integrity(bytes)) !== expected) return fail('INTEGRITY_MISMATCH', `${path} does not match its SHA-512 integrity.`, 'The file was modified after signing; obtain the package again.', path);
  }
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(sig.value);
  } catch {
    return fail('SIGNATURE_INVALID', 'signature.value is not base64url.', 'Re-sign the package.');
  }
  if (!(await verifyEd25519(key, signedPayload(manifest), signature, engine))) {
    return fail('SIGNATURE_INVALID', 'The Ed25519 signature does not match the manifest (a field was changed, or a different key signed it).', 'Obtain the package again from the publisher; do not install it.', MANIFEST_FILE);
  }
  return { ok: true, manifest: validation.manifest, files, keyId: sig.keyId };
}

/**
 * When the manifest carries a signature by a trusted key, verifies it over the manifest as it is
 * (before validation). Returns SIGNATURE_INVALID when it does not match; undefined when it matches
 * or cannot be checked yet (unsigned, unknown key, malformed signature: the later steps say why).
 */
async function tamperedSignature(raw: unknown, trusted: TrustedKeys, engine?: Ed25519Engine): Promise<VerifyResult | undefined> {
  const sig = (raw as { signature?: { keyId?: unknown; value?: unknown } } | null)?.signature;
  if (typeof sig !== 'object' || sig === null || typeof sig.keyId !== 'string' || typeof sig.value !== 'string') return undefined;
  const key = trusted.get(sig.keyId);
  if (!key || (await keyIdOf(key)) !== sig.keyId) return undefined;
  let signature: Uint8Array;
  let payload: Uint8Array;
  try {
    signature = fromBase64Url(sig.value);
    payload = signedPayload(raw as Vib3ExtensionManifest);
  } catch {
    return undefined;
  }
  if (await verifyEd25519(key, payload, signature, engine).catch(() => false)) return undefined;
  return fail('SIGNATURE_INVALID', 'extension.json was changed after it was signed: the Ed25519 signature does not match it.', 'Do not install: the package was tampered with or damaged. Obtain it again from the publisher.', MANIFEST_FILE);
}

function fail(code: VerifyFailureCode, message: string, suggestion: string, path?: string): VerifyResult {
  return path === undefined ? { ok: false, code, message, suggestion } : { ok: false, code, message, suggestion, path };
}
