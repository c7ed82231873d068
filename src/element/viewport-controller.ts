import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FrameState } from '../render/frame-state.js';
import { resizeCanvas } from '../render/canvas-target.js';
import { dispatchVib3Event } from './events.js';
import type { BudgetClient, RenderScaleReason } from './render-budget.js';
import type { RendererController } from './renderer-controller.js';

/** Device-pixel-ratio cap for the drawing buffer. */
export const MAX_DPR = 2;

/** What sizing and visibility need from their element. */
export interface ViewportHooks {
  /** The element's visible canvas, once rendered. */
  canvas(): HTMLCanvasElement | null;
  /** Everything one frame at `width` x `height` needs. */
  frameState(width: number, height: number): FrameState;
}

/**
 * Size, visibility and frame budget of one element: a `ResizeObserver` sizes the drawing buffer
 * (DPR capped at {@link MAX_DPR}, times the adaptive render scale), an `IntersectionObserver`
 * starts the renderer lazily and pauses it off screen, hover and focus raise its budget priority.
 */
export class ViewportController implements ReactiveController {
  /** CSS size of the element, as last measured. */
  cssWidth = 0;
  cssHeight = 0;
  /** Intersecting the viewport. */
  visible = false;
  /** The intersection observer has reported at least once (until then `visible` is a guess). */
  observed = false;
  /** Fraction of the element in view. */
  private visibleRatio = 0;
  private hovered = false;
  /** Fraction of the full drawing-buffer resolution rendered. */
  renderScale = 1;
  /** Drawing-buffer size last applied (the canvas's own size is frozen once it renders in a worker). */
  bufferWidth = 0;
  bufferHeight = 0;
  private resize: ResizeObserver | undefined = undefined;
  private intersection: IntersectionObserver | undefined = undefined;

  /** How the page-wide frame budget sees this element (adaptive quality). */
  readonly budget: BudgetClient;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly renderer: RendererController,
    private readonly hooks: ViewportHooks,
  ) {
    host.addController(this);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const viewport = this;
    this.budget = {
      get renderScale(): number {
        return viewport.renderScale;
      },
      priority: () => this.priority(),
      setRenderScale: (scale, reason) => this.setRenderScale(scale, reason),
      offThread: () => this.renderer.presentation === 'worker',
    };
  }

  hostConnected(): void {
    this.resize = new ResizeObserver(() => this.measure());
    this.resize.observe(this.host);
    this.host.addEventListener('pointerenter', this.onEnter);
    this.host.addEventListener('pointerleave', this.onLeave);
    // Thresholds let the frame budget see how much of the element is visible.
    this.intersection = new IntersectionObserver(this.onIntersect, { threshold: [0, 0.25, 0.5, 0.75, 1] });
    this.intersection.observe(this.host);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('pointerenter', this.onEnter);
    this.host.removeEventListener('pointerleave', this.onLeave);
    this.resize?.disconnect();
    this.intersection?.disconnect();
    this.resize = undefined;
    this.intersection = undefined;
    this.observed = false;
  }

  /** Full-resolution drawing-buffer size (snapshots ignore the render scale). */
  fullSize(): readonly [number, number] {
    const dpr = Math.min(globalThis.devicePixelRatio || 1, MAX_DPR);
    return [Math.max(1, Math.round(this.cssWidth * dpr)), Math.max(1, Math.round(this.cssHeight * dpr))];
  }

  /** Reads the element's CSS size and sizes the drawing buffer. */
  measure(): void {
    const rect = this.host.getBoundingClientRect();
    this.cssWidth = rect.width;
    this.cssHeight = rect.height;
    this.applySize();
  }

  private applySize(): void {
    const canvas = this.hooks.canvas();
    if (!canvas) return;
    const dpr = Math.min(globalThis.devicePixelRatio || 1, MAX_DPR) * this.renderScale;
    const w = Math.max(1, Math.round(this.cssWidth * dpr));
    const h = Math.max(1, Math.round(this.cssHeight * dpr));
    // A canvas handed to the render worker keeps its size at transfer time: the last applied size counts.
    const changed = w !== this.bufferWidth || h !== this.bufferHeight;
    this.bufferWidth = w;
    this.bufferHeight = h;
    const renderer = this.renderer;
    if (renderer.view) renderer.view.resize(w, h);
    else resizeCanvas(canvas, w, h);
    renderer.dirty = true;
    // Resizing clears the canvas: draw again now, so no blank frame is ever shown.
    if (changed && renderer.ready && this.visible) renderer.draw(this.hooks.frameState(w, h));
  }

  // Visible CSS area, doubled while focused, 1.5x while hovered; 0 when not rendering.
  private priority(): number {
    if (!this.renderer.ready || !this.visible || document.hidden) return 0;
    return this.cssWidth * this.cssHeight * Math.max(this.visibleRatio, 0.01) * (this.host.matches(':focus-within') ? 2 : 1) * (this.hovered ? 1.5 : 1);
  }

  private setRenderScale(scale: number, reason: RenderScaleReason): void {
    if (scale === this.renderScale) return;
    this.renderScale = scale;
    this.applySize();
    dispatchVib3Event(this.host, 'vib3-render-scale', { scale, reason });
  }

  private onIntersect = (entries: IntersectionObserverEntry[]): void => {
    const entry = entries[entries.length - 1];
    this.visible = entry ? entry.isIntersecting : false;
    this.observed = true;
    this.visibleRatio = entry ? entry.intersectionRatio : 0;
    this.renderer.view?.setActive(this.visible);
    if (this.visible) {
      this.renderer.dirty = true;
      this.renderer.start();
    }
  };

  private onEnter = (): void => {
    this.hovered = true;
  };

  private onLeave = (): void => {
    this.hovered = false;
  };
}
