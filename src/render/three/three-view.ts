import { Vib3Error } from '../../core/errors.js';
import type { BackendKind, RendererContract, RendererFactory, RendererPreference, RendererViewEvents } from '../contract.js';
import type { FrameState } from '../frame-state.js';
import { resolveBackend } from '../backend-probe.js';
import { acquireSharedRenderer, releaseSharedRenderer, type FrameTarget, type SharedRenderer, type SharedRendererListener } from './shared-renderer.js';

/**
 * One element's window onto the page's shared three.js renderer. Implements the
 * {@link RendererContract}; this module (and three.js with it) is the lazily loaded chunk.
 */
export class ThreeView implements RendererContract, SharedRendererListener {
  private shared: SharedRenderer | undefined;
  private ctx: FrameTarget | null = null;
  private active = true;
  private disposed = false;
  private resolved: BackendKind | 'none' = 'none';

  constructor(
    private target: HTMLCanvasElement,
    private readonly preference: RendererPreference,
    private readonly events: RendererViewEvents,
  ) {}

  get backend(): BackendKind | 'none' {
    return this.resolved;
  }

  /** The shared renderer behind this view (diagnostics and tests). */
  get sharedRenderer(): SharedRenderer | undefined {
    return this.shared;
  }

  async init(): Promise<void> {
    const backend = await resolveBackend(this.preference);
    let shared: SharedRenderer;
    try {
      shared = await acquireSharedRenderer(backend);
    } catch (err) {
      // `auto` may still fall back when a WebGPU adapter exists but the device fails to start.
      if (this.preference === 'auto' && backend === 'webgpu') shared = await acquireSharedRenderer('webgl2');
      else throw err;
    }
    if (this.disposed) {
      releaseSharedRenderer(shared);
      throw new Vib3Error('RENDERER_INIT_FAILED', 'The element was disconnected while its renderer started.', 'Nothing to do.');
    }
    this.shared = shared;
    this.resolved = shared.backend;
    shared.attach(this);
    this.ctx = this.targetContext(shared.presentsBitmaps ? 'bitmaprenderer' : '2d');
  }

  /**
   * The element canvas's context of `kind`. A canvas keeps the first kind of context it was given;
   * when the backend changed since (e.g. `renderer` switched from webgpu to webgl2), the canvas is
   * replaced by a fresh copy of itself (same attributes, part and size).
   */
  private targetContext(kind: 'bitmaprenderer' | '2d'): FrameTarget | null {
    const get = (c: HTMLCanvasElement) => (kind === '2d' ? c.getContext('2d', { alpha: false }) : c.getContext('bitmaprenderer', { alpha: false }));
    const ctx = get(this.target);
    if (ctx) return ctx;
    const fresh = this.target.cloneNode(false) as HTMLCanvasElement;
    fresh.width = this.target.width;
    fresh.height = this.target.height;
    this.target.replaceWith(fresh);
    this.target = fresh;
    return get(fresh);
  }

  resize(width: number, height: number): void {
    const w = Math.max(1, Math.round(width));
    const h = Math.max(1, Math.round(height));
    if (this.target.width !== w) this.target.width = w;
    if (this.target.height !== h) this.target.height = h;
  }

  render(frame: FrameState): boolean {
    if (!this.active || this.disposed || !this.shared || !this.ctx) return false;
    return this.shared.draw({ ...frame, width: this.target.width, height: this.target.height }, this.ctx);
  }

  /** Renders a frame at an arbitrary size into a fresh canvas (used for snapshots). */
  renderOffscreen(frame: FrameState, width: number, height: number): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!this.shared || !ctx || !this.shared.draw({ ...frame, width, height }, ctx, true)) {
      throw new Vib3Error('SNAPSHOT_FAILED', 'The renderer is not ready (starting or recovering from a lost context).', 'Wait for vib3-ready (or vib3-context-restored) and try again.');
    }
    return canvas;
  }

  setActive(active: boolean): void {
    this.active = active;
  }

  contextLost(reason: string): void {
    this.events.onContextLost?.(reason);
  }

  contextRestored(): void {
    this.events.onContextRestored?.(this.resolved as BackendKind);
  }

  recoveryFailed(error: Vib3Error): void {
    this.events.onError?.(error);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.shared) {
      this.shared.detach(this);
      releaseSharedRenderer(this.shared);
    }
    this.shared = undefined;
    this.resolved = 'none';
  }
}

/** The built-in renderer factory (three.js WebGPURenderer, shared per page). */
export const createThreeView: RendererFactory = (target, preference, events) => new ThreeView(target, preference, events);
