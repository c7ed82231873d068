import type { Mesh4 } from './mesh4.js';
import { SURFACES, type SurfaceName } from './names.js';

export { SURFACES, type SurfaceName };

/** Resolution of a parametric surface: samples around each of its two parameters. */
export interface SurfaceResolution {
  /** Samples along u (>= 3). */
  u: number;
  /** Samples along v (>= 3). */
  v: number;
}

/** Default resolution of each surface. */
export const DEFAULT_SURFACE_RESOLUTION: SurfaceResolution = { u: 24, v: 12 };

const TAU = Math.PI * 2;

/**
 * A closed u x v grid of triangles. `at(i, j)` maps grid coordinates, possibly one past either
 * end (i = nu or j = nv), to a vertex index; each surface glues its seams there.
 */
function closedGrid(nu: number, nv: number, at: (i: number, j: number) => number): Uint32Array {
  const tris: number[] = [];
  for (let i = 0; i < nu; i++) {
    for (let j = 0; j < nv; j++) {
      const a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
      tris.push(a, b, c, a, c, d);
    }
  }
  return Uint32Array.from(tris);
}

/**
 * The grid lines of a closed u x v grid (no triangle diagonals): 2·nu·nv edges, the wireframe
 * the projection mode draws.
 */
function gridEdges(nu: number, nv: number, at: (i: number, j: number) => number, offset = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < nu; i++) {
    for (let j = 0; j < nv; j++) {
      out.push(at(i, j) + offset, at(i + 1, j) + offset, at(i, j) + offset, at(i, j + 1) + offset);
    }
  }
  return out;
}

/** Torus gluing: both seams wrap straight. */
const torusAt = (nu: number, nv: number) => (i: number, j: number) => (i % nu) * nv + (j % nv);

function check(res: SurfaceResolution): void {
  for (const k of ['u', 'v'] as const) {
    const n = res[k];
    if (!Number.isInteger(n) || n < 3 || n > 2048) throw new RangeError(`surface resolution ${k} must be an integer in 3..2048; got ${n}`);
  }
}

/** Clifford torus: (cos u, sin u, cos v, sin v) / √2 on the unit 3-sphere. */
function cliffordTorus({ u: nu, v: nv }: SurfaceResolution): Mesh4 {
  const vertices = new Float32Array(nu * nv * 4);
  const k = Math.SQRT1_2;
  for (let i = 0; i < nu; i++) {
    for (let j = 0; j < nv; j++) {
      const u = (i / nu) * TAU, v = (j / nv) * TAU, o = (i * nv + j) * 4;
      vertices[o] = k * Math.cos(u);
      vertices[o + 1] = k * Math.sin(u);
      vertices[o + 2] = k * Math.cos(v);
      vertices[o + 3] = k * Math.sin(v);
    }
  }
  const triangles = closedGrid(nu, nv, torusAt(nu, nv));
  const edges = Uint32Array.from(gridEdges(nu, nv, torusAt(nu, nv)));
  return { name: 'clifford-torus', vertices, edges, triangles, tetrahedra: new Uint32Array(0) };
}

/**
 * Hopf fibration of S³: the fibres (great circles) over `v` base points on a circle of latitude
 * of S², for three latitudes; each latitude's fibres sweep a Hopf torus. u samples each fibre.
 */
function hopf({ u: requested, v: nv }: SurfaceResolution): Mesh4 {
  // Going once around the base circle turns the fibre by half a turn: u must be even to glue.
  const nu = requested + (requested % 2);
  const latitudes = [Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4];
  const per = nu * nv;
  const vertices = new Float32Array(per * latitudes.length * 4);
  const tris: number[] = [];
  const lines: number[] = [];
  latitudes.forEach((eta, l) => {
    // Base point (polar angle eta, longitude phi) -> fibre angle t: (cos((t+phi)/2)·cos(eta/2), sin((t+phi)/2)·cos(eta/2), cos((t-phi)/2)·sin(eta/2), sin((t-phi)/2)·sin(eta/2)).
    for (let i = 0; i < nu; i++) {
      for (let j = 0; j < nv; j++) {
        const t = (i / nu) * 2 * TAU, phi = (j / nv) * TAU, o = (l * per + i * nv + j) * 4;
        const a = (t + phi) / 2, b = (t - phi) / 2;
        vertices[o] = Math.cos(a) * Math.cos(eta / 2);
        vertices[o + 1] = Math.sin(a) * Math.cos(eta / 2);
        vertices[o + 2] = Math.cos(b) * Math.sin(eta / 2);
        vertices[o + 3] = Math.sin(b) * Math.sin(eta / 2);
      }
    }
    const at = (i: number, j: number) => (j === nv ? ((i + nu / 2) % nu) * nv : (i % nu) * nv + j);
    for (const idx of closedGrid(nu, nv, at)) tris.push(idx + l * per);
    lines.push(...gridEdges(nu, nv, at, l * per));
  });
  const triangles = Uint32Array.from(tris);
  return { name: 'hopf', vertices, edges: Uint32Array.from(lines), triangles, tetrahedra: new Uint32Array(0) };
}

/**
 * A Klein bottle embedded in 4D: ((R + r cos v) cos u, (R + r cos v) sin u, r sin v cos(u/2),
 * r sin v sin(u/2)) with R = 0.7, r = 0.3. Crossing u = 2π maps v to -v (the bottle's twist).
 */
function klein({ u: nu, v: nv }: SurfaceResolution): Mesh4 {
  const R = 0.7, r = 0.3;
  const vertices = new Float32Array(nu * nv * 4);
  for (let i = 0; i < nu; i++) {
    for (let j = 0; j < nv; j++) {
      const u = (i / nu) * TAU, v = (j / nv) * TAU, o = (i * nv + j) * 4;
      vertices[o] = (R + r * Math.cos(v)) * Math.cos(u);
      vertices[o + 1] = (R + r * Math.cos(v)) * Math.sin(u);
      vertices[o + 2] = r * Math.sin(v) * Math.cos(u / 2);
      vertices[o + 3] = r * Math.sin(v) * Math.sin(u / 2);
    }
  }
  // Crossing u = 2π reflects v (the twist): (nu, j) is (0, -j).
  const at = (i: number, j: number) => (i === nu ? (nv - (j % nv)) % nv : i * nv + (j % nv));
  const triangles = closedGrid(nu, nv, at);
  return { name: 'klein', vertices, edges: Uint32Array.from(gridEdges(nu, nv, at)), triangles, tetrahedra: new Uint32Array(0) };
}

/**
 * A parametric surface sampled at `resolution` (u x v vertices per sheet; Hopf: three sheets, u
 * rounded up to even): closed triangle mesh without seams, and its grid lines as edges.
 */
export function surface(name: SurfaceName, resolution: SurfaceResolution = DEFAULT_SURFACE_RESOLUTION): Mesh4 {
  check(resolution);
  if (name === 'clifford-torus') return cliffordTorus(resolution);
  if (name === 'hopf') return hopf(resolution);
  return klein(resolution);
}
