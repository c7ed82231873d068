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
}

/** Lowest render scale the budget will use. */
export const MIN_RENDER_SCALE = 0.35;
/** Scale factor of one step. */
export const SCALE_STEP = 0.8;
/** Frames per decision window. */
export const WINDOW_FRAMES = 20;

/**
 * One page-wide frame budget shared by every element. Each frame the scheduler reports the
 * main-thread time spent drawing and the interval since the previous frame; once per window
 * the budget lowers the render scale of the least important element while over budget, and
 * raises the most important one while there is headroom. One step per window, and a longer
 * wait after stepping up, so it never oscillates frame to frame.
 */
export class RenderBudget {
  private samples: { work: number; interval: number }[] = [];
  private cooldown = 0;

  /** @param budgetMs Target time per frame (default: one 60 Hz frame). */
  constructor(public budgetMs = 1000 / 60) {}

  /** Records one frame. `workMs`: time spent drawing; `intervalMs`: time since the previous frame. */
  sample(workMs: number, intervalMs: number): void {
    this.samples.push({ work: workMs, interval: intervalMs });
    if (this.samples.length > WINDOW_FRAMES) this.samples.shift();
  }

  /** Average load of the window: the larger of drawing time and frame interval, in ms. */
  get load(): number {
    if (this.samples.length === 0) return 0;
    const work = this.samples.reduce((a, s) => a + s.work, 0) / this.samples.length;
    const interval = this.samples.reduce((a, s) => a + s.interval, 0) / this.samples.length;
    return Math.max(work, Math.min(interval, 250));
  }

  /** Decides (at most) one change after a full window; returns it for tests and diagnostics. */
  adjust(clients: readonly BudgetClient[]): { client: BudgetClient; scale: number; reason: RenderScaleReason } | undefined {
    if (this.cooldown > 0) {
      this.cooldown--;
      return undefined;
    }
    if (this.samples.length < WINDOW_FRAMES) return undefined;
    const active = clients.filter((c) => c.priority() > 0);
    if (active.length === 0) return undefined;
    const load = this.load;
    const byPriority = [...active].sort((a, b) => a.priority() - b.priority());
    let change: { client: BudgetClient; scale: number; reason: RenderScaleReason } | undefined;
    if (load > this.budgetMs * 1.15) {
      const victim = byPriority.find((c) => c.renderScale > MIN_RENDER_SCALE + 1e-6);
      if (victim) change = { client: victim, scale: Math.max(MIN_RENDER_SCALE, +(victim.renderScale * SCALE_STEP).toFixed(3)), reason: 'over-budget' };
      this.cooldown = WINDOW_FRAMES;
    } else if (load < this.budgetMs * 0.6) {
      const favourite = [...byPriority].reverse().find((c) => c.renderScale < 1 - 1e-6);
      if (favourite) change = { client: favourite, scale: Math.min(1, +(favourite.renderScale / SCALE_STEP).toFixed(3)), reason: 'headroom' };
      this.cooldown = WINDOW_FRAMES * 2;
    }
    if (change) {
      change.client.setRenderScale(change.scale, change.reason);
      this.samples = [];
    }
    return change;
  }
}
