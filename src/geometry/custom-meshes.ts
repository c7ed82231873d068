import { Vib3Error } from '../core/errors.js';
import type { Mesh4 } from './mesh4.js';
import { meshProblem } from './mesh-check.js';

/** Shared by every copy of the kit on the page (the ES build, the script-tag file, the extension runtime). */
const KEY = Symbol.for('vib3.custom-meshes');

/** Meshes registered at run time (e.g. by geometry extensions), by name. */
export function customMeshes(): Map<string, Mesh4> {
  const g = globalThis as unknown as Record<symbol, Map<string, Mesh4> | undefined>;
  return (g[KEY] ??= new Map());
}

/** Names of registered meshes contain a "/" (`<owner>/<shape>`), so they never clash with built-ins. */
export const CUSTOM_MESH_NAME = /^[a-z0-9][a-z0-9.-]*\/[A-Za-z0-9_.-]{1,64}$/;

const check = (ok: boolean, what: string) => {
  if (!ok) throw new Vib3Error('INVALID_MESH', `The mesh is invalid: ${what}.`, 'Vertices are xyzw floats; edges, triangles and tetrahedra index existing vertices in pairs, triples and quadruples.');
};

/**
 * Registers a 4D mesh under `name` (`<owner>/<shape>`), so `<vib3-canvas mesh="name">` shows it in
 * both mesh modes (slicing needs `tetrahedra`; `triangles` add the outline). Replaces a mesh of
 * the same name. Throws a Vib3Error (INVALID_MESH) for bad names or data.
 */
export function registerMesh(name: string, mesh: Omit<Mesh4, 'name'>): Mesh4 {
  check(CUSTOM_MESH_NAME.test(name), `the name "${name}" must look like "owner/shape"`);
  const problem = meshProblem(mesh);
  check(problem === undefined, problem ?? '');
  const v = mesh.vertices;
  const stored: Mesh4 = { name, vertices: v, edges: mesh.edges, triangles: mesh.triangles, tetrahedra: mesh.tetrahedra };
  customMeshes().set(name, stored);
  return stored;
}

/** Removes a registered mesh (elements showing it draw no mesh until it is registered again). */
export function unregisterMesh(name: string): boolean {
  return customMeshes().delete(name);
}
