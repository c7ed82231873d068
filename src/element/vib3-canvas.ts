import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { toVib3Error } from '../core/errors.js';
import { PARAM_BY_ATTRIBUTE, PARAM_SPECS, type Vib3Params } from '../core/params.js';
import type { CustomMeshName, MeshMode, MeshName } from '../geometry/names.js';
import type { ActiveBackend, PresentationPath, RendererPreference } from '../render/contract.js';
import { buildFrameState, NEUTRAL_POINTER, SILENT_AUDIO, type FrameState } from '../render/frame-state.js';
import { AudioInput } from './audio-input.js';
import { dispatchVib3Event } from './events.js';
import { ElementClock } from './element-clock.js';
import { LabelController } from './label-controller.js';
import { reapplyShadowedProperties } from './accessors.js';
import { ErrorReporter } from './error-reporter.js';
import { frameScheduler, type FrameClient } from './frame-scheduler.js';
import { MotionController } from './motion-controller.js';
import { OPTION_BY_ATTRIBUTE, OPTION_SPECS, OptionStore, defineOptionAccessors, type LoadingStrategy, type MotionPreference, type OptionName } from './options.js';
import { PaletteController } from './palette-controller.js';
import { ParamState, defineParamAccessors } from './param-state.js';
import { PointerTracker } from './pointer-tracker.js';
import type { BudgetClient } from './render-budget.js';
import { RendererController, type SnapshotOptions } from './renderer-controller.js';
import { vib3CanvasStyles } from './styles.js';
import { ViewportController } from './viewport-controller.js';

export type { Vib3ReadyDetail, Vib3ParamsChangeDetail, Vib3ContextLostDetail, Vib3ContextRestoredDetail, Vib3RenderScaleDetail, Vib3CanvasEventMap } from './events.js';
export type { MotionPreference, LoadingStrategy, Vib3CanvasOptions } from './options.js';
export type { SnapshotOptions } from './renderer-controller.js';
export { SLICE_W_RANGE } from './options.js';
export { MAX_SNAPSHOT_SIZE } from './renderer-controller.js';
export { MAX_DPR } from './viewport-controller.js';
export { setRendererFactory } from './renderer-registry.js';

/**
 * `<vib3-canvas>`: a live VIB3 4D geometry visual, rendered with WebGPU where available and
 * WebGL2 elsewhere. Every VIB3 parameter is a property and a kebab-case attribute
 * (`rot4dXW` ↔ `rot4d-xw`). All elements of a page share one GPU device / GL context.
 *
 * @tagname vib3-canvas
 * @slot fallback - Shown when no backend can run (or the chosen one is unavailable).
 * @csspart canvas - The canvas the visual is drawn into.
 * @csspart fallback - The wrapper around the fallback slot.
 * @csspart poster - The poster layer, faded out once the live frame is on screen.
 * @slot poster - A still image shown until the first live frame (alternative to the `poster` attribute).
 * @cssprop --vib3-background - Colour behind the visual before the first frame. Default `#000`.
 * @cssprop --vib3-visual-hue - Palette hue (degrees on the CSS colour wheel) used when the page did not set `hue`.
 * @cssprop --vib3-visual-faceted-saturation - Palette saturation of the faceted system (likewise -quantum-, -holographic-, and -intensity).
 * @event vib3-ready - The first frame is on screen. `detail: { backend: 'webgpu' | 'webgl2' }`.
 * @event vib3-params-change - Parameters changed. `detail: { changed: Partial<Vib3Params> }`.
 * @event vib3-error - Something went wrong. `detail: { code, message, suggestion }`.
 * @event vib3-context-lost - The GPU device / GL context was lost; recovery starts. `detail: { reason }`.
 * @event vib3-context-restored - Rendering resumed on a new device / context. `detail: { backend }`.
 * @event vib3-render-scale - Adaptive quality changed the render scale. `detail: { scale, reason: 'over-budget' | 'headroom' }`.
 * @event vib3-mesh-update - A new cross-section of the mesh layer is on screen (`mesh-mode="slice"`). `detail: { mesh, mode, sliceW, triangles, segments, kernels, computeMs }`.
 */
export class Vib3Canvas extends LitElement implements FrameClient {
  static override styles = vib3CanvasStyles;

