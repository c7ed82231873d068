import { Vib3Error } from '../../core/errors.js';
import type { BackendKind, PresentationPath, RendererContract, RendererFactory, RendererPreference, RendererViewEvents } from '../contract.js';
import type { FrameState, MeshSpec } from '../frame-state.js';
import { resolveBackend } from '../backend-probe.js';
import { isTransferred, replaceWithFreshCanvas, resizeCanvas } from '../canvas-target.js';
import { geometryPool } from '../../geometry/worker-pool.js';
import type { MeshOverlay } from './mesh-layer.js';
import { MeshOverlayTracker } from './mesh-overlay.js';
import type { FrameTarget, SharedRenderer, SharedRendererListener } from './shared-renderer.js';
import { acquireSharedRenderer, releaseSharedRenderer } from './shared-renderer-pool.js';
import { noteMainThreadView } from '../worker/render-thread.js';

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
  ) {
    noteMainThreadView(1);
  }

  get backend(): BackendKind | 'none' {
    return this.resolved;
  }

  /** How frames reach the element: `bitmap` (WebGPU), `direct` (a lone WebGL2 element) or `atlas`. */
  get presentation(): PresentationPath {
    const shared = this.shared;
    if (shared?.presentsBitmaps) return 'bitmap';
    return shared?.directOwner === this ? 'direct' : 'atlas';
  }

  /** The element canvas this view draws for (a fresh copy when the first could get no context). */
  get canvas(): HTMLCanvasElement {
    return this.target;
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
    this.ctx = this.targetContext(shared.presentsBitmaps ? 'bitmaprenderer' : '2d');
    shared.attach(this);
    if (!this.active) shared.setActive(this, false);
  }

  /**
   * The element canvas's context of `kind`. A canvas keeps the first kind of context it was given;
   * when the backend changed since (e.g. `renderer` switched from webgpu to webgl2), or the canvas
   * was handed to the render worker, it is replaced by a fresh copy of itself (same attributes, part and size).
   */
  private targetContext(kind: 'bitmaprenderer' | '2d'): FrameTarget | null {
    const get = (c: HTMLCanvasElement) => (kind === '2d' ? c.getContext('2d', { alpha: false }) : c.getContext('bitmaprenderer', { alpha: false }));
    let ctx: FrameTarget | null = null;
    // A canvas handed to the render worker before (the element rendered there) can get no context.
    if (!isTransferred(this.target)) {
      try {
        ctx = get(this.target);
      } catch {
        ctx = null;
      }
    }
    if (ctx) return ctx;
    this.target = replaceWithFreshCanvas(this.target);
    return get(this.target);
  }

  resize(width: number, height: number): void {
    resizeCanvas(this.target, width, height);
  }

  render(frame: FrameState): boolean {
    if (!this.active || this.disposed || !this.shared || !this.ctx) return false;
    const sized = { ...frame, width: this.target.width, height: this.target.height };
    return this.shared.draw(sized, this.ctx, false, this.overlay(sized), this);
  }

  private static nextId = 0;
  private readonly id = `view-${++ThreeView.nextId}`;
  /** The mesh layer: overlays, slice requests to the page's geometry workers, mesh updates. */
  private readonly mesh = new MeshOverlayTracker(
    (spec, frame, key) => this.requestSlice(spec, frame, key),
    (detail) => this.events.onMeshUpdate?.(detail),
  );
  /** The page pool's "cannot start a worker" error, once reported by this view. */
  private reportedUnavailable: Error | undefined;

  /** The mesh layer's overlay for this frame, if the element shows a mesh. */
  private overlay(frame: FrameState): MeshOverlay | undefined {
    return this.mesh.overlay(frame);
  }

  /** Asks the page's geometry workers for this frame's cross-section (newer requests supersede older ones). */
  private requestSlice(spec: MeshSpec, frame: FrameState, key: string): void {
    const pool = geometryPool();
    if (pool.unavailable) {
      // No worker can start: report it once per view; the lattice keeps rendering.
      if (this.reportedUnavailable !== pool.unavailable) {
        this.reportedUnavailable = pool.unavailable;
        this.events.onWarning?.(pool.unavailable);
      }
      return;
    }
    pool
      .slice({ mesh: spec.name as never, rotation: frame.rotation, offset: spec.sliceW }, { key: this.id })
      .then(
        (result) => {
          if (this.disposed) return;
          this.mesh.received(result, key);
          this.events.onInvalidate?.();
        },
        (err: unknown) => {
          if (this.disposed || (err as { code?: string }).code === 'GEOMETRY_CANCELLED') return;
          if (pool.unavailable && err === pool.unavailable) {
            if (this.reportedUnavailable === pool.unavailable) return;
            this.reportedUnavailable = pool.unavailable;
          }
          // Ask again on the next frame (the pool restarted the worker).
          this.mesh.retry();
          this.events.onWarning?.(err instanceof Error ? err : new Error(String(err)));
        },
      );
  }

  /** Renders a frame at an arbitrary size into a fresh canvas (used for snapshots). */
  renderOffscreen(frame: FrameState, width: number, height: number): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { alpha: false });
    const sized = { ...frame, width, height };
    // The mesh layer as it is on screen (for slices: the newest cross-section received).
    if (!this.shared || !ctx || !this.shared.draw(sized, ctx, true, this.overlay(sized))) {
      throw new Vib3Error('SNAPSHOT_FAILED', 'The renderer is not ready (starting or recovering from a lost context).', 'Wait for vib3-ready (or vib3-context-restored) and try again.');
    }
    return canvas;
  }

  setActive(active: boolean): void {
    this.active = active;
    this.shared?.setActive(this, active);
  }

  presentationChanged(direct: boolean): void {
    if (this.disposed) return;
    this.events.onPresentationChange?.(direct ? 'direct' : this.presentation);
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
    noteMainThreadView(-1);
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
