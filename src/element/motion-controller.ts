import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MotionPreference } from './options.js';

/**
 * Motion preference of one element: `motion="auto"` follows `prefers-reduced-motion` live,
 * `reduce` and `full` override it. Mirrors the effective choice as `data-reduced-motion`
 * (the poster cross-fade uses it).
 */
export class MotionController implements ReactiveController {
  private query: MediaQueryList | undefined = undefined;
  /** The query's answer, kept up to date by its change event (read every frame: `matches` is not free). */
  private prefersReduced = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly preference: () => MotionPreference,
    private readonly changed: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.query = matchMedia('(prefers-reduced-motion: reduce)');
    this.query.addEventListener('change', this.onChange);
    this.prefersReduced = this.query.matches;
    this.sync();
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.onChange);
  }

  /** True when the element keeps a still frame. */
  get reduced(): boolean {
    const preference = this.preference();
    if (preference === 'reduce') return true;
    if (preference === 'full') return false;
    return this.prefersReduced;
  }

  /** Updates `data-reduced-motion` (after the `motion` option or the media query changed). */
  sync(): void {
    this.host.toggleAttribute('data-reduced-motion', this.reduced);
  }

  private onChange = (): void => {
    this.prefersReduced = this.query?.matches ?? false;
    this.changed();
    this.sync();
  };
}
