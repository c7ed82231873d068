import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Vib3Error, toVib3Error } from '../core/errors.js';
import type { ActiveBackend, PresentationPath, RendererContract, RendererPreference } from '../render/contract.js';
import type { FrameState } from '../render/frame-state.js';
import { dispatchVib3Event } from './events.js';
import { frameScheduler } from './frame-scheduler.js';
import { loadRendererFactory } from './renderer-registry.js';
import { telemetry, telemetryOn, type TelemetrySpan } from '../telemetry/sink.js';

/** One frame in this many has its main-thread time recorded (`vib3.render.frame_time`) while telemetry is on. */
export const FRAME_TIME_SAMPLE_EVERY = 30;

/** Largest snapshot edge in pixels. */
export const MAX_SNAPSHOT_SIZE = 4096;

/** Options of {@link Vib3Canvas.snapshot}. */
export interface SnapshotOptions {
  /** MIME type, default `image/png`. */
  type?: string;
  /** Encoder quality 0..1 for lossy types. */
  quality?: number;
  /** Output width in pixels (default: the element's drawing-buffer width). */
  width?: number;
  /** Output height in pixels (default: the element's drawing-buffer height). */
  height?: number;
}

/** What the renderer lifecycle needs from its element. */
export interface RendererHooks {
  /** The element's visible canvas. */
  canvas(): HTMLCanvasElement;
  /** `renderer` as set now. */
  preference(): RendererPreference;
  /** Everything one frame at `width` x `height` needs. */
  frameState(width: number, height: number): FrameState;
  /** Whether a restart should start again at once (visible, or `loading="eager"`). */
  wanted(): boolean;
  /** The view is in place, before its first frame: size it, read the palette, activate it. */
  attached(view: RendererContract): void;
  /** Reports an error (`vib3-error`). */
  report(error: Vib3Error): void;
  /** The adaptive render scale now (telemetry's `vib3.render.scale`). */
  renderScale?(): number;
}

/**
 * The renderer lifecycle of one element: load the renderer factory, create and init a view,
 * draw the first frame and fire `vib3-ready`; stop, restart (a new `renderer`), fail to the
 * fallback slot; draw frames and count them; snapshots.
 */
export class RendererController implements ReactiveController {
  /** The running view, once started. */
  view: RendererContract | undefined = undefined;
  /** The backend in use, `none` when not running. */
  activeBackend: ActiveBackend | 'none' = 'none';
  /** The first frame is on screen. */
  ready = false;
  /** Frames drawn since the element was created. */
  frameCount = 0;
  /**
   * Set while the view draws the element on its own ({@link run}): the animation-frame time and
   * the element time it started from. Cleared by the next {@link draw}.
   */
  running: { readonly now: number; readonly time: number } | undefined = undefined;
  private changed = true;
  private starting: Promise<void> | undefined = undefined;
  private token = 0;
  /** The last start failed: no automatic retry until the renderer changes or the element reconnects. */
  private failed = false;
  /** Telemetry's span of a context loss in progress (lost → restored or failed). */
  private lossSpan: TelemetrySpan | undefined = undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly hooks: RendererHooks,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** How frames reach the visible canvas now (`none` when not running). */
  get presentation(): PresentationPath | 'none' {
    const view = this.view;
    if (!view) return 'none';
    return view.presentation ?? (view.backend === 'extension' ? 'extension' : view.backend === 'webgpu' ? 'bitmap' : 'atlas');
  }

  /** Something changed since the last frame drawn. Setting it wakes the page's frame loop. */
  get dirty(): boolean {
    return this.changed;
  }
  set dirty(value: boolean) {
    this.changed = value;
    if (value) frameScheduler.wake();
  }

  /** Running or starting. */
  get busy(): boolean {
    return this.view !== undefined || this.starting !== undefined;
  }

