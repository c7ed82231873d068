// The page of bench/telemetry.mjs: one <vib3-canvas> from the built ES entry; the bench drives it
// through window.bench (telemetry on or off, frames counted) and reads CSP violations.
import { enableTelemetry } from '/dist/vib3-embed.js';

const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const el = document.createElement('vib3-canvas');
el.setAttribute('loading', 'eager');
el.setAttribute('system', 'faceted');
const ready = new Promise((resolve, reject) => {
  el.addEventListener('vib3-ready', (e) => resolve(e.detail.backend), { once: true });
  el.addEventListener('vib3-error', (e) => reject(new Error(e.detail.code)), { once: true });
});
document.body.append(el);

let running;
window.bench = {
  ready,
  violations,
  frames: () => el.frameCount,
  async enable(sampleRate = 1) {
    running = await enableTelemetry({ endpoint: `${location.origin}/otlp`, sampleRate });
  },
  async flush() {
    await running?.flush();
  },
  async disable() {
    await running?.disable();
    running = undefined;
  },
};
