import type { Vib3Params } from '../core/params.js';
import type { UiEvent, UiNode } from './ui-tree.js';
import type { UiSlot } from '../core/slots.js';

export type { UiNode, UiEvent, UiText, UiButton, UiToggle, UiSlider, UiSelect, UiSwatch, UiGroup, UiTreeProblem } from './ui-tree.js';

import type { CapabilityName, Mesh4D } from './contract.js';

export type { CapabilityName, Mesh4D, ExtensionErrorCode } from './contract.js';
/** UI slots of the canvas a widget may render into. */
export type SlotName = UiSlot;
/** The four kinds of extension. */
export type ExtensionKind = 'renderer' | 'geometry' | 'toolpack' | 'ui-widget';

/** Events and numbers an extension reports (requires `telemetry`). */
export interface TelemetryApi {
  track(event: string, data?: Record<string, string | number | boolean>): void;
}
/** fetch, limited by the host to the exact origins the user granted (requires `network`). */
export interface NetworkApi {
  fetch(url: string, init?: RequestInit): Promise<Response>;
}
/** Read and change the canvas parameters (requires `rendering`). */
export interface RenderingApi {
  getParams(): Readonly<Vib3Params>;
  setParams(partial: Partial<Vib3Params>): Promise<void>;
}
/** Hand meshes to the element's mesh layer (requires `geometry`). */
export interface GeometryApi {
  publish(mesh: Mesh4D): void;
}
/** The widget's slot and its re-render request (requires `ui`). */
export interface UiApi {
  readonly slot: SlotName;
  /** The slot's size limits in CSS pixels: the widget's frame never grows past them. */
  readonly maxWidth: number;
  readonly maxHeight: number;
  /**
   * Asks the host to call `view()` again (e.g. after a fetch or a timer). The host also re-renders
   * after every UI event and every parameter change, so most widgets never call this.
   */
  update(): void;
}
/** What the tools of a tool pack can use besides their own code (requires `agent-tools`). */
export interface ToolsApi {
  /** Names of the tools this extension registered. */
  readonly names: readonly string[];
}

/** Capability -> the API it adds to the context. */
export interface CapabilityApis {
  rendering: { rendering: RenderingApi };
  geometry: { geometry: GeometryApi };
  ui: { ui: UiApi };
  'agent-tools': { tools: ToolsApi };
  telemetry: { telemetry: TelemetryApi };
  network: { network: NetworkApi };
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** What every extension gets. */
export interface BaseContext {
  readonly extensionId: string;
  readonly version: string;
  /** Aborted when the extension is deactivated: pass it to fetch and timers. */
  readonly signal: AbortSignal;
  log(...args: unknown[]): void;
}

/** The context of an extension that declared capabilities `C`: only their APIs exist on it. */
export type ExtensionContext<C extends CapabilityName = never> = BaseContext & ([C] extends [never] ? unknown : UnionToIntersection<CapabilityApis[C]>);

/** A JSON Schema for a tool's input (an object schema). */
export interface ToolInputSchema {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: readonly string[];
  additionalProperties?: boolean;
  [keyword: string]: unknown;
}

/** The result of a tool call, in MCP's content form. */
export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}

/**
 * MCP tool annotations: hints for agents and hosts about what a tool does. They are never
 * permissions: the tool's `approval` policy (and the host) decide when a call needs consent.
 */
// A type alias (not an interface) so it stays assignable to Record<string, unknown>.
export type ToolAnnotations = {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};
/** When a call of a tool needs the user's approval (`destructive`: when the host judges the call destructive). */
export type ToolApproval = 'never' | 'destructive' | 'always';
/** At most this many calls a minute. */
export interface ToolRateLimit {
  perMinute: number;
}
/** An example call of a tool (shown in its docs; the input must match its inputSchema). */
export interface ToolExample {
  title?: string;
  input: Record<string, unknown>;
  /** What the call returns: structured content or a short description. */
  output?: unknown;
}

/**
 * One agent tool. Its name is the key in `tools`; the host namespaces it by extension id
 * (`<extension-id>.<tool>` in the tool pack `vib3 ext build` writes). Besides the MCP fields
 * (`title`, `description`, `inputSchema`, `outputSchema`, `annotations`) a tool may carry the
 * kit's policy: `requires`, `approval`, `rateLimit` and `examples` (docs/AGENTS.md).
 */
