/**
 * The provenance `vib3 ext sign` adds to a package before signing it: an SLSA v1 statement whose
 * subjects are every package file (but extension.json and the statement itself), whose materials
 * are the source commit (git, when the source folder is a work tree) and the bundled packages the
 * SBOM lists, signed in a DSSE envelope with the publisher key. The package signature then covers
 * the statement too. With `SOURCE_DATE_EPOCH` set its times are that instant and it carries no
 * invocation id, so re-signing the same package from the same commit gives the same bytes.
 */
import { randomUUID } from 'node:crypto';
import { readArchive, writeArchive } from '../../extensions/signing/archive.js';
import type { Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { fromUtf8, utf8 } from '../../extensions/signing/encoding.js';
import { MANIFEST_FILE } from '../../extensions/signing/package.js';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { PROVENANCE_PATH, provenanceArtifacts, sbomPathOf } from '../extension-artifacts.js';
import { signProvenance } from '../provenance.js';
import type { ResourceDescriptor, SlsaProvenanceV1 } from '../statement.js';
import { buildTime } from './cyclonedx.js';
import { gitSource } from './git-source.js';

/** The build type of extension provenance (what its externalParameters mean: docs/SUPPLY-CHAIN.md). */
export const EXTENSION_BUILD_TYPE = 'https://vib3.dev/slsa/extension/v1';
/** The builder id a local `vib3 ext sign` records unless told otherwise. */
export const LOCAL_BUILDER_ID = 'https://vib3.dev/builders/local-cli/v1';

/** Options of {@link addProvenance}. */
export interface ProvenanceOptions {
  /** `runDetails.builder.id` (e.g. a CI's builder id); default {@link LOCAL_BUILDER_ID}. */
  builderId?: string;
  /** The kit version doing the signing. */
  kitVersion: string;
  /** The folder whose git work tree is the source (default: none recorded). */
  sourceDir?: string;
}

interface SbomDoc {
  metadata?: { timestamp?: string };
  components?: { type: string; purl?: string; hashes?: { alg: string; content: string }[] }[];
}

/** Materials from the package's SBOM: the bundled packages (purl + SHA-512). */
function bundledMaterials(sbom: SbomDoc | undefined): ResourceDescriptor[] {
  const deps: ResourceDescriptor[] = [];
  for (const c of sbom?.components ?? []) {
    if (c.type === 'file' || !c.purl) continue;
    const sha512 = c.hashes?.find((h) => h.alg === 'SHA-512')?.content;
    deps.push({ uri: c.purl, ...(sha512 ? { digest: { sha512 } } : {}) });
  }
  return deps;
}

/** Returns the package with `provenance.intoto.json` added (or replaced); the caller signs it next. */
export async function addProvenance(archive: Uint8Array, privateJwk: Ed25519Jwk, opts: ProvenanceOptions): Promise<{ archive: Uint8Array; builderId: string; subjects: number }> {
  const files = readArchive(archive);
  files.delete(PROVENANCE_PATH);
  const manifest = JSON.parse(fromUtf8(files.get(MANIFEST_FILE)!)) as Vib3ExtensionManifest;
  const sbomPath = sbomPathOf(files);
  const sbom = sbomPath ? (JSON.parse(fromUtf8(files.get(sbomPath)!)) as SbomDoc) : undefined;
  const source = opts.sourceDir ? gitSource(opts.sourceDir) : undefined;
  const deps = [...(source ? [{ uri: `git+${source.repository ?? 'local'}@${source.commit}`, digest: { gitCommit: source.commit } }] : []), ...bundledMaterials(sbom)];
  const reproducible = !!process.env['SOURCE_DATE_EPOCH'];
  const now = buildTime().toISOString();
  const builderId = opts.builderId ?? LOCAL_BUILDER_ID;
  const predicate: SlsaProvenanceV1 = {
    buildDefinition: {
      buildType: EXTENSION_BUILD_TYPE,
      externalParameters: { extension: { id: manifest.id, version: manifest.version }, command: 'vib3 ext build && vib3 ext pack && vib3 ext sign', ...(source ? { source } : {}) },
      internalParameters: { vib3: opts.kitVersion, node: process.version, platform: `${process.platform}-${process.arch}` },
      resolvedDependencies: deps,
    },
    runDetails: {
      builder: { id: builderId, version: { 'vib3-embed': opts.kitVersion } },
      metadata: { ...(reproducible ? {} : { invocationId: randomUUID() }), startedOn: sbom?.metadata?.timestamp ?? now, finishedOn: now },
    },
  };
  const artifacts = provenanceArtifacts(files);
  const { envelope } = await signProvenance(artifacts, predicate, privateJwk);
  files.set(PROVENANCE_PATH, utf8(`${JSON.stringify(envelope, null, 2)}\n`));
  return { archive: writeArchive(files), builderId, subjects: artifacts.size };
}
