import { median } from '../core/median.js';

/** Why a render scale changed. */
export type RenderScaleReason = 'over-budget' | 'headroom';

/** What the budget needs to know about an element. */
export interface BudgetClient {
  /** Current render scale (fraction of the full drawing-buffer resolution). */
  readonly renderScale: number;
  /** Larger is more important: visible area, focus and hover raise it. 0 = not rendering. */
  priority(): number;
  /** Applies a new scale. */
  setRenderScale(scale: number, reason: RenderScaleReason): void;
  /** True when the render worker draws this element (worker load then lowers only such elements). */
  offThread?(): boolean;
}

/** Lowest render scale the budget will use. */
export const MIN_RENDER_SCALE = 0.35;
/** Scale factor of one step. */
export const SCALE_STEP = 0.8;
/** A decision window ends after this many frames... */
export const WINDOW_FRAMES = 20;
/** ...or this much time, whichever comes first (slow pages must adapt in seconds, not minutes). */
export const WINDOW_MS = 500;

/** Share of the frame budget the kit may spend drawing on the main thread in one frame. */
export const DEFAULT_DRAW_SHARE = 1 / 3;
/**
 * The render worker has headroom below this share of the budget: one step up enlarges the area
 * drawn by 1/0.8² ≈ 1.56x, which must stay under the step-down threshold (1.15).
 */
const OFF_THREAD_HEADROOM = 0.6;
/** Pressure above which the budget lowers render scales. */
const OVER_PRESSURE = 1.15;
/** A frame's drawing may end this far past its slice (the last element started inside it). */
const SLICE_OVERRUN = 1.5;

/**
 * One page-wide frame budget shared by every element. Each frame the scheduler reports the
 * main-thread time spent drawing and the interval since the previous frame; once per window
 * (20 frames or 500 ms) the budget lowers the render scale of the least important elements while
 * over budget, and raises the most important one while there is headroom, waiting longer after
 * stepping up, so it never oscillates frame to frame.
 *
 * Two signals show a GPU that cannot keep up: frames arriving later than the budget (the
 * browser throttles animation frames), and drawing that blocks well past its slice (a backend
 * that waits for the GPU on the main thread).
 */
export class RenderBudget {
  /** Fraction (0..1] of the budget that drawing may take on the main thread in one frame. */
  drawShare = DEFAULT_DRAW_SHARE;

  private samples: { work: number; interval: number; offThread: number }[] = [];
  /** Time (sum of frame intervals) to wait after a change before the next decision. */
  private cooldownMs = 0;
  private cooldownFrames = 0;

  /** @param budgetMs Target time per frame (default: one 60 Hz frame). */
  constructor(public budgetMs = 1000 / 60) {}

  /**
   * Records one frame. `workMs`: main-thread time spent drawing; `intervalMs`: time since the
   * previous frame; `offThreadMs`: time the render worker spends drawing one frame (0 when no
   * element draws there). The worker has its own thread, so it may use the whole budget.
   */
  sample(workMs: number, intervalMs: number, offThreadMs = 0): void {
    this.samples.push({ work: workMs, interval: intervalMs, offThread: offThreadMs });
    if (this.samples.length > WINDOW_FRAMES) this.samples.shift();
    this.cooldownMs -= intervalMs;
    this.cooldownFrames--;
  }

  /** Whether the samples span a full window (20 frames, or 500 ms of at least 5 frames so medians drop stalls). */
  private get windowFull(): boolean {
    const span = this.samples.reduce((a, s) => a + s.interval, 0);
    return this.samples.length >= WINDOW_FRAMES || (this.samples.length >= 5 && span >= WINDOW_MS);
  }

  private cool(windows: number): void {
    this.cooldownMs = WINDOW_MS * windows;
    this.cooldownFrames = WINDOW_FRAMES * windows;
  }

  /** Main-thread drawing time allowed per frame, ms. */
  get sliceMs(): number {
    return this.budgetMs * this.drawShare;
  }

  /**
   * Pressure of the window: 1 is exactly on budget. The larger of the median frame interval over
   * the budget and the median drawing time over its (overrun-tolerant) slice. Medians, so a
   * one-off stall (a shader compiling, a tab switch) does not cost quality.
   */
  get pressure(): number {
    return Math.max(this.interval / this.budgetMs, this.work / (this.sliceMs * SLICE_OVERRUN), this.offThread / this.budgetMs);
  }

