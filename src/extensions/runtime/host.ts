import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import { checkCompatibility } from '../manifest/compatibility.js';
import semverGt from 'semver/functions/gt.js';
import { verifyPackage, type TrustedKeys } from '../signing/package.js';
import { ExtensionError, toExtensionError } from './errors.js';
import type { DispatchLimits } from './dispatcher.js';
import { localGrantStore, type Grant, type GrantStore } from './grants.js';
import type { ExtensionFrameRequest, HostFacade, ToolDescription } from './protocol.js';
import type { RendererFactory } from '../../render/contract.js';
import { ExtensionRendererView } from './renderer-view.js';
import { Sandbox } from './sandbox.js';
import sandboxFrameUrl from 'virtual:vib3-sandbox-frame-url';
import extensionWorkerSource from 'virtual:vib3-extension-worker-source';
import { registerMesh, unregisterMesh } from '../../geometry/custom-meshes.js';
import { SLOT_CONSTRAINTS, UI_SLOTS, type UiSlot } from '../../core/slots.js';
import { validateUiEvent, validateUiTree, type UiNode } from '../../sdk/ui-tree.js';
import { readWidgetTheme } from './widget-theme.js';

/** Lifecycle state of an installed extension. */
export type ExtensionState = 'inactive' | 'active' | 'restarting' | 'quarantined';

/** What the consent step is asked. */
export interface ConsentQuestion {
  id: string;
  name: string;
  publisher: string;
  version: string;
  /** Capabilities requested with their reasons (and exact origins for network). */
  capabilities: { name: string; reason: string; origins?: string[] }[];
  /** For updates: the capabilities that are new compared to what is granted. */
  added?: string[];
}

/** Decides what to grant: all requested capabilities, or nothing (deny). */
export type ConsentPolicy = (question: ConsentQuestion) => Promise<boolean> | boolean;

/** One installed extension as `list()` reports it. */
export interface ExtensionInfo {
  id: string;
  version: string;
  name: string;
  state: ExtensionState;
  granted: Grant;
  /** A newer version waiting for consent to new capabilities. */
  pendingUpdate?: string;
  health: { restarts: number; failures: number; lastError?: { code: string; message: string }; lastHeartbeatMs?: number };
  tools: string[];
}

/**
 * Where UI widgets appear: a component registry such as `componentRegistry` from
 * `vib3-embed/components`, shown on the page by a `<vib3-stage>`.
 */
export interface WidgetSlots {
  register(entry: { name: string; slot: UiSlot; label: string; source: 'extension'; create(): HTMLElement }): void;
  unregister(name: string): void;
}

/** Options of an {@link ExtensionHost}. */
export interface ExtensionHostOptions {
  /** Publisher keys to trust, by keyId. */
  trustedKeys: TrustedKeys;
  /** Consent (default: `<vib3-consent-dialog>` when defined on the page, else deny). */
  consent?: ConsentPolicy;
  /** Where grants persist (default: localStorage of the page origin). */
  grants?: GrantStore;
  /**
   * The canvas extensions work with (a `<vib3-canvas>`): `rendering` reads and changes its
   * parameters; meshes a geometry extension publishes are shown in its mesh layer.
   */
  canvas?: { getParams(): object; setParams(partial: object): void; mesh?: string };
  /**
   * Receives meshes published by geometry extensions (`ctx.geometry.publish`). By default they are
   * registered as `<extension id>/published` and shown on `canvas`.
   */
  onMesh?(extensionId: string, mesh: { vertices: Float32Array; edges: Uint32Array; cells?: Uint32Array }): void;
  /** Receives log lines and telemetry. */
  onLog?(extensionId: string, args: unknown[]): void;
  onTelemetry?(extensionId: string, event: string, data?: Record<string, unknown>): void;
  /**
   * Sandbox frame URL (default: dist/sandbox/frame.html next to the kit). A function gives each
   * extension its own URL: frames on different sites run in different browser processes, so an
   * extension that exhausts its memory takes down only its own process (see docs/EXTENSIONS.md).
   */
  frameUrl?: string | URL | ((extensionId: string) => string | URL);
  /** Where UI widgets render (without it, a widget runs without its UI and a NO_UI_SLOTS error is reported). */
  slots?: WidgetSlots;
  /** Deadline of every call into an extension, ms (default 5000). */
  callTimeoutMs?: number;
  /** Heartbeat interval and deadline, ms (default 1000 / 1000). */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** Failures (crash, hang) before quarantine (default 3); restarts back off 250 ms x 2^n. */
  maxFailures?: number;
  /** Per-extension message size and rate limits. */
  limits?: Partial<DispatchLimits>;
}

