import type { Vec4 } from './rotation.js';

/** Smallest |d + w| the perspective projection divides by; keeps points behind the eye finite. */
export const PROJECTION_EPSILON = 1e-3;

/**
 * Perspective 4D -> 3D projection: P = xyz · d / (d + w), with d the projection distance
 * (VIB3's `dimension`). When |d + w| falls below {@link PROJECTION_EPSILON} the divisor is
 * clamped to ±epsilon (keeping its sign) so the result stays finite.
 */
export function projectPerspective(p: Vec4, d: number): [number, number, number] {
  let denom = d + p[3];
  if (Math.abs(denom) < PROJECTION_EPSILON) denom = denom < 0 ? -PROJECTION_EPSILON : PROJECTION_EPSILON;
  const k = d / denom;
  return [p[0] * k, p[1] * k, p[2] * k];
}

/** Orthographic projection: drops w. */
export function projectOrthographic(p: Vec4): [number, number, number] {
  return [p[0], p[1], p[2]];
}

/**
 * Stereographic projection from the pole (0,0,0,r) of the 3-sphere of radius r = |p|:
 * P = xyz · r / (r - w), guarded like the perspective projection.
 */
export function projectStereographic(p: Vec4): [number, number, number] {
  const r = Math.hypot(p[0], p[1], p[2], p[3]);
  let denom = r - p[3];
  if (Math.abs(denom) < PROJECTION_EPSILON) denom = PROJECTION_EPSILON;
  const k = r / denom;
  return [p[0] * k, p[1] * k, p[2] * k];
}
