/**
 * The scalar parts of OTLP/JSON as the OTLP specification encodes them ("JSON Protobuf
 * Encoding"): lowerCamelCase keys, unknown fields ignored, zero values possibly omitted, 64-bit
 * integers as decimal strings or numbers, enums as integers, trace and span ids as hex, doubles
 * possibly `"NaN"` / `"Infinity"`, and `AnyValue` attributes. Every reader takes the JSON path of
 * its value and throws {@link OtlpShapeError} naming it when the value has the wrong shape.
 *
 * Attributes also pass the ingest redaction here: content attributes are dropped unless content
 * storage is on, key- and token-shaped strings are replaced, long strings are cut.
 */
import { redactor } from '../../agent/llm/secrets.js';
import { ATTRIBUTES } from '../../telemetry/taxonomy.js';

/** A body that is not an OTLP export request; `path` is the JSON path of the offending value. */
export class OtlpShapeError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'OtlpShapeError';
  }
}

/** An attribute value as stored: JSON (ints beyond 2^53 as decimal strings, bytes as base64). */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

/** Attributes by key. */
export type AttrMap = Record<string, AttrValue>;

/** Deepest `arrayValue` / `kvlistValue` nesting accepted. */
const MAX_DEPTH = 8;
/** Attributes kept per span, event, resource or data point (the first ones). */
export const MAX_ATTRIBUTES = 256;
/** Elements kept per array or key-value list. */
const MAX_ELEMENTS = 256;

type Json = Record<string, unknown>;

const fail = (path: string, message: string): never => {
  throw new OtlpShapeError(path || '/', message);
};

/** An object (message); absent or `null` → `{}` (all fields at their defaults). */
export function message(value: unknown, path: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail(path, 'must be an object');
  return value as Json;
}

/** A repeated field; absent or `null` → `[]`. */
export function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(path, 'must be an array');
  return value;
}

/** A string field; absent → `''`. */
export function str(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return fail(path, 'must be a string');
  return value;
}

/** A 64-bit integer (decimal string or number); absent → 0. */
export function int64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  // Numbers beyond 2^53 (nanosecond times) arrive rounded by JSON parsing: accepted as they are.
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  return fail(path, 'must be an integer (a number or a decimal string)');
}

/** A double (number, or `"NaN"`, `"Infinity"`, `"-Infinity"`); absent → undefined. */
export function double(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fail(path, 'must be a number');
}

/**
 * An enum: its integer (the OTLP encoding), or its proto name from `names` (accepted leniently);
 * absent, or a number `names` does not list (a newer protocol's value), → 0 (unspecified).
 */
export function enumValue(value: unknown, path: string, names: readonly string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value >= 0 && value < names.length ? value : 0;
  if (typeof value === 'string' && names.includes(value)) return names.indexOf(value);
  return fail(path, 'must be an enum integer');
}

/** A trace id (16 bytes) or span id (8 bytes) in hex, lower-cased; absent → `''`. */
export function hexId(value: unknown, path: string, bytes: 8 | 16): string {
  const text = str(value, path);
  if (text === '') return '';
  if (text.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(text)) return fail(path, `must be ${bytes * 2} hex digits (OTLP/JSON ids are hex, not base64)`);
  return text.toLowerCase();
}

/** Nanoseconds since the epoch as a Date (millisecond precision); times before the epoch are the epoch. */
export function nanosToDate(nanos: bigint): Date {
  return new Date(nanos > 0n ? Number(nanos / 1_000_000n) : 0);
}

/** A JS number from an int64 when it is safe, else its decimal string. */
const intOut = (n: bigint): number | string => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());

/** A double as JSON can hold it (non-finite values as their OTLP strings). */
const doubleOut = (n: number): number | string => (Number.isFinite(n) ? n : String(n));

/** An `AnyValue`: `stringValue`, `boolValue`, `intValue`, `doubleValue`, `arrayValue`, `kvlistValue`, `bytesValue`; `{}` → null. */
export function anyValue(value: unknown, path: string, depth = 0): AttrValue {
  const v = message(value, path);
  if (depth > MAX_DEPTH) return fail(path, `nests arrayValue / kvlistValue deeper than ${MAX_DEPTH}`);
  if ('stringValue' in v && v.stringValue !== undefined && v.stringValue !== null) return str(v.stringValue, `${path}/stringValue`);
  if ('boolValue' in v && v.boolValue !== undefined && v.boolValue !== null) {
    if (typeof v.boolValue !== 'boolean') return fail(`${path}/boolValue`, 'must be a boolean');
    return v.boolValue;
  }
  if ('intValue' in v && v.intValue !== undefined && v.intValue !== null) return intOut(int64(v.intValue, `${path}/intValue`));
  if ('doubleValue' in v && v.doubleValue !== undefined && v.doubleValue !== null) return doubleOut(double(v.doubleValue, `${path}/doubleValue`)!);
  if ('arrayValue' in v && v.arrayValue !== undefined && v.arrayValue !== null) {
    const values = list(message(v.arrayValue, `${path}/arrayValue`).values, `${path}/arrayValue/values`);
    return values.slice(0, MAX_ELEMENTS).map((item, i) => anyValue(item, `${path}/arrayValue/values/${i}`, depth + 1));
  }
  if ('kvlistValue' in v && v.kvlistValue !== undefined && v.kvlistValue !== null) {
    const values = list(message(v.kvlistValue, `${path}/kvlistValue`).values, `${path}/kvlistValue/values`);
    return keyValues(values.slice(0, MAX_ELEMENTS), `${path}/kvlistValue/values`, depth + 1);
  }
  if ('bytesValue' in v && v.bytesValue !== undefined && v.bytesValue !== null) {
    const text = str(v.bytesValue, `${path}/bytesValue`);
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return fail(`${path}/bytesValue`, 'must be base64');
    return text;
  }
  return null;
}

