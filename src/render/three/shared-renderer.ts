import { WebGPURenderer, QuadMesh, LinearSRGBColorSpace, NoToneMapping, type NodeMaterial } from 'three/webgpu';
import { Vib3Error, toVib3Error } from '../../core/errors.js';
import { SYSTEMS, type Vib3System } from '../../core/params.js';
import type { BackendKind } from '../contract.js';
import type { FrameState } from '../frame-state.js';
import { layersFor } from '../layers.js';
import { requestFlush } from '../frame-flush.js';
import { MeshLayer, type MeshOverlay } from './mesh-layer.js';
import { DirectPresenter } from './direct-presenter.js';
import { TileAtlas } from './tile-atlas.js';
import { applyFrame, createVisualUniforms, type VisualUniforms } from './tsl/uniforms.js';
import { createSystemMaterial } from './tsl/system-material.js';

/** Largest side of the shared canvas used as a tile atlas (lowered to the device's limits). */
const ATLAS_MAX = 4096;

/**
 * Where a drawn frame goes: a 2D context (the frame is copied with `drawImage`, which waits for
 * the GPU) or a `bitmaprenderer` context (the frame's texture is handed over without a copy or a
 * wait, when the shared canvas is an OffscreenCanvas).
 */
export type FrameTarget = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | ImageBitmapRenderingContext;

/** Options of a {@link SharedRenderer}. */
export interface SharedRendererOptions {
  /**
   * Draw into an OffscreenCanvas whatever the backend (a worker has no DOM canvas). Direct
   * presentation (a lone element shown in the shared canvas itself) is then off.
   */
  offscreen?: boolean;
}

/**
 * True when `backend` frames are handed to element canvases as ImageBitmaps. Only WebGPU: its
 * `transferToImageBitmap` hands over the texture without waiting, while WebGL's waits for the GPU
 * like `drawImage` does and then also reallocates the drawing buffer (measured: slower than the copy).
 */
export function presentsBitmaps(backend: BackendKind): boolean {
  return (
    backend === 'webgpu' &&
    typeof OffscreenCanvas !== 'undefined' &&
    typeof OffscreenCanvas.prototype.transferToImageBitmap === 'function' &&
    typeof ImageBitmapRenderingContext !== 'undefined'
  );
}

/** Listener for loss / recovery of the shared device. */
export interface SharedRendererListener {
  contextLost(reason: string): void;
  contextRestored(): void;
  recoveryFailed(error: Vib3Error): void;
  /** The element started (true) or stopped (false) being presented directly. */
  presentationChanged?(direct: boolean): void;
}

/**
 * One three.js WebGPURenderer (one GPU device or one WebGL2 context) that draws every
 * `<vib3-canvas>` of the page using that backend, so the page holds one GPU context however many
 * elements it shows.
 *
 * With WebGPU (where the browser has OffscreenCanvas.transferToImageBitmap) the shared canvas is
 * an OffscreenCanvas sized to the frame being drawn, and the finished frame is handed to the
 * element's `bitmaprenderer` canvas — the main thread never waits for the GPU. With WebGL2 each
 * element of a frame is drawn into its own tile of the shared canvas and all tiles are copied
 * into the elements' 2D canvases with `drawImage` at the end of the frame — one GPU wait per
 * frame. Snapshots are drawn at the top-left corner and copied at once.
 *
 * A lone active WebGL2 element is presented directly instead ({@link DirectPresenter}): the shared
 * canvas is shown inside it and drawn at its size, with no copy. When a second element becomes
 * active, the direct one gets its current frame copied into its own canvas and the shared canvas
 * goes back to being the atlas — the same context, so no loss and no shader recompilation.
 */
export class SharedRenderer {
  readonly backend: BackendKind;
  private renderer: WebGPURenderer | undefined;
  private quad: QuadMesh | undefined;
  private uniforms: VisualUniforms | undefined;
  private materials = new Map<Vib3System, NodeMaterial>();
  /** Attached elements and whether each is active (visible and drawing). */
  private listeners = new Map<SharedRendererListener, boolean>();
  private readonly direct = new DirectPresenter<SharedRendererListener>();
  private lost = false;
  private disposing = false;
  private generation = 0;
  /** Where this frame's tiles go in the shared canvas. */
  private readonly atlas = new TileAtlas(ATLAS_MAX);

