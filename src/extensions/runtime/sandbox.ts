import { expose, wrap, releaseProxy, type Remote } from 'comlink';
import { ExtensionError } from './errors.js';
import { guardedEndpoint, DEFAULT_LIMITS, type DispatchLimits } from './dispatcher.js';
import type { ExtensionRuntime, HostFacade } from './protocol.js';
import { installErrorWire } from './wire.js';

/** The Content-Security-Policy of a sandbox frame (and, inherited, of its worker). */
export function sandboxCsp(grantedOrigins: readonly string[]): string {
  // Each granted http(s) origin also in its WebSocket form (ws / wss): CSP matches schemes exactly.
  const withSockets = grantedOrigins.flatMap((o) => (/^https?:\/\//.test(o) ? [o, o.replace(/^http/, 'ws')] : [o]));
  const connect = withSockets.length ? withSockets.join(' ') : "'none'";
  return `default-src 'none'; script-src blob:; worker-src blob:; connect-src ${connect}; img-src 'none'; style-src 'none'; font-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'`;
}

/** Codes the sandbox frame reports for calls it refused before they reached the page. */
const REFUSAL_CODES = ['RATE_LIMITED', 'MESSAGE_TOO_LARGE', 'INVALID_ARGUMENTS'] as const;

/** How to start one sandbox. */
export interface SandboxOptions {
  /** URL of the sandbox frame document (dist/sandbox/frame.html). */
  frameUrl: URL;
  /** Source of the worker shim (dist/sandbox/extension-worker.js). */
  shimSource: string;
  /** The extension's worker code (an ES module with a default export). */
  code: string;
  /** Origins the frame may connect to (the granted network origins). */
  connectOrigins: readonly string[];
  /** The host API this extension may call (behind the dispatcher). */
  facade: HostFacade;
  /** Capabilities granted right now (read on every call: revocation is immediate). */
  granted(): ReadonlySet<string>;
  limits?: Partial<DispatchLimits>;
  onRefused?(error: ExtensionError): void;
  /** Where the frame goes (UI widgets: a slot; others: hidden in document.body). */
  container?: HTMLElement;
  /**
   * UI widgets: the frame is visible (starting at `size`) and gets a third port on which the host
   * sends the UI to render; the frame's trusted code reports user actions and its content size.
   */
  ui?: { size: { width: number; height: number }; title: string; onEvent(event: unknown): void; onSize(width: number, height: number): void; onError(message: string): void };
  /** Called when the frame reloaded on its own (e.g. it was moved in the DOM): its worker is gone. */
  onReload?(): void;
  /** How long the frame and worker may take to start, ms. */
  startTimeoutMs?: number;
}

/**
 * One extension's sandbox: an opaque-origin iframe (sandbox="allow-scripts") whose bootstrap
 * starts the extension in a Worker under a CSP that begins default-src 'none'. The host talks
 * to the worker over two MessageChannels: its calls into the extension (comlink `wrap`) and the
 * extension's calls into the host (comlink `expose` behind the guarded dispatcher).
 */
export class Sandbox {
  readonly iframe: HTMLIFrameElement;
  private runtimeProxy: Remote<ExtensionRuntime> | undefined;
  private ports: MessagePort[] = [];
  private uiPort: MessagePort | undefined;
  private dead = false;
  private started = false;

  constructor(private readonly options: SandboxOptions) {
    installErrorWire();
    const f = document.createElement('iframe');
    f.setAttribute('sandbox', 'allow-scripts');
    f.setAttribute('referrerpolicy', 'no-referrer');
    f.setAttribute('allow', '');
    f.setAttribute('aria-hidden', options.ui ? 'false' : 'true');
    f.title = options.ui?.title ?? 'vib3 extension sandbox';
    if (options.ui) {
      f.style.cssText = `border:0;width:${options.ui.size.width}px;height:${options.ui.size.height}px;display:block;background:transparent`;
    } else {
      f.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
      f.tabIndex = -1;
    }
    this.iframe = f;
  }

  /** The extension's runtime (available after start). */
  get runtime(): Remote<ExtensionRuntime> {
    if (!this.runtimeProxy || this.dead) throw new ExtensionError('SANDBOX_DIED', 'The sandbox is not running.', 'Activate the extension again.');
    return this.runtimeProxy;
  }

  /** Loads the frame, starts the worker, connects the ports. */
  start(): Promise<void> {
    const { frameUrl, startTimeoutMs = 10_000 } = this.options;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new ExtensionError('TIMEOUT', `The sandbox did not start within ${startTimeoutMs} ms.`, 'Check that dist/sandbox/frame.html is served next to the kit.'));
      }, startTimeoutMs);
      const onMessage = (e: MessageEvent) => {
        if (e.source !== this.iframe.contentWindow) return;
        const type = (e.data as { type?: string } | undefined)?.type;
        if (type === 'vib3-sandbox-loaded') this.init();
        else if (type === 'vib3-sandbox-ready') {
          cleanup();
          this.started = true;
          window.addEventListener('message', this.onLaterMessage);
          resolve();
        } else if (type === 'vib3-sandbox-error') {
          cleanup();
          reject(new ExtensionError('ACTIVATE_FAILED', `The sandbox failed: ${String((e.data as { message?: string }).message)}`, 'Check the extension bundle (an ES module with a default export).'));
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
      };
      window.addEventListener('message', onMessage);
      this.iframe.src = frameUrl.href;
      (this.options.container ?? document.body).append(this.iframe);
    });
  }

  /** After start, the frame only speaks again if it reloaded (which destroyed its worker). */
  private readonly onLaterMessage = (e: MessageEvent) => {
    if (e.source !== this.iframe.contentWindow || this.dead || !this.started) return;
    if ((e.data as { type?: string } | undefined)?.type === 'vib3-sandbox-loaded') this.options.onReload?.();
  };

  /**
   * Calls the frame refused before they reached this page (workers/sandbox/relay.ts), batched.
   * They arrive on the runtime port, in order with the results of the page's calls (comlink
   * ignores messages without an id).
   */
  private readonly onNotice = (e: MessageEvent) => {
    const data = e.data as { type?: string; code?: unknown; message?: unknown; suggestion?: unknown; count?: unknown } | undefined;
    if (data?.type !== 'vib3-sandbox-refused' || this.dead) return;
    const code = REFUSAL_CODES.find((c) => c === data.code);
    const count = typeof data.count === 'number' && Number.isInteger(data.count) && data.count > 0 ? data.count : 0;
    if (!code || !count) return;
    // One event per notice, however many calls it counts: a flood must not become a storm of
    // events on this page.
    const message = String(data.message).slice(0, 300);
    this.options.onRefused?.(new ExtensionError(code, count === 1 ? message : `${count} calls refused: ${message}`, String(data.suggestion).slice(0, 300)));
  };

  /** UI widgets: sends the (checked) UI to the frame's renderer. */
  renderUi(message: { tree: unknown[]; theme: Record<string, string>; maxWidth: number; maxHeight: number; dir: 'ltr' | 'rtl'; lang: string }): void {
    this.uiPort?.postMessage({ type: 'render', ...message });
  }

  /** UI widgets: sets the frame's size (the host clamps it to the slot's limits). */
  resize(width: number, height: number): void {
    this.iframe.style.width = `${width}px`;
    this.iframe.style.height = `${height}px`;
  }

  private init(): void {
    const toHost = new MessageChannel();
    const toExtension = new MessageChannel();
    this.ports = [toHost.port1, toExtension.port1];
    const transfer = [toHost.port2, toExtension.port2];
    const ui = this.options.ui;
    if (ui) {
      const channel = new MessageChannel();
      this.uiPort = channel.port1;
      this.ports.push(channel.port1);
      transfer.push(channel.port2);
      channel.port1.onmessage = (e: MessageEvent<{ type?: string; event?: unknown; width?: unknown; height?: unknown }>) => {
        const m = e.data;
        if (m?.type === 'event') ui.onEvent(m.event);
        else if (m?.type === 'size' && typeof m.width === 'number' && typeof m.height === 'number') ui.onSize(m.width, m.height);
        else if (m?.type === 'error') ui.onError(String((m as { message?: unknown }).message));
      };
    }
    expose(this.options.facade, guardedEndpoint(toHost.port1, { granted: this.options.granted, ...(this.options.limits ? { limits: this.options.limits } : {}), ...(this.options.onRefused ? { onRefused: this.options.onRefused } : {}) }));
    toExtension.port1.addEventListener('message', this.onNotice);
    this.runtimeProxy = wrap<ExtensionRuntime>(toExtension.port1);
    // An opaque origin cannot be named: '*' is the only target origin that reaches it.
    // The frame enforces the same limits before anything reaches this page (workers/sandbox/relay.ts).
    const limits = { ...DEFAULT_LIMITS, ...this.options.limits };
    this.iframe.contentWindow?.postMessage({ type: 'vib3-sandbox-init', csp: sandboxCsp(this.options.connectOrigins), shim: this.options.shimSource, code: this.options.code, limits }, '*', transfer);
  }

  /** Destroys the frame (and with it the worker), closes the ports. */
  terminate(): void {
    if (this.dead) return;
    this.dead = true;
    window.removeEventListener('message', this.onLaterMessage);
    try {
      this.runtimeProxy?.[releaseProxy]();
    } catch {
      /* already gone */
    }
    for (const p of this.ports) p.close();
    this.iframe.remove();
  }
}
