/** Draws between checks whether the shared canvas can shrink. */
export const SHRINK_WINDOW_DRAWS = 240;

/** A canvas size: width, height. */
export type Size = readonly [number, number];

/**
 * Where the tiles of one frame go in the shared canvas: left to right on shelves, and how big the
 * canvas should be. Pure bookkeeping: the shared renderer resizes the canvas and copies the tiles.
 */
export class TileAtlas {
  /** Next free x, top of the current shelf, its height. */
  private shelfX = 0;
  private shelfY = 0;
  private shelfH = 0;
  /** Draws since the last shrink check, and the largest extent they used. */
  private drawsInWindow = 0;
  private windowMaxW = 1;
  private windowMaxH = 1;

  /** @param max Largest side the canvas grows to on this device. */
  constructor(public max: number) {}

  /** The next frame (or the frame after a flush) packs from the top-left corner again. */
  restart(): void {
    this.shelfX = this.shelfY = this.shelfH = 0;
  }

  /**
   * Whether a w x h tile fits in a `canvas`-sized canvas (moving to a new shelf when the current
   * one is full). When it does not, the caller flushes what is queued, resizes the canvas to
   * {@link grownSize} and calls {@link take}, which then starts at the top-left corner.
   */
  fits(w: number, h: number, canvas: Size): boolean {
    if (this.shelfX + w > canvas[0]) {
      this.shelfY += this.shelfH;
      this.shelfX = 0;
      this.shelfH = 0;
    }
    return this.shelfX + w <= canvas[0] && this.shelfY + h <= canvas[1];
  }

  /**
   * The size for a canvas that could not hold a w x h tile: at least the tile, and when the
   * frame's tiles outgrew it (`outgrown`), its smaller side doubled up to {@link max}, so that the
   * next frame fits in one batch.
   */
  grownSize(w: number, h: number, canvas: Size, outgrown: boolean): Size {
    let newW = Math.max(canvas[0], w);
    let newH = Math.max(canvas[1], h);
    if (outgrown) {
      if (newW <= newH && newW < this.max) newW = Math.min(this.max, newW * 2);
      else if (newH < this.max) newH = Math.min(this.max, newH * 2);
      else if (newW < this.max) newW = Math.min(this.max, newW * 2);
    }
    return [newW, newH];
  }

  /** Takes the room for a w x h tile (after {@link fits} said yes, or after a resize) and returns its corner. */
  take(w: number, h: number): Size {
    const x = this.shelfX;
    const y = this.shelfY;
    this.shelfX = x + w;
    this.shelfH = Math.max(this.shelfH, h);
    return [x, y];
  }

  /**
   * Notes a draw reaching `right` x `bottom`. Every {@link SHRINK_WINDOW_DRAWS} draws (when no tile
   * is queued), returns the smaller size the canvas should shrink to when nothing in the window
   * needed more than half of it (e.g. after a large snapshot, or after elements left).
   */
  noteExtent(right: number, bottom: number, canvas: Size, queued: boolean): Size | undefined {
    this.windowMaxW = Math.max(this.windowMaxW, right);
    this.windowMaxH = Math.max(this.windowMaxH, bottom);
    if (++this.drawsInWindow < SHRINK_WINDOW_DRAWS || queued) return undefined;
    const shrink: Size | undefined = this.windowMaxW * this.windowMaxH * 2 < canvas[0] * canvas[1] ? [this.windowMaxW, this.windowMaxH] : undefined;
    this.resetWindow();
    return shrink;
  }

  /** Starts a new shrink window (the canvas was just resized). */
  resetWindow(): void {
    this.drawsInWindow = 0;
    this.windowMaxW = 1;
    this.windowMaxH = 1;
  }
}
