// Compile-time test (tsc -p tsconfig.test.json): the element's declared properties, its option
// table and its event map agree, so the React typings derived from the tables describe the element.
import type { Vib3Canvas, Vib3CanvasEventMap, Vib3CanvasOptions } from '../../src/element/vib3-canvas.js';
import type { Vib3Params } from '../../src/core/params.js';
import type { OptionName } from '../../src/element/options.js';
import { OPTION_SPECS } from '../../src/element/options.js';

/** Every option of the table is a property of the element, with the same type (both ways). */
export const optionsOfElement = (el: Vib3Canvas): Vib3CanvasOptions => el;
export const elementOptionTypes = (options: Vib3CanvasOptions): Pick<Vib3Canvas, OptionName> => options;
/** Every parameter is a property of the element. */
export const paramsOfElement = (el: Vib3Canvas): Vib3Params => el;
/** The table names exactly the option properties. */
export const specNames: readonly OptionName[] = OPTION_SPECS.map((s) => s.name);
/** Element events are in the global event map with their detail types. */
export const meshEvent = (el: Vib3Canvas): void =>
  el.addEventListener('vib3-mesh-update', (e: CustomEvent<Vib3CanvasEventMap['vib3-mesh-update']>) => e.detail.kernels);

// @ts-expect-error sliceW is a number on the element
export const badSliceW = (el: Vib3Canvas): string => el.sliceW;
// @ts-expect-error meshMode is 'projection' | 'slice'
export const badMeshMode = (el: Vib3Canvas): void => void (el.meshMode = 'cut');
