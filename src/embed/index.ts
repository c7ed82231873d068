/**
 * `vib3-embed`'s no-code embed snippets (browser-safe): the generator behind `vib3 embed-code`
 * and demo/embed-code.html, the builders it knows, and the parameter table the forms are built from.
 */
export { embedSnippet, embedThemes, defaultCdn, escapeHtml, cssLength, PACKAGE_NAME, SCRIPT_FILE, DEFAULT_ALT, DEFAULT_FALLBACK, DEFAULT_SIZE } from './snippet.js';
export type { EmbedOptions, EmbedSnippet } from './snippet.js';
export { BUILDERS, BUILDER_NOTES, COMMON_NOTES } from './builders.js';
export type { BuilderId, BuilderNotes, EmbedLayout } from './builders.js';
export { snippetParams, paramAttributes } from './params.js';
export type { Adjustment, SnippetParams } from './params.js';
export { EmbedError } from './errors.js';
export type { EmbedErrorCode } from './errors.js';
export { PARAM_SPECS } from '../core/params.js';
