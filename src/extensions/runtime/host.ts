import semverGt from 'semver/functions/gt.js';
import { ExtensionError, toExtensionError } from './errors.js';
import { CachedGrants, localGrantStore, type Grant } from './grants.js';
import type { ExtensionFrameRequest, ToolDescription } from './protocol.js';
import type { RendererFactory } from '../../render/contract.js';
import { extensionRendererFactory, type FrameSource } from './renderer-view.js';
import { Sandbox } from './sandbox.js';
import sandboxFrameUrl from 'virtual:vib3-sandbox-frame-url';
import extensionWorkerSource from 'virtual:vib3-extension-worker-source';
import { SLOT_CONSTRAINTS } from '../../core/slots.js';
import { askConsent, consentPolicy, covers, notCovered, requested, type ConsentPolicy } from './consent.js';
import { Supervisor } from './supervisor.js';
import { WidgetHost } from './widgets.js';
import { ExtensionMeshes, pageFacade } from './page-facade.js';
import { splitToolName, ToolGate } from './tool-gate.js';
import type { Mesh4D, ToolResult } from '../../sdk/types.js';
import { mesh4DProblem, type CapabilityName } from '../../sdk/contract.js';
import { entryInfo, type Entry, type ExtensionHostOptions, type ExtensionInfo, type ExtensionState, type PackageOptions } from './host-types.js';
import { openPackage } from './package-intake.js';
import { activationFailure, ErrorReporter, sandboxStartFailure } from './error-reporting.js';
import { checkedFrame } from './frame-check.js';
import { frameUrls } from './frame-url.js';
import { checkEntitlement, licenseForActivation } from './licensing.js';
import { telemetry, telemetryOn } from '../../telemetry/sink.js';

export type { ConsentPolicy, ConsentQuestion, ConsentUi } from './consent.js';
export type { WidgetSlots } from './widgets.js';
export type { ExtensionHostOptions, ExtensionInfo, ExtensionState, PackageOptions } from './host-types.js';

/**
 * The extension host, a facade over its parts: installs signed packages (signature, integrity,
 * compatibility — `package-intake.ts`; consent — `consent.ts`), runs each extension in its own
 * sandbox (opaque-origin iframe + worker, CSP per grant — `sandbox.ts`), keeps it healthy
 * (deadlines, heartbeat, restart with backoff, quarantine — `supervisor.ts`), shows UI widgets
 * (`widgets.ts`) and connects it to the page (`page-facade.ts`): the canvas parameters, the mesh
 * layer and the agent tool registry (tools named `<extension id>/<tool>`, input and output checked
 * against their schemas). Every failed operation fires `vib3-extension-error` (detail: code,
 * message, suggestion, extensionId — `error-reporting.ts`); state changes fire
 * `vib3-extension-state` (detail: id, state). Paid extensions activate on a license (or their free
 * tier) and gated tools need its entitlements (`licensing.ts`).
 *
 * (About 420 lines: the public surface of every host operation; each concern it delegates to lives
 * in its own module.)
 */
export class ExtensionHost extends EventTarget implements FrameSource {
  private readonly entries = new Map<string, Entry>();
  private readonly grants: CachedGrants;
  private readonly consent: ConsentPolicy;
  private readonly supervisor: Supervisor;
  private readonly widgets: WidgetHost;
  private readonly meshes = new ExtensionMeshes();
  /** Legacy `<id>/<tool>` names already warned about. */
  private readonly legacyWarned = new Set<string>();
  /** Reports failures: one `vib3-extension-error` per error, kept as the extension's lastError. */
  private readonly errors = new ErrorReporter(this, (id) => this.entries.get(id));
  /** The sandbox frame each extension loads (the kit's own, dist/sandbox/frame.html, unless `frameUrl` says otherwise). */
  private readonly frameUrlFor: (extensionId: string) => URL;

  constructor(private readonly options: ExtensionHostOptions) {
    super();
    this.grants = new CachedGrants(options.grants ?? localGrantStore());
    this.consent = consentPolicy(options.consent);
    this.supervisor = new Supervisor(options);
    this.widgets = new WidgetHost({
      ...(options.slots ? { slots: options.slots } : {}),
      view: (id) => this.call(id, (r) => r.view()),
      uiEvent: (id, event) => this.call(id, (r) => r.uiEvent(event)),
      isActive: (id) => this.entries.get(id)?.state === 'active',
      report: (id, error) => this.errors.report(id, error),
    });
    this.frameUrlFor = frameUrls(options.frameUrl, sandboxFrameUrl);
    globalThis.document?.addEventListener('vib3-theme-change', this.onThemeChange);
    // Extensions with `rendering` hear about every parameter change of the canvas.
    const canvas = options.canvas as (ExtensionHostOptions['canvas'] & Partial<EventTarget>) | undefined;
    canvas?.addEventListener?.('vib3-params-change', this.onCanvasParams);
  }

