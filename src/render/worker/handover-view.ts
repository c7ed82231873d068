/**
 * The view of an element that starts on the main thread under the `auto` render thread: it draws
 * there at once (the fastest first frame; a lone WebGL2 element is presented directly) and, once
 * the element keeps animating, moves it to the page's render worker without a blank frame.
 *
 * The handover: after {@link HANDOVER_AFTER_FRAMES} animated frames drawn (the element's clock moved:
 * not paused, not reduced motion; frames drawn for interaction alone do not count), a fresh canvas is laid out after
 * the visible one (the host clips it) and handed to the worker, which draws the element's latest
 * frame into it. Once that frame is on screen, in one task, the main-thread view is released, the
 * old canvas removed and the fresh one is the element's canvas; `presentation` becomes `worker`.
 * Where the worker cannot take over (no OffscreenCanvas, the script cannot start, another backend
 * in the worker, a context loss meanwhile) the element simply stays on the main thread. Elements
 * showing a mesh stay there too (the worker would start its mesh layer without the slice on screen).
 * @module
 */
import type { Vib3Error } from '../../core/errors.js';
import type { ActiveBackend, PresentationPath, RendererContract, RendererFactory, RendererPreference, RendererViewEvents } from '../contract.js';
import type { FrameState } from '../frame-state.js';
import { ThreeView } from '../three/three-view.js';
import { snapshotOfView } from '../view-snapshot.js';
import { workerRenderingSupported } from './render-thread.js';
import { WorkerView } from './worker-view.js';

/** Animated frames (the element's clock moved) an element draws on the main thread before it moves to the render worker (about a second). */
export const HANDOVER_AFTER_FRAMES = 60;

/** Where a handover stands: `none` (not tried yet), `moving`, `done`, or `declined` (the element stays on the main thread). */
export type HandoverState = 'none' | 'moving' | 'done' | 'declined';

/** Implements the {@link RendererContract}: the main-thread view first, the render worker's once it took over. */
export class HandoverView implements RendererContract {
  /** The view drawing now: the main-thread view, then the worker's. */
  private current: RendererContract;
  private readonly main: ThreeView;
  /** The worker's view while it prepares its first frame. */
  private pending: WorkerView | undefined = undefined;
  /** Where the handover stands (diagnostics and tests). */
  state: HandoverState = 'none';
  /** Why the element stayed on the main thread, when it did (diagnostics and tests). */
  declinedReason: string | undefined = undefined;
  private drawn = 0;
  private lastFrame: FrameState | undefined = undefined;
  private width = 1;
  private height = 1;
  private active = true;
  private disposed = false;

  constructor(
    target: HTMLCanvasElement,
    private readonly preference: RendererPreference,
    private readonly events: RendererViewEvents,
  ) {
    this.width = Math.max(1, target.width);
    this.height = Math.max(1, target.height);
    this.main = new ThreeView(target, preference, this.forwardWhileCurrent(() => this.main));
    this.current = this.main;
  }

  get backend(): ActiveBackend | 'none' {
    return this.current.backend;
  }

  get presentation(): PresentationPath | undefined {
    return this.current.presentation;
  }

  init(): Promise<void> {
    return this.main.init();
  }

  prepare(frame: FrameState): Promise<void> {
    return this.current.prepare?.(frame) ?? Promise.resolve();
  }

  resize(width: number, height: number): void {
    this.width = Math.max(1, Math.round(width));
    this.height = Math.max(1, Math.round(height));
    this.current.resize(width, height);
    this.pending?.resize(width, height);
  }

  render(frame: FrameState): boolean {
    // Animated: the element's clock moved since the last frame (not paused, not reduced motion; frames
    // drawn only for interaction or changes do not count).
    const animated = this.lastFrame !== undefined && frame.timeMs !== this.lastFrame.timeMs;
    this.lastFrame = frame;
    const drew = this.current.render(frame);
    if (drew && animated && this.state === 'none' && ++this.drawn >= HANDOVER_AFTER_FRAMES && !frame.mesh) void this.handOver();
    return drew;
  }

  /** Once the worker took over, it draws the element on its own (see {@link RendererContract.run}). */
  run(frame: FrameState, atMs: number): boolean {
    return this.state === 'done' && this.pending === undefined ? (this.current.run?.(frame, atMs) ?? false) : false;
  }

  snapshot(frame: FrameState, width: number, height: number, type: string, quality?: number): Promise<Blob> {
    return snapshotOfView(this.current, frame, width, height, type, quality);
  }

  setActive(active: boolean): void {
    this.active = active;
    this.current.setActive(active);
    this.pending?.setActive(active);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abandon();
    this.current.dispose();
    this.main.dispose();
  }

