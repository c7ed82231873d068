/**
 * Rendered listing previews (`vib3 ext previews`, docs/LISTINGS.md § Previews): the extension
 * itself in a real headless Chromium, in `<vib3-canvas>`, with the presets its manifest declares,
 * at the exact sizes partner targets want. Node-only (playwright-core, node:http, files).
 */
export { renderPreviews, DEFAULT_TIME_MS, DEFAULT_CLIP_MS, BLANK_LUMINANCE_STD, type RenderPreviewsOptions, type PreviewsResult, type PreviewFile } from './render.js';
export { updateManifestPreviews, type ManifestUpdate, type ManifestPreview } from './manifest-update.js';
export { partnerSpecs, checkSpecs, planCaptures, shortfalls, type TargetSpecs, type CaptureJob } from './specs.js';
export { presetsOf, presetTitle, DEFAULT_PRESET, type PreviewPreset } from './presets.js';
export { chromiumPath, chromiumArgs, type FlagSet } from './chromium.js';
export { PreviewError, type PreviewErrorCode } from './errors.js';
export type { ImageStats } from './session.js';
