/**
 * The page side of the render worker: starts the page's one worker (shared by every element that
 * renders off the main thread), routes its events to the element views, and posts every element's
 * frame in one message per page frame. At most {@link MAX_FRAMES_IN_FLIGHT} batches are unanswered:
 * while the worker is that far behind, frames are refused (the element stays dirty and offers its
 * newer frame next time), so a slow worker never builds a backlog and frame counts stay honest.
 * @module
 */
import { Vib3Error } from '../../core/errors.js';
import { customMeshes } from '../../geometry/custom-meshes.js';
import type { Mesh4 } from '../../geometry/mesh4.js';
import { spawnWorker, type WorkerLaunch } from '../../geometry/spawn-worker.js';
import type { BackendKind, RendererPreference } from '../contract.js';
import { requestFlush } from '../frame-flush.js';
import type { FrameState } from '../frame-state.js';
import type { ElementEvent, FromWorker, ToWorker } from './protocol.js';
import { renderWorkerUrl, renderWorkerUrlGeneration } from './render-worker-url.js';
import { noteWorkerBatch, noteWorkerPending } from './worker-load.js';

/** How long the page's render worker lives on without an element before it is stopped (its thread and heap freed), ms. */
export const WORKER_IDLE_MS = 30_000;
let idleMs = WORKER_IDLE_MS;

/** Tests only: how long an idle render worker lives on, ms. */
export function setRenderWorkerIdleMs(ms: number): void {
  idleMs = ms;
}

/** Frame batches posted and not yet drawn before the page waits for the worker. */
export const MAX_FRAMES_IN_FLIGHT = 2;
/** How long the worker script may take to load before the page renders on the main thread instead, ms. */
export const WORKER_START_TIMEOUT_MS = 60_000;

/** A worker animation frame later than this came late (a 60 Hz frame is 16.7 ms; the worker could not keep up), ms. */
const LATE_FRAME_MS = 20;

/** What the client tells an element view (events that are not replies). */
export interface RenderClientView {
  handle(event: ElementEvent): void;
  /** The worker drew `frames` frames of the element on its own. */
  ran(frames: number): void;
}

type Pending<T> = { resolve(value: T): void; reject(error: Vib3Error): void };

const fromDetail = (d: { code: string; message: string; suggestion: string }) => new Vib3Error(d.code as never, d.message, d.suggestion);

/** The page's connection to one render worker. */
export class RenderClient {
  /** The {@link renderWorkerUrlGeneration} this worker was started with. */
  readonly generation = renderWorkerUrlGeneration();
  /** Set when the worker cannot run: attaching rejects with it and elements render on the main thread. */
  broken: Vib3Error | undefined;
  private worker: Worker | undefined;
  private readonly started: Promise<void>;
  private readonly views = new Map<number, RenderClientView>();
  private readonly attaching = new Map<number, Pending<BackendKind>>();
  private readonly snapshots = new Map<number, Pending<Blob>>();
  private readonly queued = new Map<number, FrameState>();
  private readonly meshesSent = new Map<string, Mesh4>();
  private inFlight = 0;
  /** The worker can draw elements on its own (it has `requestAnimationFrame`). */
  private freeRuns = false;
  /** Elements the worker draws on its own now. */
  private readonly ownRuns = new Set<number>();
  private seq = 0;
  private req = 0;
  private launch: WorkerLaunch = 'module';
  private readonly url = renderWorkerUrl();