interface Entry {
  manifest: Vib3ExtensionManifest;
  code: string;
  state: ExtensionState;
  sandbox?: Sandbox;
  heartbeat?: ReturnType<typeof setInterval>;
  lastBeat?: number;
  restarts: number;
  failures: number;
  lastError?: ExtensionError;
  tools: ToolDescription[];
  pending: Set<(e: ExtensionError) => void>;
  pendingUpdate?: { manifest: Vib3ExtensionManifest; code: string };
  /** Meshes it registered (released when it is deactivated). */
  meshes: Set<string>;
  restartTimer?: ReturnType<typeof setTimeout>;
  /** UI widgets: the slot entry, the wrapper element and the last rendered (checked) tree. */
  widget?: { name: string; slot: UiSlot; wrapper: HTMLElement; tree: UiNode[]; queue: Promise<void>; dirty: boolean };
}

const decoder = new TextDecoder();

/**
 * The extension host: installs signed packages (signature, integrity, compatibility, consent),
 * runs each extension in its own sandbox (opaque-origin iframe + worker, CSP per grant), keeps
 * it healthy (heartbeat, deadlines, restart with backoff, quarantine) and connects it to the
 * page: the canvas parameters, the mesh layer and the agent tool registry (tools named
 * `<extension id>/<tool>`). Fires `vib3-extension-error` (detail: code, message, suggestion,
 * extensionId) and `vib3-extension-state` (detail: id, state).
 */
export class ExtensionHost extends EventTarget {
  private readonly entries = new Map<string, Entry>();
  private readonly grants: GrantStore;
  /** The kit's own sandbox frame (dist/sandbox/frame.html, emitted next to the kit by bundlers). */
  private readonly kitFrameUrl: URL;

  constructor(private readonly options: ExtensionHostOptions) {
    super();
    this.grants = options.grants ?? localGrantStore();
    this.kitFrameUrl = new URL(typeof options.frameUrl === 'function' || !options.frameUrl ? sandboxFrameUrl : options.frameUrl, globalThis.location?.href);
    globalThis.document?.addEventListener('vib3-theme-change', this.onThemeChange);
    // Extensions with `rendering` hear about every parameter change of the canvas.
    const canvas = options.canvas as (ExtensionHostOptions['canvas'] & Partial<EventTarget>) | undefined;
    canvas?.addEventListener?.('vib3-params-change', this.onCanvasParams);
  }

  /** Widgets follow theme switches: their frames get the new token values. */
  private readonly onThemeChange = () => {
    requestAnimationFrame(() => {
      for (const [id, entry] of this.entries) if (entry.widget && entry.state === 'active') this.renderWidget(id, entry);
    });
  };

  private frameUrlFor(id: string): URL {
    const f = this.options.frameUrl;
    return typeof f === 'function' ? new URL(f(id), globalThis.location?.href) : this.kitFrameUrl;
  }

  private readonly onCanvasParams = () => {
    const params = this.options.canvas?.getParams();
    if (params) this.notifyParams({ ...params } as Record<string, unknown>);
  };

  // ------------------------------------------------------------------ install / update / remove

  /** Verifies, checks compatibility, asks consent and installs (inactive). Rejects with an ExtensionError. */
  async install(pkg: Uint8Array): Promise<ExtensionInfo> {
    const { manifest, code } = await this.open(pkg);
    if (this.entries.has(manifest.id)) throw new ExtensionError('ALREADY_INSTALLED', `${manifest.id} is already installed.`, 'Use update() for a new version, or uninstall() first.', manifest.id);
    const grant = this.grants.get(manifest.id);
    const wanted = requested(manifest);
    if (!grant || !covers(grant, wanted)) {
      if (!(await this.ask(manifest))) throw new ExtensionError('CONSENT_DENIED', `The user did not grant what ${manifest.name} asks for.`, 'Install again to be asked again.', manifest.id);
      this.setGrant(manifest.id, wanted);
    }
    this.entries.set(manifest.id, { manifest, code, state: 'inactive', restarts: 0, failures: 0, tools: [], pending: new Set(), meshes: new Set() });
    return this.info(manifest.id);
  }

