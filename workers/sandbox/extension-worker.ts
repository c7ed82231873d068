// Runs inside the sandbox worker, around the extension's code: builds the extension's context
// from the granted capabilities (host calls go over comlink to the host's guarded dispatcher)
// and exposes the lifecycle hooks, tools and generators to the host.
import { expose, transfer, wrap } from 'comlink';
import { installErrorWire } from '../../src/extensions/runtime/wire.js';
import type { ExtensionRuntime, HostFacade, RuntimeInfo } from '../../src/extensions/runtime/protocol.js';
import { guardContext } from '../../src/sdk/contract.js';
import { describeToolsOf } from '../../src/sdk/describe.js';

installErrorWire();

// Extension code may not start workers of its own: they would run outside the heartbeat, the
// deadlines and the restart that supervise this worker (the frame's CSP has to allow blob:
// workers for this worker itself, and a nested worker would inherit that).
for (const name of ['Worker', 'SharedWorker'] as const) {
  try {
    delete (self as unknown as Record<string, unknown>)[name];
  } catch {
    /* not configurable here: nothing to remove */
  }
}

interface Definition {
  kind?: string;
  capabilities?: string[];
  activate?(ctx: unknown): unknown;
  deactivate?(): unknown;
  onParams?(params: unknown, ctx: unknown): unknown;
  tools?: Record<string, { description?: string; inputSchema?: unknown; outputSchema?: unknown; handler(input: unknown, ctx: unknown): unknown }>;
  shapes?: Record<string, string>;
  generate?(request: unknown, ctx: unknown): unknown;
  render?(frame: unknown, ctx: unknown): unknown;
  view?(ctx: unknown): unknown;
  onEvent?(event: unknown, ctx: unknown): unknown;
}

type Promisify<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : Promisify<T[K]> };
type AsyncFacade = Promisify<HostFacade>;

const fail = (code: string, message: string, suggestion: string) => Object.assign(new Error(message), { code, suggestion });

self.onmessage = async (event: MessageEvent<{ codeUrl: string }>) => {
  self.onmessage = null;
  const [hostPort, runtimePort] = event.ports as [MessagePort, MessagePort];
  // comlink proxies nested paths (host.rendering.getParams() is one call); its types see data there.
  const host = wrap<HostFacade>(hostPort) as unknown as AsyncFacade;
  let def: Definition | undefined;
  let loadError: unknown;
  try {
    def = ((await import(/* @vite-ignore */ event.data.codeUrl)) as { default?: Definition }).default;
    if (!def || typeof def !== 'object') throw fail('ACTIVATE_FAILED', 'The extension module has no default export.', 'Export the definition: export default defineExtension({...}).');
  } catch (err) {
    loadError = err;
  }
  let controller = new AbortController();
  let ctx: Record<string, unknown> = {};
  let params: Record<string, unknown> = {};
  const definition = (): Definition => {
    if (loadError) throw loadError;
    return def!;
  };
  const runtime: ExtensionRuntime = {
    ping: () => 'pong',
    describe() {
      const d = definition();
      // Title, annotations and policy travel with the schemas (well-formed values only): the host reads them as hints.
      return { kind: String(d.kind ?? ''), tools: describeToolsOf(d.tools), shapes: Object.keys(d.shapes ?? {}) };
    },
    async activate(info: RuntimeInfo) {
      const d = definition();
      controller = new AbortController();
      const granted = new Set<string>(info.granted);
      const origins = new Set(info.origins);
      params = { ...info.params };
      // Touching the API of a capability that is not granted throws CAPABILITY_NOT_GRANTED (as in the SDK harness).
      ctx = guardContext({
        extensionId: info.id,
        version: info.version,
        signal: controller.signal,
        log: (...args: unknown[]) => void host.log(...args.map((a) => (typeof a === 'number' || typeof a === 'boolean' ? a : String(a)))),
        // getParams is synchronous in the SDK: a snapshot kept current by onParams and setParams.
        ...(granted.has('rendering')
          ? {
              rendering: {
                getParams: () => Object.freeze({ ...params }),
                setParams: async (p: Record<string, unknown>) => {
                  // The canvas's values after the change (clamped, rounded); a refusal throws and
                  // leaves the snapshot as it was.
                  const now = await host.rendering.setParams(p);
                  params = now && typeof now === 'object' ? { ...now } : { ...params, ...p };
                },
              },
            }
          : {}),
        ...(granted.has('geometry') ? { geometry: { publish: (m: unknown) => void host.geometry.publish(m as never) } } : {}),
        ...(granted.has('telemetry') ? { telemetry: { track: (e: string, data?: Record<string, string | number | boolean>) => void host.telemetry.track(e, data) } } : {}),
        // The frame's CSP (connect-src) limits fetch to the granted origins; this check only gives the error its code.
        ...(granted.has('network')
          ? {
              network: {
                fetch: async (url: string, init?: RequestInit) => {
                  let origin = '';
                  try {
                    origin = new URL(url).origin;
                  } catch {
                    /* not absolute */
                  }
                  if (!origins.has(origin)) throw fail('NETWORK_ORIGIN_NOT_GRANTED', `${origin || JSON.stringify(url)} is not among the granted origins.`, 'Add the exact origin to capabilities.network.origins in extension.json.');
                  return fetch(url, { ...init, signal: init?.signal ?? controller.signal });
                },
              },
            }
          : {}),
        ...(granted.has('agent-tools') ? { tools: { names: Object.keys(d.tools ?? {}) } } : {}),
        ...(granted.has('ui') && info.slot ? { ui: { ...info.slot, update: () => void host.ui.update() } } : {}),
      }, new Set(d.capabilities ?? []), fail);
      await d.activate?.(ctx);
    },
    async deactivate() {
      controller.abort();
      await definition().deactivate?.();
    },
    onParams(next) {
      params = { ...next };
      definition().onParams?.(Object.freeze({ ...params }), ctx);
    },
    async callTool(name, input) {
      const tool = Object.prototype.hasOwnProperty.call(definition().tools ?? {}, name) ? definition().tools![name] : undefined;
      if (!tool) throw fail('UNKNOWN_TOOL', `No tool "${name}" in this extension.`, 'List the tools with host.tools().');
      return (await tool.handler(input, ctx)) as never;
    },
    async render(frame) {
      const d = definition();
      if (typeof d.render !== 'function') throw fail('UNKNOWN_METHOD', 'This extension has no render().', 'Only renderer extensions draw frames.');
      const out = (await d.render(frame, ctx)) as { width: number; height: number; pixels: Uint8ClampedArray };
      // The pixels are handed over, not copied.
      return out?.pixels instanceof Uint8ClampedArray ? transfer(out, [out.pixels.buffer as ArrayBuffer]) : out;
    },
    async generate(request) {
      const d = definition();
      if (typeof d.generate !== 'function') throw fail('UNKNOWN_METHOD', 'This extension has no generate().', 'Only geometry extensions generate meshes.');
      return (await d.generate(request, ctx)) as never;
    },
    async view() {
      const d = definition();
      if (typeof d.view !== 'function') throw fail('UNKNOWN_METHOD', 'This extension has no view().', 'Only ui-widget extensions have a UI.');
      return (await d.view(ctx)) as unknown;
    },
    async uiEvent(e) {
      await definition().onEvent?.(e, ctx);
    },
  };
  expose(runtime, runtimePort);
};
