/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes that get signed.
 * - object members sorted by their names' UTF-16 code units, no whitespace;
 * - numbers in ECMAScript Number-to-string form (what JSON.stringify emits for finite numbers);
 * - strings escaped as JSON.stringify does (RFC 8785 §3.2.2.2 follows ECMAScript).
 * Non-finite numbers, undefined, functions, symbols and bigints are rejected, as JCS requires I-JSON input.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, new Set());
}

/** {@link canonicalize} as UTF-8 bytes. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalize(value));
}

function serialize(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`JCS: cannot canonicalize a ${typeof value}`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError('JCS: cyclic structure');
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((v) => serialize(v === undefined ? null : v, seen)).join(',')}]`;
  } else {
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec).filter((k) => rec[k] !== undefined).sort(compareUtf16);
    out = `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(rec[k], seen)}`).join(',')}}`;
  }
  seen.delete(obj);
  return out;
}

/** Orders strings by UTF-16 code units (RFC 8785 §3.2.3). */
function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