  constructor(backend: BackendKind, options: SharedRendererOptions = {}) {
    this.backend = backend;
    this.offscreen = options.offscreen === true;
  }

  /** The shared canvas is an OffscreenCanvas whatever the backend (the renderer runs in a worker). */
  readonly offscreen: boolean;

  /** Number of elements currently attached. */
  get viewCount(): number {
    return this.listeners.size;
  }

  /** True while the device is lost and being re-created. */
  get isLost(): boolean {
    return this.lost;
  }

  /** Current size of the shared canvas in pixels (diagnostics and tests). */
  get canvasSize(): [number, number] {
    const c = this.renderer?.domElement as HTMLCanvasElement | OffscreenCanvas | undefined;
    return c ? [c.width, c.height] : [0, 0];
  }

  /** The three.js renderer, for diagnostics and tests (e.g. forcing a context loss). */
  get threeRenderer(): WebGPURenderer | undefined {
    return this.renderer;
  }

  /** True when {@link draw} can present into `bitmaprenderer` targets. */
  get presentsBitmaps(): boolean {
    return this.bitmaps;
  }

  private bitmaps = false;

  /** Creates the device/context and compiles nothing yet (materials compile on first use). */
  async init(): Promise<void> {
    const generation = ++this.generation;
    this.bitmaps = presentsBitmaps(this.backend);
    const renderer = new WebGPURenderer({
      ...(this.bitmaps || this.offscreen ? { canvas: new OffscreenCanvas(1, 1) as unknown as HTMLCanvasElement } : this.backend === 'webgl2' ? directContext() : {}),
      antialias: false,
      alpha: false,
      forceWebGL: this.backend === 'webgl2',
      powerPreference: 'high-performance',
    });
    try {
      await renderer.init();
    } catch (err) {
      if (this.backend === 'webgl2') {
        throw new Vib3Error('WEBGL2_UNAVAILABLE', `A WebGL2 context could not be created: ${err instanceof Error ? err.message : String(err)}`, 'Enable hardware acceleration or update the browser; the element shows its fallback content meanwhile.');
      }
      throw toVib3Error(err, 'RENDERER_INIT_FAILED', 'Reload the page; if it persists, try renderer="webgl2".');
    }
    const isWebGPU = (renderer.backend as { isWebGPUBackend?: boolean }).isWebGPUBackend === true;
    if ((this.backend === 'webgpu') !== isWebGPU) {
      renderer.dispose();
      throw new Vib3Error(
        this.backend === 'webgpu' ? 'WEBGPU_UNAVAILABLE' : 'WEBGL2_UNAVAILABLE',
        `The ${this.backend} backend could not be started (three.js chose another one).`,
        'Use renderer="auto".',
      );
    }
    this.atlas.max = Math.min(ATLAS_MAX, deviceCanvasLimit(renderer));
    renderer.outputColorSpace = LinearSRGBColorSpace;
    renderer.toneMapping = NoToneMapping;
    renderer.setPixelRatio(1);
    renderer.setSize(1, 1, false);
    renderer.autoClear = false;
    this.watchLoss(renderer, generation);
    this.renderer = renderer;
    this.uniforms = createVisualUniforms();
    this.materials.clear();
    for (const system of SYSTEMS) {
      const material = createSystemMaterial(this.uniforms, layersFor(system));
      material.name = `vib3-${system}`;
      this.materials.set(system, material);
    }
    this.quad = new QuadMesh(this.materials.get('quantum')!);
    try {
      this.meshLayer?.dispose();
    } catch {
      /* its resources belonged to a lost device */
    }
    this.meshLayer = undefined;
    this.lost = false;
  }

