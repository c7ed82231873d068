/**
 * The supply-chain files of an extension package and the checks the installer, the registry and
 * `vib3 ext verify --provenance` share: the SBOM of the shipped bundle (`vib3 ext build` writes
 * `dist/sbom.cdx.json`) and the signed provenance (`vib3 ext sign` adds `provenance.intoto.json`).
 * Both are package files, so the package signature covers them too. Browser-safe.
 */
import type { PackageFiles } from '../extensions/signing/archive.js';
import { fromUtf8 } from '../extensions/signing/encoding.js';
import type { TrustedKeyMap } from './dsse.js';
import { SupplyChainError } from './errors.js';
import { verifyProvenance } from './provenance.js';
import { checkSbomFiles, readSbom } from './sbom-files.js';

/** Where a package's SBOM may be: `dist/sbom.cdx.json` (what `vib3 ext build` writes) or the package root. */
export const SBOM_PATHS = ['dist/sbom.cdx.json', 'sbom.cdx.json'] as const;
/** Where a package's provenance envelope is (added by `vib3 ext sign`). */
export const PROVENANCE_PATH = 'provenance.intoto.json';
/** The package's own manifest (covered by the package signature, not by the provenance). */
const MANIFEST = 'extension.json';

/** What a host or installer requires of a package's supply-chain files. */
export interface SupplyChainPolicy {
  /** Refuse packages without an SBOM of their shipped bundle. */
  requireSbom?: boolean;
  /** Refuse packages without a signed provenance statement. */
  requireProvenance?: boolean;
  /** Builder ids accepted (exact, or a prefix ending in `*`); implies requireProvenance. */
  allowedBuilders?: readonly string[];
}

/** What a package says about its supply chain, once checked. */
export interface SupplyChainSummary {
  sbom: { path: string; components: number; files: number } | null;
  provenance: { builderId: string; keyId: string; subjects: number; buildType: string } | null;
}

/** Shipped code an SBOM must describe. */
export const isShippedCode = (path: string) => /\.(m?js|cjs|wasm)$/.test(path);

/** The path of the package's SBOM, or undefined. */
export function sbomPathOf(files: PackageFiles): string | undefined {
  return SBOM_PATHS.find((p) => files.has(p));
}

/** The artifacts a package's provenance attests: every file but extension.json and the provenance itself. */
export function provenanceArtifacts(files: PackageFiles): Map<string, Uint8Array> {
  return new Map([...files].filter(([p]) => p !== MANIFEST && p !== PROVENANCE_PATH));
}

/**
 * Checks a package's SBOM and provenance: each, when present, must be valid for the package's files
 * (an SBOM that lists other files, a provenance with other digests or by an untrusted key is refused
 * even when not required); then the policy's requirements. `trusted` holds the keys that may sign
 * provenance (the publisher's). Throws a coded {@link SupplyChainError}.
 */
export async function checkExtensionSupplyChain(files: PackageFiles, trusted: TrustedKeyMap, policy: SupplyChainPolicy = {}): Promise<SupplyChainSummary> {
  const summary: SupplyChainSummary = { sbom: null, provenance: null };
  const sbomPath = sbomPathOf(files);
  if (sbomPath) {
    const sbom = readSbom(files.get(sbomPath)!, sbomPath);
    await checkSbomFiles(sbom, files, isShippedCode);
    summary.sbom = { path: sbomPath, components: sbom.components.filter((c) => c.type !== 'file').length, files: sbom.files.size };
  } else if (policy.requireSbom) {
    throw new SupplyChainError('SBOM_REQUIRED', 'The package carries no SBOM, and this installation requires one.', 'Ask the publisher for a build with an SBOM (vib3 ext build writes dist/sbom.cdx.json), or lift the requirement.');
  }
  const raw = files.get(PROVENANCE_PATH);
  if (raw) {
    let envelope: unknown;
    try {
      envelope = JSON.parse(fromUtf8(raw));
    } catch {
      throw new SupplyChainError('PROVENANCE_MALFORMED', `${PROVENANCE_PATH} is not JSON.`, 'Re-sign the package with vib3 ext sign.', PROVENANCE_PATH);
    }
    const verified = await verifyProvenance(envelope, provenanceArtifacts(files), { trusted, exact: true, ...(policy.allowedBuilders ? { allowedBuilders: policy.allowedBuilders } : {}) });
    summary.provenance = { builderId: verified.builderId, keyId: verified.keyId, subjects: verified.statement.subject.length, buildType: verified.statement.predicate.buildDefinition.buildType };
  } else if (policy.requireProvenance || (policy.allowedBuilders && policy.allowedBuilders.length > 0)) {
    throw new SupplyChainError('PROVENANCE_REQUIRED', 'The package carries no provenance statement, and this installation requires one.', 'Ask the publisher for a package signed with provenance (vib3 ext sign adds it), or lift the requirement.');
  }
  return summary;
}
