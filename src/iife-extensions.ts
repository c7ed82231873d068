/**
 * Entry of the second classic-script file (`vib3-extensions.iife.js`): the extension runtime and
 * the extension library for script-tag pages. Load it after `vib3.iife.js`; it adds everything
 * `vib3-embed/extensions/runtime` and `vib3-embed/extensions` export (`ExtensionHost`,
 * `memoryGrantStore`, `verifyPackage`, `keyIdOf`, `validateManifest`, …) to `window.Vib3`, and
 * creates `window.Vib3` if the main file is not loaded. Names already on `window.Vib3` are kept.
 */
import * as library from './extensions/index.js';
import * as host from './extensions/runtime/index.js';

const runtime = { ...library, ...host };

declare global {
  interface Window {
    /** The extension runtime, set by vib3-extensions.iife.js (also merged into `window.Vib3`). */
    Vib3Extensions?: typeof runtime;
  }
}

const target = (window.Vib3 ?? {}) as Record<string, unknown>;
for (const [name, value] of Object.entries(runtime)) if (!(name in target)) target[name] = value;
if (!window.Vib3) (window as unknown as { Vib3: Record<string, unknown> }).Vib3 = target;
window.Vib3Extensions = runtime;
