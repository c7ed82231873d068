import type { FrameState } from '../frame-state.js';
import type { MeshOverlay } from './mesh-layer.js';

/** Attributes the shown WebGL canvas takes over from the element's canvas (styling hooks, accessibility). */
const MIRRORED_ATTRIBUTES = ['part', 'aria-hidden', 'class'] as const;

/**
 * Direct presentation of one element: the page's shared WebGL2 canvas itself is shown inside the
 * element, next to the element's own 2D canvas (which is hidden and keeps its size, so the
 * element's bookkeeping is unchanged), and frames are drawn straight into it — no copy and no GPU
 * wait on the main thread. Moving the canvas in the DOM keeps its context: no context loss and no
 * shader recompilation when the element goes back to the atlas.
 *
 * This object only does the DOM work and remembers the owner's last frame; the shared renderer
 * decides when to present directly.
 */
export class DirectPresenter<Owner> {
  /** The element presented directly, if any. */
  owner: Owner | undefined = undefined;
  /** The owner's own (2D) canvas: hidden while the shared canvas stands in for it. */
  ownerCanvas: HTMLCanvasElement | undefined = undefined;
  /** The owner's last frame and mesh overlay (redrawn after a snapshot, copied out on leaving). */
  lastFrame: FrameState | undefined = undefined;
  lastOverlay: MeshOverlay | undefined = undefined;
  /** The shared canvas currently shown in the owner. */
  private shown: HTMLCanvasElement | undefined = undefined;
  /** The owner canvas's inline `display` before it was hidden. */
  private ownerDisplay = '';

  /** True when `canvas` can be shown in `owner` (both HTML canvases; the owner is in a document). */
  static canPresent(canvas: unknown, owner: HTMLCanvasElement): canvas is HTMLCanvasElement {
    return typeof HTMLCanvasElement !== 'undefined' && canvas instanceof HTMLCanvasElement && owner.isConnected && owner.parentNode !== null;
  }

  /** Shows `canvas` in place of `ownerCanvas` (nothing to do when it already is). */
  show(owner: Owner, ownerCanvas: HTMLCanvasElement, canvas: HTMLCanvasElement): void {
    if (this.owner === owner && this.ownerCanvas === ownerCanvas && this.shown === canvas && canvas.previousSibling === ownerCanvas) return;
    const frame = this.owner === owner ? this.lastFrame : undefined;
    const overlay = this.owner === owner ? this.lastOverlay : undefined;
    this.hide();
    for (const name of MIRRORED_ATTRIBUTES) {
      const value = ownerCanvas.getAttribute(name);
      if (value === null) canvas.removeAttribute(name);
      else canvas.setAttribute(name, value);
    }
    canvas.setAttribute('data-vib3-direct', '');
    ownerCanvas.after(canvas);
    this.ownerDisplay = ownerCanvas.style.display;
    ownerCanvas.style.display = 'none';
    this.owner = owner;
    this.ownerCanvas = ownerCanvas;
    this.shown = canvas;
    this.lastFrame = frame;
    this.lastOverlay = overlay;
  }

  /** Gives the owner its own canvas back (whose pixels the caller has brought up to date). */
  hide(): void {
    const owner = this.ownerCanvas;
    const canvas = this.shown;
    this.owner = undefined;
    this.ownerCanvas = undefined;
    this.shown = undefined;
    this.lastFrame = undefined;
    this.lastOverlay = undefined;
    if (owner) owner.style.display = this.ownerDisplay;
    if (canvas) {
      canvas.remove();
      canvas.removeAttribute('data-vib3-direct');
      for (const name of MIRRORED_ATTRIBUTES) canvas.removeAttribute(name);
    }
  }
}
