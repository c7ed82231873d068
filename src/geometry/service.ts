import type { Rotation4D } from '../core/rotation.js';
import { kernelMatrix, type GeometryKernels } from './kernels.js';
import { loadKernels, type KernelPreference } from './wasm-kernels.js';
import { meshByName, isMeshName, type MeshName } from './mesh-catalog.js';
import type { SurfaceResolution } from './surfaces.js';
import type { Mesh4 } from './mesh4.js';
import { registerMesh } from './custom-meshes.js';

/** One frame's cross-section request. */
export interface SliceRequest {
  mesh: MeshName;
  /** Surface resolution (ignored for polytopes). */
  resolution?: SurfaceResolution;
  /** 4D rotation applied before slicing (VIB3 plane order). */
  rotation: Rotation4D;
  /** The hyperplane w = offset. */
  offset: number;
  /**
   * Optional shared output (cross-origin isolated pages): the result is written here instead of
   * into fresh transferred arrays, when it fits. Layout: triangles, then normals, then segments.
   */
  shared?: SharedArrayBuffer;
}

/** A cross-section: filled triangles (solid cells) and outline segments (cut 2-faces or surface). */
export interface SliceResult {
  /** xyz x 3 per triangle. */
  triangles: Float32Array;
  /** Unit normal per triangle vertex (xyz x 3 per triangle). */
  normals: Float32Array;
  triangleCount: number;
  /** xyz x 2 per segment. */
  segments: Float32Array;
  segmentCount: number;
  /** Which kernels computed it. */
  kernels: GeometryKernels['kind'];
  /** Time spent in the kernels, ms. */
  computeMs: number;
  /** True when the result was written into `request.shared` (the arrays are views of it). */
  inShared: boolean;
}

/** What the geometry worker exposes over comlink. */
export interface GeometryService {
  /** Loads the kernels (idempotent); returns which ones run. */
  init(preference?: KernelPreference): Promise<GeometryKernels['kind']>;
  /** Computes one cross-section. */
  slice(request: SliceRequest): Promise<SliceResult>;
  /** Busy-waits `ms` (tests: a long request to cancel or to kill the worker under). */
  spin(ms: number): Promise<void>;
  /** Registers a custom mesh in this worker (the pool sends each one before its first slice). */
  defineMesh(mesh: Mesh4): Promise<void>;
}

/** The service implementation (runs in the worker; also usable directly, e.g. in Node). */
export function createGeometryService(): GeometryService {
  let kernels: GeometryKernels | undefined;
  let loading: Promise<GeometryKernels> | undefined;
  const scratch = new Map<string, Float32Array>();
  const ready = async (preference: KernelPreference = 'auto'): Promise<GeometryKernels> => {
    loading ??= loadKernels(preference);
    kernels = await loading;
    return kernels;
  };
  const buffer = (key: string, length: number) => {
    let b = scratch.get(key);
    if (!b || b.length < length) {
      b = new Float32Array(length);
      scratch.set(key, b);
    }
    return b;
  };
  return {
    async init(preference = 'auto') {
      return (await ready(preference)).kind;
    },
    async slice(req) {
      if (!isMeshName(req.mesh)) throw new RangeError(`unknown mesh "${String(req.mesh)}"`);
      if (!Number.isFinite(req.offset)) throw new RangeError(`slice offset must be finite; got ${req.offset}`);
      const k = kernels ?? (await ready());
      const t0 = performance.now();
      const m = meshByName(req.mesh, req.resolution);
      const n = m.vertices.length / 4;
      const rotated = buffer('rotated', n * 4);
      k.transform(m.vertices, n, kernelMatrix(req.rotation), rotated);
      const v = rotated.subarray(0, n * 4);
      const tets = m.tetrahedra.length / 4;
      const tris = buffer('tris', Math.max(1, tets * 18));
      const triangleCount = tets ? k.sliceTetrahedra(v, m.tetrahedra, req.offset, tris) : 0;
      const normals = buffer('normals', Math.max(1, triangleCount * 9));
      k.triangleNormals(tris, triangleCount, normals);
      const segs = buffer('segs', Math.max(1, (m.triangles.length / 3) * 6));
      const segmentCount = k.sliceTriangles(v, m.triangles, req.offset, segs);
      const computeMs = performance.now() - t0;
      const tLen = triangleCount * 9, sLen = segmentCount * 6;
      if (req.shared && (tLen * 2 + sLen) * 4 <= req.shared.byteLength) {
        const out = new Float32Array(req.shared);
        out.set(tris.subarray(0, tLen), 0);
        out.set(normals.subarray(0, tLen), tLen);
        out.set(segs.subarray(0, sLen), tLen * 2);
        return {
          triangles: out.subarray(0, tLen),
          normals: out.subarray(tLen, tLen * 2),
          segments: out.subarray(tLen * 2, tLen * 2 + sLen),
          triangleCount,
          segmentCount,
          kernels: k.kind,
          computeMs,
          inShared: true,
        };
      }
      return {
        triangles: tris.slice(0, tLen),
        normals: normals.slice(0, tLen),
        segments: segs.slice(0, sLen),
        triangleCount,
        segmentCount,
        kernels: k.kind,
        computeMs,
        inShared: false,
      };
    },
    async defineMesh(mesh) {
      registerMesh(mesh.name, mesh);
    },
    async spin(ms) {
      const end = performance.now() + ms;
      while (performance.now() < end) {
        /* busy */
      }
    },
  };
}