  static override properties = {
    renderer: { noAccessor: true },
    motion: { noAccessor: true },
    loading: { noAccessor: true },
    paused: { type: Boolean, reflect: true },
    time: { noAccessor: true },
    mesh: { noAccessor: true },
    meshMode: { noAccessor: true, attribute: 'mesh-mode' },
    sliceW: { noAccessor: true, attribute: 'slice-w' },
    alt: {},
    // Reflected: the packs' CSS selects vib3-canvas[theme="name"], so `el.theme = name` must set the attribute.
    theme: { reflect: true },
    poster: {},
  };

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, ...PARAM_BY_ATTRIBUTE.keys()];
  }

  /**
   * While `paused`, the clock stands still and pointer / audio input is ignored, so the frame
   * depends only on the parameters and `time` (deterministic posters and tests).
   */
  declare paused: boolean;
  /**
   * Accessible name (the host has `role="img"`). `alt=""` marks the visual as decorative
   * (`role="presentation"`, no name), like `<img alt="">`; without `alt` a generic name is used.
   */
  declare alt: string | null;
  /** Theme pack name: its tokens (UI colours and the visual palette) apply to this element. */
  declare theme: string;
  /**
   * URL of a still image shown until the first live frame (before the renderer chunk has even
   * loaded), then cross-faded away. A slotted `<img slot="poster">` works the same. Make one
   * with `snapshot()`.
   */
  declare poster: string;
  /** `auto` (WebGPU, else WebGL2), `webgpu` or `webgl2`. An explicit choice never switches silently. */
  declare renderer: RendererPreference;
  /** `auto` follows `prefers-reduced-motion` live; `reduce` keeps a still frame; `full` animates. */
  declare motion: MotionPreference;
  /** `lazy` (default) starts rendering when scrolled into view; `eager` starts on connect. */
  declare loading: LoadingStrategy;
  /**
   * Element time in ms. Setting it jumps the clock; with `paused` that exact instant is rendered.
   * Reading it gives the clock now, also while the render worker moves it.
   */
  declare time: number;
  /**
   * Mesh layer over the lattice: `none` (default), a regular polytope (`5-cell`, `tesseract`,
   * `16-cell`, `24-cell`, `600-cell`), a surface (`clifford-torus`, `hopf`, `klein`) or a mesh
   * registered with `registerMesh` (`owner/shape`, e.g. from a geometry extension). It follows
   * the element's hue and rotation and turns slowly through the fourth dimension while animating.
   */
  declare mesh: MeshName | CustomMeshName | 'none';
  /**
   * `projection` (default): the whole mesh, rotated in 4D and projected to 3D on the GPU.
   * `slice`: its 3D cross-section with the hyperplane w = `sliceW`, computed in a worker each frame.
   */
  declare meshMode: MeshMode;
  /** Hyperplane offset of `mesh-mode="slice"`, -1.5..1.5 (clamped; meshes have radius <= 1). Animatable. */
  declare sliceW: number;

  private readonly errors = new ErrorReporter(this);
  // `time` reads the clock as it is now, also while the render worker moves it.
  private readonly options = new OptionStore(this, (error) => this.errors.report(error), (name) => this.optionChanged(name), (name) => name === 'time' && this.clock.sync());
  private readonly state = new ParamState(this, (error, fromAttribute) => this.errors.report(error, fromAttribute), (changed) => this.paramsChanged(changed));
  private readonly rendererController: RendererController = new RendererController(this, {
    canvas: () => this.canvas!,
    preference: () => this.options.values.renderer,
    frameState: (width, height) => {
      this.clock.sync();
      return this.frameState(width, height);
    },
    wanted: () => this.wantsRenderer,
    attached: (view) => {
      this.viewport.measure();
      this.palette.sync();
      view.setActive(this.wantsRenderer);
      // An eager element off screen draws its first frame, then rests: an element nobody sees must
      // not count as active (it would keep a visible one from being presented directly).
      if (this.viewport.observed && !this.viewport.visible) {
        queueMicrotask(() => {
          if (this.rendererController.view === view && !this.viewport.visible) view.setActive(false);
        });
      }
    },
    report: (error) => this.errors.report(error),
    renderScale: () => this.viewport.renderScale,
  });
  private readonly viewport: ViewportController = new ViewportController(this, this.rendererController, {
    canvas: () => this.canvas,
    frameState: (width, height) => {
      this.clock.sync();
      return this.frameState(width, height);
    },
  });
  private readonly palette = new PaletteController(this, this.state, (error) => this.errors.report(error));
  private readonly motionController = new MotionController(this, () => this.options.values.motion, () => this.invalidate());
  // While the worker draws the element on its own, a pointer that moved is a change it must hear of.
  private readonly pointer = new PointerTracker(this, () => (this.rendererController.running ? this.invalidate() : frameScheduler.wake()));
  private readonly audio = new AudioInput(this);
  private readonly label = new LabelController(this, () => this.alt);
  private readonly clock = new ElementClock(this.options.values, this.rendererController, () => !this.paused && !this.motionController.reduced);

  constructor() {
    super();
    this.paused = false;
    this.alt = null;
    this.theme = '';
    this.poster = '';
  }

  // ---------------------------------------------------------------- public API

  /** The backend in use: `webgpu`, `webgl2`, or `none` (not started, or unavailable). */
  get activeBackend(): ActiveBackend | 'none' {
    return this.rendererController.activeBackend;
  }

  /**
   * How frames reach the element's canvas now: `direct` (a lone WebGL2 element: the page's shared
   * WebGL2 canvas is shown in place of the element's own and drawn without a copy), `atlas` (a tile of the page's shared WebGL2 canvas, copied), `bitmap` (WebGPU,
   * handed over without a copy), `worker` (drawn off the main thread), `extension`, or `none` when
   * not running. Also reflected as `data-presentation` on the element and in `vib3-ready`'s detail.
   */
  get presentation(): PresentationPath | 'none' {
    return this.rendererController.presentation;
  }

  /**
   * Fraction of the full drawing-buffer resolution currently rendered (1 = full). Adaptive
   * quality lowers it while the page is over its frame budget and raises it with headroom;
   * every change fires `vib3-render-scale`.
   */
  get renderScale(): number {
    return this.viewport.renderScale;
  }

  /** @internal How the page-wide frame budget sees this element (adaptive quality). */
  get budget(): BudgetClient {
    return this.viewport.budget;
  }

  /**
   * Frames this element has drawn since it was created (diagnostics, benchmarks, tests). Drawn by
   * the render worker (`presentation === 'worker'`): the frames the worker accepted (at most two
   * batches ahead of it), and the frames it drew on its own while the element only animated, as it
   * reports them (about every 250 ms).
   */
  get frameCount(): number {
    return this.rendererController.frameCount;
  }

  /** A host-supplied Web Audio node whose bass / mid / high bands modulate the visual; null for none. */
  get audioSource(): AudioNode | null {
    return this.audio.node;
  }
  set audioSource(node: AudioNode | null) {
    try {
      this.audio.assign(node);
      this.invalidate();
    } catch (err) {
      this.errors.report(toVib3Error(err, 'AUDIO_SOURCE_INVALID', 'Pass an AudioNode or null.'));
    }
  }

  /**
   * Applies several parameters as one update (one render, one `vib3-params-change`).
   * Values clamp and round like properties; if any value is invalid, nothing changes, a
   * `vib3-error` is dispatched and `false` returned.
   */
  setParams(partial: Partial<Vib3Params>): boolean {
    return this.state.set(partial);
  }

  /** A copy of all current parameters. */
  getParams(): Vib3Params {
    return { ...this.state.params };
  }

  /** Restores every parameter to its default, then to the theme palette (one `vib3-params-change`). */
  reset(): void {
    this.state.reset();
    this.palette.sync();
  }

  /**
   * Renders the current frame (at the element's size, or `width` x `height`) and encodes it.
   * Rejects with a Vib3Error when no backend is running.
   */
  snapshot(options: SnapshotOptions = {}): Promise<Blob> {
    // Snapshots default to full resolution, whatever the adaptive render scale is.
    return this.rendererController.snapshot(options, () => this.viewport.fullSize());
  }

  // ---------------------------------------------------------------- lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    // Values assigned before the element upgraded shadow the accessors.
    reapplyShadowedProperties(this, [...PARAM_SPECS.map((s) => s.name), ...OPTION_SPECS.map((s) => s.name), 'audioSource']);
    frameScheduler.add(this);
    if (this.options.values.loading === 'eager') this.rendererController.start();
    // Now that the element is in the document (after upgrade), report what its markup got wrong.
    this.errors.connected();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    frameScheduler.remove(this);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    const param = PARAM_BY_ATTRIBUTE.get(name);
    if (param) {
      this.state.attributeChanged(param, name, old, value);
      return;
    }
    const option = OPTION_BY_ATTRIBUTE.get(name);
    if (!option) {
      super.attributeChangedCallback(name, old, value);
      return;
    }
    if (this.state.isReflecting(name)) return;
    // Like a rejected parameter: the attribute shows the value in effect.
    if (this.errors.convertAttribute(() => super.attributeChangedCallback(name, old, value))) this.state.setQuietly(name, this.options.text(option));
  }

  protected override render() {
    return html`<canvas part="canvas" aria-hidden="true"></canvas>
      <div part="poster" class="poster" aria-hidden="true">
        <slot name="poster">${this.poster ? html`<img src=${this.poster} alt="" decoding="async" />` : nothing}</slot>
      </div>
      <div part="fallback" class="fallback"><slot name="fallback">4D visual unavailable in this browser.</slot></div>`;
  }

  protected override firstUpdated(): void {
    this.viewport.measure();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('alt')) this.label.sync();
    if (changed.has('theme')) this.palette.themeChanged(this.theme);
    if (changed.has('paused')) {
      this.invalidate();
      this.clock.restart();
    }
  }

  // ---------------------------------------------------------------- frames

  /**
   * @internal Called by the page-wide frame scheduler; false when the element needs no frame until
   * something changes (paused or still, off screen, or drawn by the render worker on its own).
   */
  frame(now: number): boolean {
    const dt = this.clock.step(now);
    const renderer = this.rendererController;
    if (!renderer.ready || !renderer.view || !this.viewport.visible || document.hidden) {
      // Off screen the worker stopped drawing it: the clock stops where it was (as it does on the main thread).
      this.clock.stopRun();
      return false;
    }
    this.palette.poll(now);
    const animating = !this.paused && !this.motionController.reduced;
    this.clock.advance(now, dt);
    // A paused frame depends only on params and time (posters, tests): interaction waits for play.
    const interacting = !this.paused && (this.pointer.settling || this.audio.active);
    if (!animating && !interacting && !renderer.dirty) return false;
    // Only the clock moves: the render worker can draw it on its own while it has room.
    const onlyTime = animating && !interacting && this.options.values.mesh === 'none' && this.viewport.renderScale >= 1;
    if (onlyTime && renderer.running && !renderer.dirty && frameScheduler.workerHasRoom(false)) return false;
    const canvas = this.canvas!;
    const frame = this.frameState(canvas.width, canvas.height, dt);
    if (onlyTime && !renderer.dirty && frameScheduler.workerHasRoom(true) && renderer.run(frame, now)) return false;
    renderer.draw(frame);
    return true;
  }

  private frameState(width: number, height: number, dt = 0): FrameState {
    const options = this.options.values;
    const frame = buildFrameState({
      params: this.state.params,
      timeMs: options.time,
      width,
      height,
      pointer: this.paused ? NEUTRAL_POINTER : this.pointer.step(dt),
      audio: this.paused ? SILENT_AUDIO : this.audio.read(),
    });
    if (options.mesh !== 'none') frame.mesh = { name: options.mesh, mode: options.meshMode, sliceW: options.sliceW };
    return frame;
  }

  /** The element's own canvas, looked up again only when it left the shadow root (a renderer replaced it). */
  private canvasRef: HTMLCanvasElement | null = null;

  private get canvas(): HTMLCanvasElement | null {
    const c = this.canvasRef;
    if (c && c.parentNode === this.renderRoot) return c;
    return (this.canvasRef = this.renderRoot?.querySelector('canvas') ?? null);
  }

  /** Visible, or `loading="eager"`: a renderer should run now. */
  private get wantsRenderer(): boolean {
    return this.viewport.visible || this.options.values.loading === 'eager';
  }

  private invalidate(): void {
    this.rendererController.dirty = true;
  }

  // ---------------------------------------------------------------- changes

  private optionChanged(name: OptionName): void {
    switch (name) {
      case 'time':
        this.clock.jumped();
        this.invalidate();
        return;
      case 'renderer':
        if (this.rendererController.busy) this.rendererController.restart();
        return;
      case 'motion':
        this.invalidate();
        if (this.isConnected) this.motionController.sync();
        return;
      case 'loading':
        if (this.options.values.loading === 'eager' && this.isConnected) this.rendererController.start();
        return;
      default:
        this.invalidate();
    }
  }

  private paramsChanged(changed: Partial<Vib3Params>): void {
    this.invalidate();
    if ('system' in changed) this.palette.invalidate();
    dispatchVib3Event(this, 'vib3-params-change', { changed });
  }

}

defineOptionAccessors(Vib3Canvas.prototype);
defineParamAccessors(Vib3Canvas.prototype);

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Vib3Canvas extends Vib3Params {}

declare global {
  interface HTMLElementTagNameMap {
    'vib3-canvas': Vib3Canvas;
  }
}
