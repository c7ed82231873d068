/**
 * Worker side of rendering off the main thread: the render worker's message loop. Keeps one
 * {@link SharedRenderer} per backend (OffscreenCanvas whatever the backend), draws every element
 * of a frame batch into its transferred canvas (`bitmaprenderer` on WebGPU, `2d` on WebGL2), then
 * flushes the copies once; draws elements that only animate on its own animation frames
 * ({@link FreeRunLoop}); snapshots into a canvas of their own; reports loss and recovery per element.
 * @module
 */
import { Vib3Error, toVib3Error } from '../../core/errors.js';
import { registerMesh } from '../../geometry/custom-meshes.js';
import type { BackendKind, RendererPreference } from '../contract.js';
import { resolveBackend } from '../backend-probe.js';
import type { FrameState } from '../frame-state.js';
import type { FrameTarget, SharedRenderer, SharedRendererListener } from '../three/shared-renderer.js';
import { acquireSharedRenderer, releaseSharedRenderer, sharedRenderers } from '../three/shared-renderer-pool.js';
import type { AttachMessage, FromWorker, SnapshotRequest, ToWorker } from './protocol.js';
import { WorkerMesh } from './worker-mesh.js';
import { FreeRunLoop, freeRunSupported } from './free-run.js';


/** The worker's global scope, as far as the render loop needs it. */
export interface RenderWorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}

interface Element {
  id: number;
  canvas: OffscreenCanvas;
  ctx: FrameTarget;
  shared: SharedRenderer;
  listener: SharedRendererListener;
  mesh: WorkerMesh;
  /** Drawing threw: reported once, nothing drawn afterwards. */
  broken: boolean;
}

