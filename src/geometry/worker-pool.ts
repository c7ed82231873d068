import { wrap, releaseProxy, type Remote } from 'comlink';
import { Vib3Error } from '../core/errors.js';
import type { GeometryService, SliceRequest, SliceResult } from './service.js';
import { meshByName } from './mesh-catalog.js';
import { customMeshes } from './custom-meshes.js';
import type { KernelPreference } from './wasm-kernels.js';
import { geometryWorkerUrl, workerUrlGeneration } from './worker-url.js';
import { spawnWorker, type WorkerLaunch } from './spawn-worker.js';

/** Options of a {@link GeometryWorkerPool}. */
export interface GeometryPoolOptions {
  /** Worker script URL (default: {@link geometryWorkerUrl}). */
  url?: string | URL;
  /** Number of workers (default: hardwareConcurrency - 1, between 1 and 4). */
  size?: number;
  /** Kernel choice in the workers (default `auto`). */
  kernels?: KernelPreference;
  /** A request still running after this long counts as a hung worker, ms (default 5000). */
  timeoutMs?: number;
  /** Called when a worker failed and was restarted (the failed requests reject too). */
  onWorkerError?(error: Vib3Error): void;
}

/** Per-request options. */
export interface SliceOptions {
  /** Rejects with GEOMETRY_CANCELLED when aborted; a running request's result is dropped. */
  signal?: AbortSignal;
  /**
   * Requests with the same key supersede each other: a new one cancels the older one if it has
   * not started, and an older result arriving after a newer request was made is dropped.
   */
  key?: string;
}

interface Job {
  request: SliceRequest;
  resolve(r: SliceResult): void;
  reject(e: unknown): void;
  key?: string;
  seq: number;
  signal?: AbortSignal;
  done: boolean;
}

interface Slot {
  worker: Worker;
  api: Remote<GeometryService>;
  /** The worker loaded and answered its first call (a failure before that is a start failure). */
  started: boolean;
  /** Custom meshes this worker has received (by object, so a re-registered mesh is sent again). */
  meshes: Map<string, unknown>;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
}

/** Bytes a slice can need in a shared buffer (worst case: 2 triangles per tetrahedron, with normals, and a segment per triangle). */
function sliceCapacityBytes(request: SliceRequest): number {
  const m = meshByName(request.mesh, request.resolution);
  return ((m.tetrahedra.length / 4) * 2 * 9 * 2 + (m.triangles.length / 3) * 6) * 4;
}

/** Start failures in a row (no worker started in between) after which the pool gives up. */
export const MAX_START_FAILURES = 3;

const cancelled = (why: string) => new Vib3Error('GEOMETRY_CANCELLED', `The geometry request was cancelled: ${why}.`, 'Nothing to do: a newer request replaces it.');

/**
 * A pool of geometry workers (comlink over module workers). Requests queue and go to the first
 * free worker; results arrive as transferred arrays, or in SharedArrayBuffers (double-buffered per
 * key) when the page is cross-origin isolated. A worker that crashes or hangs is terminated,
 * its request rejected with GEOMETRY_WORKER_FAILED, and a fresh worker takes its place.
 */
