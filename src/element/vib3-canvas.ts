import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { Vib3Error, toVib3Error, type Vib3ErrorDetail } from '../core/errors.js';
import {
  PARAM_BY_ATTRIBUTE,
  PARAM_SPECS,
  defaultParams,
  normalizeParam,
  normalizeParams,
  type Vib3ParamName,
  type Vib3Params,
} from '../core/params.js';
import type { ActiveBackend, BackendKind, MeshUpdateDetail, RendererContract, RendererFactory, RendererPreference } from '../render/contract.js';
import { buildFrameState, NEUTRAL_POINTER, SILENT_AUDIO, type FrameState } from '../render/frame-state.js';
import { MESH_NAMES, MESH_MODES, isMeshName, type MeshName, type MeshMode, type CustomMeshName } from '../geometry/names.js';
import { AudioInput } from './audio-input.js';
import { frameScheduler, type FrameClient } from './frame-scheduler.js';
import type { BudgetClient, RenderScaleReason } from './render-budget.js';
import { PointerTracker } from './pointer-tracker.js';
import { getThemePack, listThemePacks } from '../theme/theme-registry.js';

/** `motion`: `auto` follows `prefers-reduced-motion` live. */
export type MotionPreference = 'auto' | 'reduce' | 'full';
/** `loading`: `lazy` starts the renderer when the element first scrolls into view. */
export type LoadingStrategy = 'lazy' | 'eager';

/** Options of {@link Vib3Canvas.snapshot}. */
export interface SnapshotOptions {
  /** MIME type, default `image/png`. */
  type?: string;
  /** Encoder quality 0..1 for lossy types. */
  quality?: number;
  /** Output width in pixels (default: the element's drawing-buffer width). */
  width?: number;
  /** Output height in pixels (default: the element's drawing-buffer height). */
  height?: number;
}

/** `detail` of `vib3-ready`. */
export interface Vib3ReadyDetail {
  /** `webgpu` or `webgl2`; `extension` when an extension renderer draws the element. */
  backend: ActiveBackend;
}
/** `detail` of `vib3-params-change`: the parameters that changed, with their new values. */
export interface Vib3ParamsChangeDetail {
  changed: Partial<Vib3Params>;
}
/** `detail` of `vib3-context-lost`. */
export interface Vib3ContextLostDetail {
  reason: string;
}
/** `detail` of `vib3-render-scale`. */
export interface Vib3RenderScaleDetail {
  /** The new fraction of full resolution. */
  scale: number;
  reason: RenderScaleReason;
}
/** `detail` of `vib3-context-restored`. */
export interface Vib3ContextRestoredDetail {
  backend: BackendKind;
}

/** Largest snapshot edge in pixels. */
export const MAX_SNAPSHOT_SIZE = 4096;
/** Device-pixel-ratio cap for the drawing buffer. */
export const MAX_DPR = 2;

const RENDERERS: readonly RendererPreference[] = ['auto', 'webgpu', 'webgl2'];
const MOTIONS: readonly MotionPreference[] = ['auto', 'reduce', 'full'];
const LOADINGS: readonly LoadingStrategy[] = ['lazy', 'eager'];
const MESH_OPTIONS: readonly (MeshName | 'none')[] = ['none', ...MESH_NAMES];
/** Range of `sliceW`. */
export const SLICE_W_RANGE: readonly [number, number] = [-1.5, 1.5];
const DEFAULT_ALT = 'Animated 4D geometry visual';
/** Option attributes converted by lit; an invalid value is reported and the attribute set back. */
const OPTION_ATTRIBUTES = new Set(['renderer', 'motion', 'loading', 'time', 'mesh', 'mesh-mode', 'slice-w']);
/** How often the palette tokens are re-read while rendering. */
const PALETTE_POLL_MS = 500;

let rendererFactoryLoader: () => Promise<RendererFactory> = () =>
  import('../render/three/three-view.js').then((m) => m.createThreeView);

/**
 * Replaces the renderer every element started afterwards uses (extension renderers plug in here).
 * The default loads the built-in three.js renderer chunk on first use. An element reads it once,
 * when it starts; elements already running keep their renderer.
 *
 * @returns The loader that was in place, to restore it (or to delegate to it) later.
 */
