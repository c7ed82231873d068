import type { Vib3ErrorDetail } from '../core/errors.js';
import type { Vib3Params } from '../core/params.js';
import type { ActiveBackend, BackendKind, MeshUpdateDetail, PresentationPath } from '../render/contract.js';
import type { RenderScaleReason } from './render-budget.js';

/** `detail` of `vib3-ready`. */
export interface Vib3ReadyDetail {
  /** `webgpu` or `webgl2`; `extension` when an extension renderer draws the element. */
  backend: ActiveBackend;
  /** How frames reach the element's canvas when it became ready (see {@link Vib3Canvas.presentation}). */
  presentation: PresentationPath;
}
/** `detail` of `vib3-params-change`: the parameters that changed, with their new values. */
export interface Vib3ParamsChangeDetail {
  changed: Partial<Vib3Params>;
}
/** `detail` of `vib3-context-lost`. */
export interface Vib3ContextLostDetail {
  reason: string;
}
/** `detail` of `vib3-render-scale`. */
export interface Vib3RenderScaleDetail {
  /** The new fraction of full resolution. */
  scale: number;
  reason: RenderScaleReason;
}
/** `detail` of `vib3-context-restored`. */
export interface Vib3ContextRestoredDetail {
  backend: BackendKind;
}

/**
 * Every event `<vib3-canvas>` dispatches, by name, with the type of its `detail`. The global
 * event map and the React typings are derived from this table.
 */
export interface Vib3CanvasEventMap {
  'vib3-ready': Vib3ReadyDetail;
  'vib3-params-change': Vib3ParamsChangeDetail;
  'vib3-error': Vib3ErrorDetail;
  'vib3-context-lost': Vib3ContextLostDetail;
  'vib3-context-restored': Vib3ContextRestoredDetail;
  'vib3-render-scale': Vib3RenderScaleDetail;
  'vib3-mesh-update': MeshUpdateDetail;
}

/** The events of {@link Vib3CanvasEventMap} as `CustomEvent`s. */
export type Vib3CanvasEvents = { [K in keyof Vib3CanvasEventMap]: CustomEvent<Vib3CanvasEventMap[K]> };

/** Dispatches one of the element's events: bubbling and composed, like every event of the kit. */
export function dispatchVib3Event<K extends keyof Vib3CanvasEventMap>(target: EventTarget, type: K, detail: Vib3CanvasEventMap[K]): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends Vib3CanvasEvents {}
}
