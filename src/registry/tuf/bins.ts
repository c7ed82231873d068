/**
 * Hashed-bin delegation (TUF spec, "hashed bin delegation"): the top-level targets role delegates
 * every target path to one of N bins by the leading hex digits of SHA-256(path) (`path_hash_prefixes`),
 * so a publish re-signs one bin (plus snapshot and timestamp), never one giant targets file.
 *
 * N is a power of two from 2 to 4096. Each bin covers `16^len / N` consecutive prefixes of `len`
 * hex digits, `len = ceil(log16 N)`; bin names are `bin-<first>` or `bin-<first>-<last>`
 * (e.g. 256 bins: `bin-00` … `bin-ff`; 32 bins: `bin-00-07` … `bin-f8-ff`).
 */
import type { Key, Targets } from '@tufjs/models';
import { sha256Hex } from './format.js';

/** Default bin count: with 10,000+ extensions × versions, a bin stays around a few hundred targets. */
export const DEFAULT_BIN_COUNT = 256;

/** The bins of a repository and which bin holds a path. */
export interface BinLayout {
  /** Hex digits of the path hash that select a bin. */
  prefixLength: number;
  /** Bins in prefix order. */
  bins: ReadonlyArray<{ name: string; prefixes: readonly string[] }>;
  /** Prefix → bin name. */
  byPrefix: ReadonlyMap<string, string>;
}

/** The layout of `count` bins (a power of two, 2..4096). */
export function makeBinLayout(count: number): BinLayout {
  if (!Number.isInteger(count) || count < 2 || count > 4096 || (count & (count - 1)) !== 0) {
    throw new RangeError(`the bin count must be a power of two from 2 to 4096 (got ${count})`);
  }
  const prefixLength = Math.ceil(Math.log2(count) / 4);
  const perBin = 16 ** prefixLength / count;
  const hex = (n: number) => n.toString(16).padStart(prefixLength, '0');
  const bins = [];
  for (let i = 0; i < count; i++) {
    const prefixes = Array.from({ length: perBin }, (_, j) => hex(i * perBin + j));
    const name = perBin === 1 ? `bin-${prefixes[0]}` : `bin-${prefixes[0]}-${prefixes[perBin - 1]}`;
    bins.push({ name, prefixes });
  }
  return withIndex(prefixLength, bins);
}

function withIndex(prefixLength: number, bins: Array<{ name: string; prefixes: string[] }>): BinLayout {
  const byPrefix = new Map<string, string>();
  for (const bin of bins) for (const p of bin.prefixes) byPrefix.set(p, bin.name);
  return { prefixLength, bins, byPrefix };
}

/**
 * The layout the top-level targets metadata delegates (the stored source of truth, so a running
 * server never depends on its configuration agreeing with the database's first start).
 */
export function layoutFromTargets(targets: Targets): BinLayout {
  const roles = targets.delegations?.roles;
  if (!roles) throw new Error('the top-level targets metadata has no hashed-bin delegations');
  const bins: Array<{ name: string; prefixes: string[] }> = [];
  let prefixLength = -1;
  for (const role of Object.values(roles)) {
    const prefixes = role.pathHashPrefixes ?? [];
    for (const p of prefixes) {
      if (prefixLength === -1) prefixLength = p.length;
      if (p.length !== prefixLength || !/^[0-9a-f]+$/.test(p)) throw new Error(`bin ${role.name}: unexpected path hash prefix ${p}`);
    }
    bins.push({ name: role.name, prefixes: [...prefixes] });
  }
  const layout = withIndex(prefixLength, bins);
  if (layout.byPrefix.size !== 16 ** prefixLength) throw new Error('the hashed bins do not cover every path hash prefix exactly once');
  return layout;
}

/** The bin that holds `path` (by the leading hex digits of SHA-256 of its UTF-8 bytes). */
export function binForPath(layout: BinLayout, path: string): string {
  const bin = layout.byPrefix.get(sha256Hex(path).slice(0, layout.prefixLength));
  if (!bin) throw new Error(`no bin for ${path}`);
  return bin;
}

/**
 * The `delegations` object (spec JSON) of the top-level targets: every bin, terminating, signed by
 * `keys` with `threshold`.
 */
export function binDelegationsJSON(layout: BinLayout, keys: readonly Key[], threshold: number): Record<string, unknown> {
  const keyMap: Record<string, unknown> = {};
  for (const k of keys) keyMap[k.keyID] = k.toJSON();
  const roles = layout.bins.map((bin) => ({
    name: bin.name,
    keyids: keys.map((k) => k.keyID),
    threshold,
    terminating: true,
    path_hash_prefixes: [...bin.prefixes],
  }));
  return { keys: keyMap, roles };
}
