import { Validator, type Schema } from '@cfworker/json-schema';
import { defaultParams, normalizeParams, type Vib3Params } from '../core/params.js';
import type { CapabilityName, ExtensionDefinition, ExtensionFrame, Mesh4D, RenderOutput, SlotName, ToolResult, UiEvent, UiNode } from './types.js';
import { validateUiTree, validateUiEvent } from './ui-tree.js';
import { SLOT_CONSTRAINTS } from '../core/slots.js';

/** Thrown when an extension uses something it was not granted. Same codes as the real host. */
export class CapabilityError extends Error {
  readonly code: 'CAPABILITY_NOT_GRANTED' | 'NETWORK_ORIGIN_NOT_GRANTED' | 'INVALID_TOOL_INPUT' | 'UNKNOWN_TOOL' | 'NOT_SUPPORTED' | 'UI_INVALID';
  readonly suggestion: string;
  constructor(code: CapabilityError['code'], message: string, suggestion: string) {
    super(message);
    this.name = 'CapabilityError';
    this.code = code;
    this.suggestion = suggestion;
  }
}

/** Options of {@link createTestHarness}. */
export interface HarnessOptions {
  id?: string;
  version?: string;
  /** Capabilities the simulated user granted (default: all the definition declares). */
  grants?: readonly CapabilityName[];
  /** Exact origins granted for `network` (default: none). */
  networkOrigins?: readonly string[];
  /** Initial canvas parameters. */
  params?: Partial<Vib3Params>;
  /** The fetch the network API calls once the origin check passed (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Slot facts for UI widgets (default: the widget's slot and its real size limits). */
  slot?: { slot: SlotName; maxWidth: number; maxHeight: number };
}

/** What the harness recorded and exposes. */
export interface TestHarness {
  /** The context handed to the extension (only granted APIs are present). */
  readonly context: Record<string, unknown>;
  /** Telemetry events tracked so far. */
  readonly telemetry: { event: string; data?: Record<string, string | number | boolean> }[];
  /** Meshes published through the geometry API. */
  readonly meshes: Mesh4D[];
  /** Canvas parameters as the extension left them. */
  readonly params: Vib3Params;
  /** Lines the extension logged. */
  readonly logs: unknown[][];
  activate(): Promise<void>;
  deactivate(): Promise<void>;
  /** Pushes new parameters and calls onParams. */
  setParams(partial: Partial<Vib3Params>): void;
  generate(shape: string, options?: Record<string, unknown>): Promise<Mesh4D>;
  render(frame?: Partial<ExtensionFrame>): Promise<RenderOutput>;
  /** Calls a tool with schema-validated input, as the host's tool registry would. */
  callTool(name: string, input: Record<string, unknown>): Promise<ToolResult>;
  /** UI widgets: the UI now, checked as the host checks it (throws UI_INVALID with the path). */
  view(): UiNode[];
  /**
   * UI widgets: what a user action does. The event is checked against the current view (a press
   * on a disabled or missing control is dropped, as in the host); returns the view afterwards.
   */
  dispatch(event: UiEvent): Promise<UiNode[]>;
  /** How many times the widget asked for a re-render (`ctx.ui.update()`). */
  readonly updates: number;
}

/**
 * Runs an extension definition without the host, in Node or a browser: builds the context from
 * the granted capabilities (ungranted ones are absent, and touching them throws
 * CAPABILITY_NOT_GRANTED), enforces exact network origins, validates tool input against each
 * tool's schema, and records telemetry, meshes and parameter changes.
 */