  private watchLoss(renderer: WebGPURenderer, generation: number): void {
    const onLost = (reason: string) => {
      if (this.disposing || generation !== this.generation || this.lost) return;
      void this.recover(reason);
    };
    renderer.onDeviceLost = (info: { message?: string }) => onLost(info.message || 'device lost');
    const device = (renderer.backend as { device?: GPUDevice }).device;
    // three.js ignores losses with reason "destroyed"; an external destroy() is still a loss for us.
    device?.lost.then((info) => onLost(info.message || info.reason || 'device destroyed'));
  }

  private async recover(reason: string): Promise<void> {
    this.lost = true;
    this.leaveDirect(false);
    for (const l of [...this.listeners.keys()]) l.contextLost(reason);
    const old = this.renderer;
    this.renderer = undefined;
    try {
      old?.dispose();
    } catch {
      /* a lost device may refuse to release resources; it is garbage either way */
    }
    try {
      await this.init();
      for (const l of [...this.listeners.keys()]) l.contextRestored();
    } catch (err) {
      const error = toVib3Error(err, 'CONTEXT_LOST', 'Reload the page to start the renderer again.');
      for (const l of [...this.listeners.keys()]) l.recoveryFailed(error);
    }
  }

  /** Registers an element (active until {@link setActive} says otherwise). */
  attach(listener: SharedRendererListener): void {
    this.listeners.set(listener, true);
    this.checkDirect();
  }

  /** Unregisters an element; returns true when no element is left. */
  detach(listener: SharedRendererListener): boolean {
    // The element keeps its last frame in its own canvas (it may start again at once: a renderer switch, a move).
    if (this.direct.owner === listener) this.leaveDirect(!this.lost);
    this.listeners.delete(listener);
    return this.listeners.size === 0;
  }

  /** An element became visible (it draws) or hidden (it keeps its last frame). */
  setActive(listener: SharedRendererListener, active: boolean): void {
    if (!this.listeners.has(listener)) return;
    this.listeners.set(listener, active);
    this.checkDirect();
  }

  /** The element presented directly now, if any (diagnostics and tests). */
  get directOwner(): SharedRendererListener | undefined {
    return this.direct.owner;
  }

  /** True when `listener` is the one active element and the backend can present it directly. */
  private directEligible(listener: SharedRendererListener): boolean {
    if (this.backend !== 'webgl2' || this.offscreen || this.bitmaps) return false;
    let active: SharedRendererListener | undefined;
    for (const [l, on] of this.listeners) {
      if (!on) continue;
      if (active) return false;
      active = l;
    }
    return active === listener;
  }

  /** A second element became active: the direct one joins the atlas now, before anything else draws. */
  private checkDirect(): void {
    const owner = this.direct.owner;
    if (owner && !this.directEligible(owner)) this.leaveDirect(true);
  }

  /**
   * Ends direct presentation. With `keepImage`, the owner's last frame is drawn once more and
   * copied into its own canvas first (one GPU wait), so the switch never shows a blank frame.
   */
  private leaveDirect(keepImage: boolean): void {
    const owner = this.direct.owner;
    const ownerCanvas = this.direct.ownerCanvas;
    if (!owner || !ownerCanvas) return;
    const frame = this.direct.lastFrame;
    const overlay = this.direct.lastOverlay;
    const renderer = this.renderer;
    const ctx = keepImage && frame && renderer && !this.lost ? ownerCanvas.getContext('2d') : null;
    if (ctx && frame && renderer) {
      const canvas = renderer.domElement as HTMLCanvasElement;
      this.render(renderer, frame, 0, 0, frame.width, frame.height, overlay);
      ctx.drawImage(canvas, 0, 0, frame.width, frame.height, 0, 0, frame.width, frame.height);
    }
    this.direct.hide();
    owner.presentationChanged?.(false);
  }

