/** Helpers for the element canvas a renderer view draws into. */

const transferred = new WeakSet<HTMLCanvasElement>();

/**
 * Hands `canvas` to an OffscreenCanvas (`transferControlToOffscreen`) and remembers it: the
 * canvas then shows what the OffscreenCanvas draws and can no longer be resized or given a context.
 * Throws like `transferControlToOffscreen` (InvalidStateError when it already has a context).
 */
export function transferCanvas(canvas: HTMLCanvasElement): OffscreenCanvas {
  const offscreen = canvas.transferControlToOffscreen();
  transferred.add(canvas);
  return offscreen;
}

/** True when `canvas` was handed to an OffscreenCanvas with {@link transferCanvas}. */
export function isTransferred(canvas: HTMLCanvasElement): boolean {
  return transferred.has(canvas);
}

/**
 * Sets a canvas's drawing-buffer size (at least 1 x 1), touching only what changed (a change clears
 * it). A transferred canvas is left alone (its OffscreenCanvas owns the size).
 */
export function resizeCanvas(canvas: HTMLCanvasElement, width: number, height: number): void {
  if (transferred.has(canvas)) return;
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
}

/**
 * Replaces `canvas` in the DOM by a fresh copy of itself (same attributes, part and size) and
 * returns it. A canvas keeps the first kind of context it was given; a view that needs another
 * kind (the renderer changed) starts over with a fresh canvas.
 */
export function replaceWithFreshCanvas(canvas: HTMLCanvasElement): HTMLCanvasElement {
  const fresh = canvas.cloneNode(false) as HTMLCanvasElement;
  fresh.width = canvas.width;
  fresh.height = canvas.height;
  canvas.replaceWith(fresh);
  return fresh;
}
