import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import semverValid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import schemaV2 from './schema/extension.schema.json' with { type: 'json' };
import schemaV1 from './schema/extension.v1.schema.json' with { type: 'json' };
import type { Vib3ExtensionManifest } from './manifest.generated.js';
import { childPointer, type ManifestProblem, type ManifestProblemCode } from './problems.js';
import { migrateV1 } from './migrate.js';

/** The JSON Schema (2020-12) of the current extension.json format: the source of truth. */
export const manifestSchema: Readonly<Record<string, unknown>> = schemaV2;

/** The manifestVersion this kit writes. */
export const CURRENT_MANIFEST_VERSION = 2;
/** Every manifestVersion this kit can load (older ones are migrated forward). */
export const SUPPORTED_MANIFEST_VERSIONS = [1, 2] as const;

/** The result of validating an extension.json. */
export interface ManifestValidation {
  /** True when there is no problem of severity `error`. */
  valid: boolean;
  /** Every problem found, errors first; never just the first one. */
  problems: ManifestProblem[];
  /** The manifest in the current format (migrated if it was older); present when valid. */
  manifest?: Vib3ExtensionManifest;
  /** The manifestVersion the document was written in. */
  sourceVersion?: number;
}

// Interpreting validators (no code generation): safe under a CSP without 'unsafe-eval'.
let validators: { v1: Validator; v2: Validator } | undefined;
function getValidators() {
  validators ??= {
    v1: new Validator(schemaV1 as unknown as Schema, '2020-12', false),
    v2: new Validator(schemaV2 as unknown as Schema, '2020-12', false),
  };
  return validators;
}

