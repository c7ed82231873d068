/**
 * A mesh in 4D: vertices (x, y, z, w per vertex) with the index lists the kernels need.
 * Index arrays are flat: 2 per edge, 3 per triangle, 4 per tetrahedron.
 */
export interface Mesh4 {
  /** Name of the generator that produced it (e.g. `600-cell`). */
  readonly name: string;
  /** xyzw per vertex. */
  readonly vertices: Float32Array;
  /** Vertex index pairs. */
  readonly edges: Uint32Array;
  /** Vertex index triples: the 2-faces (polygons split into triangles) or surface triangles. */
  readonly triangles: Uint32Array;
  /** Vertex index quadruples: the 3-cells split into tetrahedra (empty for surfaces). */
  readonly tetrahedra: Uint32Array;
}

/** Number of vertices of a mesh. */
export const vertexCount = (m: Mesh4): number => m.vertices.length / 4;

/** Builds the unique, sorted edge list of a set of triangles (surfaces derive edges this way). */
export function edgesOfTriangles(triangles: Uint32Array): Uint32Array {
  const seen = new Set<string>();
  const out: number[] = [];
  for (let t = 0; t < triangles.length; t += 3) {
    for (const [a, b] of [
      [triangles[t]!, triangles[t + 1]!],
      [triangles[t + 1]!, triangles[t + 2]!],
      [triangles[t + 2]!, triangles[t]!],
    ] as const) {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const key = `${lo},${hi}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(lo, hi);
      }
    }
  }
  return Uint32Array.from(out);
}