  /** Draws `frame` into the view; true (and counted) when something was drawn. */
  draw(frame: FrameState): boolean {
    const view = this.view;
    if (!view) return false;
    // Telemetry off: nothing measured, nothing allocated. On: one frame in FRAME_TIME_SAMPLE_EVERY is timed.
    const timed = this.frameCount % FRAME_TIME_SAMPLE_EVERY === FRAME_TIME_SAMPLE_EVERY - 1 && telemetryOn();
    const t0 = timed ? performance.now() : 0;
    this.running = undefined;
    if (!view.render(frame)) return false;
    this.changed = false;
    this.frameCount++;
    if (timed) telemetry().record('vib3.render.frame_time', performance.now() - t0, { 'vib3.render.backend': view.backend, 'vib3.render.scale': this.hooks.renderScale?.() ?? 1 });
    return true;
  }

  /**
   * Lets the view draw on its own from `frame` (the element only animates: see
   * {@link RendererContract.run}); `now` and `time` are the animation-frame time and element time
   * of `frame`. True when the view took it: the element then need not draw until something changes.
   */
  run(frame: FrameState, now: number): boolean {
    const view = this.view;
    if (!view?.run || !view.run(frame, performance.timeOrigin + now)) return false;
    this.running = { now, time: frame.timeMs };
    this.changed = false;
    return true;
  }

  /** Starts the renderer unless it runs, is starting, failed, or the element is not connected. */
  start(): void {
    if (this.view || this.starting || this.failed || !this.host.isConnected) return;
    const token = ++this.token;
    const host = this.host;
    const connectedAt = performance.now();
    this.starting = (async () => {
      await host.updateComplete;
      const canvas = this.hooks.canvas();
      let view: RendererContract | undefined;
      try {
        const factory = await loadRendererFactory().catch((err: unknown) => {
          throw toVib3Error(err, 'RENDERER_LOAD_FAILED', 'Check that the renderer chunk is served next to the kit (same folder as the entry file).');
        });
        view = factory(canvas, this.hooks.preference(), {
          onContextLost: (reason) => {
            this.lossSpan?.end();
            this.lossSpan = telemetryOn() ? telemetry().startSpan('vib3.render.context_loss', { 'vib3.render.backend': this.activeBackend === 'none' ? undefined : this.activeBackend, 'vib3.render.loss_reason': String(reason).slice(0, 64) }) : undefined;
            dispatchVib3Event(host, 'vib3-context-lost', { reason });
          },
          onContextRestored: (backend) => {
            this.dirty = true;
            this.lossSpan?.addEvent('vib3.render.context_restored', { 'vib3.render.backend': backend });
            this.lossSpan?.end();
            this.lossSpan = undefined;
            dispatchVib3Event(host, 'vib3-context-restored', { backend });
          },
          onError: (error) => {
            const failure = toVib3Error(error, 'CONTEXT_LOST', 'Reload the page to start the renderer again.');
            this.lossSpan?.fail(failure.code, failure.message);
            this.lossSpan?.end();
            this.lossSpan = undefined;
            this.fail(failure);
          },
          // Problems the view survives: a geometry worker restarted, an extension renderer's
          // frame refused (extension errors keep their code and suggestion).
          onWarning: (error) => this.hooks.report(toVib3Error(error, 'GEOMETRY_WORKER_FAILED', 'Nothing to do if it happens once.')),
          onInvalidate: () => {
            this.dirty = true;
          },
          onMeshUpdate: (detail) => dispatchVib3Event(host, 'vib3-mesh-update', detail),
          onPresentationChange: (path) => {
            if (view && this.view === view) host.dataset['presentation'] = path;
          },
          onFrames: (count) => {
            if (view && this.view === view) this.frameCount += count;
          },
        });
        await view.init();
        if (view.prepare && token === this.token) await view.prepare(this.hooks.frameState(canvas.width, canvas.height));
        if (token !== this.token) {
          view.dispose();
          return;
        }
        this.view = view;
        this.activeBackend = view.backend;
        host.removeAttribute('data-fallback');
        this.hooks.attached(view);
        this.draw(this.hooks.frameState(canvas.width, canvas.height));
        this.ready = true;
        host.setAttribute('data-live', '');
        const startupMs = performance.now() - connectedAt;
        host.dataset['startupMs'] = startupMs.toFixed(1);
        if (telemetryOn()) telemetry().record('vib3.render.first_frame', startupMs, { 'vib3.render.backend': view.backend });
        const presentation = this.presentation as PresentationPath;
        host.dataset['presentation'] = presentation;
        dispatchVib3Event(host, 'vib3-ready', { backend: view.backend as ActiveBackend, presentation });
        // The page's frame loop may rest while no element needs it: this one animates from now on.
        frameScheduler.wake();
      } catch (err) {
        view?.dispose();
        if (token !== this.token) return;
        this.fail(toVib3Error(err, 'RENDERER_INIT_FAILED', 'Try renderer="auto" or reload the page.'));
      } finally {
        if (token === this.token) this.starting = undefined;
      }
    })();
  }

