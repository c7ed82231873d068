/**
 * Entry of the classic-script build (`vib3.iife.js`): registers `<vib3-canvas>`, `<vib3-theme>`
 * and the UI components, and exposes
 * `window.Vib3`. Loading the file twice keeps the first copy's element and global.
 */
import * as core from './index.js';
import * as components from '../components/index.js';

/** Everything the script-tag build offers, as `window.Vib3`. */
const kit = { ...core, ...components };

declare global {
  interface Window {
    Vib3?: typeof kit;
  }
}

if (!window.Vib3) window.Vib3 = kit;
