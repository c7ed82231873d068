import { meshProblem } from '../geometry/mesh-check.js';
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';

/**
 * The extension contract shared by the SDK, its test harness, the host and the sandbox worker:
 * capability names, the mesh type and its check, the error codes and the size measure. Spelled
 * once here; everything else imports it.
 */

/** Capabilities an extension can request in extension.json (the schema lists the same keys). */
export const CAPABILITIES = ['rendering', 'geometry', 'ui', 'agent-tools', 'telemetry', 'network'] as const;
/** A capability name. */
export type CapabilityName = (typeof CAPABILITIES)[number];

// The schema (manifest.generated.ts derives from it) and this list name the same capabilities.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaAgrees: SameKeys<keyof Vib3ExtensionManifest['capabilities'], CapabilityName> = true;
void schemaAgrees;

/** The context property each capability adds (`ctx.tools` for `agent-tools`). */
export const CAPABILITY_API: Readonly<Record<CapabilityName, string>> = {
  rendering: 'rendering',
  geometry: 'geometry',
  ui: 'ui',
  'agent-tools': 'tools',
  telemetry: 'telemetry',
  network: 'network',
};

/** A 4D mesh: xyzw vertices, vertex-index pairs for edges, optional tetrahedral cells (4 indices each). */
export interface Mesh4D {
  vertices: Float32Array;
  edges: Uint32Array;
  cells?: Uint32Array;
}

/** What is wrong with a mesh an extension hands over (undefined when it is valid). */
export function mesh4DProblem(mesh: unknown): string | undefined {
  const m = mesh as Partial<Mesh4D> | null | undefined;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'a mesh is { vertices: Float32Array (xyzw), edges: Uint32Array, cells?: Uint32Array }';
  return meshProblem({ vertices: m.vertices, edges: m.edges, tetrahedra: m.cells });
}

/**
 * Stable codes of the extension runtime's errors (they cross the sandbox boundary intact). The
 * SDK harness throws these same codes for the same mistakes.
 */
export const EXTENSION_ERROR_CODES = [
  'VERIFY_FAILED',
  'INCOMPATIBLE',
  'CONSENT_DENIED',
  'NOT_INSTALLED',
  'ALREADY_INSTALLED',
  'NOT_NEWER',
  'NOT_ACTIVE',
  'QUARANTINED',
  'ACTIVATE_FAILED',
  'TIMEOUT',
  'SANDBOX_DIED',
  'HUNG',
  'CAPABILITY_DENIED',
  'CAPABILITY_NOT_GRANTED',
  'NETWORK_ORIGIN_NOT_GRANTED',
  'UNKNOWN_METHOD',
  'FORBIDDEN_PATH',
  'INVALID_ARGUMENTS',
  'INVALID_MESH',
  'MESSAGE_TOO_LARGE',
  'RATE_LIMITED',
  'UNKNOWN_TOOL',
  'INVALID_TOOL_INPUT',
  'INVALID_TOOL_OUTPUT',
  'UI_INVALID',
  'NO_UI_SLOTS',
  'LICENSE_REQUIRED',
  'LICENSE_MALFORMED',
  'LICENSE_UNSUPPORTED_ALGORITHM',
  'LICENSE_UNKNOWN_KEY',
  'LICENSE_BAD_SIGNATURE',
  'LICENSE_EXPIRED',
  'LICENSE_NOT_YET_VALID',
  'LICENSE_WRONG_AUDIENCE',
  'LICENSE_WRONG_EXTENSION',
  'LICENSE_REVOKED',
  'LICENSE_CLOCK_BACK',
  'ENTITLEMENT_REQUIRED',
  'EXTENSION_ERROR',
] as const;
export type ExtensionErrorCode = (typeof EXTENSION_ERROR_CODES)[number];

/** Estimated size of a structured-cloned value in bytes (stops counting past `cap`). */
export function estimateBytes(value: unknown, cap = Infinity, seen = new Set<unknown>()): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return value.length * 2;
  if (typeof value !== 'object') return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  let total = 16;
  for (const [k, v] of Object.entries(value)) {
    total += k.length * 2 + estimateBytes(v, cap, seen);
    if (total > cap) return total;
  }
  return total;
}

/** Whether a value nests objects or arrays deeper than `max` levels (stops at the first too-deep branch). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return false;
  if (max <= 0) return true;
  for (const v of Object.values(value)) if (nestedDeeperThan(v, max - 1)) return true;
  return false;
}

/**
 * Wraps an extension's context so that touching the API of a capability it was not granted
 * throws CAPABILITY_NOT_GRANTED (instead of "cannot read properties of undefined").
 */
export function guardContext<T extends Record<string, unknown>>(apis: T, declared: ReadonlySet<string>, fail: (code: ExtensionErrorCode, message: string, suggestion: string) => Error): T {
  const capOf = new Map(Object.entries(CAPABILITY_API).map(([cap, api]) => [api, cap]));
  return new Proxy(apis, {
    get(target, prop, receiver) {
      const cap = typeof prop === 'string' && !(prop in target) ? capOf.get(prop) : undefined;
      if (cap) {
        throw fail('CAPABILITY_NOT_GRANTED', `ctx.${String(prop)} needs the "${cap}" capability, which ${declared.has(cap) ? 'the user did not grant' : 'the extension did not declare'}.`, declared.has(cap) ? 'Handle the missing grant (the user may decline it).' : `Declare '${cap}' in capabilities (code and extension.json).`);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
