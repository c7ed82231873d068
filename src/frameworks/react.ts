/**
 * JSX typings for React 19 (`import type {} from 'vib3-embed/react'` once in your app):
 * `<vib3-canvas hue={120} system="holographic" onvib3-ready={(e) => e.detail.backend} />`
 * type-checks, with every parameter, option and event of the element. React 19 sets these as
 * properties and wires `on<event-name>` props as event listeners on custom elements.
 *
 * The props are derived from the element's own tables (the parameter types, the option
 * properties and the event map), so a new parameter, option or event is typed here with no edit.
 * @packageDocumentation
 */
import type * as React from 'react';
import type { Vib3Canvas, Vib3CanvasEventMap, Vib3CanvasOptions } from '../element/vib3-canvas.js';
import type { Vib3Params } from '../core/params.js';

/** `on<event-name>` handler props, one per event of {@link Vib3CanvasEventMap}. */
export type Vib3CanvasJsxEvents = {
  [K in keyof Vib3CanvasEventMap as `on${K}`]?: (event: CustomEvent<Vib3CanvasEventMap[K]>) => void;
};

/** Props of `<vib3-canvas>` in JSX: every parameter, option and settable property, and the event handlers. */
export interface Vib3CanvasJsxProps extends Partial<Vib3Params>, Partial<Vib3CanvasOptions>, Partial<Pick<Vib3Canvas, 'paused' | 'theme' | 'poster' | 'audioSource'>>, Vib3CanvasJsxEvents {
  alt?: string;
}

type Base<E> = React.DetailedHTMLProps<React.HTMLAttributes<E>, E>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'vib3-canvas': Omit<Base<Vib3Canvas>, keyof Vib3CanvasJsxProps> & Vib3CanvasJsxProps;
      'vib3-theme': Base<HTMLElement> & { theme?: string };
      'vib3-control-panel': Base<HTMLElement> & { for?: string };
      'vib3-toolbar': Base<HTMLElement> & { for?: string };
      'vib3-theme-switcher': Base<HTMLElement> & { for?: string };
      'vib3-install-progress': Base<HTMLElement> & { label?: string; value?: number; max?: number; state?: 'idle' | 'working' | 'done' | 'error' };
      'vib3-consent-dialog': Base<HTMLElement>;
      'vib3-stage': Base<HTMLElement>;
    }
  }
}

export {};