export function createTestHarness(definition: ExtensionDefinition, options: HarnessOptions = {}): TestHarness {
  const declared = new Set<CapabilityName>(definition.capabilities);
  const grants = new Set<CapabilityName>((options.grants ?? definition.capabilities).filter((c) => declared.has(c)));
  const origins = new Set(options.networkOrigins ?? []);
  const controller = new AbortController();
  const telemetry: TestHarness['telemetry'] = [];
  const meshes: Mesh4D[] = [];
  const logs: unknown[][] = [];
  let params: Vib3Params = { ...defaultParams(), ...normalizeParams(options.params ?? {}) };
  const doFetch = options.fetch ?? globalThis.fetch;
  const slotName: SlotName = definition.kind === 'ui-widget' ? definition.slot : 'panel';
  const slot = options.slot ?? { slot: slotName, ...SLOT_CONSTRAINTS[slotName] };
  let updates = 0;

  const apis: Record<string, unknown> = {
    extensionId: options.id ?? 'dev.vib3.test-extension',
    version: options.version ?? '0.0.0',
    signal: controller.signal,
    log: (...args: unknown[]) => logs.push(args),
  };
  if (grants.has('telemetry')) apis['telemetry'] = { track: (event: string, data?: Record<string, string | number | boolean>) => telemetry.push(data ? { event, data } : { event }) };
  if (grants.has('geometry')) apis['geometry'] = { publish: (mesh: Mesh4D) => meshes.push(checkMesh(mesh)) };
  if (grants.has('rendering')) {
    apis['rendering'] = {
      getParams: () => ({ ...params }),
      setParams: async (partial: Partial<Vib3Params>) => {
        params = { ...params, ...normalizeParams(partial as Record<string, unknown>) };
      },
    };
  }
  if (grants.has('ui')) apis['ui'] = { ...slot, update: () => void updates++ };
  if (grants.has('agent-tools')) apis['tools'] = { names: Object.keys(definition.tools ?? {}) };
  if (grants.has('network')) {
    apis['network'] = {
      fetch: async (url: string, init?: RequestInit) => {
        let origin: string;
        try {
          origin = new URL(url).origin;
        } catch {
          throw new CapabilityError('NETWORK_ORIGIN_NOT_GRANTED', `"${url}" is not an absolute URL.`, 'Use an absolute URL on a granted origin.');
        }
        if (!origins.has(origin)) {
          throw new CapabilityError('NETWORK_ORIGIN_NOT_GRANTED', `${origin} is not among the granted origins (${[...origins].join(', ') || 'none'}).`, 'Add the exact origin to capabilities.network.origins in extension.json.');
        }
        return doFetch(url, { ...init, signal: init?.signal ?? controller.signal });
      },
    };
  }
  const API_OF: Record<string, CapabilityName> = { telemetry: 'telemetry', geometry: 'geometry', rendering: 'rendering', ui: 'ui', tools: 'agent-tools', network: 'network' };
  const context = new Proxy(apis, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && !(prop in target) && prop in API_OF) {
        const cap = API_OF[prop]!;
        throw new CapabilityError('CAPABILITY_NOT_GRANTED', `ctx.${prop} needs the "${cap}" capability, which ${declared.has(cap) ? 'the user did not grant' : 'the extension did not declare'}.`, declared.has(cap) ? 'Handle the missing grant (the user may decline it).' : `Declare '${cap}' in capabilities (code and extension.json).`);
      }
      return Reflect.get(target, prop, receiver);
    },
  });

  const validators = new Map<string, Validator>();
  const validatorFor = (name: string) => {
    let v = validators.get(name);
    if (!v) {
      v = new Validator(definition.tools![name]!.inputSchema as unknown as Schema, '2020-12', false);
      validators.set(name, v);
    }
    return v;
  };
  const ctx = context as never;
  const view = (): UiNode[] => {
    if (definition.kind !== 'ui-widget') throw new CapabilityError('NOT_SUPPORTED', `A ${definition.kind} extension has no UI.`, 'Call view() on ui-widget extensions only.');
    const result = validateUiTree(definition.view(ctx));
    if (!result.ok) throw new CapabilityError('UI_INVALID', `view() returned an invalid UI at ${result.path}: ${result.message}.`, 'Return text, button, toggle, slider, select, swatch, row and column nodes (see UiNode).');
    return result.tree;
  };

  return {
    context,
    telemetry,
    meshes,
    logs,
    get params() {
      return { ...params };
    },
    async activate() {
      await definition.activate?.(ctx);
    },
    async deactivate() {
      controller.abort();
      await definition.deactivate?.();
    },
    setParams(partial) {
      params = { ...params, ...normalizeParams(partial as Record<string, unknown>) };
      definition.onParams?.({ ...params }, ctx);
    },
    async generate(shape, opts) {
      if (definition.kind !== 'geometry') throw new CapabilityError('NOT_SUPPORTED', `A ${definition.kind} extension does not generate geometry.`, 'Call generate() on geometry extensions only.');
      if (!(shape in definition.shapes)) throw new CapabilityError('NOT_SUPPORTED', `Unknown shape "${shape}".`, `Use one of: ${Object.keys(definition.shapes).join(', ')}.`);
      return checkMesh(await definition.generate({ shape, ...(opts ? { options: opts } : {}) }, ctx));
    },
    async render(frame = {}) {
      if (definition.kind !== 'renderer') throw new CapabilityError('NOT_SUPPORTED', `A ${definition.kind} extension does not render.`, 'Call render() on renderer extensions only.');
      const f: ExtensionFrame = { width: frame.width ?? 16, height: frame.height ?? 16, timeMs: frame.timeMs ?? 0, params: frame.params ?? { ...params } };
      const out = await definition.render(f, ctx);
      if (out.width !== f.width || out.height !== f.height || out.pixels.length !== f.width * f.height * 4) {
        throw new CapabilityError('NOT_SUPPORTED', `render() returned ${out.width}x${out.height} with ${out.pixels.length} bytes for a ${f.width}x${f.height} frame.`, 'Return exactly width*height*4 RGBA bytes at the requested size.');
      }
      return out;
    },
    async callTool(name, input) {
      const tool = definition.tools?.[name];
      if (!tool) throw new CapabilityError('UNKNOWN_TOOL', `No tool named "${name}".`, `Available: ${Object.keys(definition.tools ?? {}).join(', ') || 'none'}.`);
      if (!grants.has('agent-tools')) throw new CapabilityError('CAPABILITY_NOT_GRANTED', 'Tools need the "agent-tools" grant.', 'Grant agent-tools in the harness options.');
      const result = validatorFor(name).validate(input);
      if (!result.valid) {
        const first = result.errors.find((e) => !['properties', '$ref'].includes(e.keyword)) ?? result.errors[0]!;
        throw new CapabilityError('INVALID_TOOL_INPUT', `Input for ${name} is invalid at ${first.instanceLocation.replace(/^#/, '') || '/'}: ${first.error}`, 'Send input matching the tool inputSchema.');
      }
      return tool.handler(input, ctx);
    },
    get updates() {
      return updates;
    },
    view: () => view(),
    async dispatch(event) {
      const checked = validateUiEvent(event, view());
      if (checked) await (definition as { onEvent?(e: UiEvent, c: never): unknown }).onEvent?.(checked, ctx);
      return view();
    },
  };
}