  /**
   * Whether the render worker, `loadMs` busy per frame, may draw elements on its own (the page then
   * takes no budget samples of them): to start, it must have the headroom in which adaptive
   * quality would raise scales; to go on, it must stay under the load at which it would lower them.
   */
  offThreadRoom(loadMs: number, starting: boolean): boolean {
    return loadMs < this.budgetMs * (starting ? OFF_THREAD_HEADROOM : OVER_PRESSURE);
  }

  /** Median drawing time of the render worker over the window, ms (0 without one). */
  get offThread(): number {
    return median(this.samples.map((s) => s.offThread));
  }

  /** Median drawing time of the window, ms. */
  get work(): number {
    return median(this.samples.map((s) => s.work));
  }

  /** Median frame interval of the window (capped at 250 ms), ms. At 60 Hz it never drops below ~16.7. */
  get interval(): number {
    return Math.min(median(this.samples.map((s) => s.interval)), 250);
  }

  /**
   * After a full window, decides what to change and applies it; returns the changes (for tests
   * and diagnostics). Over budget, the least important elements step down: one when slightly
   * over, more the further over (all of them at 3x the budget). With headroom, the most
   * important reduced element steps up, one at a time and after a longer wait. `clientList` may
   * be a function: it is called only when a decision is due (not on every frame).
   */
  adjust(clientList: readonly BudgetClient[] | (() => readonly BudgetClient[])): { client: BudgetClient; scale: number; reason: RenderScaleReason }[] | undefined {
    if (this.cooldownMs > 0 && this.cooldownFrames > 0) return undefined;
    if (!this.windowFull) return undefined;
    const pressure = this.pressure;
    const over = pressure > OVER_PRESSURE;
    // Frames arrive on time and no draw blocked: the frame interval is pinned to the display's
    // refresh, so this is as much headroom as can be seen.
    const headroom = !over && this.work < this.sliceMs * 1.2 && this.interval < this.budgetMs * 1.15 && this.offThread < this.budgetMs * OFF_THREAD_HEADROOM;
    if (!over && !headroom) return undefined;
    const clients = typeof clientList === 'function' ? clientList() : clientList;
    if (headroom && clients.every((c) => c.renderScale >= 1 - 1e-6)) {
      // The common case, every frame of a page with room to spare: nothing to raise. Priorities
      // (which read :focus-within and sizes) only to see whether anything is active at all.
      if (clients.some((c) => c.priority() > 0)) this.cool(2);
      return undefined;
    }
    // Priorities once per decision (sorting would otherwise ask each client many times).
    const active = clients.map((c) => ({ c, p: c.priority() })).filter((x) => x.p > 0);
    if (active.length === 0) return undefined;
    const byPriority = active.sort((a, b) => a.p - b.p).map((x) => x.c);
    const changes: { client: BudgetClient; scale: number; reason: RenderScaleReason }[] = [];
    if (over) {
      const overload = Math.min(1, (pressure - OVER_PRESSURE) / (3 - OVER_PRESSURE));
      // The render worker is what is over: only elements it draws can relieve it (and the other way round).
      const workerBound = this.offThread / this.budgetMs >= Math.max(this.interval / this.budgetMs, this.work / (this.sliceMs * SLICE_OVERRUN));
      const bound = byPriority.filter((c) => (c.offThread?.() ?? false) === workerBound);
      const pool = bound.length > 0 ? bound : byPriority;
      const count = Math.max(1, Math.ceil(pool.length * overload));
      for (const c of pool.filter((x) => x.renderScale > MIN_RENDER_SCALE + 1e-6).slice(0, count)) {
        changes.push({ client: c, scale: Math.max(MIN_RENDER_SCALE, +(c.renderScale * SCALE_STEP).toFixed(3)), reason: 'over-budget' });
      }
      this.cool(1);
    } else {
      const favourite = [...byPriority].reverse().find((c) => c.renderScale < 1 - 1e-6);
      if (favourite) changes.push({ client: favourite, scale: Math.min(1, +(favourite.renderScale / SCALE_STEP).toFixed(3)), reason: 'headroom' });
      this.cool(2);
    }
    if (changes.length === 0) return undefined;
    for (const ch of changes) ch.client.setRenderScale(ch.scale, ch.reason);
    this.samples = [];
    return changes;
  }
}
