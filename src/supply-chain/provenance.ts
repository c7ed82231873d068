/**
 * Signed provenance: an SLSA v1 statement in a DSSE envelope, created for a set of artifacts and
 * verified against them (every digest equal, optionally exactly the same set of names) and
 * against the builders a policy allows. Browser-safe.
 */
import type { Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { IN_TOTO_PAYLOAD_TYPE, openEnvelope, signEnvelope, type DsseEnvelope, type TrustedKeyMap } from './dsse.js';
import { provenanceStatement, readProvenanceStatement, statementBytes, type ResourceDescriptor, type SlsaProvenanceV1, type Statement } from './statement.js';
import { hexDigest, sameHex } from './digest.js';
import { SupplyChainError } from './errors.js';

/** Artifacts by name (a package path, a tarball file name) and their bytes. */
export type Artifacts = ReadonlyMap<string, Uint8Array>;

/** Subjects for `artifacts`: name + sha256 and sha512 (hex), sorted by name. */
export async function subjectsOf(artifacts: Artifacts): Promise<ResourceDescriptor[]> {
  const names = [...artifacts.keys()].sort();
  return Promise.all(names.map(async (name) => ({ name, digest: { sha256: await hexDigest('SHA-256', artifacts.get(name)!), sha512: await hexDigest('SHA-512', artifacts.get(name)!) } })));
}

/** Creates the signed provenance envelope of `artifacts`. */
export async function signProvenance(artifacts: Artifacts, predicate: SlsaProvenanceV1, privateJwk: Ed25519Jwk): Promise<{ envelope: DsseEnvelope; statement: Statement }> {
  const statement = provenanceStatement(await subjectsOf(artifacts), predicate);
  return { envelope: await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(statement), privateJwk), statement };
}

/** What {@link verifyProvenance} checks besides the signature. */
export interface ProvenancePolicy {
  /** Keys that may sign the provenance, by keyId. */
  trusted: TrustedKeyMap;
  /** Builder ids accepted (`runDetails.builder.id`): exact, or a prefix ending in `*`. Empty or absent: any. */
  allowedBuilders?: readonly string[];
  /** When true, the subjects must name exactly the artifacts (none missing, none extra). */
  exact?: boolean;
}

/** A verified provenance. */
export interface VerifiedProvenance {
  statement: Statement;
  keyId: string;
  builderId: string;
}

/** Whether `builderId` is allowed by the list (exact ids, or prefixes written `https://…/*`). */
export function builderAllowed(builderId: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  return allowed.some((a) => (a.endsWith('*') ? builderId.startsWith(a.slice(0, -1)) : builderId === a));
}

/**
 * Verifies a provenance envelope for `artifacts`: DSSE signature by a trusted key, a well-formed
 * SLSA v1 statement, every artifact a subject with equal digests (sha256 and sha512 where given),
 * and an allowed builder. Throws a coded {@link SupplyChainError}.
 */
export async function verifyProvenance(envelope: unknown, artifacts: Artifacts, policy: ProvenancePolicy): Promise<VerifiedProvenance> {
  const opened = await openEnvelope(envelope, policy.trusted);
  const statement = readProvenanceStatement(opened.payload);
  const byName = new Map(statement.subject.map((s) => [s.name!, s]));
  for (const [name, bytes] of artifacts) {
    const subject = byName.get(name);
    if (!subject) throw new SupplyChainError('PROVENANCE_SUBJECT_MISMATCH', `${name} is not a subject of the provenance.`, 'The artifact was added after the provenance was made; rebuild and re-sign it.', name);
    const d = subject.digest!;
    if (!d['sha256'] && !d['sha512']) throw new SupplyChainError('PROVENANCE_SUBJECT_MISMATCH', `The subject ${name} has neither a sha256 nor a sha512 digest.`, 'Regenerate the provenance.', name);
    if ((d['sha256'] && !sameHex(d['sha256'], await hexDigest('SHA-256', bytes))) || (d['sha512'] && !sameHex(d['sha512'], await hexDigest('SHA-512', bytes)))) {
      throw new SupplyChainError('PROVENANCE_SUBJECT_MISMATCH', `${name} does not match its digest in the provenance.`, 'The artifact changed after it was built and attested; do not use it. Obtain it again from its publisher.', name);
    }
  }
  if (policy.exact) {
    const extra = statement.subject.map((s) => s.name!).filter((n) => !artifacts.has(n));
    if (extra.length) throw new SupplyChainError('PROVENANCE_SUBJECT_MISMATCH', `The provenance names artifacts that are not here: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}.`, 'The artifact set is incomplete or the provenance belongs to another build.', extra[0]);
  }
  const builderId = statement.predicate.runDetails.builder.id;
  if (!builderAllowed(builderId, policy.allowedBuilders)) {
    throw new SupplyChainError('BUILDER_NOT_ALLOWED', `Built by ${builderId}, which the policy does not allow (allowed: ${policy.allowedBuilders!.join(', ')}).`, 'Install a build from an allowed builder, or add this builder to the allowed list after checking it.');
  }
  return { statement, keyId: opened.keyId, builderId };
}
