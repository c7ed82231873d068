/**
 * The headless host page of `vib3 mcp` (built to dist/agent/headless-host.js, loaded by
 * dist/agent/headless.html under a strict CSP: `script-src 'self'`, no eval, no inline script).
 * It makes one fixed-size `<vib3-canvas loading="eager">`, a {@link ToolRegistry} with the
 * kit's canvas tools and — when the server was given an install directory — an
 * {@link ExtensionHost} with those packages installed, activated and their tools added; then it
 * exposes `window.vib3Headless` ({@link HeadlessHostApi}), which the node side calls through
 * playwright.
 *
 * There is no person in this page: approvals go to the node side (`vib3HeadlessApprove`, exposed
 * by playwright), which approves only when `vib3 mcp --yes` was given.
 *
 * The build maps the imports of `../../index.js`, `../index.js` and the extension runtime to the
 * kit's own ES files (`../vib3-embed.js`, `../agent.js`, `../extensions/runtime.js`), so the page
 * shares their modules (one element registry, one theme registry) instead of copying them.
 */
import { setFrameBudget, type Vib3Canvas } from '../../index.js';
import { ToolRegistry, canvasTools, extensionTools, type ApprovalRequest, type ToolHost } from '../index.js';
import { APPROVE_BINDING, HOST_GLOBAL, TOOLS_CHANGED_BINDING, type HeadlessHostApi, type HostExtension, type HostExtensionStatus, type HostFailure, type HostScene, type HostStartOptions, type HostStartResult } from './host-api.js';

type Bindings = {
  [APPROVE_BINDING]?: (request: { tool: string; title?: string; source: string; caller: string; reason: string; input: Record<string, unknown> }) => Promise<boolean>;
  [TOOLS_CHANGED_BINDING]?: () => Promise<void>;
};

const fail = (code: string, message: string, suggestion: string): HostFailure => ({ ok: false, code, message, suggestion });
const describe = (e: unknown): string => {
  const x = e as { code?: string; message?: string } | undefined;
  return x ? `${x.code ? `${x.code}: ` : ''}${x.message ?? String(e)}` : 'unknown error';
};

let canvas: Vib3Canvas | undefined;
let registry: ToolRegistry | undefined;
const canvasErrors: unknown[] = [];

/** Asks the node side (vib3 mcp --yes approves; otherwise refused). */
async function approve(request: ApprovalRequest): Promise<boolean> {
  const ask = (window as unknown as Bindings)[APPROVE_BINDING];
  if (!ask) return false;
  const { tool } = request;
  return (await ask({ tool: tool.name, ...(tool.title ? { title: tool.title } : {}), source: tool.source, caller: request.caller, reason: request.reason, input: request.input })) === true;
}

/** Resolves when the canvas drew its first frame, or with a failure when it shows its fallback or time runs out. */
function whenReady(el: Vib3Canvas, timeoutMs: number): Promise<{ ok: true } | HostFailure> {
  return new Promise((resolve) => {
    const started = performance.now();
    const timer = setInterval(() => {
      if (el.activeBackend !== 'none') done({ ok: true });
      else if (el.hasAttribute('data-fallback')) {
        done(fail('CANVAS_START_FAILED', `The canvas could not start a renderer: ${canvasErrors.map(describe).join('; ') || 'no backend available'}.`, 'Try --renderer webgl2 (WebGPU needs Chromium with SwiftShader Vulkan), or check --chromium.'));
      } else if (performance.now() - started > timeoutMs) {
        done(fail('CANVAS_START_FAILED', `The canvas drew no frame within ${timeoutMs} ms.`, 'The machine may be very busy; try again, or try --renderer webgl2.'));
      }
    }, 50);
    const done = (result: { ok: true } | HostFailure) => {
      clearInterval(timer);
      resolve(result);
    };
  });
}

