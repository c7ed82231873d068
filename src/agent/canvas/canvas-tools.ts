/**
 * The kit's canvas pack as a tool provider: each tool of `canvasToolPack()` acting on one real
 * `<vib3-canvas>`. The element is typed structurally, so this module does not import (and
 * register) the element itself.
 */
import { describeGeometry, listGeometries } from '../../core/geometry.js';
import type { Vib3Params } from '../../core/params.js';
import { listThemePacks } from '../../theme/theme-registry.js';
import { AgentToolError } from '../registry/envelope.js';
import type { AgentTool, ProviderResult, ToolProvider } from '../registry/types.js';
import { canvasToolPack } from './canvas-pack.js';

/** What the canvas tools need of a `<vib3-canvas>` (the element has all of it). */
export interface CanvasTarget extends EventTarget {
  setParams(partial: Partial<Vib3Params>): boolean;
  getParams(): Vib3Params;
  reset(): void;
  snapshot(options?: { type?: string; width?: number; height?: number }): Promise<Blob>;
  mesh: string;
  meshMode: 'projection' | 'slice';
  sliceW: number;
  theme: string;
  readonly activeBackend: string;
}

/** Options of {@link canvasTools}. */
export interface CanvasToolsOptions {
  /** Provider id (default `kit`); the tools' `source` is `kit` either way. */
  id?: string;
  /** How long `render_snapshot` waits for the first frame (default 15 000 ms). */
  readyTimeoutMs?: number;
}

const json = (value: unknown): ProviderResult => ({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> });

/** Base64 of bytes, in chunks (no spread of large arrays). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function waitForReady(canvas: CanvasTarget, timeoutMs: number): Promise<void> {
  if (canvas.activeBackend !== 'none') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      canvas.removeEventListener('vib3-ready', done);
      resolve();
    };
    const timer = setTimeout(() => {
      canvas.removeEventListener('vib3-ready', done);
      reject(new AgentToolError('CANVAS_NOT_READY', `The canvas has not drawn its first frame within ${timeoutMs} ms.`, 'Make sure the canvas is in the document and visible (or loading="eager"), then try again.', { retryable: true }));
    }, timeoutMs);
    canvas.addEventListener('vib3-ready', done);
  });
}

/** The canvas pack's tools as the registry lists them (source `kit`): what a canvas offers. */
export function canvasPackTools(): AgentTool[] {
  return canvasToolPack().tools.map((t) => ({
    name: t.name,
    ...(t.title !== undefined ? { title: t.title } : {}),
    description: t.description,
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
    policy: { requires: t.requires, approval: t.approval, ...(t.rateLimit ? { rateLimit: t.rateLimit } : {}) },
    ...(t.examples ? { examples: t.examples } : {}),
    source: 'kit',
  }));
}

/**
 * The kit's canvas tools for one canvas, as a provider for a {@link ToolRegistry}:
 * `registry.add(canvasTools(document.querySelector('vib3-canvas')))`.
 */
export function canvasTools(canvas: CanvasTarget, options: CanvasToolsOptions = {}): ToolProvider {
  const listed = canvasPackTools();
  const readyMs = options.readyTimeoutMs ?? 15_000;
  const params = () => ({ params: canvas.getParams() });

  const handlers: Record<string, (input: Record<string, unknown>) => ProviderResult | Promise<ProviderResult>> = {
    set_params(input) {
      const before = canvas.getParams();
      canvas.setParams(input as Partial<Vib3Params>);
      const after = canvas.getParams();
      const changed = (Object.keys(after) as (keyof Vib3Params)[]).filter((k) => after[k] !== before[k]);
      return json({ params: after, changed });
    },
    get_params: () => json(params()),
    set_rotation(input) {
      const partial: Record<string, number> = {};
      for (const [plane, value] of Object.entries(input)) partial[`rot4d${plane.toUpperCase()}`] = value as number;
      canvas.setParams(partial as Partial<Vib3Params>);
      return json(params());
    },
    set_mesh(input) {
      canvas.mesh = input['mesh'] as string;
      if (input['mode'] !== undefined) canvas.meshMode = input['mode'] as 'projection' | 'slice';
      if (input['sliceW'] !== undefined) canvas.sliceW = input['sliceW'] as number;
      if (canvas.mesh !== input['mesh']) throw new AgentToolError('UNKNOWN_MESH', `No mesh named "${String(input['mesh'])}" is registered.`, 'Use a built-in mesh name or register the mesh first (a geometry extension).');
      return json({ mesh: canvas.mesh, mode: canvas.meshMode, sliceW: canvas.sliceW });
    },
    set_theme(input) {
      const theme = input['theme'] as string;
      const names = listThemePacks().map((p) => p.pack.name);
      if (theme !== '' && !names.includes(theme)) throw new AgentToolError('UNKNOWN_THEME', `No theme pack named "${theme}" is registered.`, `Use one of: ${names.join(', ') || '(none registered)'}, or "" for none.`);
      canvas.theme = theme;
      return json({ theme: canvas.theme, ...params() });
    },
    reset() {
      canvas.reset();
      return json(params());
    },
    list_geometries: () => json({ geometries: listGeometries() }),
    describe_geometry: (input) => json({ geometry: describeGeometry(input['geometry'] as number) }),
    async render_snapshot(input) {
      await waitForReady(canvas, readyMs);
      const width = (input['width'] as number | undefined) ?? 512;
      const height = (input['height'] as number | undefined) ?? 512;
      let blob: Blob;
      try {
        blob = await canvas.snapshot({ type: 'image/png', width, height });
      } catch (err) {
        const e = err as { code?: string; message?: string; suggestion?: string };
        throw new AgentToolError(e.code ?? 'SNAPSHOT_FAILED', e.message ?? String(err), e.suggestion ?? 'Wait for the canvas to render, then try again.', { retryable: true });
      }
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const data = { width, height, mimeType: 'image/png', bytes: bytes.length, backend: canvas.activeBackend, ...params() };
      return { content: [{ type: 'image', data: base64(bytes), mimeType: 'image/png' }, { type: 'text', text: JSON.stringify({ ...data, params: undefined }) }], structuredContent: data };
    },
  };

  return {
    id: options.id ?? 'kit',
    tools: () => listed,
    async call(name, input) {
      const handler = handlers[name];
      if (!handler) throw new AgentToolError('UNKNOWN_TOOL', `The canvas pack has no tool "${name}".`, `Use one of: ${Object.keys(handlers).join(', ')}.`);
      return handler(input);
    },
  };
}
