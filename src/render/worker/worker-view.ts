/**
 * An element's view of the page's render worker: the element's canvas is handed to the worker
 * (`transferControlToOffscreen`) and the page only posts frame states. Where that cannot work (no
 * OffscreenCanvas, the worker script cannot start, no GPU context in the worker) the view renders
 * on the main thread as before, through the built-in three.js view on a fresh canvas.
 * @module
 */
import { Vib3Error } from '../../core/errors.js';
import type { ActiveBackend, BackendKind, PresentationPath, RendererContract, RendererFactory, RendererPreference, RendererViewEvents } from '../contract.js';
import type { FrameState } from '../frame-state.js';
import { isTransferred, replaceWithFreshCanvas, resizeCanvas, transferCanvas } from '../canvas-target.js';
import type { ElementEvent } from './protocol.js';
import { pageRenderClient, type RenderClient, type RenderClientView } from './render-client.js';
import { workerRenderingSupported } from './render-thread.js';
import { snapshotOfView } from '../view-snapshot.js';

let nextId = 0;

const notReady = () => new Vib3Error('SNAPSHOT_FAILED', 'The renderer is not ready (starting or recovering from a lost context).', 'Wait for vib3-ready (or vib3-context-restored) and try again.');

/** Options of a {@link WorkerView}. */
export interface WorkerViewOptions {
  /**
   * Render on the main thread when the worker cannot (default true). With false, `init` rejects
   * with the reason instead (a view already drawing on the main thread tries to move to the worker).
   */
  fallback?: boolean;
}

/** Implements the {@link RendererContract} by drawing in the page's render worker (presentation `worker`). */
export class WorkerView implements RendererContract, RenderClientView {
  private readonly id = ++nextId;
  private client: RenderClient | undefined;
  /** The main-thread view used when the worker cannot render. */
  private fallback: RendererContract | undefined;
  private resolved: BackendKind | 'none' = 'none';
  private width: number;
  private height: number;
  private active = true;
  private lost = false;
  private disposed = false;

  constructor(
    private target: HTMLCanvasElement,
    private readonly preference: RendererPreference,
    private readonly events: RendererViewEvents,
    private readonly options: WorkerViewOptions = {},
  ) {
    this.width = Math.max(1, target.width);
    this.height = Math.max(1, target.height);
  }

  get backend(): ActiveBackend | 'none' {
    return this.fallback ? this.fallback.backend : this.resolved;
  }

  get presentation(): PresentationPath {
    const f = this.fallback;
    if (!f) return 'worker';
    return f.presentation ?? (f.backend === 'webgpu' ? 'bitmap' : f.backend === 'extension' ? 'extension' : 'atlas');
  }

  /** Why the view renders on the main thread, when it does (diagnostics and tests). */
  fallbackReason: Vib3Error | undefined;

  async init(): Promise<void> {
    if (!workerRenderingSupported()) return this.startFallback(new Vib3Error('RENDERER_INIT_FAILED', 'This browser cannot hand a canvas to a worker.', 'Nothing to do: the element renders on the main thread.'));
    const client = pageRenderClient();
    try {
      await client.ready();
    } catch (err) {
      return this.startFallback(err as Vib3Error);
    }
    this.checkConnected();
    let offscreen: OffscreenCanvas;
    try {
      offscreen = this.transfer();
    } catch (err) {
      return this.startFallback(new Vib3Error('RENDERER_INIT_FAILED', `The canvas could not be handed to the render worker: ${String(err)}`, 'Nothing to do: the element renders on the main thread.'));
    }
    this.client = client;
    try {
      this.resolved = await client.attach(this.id, this, offscreen, this.preference);
    } catch (err) {
      client.detach(this.id);
      this.client = undefined;
      this.checkConnected();
      return this.startFallback(err as Vib3Error);
    }
    this.checkConnected();
  }

  /** The canvas this view shows (the transferred one once attached). */
  get canvas(): HTMLCanvasElement {
    return this.target;
  }

  /** Draws the first frame and resolves once the worker drew it (`vib3-ready` means a frame is on screen). */
  async prepare(frame: FrameState): Promise<void> {
    if (this.fallback) return this.fallback.prepare?.(frame);
    if (!this.client || this.disposed) return;
    await this.client.drawNow(this.id, { ...frame, width: this.width, height: this.height });
  }

