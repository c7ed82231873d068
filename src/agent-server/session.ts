/**
 * A canvas an MCP server drives: a headless Chromium page the server starts, or a visible page
 * paired through the agent bridge. Both run the page's ToolRegistry (vib3-embed/agent), so the
 * tools, schemas, policy and result envelope are the page's own. Node-only.
 */
import type { AgentTool, ToolCallResult } from '../agent/registry/types.js';

/** One canvas the server's tools act on. */
export interface CanvasSession {
  /** `headless` (a page this process started) or `paired` (a page connected with a pairing code). */
  readonly kind: 'headless' | 'paired';
  /** The page registry's tools (`registry.list()`). */
  listTools(): Promise<AgentTool[]>;
  /**
   * Calls a tool through the page registry (`registry.call(name, args, { caller })`). Resolves with
   * the registry's envelope; rejects only when the page cannot be reached (the error has a
   * `code`, `message` and `suggestion`).
   */
  callTool(name: string, args: Record<string, unknown>, caller?: string): Promise<ToolCallResult>;
  /**
   * What the canvas shows besides its parameters (mesh, theme, backend), for the
   * `vib3://scene/current` resource. Optional: without it the resource lists the parameters only.
   */
  scene?(): Promise<CanvasScene>;
  /** Subscribes to changes of the tool list (extensions activated, a page paired); returns the unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
  /** Ends the session (closes the page or the bridge connection). */
  close(): Promise<void>;
}

/** The canvas state besides its parameters ({@link CanvasSession.scene}). */
export interface CanvasScene {
  mesh: string;
  meshMode: string;
  sliceW: number;
  /** Theme pack name, `""` for none. */
  theme: string;
  /** `webgpu`, `webgl2`, or `none` before the first frame. */
  backend: string;
  /** Canvas size in CSS pixels. */
  width?: number;
  height?: number;
}
