import type { RendererController } from './renderer-controller.js';

/** Longest step of the clock between two animation frames (a stalled tab resumes where it was), ms. */
export const MAX_FRAME_STEP_MS = 250;

/**
 * The clock of one element (its `time`, ms). It moves with the page's animation frames while the
 * element animates, and with wall time while the render worker draws the element on its own
 * ({@link RendererController.running}), when the element skips its frames: {@link sync} brings it
 * up to date at any moment, so `time`, snapshots and the next main-thread frame read the instant
 * the worker draws.
 */
export class ElementClock {
  private lastNow: number | undefined = undefined;

  constructor(
    /** The element's option values: `time` is advanced in place. */
    private readonly values: { time: number },
    private readonly renderer: RendererController,
    /** Whether the clock moves now (not paused, no reduced motion). */
    private readonly animating: () => boolean,
  ) {}

  /** An animation frame at `now`: returns the step since the previous one (capped), ms. */
  step(now: number): number {
    const dt = this.lastNow === undefined ? 0 : Math.min(now - this.lastNow, MAX_FRAME_STEP_MS);
    this.lastNow = now;
    return dt;
  }

  /** Moves the clock to the animation frame at `now`, `dt` after the previous one (while animating). */
  advance(now: number, dt: number): void {
    if (!this.animating()) return;
    const running = this.renderer.running;
    this.values.time = running ? running.time + Math.max(0, now - running.now) : this.values.time + dt;
  }

  /** Brings the clock up to date while the render worker moves it. */
  sync(): void {
    const running = this.renderer.running;
    if (running && this.animating()) this.values.time = running.time + Math.max(0, performance.now() - running.now);
  }

  /** The worker stopped drawing the element (it left the screen): the clock stops where it is now. */
  stopRun(): void {
    if (!this.renderer.running) return;
    this.sync();
    this.renderer.running = undefined;
  }

  /** `time` was set: the clock no longer runs on from where the worker took it. */
  jumped(): void {
    this.renderer.running = undefined;
  }

  /** `paused` changed: the next frame moves the clock by nothing. */
  restart(): void {
    this.lastNow = undefined;
  }
}
