import { edgesOfTriangles, type Mesh4 } from './mesh4.js';
import { POLYTOPES, type PolytopeName } from './names.js';

export { POLYTOPES, type PolytopeName };

const PHI = (1 + Math.sqrt(5)) / 2;

/** Even permutations of 4 indices (the 12 of A4). */
function evenPermutations(): number[][] {
  const out: number[][] = [];
  const perm = (arr: number[], k: number) => {
    if (k === arr.length) {
      let inversions = 0;
      for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) if (arr[i]! > arr[j]!) inversions++;
      if (inversions % 2 === 0) out.push([...arr]);
      return;
    }
    for (let i = k; i < arr.length; i++) {
      [arr[k], arr[i]] = [arr[i]!, arr[k]!];
      perm(arr, k + 1);
      [arr[k], arr[i]] = [arr[i]!, arr[k]!];
    }
  };
  perm([0, 1, 2, 3], 0);
  return out;
}

/** Adds every sign combination of the non-zero coordinates of `base` (deduplicated). */
function withSigns(base: number[], into: number[][]): void {
  const nz = base.map((v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0);
  for (let mask = 0; mask < 1 << nz.length; mask++) {
    const v = [...base];
    nz.forEach((i, bit) => {
      if (mask & (1 << bit)) v[i] = -v[i]!;
    });
    into.push(v);
  }
}

function dedupe(points: number[][]): number[][] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const key = p.map((v) => v.toFixed(6)).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Scales points to circumradius 1. */
function normalise(points: number[][]): number[][] {
  const r = Math.hypot(...points[0]!);
  return points.map((p) => p.map((v) => v / r));
}

function dist2(a: number[], b: number[]): number {
  return (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2 + (a[2]! - b[2]!) ** 2 + (a[3]! - b[3]!) ** 2;
}

/** Edges = vertex pairs at the minimum distance (true for every regular polytope). */
function shortestEdges(points: number[][]): [number, number][] {
  let min = Infinity;
  for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) min = Math.min(min, dist2(points[i]!, points[j]!));
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) if (Math.abs(dist2(points[i]!, points[j]!) - min) < 1e-6) out.push([i, j]);
  return out;
}

/** All k-cliques of the edge graph (triangles for k = 3, tetrahedra for k = 4). */
function cliques(n: number, edges: [number, number][], k: number): number[][] {
  const adj = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    adj[a]!.add(b);
    adj[b]!.add(a);
  }
  const out: number[][] = [];
  const grow = (clique: number[], candidates: number[]) => {
    if (clique.length === k) {
      out.push(clique);
      return;
    }
    for (const c of candidates) {
      grow([...clique, c], candidates.filter((x) => x > c && adj[c]!.has(x)));
    }
  };
  for (let v = 0; v < n; v++) grow([v], [...adj[v]!].filter((x) => x > v).sort((a, b) => a - b));
  return out;
}

function mesh(name: string, points: number[][], edges: [number, number][], triangles: number[][], tetrahedra: number[][]): Mesh4 {
  return {
    name,
    vertices: Float32Array.from(points.flat()),
    edges: Uint32Array.from(edges.flat()),
    triangles: Uint32Array.from(triangles.flat()),
    tetrahedra: Uint32Array.from(tetrahedra.flat()),
  };
}

/** Simplicial polytopes (5-cell, 16-cell, 600-cell): faces and cells are the cliques of the edge graph. */
function simplicial(name: string, points: number[][]): Mesh4 {
  const pts = normalise(points);
  const edges = shortestEdges(pts);
  return mesh(name, pts, edges, cliques(pts.length, edges, 3), cliques(pts.length, edges, 4));
}

function fiveCell(): Mesh4 {
  const s5 = 1 / Math.sqrt(5);
  return simplicial('5-cell', [
    [1, 1, 1, -s5],
    [1, -1, -1, -s5],
    [-1, 1, -1, -s5],
    [-1, -1, 1, -s5],
    [0, 0, 0, 4 * s5],
  ]);
}

function sixteenCell(): Mesh4 {
  const pts: number[][] = [];
  for (let i = 0; i < 4; i++) withSigns([0, 0, 0, 0].map((_, j) => (j === i ? 1 : 0)), pts);
  return simplicial('16-cell', pts);
}

function sixHundredCell(): Mesh4 {
  const pts: number[][] = [];
  withSigns([0.5, 0.5, 0.5, 0.5], pts);
  for (let i = 0; i < 4; i++) withSigns([0, 0, 0, 0].map((_, j) => (j === i ? 1 : 0)), pts);
  const base = [PHI / 2, 0.5, 1 / (2 * PHI), 0];
  for (const p of evenPermutations()) withSigns(p.map((i) => base[i]!), pts);
  return simplicial('600-cell', dedupe(pts));
}

