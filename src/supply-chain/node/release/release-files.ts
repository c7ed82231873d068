/**
 * The files of a release folder (what `npm run release` writes, what `vib3 verify-release` reads):
 *
 *   <name>-<version>.tgz        the npm tarball (`npm pack`)
 *   sbom.cdx.json              CycloneDX 1.6 JSON SBOM of what the tarball ships
 *   integrity.json             SRI (sha384) values of the tarball's browser files
 *   provenance.intoto.jsonl    one DSSE envelope per line: in-toto Statement v1, SLSA provenance v1
 *   release-key.public.jwk     the signer's public key, for convenience only: never trust it from here
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupplyChainError } from '../../errors.js';

/** File names inside a release folder. */
export const RELEASE_FILES = {
  sbom: 'sbom.cdx.json',
  integrity: 'integrity.json',
  provenance: 'provenance.intoto.jsonl',
  publicKey: 'release-key.public.jwk',
} as const;

/** A release folder read into memory. */
export interface ReleaseFolder {
  /** The tarball's file name (its provenance subject name). */
  tarballName: string;
  tarball: Uint8Array;
  sbom: Uint8Array;
  integrity: Uint8Array;
  provenance: Uint8Array;
}

/** The signed artifacts of a release by subject name: the tarball, the SBOM and the SRI manifest. */
export function releaseArtifacts(release: Omit<ReleaseFolder, 'provenance'>): Map<string, Uint8Array> {
  return new Map([
    [release.tarballName, release.tarball],
    [RELEASE_FILES.sbom, release.sbom],
    [RELEASE_FILES.integrity, release.integrity],
  ]);
}

/** Reads a release folder; throws `RELEASE_INCOMPLETE` naming what is missing (or a second tarball). */
export function readReleaseFolder(dir: string): ReleaseFolder {
  const incomplete = (message: string) => new SupplyChainError('RELEASE_INCOMPLETE', message, 'Pass the folder npm run release wrote (it holds the .tgz, sbom.cdx.json, integrity.json and provenance.intoto.jsonl), copied whole.', dir);
  if (!existsSync(dir)) throw incomplete(`${dir} does not exist.`);
  const names = readdirSync(dir);
  const tarballs = names.filter((n) => n.endsWith('.tgz'));
  if (tarballs.length !== 1) throw incomplete(tarballs.length ? `${dir} holds ${tarballs.length} tarballs (${tarballs.join(', ')}); a release has one.` : `${dir} holds no .tgz tarball.`);
  const missing = [RELEASE_FILES.sbom, RELEASE_FILES.integrity, RELEASE_FILES.provenance].filter((n) => !names.includes(n));
  if (missing.length) throw incomplete(`${dir} has no ${missing.join(', ')}.`);
  const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  return { tarballName: tarballs[0]!, tarball: read(tarballs[0]!), sbom: read(RELEASE_FILES.sbom), integrity: read(RELEASE_FILES.integrity), provenance: read(RELEASE_FILES.provenance) };
}
