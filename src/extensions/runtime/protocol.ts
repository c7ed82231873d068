import type { CapabilityName, ExtensionFrame, Mesh4D, RenderOutput, TelemetryApi, ToolDescription, ToolResult, UiEvent } from '../../sdk/types.js';

export type { ToolDescription } from '../../sdk/types.js';

/** What the host tells the sandbox when it activates an extension. */
export interface RuntimeInfo {
  id: string;
  version: string;
  /** Granted capability names. */
  granted: CapabilityName[];
  /** Granted network origins (exact): `ctx.network.fetch` refuses others before a request leaves. */
  origins: string[];
  /** The canvas parameters now (so `ctx.rendering.getParams()` answers synchronously). */
  params: Record<string, unknown>;
  /** UI widgets: the slot and its size limits (`ctx.ui`). */
  slot?: { slot: string; maxWidth: number; maxHeight: number };
}

/** What a renderer plugin is asked to draw (the SDK's frame, with the parameters as plain data). */
export type ExtensionFrameRequest = Omit<ExtensionFrame, 'params'> & { params: Record<string, unknown> };

/** What the sandbox worker exposes to the host (over comlink). */
export interface ExtensionRuntime {
  ping(): string;
  describe(): { kind: string; tools: ToolDescription[]; shapes: string[] };
  activate(info: RuntimeInfo): Promise<void>;
  deactivate(): Promise<void>;
  onParams(params: Record<string, unknown>): void;
  /** Runs a tool's handler (the host has checked the input against its inputSchema already). */
  callTool(name: string, input: Record<string, unknown>): Promise<ToolResult>;
  generate(request: { shape: string; options?: Record<string, unknown> }): Promise<Mesh4D>;
  /** Renderer plugins: one frame as RGBA pixels (row-major from the top-left). */
  render(frame: ExtensionFrameRequest): Promise<RenderOutput>;
  /** UI widgets: the UI now (unchecked data: the host validates it before the frame renders it). */
  view(): Promise<unknown>;
  /** UI widgets: a user action (already checked by the host against the rendered tree). */
  uiEvent(event: UiEvent): Promise<void>;
}

/** The host API an extension can call (each method checked by the dispatcher first). */
export interface HostFacade {
  log(...args: (string | number | boolean)[]): void;
  /**
   * `setParams` answers with the canvas's parameters after the change (clamped, rounded), or
   * throws `INVALID_ARGUMENTS` with the canvas's reason when it refused the change (nothing changed).
   */
  rendering: { getParams(): Record<string, unknown>; setParams(partial: Record<string, unknown>): Record<string, unknown> | undefined };
  geometry: { publish(mesh: Mesh4D): void };
  telemetry: TelemetryApi;
  /** UI widgets: ask the host to render `view()` again. */
  ui: { update(): void };
}
