import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The accessible name of an element without `alt`. */
export const DEFAULT_ALT = 'Animated 4D geometry visual';

/**
 * The accessible label of one element: `role="img"` named by `alt` (or {@link DEFAULT_ALT} without
 * `alt`); `alt=""` makes the visual decorative: `role="presentation"` and no name. A role the
 * page set itself is kept.
 */
export class LabelController implements ReactiveController {
  /** The role this controller set itself (a role the page set is left alone). */
  private ownRole: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly alt: () => string | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.sync();
  }

  /** Applies `alt` (call when it changed). */
  sync(): void {
    const host = this.host;
    const alt = this.alt();
    const decorative = alt === '';
    const role = host.getAttribute('role');
    if (role === null || role === this.ownRole) {
      this.ownRole = decorative ? 'presentation' : 'img';
      if (role !== this.ownRole) host.setAttribute('role', this.ownRole);
    }
    if (decorative) host.removeAttribute('aria-label');
    else host.setAttribute('aria-label', alt ?? DEFAULT_ALT);
  }
}
