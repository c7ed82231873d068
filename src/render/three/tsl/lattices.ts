import { Fn, If, float, vec2, vec3, abs, fract, min, max, length, dot, sin, cos, atan, clamp, mix, floor, type Node } from './loose.js';


/*
 * The eight base lattices (DESIGN §4). Each takes the projected (and warped) 3D point `p`,
 * the cell scale `d` = gridDensity·0.08, `morph` and the animation phase `tau`, and returns a
 * value that is ~0 on the structure and grows away from it; brightness is 1 - clamp(|value|).
 */

const C1 = vec3(1, 1, 1).normalize();
const C2 = vec3(-1, -1, 1).normalize();
const C3 = vec3(-1, 1, -1).normalize();
const C4 = vec3(1, -1, -1).normalize();

/** Tetrahedral planes through each cell: distance to the nearest of the four facet planes. */
const tetrahedron = (p: Node, d: Node, morph: Node) => {
  const c = fract(p.mul(d)).sub(0.5);
  const m = min(abs(dot(c, C1)), abs(dot(c, C2)), abs(dot(c, C3)), abs(dot(c, C4)));
  return m.mul(float(3.2).add(morph.mul(0.8)));
};

/**
 * Hypercube cells: thin face lines (where the screen slice cuts the cell faces) plus a glow
 * around the edges (which a plane slice meets only at points).
 */
const hypercube = (p: Node, d: Node, morph: Node) => {
  const f = fract(p.mul(d));
  const e = min(f, vec3(1).sub(f));
  const lo = min(e.x, e.y, e.z);
  const hi = max(e.x, e.y, e.z);
  const mid = e.x.add(e.y).add(e.z).sub(lo).sub(hi);
  const faces = lo.mul(float(7).add(morph.mul(3)));
  const edges = length(vec2(lo, mid)).mul(float(2.2).add(morph.mul(0.9)));
  return min(faces, edges);
};

/** Concentric spherical shells with an angular harmonic. */
const sphere = (p: Node, d: Node, morph: Node) => {
  const r = length(p);
  const shell = abs(fract(r.mul(d)).sub(0.5)).mul(2);
  const harmonic = sin(atan(p.y, p.x).mul(3)).mul(0.2).mul(morph);
  return shell.add(harmonic).sub(0.25);
};

/** Nested tori with a surface lattice. */
const torus = (p: Node, d: Node, morph: Node) => {
  const ring = length(p.xy).sub(1.2);
  const tube = length(vec2(ring, p.z));
  const shells = abs(fract(tube.mul(d).mul(0.7)).sub(0.5)).mul(2);
  const grid = sin(p.x.mul(d).mul(2)).mul(sin(p.y.mul(d).mul(2)));
  return shells.mul(0.8).add(grid.mul(0.3).mul(morph)).sub(0.15);
};

/** Klein-bottle parameter lines: a figure-8 immersion's (u, v) grid. */
const klein = (p: Node, d: Node, morph: Node) => {
  const u = atan(p.y, p.x);
  const rr = length(p.xy).sub(1);
  const v = atan(p.z, rr);
  const twist = u.mul(0.5).mul(morph.add(0.5));
  const a = sin(u.mul(2).add(v.mul(floor(d.mul(0.5)).add(1))).add(twist));
  const b = cos(v.mul(2).sub(u).add(twist.mul(2)));
  return abs(a.mul(b)).mul(1.3).add(abs(rr).mul(0.15));
};

/** Folded (kaleidoscopic) fractal: distance to the fold planes over four iterations. */
const fractal = (p: Node, d: Node, morph: Node) => {
  const q = fract(p.mul(d).mul(0.25)).mul(2).sub(1).toVar();
  const acc = float(10).toVar();
  const scale = float(1).toVar();
  for (let i = 0; i < 4; i++) {
    q.assign(abs(q).mul(2).sub(vec3(1).add(morph.mul(0.15))));
    scale.assign(scale.mul(2));
    acc.assign(min(acc, min(abs(q.x), abs(q.y), abs(q.z)).div(scale)));
  }
  return acc.mul(14);
};

/** Travelling-wave interference. */
const wave = (p: Node, d: Node, morph: Node, tau: Node) => {
  const w1 = sin(p.x.mul(d).mul(2).add(tau.mul(20)));
  const w2 = sin(p.y.mul(d).mul(1.8).add(tau.mul(15)));
  const w3 = sin(p.z.mul(d).mul(2.2).add(tau.mul(18)));
  const interference = w1.add(w2).add(w3).div(3);
  return abs(interference).mul(float(1.2).add(morph.mul(0.4)));
};

/** Octahedral crystal cells with facet lines. */
const crystal = (p: Node, d: Node, morph: Node) => {
  const c = fract(p.mul(d)).sub(0.5);
  const a = abs(c);
  const oct = a.x.add(a.y).add(a.z);
  const shell = abs(oct.sub(mix(0.35, 0.5, clamp(morph.mul(0.5), 0, 1))));
  const facets = min(abs(a.x.sub(0.35)), abs(a.y.sub(0.35)), abs(a.z.sub(0.35)));
  return min(shell.mul(4), facets.mul(6).add(0.25));
};

/** The lattice dispatcher: branches on the base index (a uniform), so switching geometry never recompiles. */
export const latticeValue = Fn(([p, base, d, morph, tau]: Node[]) => {
  const v = float(0).toVar();
  If(base.lessThan(0.5), () => {
    v.assign(tetrahedron(p, d, morph));
  })
    .ElseIf(base.lessThan(1.5), () => {
      v.assign(hypercube(p, d, morph));
    })
    .ElseIf(base.lessThan(2.5), () => {
      v.assign(sphere(p, d, morph));
    })
    .ElseIf(base.lessThan(3.5), () => {
      v.assign(torus(p, d, morph));
    })
    .ElseIf(base.lessThan(4.5), () => {
      v.assign(klein(p, d, morph));
    })
    .ElseIf(base.lessThan(5.5), () => {
      v.assign(fractal(p, d, morph));
    })
    .ElseIf(base.lessThan(6.5), () => {
      v.assign(wave(p, d, morph, tau));
    })
    .Else(() => {
      v.assign(crystal(p, d, morph));
    });
  return v;
}, { p: 'vec3', base: 'float', d: 'float', morph: 'float', tau: 'float', return: 'float' });

/** The tetrahedral directions c1..c4 (normalised), shared with the hypertetrahedron warp. */
export const TETRA_DIRECTIONS = [C1, C2, C3, C4] as const;
