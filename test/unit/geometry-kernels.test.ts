import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceKernels, kernelMatrix, type GeometryKernels } from '../../src/geometry/kernels.js';
import { loadKernels, wasmSimdSupported } from '../../src/geometry/wasm-kernels.js';
import { rotate4D, type Rotation4D } from '../../src/core/rotation.js';
import { projectPerspective } from '../../src/core/projection.js';
import { polytope } from '../../src/geometry/polytopes.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randomRotation = (r: () => number): Rotation4D => ({ XY: (r() - 0.5) * 4 * Math.PI, XZ: (r() - 0.5) * 4 * Math.PI, YZ: (r() - 0.5) * 4 * Math.PI, XW: (r() - 0.5) * 4 * Math.PI, YW: (r() - 0.5) * 4 * Math.PI, ZW: (r() - 0.5) * 4 * Math.PI });
const randomVertices = (r: () => number, n: number, scale = 2) => Float32Array.from({ length: n * 4 }, () => (r() - 0.5) * scale);

/** |a - b| <= 1e-5 · max(1, |a|): absolute near zero, relative for large (near the projection guard) values. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string) {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-5 * Math.max(1, Math.abs(a[i]!));
    if (!(Math.abs(a[i]! - b[i]!) <= tol)) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Sine of the angle at the first corner of triangle t (9 floats each): how far from a sliver. */
function sinAngle(tri: Float32Array, t: number): number {
  const o = t * 9;
  const u = [tri[o + 3]! - tri[o]!, tri[o + 4]! - tri[o + 1]!, tri[o + 5]! - tri[o + 2]!];
  const v = [tri[o + 6]! - tri[o]!, tri[o + 7]! - tri[o + 1]!, tri[o + 8]! - tri[o + 2]!];
  const c = Math.hypot(u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!);
  const lu = Math.hypot(...u), lv = Math.hypot(...v);
  return lu > 1e-6 && lv > 1e-6 ? c / (lu * lv) : 0;
}

const wasm: GeometryKernels[] = [await loadKernels('wasm-scalar')];
if (wasmSimdSupported()) wasm.push(await loadKernels('wasm-simd'));

test('Node has WASM SIMD, so both WASM builds are under test', () => {
  assert.deepEqual(wasm.map((k) => k.kind), ['wasm-scalar', 'wasm-simd']);
});

test('the reference transformProject is the DESIGN math: rotate plane by plane, then P = xyz·d/(d+w)', () => {
  const r = rng(1);
  for (let i = 0; i < 50; i++) {
    const rot = randomRotation(r);
    const v = randomVertices(r, 1);
    const out = new Float32Array(3);
    referenceKernels.transformProject(v, 1, kernelMatrix(rot), 3.5, out);
    const expected = projectPerspective(rotate4D([v[0]!, v[1]!, v[2]!, v[3]!], rot), 3.5);
    close(Float32Array.from(expected), out, 'reference vs core math');
  }
});