  /** The element's canvas as an OffscreenCanvas (a fresh canvas when this one already has a context or was transferred). */
  private transfer(): OffscreenCanvas {
    if (!isTransferred(this.target)) {
      try {
        return transferCanvas(this.target);
      } catch {
        /* it has a context already (an earlier main-thread view): start over with a fresh canvas */
      }
    }
    this.target = replaceWithFreshCanvas(this.target);
    return transferCanvas(this.target);
  }

  private checkConnected(): void {
    if (this.disposed) throw new Vib3Error('RENDERER_INIT_FAILED', 'The element was disconnected while its renderer started.', 'Nothing to do.');
  }

  /** Renders on the main thread: the built-in view (three.js loaded now) on a canvas that can get a context. */
  private async startFallback(reason: Vib3Error): Promise<void> {
    this.fallbackReason = reason;
    if (this.options.fallback === false) throw reason;
    if (isTransferred(this.target)) {
      const fresh = replaceWithFreshCanvas(this.target);
      resizeCanvas(fresh, this.width, this.height);
      this.target = fresh;
    }
    const { createThreeView } = await import('../three/three-view.js');
    this.checkConnected();
    const view = createThreeView(this.target, this.preference, this.events);
    this.fallback = view;
    await view.init();
    if (this.disposed) view.dispose();
    this.checkConnected();
  }

  resize(width: number, height: number): void {
    this.width = Math.max(1, Math.round(width));
    this.height = Math.max(1, Math.round(height));
    if (this.fallback) this.fallback.resize(width, height);
    else resizeCanvas(this.target, this.width, this.height);
  }

  render(frame: FrameState): boolean {
    if (this.fallback) return this.fallback.render(frame);
    if (!this.active || this.disposed || this.lost || !this.client || this.resolved === 'none') return false;
    // False while the worker is behind: the element stays dirty and offers a newer frame next time.
    return this.client.queue(this.id, { ...frame, width: this.width, height: this.height });
  }

  /** The worker draws the element on its own from `frame` on (see {@link RendererContract.run}). */
  run(frame: FrameState, atMs: number): boolean {
    if (this.fallback || !this.active || this.disposed || this.lost || !this.client || this.resolved === 'none' || frame.mesh) return false;
    return this.client.run(this.id, { ...frame, width: this.width, height: this.height }, atMs);
  }

  /** @internal The worker drew `frames` frames of this element on its own. */
  ran(frames: number): void {
    if (!this.disposed) this.events.onFrames?.(frames);
  }

  async snapshot(frame: FrameState, width: number, height: number, type: string, quality?: number): Promise<Blob> {
    if (this.fallback) return snapshotOfView(this.fallback, frame, width, height, type, quality);
    if (!this.client || this.lost || this.resolved === 'none') throw notReady();
    return this.client.snapshot(this.id, { ...frame, width, height }, type, quality);
  }

  setActive(active: boolean): void {
    this.active = active;
    this.fallback?.setActive(active);
    // Off screen: the worker stops drawing it on its own (the element draws again once it is back).
    if (!active) this.client?.stopRun(this.id);
  }

  /** @internal Events of this element from the worker. */
  handle(event: ElementEvent): void {
    if (this.disposed) return;
    const e = this.events;
    const error = (d: { code: string; message: string; suggestion: string }) => new Vib3Error(d.code as never, d.message, d.suggestion);
    switch (event.type) {
      case 'lost':
        this.lost = true;
        e.onContextLost?.(event.reason);
        return;
      case 'restored':
        this.lost = false;
        this.resolved = event.backend;
        e.onContextRestored?.(event.backend);
        return;
      case 'error':
        e.onError?.(error(event.error));
        return;
      case 'warning':
        e.onWarning?.(error(event.error));
        return;
      case 'meshUpdate':
        e.onMeshUpdate?.(event.detail);
        return;
      case 'invalidate':
        e.onInvalidate?.();
        return;
      default:
        return;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.fallback?.dispose();
    this.client?.detach(this.id);
    this.client = undefined;
    this.resolved = 'none';
  }
}

/** The renderer factory that draws in the page's render worker (falls back to the main thread). */
export const createWorkerView: RendererFactory = (target, preference, events) => new WorkerView(target, preference, events);