  /** Draws `frame` straight into the shared canvas shown in `owner` (see {@link DirectPresenter}). */
  private drawDirect(renderer: WebGPURenderer, frame: FrameState, w: number, h: number, owner: SharedRendererListener, ownerCanvas: HTMLCanvasElement, overlay?: MeshOverlay): boolean {
    const canvas = renderer.domElement as HTMLCanvasElement;
    if (this.copies.length > 0) this.flush();
    const entering = this.direct.owner !== owner;
    if (entering) this.leaveDirect(true);
    this.direct.show(owner, ownerCanvas, canvas);
    if (canvas.width !== w || canvas.height !== h) renderer.setSize(w, h, false);
    this.render(renderer, frame, 0, 0, w, h, overlay);
    this.direct.lastFrame = { ...frame, width: w, height: h };
    this.direct.lastOverlay = overlay;
    if (entering) owner.presentationChanged?.(true);
    return true;
  }

  /** After a snapshot drew into the shared canvas: the directly presented frame is drawn back. */
  private restoreDirect(renderer: WebGPURenderer): void {
    const frame = this.direct.lastFrame;
    if (!this.direct.owner || !frame) return;
    const canvas = renderer.domElement as HTMLCanvasElement;
    if (canvas.width !== frame.width || canvas.height !== frame.height) renderer.setSize(frame.width, frame.height, false);
    this.render(renderer, frame, 0, 0, frame.width, frame.height, this.direct.lastOverlay);
  }

  /**
   * Draws `frame` into `target`, whose canvas is frame.width x frame.height, and returns false if
   * the device is lost and nothing was drawn.
   * - A `bitmaprenderer` target (only when {@link presentsBitmaps}) gets the frame itself.
   * - A 2D target gets a copy. By default the frame is drawn into its own tile of the shared
   *   canvas and the copy waits for {@link flush} (the frame scheduler's end of frame, or a
   *   microtask): every element of a frame then shares one GPU wait instead of one each.
   *   `immediate` copies at once (snapshots, which encode the canvas right away).
   */
  draw(frame: FrameState, target: FrameTarget, immediate = false, overlay?: MeshOverlay, owner?: SharedRendererListener): boolean {
    const renderer = this.renderer;
    if (!renderer || this.lost || !this.quad || !this.uniforms) return false;
    const w = Math.max(1, Math.floor(frame.width));
    const h = Math.max(1, Math.floor(frame.height));
    const canvas = renderer.domElement as HTMLCanvasElement | OffscreenCanvas;
    if (!immediate && owner && 'drawImage' in target && this.directEligible(owner) && DirectPresenter.canPresent(canvas, target.canvas as HTMLCanvasElement)) {
      return this.drawDirect(renderer, frame, w, h, owner, target.canvas as HTMLCanvasElement, overlay);
    }
    if (!immediate && this.direct.owner) this.leaveDirect(this.direct.owner !== owner);
    if ('transferFromImageBitmap' in target) {
      if (!(canvas instanceof OffscreenCanvas)) return false;
      // The whole canvas becomes the element's frame, so it is exactly the frame's size.
      if (canvas.width !== w || canvas.height !== h) renderer.setSize(w, h, false);
      this.render(renderer, frame, 0, 0, w, h, overlay);
      target.transferFromImageBitmap(canvas.transferToImageBitmap());
      return true;
    }
    if (immediate) {
      this.flush();
      this.fitCanvas(renderer, canvas, w, h);
      this.render(renderer, frame, 0, 0, w, h, overlay);
      target.drawImage(canvas, 0, 0, w, h, 0, 0, w, h);
      this.restoreDirect(renderer);
      return true;
    }
    const [x, y] = this.placeTile(renderer, canvas, w, h);
    this.render(renderer, frame, x, y, w, h, overlay);
    this.copies.push({ target, x, y, w, h });
    requestFlush(this.flushCopies);
    return true;
  }

  /** Copies every tile drawn since the last flush into its element's canvas. */
  flush(): void {
    const renderer = this.renderer;
    const copies = this.copies;
    this.copies = [];
    this.atlas.restart();
    if (!renderer || this.lost) return;
    const canvas = renderer.domElement as HTMLCanvasElement | OffscreenCanvas;
    for (const c of copies) c.target.drawImage(canvas, c.x, c.y, c.w, c.h, 0, 0, c.w, c.h);
  }

  private readonly flushCopies = () => this.flush();
  private copies: { target: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D; x: number; y: number; w: number; h: number }[] = [];

