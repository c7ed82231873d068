/** What the host tells the sandbox when it activates an extension. */
export interface RuntimeInfo {
  id: string;
  version: string;
  /** Granted capability names. */
  granted: string[];
  /** The canvas parameters now (so `ctx.rendering.getParams()` answers synchronously). */
  params: Record<string, unknown>;
  /** UI widgets: the slot and its size limits (`ctx.ui`). */
  slot?: { slot: string; maxWidth: number; maxHeight: number };
}

/** A tool as the extension describes it (namespaced by the host). */
export interface ToolDescription {
  name: string;
  description: string;
  inputSchema: unknown;
}

/** What the sandbox worker exposes to the host (over comlink). */
export interface ExtensionRuntime {
  ping(): string;
  describe(): { kind: string; tools: ToolDescription[]; shapes: string[] };
  activate(info: RuntimeInfo): Promise<void>;
  deactivate(): Promise<void>;
  onParams(params: Record<string, unknown>): void;
  callTool(name: string, input: Record<string, unknown>): Promise<{ content: { type: 'text'; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> }>;
  generate(request: { shape: string; options?: Record<string, unknown> }): Promise<{ vertices: Float32Array; edges: Uint32Array; cells?: Uint32Array }>;
  /** Renderer plugins: one frame as RGBA pixels (row-major from the top-left). */
  render(frame: ExtensionFrameRequest): Promise<{ width: number; height: number; pixels: Uint8ClampedArray }>;
  /** UI widgets: the UI now (unchecked data: the host validates it before the frame renders it). */
  view(): Promise<unknown>;
  /** UI widgets: a user action (already checked by the host against the rendered tree). */
  uiEvent(event: { type: 'press'; id: string } | { type: 'change'; id: string; value: number | boolean | string }): Promise<void>;
}

/** What a renderer plugin is asked to draw. */
export interface ExtensionFrameRequest {
  width: number;
  height: number;
  timeMs: number;
  params: Record<string, unknown>;
}

/** The host API an extension can call (each method checked by the dispatcher first). */
export interface HostFacade {
  log(...args: (string | number | boolean)[]): void;
  rendering: { getParams(): Record<string, unknown>; setParams(partial: Record<string, unknown>): void };
  geometry: { publish(mesh: { vertices: Float32Array; edges: Uint32Array; cells?: Uint32Array }): void };
  telemetry: { track(event: string, data?: Record<string, string | number | boolean>): void };
  /** UI widgets: ask the host to render `view()` again. */
  ui: { update(): void };
}
