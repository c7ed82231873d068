/**
 * The classic-script build's `load-otel.ts`: `vib3.iife.js` inlines every import, so the page's
 * OpenTelemetry pipeline is a separate ES module file instead, `vib3-telemetry.js` next to the
 * script file (built by scripts/build.mjs), imported only when the page calls `enableTelemetry`.
 */
/** The script file's own URL, read while it runs (afterwards `document.currentScript` is null). */
const scriptUrl = (typeof document !== 'undefined' && (document.currentScript as HTMLScriptElement | null)?.src) || globalThis.location?.href;

export const loadOtel = (): Promise<typeof import('./browser-otel.js')> => import(/* @vite-ignore */ new URL('vib3-telemetry.js', scriptUrl).href);
