import { customMeshes } from './custom-meshes.js';

/** The regular convex 4-polytopes the mesh layer can show. */
export const POLYTOPES = ['5-cell', 'tesseract', '16-cell', '24-cell', '600-cell'] as const;
/** A regular convex 4-polytope name. */
export type PolytopeName = (typeof POLYTOPES)[number];

/** The parametric surfaces in 4D the mesh layer can show. */
export const SURFACES = ['clifford-torus', 'hopf', 'klein'] as const;
/** A parametric surface name. */
export type SurfaceName = (typeof SURFACES)[number];

/** Every mesh the mesh layer can show (the element's `mesh` attribute, besides `none`). */
export const MESH_NAMES = [...POLYTOPES, ...SURFACES] as const;
/** A mesh name. */
export type MeshName = PolytopeName | SurfaceName;

/** Name of a mesh registered at run time: `<owner>/<shape>`. */
export type CustomMeshName = `${string}/${string}`;

/** True for a built-in mesh name or one registered with `registerMesh`. */
export function isMeshName(name: unknown): name is MeshName {
  return typeof name === 'string' && ((MESH_NAMES as readonly string[]).includes(name) || customMeshes().has(name));
}

/** How the mesh layer shows its mesh. */
export const MESH_MODES = ['projection', 'slice'] as const;
/** A mesh mode. */
export type MeshMode = (typeof MESH_MODES)[number];
