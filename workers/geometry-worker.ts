// The geometry worker: runs the WASM (or TypeScript) kernels off the main thread and answers
// slice requests over comlink. Built to dist/geometry-worker.js (an ES module worker).
import { expose, transfer } from 'comlink';
import { createGeometryService, type GeometryService, type SliceRequest } from '../src/geometry/service.js';

const service = createGeometryService();
const api: GeometryService = {
  init: (preference) => service.init(preference),
  async slice(request: SliceRequest) {
    const result = await service.slice(request);
    // Fresh arrays are handed over without a copy; shared ones stay where they are.
    return result.inShared ? result : transfer(result, [result.triangles.buffer, result.normals.buffer, result.segments.buffer] as ArrayBuffer[]);
  },
  spin: (ms) => service.spin(ms),
  defineMesh: (mesh) => service.defineMesh(mesh),
};
expose(api);