/** Installs and activates the extensions of the server's install directory. */
async function startExtensions(list: HostExtension[], el: Vib3Canvas, reg: ToolRegistry): Promise<HostExtensionStatus[]> {
  if (!list.length) return [];
  const { ExtensionHost, memoryGrantStore } = await import('../../extensions/runtime/index.js');
  // Consent was given at install time (vib3 ext install): each package comes with that grant; nothing else is granted here.
  const host = new ExtensionHost({ trustedKeys: new Map(), consent: () => false, grants: memoryGrantStore(), canvas: el });
  const statuses: HostExtensionStatus[] = [];
  for (const ext of list) {
    try {
      const bytes = new Uint8Array(await (await fetch(ext.url)).arrayBuffer());
      const keys = new Map([[ext.keyId, { kty: 'OKP' as const, crv: 'Ed25519' as const, x: ext.publicKey }]]);
      await host.install(bytes, { keys, consented: ext.granted });
      const info = await host.activate(ext.id);
      statuses.push({ id: ext.id, version: ext.version, state: info.state });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      statuses.push({ id: ext.id, version: ext.version, state: 'failed', error: { code: e.code ?? 'ACTIVATE_FAILED', message: e.message ?? String(err) } });
    }
  }
  reg.add(extensionTools(host as unknown as ToolHost));
  return statuses;
}

async function start(options: HostStartOptions): Promise<HostStartResult> {
  if (canvas) return fail('ALREADY_STARTED', 'The headless page is already started.', 'Start a new page.');
  // Snapshots at full resolution however slow software rendering is: adaptive quality never steps down.
  setFrameBudget(60_000);
  document.body.style.margin = '0';
  document.body.style.background = '#000';
  const el = document.createElement('vib3-canvas') as Vib3Canvas;
  el.setAttribute('loading', 'eager');
  el.setAttribute('renderer', options.renderer);
  el.style.display = 'block';
  el.style.width = `${options.size}px`;
  el.style.height = `${options.size}px`;
  el.addEventListener('vib3-error', (e) => canvasErrors.push((e as CustomEvent).detail));
  canvas = el;
  const reg = new ToolRegistry({ approve, timeoutMs: options.callTimeoutMs });
  registry = reg;
  reg.add(canvasTools(el, { readyTimeoutMs: options.readyTimeoutMs }));
  document.body.append(el);
  const ready = await whenReady(el, options.readyTimeoutMs);
  if (!ready.ok) return ready;
  let extensions: HostExtensionStatus[] = [];
  try {
    extensions = await startExtensions(options.extensions, el, reg);
  } catch (err) {
    return fail('EXTENSIONS_FAILED', `The extension runtime did not start: ${describe(err)}.`, 'Check that dist/extensions/runtime.js and dist/sandbox/frame.html are next to the CLI.');
  }
  // From here on, tell the node side when the list changes (an extension stopped or restarted).
  reg.addEventListener('change', () => void (window as unknown as Bindings)[TOOLS_CHANGED_BINDING]?.());
  return { ok: true, backend: el.activeBackend, extensions };
}

const notStarted = () => fail('NOT_STARTED', 'The headless page has not been started.', 'Call start() first.');

const api: HeadlessHostApi = {
  start,
  list: () => (registry ? JSON.parse(JSON.stringify(registry.list())) : []),
  async call(name, args, caller) {
    if (!registry) {
      const f = notStarted();
      return { isError: true, content: [{ type: 'text', text: `${f.code}: ${f.message}` }], structuredContent: { error: { code: f.code, message: f.message, suggestion: f.suggestion, retryable: true } } };
    }
    return registry.call(name, args, { caller });
  },
  scene(): HostScene {
    const el = canvas;
    if (!el) return { mesh: 'none', meshMode: 'projection', sliceW: 0, theme: '', backend: 'none', width: 0, height: 0 };
    return { mesh: el.mesh, meshMode: el.meshMode, sliceW: el.sliceW, theme: el.theme ?? '', backend: el.activeBackend, width: el.clientWidth, height: el.clientHeight };
  },
};

(window as unknown as Record<string, unknown>)[HOST_GLOBAL] = api;
