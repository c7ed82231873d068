/**
 * The canonical JSON that TUF signs (OLPC canonical JSON as securesystemslib and
 * `@tufjs/canonical-json` write it): object keys sorted (by UTF-16 code units, as JavaScript's
 * `sort()` does), no whitespace, integers only, and strings escaping nothing but `\` and `"`
 * (control characters and non-ASCII are written as they are). Browser-safe; no eval.
 */

/**
 * The canonical JSON text of a JSON value. Throws a `TypeError` for anything canonical JSON cannot
 * encode (fractions, NaN, infinities, `undefined`, functions, symbols, bigints).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

/** The UTF-8 bytes of {@link canonicalJson} — what a TUF signature covers. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

function write(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    out.push(quote(value));
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (typeof value === 'number' && Number.isInteger(value)) {
    out.push(JSON.stringify(value));
  } else if (value === null) {
    out.push('null');
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out);
    }
    out.push(']');
  } else if (typeof value === 'object') {
    out.push('{');
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',');
      out.push(quote(keys[i]!), ':');
      write(record[keys[i]!], out);
    }
    out.push('}');
  } else {
    throw new TypeError(`canonical JSON cannot encode ${describe(value)}`);
  }
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${String(value)} (integers only)`;
  return typeof value;
}
