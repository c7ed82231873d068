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

if (!window.Vib3) {
  window.Vib3 = kit;
  // Page telemetry, off by default: <script src="vib3.iife.js" data-telemetry-endpoint="https://collector.example"
  // data-telemetry-sample-rate="0.1"> turns it on (the same as calling Vib3.enableTelemetry({ endpoint, sampleRate })).
  const script = document.currentScript as HTMLScriptElement | null;
  // Rendering off the main thread: <script src="vib3.iife.js" data-render-thread="worker|auto|main">
  // (the same as calling Vib3.setRenderThread(mode) before the first element starts).
  const thread = script?.dataset['renderThread'];
  if (thread) {
    try {
      core.setRenderThread(thread as core.RenderThreadMode);
    } catch (err) {
      console.warn('[vib3] data-render-thread:', err instanceof Error ? err.message : err);
    }
  }
  const endpoint = script?.dataset['telemetryEndpoint'];
  if (endpoint) {
    const rate = script?.dataset['telemetrySampleRate'];
    core.enableTelemetry({ endpoint, ...(rate ? { sampleRate: Number(rate) } : {}) }).catch((err: unknown) => console.warn('[vib3] telemetry could not start:', err));
  }
}
