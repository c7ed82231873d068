/**
 * JSX typings for React 19 (`import type {} from 'vib3-embed/react'` once in your app):
 * `<vib3-canvas hue={120} system="holographic" onvib3-ready={(e) => e.detail.backend} />`
 * type-checks, with every parameter, option and event of the element. React 19 sets these as
 * properties and wires `on<event-name>` props as event listeners on custom elements.
 * @packageDocumentation
 */
import type * as React from 'react';
import type { Vib3Canvas, Vib3ReadyDetail, Vib3ParamsChangeDetail, Vib3ContextLostDetail, Vib3ContextRestoredDetail, Vib3RenderScaleDetail } from '../element/vib3-canvas.js';
import type { Vib3ErrorDetail } from '../core/errors.js';
import type { Vib3Params } from '../core/params.js';

type Handler<T> = (event: CustomEvent<T>) => void;

/** Props of `<vib3-canvas>` in JSX. */
export interface Vib3CanvasJsxProps extends Partial<Vib3Params> {
  renderer?: Vib3Canvas['renderer'];
  motion?: Vib3Canvas['motion'];
  loading?: Vib3Canvas['loading'];
  paused?: boolean;
  time?: number;
  alt?: string;
  theme?: string;
  poster?: string;
  audioSource?: AudioNode | null;
  'onvib3-ready'?: Handler<Vib3ReadyDetail>;
  'onvib3-params-change'?: Handler<Vib3ParamsChangeDetail>;
  'onvib3-error'?: Handler<Vib3ErrorDetail>;
  'onvib3-context-lost'?: Handler<Vib3ContextLostDetail>;
  'onvib3-context-restored'?: Handler<Vib3ContextRestoredDetail>;
  'onvib3-render-scale'?: Handler<Vib3RenderScaleDetail>;
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
