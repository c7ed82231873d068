import { RenderBudget, type BudgetClient } from './render-budget.js';

/** Something that draws on animation frames. */
export interface FrameClient {
  /** Called once per animation frame with the rAF timestamp. */
  frame(now: number): void;
  /** Present when the client takes part in adaptive quality. */
  readonly budget?: BudgetClient;
}

/**
 * One requestAnimationFrame loop for every element on the page. The loop stops when no
 * element is registered, and the browser stops it for hidden tabs.
 */
class FrameScheduler {
  private clients = new Set<FrameClient>();
  private handle = 0;
  private last: number | undefined;
  /** The page-wide frame budget shared by every element. */
  readonly budget = new RenderBudget();

  add(client: FrameClient): void {
    this.clients.add(client);
    if (!this.handle) this.handle = requestAnimationFrame(this.tick);
  }

  remove(client: FrameClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.handle) {
      cancelAnimationFrame(this.handle);
      this.handle = 0;
      this.last = undefined;
    }
  }

  private tick = (now: number): void => {
    this.handle = 0;
    const start = performance.now();
    for (const client of [...this.clients]) {
      try {
        client.frame(now);
      } catch (err) {
        // One element's failure must not stop the others.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
    const work = performance.now() - start;
    if (this.last !== undefined) this.budget.sample(work, now - this.last);
    this.last = now;
    this.budget.adjust([...this.clients].flatMap((c) => (c.budget ? [c.budget] : [])));
    if (this.clients.size > 0) this.handle = requestAnimationFrame(this.tick);
    else this.last = undefined;
  };
}

/** The page-wide scheduler. */
export const frameScheduler = new FrameScheduler();

/**
 * Sets the page-wide frame budget in milliseconds (default 16.7, one 60 Hz frame). Elements
 * lower their render scale while drawing takes longer, least important first, and raise it again
 * when there is headroom, most important first.
 */
export function setFrameBudget(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`frame budget must be a positive number of ms; got ${ms}`);
  frameScheduler.budget.budgetMs = ms;
}
