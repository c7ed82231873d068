import { WebGPURenderer, QuadMesh, LinearSRGBColorSpace, NoToneMapping, type NodeMaterial } from 'three/webgpu';
import { Vib3Error, toVib3Error } from '../../core/errors.js';
import { SYSTEMS, type Vib3System } from '../../core/params.js';
import type { BackendKind } from '../contract.js';
import type { FrameState } from '../frame-state.js';
import { layersFor } from '../layers.js';
import { requestFlush } from '../frame-flush.js';
import { MeshLayer, type MeshOverlay } from './mesh-layer.js';
import { applyFrame, createVisualUniforms, type VisualUniforms } from './tsl/uniforms.js';
import { createSystemMaterial } from './tsl/system-material.js';

/** Draws between checks whether the shared canvas can shrink. */
const SHRINK_WINDOW_DRAWS = 240;
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
 */
export class SharedRenderer {
  readonly backend: BackendKind;
  private renderer: WebGPURenderer | undefined;
  private quad: QuadMesh | undefined;
  private uniforms: VisualUniforms | undefined;
  private materials = new Map<Vib3System, NodeMaterial>();
  private listeners = new Set<SharedRendererListener>();
  private lost = false;
  private disposing = false;
  private generation = 0;
  private drawsInWindow = 0;
  private windowMaxW = 1;
  private windowMaxH = 1;

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
  /** Largest side the tile atlas grows to on this device. */
  private atlasMax = ATLAS_MAX;

