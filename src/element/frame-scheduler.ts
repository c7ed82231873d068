import { DEFAULT_DRAW_SHARE, RenderBudget, type BudgetClient } from './render-budget.js';
import { workerLoadMs } from '../render/worker/worker-load.js';
import { flushFrame } from '../render/frame-flush.js';

export { DEFAULT_DRAW_SHARE };

/**
 * While every element rests, the loop checks on them this often (re-reading palette tokens that
 * change without an announcement, and anything a wake-up was missed for), ms.
 */
export const REST_CHECK_MS = 500;

/** Something that draws on animation frames. */
export interface FrameClient {
  /**
   * Called once per animation frame with the rAF timestamp. Returns false when the client rests:
   * it needs no frame until something changes (which calls {@link FrameScheduler.wake}).
   */
  frame(now: number): boolean | void;
  /** Present when the client takes part in adaptive quality. */
  readonly budget?: BudgetClient;
}

/**
 * One requestAnimationFrame loop for every element on the page. The loop stops when no
 * element is registered, and the browser stops it for hidden tabs.
 *
 * Each frame the elements draw in turn until the frame's drawing slice (a share of the page-wide
 * frame budget) is used up; the ones left over go first in the next frame. A page with many
 * elements therefore never holds the main thread longer than its slice plus one element's draw:
 * each element's frame rate drops instead of the host's.
 *
 * When every element rests (paused, off screen, or drawn by the render worker on its own), the
 * loop stops requesting animation frames: the page pays nothing per frame. It checks on them every
 * {@link REST_CHECK_MS}, and anything that changes an element (a parameter, the pointer, its size,
 * a restored context) wakes it at once.
 */
class FrameScheduler {
  private clients = new Set<FrameClient>();
  private handle = 0;
  /** Set while the loop rests: the timer of its next check. */
  private restTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Inside a frame (a wake-up then only keeps the loop running). */
  private ticking = false;
  private wokenInTick = false;
  private last: number | undefined;
  /** Index (into the client list) of the element that draws first next frame. */
  private cursor = 0;
  /** How many elements were called in the last frame (diagnostics and tests). */
  lastFrameDraws = 0;
  /** The page-wide frame budget shared by every element. */
  readonly budget = new RenderBudget();

  add(client: FrameClient): void {
    this.clients.add(client);
    this.wake();
  }

  remove(client: FrameClient): void {
    this.clients.delete(client);
    if (this.clients.size > 0) return;
    if (this.handle) cancelAnimationFrame(this.handle);
    this.handle = 0;
    clearTimeout(this.restTimer);
    this.restTimer = undefined;
    this.last = undefined;
  }

  /**
   * Whether the render worker has room to draw an element on its own now (`starting` one, or
   * going on with one): its recent load against the page's frame budget.
   */
  workerHasRoom(starting: boolean): boolean {
    return this.budget.offThreadRoom(workerLoadMs(), starting);
  }

  /** Whether the loop rests now (every element rested in its last frame). */
  get resting(): boolean {
    return this.restTimer !== undefined;
  }

  /** Something changed: the elements get an animation frame soon (a no-op while the loop runs). */
  wake(): void {
    if (this.ticking) {
      this.wokenInTick = true;
      return;
    }
    if (this.handle || this.clients.size === 0) return;
    clearTimeout(this.restTimer);
    this.restTimer = undefined;
    this.handle = requestAnimationFrame(this.tick);
  }

  private readonly budgetClients = (): BudgetClient[] => [...this.clients].flatMap((c) => (c.budget ? [c.budget] : []));

  private tick = (now: number): void => {
    this.handle = 0;
    this.ticking = true;
    this.wokenInTick = false;
    const start = performance.now();
    const clients = [...this.clients];
    const slice = this.budget.sliceMs;
    const first = clients.length ? this.cursor % clients.length : 0;
    let called = 0;
    let resting = 0;
    for (; called < clients.length; called++) {
      // At least one element draws every frame, however small the slice.
      if (called > 0 && performance.now() - start >= slice) break;
      try {
        if (clients[(first + called) % clients.length]!.frame(now) === false) resting++;
      } catch (err) {
        // One element's failure must not stop the others.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
    // Copies batched by the renderer (one GPU wait for the whole frame) count as drawing.
    flushFrame();
    this.cursor = clients.length ? (first + called) % clients.length : 0;
    this.lastFrameDraws = called;
    const work = performance.now() - start;
    if (this.last !== undefined) this.budget.sample(work, now - this.last, workerLoadMs());
    this.last = now;
    try {
      this.budget.adjust(this.budgetClients);
    } finally {
      this.ticking = false;
    }
    if (this.clients.size === 0) {
      this.last = undefined;
    } else if (resting === clients.length && !this.wokenInTick) {
      // Nothing to draw on the main thread: no animation frames until a change or the next check.
      // The gap is no frame interval (the budget must not read it as a slow page).
      this.last = undefined;
      this.restTimer = setTimeout(() => {
        this.restTimer = undefined;
        this.wake();
      }, REST_CHECK_MS);
    } else {
      this.handle = requestAnimationFrame(this.tick);
    }
  };
}

/** The page-wide scheduler. */
export const frameScheduler = new FrameScheduler();

/** Options of {@link setFrameBudget}. */
export interface FrameBudgetOptions {
  /**
   * Fraction (0..1] of the budget the kit may spend drawing on the main thread in one frame
   * (default {@link DEFAULT_DRAW_SHARE}, 1/3; every call sets it). When drawing every element
   * would take longer, elements take turns.
   */
  drawShare?: number;
}

/**
 * Sets the page-wide frame budget in milliseconds (default 16.7, one 60 Hz frame). Elements
 * lower their render scale while frames take longer, least important first, and raise it again
 * when there is headroom, most important first. Drawing takes at most `drawShare` of the budget
 * per frame on the main thread; beyond that, elements take turns.
 */
export function setFrameBudget(ms: number, options: FrameBudgetOptions = {}): void {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`frame budget must be a positive number of ms; got ${ms}`);
  const share = options.drawShare ?? DEFAULT_DRAW_SHARE;
  if (!Number.isFinite(share) || share <= 0 || share > 1) throw new RangeError(`drawShare must be in (0, 1]; got ${share}`);
  frameScheduler.budget.budgetMs = ms;
  frameScheduler.budget.drawShare = share;
}
