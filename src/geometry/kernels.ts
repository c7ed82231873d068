import { PROJECTION_EPSILON } from '../core/projection.js';
import { rotationMatrix, type Rotation4D } from '../core/rotation.js';

/**
 * The geometry kernels, one interface for the plain TypeScript reference and the WASM builds
 * (scalar and SIMD). Every array is caller-owned; outputs are written in place.
 */
export interface GeometryKernels {
  /** Which implementation this is. */
  readonly kind: 'js' | 'wasm-scalar' | 'wasm-simd';
  /**
   * Rotates `count` xyzw vertices by the column-major 4x4 `matrix` and projects them
   * perspectively (P = xyz·d/(d + w), |d + w| clamped to {@link PROJECTION_EPSILON}):
   * writes xyz per vertex into `out` (length >= 3·count).
   */
  transformProject(vertices: Float32Array, count: number, matrix: Float32Array, distance: number, out: Float32Array): void;
  /** Rotates `count` xyzw vertices by `matrix` (column-major): xyzw per vertex into `out`. */
  transform(vertices: Float32Array, count: number, matrix: Float32Array, out: Float32Array): void;
  /**
   * Cuts tetrahedra (4 indices each) with the hyperplane w = `offset`: each cut is a triangle or
   * a quad (two triangles). Writes 9 floats (three xyz points) per triangle into `out` (room for
   * 2 triangles per tetrahedron) and returns the number of triangles.
   */
  sliceTetrahedra(vertices: Float32Array, tetrahedra: Uint32Array, offset: number, out: Float32Array): number;
  /** Cuts triangles with w = `offset`: writes 6 floats per segment into `out`, returns the segment count. */
  sliceTriangles(vertices: Float32Array, triangles: Uint32Array, offset: number, out: Float32Array): number;
  /** Unit face normal of each of `count` triangles (9 floats each), written 3 times (per vertex) into `out`. */
  triangleNormals(triangles: Float32Array, count: number, out: Float32Array): void;
}

/** The column-major float32 form of the VIB3 rotation (what the kernels take). */
export function kernelMatrix(rotation: Rotation4D, out = new Float32Array(16)): Float32Array {
  const m = rotationMatrix(rotation); // row-major
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) out[c * 4 + r] = m[r * 4 + c]!;
  return out;
}

const f = Math.fround;

/** Point on edge (a, b) where the signed distances sa, sb to the hyperplane cross zero. */
function cut(v: Float32Array, a: number, b: number, sa: number, sb: number, out: Float32Array, o: number): void {
  const t = sa / (sa - sb);
  out[o] = v[a * 4]! + t * (v[b * 4]! - v[a * 4]!);
  out[o + 1] = v[a * 4 + 1]! + t * (v[b * 4 + 1]! - v[a * 4 + 1]!);
  out[o + 2] = v[a * 4 + 2]! + t * (v[b * 4 + 2]! - v[a * 4 + 2]!);
}

