/**
 * in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
 * with an SLSA Provenance v1 predicate (https://slsa.dev/spec/v1.0/provenance): the types, a
 * builder and a strict reader. Browser-safe.
 */
import { fromUtf8, utf8 } from '../extensions/signing/encoding.js';
import { SupplyChainError } from './errors.js';

/** `_type` of an in-toto Statement v1. */
export const STATEMENT_TYPE_V1 = 'https://in-toto.io/Statement/v1';
/** `predicateType` of SLSA Provenance v1. */
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** An in-toto ResourceDescriptor: an artifact by name / URI and its digests (lowercase hex by algorithm). */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  mediaType?: string;
  annotations?: Record<string, unknown>;
}

/** SLSA Provenance v1: how an artifact was built, by which builder, from what. */
export interface SlsaProvenanceV1 {
  buildDefinition: {
    /** URI naming the build's template (what externalParameters mean). */
    buildType: string;
    /** The inputs a user controls (command, source, options). */
    externalParameters: Record<string, unknown>;
    /** Inputs the builder sets itself (tool versions, platform). */
    internalParameters?: Record<string, unknown>;
    /** Materials: the source commit, the lockfile, bundled dependencies. */
    resolvedDependencies?: ResourceDescriptor[];
  };
  runDetails: {
    builder: { id: string; version?: Record<string, string>; builderDependencies?: ResourceDescriptor[] };
    metadata?: { invocationId?: string; startedOn?: string; finishedOn?: string };
    byproducts?: ResourceDescriptor[];
  };
}

/** An in-toto Statement v1 with its subjects and predicate. */
export interface Statement<P = SlsaProvenanceV1> {
  _type: typeof STATEMENT_TYPE_V1;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: P;
}

/** Builds a provenance statement (subjects need a `name` and at least one digest). */
export function provenanceStatement(subject: ResourceDescriptor[], predicate: SlsaProvenanceV1): Statement {
  return { _type: STATEMENT_TYPE_V1, subject, predicateType: SLSA_PROVENANCE_V1, predicate };
}

/** The UTF-8 JSON bytes of a statement (the DSSE payload). */
export function statementBytes(statement: Statement): Uint8Array {
  return utf8(JSON.stringify(statement));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a DSSE payload as an SLSA provenance v1 statement; throws `PROVENANCE_MALFORMED` with the
 * first thing missing (statement type, predicate type, subjects with name and digest, builder id).
 */
export function readProvenanceStatement(payload: Uint8Array): Statement {
  const bad = (what: string) => new SupplyChainError('PROVENANCE_MALFORMED', `The provenance statement ${what}.`, 'Regenerate it with `vib3 ext sign` (extensions) or `npm run release` (the kit).');
  let doc: unknown;
  try {
    doc = JSON.parse(fromUtf8(payload));
  } catch {
    throw bad('is not UTF-8 JSON');
  }
  if (!isRecord(doc) || doc['_type'] !== STATEMENT_TYPE_V1) throw bad(`is not an in-toto Statement v1 (_type must be ${STATEMENT_TYPE_V1})`);
  if (doc['predicateType'] !== SLSA_PROVENANCE_V1) throw bad(`is not SLSA provenance v1 (predicateType must be ${SLSA_PROVENANCE_V1})`);
  const subject = doc['subject'];
  if (!Array.isArray(subject) || subject.length === 0) throw bad('has no subject');
  for (const s of subject) {
    if (!isRecord(s) || typeof s['name'] !== 'string' || !isRecord(s['digest']) || Object.keys(s['digest']).length === 0) throw bad('has a subject without name or digest');
    for (const v of Object.values(s['digest'])) if (typeof v !== 'string' || !/^[0-9a-fA-F]+$/.test(v)) throw bad(`has a non-hex digest for ${String(s['name'])}`);
  }
  const predicate = doc['predicate'];
  if (!isRecord(predicate) || !isRecord(predicate['buildDefinition']) || typeof predicate['buildDefinition']['buildType'] !== 'string') throw bad('has no buildDefinition.buildType');
  if (!isRecord(predicate['buildDefinition']['externalParameters'])) throw bad('has no buildDefinition.externalParameters');
  const run = predicate['runDetails'];
  if (!isRecord(run) || !isRecord(run['builder']) || typeof run['builder']['id'] !== 'string' || !run['builder']['id']) throw bad('has no runDetails.builder.id');
  return doc as unknown as Statement;
}
