/**
 * Compliance checks of an extension package (docs/MARKETPLACE-POLICY.md): what `vib3 ext
 * compliance` prints and what the registry runs at publish. Browser-safe (WebCrypto, no node:
 * imports, no eval).
 *
 * | code                 | required | checks |
 * |----------------------|----------|--------|
 * | `SIGNATURE`          | yes | signed by publisher.keyId; verified when trusted keys are given, else only present |
 * | `INTEGRITY`          | yes | exactly the signed files, each with its SHA-512 |
 * | `MANIFEST`           | yes | extension.json passes the schema and coherence rules; entrypoints are in the package |
 * | `CAPABILITY_REASONS` | yes | every capability has a real reason (no placeholder) |
 * | `NO_EVAL`            | yes | no eval / Function / string timers in any .js, .mjs or .cjs file |
 * | `LISTING`            | no  | title, summary, categories, pricing model (and price when not free) |
 * | `PREVIEW`            | no  | a PNG/JPEG/WebP/GIF preview in the package, at least 640×360 |
 * | `PRIVACY`            | no  | with `network`: a privacy section in README.md naming every origin |
 * | `SBOM`               | no  | a CycloneDX `sbom.cdx.json` in the package that lists every shipped code file with its SHA-256 |
 */
import { ArchiveError, readArchive, type PackageFiles } from '../signing/archive.js';
import { fromUtf8 } from '../signing/encoding.js';
import { MANIFEST_FILE } from '../signing/package.js';
import { findEvalUses } from './js-scan.js';
import { checkCapabilityReasons, checkListing, checkPreview, checkPrivacy } from './listing-checks.js';
import { checkIntegrity, checkManifest, checkSbom, checkSignature } from './package-checks.js';
import { COMPLIANCE_CODES, REQUIRED_CHECKS, failed, isRecord, listSome, pass, type CheckInput, type ComplianceCheck, type ComplianceCode, type ComplianceOptions, type ComplianceReport, type Outcome } from './types.js';

export { COMPLIANCE_CODES, REQUIRED_CHECKS, PREVIEW_MIN_HEIGHT, PREVIEW_MIN_WIDTH, type ComplianceCheck, type ComplianceCode, type ComplianceOptions, type ComplianceReport } from './types.js';
export { findEvalUses, type EvalFinding } from './js-scan.js';
export { imageInfo, type ImageInfo } from './images.js';
export { privacySection } from './listing-checks.js';

const JS_FILE = /\.(m|c)?js$/i;

/** NO_EVAL: no run-time code compilation in any JavaScript file of the package. */
function checkNoEval(input: CheckInput): Outcome {
  const found: string[] = [];
  let first: string | undefined;
  let scanned = 0;
  for (const [path, bytes] of input.files) {
    if (!JS_FILE.test(path)) continue;
    scanned++;
    let src: string;
    try {
      src = fromUtf8(bytes);
    } catch {
      src = new TextDecoder().decode(bytes);
    }
    for (const f of findEvalUses(src)) {
      first ??= path;
      found.push(`${path}:${f.line}:${f.column} ${f.what}`);
    }
  }
  if (found.length === 0) return pass(`No eval, Function constructor or string timer in ${scanned} JavaScript file${scanned === 1 ? '' : 's'}.`);
  return failed(`Code compiled from strings at run time: ${listSome(found)}.`, 'Remove eval / new Function / string timers (pass a function to setTimeout); the sandbox forbids them anyway (no unsafe-eval in its CSP). If a dependency does it, replace or configure it.', first);
}

const CHECKS: Record<ComplianceCode, (input: CheckInput) => Outcome | Promise<Outcome>> = {
  SIGNATURE: checkSignature,
  INTEGRITY: checkIntegrity,
  MANIFEST: checkManifest,
  CAPABILITY_REASONS: checkCapabilityReasons,
  NO_EVAL: checkNoEval,
  LISTING: checkListing,
  PREVIEW: checkPreview,
  PRIVACY: checkPrivacy,
  SBOM: checkSbom,
};

function report(outcomes: Array<[ComplianceCode, Outcome]>): ComplianceReport {
  const checks: ComplianceCheck[] = outcomes.map(([code, o]) => ({ code, required: REQUIRED_CHECKS.has(code), ...o }));
  return { ok: checks.every((c) => c.ok || !c.required), checks };
}

/**
 * Runs every check on the files of a package (or of an unpacked extension folder: what
 * `vib3 ext pack` would put in it; an unsigned folder fails SIGNATURE and INTEGRITY).
 */
export async function checkComplianceFiles(files: PackageFiles, options: ComplianceOptions = {}): Promise<ComplianceReport> {
  const input: CheckInput = { files, manifest: undefined, options };
  const raw = files.get(MANIFEST_FILE);
  if (!raw) input.manifestError = 'there is no extension.json';
  else {
    try {
      const parsed: unknown = JSON.parse(fromUtf8(raw));
      if (isRecord(parsed)) input.manifest = parsed;
      else input.manifestError = 'it is not a JSON object';
    } catch (err) {
      input.manifestError = `not UTF-8 JSON: ${(err as Error).message}`;
    }
  }
  const outcomes: Array<[ComplianceCode, Outcome]> = [];
  for (const code of COMPLIANCE_CODES) outcomes.push([code, await CHECKS[code](input)]);
  return report(outcomes);
}

/**
 * Runs every check on a package's bytes. A damaged or non-canonical archive fails INTEGRITY, and
 * every other check is reported as not run.
 */
export async function checkCompliance(pkgBytes: Uint8Array, options: ComplianceOptions = {}): Promise<ComplianceReport> {
  let files: PackageFiles;
  try {
    files = readArchive(pkgBytes);
  } catch (err) {
    const why = err instanceof ArchiveError ? err.message : String(err);
    const broken = failed(`The package archive cannot be read: ${why}.`, 'Pack it again with vib3 ext pack and sign it; if it was downloaded, download it again.');
    const notRun = failed('Not checked: the package archive cannot be read.', 'Fix the archive first (INTEGRITY).');
    return report(COMPLIANCE_CODES.map((code) => [code, code === 'INTEGRITY' ? broken : notRun]));
  }
  return checkComplianceFiles(files, options);
}
