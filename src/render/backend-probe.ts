import { Vib3Error } from '../core/errors.js';
import type { BackendKind, RendererPreference } from './contract.js';

let webgpuProbe: Promise<boolean> | undefined;

/** Whether this browser hands out a WebGPU adapter. Probed once per page. */
export function hasWebGPU(): Promise<boolean> {
  webgpuProbe ??= (async () => {
    const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return false;
    try {
      return (await gpu.requestAdapter()) !== null;
    } catch {
      return false;
    }
  })();
  return webgpuProbe;
}

/**
 * Whether this browser has the WebGL2 API. No throwaway context is created (that would count
 * against the page's context limit and show up as a context loss); if creating the real
 * context fails, renderer init reports WEBGL2_UNAVAILABLE.
 */
export function hasWebGL2(): boolean {
  return typeof (globalThis as { WebGL2RenderingContext?: unknown }).WebGL2RenderingContext === 'function';
}

/**
 * Resolves a preference to a backend, or rejects with a Vib3Error. An explicit choice never
 * silently switches: `webgpu` without WebGPU rejects with `WEBGPU_UNAVAILABLE`.
 */
export async function resolveBackend(preference: RendererPreference): Promise<BackendKind> {
  if (preference === 'webgpu') {
    if (await hasWebGPU()) return 'webgpu';
    throw new Vib3Error(
      'WEBGPU_UNAVAILABLE',
      'renderer="webgpu" was requested but this browser offers no WebGPU adapter.',
      'Use renderer="auto" to fall back to WebGL2, or open the page in a browser with WebGPU enabled.',
    );
  }
  if (preference === 'webgl2') {
    if (hasWebGL2()) return 'webgl2';
    throw new Vib3Error(
      'WEBGL2_UNAVAILABLE',
      'renderer="webgl2" was requested but this browser cannot create a WebGL2 context.',
      'Use renderer="auto", enable hardware acceleration, or update the browser.',
    );
  }
  if (await hasWebGPU()) return 'webgpu';
  if (hasWebGL2()) return 'webgl2';
  throw new Vib3Error(
    'NO_BACKEND',
    'Neither WebGPU nor WebGL2 is available in this browser.',
    'Enable hardware acceleration or use a current browser; the element shows its fallback content meanwhile.',
  );
}
