/**
 * The check of a renderer extension's frame before the page sees it (what
 * `ExtensionHost.renderFrame` hands out; `renderer-view.ts` draws it).
 */
import { ExtensionError } from './errors.js';

/** The largest frame side a renderer extension may return, pixels. */
export const MAX_FRAME_SIDE = 4096;

/**
 * Checks what a renderer extension's `render()` returned — integer width and height in
 * 1..{@link MAX_FRAME_SIDE}, a `Uint8ClampedArray` of exactly width × height × 4 bytes — and
 * wraps it as ImageData (the pixels are not copied). Throws INVALID_ARGUMENTS otherwise.
 */
export function checkedFrame(id: string, output: unknown): ImageData {
  // Untrusted data: every field is checked before it is used.
  const out = output as { width: number; height: number; pixels: unknown } | null | undefined;
  const ok = out && Number.isInteger(out.width) && Number.isInteger(out.height) && out.width > 0 && out.height > 0 && out.width <= MAX_FRAME_SIDE && out.height <= MAX_FRAME_SIDE && out.pixels instanceof Uint8ClampedArray && out.pixels.length === out.width * out.height * 4;
  if (!ok) throw new ExtensionError('INVALID_ARGUMENTS', `${id} returned an invalid frame.`, 'render() must return { width, height, pixels: Uint8ClampedArray(width * height * 4) }.', id);
  return new ImageData(out.pixels as Uint8ClampedArray<ArrayBuffer>, out.width, out.height);
}