for (const k of wasm) {
  test(`${k.kind}: transform and transformProject equal the reference to 1e-5 on random inputs`, () => {
    const r = rng(7);
    for (const n of [1, 2, 3, 5, 64, 1000]) {
      const v = randomVertices(r, n);
      const m = kernelMatrix(randomRotation(r));
      const d = 3 + r() * 1.5;
      const a = new Float32Array(n * 3), b = new Float32Array(n * 3);
      referenceKernels.transformProject(v, n, m, d, a);
      k.transformProject(v, n, m, d, b);
      close(a, b, `transformProject n=${n}`);
      const a4 = new Float32Array(n * 4), b4 = new Float32Array(n * 4);
      referenceKernels.transform(v, n, m, a4);
      k.transform(v, n, m, b4);
      close(a4, b4, `transform n=${n}`);
    }
  });

  test(`${k.kind}: empty and degenerate inputs (w = -d at the guard, zero vertices, zero-area triangles)`, () => {
    const none = new Float32Array(0);
    k.transformProject(none, 0, kernelMatrix({ XY: 0, XZ: 0, YZ: 0, XW: 0, YW: 0, ZW: 0 }), 3.5, none);
    assert.equal(k.sliceTetrahedra(none, new Uint32Array(0), 0, none), 0);
    assert.equal(k.sliceTriangles(none, new Uint32Array(0), 0, none), 0);
    // Points exactly at and around the projection singularity stay finite and match.
    const v = Float32Array.from([1, 1, 1, -3.5, 0, 0, 0, 0, 1, -2, 3, -3.5005, 2, 2, 2, -3.4995]);
    const id = kernelMatrix({ XY: 0, XZ: 0, YZ: 0, XW: 0, YW: 0, ZW: 0 });
    const a = new Float32Array(12), b = new Float32Array(12);
    referenceKernels.transformProject(v, 4, id, 3.5, a);
    k.transformProject(v, 4, id, 3.5, b);
    assert.ok([...b].every(Number.isFinite), 'finite at the guard');
    close(a, b, 'guarded projection');
    // A zero-area triangle has a zero normal, not NaN.
    const tri = Float32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const na = new Float32Array(9), nb = new Float32Array(9);
    referenceKernels.triangleNormals(tri, 1, na);
    k.triangleNormals(tri, 1, nb);
    assert.deepEqual([...nb], [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    close(na, nb, 'degenerate normal');
    // A tetrahedron with a vertex exactly on the hyperplane: same classification in both.
    const tv = Float32Array.from([0, 0, 0, 0.5, 1, 0, 0, -1, 0, 1, 0, 1, 0, 0, 1, -1]);
    const tets = Uint32Array.from([0, 1, 2, 3]);
    const ta = new Float32Array(18), tb = new Float32Array(18);
    assert.equal(k.sliceTetrahedra(tv, tets, 0.5, tb), referenceKernels.sliceTetrahedra(tv, tets, 0.5, ta));
    close(ta, tb, 'on-plane vertex');
  });

  test(`${k.kind}: slicing random tetrahedra and triangles equals the reference (counts and points)`, () => {
    const r = rng(11);
    for (const n of [1, 7, 100, 2000]) {
      const verts = randomVertices(r, 64);
      const tets = Uint32Array.from({ length: n * 4 }, () => Math.floor(r() * 64));
      const tris = Uint32Array.from({ length: n * 3 }, () => Math.floor(r() * 64));
      for (const w of [-0.3, 0, 0.42]) {
        const a = new Float32Array(n * 18), b = new Float32Array(n * 18);
        const na = referenceKernels.sliceTetrahedra(verts, tets, w, a);
        assert.equal(k.sliceTetrahedra(verts, tets, w, b), na, `tet count n=${n} w=${w}`);
        close(a.subarray(0, na * 9), b.subarray(0, na * 9), `tets n=${n} w=${w}`);
        const sa = new Float32Array(n * 6), sb = new Float32Array(n * 6);
        const ma = referenceKernels.sliceTriangles(verts, tris, w, sa);
        assert.equal(k.sliceTriangles(verts, tris, w, sb), ma, `segment count n=${n} w=${w}`);
        close(sa.subarray(0, ma * 6), sb.subarray(0, ma * 6), `segments n=${n} w=${w}`);
        const ka = new Float32Array(na * 9), kb = new Float32Array(na * 9);
        referenceKernels.triangleNormals(a, na, ka);
        k.triangleNormals(a, na, kb);
        // Random index soups make slivers whose normal is ill-conditioned (float32 vs float64
        // cross products differ): compare well-shaped triangles; every normal is unit or zero.
        for (let t = 0; t < na; t++) {
          const len = Math.hypot(kb[t * 9]!, kb[t * 9 + 1]!, kb[t * 9 + 2]!);
          assert.ok(len === 0 || Math.abs(len - 1) < 1e-5, `unit normal ${t}`);
          if (sinAngle(a, t) > 1e-2) close(ka.subarray(t * 9, t * 9 + 9), kb.subarray(t * 9, t * 9 + 9), `normal ${t} n=${n}`);
        }
      }
    }
  });
}

test('slices are geometrically right: cut points lie on the hyperplane and inside the cut edges', () => {
  const m = polytope('600-cell');
  const out = new Float32Array((m.tetrahedra.length / 4) * 18);
  // Cutting through w = 0 of the 600-cell: a closed surface; every cut point has |xyz| <= 1 (inside the 3-sphere).
  const n = referenceKernels.sliceTetrahedra(m.vertices, m.tetrahedra, 0, out);
  assert.ok(n > 100, `the equatorial section has many triangles (${n})`);
  for (let i = 0; i < n * 3; i++) assert.ok(Math.hypot(out[i * 3]!, out[i * 3 + 1]!, out[i * 3 + 2]!) <= 1 + 1e-5);
  // Beyond the polytope nothing is cut.
  assert.equal(referenceKernels.sliceTetrahedra(m.vertices, m.tetrahedra, 1.01, out), 0);
  assert.equal(referenceKernels.sliceTetrahedra(m.vertices, m.tetrahedra, -1.01, out), 0);
  // A tesseract cut at w = 0 is a cube of side 1 (circumradius-1 tesseract): total area 6.
  const t = polytope('tesseract');
  const tout = new Float32Array((t.tetrahedra.length / 4) * 18);
  const tn = referenceKernels.sliceTetrahedra(t.vertices, t.tetrahedra, 0.1, tout);
  let area = 0;
  for (let i = 0; i < tn; i++) {
    const o = i * 9;
    const u = [tout[o + 3]! - tout[o]!, tout[o + 4]! - tout[o + 1]!, tout[o + 5]! - tout[o + 2]!];
    const v = [tout[o + 6]! - tout[o]!, tout[o + 7]! - tout[o + 1]!, tout[o + 8]! - tout[o + 2]!];
    area += Math.hypot(u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!) / 2;
  }
  // Every cube cell crossed contributes its cross-section; interior diagonal cuts add the inner faces of the split.
  assert.ok(area >= 6 - 1e-4, `cross-section area ${area} covers the cube's surface`);
});