export class GeometryWorkerPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private latest = new Map<string, number>();
  private seq = 0;
  private closed = false;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private shared = new Map<string, { buffers: [SharedArrayBuffer, SharedArrayBuffer]; next: 0 | 1 }>();
  private startFailures = 0;
  private launch: WorkerLaunch = 'module';
  /** Workers restarted after a crash or hang (diagnostics and tests). */
  restarts = 0;
  /**
   * Set when no worker can be started at all (refused by the page's CSP, a script that never
   * loads): every request then rejects with this error at once and no worker is started again.
   */
  unavailable: Vib3Error | undefined;

  constructor(private readonly options: GeometryPoolOptions = {}) {
    this.url = options.url ? new URL(options.url, globalThis.location?.href) : geometryWorkerUrl();
    this.timeoutMs = options.timeoutMs ?? 5000;
    const hw = globalThis.navigator?.hardwareConcurrency ?? 2;
    const size = options.size ?? Math.min(4, Math.max(1, hw - 1));
    if (!Number.isInteger(size) || size < 1 || size > 64) throw new RangeError(`pool size must be an integer in 1..64; got ${size}`);
    for (let i = 0; i < size && !this.unavailable; i++) {
      const slot = this.spawn();
      if (slot) this.slots.push(slot);
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** The workers (tests: kill one mid-request). */
  get workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /** Requests waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Starts a worker; undefined (and the pool unavailable) when the browser refuses to. */
  private spawn(): Slot | undefined {
    const spawned = spawnWorker(this.url, 'vib3-geometry');
    this.launch = spawned.launch;
    if ('error' in spawned) {
      this.giveUp(`the browser refused to start it (${spawned.error.name}: ${spawned.error.message})`);
      return undefined;
    }
    const { worker } = spawned;
    const api = wrap<GeometryService>(worker);
    const slot: Slot = { worker, api, meshes: new Map(), started: false };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.fail(slot, `the worker failed to load or threw: ${e.message || 'script error'}`, !slot.started);
    });
    void api.init(this.options.kernels ?? 'auto').then(
      () => {
        slot.started = true;
        this.startFailures = 0;
      },
      () => undefined,
    );
    return slot;
  }

  /** What a page can do when the worker cannot start, for the way it was started. */
  private startSuggestion(): string {
    const where = this.url.href;
    return this.launch === 'blob-trampoline'
      ? `The worker script ${where} is on another origin, so the kit starts it from a blob: URL: allow \`worker-src blob:\` and the kit's origin in \`script-src\` in the page's Content-Security-Policy, or serve geometry-worker.js from this page's origin and call setGeometryWorkerUrl(url). The lattice keeps rendering without the mesh.`
      : `Check that ${where} serves dist/geometry-worker.js as JavaScript and that the page's Content-Security-Policy allows it (worker-src 'self'), or call setGeometryWorkerUrl(url) with where you serve it. The lattice keeps rendering without the mesh.`;
  }

  /** No worker can be started: rejects everything now and later with one error. */
  private giveUp(why: string): void {
    if (this.unavailable) return;
    this.unavailable = new Vib3Error('GEOMETRY_WORKER_FAILED', `The geometry worker could not be started: ${why}.`, this.startSuggestion());
    for (const slot of this.slots) {
      if (slot.job) this.settle(slot.job, undefined, this.unavailable);
      this.release(slot);
      slot.api[releaseProxy]();
      slot.worker.terminate();
    }
    this.slots = [];
    for (const job of this.queue) this.settle(job, undefined, this.unavailable);
    this.queue = [];
    this.options.onWorkerError?.(this.unavailable);
  }

  /** Computes a cross-section in a worker. */
  slice(request: SliceRequest, options: SliceOptions = {}): Promise<SliceResult> {
    if (this.closed) return Promise.reject(new Vib3Error('GEOMETRY_WORKER_FAILED', 'The geometry pool was terminated.', 'Create a new pool.'));
    if (this.unavailable) return Promise.reject(this.unavailable);
    if (options.signal?.aborted) return Promise.reject(cancelled('aborted before it started'));
    const seq = ++this.seq;
    if (options.key !== undefined) {
      this.latest.set(options.key, seq);
      // Superseded: a queued request with the same key never runs.
      for (const old of this.queue.filter((j) => j.key === options.key)) this.settle(old, undefined, cancelled('superseded by a newer frame'));
      this.queue = this.queue.filter((j) => !j.done);
      if (globalThis.crossOriginIsolated) request = { ...request, shared: this.sharedBuffer(options.key, request) };
    }
    return new Promise<SliceResult>((resolve, reject) => {
      const job: Job = { request, resolve, reject, seq, done: false, ...(options.key !== undefined ? { key: options.key } : {}), ...(options.signal ? { signal: options.signal } : {}) };
      options.signal?.addEventListener('abort', () => this.settle(job, undefined, cancelled('aborted')), { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** The back buffer of a key's pair (cross-origin isolated pages); the front one is being read. */
  private sharedBuffer(key: string, request: SliceRequest): SharedArrayBuffer {
    const need = sliceCapacityBytes(request);
    let entry = this.shared.get(key);
    if (!entry || entry.buffers[0].byteLength < need) {
      entry = { buffers: [new SharedArrayBuffer(need), new SharedArrayBuffer(need)], next: 0 };
      this.shared.set(key, entry);
    }
    const buffer = entry.buffers[entry.next];
    entry.next = entry.next === 0 ? 1 : 0;
    return buffer;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      let job = this.queue.shift();
      while (job && job.done) job = this.queue.shift();
      if (!job) return;
      this.run(slot, job);
    }
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    slot.timer = setTimeout(() => this.fail(slot, `a request ran longer than ${this.timeoutMs} ms`), this.timeoutMs);
    const custom = customMeshes().get(job.request.mesh);
    const ready = custom && slot.meshes.get(custom.name) !== custom ? slot.api.defineMesh(custom).then(() => void slot.meshes.set(custom.name, custom)) : Promise.resolve();
    ready.then(() => slot.api.slice(job.request)).then(
      (result) => {
        if (slot.job !== job) return; // the worker was replaced meanwhile
        this.release(slot);
        // A result for a frame that a newer request superseded is dropped.
        if (job.key !== undefined && this.latest.get(job.key) !== job.seq) this.settle(job, undefined, cancelled('superseded by a newer frame'));
        else this.settle(job, result);
        this.pump();
      },
      (err) => {
        if (slot.job !== job) return;
        this.release(slot);
        this.settle(job, undefined, err instanceof Error ? err : new Error(String(err)));
        this.pump();
      },
    );
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.job = undefined;
  }

  private settle(job: Job, result?: SliceResult, error?: unknown): void {
    if (job.done) return;
    job.done = true;
    if (error !== undefined) job.reject(error);
    else job.resolve(result!);
  }

  /**
   * Terminates a failed worker, rejects its request and starts a replacement. `loading`: it
   * failed before it ever answered (its script did not load or threw while starting).
   */
  private fail(slot: Slot, why: string, loading = false): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    if (loading) {
      // It never started (a script that does not load, a CSP refusal reported as an event):
      // try again quietly, its request waiting at the front of the queue; give up after a few.
      if (++this.startFailures >= MAX_START_FAILURES) {
        this.giveUp(`${why} (${this.startFailures} attempts)`);
        return;
      }
      const waiting = slot.job;
      this.release(slot);
      slot.api[releaseProxy]();
      slot.worker.terminate();
      if (waiting && !waiting.done) this.queue.unshift(waiting);
      const next = this.spawn();
      if (!next) return;
      this.slots[index] = next;
      this.pump();
      return;
    }
    const error = new Vib3Error('GEOMETRY_WORKER_FAILED', `A geometry worker stopped: ${why}. It was restarted.`, 'Nothing to do if it happens once; if it repeats, check that the worker script URL serves dist/geometry-worker.js.');
    const job = slot.job;
    this.release(slot);
    slot.api[releaseProxy]();
    slot.worker.terminate();
    this.restarts++;
    const next = this.spawn();
    if (!next) return; // giveUp() settled everything
    this.slots[index] = next;
    if (job) this.settle(job, undefined, error);
    this.options.onWorkerError?.(error);
    this.pump();
  }

  /**
   * Kills a worker as a crash would (tests and diagnostics): its request rejects with
   * GEOMETRY_WORKER_FAILED and a new worker replaces it.
   */
  crash(index = 0): void {
    const slot = this.slots[index];
    if (slot) this.fail(slot, 'it was terminated');
  }

  /** Keeps worker `index` busy for `ms` outside the queue (tests: long-running work to cancel or kill). */
  spin(ms: number, index = 0): Promise<void> {
    const slot = this.slots[index];
    if (!slot) return Promise.reject(new RangeError(`no worker ${index} (pool size ${this.slots.length})`));
    return slot.api.spin(ms);
  }

  /** Stops every worker; pending requests reject. */
  terminate(): void {
    this.closed = true;
    for (const job of this.queue) this.settle(job, undefined, cancelled('the pool was terminated'));
    this.queue = [];
    for (const slot of this.slots) {
      if (slot.job) this.settle(slot.job, undefined, cancelled('the pool was terminated'));
      this.release(slot);
      slot.worker.terminate();
    }
  }
}

let pagePool: GeometryWorkerPool | undefined;
let pageGeneration = -1;

/**
 * The page's shared geometry pool, created on first use and again after
 * `setGeometryWorkerUrl()` changes the worker URL (an unavailable pool stays unavailable until then).
 */
export function geometryPool(): GeometryWorkerPool {
  if (pagePool && pageGeneration !== workerUrlGeneration()) {
    pagePool.terminate();
    pagePool = undefined;
  }
  if (!pagePool) {
    pageGeneration = workerUrlGeneration();
    pagePool = new GeometryWorkerPool();
  }
  return pagePool;
}
