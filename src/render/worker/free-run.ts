/**
 * Worker side of elements that animate on their own: the render worker draws them on its own
 * animation frames, advancing each one's clock with wall time, so that the page posts nothing per
 * frame for an element that only animates (its frame depends on its time alone). The page takes an
 * element back by posting a frame of it (a parameter, the pointer or its size changed).
 * @module
 */
import { median } from '../../core/median.js';
import { buildFrameState, type FrameState } from '../frame-state.js';
import { RAN_REPORT_MS, type FrameItem, type RanMessage } from './protocol.js';

/** What the loop needs from the worker. */
export interface FreeRunHost {
  /** Draws a batch of frames (then flushes once); returns the ids that were drawn. */
  draw(frames: FrameItem[]): number[];
  /** Posts a report to the page. */
  post(message: RanMessage): void;
}

interface Run {
  /** The element's frame when the run started. */
  readonly frame: FrameState;
  /** When `frame.timeMs` was the element's time, ms since the epoch. */
  readonly atMs: number;
  /** Frames drawn since the last report. */
  drawn: number;
}

type FrameRequest = (callback: (ts: number) => void) => number;

/** The worker's `requestAnimationFrame`, where it has one. */
function animationFrames(): FrameRequest | undefined {
  const raf = (globalThis as { requestAnimationFrame?: FrameRequest }).requestAnimationFrame;
  return typeof raf === 'function' ? raf.bind(globalThis) : undefined;
}

/** Whether this worker can draw elements on its own (it has `requestAnimationFrame`). */
export function freeRunSupported(): boolean {
  return animationFrames() !== undefined;
}

/** The element's frame at element time `timeMs`: the same inputs, the clock moved (no mesh layer). */
export function frameAt(frame: FrameState, timeMs: number): FrameState {
  return buildFrameState({ params: frame.params, timeMs, width: frame.width, height: frame.height, pointer: frame.pointer, audio: frame.audio });
}

/** Draws the elements that animate on their own, one batch per worker animation frame. */
export class FreeRunLoop {
  private readonly runs = new Map<number, Run>();
  private readonly raf = animationFrames();
  private scheduled = false;
  private hidden = false;
  private lastTs: number | undefined = undefined;
  private lastReport = 0;
  private drawTimes: number[] = [];
  private intervals: number[] = [];

  constructor(private readonly host: FreeRunHost) {}

  /** Elements drawn on their own now (diagnostics and tests). */
  get size(): number {
    return this.runs.size;
  }

  /** Element `id` animates on its own from `frame`, whose time was `frame.timeMs` at `atMs` (epoch ms). */
  start(id: number, frame: FrameState, atMs: number): void {
    if (!this.raf) return;
    this.report([id]);
    this.runs.set(id, { frame, atMs, drawn: 0 });
    this.schedule();
  }

  /** The page draws element `id` again (or it left): its frames drawn so far are reported at once. */
  stop(id: number): void {
    if (!this.runs.has(id)) return;
    this.report([id]);
    this.runs.delete(id);
  }

  /** The page was hidden (nothing drawn) or shown again. */
  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    this.lastTs = undefined;
    if (!hidden) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.raf || this.hidden || this.runs.size === 0) return;
    this.scheduled = true;
    this.raf(this.tick);
  }

  private readonly tick = (ts: number): void => {
    this.scheduled = false;
    if (this.hidden || this.runs.size === 0) {
      this.lastTs = undefined;
      return;
    }
    const now = performance.timeOrigin + ts;
    const items: FrameItem[] = [];
    for (const [id, run] of this.runs) items.push({ id, frame: frameAt(run.frame, run.frame.timeMs + Math.max(0, now - run.atMs)) });
    const t0 = performance.now();
    const drawn = this.host.draw(items);
    this.drawTimes.push(performance.now() - t0);
    if (this.lastTs !== undefined) this.intervals.push(ts - this.lastTs);
    this.lastTs = ts;
    for (const id of drawn) {
      const run = this.runs.get(id);
      if (run) run.drawn++;
    }
    if (now - this.lastReport >= RAN_REPORT_MS) this.report();
    this.schedule();
  };

  /** Reports the frames drawn since the last report: of `ids` only, or of every run with the loop's timing. */
  private report(ids?: number[]): void {
    const frames: [number, number][] = [];
    for (const id of ids ?? this.runs.keys()) {
      const run = this.runs.get(id);
      if (!run || run.drawn === 0) continue;
      frames.push([id, run.drawn]);
      run.drawn = 0;
    }
    if (ids) {
      if (frames.length > 0) this.host.post({ type: 'ran', frames });
      return;
    }
    this.lastReport = performance.timeOrigin + performance.now();
    this.host.post({ type: 'ran', frames, drawMs: median(this.drawTimes), intervalMs: median(this.intervals) });
    this.drawTimes = [];
    this.intervals = [];
  }
}
