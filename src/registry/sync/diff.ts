/**
 * A structural diff of two JSON values, for dry runs: every changed leaf (or array, compared
 * whole) as a JSON pointer with its value before and after.
 */

/** One difference. */
export interface JsonChange {
  /** JSON pointer of the changed value ('' = the whole document). */
  path: string;
  op: 'add' | 'remove' | 'replace';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const token = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changes that turn `before` into `after` (objects recursed by key, in sorted order). */
export function diffJson(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = `${path}/${token(k)}`;
      if (!(k in after) || after[k] === undefined) return before[k] === undefined ? [] : [{ path: p, op: 'remove' as const, before: before[k] }];
      if (!(k in before) || before[k] === undefined) return [{ path: p, op: 'add' as const, after: after[k] }];
      return diffJson(before[k], after[k], p);
    });
  }
  if (before === undefined) return after === undefined ? [] : [{ path, op: 'add', after }];
  if (after === undefined) return [{ path, op: 'remove', before }];
  return same(before, after) ? [] : [{ path, op: 'replace', before, after }];
}

/** Files added, removed and changed between two path → SHA-256 maps. */
export function diffFiles(before: Record<string, string>, after: Record<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: Object.keys(after).filter((p) => !(p in before)).sort(),
    removed: Object.keys(before).filter((p) => !(p in after)).sort(),
    changed: Object.keys(after).filter((p) => p in before && before[p] !== after[p]).sort(),
  };
}