export function setRendererFactory(loader: () => Promise<RendererFactory>): () => Promise<RendererFactory> {
  const previous = rendererFactoryLoader;
  rendererFactoryLoader = loader;
  return previous;
}

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
  static override styles = css`
    :host {
      display: inline-block;
      position: relative;
      width: 300px;
      height: 150px;
      overflow: hidden;
      contain: content;
      background: var(--vib3-background, #000);
    }
    :host([hidden]) {
      display: none;
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    .fallback {
      position: absolute;
      inset: 0;
      display: none;
      align-items: center;
      justify-content: center;
      padding: 0.5em;
      box-sizing: border-box;
      color: var(--vib3-fallback-color, #ccc);
      font: 13px/1.4 system-ui, sans-serif;
      text-align: center;
    }
    :host([data-fallback]) .fallback {
      display: flex;
    }
    .poster {
      position: absolute;
      inset: 0;
      pointer-events: none;
      opacity: 1;
      transition: opacity var(--vib3-motion-duration-slow, 400ms) var(--vib3-motion-easing-standard, ease);
    }
    .poster img,
    .poster ::slotted(*) {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
    :host([data-live]) .poster {
      opacity: 0;
    }
    :host([data-reduced-motion]) .poster {
      transition: none;
    }
    :host([data-fallback]) canvas {
      visibility: hidden;
    }
  `;

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

  private _params: Vib3Params = defaultParams();
  private _renderer: RendererPreference = 'auto';
  private _motion: MotionPreference = 'auto';
  private _loading: LoadingStrategy = 'lazy';
  private _clockMs = 0;
  private _mesh: MeshName | CustomMeshName | 'none' = 'none';
  private _meshMode: MeshMode = 'projection';
  private _sliceW = 0;
  private _activeBackend: ActiveBackend | 'none' = 'none';
  private _view: RendererContract | undefined;
  private _starting: Promise<void> | undefined;
  private _startToken = 0;
  private _ready = false;
  private _dirty = true;
  private _visible = false;
  private _lastNow: number | undefined;
  private _reflecting: string | null = null;
  private _reducedMotionQuery: MediaQueryList | undefined;
  private _intersection: IntersectionObserver | undefined;
  private _resize: ResizeObserver | undefined;
  private readonly _pointer = new PointerTracker();
  private readonly _audio = new AudioInput();
  private _audioSource: AudioNode | null = null;
  private _frameCount = 0;
  private _renderScale = 1;
  private _visibleRatio = 0;
  private _hovered = false;
  private readonly _explicit = new Set<Vib3ParamName>();
  private _paletteCheckedAt = -Infinity;
  private _cssWidth = 0;
  private _cssHeight = 0;
  /** Set once the element has been connected; attribute errors before that wait in `_pendingErrors`. */
  private _connectedOnce = false;
  /** Errors in the initial (markup) attributes, dispatched when the element is first connected. */
  private readonly _pendingErrors: Vib3Error[] = [];
  /** The option attribute being converted to its property right now, and whether it was rejected. */
  private _optionAttribute: string | null = null;
  private _optionRejected = false;
  /** The last start failed: no automatic retry until the renderer changes or the element reconnects. */
  private _failed = false;
  /** The role this element set itself (a role the page set is left alone). */
  private _ownRole: string | null = null;

  constructor() {
    super();
    this.paused = false;
    this.alt = null;
    this.theme = '';
    this.poster = '';
  }

  /** Values assigned before the element upgraded shadow the accessors; re-apply them through the accessors. */
  private _upgradeProperties(): void {
    const self = this as unknown as Record<string, unknown>;
    for (const name of [...PARAM_SPECS.map((s) => s.name), 'renderer', 'motion', 'loading', 'time', 'audioSource', 'mesh', 'meshMode', 'sliceW']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = self[name];
        delete self[name];
        self[name] = value;
      }
    }
  }

  // ---------------------------------------------------------------- public API

  /** `auto` (WebGPU, else WebGL2), `webgpu` or `webgl2`. An explicit choice never switches silently. */
  get renderer(): RendererPreference {
    return this._renderer;
  }
  set renderer(value: RendererPreference) {
    const v = this._enumOption('renderer', value, RENDERERS, 'auto');
    if (v === undefined || v === this._renderer) return;
    const old = this._renderer;
    this._renderer = v;
    this.requestUpdate('renderer', old);
    if (this._view || this._starting) this._restart();
  }

  /** `auto` follows `prefers-reduced-motion` live; `reduce` keeps a still frame; `full` animates. */
  get motion(): MotionPreference {
    return this._motion;
  }
  set motion(value: MotionPreference) {
    const v = this._enumOption('motion', value, MOTIONS, 'auto');
    if (v === undefined || v === this._motion) return;
    const old = this._motion;
    this._motion = v;
    this.requestUpdate('motion', old);
    this._dirty = true;
    if (this.isConnected) this._syncMotionAttribute();
  }

  /** `lazy` (default) starts rendering when scrolled into view; `eager` starts on connect. */
  get loading(): LoadingStrategy {
    return this._loading;
  }
  set loading(value: LoadingStrategy) {
    const v = this._enumOption('loading', value, LOADINGS, 'lazy');
    if (v === undefined || v === this._loading) return;
    const old = this._loading;
    this._loading = v;
    this.requestUpdate('loading', old);
    if (v === 'eager' && this.isConnected) this._start();
  }

  /**
   * Mesh layer over the lattice: `none` (default), a regular polytope (`5-cell`, `tesseract`,
   * `16-cell`, `24-cell`, `600-cell`), a surface (`clifford-torus`, `hopf`, `klein`) or a mesh
   * registered with `registerMesh` (`owner/shape`, e.g. from a geometry extension). It follows
   * the element's hue and rotation and turns slowly through the fourth dimension while animating.
   */
  get mesh(): MeshName | CustomMeshName | 'none' {
    return this._mesh;
  }
  set mesh(value: MeshName | CustomMeshName | 'none') {
    // Registered meshes (registerMesh, geometry extensions) are named "<owner>/<shape>".
    const v = isMeshName(value) ? (value as MeshName | CustomMeshName) : this._enumOption('mesh', value, MESH_OPTIONS, 'none');
    if (v === undefined || v === this._mesh) return;
    const old = this._mesh;
    this._mesh = v;
    this._dirty = true;
    this.requestUpdate('mesh', old);
  }

  /**
   * `projection` (default): the whole mesh, rotated in 4D and projected to 3D on the GPU.
   * `slice`: its 3D cross-section with the hyperplane w = `sliceW`, computed in a worker each frame.
   */
  get meshMode(): MeshMode {
    return this._meshMode;
  }
  set meshMode(value: MeshMode) {
    const v = this._enumOption('mesh-mode', value, MESH_MODES, 'projection');
    if (v === undefined || v === this._meshMode) return;
    const old = this._meshMode;
    this._meshMode = v;
    this._dirty = true;
    this.requestUpdate('meshMode', old);
  }

  /** Hyperplane offset of `mesh-mode="slice"`, -1.5..1.5 (clamped; meshes have radius <= 1). Animatable. */
  get sliceW(): number {
    return this._sliceW;
  }
  set sliceW(value: number) {
    if (value === null || value === undefined) return;
    const num = typeof value === 'string' ? Number(value) : value;
    if (typeof num !== 'number' || !Number.isFinite(num)) {
      this._reportError(new Vib3Error('INVALID_PARAM', `slice-w must be a finite number; got ${String(value)}.`, 'Use a value between -1.5 and 1.5, e.g. slice-w="0.3".'));
      return;
    }
    const v = Math.min(SLICE_W_RANGE[1], Math.max(SLICE_W_RANGE[0], num));
    if (v === this._sliceW) return;
    const old = this._sliceW;
    this._sliceW = v;
    this._dirty = true;
    this.requestUpdate('sliceW', old);
  }

  /** Element time in ms. Setting it jumps the clock; with `paused` that exact instant is rendered. */
  get time(): number {
    return this._clockMs;
  }
  set time(value: number) {
    if (value === null || value === undefined) return;
    const num = typeof value === 'string' ? Number(value) : value;
    if (typeof num !== 'number' || !Number.isFinite(num)) {
      this._reportError(new Vib3Error('INVALID_OPTION', `time must be a finite number of milliseconds; got ${String(value)}.`, 'Set time to e.g. 1500, or remove the attribute.'));
      return;
    }
    const old = this._clockMs;
    this._clockMs = num;
    this._dirty = true;
    this.requestUpdate('time', old);
  }

  /** The backend in use: `webgpu`, `webgl2`, or `none` (not started, or unavailable). */
  get activeBackend(): ActiveBackend | 'none' {
    return this._activeBackend;
  }

  /**
   * Fraction of the full drawing-buffer resolution currently rendered (1 = full). Adaptive
   * quality lowers it while the page is over its frame budget and raises it with headroom;
   * every change fires `vib3-render-scale`.
   */
  get renderScale(): number {
    return this._renderScale;
  }

  /** @internal How the page-wide frame budget sees this element (adaptive quality). */
  readonly budget: BudgetClient = ((el: Vib3Canvas) => ({
    get renderScale(): number {
      return el._renderScale;
    },
    // Visible CSS area, doubled while focused, 1.5x while hovered; 0 when not rendering.
    priority: (): number =>
      el._ready && el._visible && !document.hidden
        ? el._cssWidth * el._cssHeight * Math.max(el._visibleRatio, 0.01) * (el.matches(':focus-within') ? 2 : 1) * (el._hovered ? 1.5 : 1)
        : 0,
    setRenderScale: (scale: number, reason: RenderScaleReason): void => {
      if (scale === el._renderScale) return;
      el._renderScale = scale;
      el._applySize();
      el._emit<Vib3RenderScaleDetail>('vib3-render-scale', { scale, reason });
    },
  }))(this);

  /** Frames this element has drawn since it was created (diagnostics, benchmarks, tests). */
  get frameCount(): number {
    return this._frameCount;
  }

  /** A host-supplied Web Audio node whose bass / mid / high bands modulate the visual; null for none. */
  get audioSource(): AudioNode | null {
    return this._audioSource;
  }
  set audioSource(node: AudioNode | null) {
    try {
      this._audio.connect(node);
      this._audioSource = node ?? null;
    } catch (err) {
      this._audioSource = null;
      this._reportError(toVib3Error(err, 'AUDIO_SOURCE_INVALID', 'Pass an AudioNode or null.'));
    }
  }

  /**
   * Applies several parameters as one update (one render, one `vib3-params-change`).
   * Values clamp and round like properties; if any value is invalid, nothing changes, a
   * `vib3-error` is dispatched and `false` returned.
   */
  setParams(partial: Partial<Vib3Params>): boolean {
    let normalized: Partial<Vib3Params>;
    try {
      normalized = normalizeParams(partial as Record<string, unknown>);
    } catch (err) {
      this._reportError(toVib3Error(err, 'INVALID_PARAM', 'Check the parameter table in the docs.'));
      return false;
    }
    this._applyParams(normalized);
    return true;
  }

  /** A copy of all current parameters. */
  getParams(): Vib3Params {
    return { ...this._params };
  }

  /** Restores every parameter to its default, then to the theme palette (one `vib3-params-change`). */
  reset(): void {
    this._applyParams(defaultParams());
    this._explicit.clear();
    this._syncPalette();
  }

  /**
   * Renders the current frame (at the element's size, or `width` x `height`) and encodes it.
   * Rejects with a Vib3Error when no backend is running.
   */
  async snapshot(options: SnapshotOptions = {}): Promise<Blob> {
    const type = options.type ?? 'image/png';
    if (this._starting) await this._starting.catch(() => undefined);
    const view = this._view as (RendererContract & { renderOffscreen?: (f: FrameState, w: number, h: number) => HTMLCanvasElement }) | undefined;
    if (!view || this._activeBackend === 'none') {
      throw new Vib3Error('SNAPSHOT_FAILED', 'The element has no running renderer.', 'Wait for vib3-ready; if the element shows its fallback, no backend is available.');
    }
    const canvas = this._canvas!;
    // Snapshots default to full resolution, whatever the adaptive render scale is.
    const dpr = Math.min(globalThis.devicePixelRatio || 1, MAX_DPR);
    const width = this._snapshotSize(options.width, Math.max(1, Math.round(this._cssWidth * dpr)), 'width');
    const height = this._snapshotSize(options.height, Math.max(1, Math.round(this._cssHeight * dpr)), 'height');
    let source: HTMLCanvasElement;
    if (view.renderOffscreen) {
      source = view.renderOffscreen(this._frameState(width, height), width, height);
    } else {
      view.render(this._frameState(canvas.width, canvas.height));
      source = canvas;
    }
    return new Promise<Blob>((resolve, reject) => {
      source.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Vib3Error('SNAPSHOT_FAILED', `The browser could not encode ${type}.`, 'Use image/png, image/jpeg or image/webp.'))),
        type,
        options.quality,
      );
    });
  }

  // ---------------------------------------------------------------- lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    this._upgradeProperties();
    this._syncLabel();
    this._pointer.attach(this);
    this._reducedMotionQuery = matchMedia('(prefers-reduced-motion: reduce)');
    this._reducedMotionQuery.addEventListener('change', this._onMotionChange);
    this._syncMotionAttribute();
    this._resize = new ResizeObserver(() => this._measure());
    this._resize.observe(this);
    this.addEventListener('pointerenter', this._onEnter);
    this.addEventListener('pointerleave', this._onLeave);
    // Thresholds let the frame budget see how much of the element is visible.
    this._intersection = new IntersectionObserver(this._onIntersect, { threshold: [0, 0.25, 0.5, 0.75, 1] });
    this._intersection.observe(this);
    frameScheduler.add(this);
    if (this._loading === 'eager') this._start();
    if (!this._connectedOnce) {
      // Now that the element is in the document (after upgrade), report what its markup got wrong.
      this._connectedOnce = true;
      for (const error of this._pendingErrors.splice(0)) this._reportError(error, true);
    }
  }

  private _onIntersect = (entries: IntersectionObserverEntry[]): void => {
    const entry = entries[entries.length - 1];
    this._visible = entry ? entry.isIntersecting : false;
    this._visibleRatio = entry ? entry.intersectionRatio : 0;
    this._view?.setActive(this._visible);
    if (this._visible) {
      this._dirty = true;
      this._start();
    }
  };

  private _onEnter = (): void => {
    this._hovered = true;
  };

  private _onLeave = (): void => {
    this._hovered = false;
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('pointerenter', this._onEnter);
    this.removeEventListener('pointerleave', this._onLeave);
    frameScheduler.remove(this);
    this._pointer.detach();
    this._reducedMotionQuery?.removeEventListener('change', this._onMotionChange);
    this._resize?.disconnect();
    this._intersection?.disconnect();
    this._resize = undefined;
    this._intersection = undefined;
    this._audio.disconnect();
    this._stop();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    const spec = PARAM_BY_ATTRIBUTE.get(name);
    if (!spec) {
      if (!OPTION_ATTRIBUTES.has(name)) {
        super.attributeChangedCallback(name, old, value);
        return;
      }
      if (this._reflecting === name) return;
      const outer = [this._optionAttribute, this._optionRejected] as const;
      this._optionAttribute = name;
      this._optionRejected = false;
      let rejected = false;
      try {
        super.attributeChangedCallback(name, old, value);
      } finally {
        rejected = this._optionRejected;
        [this._optionAttribute, this._optionRejected] = outer;
      }
      // Like a rejected parameter: the attribute shows the value in effect.
      if (rejected) this._setAttributeQuietly(name, this._optionText(name));
      return;
    }
    if (this._reflecting === name || old === value) return;
    if (value === null) {
      this._applyParams({ [spec.name]: spec.default } as Partial<Vib3Params>);
      return;
    }
    try {
      this._applyParams({ [spec.name]: normalizeParam(spec.name, value) } as Partial<Vib3Params>, name);
    } catch (err) {
      this._reportError(toVib3Error(err, 'INVALID_PARAM', 'Check the attribute value.'), true);
      // Keep the DOM truthful: the attribute shows the value actually in effect.
      this._reflect(name, String(this._params[spec.name]));
    }
  }

  protected override render() {
    return html`<canvas part="canvas" aria-hidden="true"></canvas>
      <div part="poster" class="poster" aria-hidden="true">
        <slot name="poster">${this.poster ? html`<img src=${this.poster} alt="" decoding="async" />` : nothing}</slot>
      </div>
      <div part="fallback" class="fallback"><slot name="fallback">4D visual unavailable in this browser.</slot></div>`;
  }

  protected override firstUpdated(): void {
    this._measure();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('alt')) this._syncLabel();
    if (changed.has('theme')) {
      this._paletteCheckedAt = -Infinity;
      if (this.theme && !getThemePack(this.theme)) {
        this._reportError(new Vib3Error('UNKNOWN_THEME', `No theme pack named "${this.theme}" is registered.`, `Use one of: ${listThemePacks().map((p) => p.pack.name).join(', ')}, or registerThemePack() your own first.`));
      }
    }
    if (changed.has('paused')) {
      this._dirty = true;
      this._lastNow = undefined;
    }
  }

  // ---------------------------------------------------------------- frames

  /** @internal Called by the page-wide frame scheduler. */
  frame(now: number): void {
    const dt = this._lastNow === undefined ? 0 : Math.min(now - this._lastNow, 250);
    this._lastNow = now;
    if (!this._ready || !this._view || !this._visible || document.hidden) return;
    if (now - this._paletteCheckedAt > PALETTE_POLL_MS) {
      this._paletteCheckedAt = now;
      this._syncPalette();
    }
    const animating = !this.paused && !this._reducedMotion;
    if (animating) this._clockMs += dt;
    // A paused frame depends only on params and time (posters, tests): interaction waits for play.
    const interacting = !this.paused && (this._pointer.settling || this._audio.active);
    if (!animating && !interacting && !this._dirty) return;
    const canvas = this._canvas!;
    if (this._view.render(this._frameState(canvas.width, canvas.height, dt))) {
      this._dirty = false;
      this._frameCount++;
    }
  }

  private _frameState(width: number, height: number, dt = 0): FrameState {
    const frame = buildFrameState({
      params: this._params,
      timeMs: this._clockMs,
      width,
      height,
      pointer: this.paused ? NEUTRAL_POINTER : this._pointer.step(dt),
      audio: this.paused ? SILENT_AUDIO : this._audio.read(),
    });
    if (this._mesh !== 'none') frame.mesh = { name: this._mesh, mode: this._meshMode, sliceW: this._sliceW };
    return frame;
  }

  /**
   * Reads the visual palette tokens (--vib3-visual-hue, --vib3-visual-<system>-saturation and
   * -intensity) and applies them to parameters the page has not set. Theme changes and host
   * overrides of these custom properties reach the shaders this way, without a reload.
   */
  private _syncPalette(): void {
    if (!this.isConnected) return;
    const style = getComputedStyle(this);
    const read = (name: string) => {
      const raw = style.getPropertyValue(name).trim();
      return raw === '' ? undefined : Number(raw);
    };
    const system = this._params.system;
    const palette: Record<string, number | undefined> = {
      hue: read('--vib3-visual-hue'),
      saturation: read(`--vib3-visual-${system}-saturation`),
      intensity: read(`--vib3-visual-${system}-intensity`),
    };
    const partial: Partial<Vib3Params> = {};
    for (const [name, value] of Object.entries(palette)) {
      if (value === undefined || !Number.isFinite(value) || this._explicit.has(name as Vib3ParamName)) continue;
      (partial as Record<string, number>)[name] = normalizeParam(name as Vib3ParamName, value) as number;
    }
    this._applyParams(partial, undefined, 'palette');
  }

  private get _reducedMotion(): boolean {
    if (this._motion === 'reduce') return true;
    if (this._motion === 'full') return false;
    return this._reducedMotionQuery?.matches ?? false;
  }

  private _onMotionChange = (): void => {
    this._dirty = true;
    this._syncMotionAttribute();
  };

  /** Mirrors the effective motion preference as `data-reduced-motion` (the poster cross-fade uses it). */
  private _syncMotionAttribute(): void {
    this.toggleAttribute('data-reduced-motion', this._reducedMotion);
  }

  private get _canvas(): HTMLCanvasElement | null {
    return this.renderRoot?.querySelector('canvas') ?? null;
  }

  private _measure(): void {
    const rect = this.getBoundingClientRect();
    this._cssWidth = rect.width;
    this._cssHeight = rect.height;
    this._applySize();
  }

  private _applySize(): void {
    const canvas = this._canvas;
    if (!canvas) return;
    const dpr = Math.min(globalThis.devicePixelRatio || 1, MAX_DPR) * this._renderScale;
    const w = Math.max(1, Math.round(this._cssWidth * dpr));
    const h = Math.max(1, Math.round(this._cssHeight * dpr));
    const changed = canvas.width !== w || canvas.height !== h;
    if (this._view) this._view.resize(w, h);
    else {
      canvas.width = w;
      canvas.height = h;
    }
    this._dirty = true;
    // Resizing clears the canvas: draw again now, so no blank frame is ever shown.
    if (changed && this._ready && this._view && this._visible && this._view.render(this._frameState(w, h))) {
      this._dirty = false;
      this._frameCount++;
    }
  }

  // ---------------------------------------------------------------- renderer lifecycle

  private _start(): void {
    if (this._view || this._starting || this._failed || !this.isConnected) return;
    const token = ++this._startToken;
    const connectedAt = performance.now();
    this._starting = (async () => {
      await this.updateComplete;
      const canvas = this._canvas!;
      let view: RendererContract | undefined;
      try {
        const factory = await rendererFactoryLoader().catch((err: unknown) => {
          throw toVib3Error(err, 'RENDERER_LOAD_FAILED', 'Check that the renderer chunk is served next to the kit (same folder as the entry file).');
        });
        view = factory(canvas, this._renderer, {
          onContextLost: (reason) => {
            this._emit<Vib3ContextLostDetail>('vib3-context-lost', { reason });
          },
          onContextRestored: (backend) => {
            this._dirty = true;
            this._emit<Vib3ContextRestoredDetail>('vib3-context-restored', { backend });
          },
          onError: (error) => this._fail(toVib3Error(error, 'CONTEXT_LOST', 'Reload the page to start the renderer again.')),
          // Problems the view survives: a geometry worker restarted, an extension renderer's
          // frame refused (extension errors keep their code and suggestion).
          onWarning: (error) => this._reportError(toVib3Error(error, 'GEOMETRY_WORKER_FAILED', 'Nothing to do if it happens once.')),
          onInvalidate: () => {
            this._dirty = true;
          },
          onMeshUpdate: (detail) => this._emit<MeshUpdateDetail>('vib3-mesh-update', detail),
        });
        await view.init();
        if (view.prepare && token === this._startToken) await view.prepare(this._frameState(canvas.width, canvas.height));
        if (token !== this._startToken) {
          view.dispose();
          return;
        }
        this._view = view;
        this._activeBackend = view.backend;
        this.removeAttribute('data-fallback');
        this._measure();
        this._syncPalette();
        view.setActive(this._visible || this._loading === 'eager');
        if (view.render(this._frameState(canvas.width, canvas.height))) {
          this._dirty = false;
          this._frameCount++;
        }
        this._ready = true;
        this.setAttribute('data-live', '');
        this.dataset['startupMs'] = (performance.now() - connectedAt).toFixed(1);
        this._emit<Vib3ReadyDetail>('vib3-ready', { backend: view.backend as ActiveBackend });
      } catch (err) {
        view?.dispose();
        if (token !== this._startToken) return;
        this._fail(toVib3Error(err, 'RENDERER_INIT_FAILED', 'Try renderer="auto" or reload the page.'));
      } finally {
        if (token === this._startToken) this._starting = undefined;
      }
    })();
  }

  private _stop(): void {
    this.removeAttribute('data-live');
    this._startToken++;
    this._starting = undefined;
    this._view?.dispose();
    this._view = undefined;
    this._ready = false;
    this._activeBackend = 'none';
    this._failed = false;
  }

  private _restart(): void {
    this._stop();
    if (this.isConnected && (this._visible || this._loading === 'eager')) this._start();
  }

  private _fail(error: Vib3Error): void {
    this.removeAttribute('data-live');
    this._view?.dispose();
    this._view = undefined;
    this._ready = false;
    this._activeBackend = 'none';
    this._failed = true;
    this.setAttribute('data-fallback', '');
    this._reportError(error);
  }

  // ---------------------------------------------------------------- params

  /**
   * Applies normalised values. `user` values (properties, attributes, setParams) become explicit
   * and win over the theme palette; `palette` values only fill parameters the page never set.
   */
  private _applyParams(normalized: Partial<Vib3Params>, fromAttribute?: string, source: 'user' | 'palette' = 'user'): void {
    const changed: Partial<Vib3Params> = {};
    let any = false;
    for (const key of Object.keys(normalized) as Vib3ParamName[]) {
      if (source === 'user') this._explicit.add(key);
      else if (this._explicit.has(key)) continue;
      const value = normalized[key];
      if (value === undefined || this._params[key] === value) continue;
      (changed as Record<string, unknown>)[key] = value;
      any = true;
    }
    if (!any) {
      if (fromAttribute) this._reflect(fromAttribute, String(this._params[PARAM_BY_ATTRIBUTE.get(fromAttribute)!.name]));
      return;
    }
    this._params = { ...this._params, ...changed };
    this._dirty = true;
    if (source === 'user') {
      for (const key of Object.keys(changed) as Vib3ParamName[]) {
        const spec = PARAM_SPECS.find((s) => s.name === key)!;
        this._reflect(spec.attribute, String(this._params[key]));
      }
    }
    if ('system' in changed) this._paletteCheckedAt = -Infinity;
    this._emit<Vib3ParamsChangeDetail>('vib3-params-change', { changed });
  }

  private _reflect(attribute: string, value: string): void {
    if (this.getAttribute(attribute) === value) return;
    // Only reflect attributes the page uses, or params that left their default.
    const spec = PARAM_BY_ATTRIBUTE.get(attribute)!;
    if (!this.hasAttribute(attribute) && String(spec.default) === value) return;
    this._reflecting = attribute;
    try {
      this.setAttribute(attribute, value);
    } finally {
      this._reflecting = null;
    }
  }

  private _enumOption<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T | undefined {
    if (value === null || value === undefined) return fallback;
    const v = String(value).trim().toLowerCase() as T;
    if (allowed.includes(v)) return v;
    this._reportError(new Vib3Error('INVALID_OPTION', `${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`, `Set ${name}="${fallback}" or one of: ${allowed.join(', ')}.`));
    return undefined;
  }

  private _snapshotSize(value: number | undefined, fallback: number, name: string): number {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 1 || value > MAX_SNAPSHOT_SIZE) {
      throw new Vib3Error('SNAPSHOT_FAILED', `snapshot ${name} must be between 1 and ${MAX_SNAPSHOT_SIZE}; got ${value}.`, `Pass a ${name} in pixels, e.g. 1024.`);
    }
    return Math.round(value);
  }

  // ---------------------------------------------------------------- events & a11y

  /**
   * `role="img"` named by `alt` (or a generic name without `alt`); `alt=""` makes the visual
   * decorative: `role="presentation"` and no name. A role the page set itself is kept.
   */
  private _syncLabel(): void {
    const decorative = this.alt === '';
    const role = this.getAttribute('role');
    if (role === null || role === this._ownRole) {
      this._ownRole = decorative ? 'presentation' : 'img';
      if (role !== this._ownRole) this.setAttribute('role', this._ownRole);
    }
    if (decorative) this.removeAttribute('aria-label');
    else this.setAttribute('aria-label', this.alt ?? DEFAULT_ALT);
  }

  /**
   * Dispatches `vib3-error`. Errors in attribute values (markup has no caller to return them to)
   * are also logged with one `console.warn` each; those found before the element was first
   * connected (its initial markup) wait until it is, so listeners on the document receive them.
   */
  private _reportError(error: Vib3Error, fromAttribute = false): void {
    if (this._optionAttribute !== null) {
      this._optionRejected = true;
      fromAttribute = true;
    }
    if (fromAttribute) {
      if (!this._connectedOnce) {
        this._pendingErrors.push(error);
        return;
      }
      console.warn(`<vib3-canvas> ${error.code}: ${error.message} ${error.suggestion}`, this);
    }
    this._emit<Vib3ErrorDetail>('vib3-error', error.toDetail());
  }

  /** Sets an attribute without converting it again (it already shows the value in effect). */
  private _setAttributeQuietly(name: string, value: string): void {
    if (this.getAttribute(name) === value) return;
    this._reflecting = name;
    try {
      this.setAttribute(name, value);
    } finally {
      this._reflecting = null;
    }
  }

  /** The value in effect of an option attribute, as attribute text. */
  private _optionText(name: string): string {
    switch (name) {
      case 'renderer': return this._renderer;
      case 'motion': return this._motion;
      case 'loading': return this._loading;
      case 'mesh': return this._mesh;
      case 'mesh-mode': return this._meshMode;
      case 'slice-w': return String(this._sliceW);
      default: return String(this._clockMs);
    }
  }

  private _emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