  /** Widgets follow theme switches: their frames get the new token values. */
  private readonly onThemeChange = () => requestAnimationFrame(() => this.widgets.renderAll());

  private readonly onCanvasParams = () => {
    const params = this.options.canvas?.getParams();
    if (params) this.notifyParams({ ...params } as Record<string, unknown>);
  };

  // ------------------------------------------------------------------ install / update / remove

  /**
   * Verifies, checks compatibility, asks consent and installs (inactive). Rejects with an ExtensionError.
   * `options.keys` adds publisher keys the caller vouches for (the installer: keys bound to this
   * package by the registry's signed TUF metadata) to the host's `trustedKeys`.
   */
  install(pkg: Uint8Array, options: PackageOptions = {}): Promise<ExtensionInfo> {
    return this.errors.run(undefined, async () => {
      const { manifest, code, signer, policies } = await openPackage(pkg, this.options.trustedKeys, options.keys);
      if (this.entries.has(manifest.id)) throw new ExtensionError('ALREADY_INSTALLED', `${manifest.id} is already installed.`, 'Use update() for a new version, or uninstall() first.', manifest.id);
      const wanted = requested(manifest);
      if (covers(options.consented, wanted)) this.grants.set(manifest.id, wanted);
      if (!this.grants.has(manifest.id) || notCovered(this.grants.get(manifest.id), wanted).length) {
        if (!(await askConsent(this.consent, manifest))) throw new ExtensionError('CONSENT_DENIED', `The user did not grant what ${manifest.name} asks for.`, 'Install again to be asked again.', manifest.id);
        this.grants.set(manifest.id, wanted);
        void this.options.audit?.append({ action: 'grant', subject: manifest.id, details: { ...wanted } }).catch(() => undefined);
      }
      this.entries.set(manifest.id, { manifest, code, signer, policies, state: 'inactive', restarts: 0, failures: 0, tools: new ToolGate([]), pending: new Set() });
      return this.info(manifest.id);
    });
  }

  /**
   * Installs a newer version (an older one only with `downgrade: true`, as a rollback does). If it
   * asks for capabilities or origins not granted yet, it is held (the running version stays) until
   * the consent policy grants them; returns whether it applied.
   */
  update(pkg: Uint8Array, options: PackageOptions & { downgrade?: boolean } = {}): Promise<{ applied: boolean; info: ExtensionInfo }> {
    return this.errors.run(undefined, async () => {
      const { manifest, code, signer, policies } = await openPackage(pkg, this.options.trustedKeys, options.keys);
      const entry = this.entry(manifest.id);
      // id@version is immutable and updates only move forward, unless a rollback asks (never silently).
      if (manifest.version === entry.manifest.version || (!options.downgrade && !semverGt(manifest.version, entry.manifest.version))) {
        throw new ExtensionError('NOT_NEWER', `${manifest.id}@${manifest.version} is not newer than the installed ${entry.manifest.version}.`, 'Publish a higher version; a version number never changes content.', manifest.id);
      }
      const wanted = requested(manifest);
      if (covers(options.consented, wanted)) this.grants.set(manifest.id, wanted);
      const added = notCovered(this.grants.get(manifest.id), wanted);
      if (added.length) {
        if (!(await askConsent(this.consent, manifest, added))) {
          entry.pendingUpdate = { manifest, code, signer, policies };
          return { applied: false, info: this.info(manifest.id) };
        }
        this.grants.set(manifest.id, wanted);
        void this.options.audit?.append({ action: 'grant', subject: manifest.id, details: { ...wanted } }).catch(() => undefined);
      }
      const wasActive = entry.state === 'active';
      if (wasActive) await this.deactivate(manifest.id);
      entry.manifest = manifest;
      entry.code = code;
      entry.signer = signer;
      entry.policies = policies;
      delete entry.pendingUpdate;
      if (wasActive) await this.activate(manifest.id);
      return { applied: true, info: this.info(manifest.id) };
    });
  }

