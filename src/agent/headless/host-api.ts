/**
 * The contract between the headless host page (`host-page.ts`, dist/agent/headless-host.js) and
 * the node side of `vib3 mcp` (src/agent-server/headless/), which calls it through
 * playwright's `page.evaluate`. Everything here crosses that boundary, so it is plain JSON.
 */
import type { AgentTool, ToolCallResult } from '../registry/types.js';

/** The global the page sets: `window.vib3Headless`. */
export const HOST_GLOBAL = 'vib3Headless';
/** The function the node side exposes for approvals: `(request) => Promise<boolean>`. */
export const APPROVE_BINDING = 'vib3HeadlessApprove';
/** The function the node side exposes to hear about tool-list changes. */
export const TOOLS_CHANGED_BINDING = 'vib3HeadlessToolsChanged';

/** One installed extension package the page installs and activates. */
export interface HostExtension {
  id: string;
  version: string;
  /** Where the page fetches the signed package (same origin). */
  url: string;
  /** The publisher key the registry vouched for (Ed25519, base64url `x`). */
  keyId: string;
  publicKey: string;
  /** What the user granted at install time (`vib3 ext install --yes` or the prompt). */
  granted: { capabilities: string[]; origins: string[] };
}

/** Options of `vib3Headless.start`. */
export interface HostStartOptions {
  /** The element's `renderer` attribute. */
  renderer: 'auto' | 'webgpu' | 'webgl2';
  /** Canvas edge in CSS pixels (square, fixed). */
  size: number;
  /** How long to wait for the first frame, and how long `render_snapshot` waits for it (ms). */
  readyTimeoutMs: number;
  /** Deadline of one tool call (ms). */
  callTimeoutMs: number;
  extensions: HostExtension[];
}

/** How each extension fared at start. */
export interface HostExtensionStatus {
  id: string;
  version: string;
  state: string;
  error?: { code: string; message: string };
}

/** A failure the page reports (codes survive, unlike errors thrown across `evaluate`). */
export interface HostFailure {
  ok: false;
  code: string;
  message: string;
  suggestion: string;
}

/** What `vib3Headless.start` answers. */
export type HostStartResult = { ok: true; backend: string; extensions: HostExtensionStatus[] } | HostFailure;

/** The scene besides the parameters. */
export interface HostScene {
  mesh: string;
  meshMode: string;
  sliceW: number;
  theme: string;
  backend: string;
  width: number;
  height: number;
}

/** `window.vib3Headless`. */
export interface HeadlessHostApi {
  start(options: HostStartOptions): Promise<HostStartResult>;
  /** The registry's tools (plain JSON). */
  list(): AgentTool[];
  /** A registry call (never throws: the envelope). */
  call(name: string, args: Record<string, unknown>, caller: string): Promise<ToolCallResult>;
  scene(): HostScene;
}