  /**
   * Installs a newer version. If it asks for capabilities or origins not granted yet, it is held
   * (the running version stays) until the consent policy grants them; returns whether it applied.
   */
  async update(pkg: Uint8Array): Promise<{ applied: boolean; info: ExtensionInfo }> {
    const { manifest, code } = await this.open(pkg);
    const entry = this.entry(manifest.id);
    // id@version is immutable and updates only move forward (no silent rollback).
    if (!semverGt(manifest.version, entry.manifest.version)) {
      throw new ExtensionError('NOT_NEWER', `${manifest.id}@${manifest.version} is not newer than the installed ${entry.manifest.version}.`, 'Publish a higher version; a version number never changes content.', manifest.id);
    }
    const grant = this.grants.get(manifest.id) ?? { capabilities: [], origins: [] };
    const wanted = requested(manifest);
    if (!covers(grant, wanted)) {
      const added = [...wanted.capabilities.filter((c) => !grant.capabilities.includes(c)), ...wanted.origins.filter((o) => !grant.origins.includes(o))];
      if (!(await this.ask(manifest, added))) {
        entry.pendingUpdate = { manifest, code };
        return { applied: false, info: this.info(manifest.id) };
      }
      this.setGrant(manifest.id, wanted);
    }
    const wasActive = entry.state === 'active';
    if (wasActive) await this.deactivate(manifest.id);
    entry.manifest = manifest;
    entry.code = code;
    delete entry.pendingUpdate;
    if (wasActive) await this.activate(manifest.id);
    return { applied: true, info: this.info(manifest.id) };
  }

  /** Deactivates, forgets the extension and its grant. */
  async uninstall(id: string): Promise<void> {
    await this.deactivate(id).catch(() => undefined);
    this.entries.delete(id);
    this.grants.delete(id);
    this.grantedCache.delete(id);
  }

  private async open(pkg: Uint8Array): Promise<{ manifest: Vib3ExtensionManifest; code: string }> {
    const verified = await verifyPackage(pkg, this.options.trustedKeys);
    if (!verified.ok) throw new ExtensionError('VERIFY_FAILED', `${verified.code}: ${verified.message}`, verified.suggestion);
    const manifest = verified.manifest;
    const issues = checkCompatibility(manifest);
    if (issues.length) throw new ExtensionError('INCOMPATIBLE', issues.map((i) => i.message).join(' '), issues[0]!.suggestion, manifest.id);
    const entry = manifest.entrypoints.worker;
    const bytes = entry ? verified.files.get(entry) : undefined;
    if (!bytes) throw new ExtensionError('VERIFY_FAILED', `${manifest.id} has no worker entrypoint in its package.`, 'Set entrypoints.worker in extension.json and pack the built file.', manifest.id);
    return { manifest, code: decoder.decode(bytes) };
  }