/** Schema keywords that only summarise errors of their children. */
const SUMMARY_KEYWORDS = new Set(['properties', '$ref', 'items', 'prefixItems', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', 'if', 'then', 'else', 'patternProperties', 'dependentSchemas', 'unevaluatedProperties']);

/**
 * Validates an extension manifest (object or JSON text) and returns every problem with a JSON
 * pointer, a stable code and a suggestion. Manifests in an older format are validated against
 * their own schema, then migrated forward and validated again.
 */
export function validateManifest(input: unknown): ManifestValidation {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (err) {
      return fail([problem('INVALID_JSON', '', `extension.json is not valid JSON: ${(err as Error).message}`)]);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return fail([problem('NOT_AN_OBJECT', '', 'extension.json must contain a JSON object.')]);
  }
  if (typeof input !== 'string') {
    // Objects from JS callers may hold undefined, functions, cycles or BigInts: validate what
    // would actually be written to extension.json.
    try {
      doc = JSON.parse(JSON.stringify(doc)) as unknown;
    } catch (err) {
      return fail([problem('INVALID_JSON', '', `The manifest cannot be written as JSON: ${(err as Error).message}`)]);
    }
  }
  const rec = doc as Record<string, unknown>;
  const version = rec['manifestVersion'];
  if (version === 1) {
    const problems = schemaProblems(getValidators().v1, rec);
    if (problems.some((p) => p.severity === 'error')) return { valid: false, problems, sourceVersion: 1 };
    const migrated = migrateV1(rec);
    const result = validateCurrent(migrated as unknown as Record<string, unknown>);
    return { ...result, problems: [...problems, ...result.problems], sourceVersion: 1 };
  }
  if (version === CURRENT_MANIFEST_VERSION) return { ...validateCurrent(rec), sourceVersion: 2 };
  return fail([
    problem(
      version === undefined ? 'MISSING_FIELD' : 'UNSUPPORTED_MANIFEST_VERSION',
      '/manifestVersion',
      version === undefined ? 'manifestVersion is missing.' : `manifestVersion ${JSON.stringify(version)} is not supported (supported: ${SUPPORTED_MANIFEST_VERSIONS.join(', ')}).`,
    ),
  ]);
}

function validateCurrent(rec: Record<string, unknown>): ManifestValidation {
  const problems = [...schemaProblems(getValidators().v2, rec), ...semanticProblems(rec)];
  const unique = dedupe(problems);
  const valid = !unique.some((p) => p.severity === 'error');
  return valid ? { valid, problems: unique, manifest: rec as unknown as Vib3ExtensionManifest } : { valid, problems: unique };
}

function fail(problems: ManifestProblem[]): ManifestValidation {
  return { valid: false, problems };
}

function schemaProblems(validator: Validator, doc: unknown): ManifestProblem[] {
  const { errors } = validator.validate(doc);
  const out: ManifestProblem[] = [];
  for (const e of errors) {
    if (SUMMARY_KEYWORDS.has(e.keyword)) continue;
    const p = toProblem(e);
    if (p) out.push(p);
  }
  return out;
}

function toProblem(e: OutputUnit): ManifestProblem | undefined {
  const pointer = e.instanceLocation.replace(/^#/, '');
  switch (e.keyword) {
    case 'required': {
      const name = /required property "(.+)"/.exec(e.error)?.[1] ?? '?';
      return problem('MISSING_FIELD', childPointer(pointer, name), `${name} is required${pointer ? ` in ${pointer}` : ''}.`);
    }
    case 'false':
      return problem('UNKNOWN_FIELD', pointer, `${lastToken(pointer)} is not a known field here.`);
    case 'type':
      return problem('WRONG_TYPE', pointer, `${pointer || 'the document'} has the wrong type: ${e.error}`);
    case 'const':
      if (pointer === '/manifestVersion') return problem('UNSUPPORTED_MANIFEST_VERSION', pointer, 'manifestVersion does not match this schema.');
      return problem('INVALID_VALUE', pointer, `${pointer} must be exactly the allowed value.`);
    case 'enum':
      return problem('INVALID_VALUE', pointer, `${pointer} is not one of the allowed values.`);
    case 'pattern':
      return problem(patternCode(pointer), pointer, `${pointer} has an invalid format.`);
    case 'format':
      return problem(pointer.endsWith('/url') ? 'INVALID_URL' : 'INVALID_FORMAT', pointer, `${pointer}: ${e.error}`);
    case 'minLength':
      return problem('TOO_SHORT', pointer, `${pointer} is too short: ${e.error}`);
    case 'maxLength':
      return problem('TOO_LONG', pointer, `${pointer} is too long: ${e.error}`);
    case 'minItems':
    case 'minProperties':
      return problem('TOO_FEW', pointer, `${pointer || 'the document'} needs more entries: ${e.error}`);
    case 'maxItems':
    case 'maxProperties':
      return problem('TOO_MANY', pointer, `${pointer} has too many entries: ${e.error}`);
    case 'uniqueItems':
      return problem('DUPLICATE', pointer, `${pointer} contains duplicates.`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return problem('OUT_OF_RANGE', pointer, `${pointer} is out of range: ${e.error}`);
    case 'propertyNames':
      return problem(pointer.startsWith('/signature/files') ? 'INVALID_PATH' : 'INVALID_VALUE', pointer, `${pointer} has an invalid key: ${e.error}`);
    default:
      return problem('INVALID_VALUE', pointer, `${pointer}: ${e.error}`);
  }
}

/** Field-specific codes for pattern failures, so tools can react precisely. */
function patternCode(pointer: string): ManifestProblemCode {
  if (pointer === '/id') return 'INVALID_ID';
  if (pointer === '/version') return 'INVALID_VERSION';
  if (/^\/capabilities\/network\/origins\/\d+$/.test(pointer)) return 'INVALID_ORIGIN';
  if (pointer.endsWith('/keyId')) return 'INVALID_KEY_ID';
  if (pointer.startsWith('/entrypoints/') || pointer.startsWith('/signature/files')) return 'INVALID_PATH';
  if (pointer.endsWith('/url') || /\/previews\/\d+\/src$/.test(pointer)) return 'INVALID_URL';
  return 'INVALID_FORMAT';
}

/** Checks JSON Schema cannot express. */
function semanticProblems(m: Record<string, unknown>): ManifestProblem[] {
  const out: ManifestProblem[] = [];
  const version = m['version'];
  if (typeof version === 'string' && /^\d+\.\d+\.\d+/.test(version) && semverValid(version) !== version) {
    out.push(problem('VERSION_NOT_CANONICAL', '/version', `version "${version}" is not canonical semver.`));
  }
  const compat = m['compatibility'] as Record<string, unknown> | undefined;
  if (compat && typeof compat['core'] === 'string' && validRange(compat['core']) === null) {
    out.push(problem('INVALID_RANGE', '/compatibility/core', `compatibility.core "${compat['core']}" is not a semver range.`));
  }
  const features = compat?.['features'] as { required?: unknown; optional?: unknown } | undefined;
  if (Array.isArray(features?.required) && Array.isArray(features?.optional)) {
    features.optional.forEach((f, i) => {
      if ((features.required as unknown[]).includes(f)) out.push(problem('FEATURE_CONFLICT', `/compatibility/features/optional/${i}`, `feature "${String(f)}" is listed as both required and optional.`));
    });
  }
  const publisher = m['publisher'] as Record<string, unknown> | undefined;
  const signature = m['signature'] as Record<string, unknown> | undefined;
  if (signature && publisher && typeof signature['keyId'] === 'string' && typeof publisher['keyId'] === 'string' && signature['keyId'] !== publisher['keyId']) {
    out.push(problem('KEY_MISMATCH', '/signature/keyId', 'signature.keyId differs from publisher.keyId.'));
  }
  const caps = (m['capabilities'] ?? {}) as Record<string, unknown>;
  const entries = (m['entrypoints'] ?? {}) as Record<string, unknown>;
  if (typeof caps === 'object' && typeof entries === 'object') {
    // Widget UIs are data from the worker (view()), rendered by the host: no extension code runs in
    // a document, so entrypoints.ui is never loaded (kept valid for packages built before that).
    if ('ui' in entries) out.push(problem('UNUSED_ENTRYPOINT', '/entrypoints/ui', 'entrypoints.ui is never run: a widget describes its UI with view() in the worker.', 'warning', 'Remove entrypoints.ui and export view() from the worker entry (see the ui-widget template).'));
    if ('agent-tools' in caps && !('toolPack' in entries)) out.push(problem('CAPABILITY_WITHOUT_ENTRYPOINT', '/capabilities/agent-tools', 'the agent-tools capability needs entrypoints.toolPack.'));
    if ('toolPack' in entries && !('agent-tools' in caps)) out.push(problem('ENTRYPOINT_WITHOUT_CAPABILITY', '/entrypoints/toolPack', 'entrypoints.toolPack needs the agent-tools capability.'));
  }
  return out;
}

const SUGGESTIONS: Partial<Record<ManifestProblemCode, string>> = {
  INVALID_JSON: 'Fix the JSON syntax (a linter in your editor shows where).',
  NOT_AN_OBJECT: 'extension.json must be an object like { "manifestVersion": 2, "id": ... }.',
  UNSUPPORTED_MANIFEST_VERSION: 'Set "manifestVersion": 2 (run `vib3 ext create` to see a current manifest).',
  MISSING_FIELD: 'Add the field; see docs/EXTENSIONS.md for its meaning.',
  UNKNOWN_FIELD: 'Remove the field or check its spelling; unknown fields are rejected so typos do not go unnoticed.',
  WRONG_TYPE: 'Use the type the schema asks for.',
  INVALID_ID: 'Use a lowercase reverse-DNS id with at least three parts, e.g. "com.example.my-extension". Ids are permanent.',
  INVALID_VERSION: 'Use canonical semver like "1.2.3" or "1.2.3-beta.1" (no "v" prefix, no build metadata).',
  VERSION_NOT_CANONICAL: 'Write the version exactly as semver.valid() prints it, e.g. "1.2.3".',
  INVALID_RANGE: 'Use a semver range such as "^0.1.0" or ">=0.1.0 <0.3.0".',
  INVALID_ORIGIN: 'List exact origins like "https://api.example.com" or "https://api.example.com:8443": no wildcard, path or trailing slash.',
  INVALID_KEY_ID: 'Use the keyId printed by `vib3 ext keygen` ("ed25519:" + 22 characters).',
  INVALID_PATH: 'Use a relative path inside the package (no leading "/", no "..") ending in .js/.mjs (modules) or .json (tool packs).',
  INVALID_URL: 'Use an https:// URL or, for previews, a relative image path inside the package.',
  INVALID_VALUE: 'Use one of the values the schema allows.',
  INVALID_FORMAT: 'Match the documented format for this field.',
  TOO_SHORT: 'Write more: reasons must explain to a user why the capability is needed (at least 10 characters).',
  TOO_LONG: 'Shorten the text.',
  TOO_FEW: 'Add at least one entry.',
  TOO_MANY: 'Remove entries.',
  DUPLICATE: 'Remove the duplicate entries.',
  OUT_OF_RANGE: 'Use a value inside the allowed range.',
  KEY_MISMATCH: 'Sign with the key named in publisher.keyId, or update publisher.keyId.',
  CAPABILITY_WITHOUT_ENTRYPOINT: 'Add the matching entrypoint, or drop the capability.',
  ENTRYPOINT_WITHOUT_CAPABILITY: 'Request the matching capability (with a reason), or drop the entrypoint.',
  FEATURE_CONFLICT: 'List each feature flag either as required or as optional.',
};

/** Builds a problem with the default suggestion for its code. */
export function problem(code: ManifestProblemCode, pointer: string, message: string, severity: 'error' | 'warning' = 'error', suggestion?: string): ManifestProblem {
  return { severity, code, pointer, message, suggestion: suggestion ?? SUGGESTIONS[code] ?? 'See docs/EXTENSIONS.md.' };
}

function lastToken(pointer: string): string {
  return (pointer.split('/').pop() ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
}

function dedupe(problems: ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.code}|${p.pointer}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
