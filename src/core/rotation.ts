/**
 * 4D rotations in the six coordinate planes, in the order VIB3 applies them:
 * p' = R_ZW · R_YW · R_XW · R_YZ · R_XZ · R_XY · p  (XY first, ZW last).
 *
 * Matrices are 4x4, row-major `Float64Array(16)`: element (row r, column c) at `r*4+c`,
 * acting on column vectors (x, y, z, w).
 */

/** A 4D vector (x, y, z, w). */
export type Vec4 = [number, number, number, number];
/** A 4x4 row-major matrix. */
export type Mat4 = Float64Array;

/** The six rotation planes in application order. */
export const ROTATION_PLANES = ['XY', 'XZ', 'YZ', 'XW', 'YW', 'ZW'] as const;
/** One of the six rotation planes. */
export type RotationPlane = (typeof ROTATION_PLANES)[number];

/** Angles in radians for the six planes. */
export interface Rotation4D {
  XY: number;
  XZ: number;
  YZ: number;
  XW: number;
  YW: number;
  ZW: number;
}

const AXIS: Record<RotationPlane, [number, number]> = {
  XY: [0, 1],
  XZ: [0, 2],
  YZ: [1, 2],
  XW: [0, 3],
  YW: [1, 3],
  ZW: [2, 3],
};

/** The 4x4 identity. */
export function identity4(): Mat4 {
  const m = new Float64Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  return m;
}

/**
 * Rotation in one plane (a, b) with VIB3's sign convention:
 * XY, XW, YW, ZW, YZ use a' = c·a + s·b, b' = -s·a + c·b;
 * XZ uses x' = c·x - s·z, z' = s·x + c·z.
 */
export function planeMatrix(plane: RotationPlane, angle: number): Mat4 {
  const m = identity4();
  const [a, b] = AXIS[plane];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const sign = plane === 'XZ' ? -1 : 1;
  m[a * 4 + a] = c;
  m[a * 4 + b] = sign * s;
  m[b * 4 + a] = -sign * s;
  m[b * 4 + b] = c;
  return m;
}

/** Matrix product a·b. */
export function multiply4(a: Mat4, b: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = sum;
    }
  }
  return out;
}

/** The composed rotation R_ZW·R_YW·R_XW·R_YZ·R_XZ·R_XY. */
export function rotationMatrix(rot: Rotation4D): Mat4 {
  let m = identity4();
  for (const plane of ROTATION_PLANES) m = multiply4(planeMatrix(plane, rot[plane]), m);
  return m;
}

/** Applies a matrix to a 4D column vector. */
export function transform4(m: Mat4, v: Vec4): Vec4 {
  const out: Vec4 = [0, 0, 0, 0];
  for (let r = 0; r < 4; r++) {
    out[r] = m[r * 4]! * v[0] + m[r * 4 + 1]! * v[1] + m[r * 4 + 2]! * v[2] + m[r * 4 + 3]! * v[3];
  }
  return out;
}

/**
 * Rotates a point plane by plane in VIB3 order, without building matrices.
 * This is the step-by-step form the shaders use; it equals `transform4(rotationMatrix(rot), p)`.
 */
export function rotate4D(p: Vec4, rot: Rotation4D): Vec4 {
  let [x, y, z, w] = p;
  let c = Math.cos(rot.XY), s = Math.sin(rot.XY);
  [x, y] = [c * x + s * y, -s * x + c * y];
  c = Math.cos(rot.XZ); s = Math.sin(rot.XZ);
  [x, z] = [c * x - s * z, s * x + c * z];
  c = Math.cos(rot.YZ); s = Math.sin(rot.YZ);
  [y, z] = [c * y + s * z, -s * y + c * z];
  c = Math.cos(rot.XW); s = Math.sin(rot.XW);
  [x, w] = [c * x + s * w, -s * x + c * w];
  c = Math.cos(rot.YW); s = Math.sin(rot.YW);
  [y, w] = [c * y + s * w, -s * y + c * w];
  c = Math.cos(rot.ZW); s = Math.sin(rot.ZW);
  [z, w] = [c * z + s * w, -s * z + c * w];
  return [x, y, z, w];
}
