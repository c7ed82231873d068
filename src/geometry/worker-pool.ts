import { wrap, releaseProxy, type Remote } from 'comlink';
import { Vib3Error } from '../core/errors.js';
import type { GeometryService, SliceRequest, SliceResult } from './service.js';
import { meshByName } from './mesh-catalog.js';
import { customMeshes } from './custom-meshes.js';
import type { KernelPreference } from './wasm-kernels.js';
import { geometryWorkerUrl } from './worker-url.js';

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
  /** Workers restarted after a crash or hang (diagnostics and tests). */
  restarts = 0;

  constructor(private readonly options: GeometryPoolOptions = {}) {
    this.url = options.url ? new URL(options.url, globalThis.location?.href) : geometryWorkerUrl();
    this.timeoutMs = options.timeoutMs ?? 5000;
    const hw = globalThis.navigator?.hardwareConcurrency ?? 2;
    const size = options.size ?? Math.min(4, Math.max(1, hw - 1));
    if (!Number.isInteger(size) || size < 1 || size > 64) throw new RangeError(`pool size must be an integer in 1..64; got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
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

  private spawn(): Slot {
    const worker = new Worker(this.url, { type: 'module', name: 'vib3-geometry' });
    const api = wrap<GeometryService>(worker);
    const slot: Slot = { worker, api, meshes: new Map() };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.fail(slot, `the worker failed to load or threw: ${e.message || 'script error'}`);
    });
    void api.init(this.options.kernels ?? 'auto').catch(() => undefined);
    return slot;
  }

  /** Computes a cross-section in a worker. */
  slice(request: SliceRequest, options: SliceOptions = {}): Promise<SliceResult> {
    if (this.closed) return Promise.reject(new Vib3Error('GEOMETRY_WORKER_FAILED', 'The geometry pool was terminated.', 'Create a new pool.'));
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

  /** Terminates a failed worker, rejects its request and starts a replacement. */
  private fail(slot: Slot, why: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    const error = new Vib3Error('GEOMETRY_WORKER_FAILED', `A geometry worker stopped: ${why}. It was restarted.`, 'Nothing to do if it happens once; if it repeats, check that the worker script URL serves dist/geometry-worker.js.');
    const job = slot.job;
    this.release(slot);
    slot.api[releaseProxy]();
    slot.worker.terminate();
    this.restarts++;
    this.slots[index] = this.spawn();
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

/** The page's shared geometry pool, created on first use. */
export function geometryPool(): GeometryWorkerPool {
  pagePool ??= new GeometryWorkerPool();
  return pagePool;
}
