/** The arrays of a 4D mesh as they cross a boundary (an extension, a registration). */
export interface MeshArrays {
  vertices: unknown;
  edges: unknown;
  triangles?: unknown;
  tetrahedra?: unknown;
}

/** Most vertices a mesh may have (xyzw floats: 16 MB). */
export const MAX_MESH_VERTICES = 1_000_000;

/**
 * The one mesh check of the kit: xyzw Float32Array vertices (finite, at most
 * {@link MAX_MESH_VERTICES}), Uint32Array edges / triangles / tetrahedra in pairs, triples and
 * quadruples that index existing vertices. Returns what is wrong, or undefined.
 */
export function meshProblem(mesh: MeshArrays | null | undefined): string | undefined {
  if (typeof mesh !== 'object' || mesh === null) return 'a mesh must be an object { vertices, edges }';
  const v = mesh.vertices;
  if (!(v instanceof Float32Array) || v.length % 4 !== 0) return 'vertices must be a Float32Array of xyzw quadruples';
  const n = v.length / 4;
  if (n > MAX_MESH_VERTICES) return `a mesh has at most ${MAX_MESH_VERTICES} vertices (this one has ${n})`;
  if (!v.every(Number.isFinite)) return 'vertices must be finite';
  const indices = (a: unknown, k: number, what: string, optional: boolean): string | undefined => {
    if (a === undefined && optional) return undefined;
    if (!(a instanceof Uint32Array) || a.length % k !== 0) return `${what} must be a Uint32Array with ${k} indices each`;
    const bad = a.find((i) => i >= n);
    return bad === undefined ? undefined : `an index in ${what} references vertex ${bad} of ${n}`;
  };
  return indices(mesh.edges, 2, 'edges', false) ?? indices(mesh.triangles, 3, 'triangles', true) ?? indices(mesh.tetrahedra, 4, 'tetrahedra (cells)', true);
}