  /** Creates the device/context and compiles nothing yet (materials compile on first use). */
  async init(): Promise<void> {
    const generation = ++this.generation;
    this.bitmaps = presentsBitmaps(this.backend);
    const renderer = new WebGPURenderer({
      ...(this.bitmaps || this.offscreen ? { canvas: new OffscreenCanvas(1, 1) as unknown as HTMLCanvasElement } : {}),
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
    this.atlasMax = Math.min(ATLAS_MAX, deviceCanvasLimit(renderer));
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
    for (const l of [...this.listeners]) l.contextLost(reason);
    const old = this.renderer;
    this.renderer = undefined;
    try {
      old?.dispose();
    } catch {
      /* a lost device may refuse to release resources; it is garbage either way */
    }
    try {
      await this.init();
      for (const l of [...this.listeners]) l.contextRestored();
    } catch (err) {
      const error = toVib3Error(err, 'CONTEXT_LOST', 'Reload the page to start the renderer again.');
      for (const l of [...this.listeners]) l.recoveryFailed(error);
    }
  }

  /** Registers an element. */
  attach(listener: SharedRendererListener): void {
    this.listeners.add(listener);
  }

  /** Unregisters an element; returns true when no element is left. */
  detach(listener: SharedRendererListener): boolean {
    this.listeners.delete(listener);
    return this.listeners.size === 0;
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
  draw(frame: FrameState, target: FrameTarget, immediate = false, overlay?: MeshOverlay): boolean {
    const renderer = this.renderer;
    if (!renderer || this.lost || !this.quad || !this.uniforms) return false;
    const w = Math.max(1, Math.floor(frame.width));
    const h = Math.max(1, Math.floor(frame.height));
    const canvas = renderer.domElement as HTMLCanvasElement | OffscreenCanvas;
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
    this.shelfX = this.shelfY = this.shelfH = 0;
    if (!renderer || this.lost) return;
    const canvas = renderer.domElement as HTMLCanvasElement | OffscreenCanvas;
    for (const c of copies) c.target.drawImage(canvas, c.x, c.y, c.w, c.h, 0, 0, c.w, c.h);
  }

  private readonly flushCopies = () => this.flush();
  private copies: { target: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D; x: number; y: number; w: number; h: number }[] = [];
  /** Shelf packing of this frame's tiles: next free x, top of the current shelf, its height. */
  private shelfX = 0;
  private shelfY = 0;
  private shelfH = 0;

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
   * Finds room for a w x h tile in the shared canvas, left to right on shelves. When the frame's
   * tiles outgrow the canvas, what is drawn so far is copied out and the canvas is grown (its
   * smaller side doubled, up to the device limit) so the next frame fits in one batch.
   */
  private placeTile(renderer: WebGPURenderer, canvas: HTMLCanvasElement | OffscreenCanvas, w: number, h: number): [number, number] {
    if (this.shelfX + w > canvas.width) {
      this.shelfY += this.shelfH;
      this.shelfX = 0;
      this.shelfH = 0;
    }
    if (this.shelfX + w > canvas.width || this.shelfY + h > canvas.height) {
      const outgrown = this.copies.length > 0;
      this.flush(); // resizing clears the canvas, and a full one is reused from its top-left
      let newW = Math.max(canvas.width, w);
      let newH = Math.max(canvas.height, h);
      if (outgrown) {
        if (newW <= newH && newW < this.atlasMax) newW = Math.min(this.atlasMax, newW * 2);
        else if (newH < this.atlasMax) newH = Math.min(this.atlasMax, newH * 2);
        else if (newW < this.atlasMax) newW = Math.min(this.atlasMax, newW * 2);
      }
      if (newW !== canvas.width || newH !== canvas.height) {
        renderer.setSize(newW, newH, false);
        this.resetWindow();
      }
    }
    const x = this.shelfX;
    const y = this.shelfY;
    this.shelfX = x + w;
    this.shelfH = Math.max(this.shelfH, h);
    this.noteExtent(renderer, canvas, x + w, y + h);
    return [x, y];
  }

  /**
   * Shrinks the shared canvas when, over a window of draws, nothing needed more than half of it
   * (e.g. after a large snapshot or after elements left). Checked only when no tile is queued.
   */
  private noteExtent(renderer: WebGPURenderer, canvas: HTMLCanvasElement | OffscreenCanvas, right: number, bottom: number): void {
    this.windowMaxW = Math.max(this.windowMaxW, right);
    this.windowMaxH = Math.max(this.windowMaxH, bottom);
    if (++this.drawsInWindow < SHRINK_WINDOW_DRAWS || this.copies.length > 0) return;
    if (this.windowMaxW * this.windowMaxH * 2 < canvas.width * canvas.height) {
      renderer.setSize(this.windowMaxW, this.windowMaxH, false);
    }
    this.resetWindow();
  }

  private resetWindow(): void {
    this.drawsInWindow = 0;
    this.windowMaxW = 1;
    this.windowMaxH = 1;
  }

  /** Grows the shared canvas to hold a w x h frame at its top-left corner (immediate draws). */
  private fitCanvas(renderer: WebGPURenderer, canvas: HTMLCanvasElement | OffscreenCanvas, w: number, h: number): void {
    if (canvas.width < w || canvas.height < h) renderer.setSize(Math.max(canvas.width, w), Math.max(canvas.height, h), false);
    this.noteExtent(renderer, canvas, w, h);
  }

  /** Releases the device. */
  dispose(): void {
    this.disposing = true;
    for (const m of this.materials.values()) m.dispose();
    this.materials.clear();
    this.meshLayer?.dispose();
    this.meshLayer = undefined;
    this.renderer?.dispose();
    this.renderer = undefined;
  }
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

const shared = new Map<BackendKind, Promise<SharedRenderer>>();
const pendingRelease = new Map<BackendKind, ReturnType<typeof setTimeout>>();

/** How long an unused shared renderer is kept, so re-attaching elements skips shader compilation. */
export const IDLE_RELEASE_MS = 4000;

/** The page's shared renderer for a backend, created on first use. */
export function acquireSharedRenderer(backend: BackendKind): Promise<SharedRenderer> {
  clearTimeout(pendingRelease.get(backend));
  pendingRelease.delete(backend);
  let entry = shared.get(backend);
  if (!entry) {
    const r = new SharedRenderer(backend);
    entry = r.init().then(() => r);
    entry.catch(() => shared.delete(backend));
    shared.set(backend, entry);
  }
  return entry;
}

/** Drops a shared renderer a little while after its last element detached. */
export function releaseSharedRenderer(renderer: SharedRenderer): void {
  if (renderer.viewCount > 0) return;
  clearTimeout(pendingRelease.get(renderer.backend));
  pendingRelease.set(
    renderer.backend,
    setTimeout(() => {
      pendingRelease.delete(renderer.backend);
      if (renderer.viewCount > 0 || !shared.has(renderer.backend)) return;
      shared.delete(renderer.backend);
      renderer.dispose();
    }, IDLE_RELEASE_MS),
  );
}

/** Shared renderers that exist right now (diagnostics / tests). */
export async function sharedRenderers(): Promise<SharedRenderer[]> {
  const out: SharedRenderer[] = [];
  for (const p of shared.values()) {
    try {
      out.push(await p);
    } catch {
      /* failed init: not a live renderer */
    }
  }
  return out;
}