export interface ToolDefinition<C extends CapabilityName> {
  /** A short display name for people (MCP `title`), e.g. "Show a duoprism". */
  title?: string;
  description: string;
  /** Checked by the host before the handler sees the input (INVALID_TOOL_INPUT). */
  inputSchema: ToolInputSchema;
  /** When given, `structuredContent` of a successful result must match it (INVALID_TOOL_OUTPUT). */
  outputSchema?: ToolInputSchema;
  /** MCP hints (read-only, destructive, idempotent, open world); never permissions. */
  annotations?: ToolAnnotations;
  /** Capabilities the tool needs besides `agent-tools` (each one declared in `capabilities`). */
  requires?: readonly NoInfer<C>[];
  /** When a call needs the user's approval (default in the tool pack: `destructive`). */
  approval?: ToolApproval;
  rateLimit?: ToolRateLimit;
  examples?: readonly ToolExample[];
  handler(input: Record<string, unknown>, ctx: ExtensionContext<C>): ToolResult | Promise<ToolResult>;
}

/** The frame a renderer plugin draws. */
export interface ExtensionFrame {
  width: number;
  height: number;
  timeMs: number;
  params: Readonly<Vib3Params>;
}
/**
 * A tool as an extension describes it to the host (the host namespaces its name). The optional
 * fields are the definition's title, MCP annotations and kit policy, passed through as declared
 * (well-formed values only): hints and requests for the host, never permissions.
 */
export interface ToolDescription {
  name: string;
  description: string;
  inputSchema: unknown;
  outputSchema?: unknown;
  title?: string;
  annotations?: ToolAnnotations;
  requires?: CapabilityName[];
  approval?: ToolApproval;
  rateLimit?: ToolRateLimit;
  examples?: ToolExample[];
}

/** What a renderer plugin returns: RGBA pixels, row-major from the top-left. */
export interface RenderOutput {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

interface CommonDefinition<C extends CapabilityName> {
  /** The capabilities this code uses: must be a subset of extension.json's. */
  capabilities: readonly C[];
  activate?(ctx: ExtensionContext<C>): void | Promise<void>;
  deactivate?(): void | Promise<void>;
  /** Called when the canvas parameters change (requires `rendering` to be useful). */
  onParams?(params: Readonly<Vib3Params>, ctx: ExtensionContext<C>): void;
  /** Agent tools (requires the `agent-tools` capability). */
  tools?: Record<string, ToolDefinition<C>>;
}

/** A renderer plugin (requires `rendering`). */
export interface RendererDefinition<C extends CapabilityName> extends CommonDefinition<C> {
  kind: 'renderer';
  /** The renderer-contract version the plugin implements. */
  contractVersion: number;
  render(frame: ExtensionFrame, ctx: ExtensionContext<C>): RenderOutput | Promise<RenderOutput>;
}

/** A geometry generator (requires `geometry`). */
export interface GeometryDefinition<C extends CapabilityName> extends CommonDefinition<C> {
  kind: 'geometry';
  /** Shapes offered, name -> description. */
  shapes: Record<string, string>;
  generate(request: { shape: string; options?: Record<string, unknown> }, ctx: ExtensionContext<C>): Mesh4D | Promise<Mesh4D>;
}

/** A pure agent tool pack (requires `agent-tools`). */
export interface ToolPackDefinition<C extends CapabilityName> extends CommonDefinition<C> {
  kind: 'toolpack';
  tools: Record<string, ToolDefinition<C>>;
}

/**
 * A UI widget (requires `ui`). Its code stays in the worker like every extension's: `view()`
 * describes the UI as data ({@link UiNode}s), the host's trusted code renders it inside the
 * widget's own sandboxed frame in the slot (sized by the slot's limits and themed by the page's
 * tokens), and user actions come back to `onEvent`. After each event the host calls `view()` again.
 */
export interface UiWidgetDefinition<C extends CapabilityName> extends CommonDefinition<C> {
  kind: 'ui-widget';
  slot: SlotName;
  /** The UI now: a node or a list of nodes (checked by the host, see `validateUiTree`). */
  view(ctx: ExtensionContext<C>): UiNode | UiNode[];
  /** A press or change in the UI. */
  onEvent?(event: UiEvent, ctx: ExtensionContext<C>): void | Promise<void>;
}

/** Any extension definition. */
export type ExtensionDefinition<C extends CapabilityName = CapabilityName> =
  | RendererDefinition<C>
  | GeometryDefinition<C>
  | ToolPackDefinition<C>
  | UiWidgetDefinition<C>;
