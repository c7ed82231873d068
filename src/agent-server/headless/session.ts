/**
 * The headless canvas of `vib3 mcp`: a loopback server with the kit's built files and a host page
 * (dist/agent/headless.html, strict CSP), opened in the system Chromium (playwright-core, the
 * launcher and flag sets of `src/listings/previews/chromium.ts`). The page runs one real
 * `<vib3-canvas>` and the page's ToolRegistry; this module implements {@link CanvasSession} by
 * calling that registry through `page.evaluate`, so tools, schemas, policy and envelope are the
 * page's own, and `render_snapshot` returns the frame Chromium actually rendered.
 *
 * Approvals: there is no person in this page, so the page asks this process, which approves when
 * `vib3 mcp --yes` was given and refuses otherwise (APPROVAL_DENIED, with a suggestion naming
 * --yes). Node-only.
 */
import type { Browser, Page } from 'playwright-core';
import type { CanvasScene, CanvasSession } from '../session.js';
import type { AgentTool, ToolCallResult } from '../../agent/registry/types.js';
import { errorOf, errorResult } from '../../agent/registry/envelope.js';
import { APPROVE_BINDING, TOOLS_CHANGED_BINDING, type HeadlessHostApi, type HostExtension, type HostExtensionStatus, type HostStartOptions, type HostStartResult } from '../../agent/headless/host-api.js';
import { launchChromium } from '../../listings/previews/chromium.js';
import { HeadlessError } from './errors.js';
import { readInstalled } from './installed.js';
import { headlessDistDir } from './kit-files.js';
import { startHeadlessServer, type HeadlessServer } from './static-server.js';

/** Which renderer the canvas uses; `webgl2` also starts Chromium without the WebGPU flags. */
export type HeadlessRenderer = 'auto' | 'webgpu' | 'webgl2';

/** Options of {@link startHeadlessSession}. */
export interface HeadlessSessionOptions {
  /** `auto` (default: WebGPU flag set, WebGL2 fallback), `webgpu`, or `webgl2` (plain flag set). */
  renderer?: HeadlessRenderer;
  /** The Chromium executable (default: `VIB3_CHROMIUM`, else /usr/bin/chromium). */
  chromium?: string;
  /** An install directory of `vib3 ext install --dir DIR`: its extensions run in the page and their tools are listed. */
  extensionsDir?: string;
  /** Approve calls that need approval (`vib3 mcp --yes`). Default: refuse them. */
  yes?: boolean;
  /** Canvas edge in CSS pixels (default 512). */
  size?: number;
  /** How long the first frame may take (ms, default 120 000: software rendering on a busy machine). */
  readyTimeoutMs?: number;
  /** Deadline of one tool call in the page (ms, default 120 000). */
  callTimeoutMs?: number;
  /** The kit's dist/ folder (default: next to the CLI). */
  distDir?: string;
  /** Progress and event lines (stderr in the CLI). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** What started: the backend and each extension's state. */
export interface HeadlessStartInfo {
  backend: string;
  pageUrl: string;
  extensions: HostExtensionStatus[];
}

/** The suggestion of a refused approval in a server started without --yes. */
export const APPROVAL_SUGGESTION = 'This vib3 mcp server was started without --yes, so calls that need approval (reset, extension tools) are refused. Ask the user; to allow them, restart it with "vib3 mcp --yes".';

type HostWindow = Window & { vib3Headless: HeadlessHostApi };

/** A headless canvas: the {@link CanvasSession} of `vib3 mcp` without `--pair`. */
export class HeadlessSession implements CanvasSession {
  readonly kind = 'headless' as const;
  private readonly listeners = new Set<() => void>();
  private closing: Promise<void> | undefined;
  private gone: string | undefined;

  /** @internal Use {@link startHeadlessSession}. */
  constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    private readonly server: HeadlessServer,
    private readonly options: HeadlessSessionOptions,
    /** What started. */
    readonly info: HeadlessStartInfo,
  ) {
    browser.on('disconnected', () => this.lost('Chromium exited'));
    page.on('crash', () => this.lost('the page crashed'));
  }

  async listTools(): Promise<AgentTool[]> {
    return this.inPage(() => (window as unknown as HostWindow).vib3Headless.list());
  }

  async callTool(name: string, args: Record<string, unknown>, caller = 'mcp'): Promise<ToolCallResult> {
    const result = await this.inPage(([n, a, c]) => (window as unknown as HostWindow).vib3Headless.call(n, a, c), [name, args, caller] as const);
    const error = errorOf(result);
    if (error && !this.options.yes && (error.code === 'APPROVAL_DENIED' || error.code === 'APPROVAL_REQUIRED')) {
      return errorResult({ ...error, suggestion: APPROVAL_SUGGESTION, retryable: false });
    }
    return result;
  }