  /** Releases the view (a later start may succeed again). */
  stop(): void {
    this.host.removeAttribute('data-live');
    this.token++;
    this.starting = undefined;
    this.release();
    this.failed = false;
  }

  /** Stops, and starts again when the element wants a renderer now. */
  restart(): void {
    this.stop();
    if (this.host.isConnected && this.hooks.wanted()) this.start();
  }

  /** Gives up: fallback slot, `vib3-error`, no automatic retry. */
  fail(error: Vib3Error): void {
    this.host.removeAttribute('data-live');
    this.release();
    this.failed = true;
    this.host.setAttribute('data-fallback', '');
    this.hooks.report(error);
  }

  /**
   * Renders the current frame at `width` x `height` (default: `fullSize()`, read once the start
   * settled), offscreen when the view can, else into the visible canvas, and encodes it.
   * Rejects with a Vib3Error when no backend is running.
   */
  async snapshot(options: SnapshotOptions, fullSize: () => readonly [number, number]): Promise<Blob> {
    const type = options.type ?? 'image/png';
    if (this.starting) await this.starting.catch(() => undefined);
    const view = this.view;
    if (!view || this.activeBackend === 'none') {
      throw new Vib3Error('SNAPSHOT_FAILED', 'The element has no running renderer.', 'Wait for vib3-ready; if the element shows its fallback, no backend is available.');
    }
    const canvas = this.hooks.canvas();
    const [fullWidth, fullHeight] = fullSize();
    const width = snapshotSize(options.width, fullWidth, 'width');
    const height = snapshotSize(options.height, fullHeight, 'height');
    if (view.snapshot) return view.snapshot(this.hooks.frameState(width, height), width, height, type, options.quality);
    let source: HTMLCanvasElement;
    if (view.renderOffscreen) {
      source = view.renderOffscreen(this.hooks.frameState(width, height), width, height);
    } else {
      view.render(this.hooks.frameState(canvas.width, canvas.height));
      source = canvas;
    }
    return new Promise<Blob>((resolve, reject) => {
      source.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Vib3Error('SNAPSHOT_FAILED', `The browser could not encode ${type}.`, 'Use image/png, image/jpeg or image/webp.'))),
        type,
        options.quality,
      );
    });
  }

  private release(): void {
    this.running = undefined;
    this.lossSpan?.end();
    this.lossSpan = undefined;
    const view = this.view;
    this.view = undefined;
    view?.dispose();
    delete this.host.dataset['presentation'];
    this.ready = false;
    this.activeBackend = 'none';
  }
}

function snapshotSize(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1 || value > MAX_SNAPSHOT_SIZE) {
    throw new Vib3Error('SNAPSHOT_FAILED', `snapshot ${name} must be between 1 and ${MAX_SNAPSHOT_SIZE}; got ${value}.`, `Pass a ${name} in pixels, e.g. 1024.`);
  }
  return Math.round(value);
}