  /** Deactivates, forgets the extension and its grant. */
  async uninstall(id: string): Promise<void> {
    if (this.entries.has(id)) await this.deactivate(id).catch(() => undefined);
    this.entries.delete(id);
    this.grants.delete(id);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Starts the extension's sandbox and calls its `activate`. */
  activate(id: string): Promise<ExtensionInfo> {
    return this.errors.run(id, async () => {
      const entry = this.entry(id);
      if (entry.state === 'quarantined') throw new ExtensionError('QUARANTINED', `${id} failed ${entry.failures} times and is quarantined.`, 'Call enable(id) after checking with its publisher.', id);
      if (entry.state !== 'active') {
        // Paid extensions: a valid license for this origin, or their declared free tier.
        entry.license = await licenseForActivation(entry.manifest, entry.signer, this.options.licensing);
        await this.launch(id, entry);
      }
      return this.info(id);
    });
  }

  /** Starts the sandbox: active on success; on failure nothing is left running, it is inactive, and the error is thrown. */
  private async launch(id: string, entry: Entry): Promise<void> {
    try {
      await this.start(id, entry);
      this.setState(id, entry, 'active');
    } catch (err) {
      this.stop(id, entry);
      this.setState(id, entry, 'inactive');
      throw activationFailure(id, err);
    }
  }

  /** Calls its `deactivate` (with a deadline) and destroys the sandbox; its resources go with it. */
  deactivate(id: string): Promise<void> {
    return this.errors.run(id, async () => {
      const entry = this.entry(id);
      this.supervisor.cancelRestart(entry);
      if (entry.sandbox) await this.call(id, (r) => r.deactivate()).catch(() => undefined);
      this.stop(id, entry);
      // Resources it created go with it.
      this.meshes.release(id);
      if (entry.state !== 'quarantined') this.setState(id, entry, 'inactive');
    });
  }

  /** Lifts a quarantine (the user re-enabled the extension) and activates it. */
  enable(id: string): Promise<ExtensionInfo> {
    return this.errors.run(id, async () => {
      const entry = this.entry(id);
      entry.failures = 0;
      if (entry.state === 'quarantined') this.setState(id, entry, 'inactive');
      return this.activate(id);
    });
  }

  /**
   * Revokes a capability (or one network origin) at once: the sandbox restarts without it. If the
   * extension cannot start without it, it is left inactive and the error is reported (the
   * revocation itself stands).
   */
  revoke(id: string, capability: string, origin?: string): Promise<ExtensionInfo> {
    return this.errors.run(id, async () => {
      const entry = this.entry(id);
      const grant = this.grants.get(id);
      const next: Grant = origin
        ? { capabilities: grant.capabilities, origins: grant.origins.filter((o) => o !== origin) }
        : { capabilities: grant.capabilities.filter((c) => c !== capability), origins: capability === 'network' ? [] : grant.origins };
      this.grants.set(id, next);
      void this.options.audit?.append({ action: 'revoke', subject: id, details: { capability, ...(origin ? { origin } : {}) } }).catch(() => undefined);
      if (entry.state === 'active') {
        this.stop(id, entry);
        this.setState(id, entry, 'restarting');
        await this.launch(id, entry).catch((err: ExtensionError) => this.errors.report(id, err));
      }
      return this.info(id);
    });
  }

  /** Every installed extension with its state and health. */
  list(): ExtensionInfo[] {
    return [...this.entries.keys()].map((id) => this.info(id));
  }

  // ------------------------------------------------------------------ what extensions offer

  /** Agent tools of the active extensions, namespaced `<extension id>.<tool>` (MCP-valid names). */
  tools(): ToolDescription[] {
    return [...this.entries.entries()].flatMap(([id, e]) => (e.state === 'active' && this.grants.capabilities(id).has('agent-tools') ? e.tools.tools.map((t) => ({ ...t, name: `${id}.${t.name}` })) : []));
  }

  /**
   * Calls a namespaced tool (`<extension id>.<tool>`; the old `<extension id>/<tool>` form is
   * accepted with a console warning until the next minor version), with the call deadline. The
   * input is checked against the tool's `inputSchema` before the extension sees it
   * (INVALID_TOOL_INPUT); a successful result's `structuredContent` against its `outputSchema`
   * when it declares one (INVALID_TOOL_OUTPUT).
   */
  callTool(qualified: string, input: Record<string, unknown> = {}): Promise<ToolResult> {
    const { id, name } = splitToolName(qualified, this.entries.keys(), this.legacyWarned);
    return this.errors.run(id, async () => {
      const entry = this.entry(id);
      this.requireGrant(id, 'agent-tools', 'Grant agent-tools to use its tools.');
      if (!entry.sandbox) throw new ExtensionError('NOT_ACTIVE', `${id} is not active.`, 'Activate it first.', id);
      const gate = entry.tools;
      checkEntitlement(entry.manifest, entry.license, name);
      gate.checkInput(id, name, input);
      return gate.checkOutput(id, name, await this.call(id, (r) => r.callTool(name, input)));
    });
  }

  /** Asks a geometry extension for a mesh (with the call deadline); a mesh that fails the kit's mesh check is refused (INVALID_MESH). */
  generate(id: string, request: { shape: string; options?: Record<string, unknown> }): Promise<Mesh4D> {
    return this.errors.run(id, async () => {
      const mesh = await this.generateRaw(id, request);
      const problem = mesh4DProblem(mesh);
      if (problem) throw new ExtensionError('INVALID_MESH', `${id} produced an invalid mesh: ${problem}.`, 'Report it to the extension publisher.', id);
      return mesh;
    });
  }

  private async generateRaw(id: string, request: { shape: string; options?: Record<string, unknown> }): Promise<Mesh4D> {
    this.entry(id);
    this.requireGrant(id, 'geometry', 'Grant geometry to use its shapes.');
    return this.call(id, (r) => r.generate(request));
  }

  /**
   * Asks a geometry extension for a shape and registers it for the mesh layer as
   * `<extension id>/<shape>`; returns that name (set it as a `<vib3-canvas>`'s `mesh`). The
   * extension's cells (tetrahedra) make it sliceable. Removed again when the extension is
   * deactivated or uninstalled.
   */
  loadMesh(id: string, shape: string, options?: Record<string, unknown>): Promise<`${string}/${string}`> {
    return this.errors.run(id, async () => {
      const mesh = await this.generateRaw(id, { shape, ...(options ? { options } : {}) });
      return this.meshes.register(id, shape, mesh);
    });
  }

  /**
   * Asks a renderer extension for one frame (RGBA pixels), with the call deadline. The output is
   * checked (size <= 4096², pixel count matching) before it is handed out.
   */
  renderFrame(id: string, frame: ExtensionFrameRequest): Promise<ImageData> {
    return this.errors.run(id, async () => {
      this.entry(id);
      this.requireGrant(id, 'rendering', 'Grant rendering to let it draw.');
      return checkedFrame(id, await this.call(id, (r) => r.render(frame)));
    });
  }

  /**
   * A renderer factory that draws elements with a renderer extension: pass it to
   * `setRendererFactory(async () => host.rendererFactory(id))`. Frames are rendered in the
   * extension's worker and handed to the page as pixels (see docs/EXTENSIONS.md for why).
   */
  rendererFactory(id: string): RendererFactory {
    return extensionRendererFactory(this, id);
  }

  /** Tells every active extension with `rendering` that the canvas parameters changed. */
  notifyParams(params: Record<string, unknown>): void {
    for (const [id, entry] of this.entries) {
      if (entry.state === 'active' && this.grants.capabilities(id).has('rendering')) {
        void this.call(id, (r) => r.onParams(params)).then(
          () => this.widgets.render(id),
          () => undefined,
        );
      }
    }
  }

  /** Stops every extension and stops listening to the canvas. */
  dispose(): void {
    (this.options.canvas as Partial<EventTarget> | undefined)?.removeEventListener?.('vib3-params-change', this.onCanvasParams);
    globalThis.document?.removeEventListener('vib3-theme-change', this.onThemeChange);
    for (const [id, entry] of this.entries) {
      this.supervisor.cancelRestart(entry);
      this.stop(id, entry);
    }
  }

  // ------------------------------------------------------------------ sandbox and health

  private async start(id: string, entry: Entry): Promise<void> {
    const grant = this.grants.get(id);
    const widget = grant.capabilities.includes('ui') ? this.widgets.place(id, entry.manifest) : undefined;
    const origins = grant.capabilities.includes('network') ? grant.origins : [];
    const sandbox = new Sandbox({
      frameUrl: this.frameUrlFor(id),
      // The worker shim ships inside this module: no file to serve, no cross-origin fetch.
      shimSource: extensionWorkerSource,
      code: entry.code,
      connectOrigins: origins,
      facade: pageFacade(id, this.options, this.meshes, () => {
        if (this.entries.get(id)?.state === 'active') void this.widgets.render(id);
      }),
      granted: () => this.grants.capabilities(id),
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      onRefused: (error) => this.errors.report(id, new ExtensionError(error.code, error.message, error.suggestion, id)),
      onReload: () => this.reloaded(id, entry, sandbox),
      ...(widget ? { container: widget.container, ui: widget.ui } : {}),
    });
    entry.sandbox = sandbox;
    if (widget) this.widgets.attach(id, sandbox);
    await sandbox.start().catch((err: unknown) => {
      throw sandboxStartFailure(id, err, widget?.slot);
    });
    const description = await this.call(id, (r) => r.describe());
    entry.tools = new ToolGate(description?.tools, entry.policies);
    if (widget && description.kind !== 'ui-widget') throw new ExtensionError('ACTIVATE_FAILED', `${id} declares the ui capability but is a ${description.kind || 'plain'} extension.`, "Use defineExtension({ kind: 'ui-widget', view, ... }) for a UI.", id);
    const params = grant.capabilities.includes('rendering') ? ({ ...(this.options.canvas?.getParams() ?? {}) } as Record<string, unknown>) : {};
    const slot = widget ? { slot: widget.slot, ...SLOT_CONSTRAINTS[widget.slot] } : undefined;
    await this.call(id, (r) => r.activate({ id, version: entry.manifest.version, granted: grant.capabilities as never, origins: [...origins], params, ...(slot ? { slot } : {}) }));
    if (widget) await this.widgets.render(id);
    this.supervisor.startHeartbeat(id, entry, () => entry.state === 'active', (error) => this.failed(id, entry, error));
  }

  /** The frame reloaded (it was moved in the DOM): its worker is gone, so start it again. Not the extension's fault. */
  private reloaded(id: string, entry: Entry, sandbox: Sandbox): void {
    if (entry.sandbox !== sandbox || entry.state !== 'active') return;
    this.stop(id, entry);
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

  private stop(id: string, entry: Entry): void {
    this.supervisor.halt(id, entry);
    this.widgets.remove(id);
  }

  /** A crash or hang: terminate, report, restart with backoff, or quarantine. */
  private failed(id: string, entry: Entry, error: ExtensionError): void {
    this.stop(id, entry);
    const outcome = this.supervisor.failure(entry, () => entry.state === 'restarting', () => this.restart(id, entry));
    this.errors.report(id, error);
    this.setState(id, entry, outcome);
    // `error.type` (the code's class) is added by the sink: the class table stays out of this bundle.
    if (telemetryOn()) telemetry().record('vib3.extension.crashes', 1, { 'vib3.extension.id': id, 'vib3.extension.state': outcome, 'vib3.error.code': error.code });
    if (outcome === 'quarantined') this.errors.report(id, new ExtensionError('QUARANTINED', `${id} failed ${entry.failures} times and is quarantined.`, 'Re-enable it from the extension manager once the publisher has fixed it.', id));
  }

  /** One call into the extension's sandbox, with the call deadline. */
  private call<T>(id: string, fn: (runtime: Sandbox['runtime']) => Promise<T> | T): Promise<T> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.reject(new ExtensionError('NOT_INSTALLED', `No extension ${id} is installed.`, 'Install its package first.', id));
    return this.supervisor.call(id, entry, fn as (runtime: Sandbox['runtime']) => Promise<T>);
  }

  // ------------------------------------------------------------------ state

  private setState(id: string, entry: Entry, state: ExtensionState): void {
    if (entry.state === state) return;
    entry.state = state;
    this.dispatchEvent(new CustomEvent('vib3-extension-state', { detail: { id, state } }));
  }

  private requireGrant(id: string, capability: CapabilityName, suggestion: string): void {
    if (!this.grants.capabilities(id).has(capability)) throw new ExtensionError('CAPABILITY_DENIED', `${id} has no granted ${capability} capability.`, suggestion, id);
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new ExtensionError('NOT_INSTALLED', `No extension ${id} is installed.`, 'Install its package first.', id);
    return e;
  }

  private info(id: string): ExtensionInfo {
    return entryInfo(id, this.entry(id), this.grants.get(id));
  }
}
