import { WebGPURenderer, QuadMesh, LinearSRGBColorSpace, NoToneMapping, type NodeMaterial } from 'three/webgpu';
import { Vib3Error, toVib3Error } from '../../core/errors.js';
import { SYSTEMS, type Vib3System } from '../../core/params.js';
import type { BackendKind } from '../contract.js';
import type { FrameState } from '../frame-state.js';
import { layersFor } from '../layers.js';
import { applyFrame, createVisualUniforms, type VisualUniforms } from './tsl/uniforms.js';
import { createSystemMaterial } from './tsl/system-material.js';

/** Draws between checks whether the shared canvas can shrink. */
const SHRINK_WINDOW_DRAWS = 240;

/** Listener for loss / recovery of the shared device. */
export interface SharedRendererListener {
  contextLost(reason: string): void;
  contextRestored(): void;
  recoveryFailed(error: Vib3Error): void;
}

/**
 * One three.js WebGPURenderer (one GPU device or one WebGL2 context) that draws every
 * `<vib3-canvas>` of the page using that backend. Each element's frame is drawn into the
 * top-left corner of the shared canvas and copied into the element's own 2D canvas, so the
 * page holds one GPU context however many elements it shows.
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

  constructor(backend: BackendKind) {
    this.backend = backend;
  }

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
    const c = this.renderer?.domElement as HTMLCanvasElement | undefined;
    return c ? [c.width, c.height] : [0, 0];
  }

  /** The three.js renderer, for diagnostics and tests (e.g. forcing a context loss). */
  get threeRenderer(): WebGPURenderer | undefined {
    return this.renderer;
  }

  /** Creates the device/context and compiles nothing yet (materials compile on first use). */
  async init(): Promise<void> {
    const generation = ++this.generation;
    const renderer = new WebGPURenderer({
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
   * Draws `frame` and copies it into `target` (a 2D context whose canvas is frame.width x frame.height).
   * Returns false if the device is lost and nothing was drawn.
   */
  draw(frame: FrameState, target: CanvasRenderingContext2D): boolean {
    const renderer = this.renderer;
    if (!renderer || this.lost || !this.quad || !this.uniforms) return false;
    const w = Math.max(1, Math.floor(frame.width));
    const h = Math.max(1, Math.floor(frame.height));
    const canvas = renderer.domElement as HTMLCanvasElement;
    this.fitCanvas(renderer, canvas, w, h);
    applyFrame(this.uniforms, frame);
    this.quad.material = this.materials.get(frame.params.system)!;
    renderer.setViewport(0, 0, w, h);
    this.quad.render(renderer);
    target.drawImage(canvas, 0, 0, w, h, 0, 0, w, h);
    return true;
  }

  /**
   * Grows the shared canvas to hold the largest element immediately; shrinks it back when, over
   * a window of draws, nothing needed more than half of it (e.g. after a large snapshot).
   */
  private fitCanvas(renderer: WebGPURenderer, canvas: HTMLCanvasElement, w: number, h: number): void {
    this.windowMaxW = Math.max(this.windowMaxW, w);
    this.windowMaxH = Math.max(this.windowMaxH, h);
    if (canvas.width < w || canvas.height < h) {
      renderer.setSize(Math.max(canvas.width, w), Math.max(canvas.height, h), false);
    } else if (++this.drawsInWindow >= SHRINK_WINDOW_DRAWS) {
      if (this.windowMaxW * this.windowMaxH * 2 < canvas.width * canvas.height) {
        renderer.setSize(this.windowMaxW, this.windowMaxH, false);
      }
      this.drawsInWindow = 0;
      this.windowMaxW = w;
      this.windowMaxH = h;
    }
  }

  /** Releases the device. */
  dispose(): void {
    this.disposing = true;
    for (const m of this.materials.values()) m.dispose();
    this.materials.clear();
    this.renderer?.dispose();
    this.renderer = undefined;
  }
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
