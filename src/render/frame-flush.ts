/**
 * Deferred work that must finish before the browser paints: the shared renderer queues the
 * copies of a frame's elements here, so that one GPU wait serves every element drawn in the
 * frame. The frame scheduler flushes at the end of its frame (and counts the time as drawing);
 * draws made outside it (a resize, a snapshot) are flushed in a microtask, still before paint.
 */
const pending = new Set<() => void>();
let microtaskQueued = false;

/** Runs `flush` before this task ends (or earlier, at {@link flushFrame}). Idempotent per function. */
export function requestFlush(flush: () => void): void {
  pending.add(flush);
  if (microtaskQueued) return;
  microtaskQueued = true;
  queueMicrotask(() => {
    microtaskQueued = false;
    flushFrame();
  });
}

/** Runs every pending flush now. One failing flush does not stop the others. */
export function flushFrame(): void {
  for (const flush of [...pending]) {
    pending.delete(flush);
    try {
      flush();
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