/* Parameter accessors: one property per VIB3 parameter, validated on every write. */
for (const spec of PARAM_SPECS) {
  Object.defineProperty(Vib3Canvas.prototype, spec.name, {
    configurable: true,
    enumerable: true,
    get(this: Vib3Canvas) {
      return (this as unknown as { _params: Vib3Params })._params[spec.name];
    },
    set(this: Vib3Canvas, value: unknown) {
      this.setParams({ [spec.name]: value } as Partial<Vib3Params>);
    },
  });
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Vib3Canvas extends Vib3Params {}

declare global {
  interface HTMLElementTagNameMap {
    'vib3-canvas': Vib3Canvas;
  }
  interface HTMLElementEventMap {
    'vib3-ready': CustomEvent<Vib3ReadyDetail>;
    'vib3-params-change': CustomEvent<Vib3ParamsChangeDetail>;
    'vib3-error': CustomEvent<Vib3ErrorDetail>;
    'vib3-context-lost': CustomEvent<Vib3ContextLostDetail>;
    'vib3-context-restored': CustomEvent<Vib3ContextRestoredDetail>;
    'vib3-render-scale': CustomEvent<Vib3RenderScaleDetail>;
    'vib3-mesh-update': CustomEvent<MeshUpdateDetail>;
  }
}
