/**
 * `vib3-embed/geometry`: 4D meshes and the kernels that turn and cut them, usable without the
 * element (in pages, workers and Node).
 * @packageDocumentation
 */
export type { Mesh4 } from './mesh4.js';
export { vertexCount, edgesOfTriangles } from './mesh4.js';
export { POLYTOPES, SURFACES, MESH_NAMES, MESH_MODES, isMeshName, type PolytopeName, type SurfaceName, type MeshName, type MeshMode } from './names.js';
export { polytope } from './polytopes.js';
export { surface, DEFAULT_SURFACE_RESOLUTION, type SurfaceResolution } from './surfaces.js';
export { meshByName } from './mesh-catalog.js';
export { registerMesh, unregisterMesh, customMeshes, CUSTOM_MESH_NAME } from './custom-meshes.js';
export { referenceKernels, kernelMatrix, type GeometryKernels } from './kernels.js';
export { loadKernels, wasmSimdSupported, type KernelPreference } from './wasm-kernels.js';
export { createGeometryService, type GeometryService, type SliceRequest, type SliceResult } from './service.js';
export { GeometryWorkerPool, geometryPool, type GeometryPoolOptions, type SliceOptions } from './worker-pool.js';
export { setGeometryWorkerUrl, geometryWorkerUrl, GEOMETRY_WORKER_FILE } from './worker-url.js';
