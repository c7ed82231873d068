import satisfies from 'semver/functions/satisfies.js';
import type { Vib3ExtensionManifest } from './manifest.generated.js';
import { VERSION } from '../../core/version.js';

/** The renderer-contract version this kit implements (see render/contract.ts). */
export const RENDERER_CONTRACT_VERSION = 1;

/** A runtime feature flag an extension may require. */
export type FeatureFlag = NonNullable<NonNullable<Vib3ExtensionManifest['compatibility']['features']>['required']>[number];

/** Why an extension cannot run here. */
export interface CompatibilityIssue {
  code: 'CORE_VERSION_MISMATCH' | 'RENDERER_CONTRACT_MISMATCH' | 'MISSING_FEATURE';
  message: string;
  suggestion: string;
}

/** The host side of a compatibility check. */
export interface HostDescription {
  coreVersion: string;
  rendererContract: number;
  features: readonly FeatureFlag[];
}

/**
 * Checks an extension against a host.
 *
 * Prerelease cores: the core version is compared by full semver precedence
 * (`includePrerelease`), so `0.2.0-beta.1` satisfies `>=0.1.0` and `>=0.2.0-0`, but not
 * `^0.2.0` (a beta of 0.2.0 comes *before* 0.2.0). An extension that wants to run on betas
 * of a release says so with a `-0` lower bound, e.g. `>=0.2.0-0 <0.3.0`.
 */
export function checkCompatibility(manifest: Vib3ExtensionManifest, host: HostDescription = currentHost()): CompatibilityIssue[] {
  const issues: CompatibilityIssue[] = [];
  if (!satisfies(host.coreVersion, manifest.compatibility.core, { includePrerelease: true })) {
    issues.push({
      code: 'CORE_VERSION_MISMATCH',
      message: `${manifest.name} supports kit versions ${manifest.compatibility.core}; this is ${host.coreVersion}.`,
      suggestion: 'Install a release of the extension built for this kit version, or ask its publisher to widen compatibility.core.',
    });
  }
  if (manifest.compatibility.rendererContract !== host.rendererContract) {
    issues.push({
      code: 'RENDERER_CONTRACT_MISMATCH',
      message: `${manifest.name} targets renderer contract ${manifest.compatibility.rendererContract}; this kit implements ${host.rendererContract}.`,
      suggestion: 'Use a version of the extension built against this renderer contract.',
    });
  }
  for (const feature of manifest.compatibility.features?.required ?? []) {
    if (!host.features.includes(feature)) {
      issues.push({
        code: 'MISSING_FEATURE',
        message: `${manifest.name} requires the "${feature}" feature, which this browser lacks.`,
        suggestion: 'Open the page in a browser with that feature, or choose another extension.',
      });
    }
  }
  return issues;
}

/** Describes the running kit and browser (features are probed where a global exists). */
export function currentHost(): HostDescription {
  const g = globalThis as Record<string, unknown>;
  const features: FeatureFlag[] = [];
  if ((g['navigator'] as { gpu?: unknown } | undefined)?.gpu) features.push('webgpu');
  if (typeof g['WebGL2RenderingContext'] === 'function') features.push('webgl2');
  if (typeof g['AudioContext'] === 'function') features.push('audio');
  if (typeof g['PointerEvent'] === 'function') features.push('pointer');
  if (typeof g['OffscreenCanvas'] === 'function') features.push('offscreen-canvas');
  if (typeof g['SharedArrayBuffer'] === 'function' && g['crossOriginIsolated'] === true) features.push('shared-array-buffer');
  if (typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)) features.push('wasm-simd');
  return { coreVersion: VERSION, rendererContract: RENDERER_CONTRACT_VERSION, features };
}

/** A minimal module using a v128 instruction: validates only where WASM SIMD is supported. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