/** A list of `KeyValue` (`{ key, value: AnyValue }`) as an object; later duplicates win. */
function keyValues(items: unknown[], path: string, depth: number): AttrMap {
  const out: AttrMap = {};
  items.forEach((item, i) => {
    const kv = message(item, `${path}/${i}`);
    const key = str(kv.key, `${path}/${i}/key`);
    const value = anyValue(kv.value, `${path}/${i}/value`, depth);
    if (key !== '' && key.length <= 256) out[safeText(key)] = value;
  });
  return out;
}

/** Text PostgreSQL can store: no NUL characters, lone surrogates replaced by U+FFFD. */
export function safeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** How attributes are cleaned on ingest. */
export interface CleanOptions {
  /** Keep content attributes (prompts, tool arguments and results). */
  storeContent: boolean;
  /** Longest string kept, in characters. */
  maxChars: number;
}

/** The taxonomy's content attributes, and the GenAI conventions' other content-bearing ones. */
export const CONTENT_ATTRIBUTES: ReadonlySet<string> = new Set([
  ...Object.entries(ATTRIBUTES)
    .filter(([, spec]) => (spec as { content?: boolean }).content)
    .map(([name]) => name),
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.completion',
]);

/** Content-bearing attribute families, dropped by prefix unless content storage is on. */
export const CONTENT_PREFIXES: readonly string[] = ['gen_ai.prompt.', 'gen_ai.completion.', 'gen_ai.input.', 'gen_ai.output.'];

/** Whether `key` is a content attribute (by name or by prefix). */
export const isContentKey = (key: string): boolean => CONTENT_ATTRIBUTES.has(key) || CONTENT_PREFIXES.some((p) => key.startsWith(p));

/** Registry tokens (`vib3_` + 43 base64url characters), on top of the LLM layer's key shapes. */
const TOKEN_SHAPE = /\bvib3_[A-Za-z0-9_-]{20,}/g;

/** A string as it may be stored: key and token shapes replaced, cut to `maxChars` (names, messages and attribute values alike). */
export function cleanString(text: string, maxChars: number): string {
  const redacted = redactor.redact(text).replace(TOKEN_SHAPE, '[redacted]');
  return redacted.length > maxChars ? `${redacted.slice(0, maxChars)}…[cut]` : redacted;
}

function cleanValue(value: AttrValue, maxChars: number): AttrValue {
  if (typeof value === 'string') return cleanString(value, maxChars);
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, maxChars));
  if (value && typeof value === 'object') {
    const out: AttrMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanValue(v, maxChars);
    return out;
  }
  return value;
}

/**
 * A `KeyValue` list (an OTLP `attributes` field) read and cleaned: content attributes dropped
 * (by name or by {@link CONTENT_PREFIXES}) unless `storeContent`, strings redacted and cut, at most {@link MAX_ATTRIBUTES} kept.
 */
export function attributes(value: unknown, path: string, clean: CleanOptions): AttrMap {
  const items = list(value, path);
  const read = keyValues(items, path, 0);
  const out: AttrMap = {};
  let n = 0;
  for (const [key, v] of Object.entries(read)) {
    if (!clean.storeContent && isContentKey(key)) continue;
    if (++n > MAX_ATTRIBUTES) break;
    out[key] = cleanValue(v, clean.maxChars);
  }
  return out;
}

/** Takes a string attribute out of `attrs` (removing it); undefined when absent or not a string. */
export function takeString(attrs: AttrMap, ...keys: string[]): string | undefined {
  let found: string | undefined;
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === 'string' && v !== '' && found === undefined) {
      found = v;
      delete attrs[key];
    }
  }
  return found;
}

/** Takes a finite number attribute out of `attrs` (removing it); undefined when absent or not a number. */
export function takeNumber(attrs: AttrMap, key: string): number | undefined {
  const v = attrs[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  delete attrs[key];
  return v;
}
