import type { Mesh4 } from './mesh4.js';
import { customMeshes } from './custom-meshes.js';
import { polytope } from './polytopes.js';
import { surface, DEFAULT_SURFACE_RESOLUTION, type SurfaceResolution } from './surfaces.js';
import { POLYTOPES, MESH_NAMES, isMeshName, type MeshName, type PolytopeName, type SurfaceName } from './names.js';

export { MESH_NAMES, isMeshName, type MeshName };

const cache = new Map<string, Mesh4>();

/**
 * The mesh called `name`; surfaces are sampled at `resolution` (default 48 x 24). Built once per
 * name and resolution, then cached.
 */
export function meshByName(name: MeshName, resolution: SurfaceResolution = DEFAULT_SURFACE_RESOLUTION): Mesh4 {
  const custom = customMeshes().get(name);
  if (custom) return custom;
  if ((POLYTOPES as readonly string[]).includes(name)) return polytope(name as PolytopeName);
  if (!isMeshName(name)) throw new RangeError(`unknown mesh "${String(name)}"; use one of ${MESH_NAMES.join(', ')}`);
  const key = `${name}:${resolution.u}x${resolution.v}`;
  let m = cache.get(key);
  if (!m) {
    m = surface(name as SurfaceName, resolution);
    cache.set(key, m);
  }
  return m;
}
