/** Something that draws on animation frames. */
export interface FrameClient {
  /** Called once per animation frame with the rAF timestamp. */
  frame(now: number): void;
}

/**
 * One requestAnimationFrame loop for every element on the page. The loop stops when no
 * element is registered, and the browser stops it for hidden tabs.
 */
class FrameScheduler {
  private clients = new Set<FrameClient>();
  private handle = 0;

  add(client: FrameClient): void {
    this.clients.add(client);
    if (!this.handle) this.handle = requestAnimationFrame(this.tick);
  }

  remove(client: FrameClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.handle) {
      cancelAnimationFrame(this.handle);
      this.handle = 0;
    }
  }

  private tick = (now: number): void => {
    this.handle = 0;
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
    if (this.clients.size > 0) this.handle = requestAnimationFrame(this.tick);
  };
}

/** The page-wide scheduler. */
export const frameScheduler = new FrameScheduler();
