/** Coded failures of preview rendering (`vib3 ext previews`): `code`, `message`, `suggestion`. Node-only folder. */

/** Every code preview rendering can fail with. */
export type PreviewErrorCode =
  /** The input is neither an extension folder (with extension.json) nor a .vib3x package. */
  | 'MANIFEST_NOT_FOUND'
  /** extension.json does not validate. */
  | 'MANIFEST_INVALID'
  /** A folder whose entrypoints are not built yet. */
  | 'EXTENSION_NOT_BUILT'
  /** The .vib3x file is not a readable package. */
  | 'PACKAGE_INVALID'
  /** No Chromium at VIB3_CHROMIUM or /usr/bin/chromium. */
  | 'CHROMIUM_NOT_FOUND'
  /** playwright-core (which drives Chromium) is not installed next to the kit. */
  | 'PLAYWRIGHT_MISSING'
  /** The kit's built browser files (dist/vib3.iife.js, …) are not next to the CLI. */
  | 'KIT_FILES_NOT_FOUND'
  /** The canvas or the extension failed in the browser (with the element's or the host's error). */
  | 'PREVIEW_RENDER_FAILED'
  /** A preset of marketplace.presets cannot be applied (unknown parameter, theme or tool, a value the canvas refuses, …). */
  | 'PRESET_INVALID'
  /** --targets names a target that does not exist, or a spec list is malformed. */
  | 'TARGET_INVALID';

/** A preview rendering failure, with what to do about it. */
export class PreviewError extends Error {
  readonly code: PreviewErrorCode;
  readonly suggestion: string;
  constructor(code: PreviewErrorCode, message: string, suggestion: string) {
    super(message);
    this.name = 'PreviewError';
    this.code = code;
    this.suggestion = suggestion;
  }
  /** The plain `{ code, message, suggestion }` form (`--json`). */
  toJSON(): { code: PreviewErrorCode; message: string; suggestion: string } {
    return { code: this.code, message: this.message, suggestion: this.suggestion };
  }
}