  /** Events of `view` reach the element only while it is the view drawing. */
  private forwardWhileCurrent(view: () => RendererContract): RendererViewEvents {
    const e = this.events;
    const when = (fn: () => void) => {
      if (!this.disposed && this.current === view()) fn();
    };
    return {
      onContextLost: (reason) => {
        // A loss while moving: stay (the main-thread view recovers as usual) and try again later.
        if (this.pending) this.decline('the main-thread context was lost while moving', 'none');
        when(() => e.onContextLost?.(reason));
      },
      onContextRestored: (backend) => when(() => e.onContextRestored?.(backend)),
      onError: (error) => when(() => e.onError?.(error)),
      onWarning: (error) => when(() => e.onWarning?.(error)),
      onInvalidate: () => when(() => e.onInvalidate?.()),
      onMeshUpdate: (detail) => when(() => e.onMeshUpdate?.(detail)),
      onPresentationChange: (path) => when(() => e.onPresentationChange?.(path)),
      onFrames: (count) => when(() => e.onFrames?.(count)),
    };
  }

  /** The worker's view: until it is current, a loss or error there only ends the handover. */
  private workerEvents(): RendererViewEvents {
    const e = this.events;
    // Until the swap the worker's canvas is not seen: its events are not the element's.
    const swapped = () => this.current !== this.main;
    return {
      onContextLost: (reason) => (swapped() ? e.onContextLost?.(reason) : this.decline(`the worker lost its context (${reason})`)),
      onError: (error) => (swapped() ? e.onError?.(error) : this.decline(`the worker failed (${error.message})`)),
      onContextRestored: (backend) => swapped() && e.onContextRestored?.(backend),
      onInvalidate: () => swapped() && e.onInvalidate?.(),
      onMeshUpdate: (detail) => swapped() && e.onMeshUpdate?.(detail),
      onWarning: (error) => swapped() && e.onWarning?.(error),
      onPresentationChange: (path) => swapped() && e.onPresentationChange?.(path),
      onFrames: (count) => swapped() && e.onFrames?.(count),
    };
  }

  /** Starts the worker's view on a fresh canvas and swaps once its first frame is on screen. */
  private async handOver(): Promise<void> {
    if (!workerRenderingSupported()) return this.decline('this browser cannot hand a canvas to a worker');
    const own = this.main.canvas;
    if (!own.isConnected || !own.parentNode) return this.decline('the canvas is not in a document');
    this.state = 'moving';
    const fresh = own.cloneNode(false) as HTMLCanvasElement;
    // The direct presentation hides the element's own canvas; the copy must lay out (clipped by the host).
    fresh.style.removeProperty('display');
    fresh.width = this.width;
    fresh.height = this.height;
    const shown = own.nextElementSibling?.hasAttribute('data-vib3-direct') ? own.nextElementSibling : own;
    shown.after(fresh);
    const worker = new WorkerView(fresh, this.preference, this.workerEvents(), { fallback: false });
    this.pending = worker;
    worker.setActive(this.active);
    try {
      await worker.init();
      if (this.pending !== worker) return;
      if (worker.backend !== this.main.backend) return this.decline(`the worker draws with ${worker.backend}, the element with ${this.main.backend}`);
      worker.resize(this.width, this.height);
      const frame = this.lastFrame;
      if (!frame || frame.mesh) return this.decline('the element shows a mesh');
      await worker.prepare(frame);
    } catch (err) {
      if (this.pending === worker) this.decline((err as Vib3Error).message ?? String(err));
      return;
    }
    if (this.pending !== worker) return;
    if (this.lastFrame?.mesh) return this.decline('the element shows a mesh');
    this.swap(worker, own);
  }

  /** In one task: the worker's canvas becomes the element's, the main-thread view is released. */
  private swap(worker: WorkerView, own: HTMLCanvasElement): void {
    this.pending = undefined;
    this.current = worker;
    this.state = 'done';
    this.main.dispose();
    // The main-thread view may have replaced the element's canvas meanwhile (a backend change): remove what it drew into.
    own.remove();
    this.main.canvas.remove();
    this.events.onPresentationChange?.('worker');
  }

  /** Ends a handover in progress (or rules it out); `next` is `none` to try again after more frames. */
  private decline(why: string, next: HandoverState = 'declined'): void {
    this.declinedReason = why;
    this.abandon();
    this.state = next;
    this.drawn = 0;
  }

  private abandon(): void {
    const worker = this.pending;
    if (!worker) return;
    this.pending = undefined;
    worker.dispose();
    worker.canvas.remove();
  }
}

/** The `auto` render thread's factory for an element starting on the main thread. */
export const createHandoverView: RendererFactory = (target, preference, events) => new HandoverView(target, preference, events);
