import { Vib3Error } from '../core/errors.js';
import { GEOMETRY_WASM_SCALAR, GEOMETRY_WASM_SIMD } from './generated/wasm.js';
import { referenceKernels, type GeometryKernels } from './kernels.js';

/** Which kernel implementation to use: `auto` = WASM SIMD, else WASM scalar, else TypeScript. */
export type KernelPreference = 'auto' | 'wasm-simd' | 'wasm-scalar' | 'js';

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** True when this engine can compile the SIMD build (WebAssembly.validate; no code runs). */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(decode(GEOMETRY_WASM_SIMD));
  } catch {
    return false;
  }
}

interface Exports {
  memory: WebAssembly.Memory;
  transformProject(vin: number, count: number, mat: number, d: number, out: number): void;
  transform(vin: number, count: number, mat: number, out: number): void;
  sliceTetrahedra(v: number, tets: number, count: number, c: number, out: number): number;
  sliceTriangles(v: number, tris: number, count: number, c: number, out: number): number;
  triangleNormals(tri: number, count: number, out: number): void;
}

/** Bytes reserved at the start of memory for the module's own static data. */
const BASE = 65536;
const align = (n: number) => (n + 15) & ~15;

/**
 * Kernels running in a WASM instance. Inputs are copied into the instance's memory (grown on
 * demand), outputs copied back out; the layout is rebuilt per call, so calls never share state.
 */
class WasmKernels implements GeometryKernels {
  constructor(
    readonly kind: 'wasm-simd' | 'wasm-scalar',
    private readonly x: Exports,
  ) {}

  /** Reserves consecutive regions of the given byte sizes; returns their offsets. */
  private layout(...sizes: number[]): number[] {
    const offsets: number[] = [];
    let at = BASE;
    for (const size of sizes) {
      offsets.push(at);
      at = align(at + size + 16); // +16: room for the SIMD stores' trailing lane
    }
    const have = this.x.memory.buffer.byteLength;
    if (at > have) this.x.memory.grow(Math.ceil((at - have) / 65536));
    return offsets;
  }

  private f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, offset, length);
  }

  transformProject(v: Float32Array, count: number, m: Float32Array, d: number, out: Float32Array): void {
    if (count <= 0) return;
    const [vin, mat, o] = this.layout(count * 16, 64, count * 12) as [number, number, number];
    this.f32(vin, count * 4).set(v.subarray(0, count * 4));
    this.f32(mat, 16).set(m.subarray(0, 16));
    this.x.transformProject(vin, count, mat, d, o);
    out.set(this.f32(o, count * 3));
  }

  transform(v: Float32Array, count: number, m: Float32Array, out: Float32Array): void {
    if (count <= 0) return;
    const [vin, mat, o] = this.layout(count * 16, 64, count * 16) as [number, number, number];
    this.f32(vin, count * 4).set(v.subarray(0, count * 4));
    this.f32(mat, 16).set(m.subarray(0, 16));
    this.x.transform(vin, count, mat, o);
    out.set(this.f32(o, count * 4));
  }

  sliceTetrahedra(v: Float32Array, tets: Uint32Array, offset: number, out: Float32Array): number {
    const count = Math.floor(tets.length / 4);
    if (count === 0 || v.length === 0) return 0;
    const [vin, ix, o] = this.layout(v.length * 4, count * 16, count * 72) as [number, number, number];
    this.f32(vin, v.length).set(v);
    new Uint32Array(this.x.memory.buffer, ix, count * 4).set(tets.subarray(0, count * 4));
    const n = this.x.sliceTetrahedra(vin, ix, count, offset, o);
    out.set(this.f32(o, n * 9));
    return n;
  }

  sliceTriangles(v: Float32Array, tris: Uint32Array, offset: number, out: Float32Array): number {
    const count = Math.floor(tris.length / 3);
    if (count === 0 || v.length === 0) return 0;
    const [vin, ix, o] = this.layout(v.length * 4, count * 12, count * 24) as [number, number, number];
    this.f32(vin, v.length).set(v);
    new Uint32Array(this.x.memory.buffer, ix, count * 3).set(tris.subarray(0, count * 3));
    const n = this.x.sliceTriangles(vin, ix, count, offset, o);
    out.set(this.f32(o, n * 6));
    return n;
  }

  triangleNormals(tri: Float32Array, count: number, out: Float32Array): void {
    if (count <= 0) return;
    const [t, o] = this.layout(count * 36, count * 36) as [number, number];
    this.f32(t, count * 9).set(tri.subarray(0, count * 9));
    this.x.triangleNormals(t, count, o);
    out.set(this.f32(o, count * 9));
  }
}

async function instantiate(kind: 'wasm-simd' | 'wasm-scalar'): Promise<GeometryKernels> {
  const bytes = decode(kind === 'wasm-simd' ? GEOMETRY_WASM_SIMD : GEOMETRY_WASM_SCALAR);
  try {
    const { instance } = await WebAssembly.instantiate(bytes, { env: { abort: () => { throw new Error('wasm abort'); } } });
    return new WasmKernels(kind, instance.exports as unknown as Exports);
  } catch (err) {
    throw new Vib3Error(
      'WASM_UNAVAILABLE',
      `The ${kind} geometry kernels could not be compiled: ${err instanceof Error ? err.message : String(err)}`,
      "Allow WebAssembly with 'wasm-unsafe-eval' in script-src, or use the TypeScript kernels (preference 'js' or 'auto').",
    );
  }
}

/**
 * Loads the geometry kernels. `auto` picks WASM SIMD, then WASM scalar, then the TypeScript
 * reference (e.g. under a CSP without 'wasm-unsafe-eval'); an explicit WASM choice that cannot
 * load rejects with a Vib3Error (WASM_UNAVAILABLE).
 */
export async function loadKernels(preference: KernelPreference = 'auto'): Promise<GeometryKernels> {
  if (preference === 'js') return referenceKernels;
  if (preference !== 'auto') return instantiate(preference);
  for (const kind of wasmSimdSupported() ? (['wasm-simd', 'wasm-scalar'] as const) : (['wasm-scalar'] as const)) {
    try {
      return await instantiate(kind);
    } catch {
      /* try the next one */
    }
  }
  return referenceKernels;
}