/** Tesseract: 16 vertices (±1)^4 / 2; 24 square faces as 48 triangles; 8 cubes as 48 tetrahedra (6 per cube). */
function tesseract(): Mesh4 {
  const pts: number[][] = [];
  withSigns([1, 1, 1, 1], pts);
  const unit = normalise(pts);
  const index = (p: number[]) => pts.findIndex((q) => q.every((v, i) => v === p[i]));
  const edges = shortestEdges(unit);
  const triangles: number[][] = [];
  // Faces: fix two coordinates, the other two span a square.
  for (let a = 0; a < 4; a++) {
    for (let b = a + 1; b < 4; b++) {
      const free = [0, 1, 2, 3].filter((i) => i !== a && i !== b) as [number, number];
      for (const sa of [-1, 1]) {
        for (const sb of [-1, 1]) {
          const corner = (u: number, v: number) => {
            const p = [0, 0, 0, 0];
            p[a] = sa;
            p[b] = sb;
            p[free[0]] = u;
            p[free[1]] = v;
            return index(p);
          };
          triangles.push([corner(-1, -1), corner(1, -1), corner(1, 1)], [corner(-1, -1), corner(1, 1), corner(-1, 1)]);
        }
      }
    }
  }
  // Cells: fix one coordinate; split each cube into 6 tetrahedra along its main diagonal.
  const tetrahedra: number[][] = [];
  const axisOrders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  for (let a = 0; a < 4; a++) {
    const free = [0, 1, 2, 3].filter((i) => i !== a);
    for (const sa of [-1, 1]) {
      const at = (bits: number[]) => {
        const p = [0, 0, 0, 0];
        p[a] = sa;
        free.forEach((axis, k) => (p[axis] = bits[k] ? 1 : -1));
        return index(p);
      };
      for (const order of axisOrders) {
        const bits = [0, 0, 0];
        const tet = [at(bits)];
        for (const k of order) {
          bits[k] = 1;
          tet.push(at(bits));
        }
        tetrahedra.push(tet);
      }
    }
  }
  return mesh('tesseract', unit, edges, triangles, tetrahedra);
}

/** 24-cell: permutations of (±1, ±1, 0, 0); 96 triangles; 24 octahedral cells as 96 tetrahedra (4 each). */
function twentyFourCell(): Mesh4 {
  const pts: number[][] = [];
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) withSigns([0, 0, 0, 0].map((_, k) => (k === i || k === j ? 1 : 0)), pts);
  const unit = normalise(pts);
  const edges = shortestEdges(unit);
  const triangles = cliques(unit.length, edges, 3);
  // Cell centres: the dual 24-cell's vertices (±1,0,0,0)-type and (±½,±½,±½,±½); each cell = the 6 nearest vertices.
  const centres: number[][] = [];
  for (let i = 0; i < 4; i++) withSigns([0, 0, 0, 0].map((_, k) => (k === i ? 1 : 0)), centres);
  withSigns([0.5, 0.5, 0.5, 0.5], centres);
  const tetrahedra: number[][] = [];
  for (const c of centres) {
    const near = pts
      .map((p, i) => ({ i, d: dist2(p, c) }))
      .sort((x, y) => x.d - y.d)
      .slice(0, 6)
      .map((x) => x.i);
    // An octahedron: pick an axis (a vertex and its opposite), the other four form a ring.
    const top = near[0]!;
    const bottom = near.reduce((best, v) => (dist2(pts[v]!, pts[top]!) > dist2(pts[best]!, pts[top]!) ? v : best), near[1]!);
    const ring = near.filter((v) => v !== top && v !== bottom);
    // Order the square ring: r0, a neighbour of r0, the vertex opposite r0, the other neighbour.
    const r0 = ring[0]!;
    const [n1, n2] = ring.filter((v) => v !== r0 && isEdge(pts, v, r0));
    const opposite = ring.find((v) => v !== r0 && !isEdge(pts, v, r0))!;
    const ordered = [r0, n1!, opposite, n2!];
    for (let k = 0; k < 4; k++) tetrahedra.push([top, bottom, ordered[k]!, ordered[(k + 1) % 4]!]);
  }
  return mesh('24-cell', unit, edges, triangles, tetrahedra);
}

function isEdge(pts: number[][], a: number, b: number): boolean {
  return Math.abs(dist2(pts[a]!, pts[b]!) - 2) < 1e-6;
}

const BUILDERS: Record<PolytopeName, () => Mesh4> = {
  '5-cell': fiveCell,
  tesseract,
  '16-cell': sixteenCell,
  '24-cell': twentyFourCell,
  '600-cell': sixHundredCell,
};
const cache = new Map<PolytopeName, Mesh4>();

/**
 * A regular convex 4-polytope with circumradius 1: vertices, edges, its 2-faces as triangles and
 * its 3-cells as tetrahedra (what slicing needs). Built once per name and cached.
 */
export function polytope(name: PolytopeName): Mesh4 {
  let m = cache.get(name);
  if (!m) {
    m = BUILDERS[name]();
    cache.set(name, m);
  }
  return m;
}

export { edgesOfTriangles };