  async scene(): Promise<CanvasScene> {
    return this.inPage(() => (window as unknown as HostWindow).vib3Headless.scene());
  }

  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal Called by the page (through playwright) when its registry's tool list changed. */
  toolsChanged(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Closes the browser and the page server (idempotent). */
  close(): Promise<void> {
    this.gone ??= 'the session was closed';
    return (this.closing ??= (async () => {
      await this.browser.close().catch(() => undefined);
      await this.server.close().catch(() => undefined);
    })());
  }

  private lost(why: string): void {
    if (this.gone) return;
    this.gone = why;
    this.options.log?.(`headless canvas: ${why}`);
  }

  private async inPage<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    if (this.gone) throw new HeadlessError('CANVAS_UNAVAILABLE', `The headless canvas is gone (${this.gone}).`, 'Restart vib3 mcp.');
    try {
      return await this.page.evaluate<R, unknown>(fn as (arg: unknown) => R | Promise<R>, arg);
    } catch (err) {
      throw new HeadlessError('CANVAS_UNAVAILABLE', `The headless canvas did not answer: ${(err as Error).message.split('\n')[0]}`, this.gone ? 'Restart vib3 mcp.' : 'Try again; if it keeps failing, restart vib3 mcp.', !this.gone);
    }
  }
}

/** Chromium launch failures, worded for vib3 mcp. */
function launchFailure(err: unknown): unknown {
  const e = err as { code?: string; message?: string; suggestion?: string };
  if (e?.code === 'PLAYWRIGHT_MISSING') return new HeadlessError('PLAYWRIGHT_MISSING', 'vib3 mcp drives Chromium with playwright-core, which is not installed here.', 'Install it next to the kit: npm install playwright-core (no browser download is needed: the system Chromium is used).');
  if (e?.code === 'CHROMIUM_NOT_FOUND') return new HeadlessError('CHROMIUM_NOT_FOUND', e.message ?? 'Chromium was not found.', `${e.suggestion ?? ''} Or pass --chromium <path>.`.trim());
  return err;
}

/**
 * Starts the headless canvas: page server, Chromium, the page, the first frame, the extensions.
 * @throws HeadlessError KIT_FILES_NOT_FOUND, EXTENSIONS_DIR_INVALID, CACHE_CORRUPT, CHROMIUM_NOT_FOUND,
 *   PLAYWRIGHT_MISSING, CANVAS_START_FAILED.
 */
export async function startHeadlessSession(options: HeadlessSessionOptions = {}): Promise<HeadlessSession> {
  const log = options.log ?? (() => undefined);
  const renderer = options.renderer ?? 'auto';
  const size = options.size ?? 512;
  const installed = options.extensionsDir ? readInstalled(options.extensionsDir) : [];
  const distDir = options.distDir ?? headlessDistDir({ extensions: installed.length > 0 });
  const packages = new Map(installed.map((p, i) => [`/__vib3/extensions/${i}.vib3x`, p.bytes] as const));
  const server = await startHeadlessServer(distDir, packages);
  let browser: Browser | undefined;
  try {
    const env = { ...(options.env ?? process.env), ...(options.chromium ? { VIB3_CHROMIUM: options.chromium } : {}) };
    const launched = await launchChromium(renderer === 'webgl2' ? 'plain' : 'webgpu', env, { handleSignals: false }).catch((err: unknown) => Promise.reject(launchFailure(err)));
    browser = launched;
    const context = await launched.newContext({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    let session: HeadlessSession | undefined;
    await page.exposeFunction(APPROVE_BINDING, (request: { tool: string; caller: string; reason: string }) => {
      log(`${options.yes ? 'approved' : 'refused (no --yes)'}: ${request.tool} for ${request.caller} (${request.reason})`);
      return options.yes === true;
    });
    await page.exposeFunction(TOOLS_CHANGED_BINDING, () => session?.toolsChanged());
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') log(`page: ${m.text()}`);
    });
    await page.goto(server.pageUrl);
    const timeout = options.readyTimeoutMs ?? 120_000;
    await page.waitForFunction(() => 'vib3Headless' in window, undefined, { timeout }).catch(() => {
      throw new HeadlessError('CANVAS_START_FAILED', 'The headless page did not load the kit.', 'Reinstall vib3-embed (or run npm run build in a checkout of the kit).');
    });
    const extensions: HostExtension[] = installed.map((p, i) => ({ id: p.id, version: p.version, url: `/__vib3/extensions/${i}.vib3x`, keyId: p.keyId, publicKey: p.publicKey, granted: p.granted }));
    const start: HostStartOptions = { renderer, size, readyTimeoutMs: timeout, callTimeoutMs: options.callTimeoutMs ?? 120_000, extensions };
    const started: HostStartResult = await page.evaluate((o) => (window as unknown as HostWindow).vib3Headless.start(o), start);
    if (!started.ok) throw new HeadlessError(started.code, started.message, started.suggestion);
    for (const e of started.extensions) log(`extension ${e.id}@${e.version}: ${e.state}${e.error ? ` (${e.error.code}: ${e.error.message})` : ''}`);
    session = new HeadlessSession(launched, page, server, options, { backend: started.backend, pageUrl: server.pageUrl, extensions: started.extensions });
    return session;
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw err;
  }
}