  private render(renderer: WebGPURenderer, frame: FrameState, x: number, y: number, w: number, h: number, overlay?: MeshOverlay): void {
    applyFrame(this.uniforms!, frame);
    this.uniforms!.origin.value.set(x, y);
    this.quad!.material = this.materials.get(frame.params.system)!;
    renderer.setViewport(x, y, w, h);
    this.quad!.render(renderer);
    if (overlay) (this.meshLayer ??= new MeshLayer()).render(renderer, overlay, w, h);
  }

  /** The mesh layer's objects, created when an element first shows a mesh. */
  private meshLayer: MeshLayer | undefined;

  /**
   * Finds room for a w x h tile in the shared canvas ({@link TileAtlas}). When the frame's tiles
   * outgrow the canvas, what is drawn so far is copied out and the canvas is grown so the next
   * frame fits in one batch.
   */
  private placeTile(renderer: WebGPURenderer, canvas: HTMLCanvasElement | OffscreenCanvas, w: number, h: number): readonly [number, number] {
    if (!this.atlas.fits(w, h, [canvas.width, canvas.height])) {
      const outgrown = this.copies.length > 0;
      this.flush(); // resizing clears the canvas, and a full one is reused from its top-left
      const [newW, newH] = this.atlas.grownSize(w, h, [canvas.width, canvas.height], outgrown);
      if (newW !== canvas.width || newH !== canvas.height) {
        renderer.setSize(newW, newH, false);
        this.atlas.resetWindow();
      }
    }
    const [x, y] = this.atlas.take(w, h);
    this.noteExtent(renderer, canvas, x + w, y + h);
    return [x, y];
  }

  /** Shrinks the shared canvas when the atlas says the recent draws needed less than half of it. */
  private noteExtent(renderer: WebGPURenderer, canvas: HTMLCanvasElement | OffscreenCanvas, right: number, bottom: number): void {
    const shrink = this.atlas.noteExtent(right, bottom, [canvas.width, canvas.height], this.copies.length > 0);
    if (shrink) renderer.setSize(shrink[0], shrink[1], false);
  }

  /** Grows the shared canvas to hold a w x h frame at its top-left corner (immediate draws). */
  private fitCanvas(renderer: WebGPURenderer, canvas: HTMLCanvasElement | OffscreenCanvas, w: number, h: number): void {
    if (canvas.width < w || canvas.height < h) renderer.setSize(Math.max(canvas.width, w), Math.max(canvas.height, h), false);
    this.noteExtent(renderer, canvas, w, h);
  }

  /** Releases the device. */
  dispose(): void {
    this.disposing = true;
    this.direct.hide();
    for (const m of this.materials.values()) m.dispose();
    this.materials.clear();
    this.meshLayer?.dispose();
    this.meshLayer = undefined;
    this.renderer?.dispose();
    this.renderer = undefined;
  }
}

/**
 * The WebGL2 canvas and context of a main-thread shared renderer, made here rather than by three.js
 * because direct presentation shows this canvas: opaque like the 2D copies (`alpha: false`), and
 * `preserveDrawingBuffer` so that what is shown stays readable (`drawImage`) after it was
 * presented — a copy the GPU makes only while the canvas is on screen. Empty when no context can
 * be made (three.js then reports it).
 */
function directContext(): { canvas?: HTMLCanvasElement; context?: WebGL2RenderingContext } {
  if (typeof document === 'undefined') return {};
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('webgl2', { alpha: false, antialias: false, depth: true, stencil: false, preserveDrawingBuffer: true, powerPreference: 'high-performance' });
  return context ? { canvas, context } : {};
}

/** The largest canvas side the device can draw into (WebGL: renderbuffer and viewport limits). */
function deviceCanvasLimit(renderer: WebGPURenderer): number {
  const backend = renderer.backend as { gl?: WebGL2RenderingContext; device?: GPUDevice };
  if (backend.gl) {
    const gl = backend.gl;
    const viewport = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array;
    return Math.min(gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number, viewport[0]!, viewport[1]!);
  }
  return backend.device?.limits.maxTextureDimension2D ?? 2048;
}
