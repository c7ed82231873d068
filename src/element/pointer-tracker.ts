import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PointerState } from '../render/frame-state.js';

/** How fast the click pulse fades (ms time constant). */
const CLICK_DECAY_MS = 350;
/** How fast pointer influence eases in and out (ms time constant). */
const EASE_MS = 120;

/**
 * Tracks the pointer over an element: position shifts the lattice, a click pulses brightness.
 * Listeners are passive and removed on {@link PointerTracker.detach}. Given a lit host, it is
 * that host's controller: attached while the host is connected.
 */
export class PointerTracker implements ReactiveController {
  private x = 0.5;
  private y = 0.5;
  private inside = false;
  private strength = 0;
  private click = 0;
  private host: HTMLElement | undefined;

  /** @param changed Called whenever the pointer moved, entered, left or pressed. */
  constructor(
    private readonly owner?: ReactiveControllerHost & HTMLElement,
    private readonly changed?: () => void,
  ) {
    owner?.addController(this);
  }

  hostConnected(): void {
    if (this.owner) this.attach(this.owner);
  }

  hostDisconnected(): void {
    this.detach();
  }

  /** Starts listening on `host`. */
  attach(host: HTMLElement): void {
    this.detach();
    this.host = host;
    host.addEventListener('pointermove', this.onMove, { passive: true });
    host.addEventListener('pointerenter', this.onMove, { passive: true });
    host.addEventListener('pointerleave', this.onLeave, { passive: true });
    host.addEventListener('pointerdown', this.onDown, { passive: true });
  }

  /** Stops listening. */
  detach(): void {
    const host = this.host;
    if (!host) return;
    host.removeEventListener('pointermove', this.onMove);
    host.removeEventListener('pointerenter', this.onMove);
    host.removeEventListener('pointerleave', this.onLeave);
    host.removeEventListener('pointerdown', this.onDown);
    this.host = undefined;
  }

  /** True while the pointer state is still changing (needs animation frames). */
  get settling(): boolean {
    return this.click > 0.001 || Math.abs(this.strength - (this.inside ? 1 : 0)) > 0.001;
  }

  /** Advances easing by `dtMs` and returns the current state. */
  step(dtMs: number): PointerState {
    const k = 1 - Math.exp(-Math.max(0, dtMs) / EASE_MS);
    this.strength += ((this.inside ? 1 : 0) - this.strength) * k;
    this.click *= Math.exp(-Math.max(0, dtMs) / CLICK_DECAY_MS);
    if (this.click < 0.001) this.click = 0;
    return { x: this.x, y: this.y, strength: this.strength, click: this.click };
  }

  private onMove = (e: PointerEvent): void => {
    const rect = this.host!.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) return;
    this.x = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    this.y = Math.min(1, Math.max(0, (e.clientY - rect.top) / rect.height));
    this.inside = true;
    this.changed?.();
  };

  private onLeave = (): void => {
    this.inside = false;
    this.changed?.();
  };

  private onDown = (e: PointerEvent): void => {
    this.onMove(e);
    this.click = 1;
    this.changed?.();
  };
}
