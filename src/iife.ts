/**
 * Entry of the classic-script build (`vib3.iife.js`): registers `<vib3-canvas>` and exposes
 * `window.Vib3`. Loading the file twice keeps the first copy's element and global.
 */
import * as kit from './index.js';

declare global {
  interface Window {
    Vib3?: typeof kit;
  }
}

if (!window.Vib3) window.Vib3 = kit;
