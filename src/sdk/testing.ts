import { defaultParams, normalizeParams, type Vib3Params } from '../core/params.js';
import type { CapabilityName, ExtensionDefinition, ExtensionFrame, Mesh4D, RenderOutput, SlotName, ToolResult, UiEvent, UiNode } from './types.js';
import { validateUiTree, validateUiEvent } from './ui-tree.js';
import { SLOT_CONSTRAINTS } from '../core/slots.js';
import { guardContext, mesh4DProblem, type ExtensionErrorCode } from './contract.js';
import { toolSchemaChecks } from './tool-schema.js';

/** The codes the harness throws: each is the code the host (or its sandbox) uses for the same mistake. */
export type HarnessErrorCode = Extract<ExtensionErrorCode, 'CAPABILITY_NOT_GRANTED' | 'NETWORK_ORIGIN_NOT_GRANTED' | 'INVALID_TOOL_INPUT' | 'INVALID_TOOL_OUTPUT' | 'UNKNOWN_TOOL' | 'UNKNOWN_METHOD' | 'INVALID_ARGUMENTS' | 'INVALID_MESH' | 'UI_INVALID'>;

/** Thrown when an extension uses something it was not granted. Same codes as the real host. */
export class CapabilityError extends Error {
  readonly code: HarnessErrorCode;
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
  /**
   * Calls a tool as the host does: input checked against `inputSchema` (INVALID_TOOL_INPUT), and
   * the structuredContent of a successful result against `outputSchema` when declared (INVALID_TOOL_OUTPUT).
   */
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
  if (grants.has('geometry')) apis['geometry'] = { publish: (mesh: Mesh4D) => meshes.push(checkMesh(mesh, 'INVALID_ARGUMENTS')) };
  if (grants.has('rendering')) {
    apis['rendering'] = {
      getParams: () => ({ ...params }),
      // As the host: a refused change rejects with INVALID_ARGUMENTS and changes nothing.
      setParams: async (partial: Partial<Vib3Params>) => {
        let next: Partial<Vib3Params>;
        try {
          next = normalizeParams(partial as Record<string, unknown>);
        } catch (err) {
          const e = err as { message?: unknown; suggestion?: unknown };
          throw new CapabilityError('INVALID_ARGUMENTS', `The canvas refused the parameters: ${String(e.message ?? err)}`, String(e.suggestion ?? 'Use the parameter names and ranges of <vib3-canvas> (finite numbers).'));
        }
        params = { ...params, ...next };
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
  const context = guardContext(apis, declared, (code, message, suggestion) => new CapabilityError(code as HarnessErrorCode, message, suggestion));
  const schemaOf = (name: string, which: 'input' | 'output') => (which === 'input' ? definition.tools![name]!.inputSchema : definition.tools![name]!.outputSchema);
  const checks = toolSchemaChecks(schemaOf);
  const ctx = context as never;
  const view = (): UiNode[] => {
    if (definition.kind !== 'ui-widget') throw new CapabilityError('UNKNOWN_METHOD', `A ${definition.kind} extension has no UI.`, 'Call view() on ui-widget extensions only.');
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
      if (definition.kind !== 'geometry') throw new CapabilityError('UNKNOWN_METHOD', `A ${definition.kind} extension does not generate geometry.`, 'Call generate() on geometry extensions only.');
      if (!(shape in definition.shapes)) throw new CapabilityError('INVALID_ARGUMENTS', `Unknown shape "${shape}".`, `Use one of: ${Object.keys(definition.shapes).join(', ')}.`);
      return checkMesh(await definition.generate({ shape, ...(opts ? { options: opts } : {}) }, ctx), 'INVALID_MESH');
    },
    async render(frame = {}) {
      if (definition.kind !== 'renderer') throw new CapabilityError('UNKNOWN_METHOD', `A ${definition.kind} extension does not render.`, 'Call render() on renderer extensions only.');
      const f: ExtensionFrame = { width: frame.width ?? 16, height: frame.height ?? 16, timeMs: frame.timeMs ?? 0, params: frame.params ?? { ...params } };
      const out = await definition.render(f, ctx);
      if (out.width !== f.width || out.height !== f.height || out.pixels.length !== f.width * f.height * 4) {
        throw new CapabilityError('INVALID_ARGUMENTS', `render() returned ${out.width}x${out.height} with ${out.pixels.length} bytes for a ${f.width}x${f.height} frame.`, 'Return exactly width*height*4 RGBA bytes at the requested size.');
      }
      return out;
    },
    async callTool(name, input) {
      const tool = definition.tools?.[name];
      if (!tool) throw new CapabilityError('UNKNOWN_TOOL', `No tool named "${name}".`, `Available: ${Object.keys(definition.tools ?? {}).join(', ') || 'none'}.`);
      if (!grants.has('agent-tools')) throw new CapabilityError('CAPABILITY_NOT_GRANTED', 'Tools need the "agent-tools" grant.', 'Grant agent-tools in the harness options.');
      const bad = checks(name, 'input')!.check(input);
      if (bad) throw new CapabilityError('INVALID_TOOL_INPUT', `Input for ${name} is invalid at ${bad.path}: ${bad.message}`, 'Send input matching the tool inputSchema.');
      const result = await tool.handler(input, ctx);
      const output = result?.isError ? undefined : checks(name, 'output');
      const wrong = output?.check(result?.structuredContent);
      if (wrong) throw new CapabilityError('INVALID_TOOL_OUTPUT', `${name} returned structuredContent that does not match its outputSchema at ${wrong.path}: ${wrong.message}`, 'Return structuredContent matching outputSchema (or fix the schema).');
      return result;
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

function checkMesh(mesh: Mesh4D, code: 'INVALID_MESH' | 'INVALID_ARGUMENTS'): Mesh4D {
  const problem = mesh4DProblem(mesh);
  if (problem) throw new CapabilityError(code, `The mesh is invalid: ${problem}.`, 'Return { vertices: Float32Array(count * 4), edges: Uint32Array of index pairs, cells?: Uint32Array of tetrahedra }.');
  return mesh;
}