function checkMesh(mesh: Mesh4D): Mesh4D {
  if (!(mesh?.vertices instanceof Float32Array) || mesh.vertices.length % 4 !== 0) throw new CapabilityError('NOT_SUPPORTED', 'mesh.vertices must be a Float32Array of xyzw quadruples.', 'Return new Float32Array(count * 4).');
  if (!(mesh.edges instanceof Uint32Array) || mesh.edges.length % 2 !== 0) throw new CapabilityError('NOT_SUPPORTED', 'mesh.edges must be a Uint32Array of index pairs.', 'Return new Uint32Array(edgeCount * 2).');
  const n = mesh.vertices.length / 4;
  for (const i of mesh.edges) if (i >= n) throw new CapabilityError('NOT_SUPPORTED', `mesh.edges references vertex ${i} of ${n}.`, 'Keep edge indices below the vertex count.');
  if (mesh.cells) {
    if (!(mesh.cells instanceof Uint32Array) || mesh.cells.length % 4 !== 0) throw new CapabilityError('NOT_SUPPORTED', 'mesh.cells must be a Uint32Array of tetrahedra (4 indices each).', 'Return new Uint32Array(cellCount * 4).');
    for (const i of mesh.cells) if (i >= n) throw new CapabilityError('NOT_SUPPORTED', `mesh.cells references vertex ${i} of ${n}.`, 'Keep cell indices below the vertex count.');
  }
  return mesh;
}