/** Starts the render loop on `scope` (the worker's global scope) and tells the page it runs. */
export function startRenderWorker(scope: RenderWorkerScope): void {
  const post = (m: FromWorker) => scope.postMessage(m);
  const elements = new Map<number, Element>();
  /** Ids detached while their attach was still starting. */
  const gone = new Set<number>();
  /** The worker's renderers come from the same pool as the page's (one per backend, released when idle). */
  const acquire = (backend: BackendKind): Promise<SharedRenderer> => acquireSharedRenderer(backend, { offscreen: true });
  const release = releaseSharedRenderer;

  const attach = async ({ id, canvas, preference }: AttachMessage): Promise<void> => {
    gone.delete(id);
    let shared: SharedRenderer;
    try {
      shared = await startBackend(preference, acquire);
    } catch (err) {
      post({ type: 'failed', id, error: toVib3Error(err, 'RENDERER_INIT_FAILED', 'Nothing to do: the element renders on the main thread.').toDetail() });
      return;
    }
    if (gone.delete(id)) return release(shared);
    const ctx = (shared.presentsBitmaps ? canvas.getContext('bitmaprenderer', { alpha: false }) : canvas.getContext('2d', { alpha: false })) as FrameTarget | null;
    if (!ctx) {
      release(shared);
      post({ type: 'failed', id, error: new Vib3Error('RENDERER_INIT_FAILED', 'The transferred canvas gave no drawing context in the worker.', 'Nothing to do: the element renders on the main thread.').toDetail() });
      return;
    }
    const listener: SharedRendererListener = {
      contextLost: (reason) => post({ type: 'lost', id, reason }),
      contextRestored: () => post({ type: 'restored', id, backend: shared.backend }),
      recoveryFailed: (error) => post({ type: 'error', id, error: error.toDetail() }),
    };
    shared.attach(listener);
    elements.set(id, { id, canvas, ctx, shared, listener, mesh: new WorkerMesh(id, post), broken: false });
    post({ type: 'attached', id, backend: shared.backend });
  };

  const detach = (id: number): void => {
    const el = elements.get(id);
    if (!el) {
      gone.add(id);
      return;
    }
    elements.delete(id);
    freeRun.stop(id);
    el.mesh.dispose();
    el.shared.detach(el.listener);
    release(el.shared);
  };

  /** Draws a batch, flushes once; returns the ids drawn. */
  const draw = (frames: { id: number; frame: FrameState }[]): number[] => {
    const used = new Set<SharedRenderer>();
    const drawn: number[] = [];
    for (const { id, frame } of frames) {
      const el = elements.get(id);
      if (!el || el.broken) continue;
      try {
        const w = Math.max(1, Math.floor(frame.width));
        const h = Math.max(1, Math.floor(frame.height));
        if (el.canvas.width !== w) el.canvas.width = w;
        if (el.canvas.height !== h) el.canvas.height = h;
        if (el.shared.draw(frame, el.ctx, false, el.mesh.overlay(frame))) {
          used.add(el.shared);
          drawn.push(id);
        }
      } catch (err) {
        el.broken = true;
        post({ type: 'error', id, error: toVib3Error(err, 'RENDERER_INIT_FAILED', 'Reload the page; if it persists, try renderer="webgl2".').toDetail() });
      }
    }
    for (const shared of used) {
      try {
        shared.flush();
      } catch (err) {
        console.warn('[vib3] render worker: copying a frame failed', err);
      }
    }
    return drawn;
  };
  const freeRun = new FreeRunLoop({ draw, post });

  const snapshot = async ({ id, req, frame, mime, quality }: SnapshotRequest): Promise<void> => {
    const el = elements.get(id);
    try {
      if (!el) throw new Vib3Error('SNAPSHOT_FAILED', 'The element is not attached to the render worker.', 'Wait for vib3-ready and try again.');
      const w = Math.max(1, Math.round(frame.width));
      const h = Math.max(1, Math.round(frame.height));
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d', { alpha: false });
      if (!ctx || !el.shared.draw({ ...frame, width: w, height: h }, ctx, true, el.mesh.overlay(frame))) {
        throw new Vib3Error('SNAPSHOT_FAILED', 'The renderer is not ready (starting or recovering from a lost context).', 'Wait for vib3-ready (or vib3-context-restored) and try again.');
      }
      const blob = await canvas.convertToBlob({ type: mime, ...(quality !== undefined ? { quality } : {}) });
      post({ type: 'snapshot', id, req, blob });
    } catch (err) {
      post({ type: 'snapshot', id, req, error: toVib3Error(err, 'SNAPSHOT_FAILED', 'Use image/png, image/jpeg or image/webp.').toDetail() });
    }
  };

  const loseContext = async (): Promise<void> => {
    for (const shared of await sharedRenderers()) {
      const backend = shared?.threeRenderer?.backend as { device?: GPUDevice; gl?: WebGL2RenderingContext } | undefined;
      if (backend?.device) backend.device.destroy();
      else backend?.gl?.getExtension('WEBGL_lose_context')?.loseContext();
    }
  };

  scope.addEventListener('message', (e) => {
    const m = e.data;
    switch (m.type) {
      case 'attach':
        void attach(m);
        return;
      case 'frames':
      {
        // The page draws these elements again: their runs end (reported first, in order).
        for (const { id } of m.frames) freeRun.stop(id);
        const t0 = performance.now();
        let ms = 0;
        try {
          draw(m.frames);
        } finally {
          ms = performance.now() - t0;
          // Always answered: an unanswered batch would hold the page's frames back for good.
          if (m.presented) void afterPresent().then(() => post({ type: 'drawn', seq: m.seq, ms }));
          else post({ type: 'drawn', seq: m.seq, ms });
        }
      }
        return;
      case 'run':
        if (elements.has(m.id)) freeRun.start(m.id, m.frame, m.atMs);
        return;
      case 'stop':
        freeRun.stop(m.id);
        return;
      case 'visibility':
        freeRun.setHidden(m.hidden);
        return;
      case 'detach':
        detach(m.id);
        return;
      case 'snapshot':
        void snapshot(m);
        return;
      case 'defineMesh':
        try {
          registerMesh(m.mesh.name, m.mesh);
        } catch (err) {
          console.warn('[vib3] render worker: mesh refused', err);
        }
        return;
      case 'loseContext':
        void loseContext();
        return;
    }
  });
  post({ type: 'ready', animationFrames: freeRunSupported() });
}

/**
 * Resolves once frames drawn in this task are on screen: the canvases commit at the end of the
 * task, and the page shows them by the worker's second animation frame from now (a short timer
 * where workers have no requestAnimationFrame).
 */
function afterPresent(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  const next = () => new Promise<void>((resolve) => (raf ? raf.call(globalThis, () => resolve()) : setTimeout(resolve, 20)));
  return next().then(next);
}

/** The renderer for `preference` (`auto`: WebGPU, or WebGL2 when the WebGPU device fails to start). */
async function startBackend(preference: RendererPreference, acquire: (b: BackendKind) => Promise<SharedRenderer>): Promise<SharedRenderer> {
  const backend = await resolveBackend(preference);
  try {
    return await acquire(backend);
  } catch (err) {
    if (preference === 'auto' && backend === 'webgpu') return acquire('webgl2');
    throw err;
  }
}
