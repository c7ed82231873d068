/**
 * Which delegated roles are trusted for a target path (TUF spec "delegations"): hashed bins by
 * `path_hash_prefixes` (leading hex digits of SHA-256 of the path's UTF-8 bytes) and `paths`
 * patterns, matched segment by segment (`/` never matched by a wildcard) with shell-style
 * wildcards as Python's `fnmatch` reads them: `*`, `?`, `[seq]`, `[!seq]`.
 */
import type { DelegatedRole } from './metadata.js';
import { digestHex } from './verify.js';

/** SHA-256 (lowercase hex) of a target path's UTF-8 bytes. */
export function pathHash(path: string): Promise<string> {
  return digestHex('sha256', new TextEncoder().encode(path));
}

/** Whether `path` matches a delegation's path pattern (same number of `/` segments, each matching). */
export function matchesPathPattern(path: string, pattern: string): boolean {
  const parts = path.split('/');
  const patterns = pattern.split('/');
  if (parts.length !== patterns.length) return false;
  return parts.every((part, i) => fnmatch(part, patterns[i]!));
}

/**
 * The roles among `roles` trusted for `path`, in listed order, up to and including the first
 * terminating one (whose match ends the search of this level and of every level above).
 */
export async function rolesForTarget(roles: readonly DelegatedRole[], path: string): Promise<{ roles: DelegatedRole[]; terminated: boolean }> {
  let hash: string | undefined;
  const out: DelegatedRole[] = [];
  for (const role of roles) {
    let match = false;
    if (role.paths) match = role.paths.some((p) => matchesPathPattern(path, p));
    else if (role.pathHashPrefixes) {
      hash ??= await pathHash(path);
      match = role.pathHashPrefixes.some((p) => hash!.startsWith(p));
    }
    if (!match) continue;
    out.push(role);
    if (role.terminating) return { roles: out, terminated: true };
  }
  return { roles: out, terminated: false };
}

/** Shell-style match of one segment (no `/` inside). Iterative with `*` backtracking: linear-ish, no regex built from input. */
export function fnmatch(text: string, pattern: string): boolean {
  const t = [...text];
  const p = [...pattern];
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    if (pi < p.length) {
      const c = p[pi]!;
      if (c === '*') {
        starP = pi++;
        starT = ti;
        continue;
      }
      if (c === '?') {
        ti++;
        pi++;
        continue;
      }
      if (c === '[') {
        const set = parseSet(p, pi);
        if (set) {
          if (set.matches(t[ti]!)) {
            ti++;
            pi = set.end;
            continue;
          }
        } else if (t[ti] === '[') {
          ti++;
          pi++;
          continue;
        }
      } else if (c === t[ti]) {
        ti++;
        pi++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP + 1;
    ti = ++starT;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** A `[...]` set at `p[start]`: its end index and matcher, or `undefined` when unclosed (then `[` is literal). */
function parseSet(p: readonly string[], start: number): { end: number; matches: (ch: string) => boolean } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!') {
    negate = true;
    i++;
  }
  const first = i;
  // A `]` right after `[` or `[!` is a member, as in fnmatch.
  while (i < p.length && (p[i] !== ']' || i === first)) i++;
  if (i >= p.length) return undefined;
  const members = p.slice(first, i);
  const end = i + 1;
  const matches = (ch: string): boolean => {
    let hit = false;
    for (let k = 0; k < members.length; k++) {
      const lo = members[k]!;
      if (members[k + 1] === '-' && k + 2 < members.length) {
        const hi = members[k + 2]!;
        if (lo.codePointAt(0)! <= ch.codePointAt(0)! && ch.codePointAt(0)! <= hi.codePointAt(0)!) hit = true;
        k += 2;
      } else if (lo === ch) hit = true;
    }
    return hit !== negate;
  };
  return { end, matches };
}
