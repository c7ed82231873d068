import { Vib3Error } from '../core/errors.js';
import type { RendererContract } from './contract.js';
import type { FrameState } from './frame-state.js';

/**
 * Renders and encodes one frame of `view` at `width` x `height`: through the view's own
 * `snapshot` when it has one (the render worker encodes there), else through `renderOffscreen`.
 * Views that wrap another view (the worker's fallback, the handover) snapshot the one that draws now.
 * Rejects with a Vib3Error `SNAPSHOT_FAILED` when the view cannot draw offscreen or the type cannot be encoded.
 */
export function snapshotOfView(view: RendererContract, frame: FrameState, width: number, height: number, type: string, quality?: number): Promise<Blob> {
  if (view.snapshot) return view.snapshot(frame, width, height, type, quality);
  if (!view.renderOffscreen) {
    return Promise.reject(new Vib3Error('SNAPSHOT_FAILED', 'The renderer is not ready (starting or recovering from a lost context).', 'Wait for vib3-ready (or vib3-context-restored) and try again.'));
  }
  let canvas: HTMLCanvasElement;
  try {
    canvas = view.renderOffscreen(frame, width, height);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Vib3Error('SNAPSHOT_FAILED', `The browser could not encode ${type}.`, 'Use image/png, image/jpeg or image/webp.'))), type, quality),
  );
}