/** The plain TypeScript kernels: the reference every other implementation is tested against. */
export const referenceKernels: GeometryKernels = {
  kind: 'js',
  transformProject(v, count, m, d, out) {
    for (let i = 0; i < count; i++) {
      const x = v[i * 4]!, y = v[i * 4 + 1]!, z = v[i * 4 + 2]!, w = v[i * 4 + 3]!;
      const rx = m[0]! * x + m[4]! * y + m[8]! * z + m[12]! * w;
      const ry = m[1]! * x + m[5]! * y + m[9]! * z + m[13]! * w;
      const rz = m[2]! * x + m[6]! * y + m[10]! * z + m[14]! * w;
      const rw = m[3]! * x + m[7]! * y + m[11]! * z + m[15]! * w;
      let denom = d + rw;
      if (Math.abs(denom) < PROJECTION_EPSILON) denom = denom < 0 ? -PROJECTION_EPSILON : PROJECTION_EPSILON;
      const k = d / denom;
      out[i * 3] = rx * k;
      out[i * 3 + 1] = ry * k;
      out[i * 3 + 2] = rz * k;
    }
  },
  transform(v, count, m, out) {
    for (let i = 0; i < count; i++) {
      const x = v[i * 4]!, y = v[i * 4 + 1]!, z = v[i * 4 + 2]!, w = v[i * 4 + 3]!;
      for (let r = 0; r < 4; r++) out[i * 4 + r] = m[r]! * x + m[4 + r]! * y + m[8 + r]! * z + m[12 + r]! * w;
    }
  },
  sliceTetrahedra(v, tets, offset, out) {
    const c = f(offset);
    let n = 0;
    const pos: number[] = [], neg: number[] = [];
    for (let t = 0; t + 3 < tets.length; t += 4) {
      pos.length = neg.length = 0;
      for (let k = 0; k < 4; k++) {
        const i = tets[t + k]!;
        (f(v[i * 4 + 3]! - c) >= 0 ? pos : neg).push(i);
      }
      const s = (i: number) => f(v[i * 4 + 3]! - c);
      if (pos.length === 0 || neg.length === 0) continue;
      if (pos.length === 1 || neg.length === 1) {
        const [apex, others] = pos.length === 1 ? [pos[0]!, neg] : [neg[0]!, pos];
        for (let k = 0; k < 3; k++) cut(v, apex, others[k]!, s(apex), s(others[k]!), out, n * 9 + k * 3);
        n++;
      } else {
        const [p0, p1] = pos as [number, number];
        const [n0, n1] = neg as [number, number];
        // Quad p0n0 -> p0n1 -> p1n1 -> p1n0, as two triangles.
        cut(v, p0, n0, s(p0), s(n0), out, n * 9);
        cut(v, p0, n1, s(p0), s(n1), out, n * 9 + 3);
        cut(v, p1, n1, s(p1), s(n1), out, n * 9 + 6);
        n++;
        cut(v, p0, n0, s(p0), s(n0), out, n * 9);
        cut(v, p1, n1, s(p1), s(n1), out, n * 9 + 3);
        cut(v, p1, n0, s(p1), s(n0), out, n * 9 + 6);
        n++;
      }
    }
    return n;
  },
  sliceTriangles(v, tris, offset, out) {
    const c = f(offset);
    let n = 0;
    for (let t = 0; t + 2 < tris.length; t += 3) {
      const a = tris[t]!, b = tris[t + 1]!, d = tris[t + 2]!;
      const sa = f(v[a * 4 + 3]! - c), sb = f(v[b * 4 + 3]! - c), sd = f(v[d * 4 + 3]! - c);
      const pa = sa >= 0, pb = sb >= 0, pd = sd >= 0;
      if (pa === pb && pb === pd) continue;
      // The lone vertex (on its own side) and the two edges leaving it.
      const [apex, sApex, o1, s1, o2, s2] = pa === pb ? [d, sd, a, sa, b, sb] : pa === pd ? [b, sb, a, sa, d, sd] : [a, sa, b, sb, d, sd];
      cut(v, apex, o1, sApex, s1, out, n * 6);
      cut(v, apex, o2, sApex, s2, out, n * 6 + 3);
      n++;
    }
    return n;
  },
  triangleNormals(tri, count, out) {
    for (let t = 0; t < count; t++) {
      const o = t * 9;
      const ux = tri[o + 3]! - tri[o]!, uy = tri[o + 4]! - tri[o + 1]!, uz = tri[o + 5]! - tri[o + 2]!;
      const vx = tri[o + 6]! - tri[o]!, vy = tri[o + 7]! - tri[o + 1]!, vz = tri[o + 8]! - tri[o + 2]!;
      let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      const len = Math.hypot(nx, ny, nz);
      // Degenerate triangles get a zero normal rather than NaN.
      if (len > 1e-20) {
        nx /= len;
        ny /= len;
        nz /= len;
      } else nx = ny = nz = 0;
      for (let k = 0; k < 3; k++) {
        out[o + k * 3] = nx;
        out[o + k * 3 + 1] = ny;
        out[o + k * 3 + 2] = nz;
      }
    }
  },
};
