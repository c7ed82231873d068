/**
 * The package's own checks: SIGNATURE (Ed25519 over the canonical manifest, by a trusted key when
 * keys are given), INTEGRITY (exactly the signed files, each with its SHA-512), MANIFEST (the JSON
 * Schema and coherence rules, and every entrypoint present) and SBOM (a CycloneDX SBOM shipped in
 * the package, describing its shipped code).
 */
import { validateManifest } from '../manifest/validate.js';
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import { keyIdOf, verifyEd25519 } from '../signing/ed25519.js';
import { fromBase64Url, fromUtf8 } from '../signing/encoding.js';
import { sha512Integrity } from '../signing/integrity.js';
import { MANIFEST_FILE, signedPayload } from '../signing/package.js';
import { failed, isRecord, listSome, pass, type CheckInput, type Outcome } from './types.js';
import { readSbom, checkSbomFiles } from '../../supply-chain/sbom-files.js';
import { isShippedCode, sbomPathOf } from '../../supply-chain/extension-artifacts.js';
import { SupplyChainError } from '../../supply-chain/errors.js';

const SIGNATURE_VALUE = /^[A-Za-z0-9_-]{86}$/;
const UNREADABLE = (input: CheckInput) => failed(`Not checked: extension.json cannot be read (${input.manifestError ?? 'missing'}).`, 'Fix extension.json (vib3 ext lint), then pack and sign the package again.', MANIFEST_FILE);

/** SIGNATURE: present and well-formed; verified when trusted keys are given. */
export async function checkSignature(input: CheckInput): Promise<Outcome> {
  const m = input.manifest;
  if (!m) return UNREADABLE(input);
  const sig = m['signature'];
  const publisherKey = isRecord(m['publisher']) ? m['publisher']['keyId'] : undefined;
  if (!isRecord(sig)) return failed('The package is not signed.', 'Sign it: vib3 ext sign <pkg.vib3x> --key <private.jwk>.', MANIFEST_FILE);
  if (sig['algorithm'] !== 'Ed25519' || typeof sig['keyId'] !== 'string' || typeof sig['value'] !== 'string' || !SIGNATURE_VALUE.test(sig['value'])) {
    return failed('signature is malformed (it needs algorithm Ed25519, a keyId and an 86-character base64url value).', 'Sign the package again with vib3 ext sign; never edit the signature by hand.', MANIFEST_FILE);
  }
  if (sig['keyId'] !== publisherKey) {
    return failed(`Signed with ${sig['keyId']} but publisher.keyId is ${String(publisherKey)}.`, 'Sign with the key named in publisher.keyId (the package claims one publisher and carries the signature of another).', MANIFEST_FILE);
  }
  const keys = input.options.trustedKeys;
  if (!keys) return pass(`Signed by ${sig['keyId']} (present and well-formed; not verified: no trusted key was given).`, MANIFEST_FILE);
  const key = keys.get(sig['keyId']);
  if (!key || (await keyIdOf(key).catch(() => '')) !== sig['keyId']) {
    return failed(`The signing key ${sig['keyId']} is not among the trusted keys.`, 'Pass the publisher\'s public key (--trust PUBLIC.jwk), or register it with the registry.', MANIFEST_FILE);
  }
  let valid = false;
  try {
    valid = await verifyEd25519(key, signedPayload(m as unknown as Vib3ExtensionManifest), fromBase64Url(sig['value']));
  } catch {
    valid = false;
  }
  return valid
    ? pass(`Signed by ${sig['keyId']}: the Ed25519 signature verifies.`, MANIFEST_FILE)
    : failed('The Ed25519 signature does not match extension.json (it was changed after signing, or another key signed it).', 'Sign the package again with vib3 ext sign; do not distribute this copy.', MANIFEST_FILE);
}

