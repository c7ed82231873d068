import type { Mesh4D } from 'vib3-embed/sdk';

/** Counts of the p,q-duoprism (the Cartesian product of a p-gon and a q-gon). */
export interface DuoprismFacts {
  p: number;
  q: number;
  vertices: number;
  edges: number;
  faces: number;
  cells: number;
  /** V - E + F - C: 0 for every convex 4-polytope. */
  eulerCharacteristic: number;
}

/** Smallest and largest polygon sizes offered. */
export const MIN_SIDES = 3;
export const MAX_SIDES = 64;

/** Validates p and q (integers in 3..64). */
export function checkSides(p: unknown, q: unknown): { p: number; q: number } {
  const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= MIN_SIDES && (n as number) <= MAX_SIDES;
  if (!ok(p) || !ok(q)) throw new RangeError(`p and q must be integers from ${MIN_SIDES} to ${MAX_SIDES}; got p=${String(p)}, q=${String(q)}.`);
  return { p, q };
}

/**
 * The p,q-duoprism on the Clifford torus: vertex (i, j) = (cos a, sin a, cos b, sin b) / √2 with
 * a = 2πi/p, b = 2πj/q. Edges join (i, j) to (i+1, j) and to (i, j+1).
 */
export function duoprism(p: number, q: number): Mesh4D {
  const vertices = new Float32Array(p * q * 4);
  const s = Math.SQRT1_2;
  for (let i = 0; i < p; i++) {
    const a = (2 * Math.PI * i) / p;
    for (let j = 0; j < q; j++) {
      const b = (2 * Math.PI * j) / q;
      vertices.set([Math.cos(a) * s, Math.sin(a) * s, Math.cos(b) * s, Math.sin(b) * s], (i * q + j) * 4);
    }
  }
  const edges = new Uint32Array(p * q * 4);
  let e = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      const v = i * q + j;
      edges[e++] = v;
      edges[e++] = ((i + 1) % p) * q + j;
      edges[e++] = v;
      edges[e++] = i * q + ((j + 1) % q);
    }
  }
  return { vertices, edges };
}

/** Vertex, edge, face and cell counts. */
export function facts(p: number, q: number): DuoprismFacts {
  const vertices = p * q;
  const edges = 2 * p * q;
  const faces = p * q + p + q; // pq squares, p q-gons, q p-gons
  const cells = p + q; // p q-gonal prisms and q p-gonal prisms
  return { p, q, vertices, edges, faces, cells, eulerCharacteristic: vertices - edges + faces - cells };
}
