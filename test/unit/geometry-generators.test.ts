import { test } from 'node:test';
import assert from 'node:assert/strict';
import { polytope, POLYTOPES } from '../../src/geometry/polytopes.js';
import { surface, SURFACES } from '../../src/geometry/surfaces.js';
import type { Mesh4 } from '../../src/geometry/mesh4.js';

const counts = (m: Mesh4) => [m.vertices.length / 4, m.edges.length / 2, m.triangles.length / 3, m.tetrahedra.length / 4];
const vertex = (m: Mesh4, i: number) => [m.vertices[i * 4]!, m.vertices[i * 4 + 1]!, m.vertices[i * 4 + 2]!, m.vertices[i * 4 + 3]!];
const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!, a[3]! - b[3]!);

/** 3-volume of a tetrahedron in 4D (Gram determinant). */
function tetVolume(m: Mesh4, t: number): number {
  const [a, b, c, d] = [0, 1, 2, 3].map((k) => vertex(m, m.tetrahedra[t * 4 + k]!));
  const e = [b, c, d].map((p) => p!.map((v, i) => v - a![i]!));
  const g = e.map((x) => e.map((y) => x.reduce((s, v, i) => s + v * y[i]!, 0)));
  const det = g[0]![0]! * (g[1]![1]! * g[2]![2]! - g[1]![2]! * g[2]![1]!) - g[0]![1]! * (g[1]![0]! * g[2]![2]! - g[1]![2]! * g[2]![0]!) + g[0]![2]! * (g[1]![0]! * g[2]![1]! - g[1]![1]! * g[2]![0]!);
  return Math.sqrt(Math.max(0, det)) / 6;
}

test('regular polytopes have the exact vertex / edge / triangle / tetrahedron counts', () => {
  const expected: Record<string, number[]> = {
    '5-cell': [5, 10, 10, 5],
    tesseract: [16, 32, 48, 48], // 24 squares -> 48 triangles; 8 cubes -> 48 tetrahedra
    '16-cell': [8, 24, 32, 16],
    '24-cell': [24, 96, 96, 96], // 24 octahedra -> 96 tetrahedra
    '600-cell': [120, 720, 1200, 600],
  };
  for (const name of POLYTOPES) assert.deepEqual(counts(polytope(name)), expected[name], name);
});

test('polytopes: unit circumradius, one edge length, every vertex of the same degree', () => {
  const degree: Record<string, number> = { '5-cell': 4, tesseract: 4, '16-cell': 6, '24-cell': 8, '600-cell': 12 };
  for (const name of POLYTOPES) {
    const m = polytope(name);
    const n = m.vertices.length / 4;
    for (let i = 0; i < n; i++) assert.ok(Math.abs(Math.hypot(...vertex(m, i)) - 1) < 1e-6, `${name} vertex ${i} on the unit 3-sphere`);
    const lengths = new Set<string>();
    const deg = new Array(n).fill(0);
    for (let e = 0; e < m.edges.length; e += 2) {
      lengths.add(dist(vertex(m, m.edges[e]!), vertex(m, m.edges[e + 1]!)).toFixed(5));
      deg[m.edges[e]!]++;
      deg[m.edges[e + 1]!]++;
    }
    assert.equal(lengths.size, 1, `${name}: one edge length`);
    assert.ok(deg.every((d) => d === degree[name]), `${name}: degree ${degree[name]}`);
  }
});

test('the tetrahedra tile the cells exactly: total 3-volume equals the boundary volume', () => {
  // Boundary 3-volume for circumradius 1, from the edge length a.
  const edge = (m: Mesh4) => dist(vertex(m, m.edges[0]!), vertex(m, m.edges[1]!));
  const regularTet = (a: number) => a ** 3 / (6 * Math.SQRT2);
  const expected: Record<string, (a: number) => number> = {
    '5-cell': (a) => 5 * regularTet(a),
    tesseract: (a) => 8 * a ** 3,
    '16-cell': (a) => 16 * regularTet(a),
    '24-cell': (a) => 24 * (Math.SQRT2 / 3) * a ** 3,
    '600-cell': (a) => 600 * regularTet(a),
  };
  for (const name of POLYTOPES) {
    const m = polytope(name);
    let total = 0;
    for (let t = 0; t < m.tetrahedra.length / 4; t++) {
      const v = tetVolume(m, t);
      assert.ok(v > 1e-6, `${name} tetrahedron ${t} is not degenerate`);
      total += v;
    }
    const want = expected[name]!(edge(m));
    assert.ok(Math.abs(total - want) < 1e-4 * want, `${name}: ${total} vs ${want}`);
  }
});

test('surfaces: vertex and triangle counts follow the resolution; closed meshes (every edge in two triangles)', () => {
  for (const name of SURFACES) {
    const m = surface(name, { u: 16, v: 10 });
    const sheets = name === 'hopf' ? 3 : 1;
    // Edges are the grid lines (u and v), not the triangles' diagonals: the projection's wireframe.
    assert.deepEqual(counts(m), [16 * 10 * sheets, 2 * 16 * 10 * sheets, 2 * 16 * 10 * sheets, 0], name);
    const uses = new Map<string, number>();
    for (let t = 0; t < m.triangles.length; t += 3) {
      for (const [a, b] of [[0, 1], [1, 2], [2, 0]] as const) {
        const x = m.triangles[t + a]!, y = m.triangles[t + b]!;
        const key = `${Math.min(x, y)},${Math.max(x, y)}`;
        uses.set(key, (uses.get(key) ?? 0) + 1);
      }
    }
    assert.ok([...uses.values()].every((u) => u === 2), `${name}: no open seam`);
    // Seams glued right: no long edge (each edge is short at this resolution).
    let longest = 0;
    for (let e = 0; e < m.edges.length; e += 2) longest = Math.max(longest, dist(vertex(m, m.edges[e]!), vertex(m, m.edges[e + 1]!)));
    assert.ok(longest < 0.7, `${name}: longest edge ${longest}`);
  }
});

test('surfaces lie where their formulas say', () => {
  const c = surface('clifford-torus', { u: 12, v: 8 });
  for (let i = 0; i < c.vertices.length / 4; i++) {
    const [x, y, z, w] = vertex(c, i);
    assert.ok(Math.abs(Math.hypot(x!, y!) - Math.SQRT1_2) < 1e-6 && Math.abs(Math.hypot(z!, w!) - Math.SQRT1_2) < 1e-6);
  }
  const h = surface('hopf', { u: 12, v: 8 });
  for (let i = 0; i < h.vertices.length / 4; i++) assert.ok(Math.abs(Math.hypot(...vertex(h, i)) - 1) < 1e-6, 'Hopf fibres lie on S3');
  const k = surface('klein', { u: 12, v: 8 });
  for (let i = 0; i < k.vertices.length / 4; i++) {
    const [x, y, z, w] = vertex(k, i);
    // Distance from the core circle of radius R = 0.7 is the tube radius r = 0.3.
    assert.ok(Math.abs(Math.hypot(Math.hypot(x!, y!) - 0.7, Math.hypot(z!, w!)) - 0.3) < 1e-6);
  }
});

test('bad resolutions are rejected with a clear RangeError', () => {
  assert.throws(() => surface('klein', { u: 2, v: 10 }), /resolution u must be an integer in 3\.\.2048; got 2/);
  assert.throws(() => surface('hopf', { u: 10, v: 1.5 }), /resolution v/);
});