/** INTEGRITY: the signed file list and the package's files agree, and every SHA-512 matches. */
export async function checkIntegrity(input: CheckInput): Promise<Outcome> {
  const m = input.manifest;
  if (!m) return UNREADABLE(input);
  const listed = isRecord(m['signature']) ? m['signature']['files'] : undefined;
  if (!isRecord(listed)) return failed('There is no signed file list (signature.files) to check the files against.', 'Sign the package: vib3 ext sign records the SHA-512 of every file.', MANIFEST_FILE);
  const bad: Array<{ path: string; why: string }> = [];
  for (const path of Object.keys(listed)) if (!input.files.has(path)) bad.push({ path, why: 'listed in the signature but missing' });
  for (const [path, bytes] of input.files) {
    if (path === MANIFEST_FILE) continue;
    const expected = listed[path];
    if (typeof expected !== 'string') bad.push({ path, why: 'in the package but not covered by the signature' });
    else if ((await sha512Integrity(bytes)) !== expected) bad.push({ path, why: 'does not match its SHA-512' });
  }
  if (bad.length === 0) return pass(`All ${input.files.size - 1} files match their signed SHA-512.`);
  return failed(`${bad.length} file${bad.length === 1 ? '' : 's'} fail integrity: ${listSome(bad.map((b) => `${b.path} ${b.why}`))}.`, 'The package was modified after signing: pack and sign it again from the sources.', bad[0]!.path);
}

/** MANIFEST: the schema (every problem) plus each entrypoint present in the package. */
export function checkManifest(input: CheckInput): Outcome {
  const m = input.manifest;
  if (!m) return failed(`extension.json cannot be read: ${input.manifestError ?? 'missing'}.`, 'Write extension.json as UTF-8 JSON (see docs/EXTENSIONS.md).', MANIFEST_FILE);
  const result = validateManifest(m);
  const problems = result.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.pointer || '/'}: ${p.message}`);
  const entrypoints = isRecord(m['entrypoints']) ? m['entrypoints'] : {};
  for (const [name, path] of Object.entries(entrypoints)) {
    if (name !== 'ui' && typeof path === 'string' && !input.files.has(path)) problems.push(`ENTRYPOINT_MISSING /entrypoints/${name}: ${path} is not in the package.`);
  }
  if (problems.length === 0) return pass(`extension.json is valid (manifestVersion ${String(m['manifestVersion'])}) and every entrypoint is in the package.`, MANIFEST_FILE);
  return failed(`${problems.length} problem${problems.length === 1 ? '' : 's'}: ${listSome(problems)}.`, 'Run vib3 ext lint for every problem with a suggestion; build before packing (vib3 ext build).', MANIFEST_FILE);
}

/**
 * SBOM (advisory): a CycloneDX JSON SBOM in the package that describes its shipped code — every
 * `file` component shipped with its SHA-256, every .js/.mjs/.cjs/.wasm file listed (what
 * `vib3 ext build` writes; the registry refuses a package whose SBOM disagrees with its files).
 */
export async function checkSbom(input: CheckInput): Promise<Outcome> {
  const path = sbomPathOf(input.files);
  if (!path) return failed('The package carries no SBOM (dist/sbom.cdx.json or sbom.cdx.json).', 'Build with vib3 ext build: it writes the SBOM of the bundle to dist/sbom.cdx.json, which vib3 ext pack ships.');
  try {
    const sbom = readSbom(input.files.get(path)!, path);
    await checkSbomFiles(sbom, input.files, isShippedCode);
    const components = sbom.components.filter((c) => c.type !== 'file').length;
    return pass(`${path}: CycloneDX ${sbom.specVersion} with ${components} bundled component${components === 1 ? '' : 's'}, describing the ${sbom.files.size} shipped file${sbom.files.size === 1 ? '' : 's'} it lists.`, path);
  } catch (err) {
    if (!(err instanceof SupplyChainError)) throw err;
    return failed(err.message, err.code === 'SBOM_MALFORMED' ? 'Generate it with vib3 ext build (CycloneDX JSON, bomFormat "CycloneDX", specVersion "1.6").' : 'Run vib3 ext build again so the SBOM describes exactly the code you ship, then pack and sign.', err.path ?? path);
  }
}
