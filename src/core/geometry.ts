/** The eight base lattices, by base index. */
export const BASE_GEOMETRIES = [
  'tetrahedron',
  'hypercube',
  'sphere',
  'torus',
  'klein-bottle',
  'fractal',
  'wave',
  'crystal',
] as const;

/** The three warp cores, by core index. */
export const WARP_CORES = ['base', 'hypersphere', 'hypertetrahedron'] as const;

/** Name of a base lattice. */
export type BaseGeometry = (typeof BASE_GEOMETRIES)[number];
/** Name of a warp core. */
export type WarpCore = (typeof WARP_CORES)[number];

/** Number of geometries: 8 bases x 3 cores. */
export const GEOMETRY_COUNT = BASE_GEOMETRIES.length * WARP_CORES.length;

/** A geometry index decoded into its base and core. */
export interface GeometryInfo {
  index: number;
  base: number;
  core: number;
  baseName: BaseGeometry;
  coreName: WarpCore;
  /** Human-readable label, e.g. "Hypersphere Torus". */
  label: string;
}

/** Composes a geometry index: `core * 8 + base`. */
export function geometryIndex(core: number, base: number): number {
  return core * BASE_GEOMETRIES.length + base;
}

/** Decodes an index in 0..23 into base and core. Throws RangeError outside that range. */
export function describeGeometry(index: number): GeometryInfo {
  if (!Number.isInteger(index) || index < 0 || index >= GEOMETRY_COUNT) {
    throw new RangeError(`geometry index ${index} is outside 0..${GEOMETRY_COUNT - 1}`);
  }
  const base = index % BASE_GEOMETRIES.length;
  const core = Math.floor(index / BASE_GEOMETRIES.length);
  const baseName = BASE_GEOMETRIES[base]!;
  const coreName = WARP_CORES[core]!;
  const title = (s: string) => s.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  const label = core === 0 ? title(baseName) : `${title(coreName)} ${title(baseName)}`;
  return { index, base, core, baseName, coreName, label };
}

/** All 24 geometries in index order. */
export function listGeometries(): GeometryInfo[] {
  return Array.from({ length: GEOMETRY_COUNT }, (_, i) => describeGeometry(i));
}
