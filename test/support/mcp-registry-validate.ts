// The MCP Registry's two validation steps for POST /v0/publish, as the official registry's code
// runs them (github.com/modelcontextprotocol/registry; API pinned at
// 8f8fc8980168ed973b6105cd1e62942d7a721e10, 2025-11-30):
// 1. huma's request validation of the ServerJSON struct (pkg/api/v0/types.go: required fields,
//    lengths, the name pattern, uri formats, no unknown properties) → 422 "validation failed",
//    one error per problem with huma's message, `location` ("body.name") and `value`;
// 2. the service's checks (internal/validators/validators.go: publisher metadata ≤ 4 KB, the
//    $schema version, reserved versions; and the whole document against the published
//    server.json schema, which later registry versions run in internal/validators/schema.go)
//    → 400 "Failed to publish server" with the problem as the error message.
// The schema, and with it the accepted $schema version, is the one the prepare side vendors:
// src/listings/partners/schema/server.schema.json.
import { readFileSync } from 'node:fs';
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';

const SCHEMA = JSON.parse(readFileSync(new URL('../../src/listings/partners/schema/server.schema.json', import.meta.url), 'utf8')) as { $id: string };
/** The schema version the fake accepts (the vendored schema's, from its `$id`). */
export const CURRENT_SCHEMA_VERSION = /schemas\/([^/]+)\/server\.schema\.json$/.exec(SCHEMA.$id)?.[1] ?? '';
export const CURRENT_SCHEMA_URL = SCHEMA.$id;
const validator = new Validator(SCHEMA as unknown as Schema, '7', false);

/** One huma error detail. */
export interface ErrorDetail {
  message: string;
  location?: string;
  value?: unknown;
}

const NAME_PATTERN = '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$';
/** ServerJSON's fields and their huma tags. */
const FIELDS: Record<string, { type: 'string' | 'object' | 'array'; required?: boolean; minLength?: number; maxLength?: number; pattern?: string; uri?: boolean }> = {
  $schema: { type: 'string', required: true, minLength: 1, uri: true },
  name: { type: 'string', required: true, minLength: 3, maxLength: 200, pattern: NAME_PATTERN },
  description: { type: 'string', required: true, minLength: 1, maxLength: 100 },
  title: { type: 'string', minLength: 1, maxLength: 100 },
  repository: { type: 'object' },
  version: { type: 'string', required: true },
  websiteUrl: { type: 'string', uri: true },
  icons: { type: 'array' },
  packages: { type: 'array' },
  remotes: { type: 'array' },
  _meta: { type: 'object' },
};

const isUri = (s: string) => {
  try {
    return Boolean(new URL(s).protocol);
  } catch {
    return false;
  }
};
const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** Step 1: huma's validation of the request body (empty when it passes). */
export function humaValidate(body: unknown): ErrorDetail[] {
  if (typeOf(body) !== 'object') return [{ message: 'expected object', location: 'body', value: body }];
  const obj = body as Record<string, unknown>;
  const errors: ErrorDetail[] = [];
  for (const [field, rule] of Object.entries(FIELDS)) {
    const value = obj[field];
    const location = `body.${field}`;
    if (value === undefined) {
      if (rule.required) errors.push({ message: `expected required property ${field} to be present`, location: 'body', value: obj });
      continue;
    }
    if (typeOf(value) !== rule.type) {
      errors.push({ message: `expected ${rule.type}`, location, value });
      continue;
    }
    if (typeof value !== 'string') continue;
    const length = [...value].length;
    if (rule.minLength !== undefined && length < rule.minLength) errors.push({ message: `expected length >= ${rule.minLength}`, location, value });
    if (rule.maxLength !== undefined && length > rule.maxLength) errors.push({ message: `expected length <= ${rule.maxLength}`, location, value });
    if (rule.pattern && !new RegExp(rule.pattern).test(value)) errors.push({ message: `expected string to match pattern ${rule.pattern}`, location, value });
    if (rule.uri && !isUri(value)) errors.push({ message: 'expected string to be RFC 3986 uri', location, value });
  }
  for (const field of Object.keys(obj)) if (!Object.hasOwn(FIELDS, field)) errors.push({ message: 'unexpected property', location: `body.${field}`, value: obj[field] });
  return errors;
}

/** The schema's verdict on a document: "path: message" per leaf error (empty when valid). */
export function schemaProblems(doc: unknown): string[] {
  const result = validator.validate(doc);
  if (result.valid) return [];
  const wrappers = ['properties', '$ref', 'items', 'allOf', 'anyOf', 'additionalProperties'];
  const leaves = result.errors.filter((e: OutputUnit) => !wrappers.includes(e.keyword));
  const out = new Set<string>();
  for (const e of leaves.length ? leaves : result.errors) out.add(`${e.instanceLocation.replace(/^#\/?/, '').replace(/\//g, '.') || '(root)'}: ${e.error}`);
  return [...out];
}

/** Step 2: the service's validation; the error message of the first problem, or undefined. */
export function serviceValidate(doc: Record<string, unknown>): string | undefined {
  const meta = doc._meta as Record<string, unknown> | undefined;
  const provided = meta?.['io.modelcontextprotocol.registry/publisher-provided'];
  if (provided !== undefined) {
    const size = Buffer.byteLength(JSON.stringify(provided));
    if (size > 4096) return `_meta.io.modelcontextprotocol.registry/publisher-provided extension exceeds 4KB limit (${size} bytes)`;
  }
  const schema = String(doc.$schema ?? '');
  if (!schema) return '$schema field is required';
  if (!schema.includes(CURRENT_SCHEMA_VERSION)) return `schema version ${schema} is not supported. Please use schema version ${CURRENT_SCHEMA_VERSION}`;
  const problems = schemaProblems(doc);
  if (problems.length > 0) return `server.json does not match the schema ${CURRENT_SCHEMA_URL}: ${problems.join('; ')}`;
  if (doc.version === 'latest') return "version string 'latest' is reserved and cannot be used";
  return undefined;
}