  constructor() {
    this.started = new Promise<void>((resolve, reject) => {
      const spawned = spawnWorker(this.url, 'vib3-render');
      this.launch = spawned.launch;
      if ('error' in spawned) {
        reject(this.giveUp(`the browser refused to start it (${spawned.error.name}: ${spawned.error.message})`));
        return;
      }
      const worker = (this.worker = spawned.worker);
      let ready = false;
      const timer = setTimeout(() => reject(this.giveUp(`its script did not start within ${WORKER_START_TIMEOUT_MS / 1000} s`)), WORKER_START_TIMEOUT_MS);
      worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
        if (e.data.type === 'ready') {
          ready = true;
          this.freeRuns = e.data.animationFrames;
          this.watchVisibility();
          clearTimeout(timer);
          resolve();
          return;
        }
        this.receive(e.data);
      });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        if (!ready) {
          clearTimeout(timer);
          reject(this.giveUp(`the script failed to load or threw: ${e.message || 'script error'}`));
        } else {
          console.warn('[vib3] render worker error:', e.message);
        }
      });
    });
    this.started.catch(() => undefined);
  }

  /** Resolves once the worker script runs; rejects with RENDERER_LOAD_FAILED when it cannot. */
  ready(): Promise<void> {
    return this.started;
  }

  /** Views attached (or attaching) to this worker. */
  get viewCount(): number {
    return this.views.size;
  }

  private giveUp(why: string): Vib3Error {
    if (this.broken) return this.broken;
    const where = this.url.href;
    const suggestion =
      this.launch === 'blob-trampoline'
        ? `${where} is on another origin, so the kit starts it from a blob: URL: allow \`worker-src blob:\` in the page's Content-Security-Policy, or serve render-worker.js from this page's origin and call setRenderWorkerUrl(url). Elements render on the main thread meanwhile.`
        : `Check that ${where} serves dist/render-worker.js as JavaScript and that the page's Content-Security-Policy allows it (worker-src 'self'), or call setRenderWorkerUrl(url). Elements render on the main thread meanwhile.`;
    this.broken = new Vib3Error('RENDERER_LOAD_FAILED', `The render worker could not be started: ${why}.`, suggestion);
    // Not an element error (the elements render on the main thread), but the page asked for the worker: say why once.
    console.warn(`[vib3] ${this.broken.code}: ${this.broken.message} ${suggestion}`);
    this.unwatchVisibility();
    this.worker?.terminate();
    this.worker = undefined;
    this.forgetPending();
    for (const p of [...this.attaching.values(), ...this.snapshots.values()]) p.reject(this.broken);
    this.attaching.clear();
    this.snapshots.clear();
    return this.broken;
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  /** Hands `canvas` to the worker for element `id`; resolves with the backend the worker started. */
  attach(id: number, view: RenderClientView, canvas: OffscreenCanvas, preference: RendererPreference): Promise<BackendKind> {
    if (this.broken) return Promise.reject(this.broken);
    clearTimeout(this.idleTimer);
    this.views.set(id, view);
    return new Promise<BackendKind>((resolve, reject) => {
      // A worker that never answers (a hung adapter request, a crash) must not leave the element waiting: it falls back.
      const timer = setTimeout(() => {
        if (this.attaching.get(id)?.reject !== fail) return;
        this.attaching.delete(id);
        fail(new Vib3Error('RENDERER_INIT_FAILED', `The render worker did not start a renderer within ${WORKER_START_TIMEOUT_MS / 1000} s.`, 'Nothing to do: the element renders on the main thread.'));
      }, WORKER_START_TIMEOUT_MS);
      const fail = (error: Vib3Error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.attaching.set(id, {
        resolve: (backend) => {
          clearTimeout(timer);
          resolve(backend);
        },
        reject: fail,
      });
      this.post({ type: 'attach', id, canvas, preference }, [canvas]);
    });
  }

  /** Releases element `id` in the worker. */
  detach(id: number): void {
    this.views.delete(id);
    this.queued.delete(id);
    this.ownRuns.delete(id);
    this.attaching.get(id)?.reject(new Vib3Error('RENDERER_INIT_FAILED', 'The element was disconnected while its renderer started.', 'Nothing to do.'));
    this.attaching.delete(id);
    this.post({ type: 'detach', id });
    if (this.views.size > 0) return;
    // A client replaced by a new worker URL ends with its last element; the page's own one after a while without any.
    if (current !== this) this.terminate();
    else this.scheduleRetire();
  }

  /**
   * Queues element `id`'s frame; all queued frames go to the worker in one message at the end of
   * the page frame. Returns false (nothing queued) while the worker is {@link MAX_FRAMES_IN_FLIGHT}
   * batches behind or not running.
   */
  queue(id: number, frame: FrameState): boolean {
    if (!this.worker || this.inFlight >= MAX_FRAMES_IN_FLIGHT) return false;
    this.sendMeshIfCustom(frame);
    this.queued.set(id, frame);
    this.ownRuns.delete(id);
    requestFlush(this.flush);
    return true;
  }

  /**
   * Lets the worker draw element `id` on its own from `frame` (its time was `frame.timeMs` at
   * `atMs`, epoch ms), advancing its clock with wall time: the page posts nothing per frame for it
   * until it queues a frame of it again (which ends the run) or calls {@link stopRun}. Returns false
   * where the worker cannot (no `requestAnimationFrame` there, not running).
   */
  run(id: number, frame: FrameState, atMs: number): boolean {
    if (!this.worker || !this.freeRuns) return false;
    // A frame of it still queued is older than this one (the worker would end the run with it).
    this.queued.delete(id);
    this.ownRuns.add(id);
    this.post({ type: 'run', id, frame, atMs });
    return true;
  }

  /** The worker stops drawing element `id` on its own. */
  stopRun(id: number): void {
    if (this.ownRuns.delete(id)) this.post({ type: 'stop', id });
  }

  /** Whether the worker draws element `id` on its own now. */
  isRunning(id: number): boolean {
    return this.ownRuns.has(id);
  }

  /**
   * Posts element `id`'s frame now (with any other queued frames) and resolves once the worker
   * drew it: the first frame, so that `vib3-ready` still means a frame is on screen.
   */
  drawNow(id: number, frame: FrameState): Promise<void> {
    this.sendMeshIfCustom(frame);
    this.queued.set(id, frame);
    this.ownRuns.delete(id);
    const seq = this.postFrames(true);
    if (seq === undefined) return Promise.reject(this.broken ?? new Vib3Error('RENDERER_INIT_FAILED', 'The render worker is not running.', 'Reload the page.'));
    return new Promise<void>((resolve) => {
      // Never wait for good: after the start timeout the element goes on (and reports what follows).
      const timer = setTimeout(() => {
        this.drawnWaiters.delete(seq);
        resolve();
      }, WORKER_START_TIMEOUT_MS);
      this.drawnWaiters.set(seq, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private readonly drawnWaiters = new Map<number, () => void>();
  /** When each frame batch in flight was posted (not first frames), ms. */
  private readonly postedAt = new Map<number, number>();

  private readonly flush = (): void => {
    if (this.inFlight < MAX_FRAMES_IN_FLIGHT) this.postFrames();
  };

  /** Posts every queued frame in one message; returns its sequence number. */
  private postFrames(presented = false): number | undefined {
    if (this.queued.size === 0 || !this.worker) return undefined;
    const frames = [...this.queued].map(([id, frame]) => ({ id, frame }));
    this.queued.clear();
    this.inFlight++;
    this.post({ type: 'frames', seq: ++this.seq, frames, ...(presented ? { presented } : {}) });
    // A first frame waits for the screen on purpose: its round trip says nothing about the worker's load.
    if (!presented) {
      this.postedAt.set(this.seq, performance.now());
      if (this.postedAt.size === 1) noteWorkerPending(this.postedAt.get(this.seq));
    }
    return this.seq;
  }

  /** Renders and encodes one frame of element `id` in the worker. */
  snapshot(id: number, frame: FrameState, mime: string, quality?: number): Promise<Blob> {
    if (!this.worker) return Promise.reject(this.broken ?? new Vib3Error('SNAPSHOT_FAILED', 'The render worker is not running.', 'Wait for vib3-ready and try again.'));
    this.sendMeshIfCustom(frame);
    const req = ++this.req;
    return new Promise<Blob>((resolve, reject) => {
      this.snapshots.set(req, { resolve, reject });
      this.post({ type: 'snapshot', id, req, frame, mime, ...(quality !== undefined ? { quality } : {}) });
    });
  }

  private idleTimer: ReturnType<typeof setTimeout> | undefined = undefined;

  /** Stops the page's worker once it had no element for {@link WORKER_IDLE_MS}; the next element starts a new one. */
  private scheduleRetire(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // A broken client stays: it answers at once that the worker cannot run (and warned once).
      if (this.views.size > 0 || this.broken || current !== this) return;
      current = undefined;
      this.terminate();
    }, idleMs);
  }

  /** Whether the worker thread runs (false once stopped or when it could not start). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker (a client replaced by a new worker URL, once no element uses it). */
  terminate(): void {
    this.unwatchVisibility();
    this.worker?.terminate();
    this.worker = undefined;
    this.forgetPending();
  }

  /** No batch will be answered any more: none counts as the worker's load. */
  private forgetPending(): void {
    if (this.postedAt.size === 0) return;
    this.postedAt.clear();
    if (current === this || current === undefined) noteWorkerPending(undefined);
  }

  /** The worker's own frames wait while the page is hidden (as the page's animation frames do). */
  private readonly onVisibility = (): void => this.post({ type: 'visibility', hidden: document.hidden });

  private watchVisibility(): void {
    if (typeof document === 'undefined') return;
    document.addEventListener('visibilitychange', this.onVisibility);
    if (document.hidden) this.onVisibility();
  }

  private unwatchVisibility(): void {
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** Tests only: makes the worker lose its GPU device / GL contexts. */
  loseContext(): void {
    this.post({ type: 'loseContext' });
  }

  /** Custom meshes live in the page's registry: the worker gets each one (again when replaced) before its first use. */
  private sendMeshIfCustom(frame: FrameState): void {
    const name = frame.mesh?.name;
    if (!name) return;
    const mesh = customMeshes().get(name);
    if (!mesh || this.meshesSent.get(name) === mesh) return;
    this.meshesSent.set(name, mesh);
    this.post({ type: 'defineMesh', mesh });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'drawn': {
        this.inFlight = Math.max(0, this.inFlight - 1);
        // The worker times its drawing; the round trip also counts what it does between tasks
        // (committing every canvas, which grows with the elements' sizes) and its queue.
        const posted = this.postedAt.get(message.seq);
        this.postedAt.delete(message.seq);
        noteWorkerBatch(posted === undefined ? message.ms : Math.max(message.ms, performance.now() - posted));
        noteWorkerPending(this.postedAt.size > 0 ? Math.min(...this.postedAt.values()) : undefined);
        this.drawnWaiters.get(message.seq)?.();
        this.drawnWaiters.delete(message.seq);
        this.flush();
        return;
      }
      case 'ran': {
        // Its own frames: the load is the drawing time, or the frame interval once frames come late.
        if (message.drawMs !== undefined) noteWorkerBatch(Math.max(message.drawMs, (message.intervalMs ?? 0) > LATE_FRAME_MS ? message.intervalMs! : 0));
        for (const [id, frames] of message.frames) this.views.get(id)?.ran(frames);
        return;
      }
      case 'attached':
      case 'failed': {
        const pending = this.attaching.get(message.id);
        this.attaching.delete(message.id);
        if (message.type === 'attached') pending?.resolve(message.backend);
        else pending?.reject(fromDetail(message.error));
        return;
      }
      case 'snapshot': {
        const pending = this.snapshots.get(message.req);
        this.snapshots.delete(message.req);
        if (message.blob) pending?.resolve(message.blob);
        else pending?.reject(fromDetail(message.error ?? { code: 'SNAPSHOT_FAILED', message: 'The render worker sent no image.', suggestion: 'Try again.' }));
        return;
      }
      default:
        this.views.get(message.id)?.handle(message);
    }
  }
}

let current: RenderClient | undefined;

/** The page's render worker client (started on first use; a new one after {@link setRenderWorkerUrl}). */
export function pageRenderClient(): RenderClient {
  if (!current || current.generation !== renderWorkerUrlGeneration()) {
    const old = current;
    current = new RenderClient();
    if (old && old.viewCount === 0) old.terminate();
  }
  return current;
}

/** The page's render worker client if one was started (diagnostics and tests). */
export function currentRenderClient(): RenderClient | undefined {
  return current;
}