  private async ask(manifest: Vib3ExtensionManifest, added?: string[]): Promise<boolean> {
    const question: ConsentQuestion = {
      id: manifest.id,
      name: manifest.name,
      publisher: manifest.publisher.name,
      version: manifest.version,
      capabilities: Object.entries(manifest.capabilities).map(([name, c]) => ({ name, reason: String((c as { reason?: string }).reason ?? ''), ...((c as { origins?: string[] }).origins ? { origins: [...(c as { origins: string[] }).origins] } : {}) })),
      ...(added ? { added } : {}),
    };
    const policy = this.options.consent ?? dialogConsent;
    try {
      return (await policy(question)) === true;
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /** Starts the extension's sandbox and calls its `activate`. */
  async activate(id: string): Promise<ExtensionInfo> {
    const entry = this.entry(id);
    if (entry.state === 'quarantined') throw new ExtensionError('QUARANTINED', `${id} failed ${entry.failures} times and is quarantined.`, 'Call enable(id) after checking with its publisher.', id);
    if (entry.state === 'active') return this.info(id);
    await this.launch(id, entry);
    return this.info(id);
  }

  /** Starts the sandbox: active on success; on failure nothing is left running, it is inactive, and the error is thrown. */
  private async launch(id: string, entry: Entry): Promise<void> {
    try {
      await this.start(id, entry);
      this.setState(id, entry, 'active');
    } catch (err) {
      this.stop(entry);
      this.setState(id, entry, 'inactive');
      const error = toExtensionError(err, id);
      throw error.code === 'EXTENSION_ERROR' ? new ExtensionError('ACTIVATE_FAILED', `${id} failed to activate: ${error.message}`, 'Check the extension with `vib3 ext test`.', id) : error;
    }
  }

  /** Calls its `deactivate` (with a deadline) and destroys the sandbox; its resources go with it. */
  async deactivate(id: string): Promise<void> {
    const entry = this.entry(id);
    clearTimeout(entry.restartTimer);
    if (entry.sandbox) await this.call(id, entry, (r) => r.deactivate()).catch(() => undefined);
    this.stop(entry);
    // Resources it created go with it.
    for (const name of entry.meshes) unregisterMesh(name);
    entry.meshes.clear();
    if (entry.state !== 'quarantined') this.setState(id, entry, 'inactive');
  }

  /** Lifts a quarantine (the user re-enabled the extension) and activates it. */
  async enable(id: string): Promise<ExtensionInfo> {
    const entry = this.entry(id);
    entry.failures = 0;
    if (entry.state === 'quarantined') this.setState(id, entry, 'inactive');
    return this.activate(id);
  }

  /**
   * Revokes a capability (or one network origin) at once: the sandbox restarts without it. If the
   * extension cannot start without it, it is left inactive and the error is reported (the
   * revocation itself stands).
   */
  async revoke(id: string, capability: string, origin?: string): Promise<ExtensionInfo> {
    const entry = this.entry(id);
    const grant = this.grants.get(id) ?? { capabilities: [], origins: [] };
    const next: Grant = origin
      ? { capabilities: grant.capabilities, origins: grant.origins.filter((o) => o !== origin) }
      : { capabilities: grant.capabilities.filter((c) => c !== capability), origins: capability === 'network' ? [] : grant.origins };
    this.setGrant(id, next);
    if (entry.state === 'active') {
      this.stop(entry);
      this.setState(id, entry, 'restarting');
      await this.launch(id, entry).catch((err: ExtensionError) => this.report(id, err));
    }
    return this.info(id);
  }

  /** Every installed extension with its state and health. */
  list(): ExtensionInfo[] {
    return [...this.entries.keys()].map((id) => this.info(id));
  }

  /** Agent tools of the active extensions, namespaced `<extension id>/<tool>`. */
  tools(): ToolDescription[] {
    return [...this.entries.entries()].flatMap(([id, e]) => (e.state === 'active' && this.granted(id).has('agent-tools') ? e.tools.map((t) => ({ ...t, name: `${id}/${t.name}` })) : []));
  }

  /** Calls a namespaced tool (`<extension id>/<tool>`), with the call deadline. */
  async callTool(qualified: string, input: Record<string, unknown> = {}): Promise<Awaited<ReturnType<import('./protocol.js').ExtensionRuntime['callTool']>>> {
    const slash = qualified.lastIndexOf('/');
    const id = qualified.slice(0, slash);
    const name = qualified.slice(slash + 1);
    const entry = this.entry(id);
    if (!this.granted(id).has('agent-tools')) throw new ExtensionError('CAPABILITY_DENIED', `${id} has no granted agent-tools capability.`, 'Grant agent-tools to use its tools.', id);
    return this.call(id, entry, (r) => r.callTool(name, input));
  }

  /** Asks a geometry extension for a mesh (with the call deadline). */
  async generate(id: string, request: { shape: string; options?: Record<string, unknown> }) {
    const entry = this.entry(id);
    if (!this.granted(id).has('geometry')) throw new ExtensionError('CAPABILITY_DENIED', `${id} has no granted geometry capability.`, 'Grant geometry to use its shapes.', id);
    return this.call(id, entry, (r) => r.generate(request));
  }

  /**
   * Asks a geometry extension for a shape and registers it for the mesh layer as
   * `<extension id>/<shape>`; returns that name (set it as a `<vib3-canvas>`'s `mesh`). The
   * extension's cells (tetrahedra) make it sliceable. Removed again when the extension is
   * deactivated or uninstalled.
   */
  async loadMesh(id: string, shape: string, options?: Record<string, unknown>): Promise<`${string}/${string}`> {
    const mesh = await this.generate(id, { shape, ...(options ? { options } : {}) });
    return this.registerExtensionMesh(id, shape, mesh);
  }

  private registerExtensionMesh(id: string, shape: string, mesh: { vertices: Float32Array; edges: Uint32Array; cells?: Uint32Array }): `${string}/${string}` {
    const name = `${id}/${shape}` as const;
    try {
      registerMesh(name, { vertices: mesh.vertices, edges: mesh.edges, triangles: new Uint32Array(0), tetrahedra: mesh.cells ?? new Uint32Array(0) });
    } catch (err) {
      throw new ExtensionError('INVALID_ARGUMENTS', `${id} produced an invalid mesh: ${(err as Error).message}`, 'Report it to the extension publisher.', id);
    }
    this.entry(id).meshes.add(name);
    return name;
  }

  /**
   * Asks a renderer extension for one frame (RGBA pixels), with the call deadline. The output is
   * checked (size <= 4096², pixel count matching) before it is handed out.
   */
  async renderFrame(id: string, frame: ExtensionFrameRequest): Promise<ImageData> {
    const entry = this.entry(id);
    if (!this.granted(id).has('rendering')) throw new ExtensionError('CAPABILITY_DENIED', `${id} has no granted rendering capability.`, 'Grant rendering to let it draw.', id);
    const out = await this.call(id, entry, (r) => r.render(frame));
    const ok = out && Number.isInteger(out.width) && Number.isInteger(out.height) && out.width > 0 && out.height > 0 && out.width <= 4096 && out.height <= 4096 && out.pixels instanceof Uint8ClampedArray && out.pixels.length === out.width * out.height * 4;
    if (!ok) throw new ExtensionError('INVALID_ARGUMENTS', `${id} returned an invalid frame.`, 'render() must return { width, height, pixels: Uint8ClampedArray(width * height * 4) }.', id);
    return new ImageData(out.pixels as Uint8ClampedArray<ArrayBuffer>, out.width, out.height);
  }

  /**
   * A renderer factory that draws elements with a renderer extension: pass it to
   * `setRendererFactory(async () => host.rendererFactory(id))`. Frames are rendered in the
   * extension's worker and handed to the page as pixels (see docs/EXTENSIONS.md for why).
   */
  rendererFactory(id: string): RendererFactory {
    return (target, _preference, events) => new ExtensionRendererView(this, id, target, events);
  }

  /** Tells every active extension with `rendering` that the canvas parameters changed. */
  notifyParams(params: Record<string, unknown>): void {
    for (const [id, entry] of this.entries) {
      if (entry.state === 'active' && this.granted(id).has('rendering')) {
        void this.call(id, entry, (r) => r.onParams(params)).then(
          () => entry.widget && this.renderWidget(id, entry),
          () => undefined,
        );
      }
    }
  }

  /** Stops every extension and stops listening to the canvas. */
  dispose(): void {
    (this.options.canvas as Partial<EventTarget> | undefined)?.removeEventListener?.('vib3-params-change', this.onCanvasParams);
    globalThis.document?.removeEventListener('vib3-theme-change', this.onThemeChange);
    for (const entry of this.entries.values()) {
      clearTimeout(entry.restartTimer);
      this.stop(entry);
    }
  }

  // ------------------------------------------------------------------ sandbox and health

  /**
   * Granted capabilities, cached: the dispatcher asks on every message an extension sends, and the
   * default store would parse localStorage each time. The host is the store's writer (setGrant).
   */
  private granted(id: string): ReadonlySet<string> {
    let set = this.grantedCache.get(id);
    if (!set) {
      set = new Set(this.grants.get(id)?.capabilities ?? []);
      this.grantedCache.set(id, set);
    }
    return set;
  }

  private readonly grantedCache = new Map<string, ReadonlySet<string>>();

  private setGrant(id: string, grant: Grant): void {
    this.grants.set(id, grant);
    this.grantedCache.set(id, new Set(grant.capabilities));
  }

  private async start(id: string, entry: Entry): Promise<void> {
    const grant = this.grants.get(id) ?? { capabilities: [], origins: [] };
    const widget = this.placeWidget(id, entry, grant.capabilities.includes('ui'));
    const sandbox = new Sandbox({
      frameUrl: this.frameUrlFor(id),
      // The worker shim ships inside this module: no file to serve, no cross-origin fetch.
      shimSource: extensionWorkerSource,
      code: entry.code,
      connectOrigins: grant.capabilities.includes('network') ? grant.origins : [],
      facade: this.facade(id),
      granted: () => this.granted(id),
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      onRefused: (error) => this.report(id, new ExtensionError(error.code, error.message, error.suggestion, id)),
      onReload: () => this.reloaded(id, entry, sandbox),
      ...(widget
        ? {
            container: widget.wrapper,
            ui: {
              size: { width: 1, height: 1 },
              title: entry.manifest.name,
              onEvent: (raw: unknown) => this.widgetEvent(id, entry, raw),
              onError: (message: string) => this.report(id, new ExtensionError('UI_INVALID', `${id}'s UI could not be rendered: ${message}`, 'Report this to the kit maintainers with the widget\'s view().', id)),
              onSize: (w: number, h: number) => {
                const { maxWidth, maxHeight } = SLOT_CONSTRAINTS[widget.slot];
                sandbox.resize(Math.max(1, Math.min(maxWidth, Math.ceil(w))), Math.max(1, Math.min(maxHeight, Math.ceil(h))));
              },
            },
          }
        : {}),
    });
    entry.sandbox = sandbox;
    try {
      await sandbox.start();
    } catch (err) {
      const e = toExtensionError(err, id);
      // A widget's frame loads only once its slot is on the page.
      throw widget && e.code === 'TIMEOUT' ? new ExtensionError('TIMEOUT', `${id}'s widget frame did not load: its ${widget.slot} slot is not on the page.`, 'Show the registry you passed as `slots` in a <vib3-stage> before activating UI widgets.', id) : e;
    }
    const description = await this.call(id, entry, (r) => r.describe());
    entry.tools = description.tools;
    if (widget && description.kind !== 'ui-widget') throw new ExtensionError('ACTIVATE_FAILED', `${id} declares the ui capability but is a ${description.kind || 'plain'} extension.`, "Use defineExtension({ kind: 'ui-widget', view, ... }) for a UI.", id);
    const params = grant.capabilities.includes('rendering') ? ({ ...(this.options.canvas?.getParams() ?? {}) } as Record<string, unknown>) : {};
    const slot = widget ? { slot: widget.slot, ...SLOT_CONSTRAINTS[widget.slot] } : undefined;
    await this.call(id, entry, (r) => r.activate({ id, version: entry.manifest.version, granted: grant.capabilities, params, ...(slot ? { slot } : {}) }));
    if (widget) await this.renderWidget(id, entry);
    entry.lastBeat = performance.now();
    this.startHeartbeat(id, entry);
  }

  /**
   * UI widgets get a wrapper in their slot (the first slot extension.json names) before the sandbox
   * starts: an iframe reloads when it moves, so the frame is created where it will stay.
   */
  private placeWidget(id: string, entry: Entry, uiGranted: boolean): Entry['widget'] {
    if (!uiGranted) return undefined;
    const slots = this.options.slots;
    if (!slots) {
      this.report(id, new ExtensionError('NO_UI_SLOTS', `${id} is a UI widget, but the host has nowhere to show it.`, 'Pass `slots: componentRegistry` (vib3-embed/components) to the ExtensionHost and show a <vib3-stage>.', id));
      return undefined;
    }
    const declared = ((entry.manifest.capabilities as Record<string, { slots?: string[] } | undefined>)['ui']?.slots ?? []).filter((s): s is UiSlot => (UI_SLOTS as readonly string[]).includes(s));
    const slot = declared[0] ?? 'panel';
    const wrapper = document.createElement('div');
    wrapper.dataset['extension'] = id;
    const name = `${id}.widget`;
    slots.register({ name, slot, label: entry.manifest.name, source: 'extension', create: () => wrapper });
    entry.widget = { name, slot, wrapper, tree: [], queue: Promise.resolve(), dirty: false };
    return entry.widget;
  }

  /** Asks the widget for its UI, checks it, and sends it to the frame (one render at a time). */
  private renderWidget(id: string, entry: Entry): Promise<void> {
    const widget = entry.widget;
    if (!widget) return Promise.resolve();
    if (widget.dirty) return widget.queue;
    widget.dirty = true;
    widget.queue = widget.queue.then(async () => {
      widget.dirty = false;
      const sandbox = entry.sandbox;
      if (!sandbox || entry.widget !== widget) return;
      let raw: unknown;
      try {
        raw = await this.call(id, entry, (r) => r.view());
      } catch (err) {
        this.report(id, toExtensionError(err, id));
        return;
      }
      const checked = validateUiTree(raw);
      if (!checked.ok) {
        this.report(id, new ExtensionError('UI_INVALID', `${id}'s view() returned an invalid UI at ${checked.path}: ${checked.message}.`, 'The widget keeps its previous UI; report this to the extension publisher.', id));
        return;
      }
      widget.tree = checked.tree;
      const { maxWidth, maxHeight } = SLOT_CONSTRAINTS[widget.slot];
      sandbox.renderUi({ tree: checked.tree, ...readWidgetTheme(widget.wrapper), maxWidth, maxHeight });
    });
    return widget.queue;
  }

  /** A user action reported by the widget frame: checked against what was rendered, then delivered. */
  private widgetEvent(id: string, entry: Entry, raw: unknown): void {
    const widget = entry.widget;
    const event = widget && validateUiEvent(raw, widget.tree);
    if (!event || entry.state !== 'active') return;
    void this.call(id, entry, (r) => r.uiEvent(event)).then(
      () => this.renderWidget(id, entry),
      (err) => {
        this.report(id, toExtensionError(err, id));
        return this.renderWidget(id, entry);
      },
    );
  }

  private removeWidget(entry: Entry): void {
    if (!entry.widget) return;
    this.options.slots?.unregister(entry.widget.name);
    entry.widget.wrapper.remove();
    delete entry.widget;
  }

  /** The frame reloaded (it was moved in the DOM): its worker is gone, so start it again. Not the extension's fault. */
  private reloaded(id: string, entry: Entry, sandbox: Sandbox): void {
    if (entry.sandbox !== sandbox || entry.state !== 'active') return;
    this.stop(entry);
    this.setState(id, entry, 'restarting');
    this.restart(id, entry);
  }

  /** Starts a restarting extension; a failure to start counts like a crash (backoff, then quarantine). */
  private restart(id: string, entry: Entry): void {
    this.start(id, entry).then(
      () => this.setState(id, entry, 'active'),
      (err) => this.failed(id, entry, toExtensionError(err, id)),
    );
  }

  private stop(entry: Entry): void {
    clearInterval(entry.heartbeat);
    entry.heartbeat = undefined;
    const dead = new ExtensionError('SANDBOX_DIED', 'The extension was stopped while the call was pending.', 'Call again once it is active.', entry.manifest.id);
    for (const reject of [...entry.pending]) reject(dead);
    entry.pending.clear();
    entry.sandbox?.terminate();
    entry.sandbox = undefined;
    this.removeWidget(entry);
  }

  /** One call into the sandbox with a deadline; rejected at once if the sandbox dies meanwhile. */
  private call<T>(id: string, entry: Entry, fn: (runtime: Sandbox['runtime']) => Promise<T> | T, timeoutMs = this.options.callTimeoutMs ?? 5000): Promise<T> {
    if (!entry.sandbox) return Promise.reject(new ExtensionError('NOT_ACTIVE', `${id} is not active.`, 'Activate it first.', id));
    const runtime = entry.sandbox.runtime;
    return new Promise<T>((resolve, reject) => {
      const done = (f: () => void) => {
        clearTimeout(timer);
        entry.pending.delete(rejectDead);
        f();
      };
      const rejectDead = (e: ExtensionError) => done(() => reject(e));
      const timer = setTimeout(() => done(() => reject(new ExtensionError('TIMEOUT', `${id} did not answer within ${timeoutMs} ms.`, 'The extension may be busy or hung; the host restarts hung extensions.', id))), timeoutMs);
      entry.pending.add(rejectDead);
      Promise.resolve()
        .then(() => fn(runtime))
        .then(
          (v) => done(() => resolve(v)),
          (e) => done(() => reject(toExtensionError(e, id))),
        );
    });
  }

  private startHeartbeat(id: string, entry: Entry): void {
    const every = this.options.heartbeatMs ?? 1000;
    const deadline = this.options.heartbeatTimeoutMs ?? 1000;
    let inFlight = false;
    entry.heartbeat = setInterval(() => {
      if (inFlight || !entry.sandbox) return;
      inFlight = true;
      this.call(id, entry, (r) => r.ping(), deadline).then(
        () => {
          inFlight = false;
          entry.lastBeat = performance.now();
        },
        (err: ExtensionError) => {
          inFlight = false;
          if (err.code === 'SANDBOX_DIED' || entry.state !== 'active') return;
          this.failed(id, entry, new ExtensionError('HUNG', `${id} missed its heartbeat (${deadline} ms): it hung, or its process crashed (e.g. out of memory). It was terminated.`, 'An extension must not block its worker; it is restarted with backoff and quarantined after repeated failures.', id));
        },
      );
    }, every);
  }

  /** A crash or hang: terminate, report, restart with backoff, or quarantine. */
  private failed(id: string, entry: Entry, error: ExtensionError): void {
    this.stop(entry);
    entry.failures++;
    this.report(id, error);
    if (entry.failures >= (this.options.maxFailures ?? 3)) {
      this.setState(id, entry, 'quarantined');
      this.report(id, new ExtensionError('QUARANTINED', `${id} failed ${entry.failures} times and is quarantined.`, 'Re-enable it from the extension manager once the publisher has fixed it.', id));
      return;
    }
    this.setState(id, entry, 'restarting');
    const delay = 250 * 2 ** (entry.failures - 1);
    entry.restartTimer = setTimeout(() => {
      if (entry.state !== 'restarting') return;
      entry.restarts++;
      this.restart(id, entry);
    }, delay);
  }

  private facade(id: string): HostFacade {
    const o = this.options;
    return {
      log: (...args) => o.onLog?.(id, args),
      rendering: {
        getParams: () => ({ ...(o.canvas?.getParams() ?? {}) }) as Record<string, unknown>,
        setParams: (partial) => o.canvas?.setParams({ ...partial }),
      },
      geometry: {
        publish: (mesh) => {
          if (o.onMesh) return o.onMesh(id, mesh);
          const name = this.registerExtensionMesh(id, 'published', mesh);
          if (o.canvas && 'mesh' in o.canvas) (o.canvas as { mesh: string }).mesh = name;
        },
      },
      telemetry: { track: (event, data) => o.onTelemetry?.(id, event, data) },
      ui: {
        update: () => {
          const entry = this.entries.get(id);
          if (entry?.widget && entry.state === 'active') void this.renderWidget(id, entry);
        },
      },
    };
  }

  private report(id: string, error: ExtensionError): void {
    const entry = this.entries.get(id);
    if (entry) entry.lastError = error;
    this.dispatchEvent(new CustomEvent('vib3-extension-error', { detail: { ...error.toJSON(), extensionId: id } }));
  }

  private setState(id: string, entry: Entry, state: ExtensionState): void {
    if (entry.state === state) return;
    entry.state = state;
    this.dispatchEvent(new CustomEvent('vib3-extension-state', { detail: { id, state } }));
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new ExtensionError('NOT_INSTALLED', `No extension ${id} is installed.`, 'Install its package first.', id);
    return e;
  }

  private info(id: string): ExtensionInfo {
    const e = this.entry(id);
    return {
      id,
      version: e.manifest.version,
      name: e.manifest.name,
      state: e.state,
      granted: this.grants.get(id) ?? { capabilities: [], origins: [] },
      ...(e.pendingUpdate ? { pendingUpdate: e.pendingUpdate.manifest.version } : {}),
      health: { restarts: e.restarts, failures: e.failures, ...(e.lastError ? { lastError: { code: e.lastError.code, message: e.lastError.message } } : {}), ...(e.lastBeat !== undefined ? { lastHeartbeatMs: e.lastBeat } : {}) },
      tools: e.tools.map((t) => `${id}/${t.name}`),
    };
  }
}

/** Capabilities and origins a manifest asks for. */
function requested(manifest: Vib3ExtensionManifest): Grant {
  const caps = manifest.capabilities as Record<string, { origins?: string[] } | undefined>;
  return { capabilities: Object.keys(caps), origins: [...(caps['network']?.origins ?? [])] };
}

function covers(grant: Grant, wanted: Grant): boolean {
  return wanted.capabilities.every((c) => grant.capabilities.includes(c)) && wanted.origins.every((o) => grant.origins.includes(o));
}

/** Default consent: the page's `<vib3-consent-dialog>` if there is one; otherwise deny. */
const dialogConsent: ConsentPolicy = async (q) => {
  const dialog = globalThis.document?.querySelector('vib3-consent-dialog') as { ask?(r: unknown): Promise<{ granted: boolean }> } | null;
  if (!dialog?.ask) return false;
  const result = await dialog.ask({ extensionName: q.name, publisher: q.publisher, capabilities: q.capabilities });
  return result.granted;
};
