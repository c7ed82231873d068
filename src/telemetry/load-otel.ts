/**
 * Loads the page's OpenTelemetry pipeline. In the ES build this is a lazy chunk next to the entry;
 * the classic-script build swaps this module for `load-otel-iife.ts` (vite.config.ts), which loads
 * the standalone `vib3-telemetry.js` next to the script file instead of inlining it.
 */
export const loadOtel = (): Promise<typeof import('./browser-otel.js')> => import('./browser-otel.js');
