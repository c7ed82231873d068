import { createContext, ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Vib3Canvas } from '../src/element/vib3-canvas.js';
import { resolveTarget } from './shared-styles.js';

/**
 * The canvas context (`@lit/context`): `<vib3-stage>` provides the `<vib3-canvas>` it holds to
 * the components inside it. The key is a global symbol, so two copies of the kit on one page find
 * each other's providers.
 */
export const canvasContext = createContext<Vib3Canvas | undefined>(Symbol.for('vib3.canvas'));

/** A component that controls a canvas: an explicit `target`, else `for=` (an id), else the context. */
export interface CanvasControllerHost extends ReactiveControllerHost, HTMLElement {
  for: string;
  target?: Vib3Canvas | null;
}

/** Options of a {@link CanvasController}. */
export interface CanvasControllerOptions {
  /** Canvas attributes whose changes re-render the host (e.g. `paused`). */
  attributes?: readonly string[];
  /** Called when the controlled canvas changes (and with null when the host disconnects). */
  onBind?(next: Vib3Canvas | null, previous: Vib3Canvas | null): void;
}

/**
 * Finds the canvas a component controls and follows it: the explicit `target` property wins,
 * then `for=`, then the canvas a `<vib3-stage>` around the component provides. The host
 * re-renders when the resolved canvas or one of the watched attributes changes.
 */
export class CanvasController implements ReactiveController {
  private fromContext: Vib3Canvas | undefined;
  private bound: Vib3Canvas | null = null;
  private readonly observer: MutationObserver;

  constructor(
    private readonly host: CanvasControllerHost,
    private readonly options: CanvasControllerOptions = {},
  ) {
    this.observer = new MutationObserver(() => host.requestUpdate());
    host.addController(this);
    new ContextConsumer(host, {
      context: canvasContext,
      subscribe: true,
      callback: (canvas) => {
        this.fromContext = canvas;
        this.sync();
      },
    });
  }

  /** The canvas in effect, or null. */
  get canvas(): Vib3Canvas | null {
    return this.host.target ?? resolveTarget<Vib3Canvas>(this.host, this.host.for) ?? this.fromContext ?? null;
  }

  /** Re-resolves the canvas (after `for`, `target` or the context changed). */
  sync(): void {
    const next = this.host.isConnected ? this.canvas : null;
    if (next === this.bound) return;
    const previous = this.bound;
    this.observer.disconnect();
    this.bound = next;
    if (next && this.options.attributes?.length) this.observer.observe(next, { attributes: true, attributeFilter: [...this.options.attributes] });
    this.options.onBind?.(next, previous);
    this.host.requestUpdate();
  }

  hostConnected(): void {
    // Ids resolve once the rest of the document is parsed.
    queueMicrotask(() => this.sync());
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.sync();
  }
}
