/**
 * The SLSA Provenance v1 predicate of a kit release: which builder ran which command on which
 * source commit, with which tools, from which lockfile.
 */
import type { ResourceDescriptor, SlsaProvenanceV1 } from '../../statement.js';
import type { GitSource } from '../git-source.js';

/** `buildDefinition.buildType` of a kit release (what the external parameters mean). */
export const RELEASE_BUILD_TYPE = 'https://vib3.dev/slsa/release/v1';
/** The builder id when `VIB3_BUILDER_ID` is not set: a person's machine running `npm run release`. */
export const DEFAULT_BUILDER_ID = 'https://vib3.dev/builders/local-release/v1';
/** The command the provenance names. */
export const RELEASE_COMMAND = 'npm run release';

/** What the predicate records. */
export interface ReleasePredicateInput {
  /** The source commit, when the project is a git work tree. */
  source?: GitSource;
  /** package.json `repository` URL, used when git has no `origin` remote. */
  repository?: string;
  /** SHA-256 (hex) of package-lock.json, when there is one. */
  lockfileSha256?: string;
  tools: { node: string; npm: string };
  platform: string;
  /** Builder id (CI sets VIB3_BUILDER_ID to its own). */
  builderId: string;
  invocationId: string;
  startedOn: Date;
  finishedOn: Date;
}

/** The predicate (resolvedDependencies: the git commit, package-lock.json). */
export function releasePredicate(input: ReleasePredicateInput): SlsaProvenanceV1 {
  const repository = input.source?.repository ?? input.repository;
  const materials: ResourceDescriptor[] = [];
  if (input.source) {
    materials.push({ ...(repository ? { uri: `git+${repository.replace(/^git\+/, '')}@${input.source.commit}` } : { name: 'source' }), digest: { gitCommit: input.source.commit } });
  }
  if (input.lockfileSha256) materials.push({ name: 'package-lock.json', digest: { sha256: input.lockfileSha256 } });
  return {
    buildDefinition: {
      buildType: RELEASE_BUILD_TYPE,
      externalParameters: {
        command: RELEASE_COMMAND,
        source: { ...(repository ? { repository } : {}), ...(input.source ? { commit: input.source.commit } : {}) },
      },
      internalParameters: { node: input.tools.node, npm: input.tools.npm, platform: input.platform, ...(input.source ? { dirty: input.source.dirty } : {}) },
      resolvedDependencies: materials,
    },
    runDetails: {
      builder: { id: input.builderId },
      metadata: { invocationId: input.invocationId, startedOn: input.startedOn.toISOString(), finishedOn: input.finishedOn.toISOString() },
    },
  };
}
