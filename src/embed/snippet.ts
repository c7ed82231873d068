/**
 * The copy-paste snippet for site builders that take custom code: the script tag (with
 * Subresource Integrity and `crossorigin`), a `<vib3-canvas>` with the chosen parameters, theme
 * pack, size and accessible name, and its fallback text. Browser-safe: `vib3 embed-code` and
 * demo/embed-code.html run this same function.
 */
import { BUILTIN_THEME_PACKS } from '../theme/generated/tokens.js';
import { BUILDER_NOTES, BUILDERS, COMMON_NOTES, type BuilderId, type BuilderNotes } from './builders.js';
import { DEFAULT_ALT } from '../element/label-controller.js';
import { EmbedError } from './errors.js';
import { paramAttributes, snippetParams, type Adjustment } from './params.js';

/** The package the snippet loads. */
export const PACKAGE_NAME = 'vib3-embed';
/** The script-tag file, relative to the package root (its key in dist/integrity.json). */
export const SCRIPT_FILE = 'dist/vib3.iife.js';
/** The element's own accessible name when `alt` is missing. */
export { DEFAULT_ALT };
/** Fallback text: no JavaScript, a refused script, or no WebGPU/WebGL2. */
export const DEFAULT_FALLBACK = 'This live 4D visual needs JavaScript and a browser with WebGL2 or WebGPU.';
/** Default size of an inline snippet. */
export const DEFAULT_SIZE = { width: '100%', height: '400px' } as const;

/** What the snippet is made from. */
export interface EmbedOptions {
  builder: BuilderId;
  /** The kit release: its version and the SRI value of `dist/vib3.iife.js` (from its dist/integrity.json). */
  kit: { version: string; integrity: string };
  /** Base URL of the package on a CDN (default: jsDelivr for vib3-embed@version). */
  cdn?: string;
  /** Element parameters by VIB3 name or attribute name; validated and normalised like the element does. */
  params?: Readonly<Record<string, unknown>>;
  /** A built-in theme pack (`default-dark`, `light`, `high-contrast`, `acme`). */
  theme?: string;
  /** CSS length (`640`, `640px`, `100%`, `50vw`, …); a bare number is pixels. */
  width?: string | number;
  height?: string | number;
  /** Accessible name; `''` marks the visual as decorative. */
  alt?: string;
  /** Fallback text. */
  fallback?: string;
}

/** A generated snippet and what a person needs to paste it. */
export interface EmbedSnippet {
  builder: BuilderId;
  /** The HTML to paste. */
  html: string;
  script: { src: string; integrity: string; crossorigin: 'anonymous' };
  /** The element's attributes, in order (parameters, theme, alt, style). */
  attributes: Array<[string, string]>;
  notes: BuilderNotes;
  common: readonly string[];
  /** Values changed on the way (clamped or rounded). */
  adjusted: Adjustment[];
  /** Things the person should know about these options (ignored sizes, plain-http CDN, …). */
  warnings: string[];
}

/** The built-in theme packs a snippet can name, as `{ name, label }`. */
export function embedThemes(): Array<{ name: string; label: string }> {
  return BUILTIN_THEME_PACKS.map((p) => ({ name: p.name, label: p.label ?? p.name }));
}

/** jsDelivr's URL of the package at `version`. */
export function defaultCdn(version: string): string {
  return `https://cdn.jsdelivr.net/npm/${PACKAGE_NAME}@${version}`;
}

/** `&`, `<`, `>`, `"` and `'` as character references (attribute values and text). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LENGTH = /^(\d+(?:\.\d+)?)(px|%|vw|vh|svh|dvh|em|rem)?$/;

/** A CSS length from a number (pixels) or a length string; anything else is `INVALID_SIZE`. */
export function cssLength(value: string | number, what: 'width' | 'height'): string {
  const text = String(value).trim();
  const m = LENGTH.exec(text);
  if (!m || Number(m[1]) <= 0) {
    throw new EmbedError('INVALID_SIZE', `${what} must be a positive CSS length such as 640, 640px, 100% or 60vh; got ${JSON.stringify(value)}.`, `Pass --${what} 400px (a bare number is pixels).`);
  }
  return `${m[1]}${m[2] ?? 'px'}`;
}

/** The CDN base URL without a trailing slash; refuses what is not an http(s) URL. */
export function cdnBase(cdn: string, warnings: string[]): string {
  let url: URL;
  try {
    url = new URL(cdn);
  } catch {
    throw new EmbedError('INVALID_CDN', `The CDN base ${JSON.stringify(cdn)} is not a URL.`, `Pass the package's base URL, e.g. ${defaultCdn('0.1.0')}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EmbedError('INVALID_CDN', `The CDN base must be an http(s) URL; got ${url.protocol}.`, `Pass the package's base URL, e.g. ${defaultCdn('0.1.0')}.`);
  }
  if (url.protocol === 'http:' && !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) {
    warnings.push(`${url.origin} is plain http: site builders serve pages over https, and browsers block http scripts there (mixed content).`);
  }
  return url.href.replace(/\/+$/, '');
}

function checkIntegrity(integrity: string): string {
  if (!/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(integrity)) {
    throw new EmbedError('INVALID_INTEGRITY', `${JSON.stringify(integrity)} is not a Subresource Integrity value.`, `Take the value of ${SCRIPT_FILE} from the release's dist/integrity.json (sha384-…).`);
  }
  return integrity;
}

function checkTheme(theme: string): string {
  const names = embedThemes().map((t) => t.name);
  if (!names.includes(theme)) {
    throw new EmbedError('UNKNOWN_THEME', `"${theme}" is not a built-in theme pack.`, `Use one of: ${names.join(', ')} (a custom pack must be registered by the page's own script first).`);
  }
  return theme;
}

/** The element's inline style for the builder's layout. */
function elementStyle(options: EmbedOptions, notes: BuilderNotes, warnings: string[]): string {
  if (notes.layout === 'frame') {
    if (options.width !== undefined || options.height !== undefined) warnings.push(`${notes.name} sizes its ${notes.container} in the editor: the width and height options are ignored.`);
    return 'display:block;position:fixed;inset:0;width:100%;height:100%';
  }
  const width = cssLength(options.width ?? DEFAULT_SIZE.width, 'width');
  const height = cssLength(options.height ?? DEFAULT_SIZE.height, 'height');
  return `display:block;width:${width};${width.endsWith('%') ? '' : 'max-width:100%;'}height:${height}`;
}

/**
 * Builds the snippet. Throws an {@link EmbedError} (`UNKNOWN_BUILDER`, `UNKNOWN_PARAM`,
 * `INVALID_PARAM`, `UNKNOWN_THEME`, `INVALID_SIZE`, `INVALID_CDN`, `INVALID_INTEGRITY`) for
 * options it cannot honour; clamps and rounds parameter values like the element does.
 */
export function embedSnippet(options: EmbedOptions): EmbedSnippet {
  if (!(BUILDERS as readonly string[]).includes(options.builder)) {
    throw new EmbedError('UNKNOWN_BUILDER', `"${String(options.builder)}" is not a builder this generator knows.`, `Use one of: ${BUILDERS.join(', ')}.`);
  }
  const notes = BUILDER_NOTES[options.builder];
  const warnings: string[] = [];
  const integrity = checkIntegrity(options.kit.integrity);
  const src = `${cdnBase(options.cdn ?? defaultCdn(options.kit.version), warnings)}/${SCRIPT_FILE}`;
  const { params, adjusted } = snippetParams(options.params ?? {});
  const attributes = paramAttributes(params);
  if (options.theme !== undefined && options.theme !== '') attributes.push(['theme', checkTheme(options.theme)]);
  attributes.push(['alt', options.alt ?? DEFAULT_ALT]);
  attributes.push(['style', elementStyle(options, notes, warnings)]);
  const fallback = options.fallback?.trim() || DEFAULT_FALLBACK;

  const attrText = attributes.map(([name, value]) => `${name}="${escapeHtml(value)}"`).join(' ');
  const html = [
    `<!-- VIB3 4D visual (${PACKAGE_NAME} ${escapeHtml(options.kit.version).replace(/--/g, '')}) for ${notes.name}: paste into the ${notes.container}. -->`,
    `<script src="${escapeHtml(src)}" integrity="${integrity}" crossorigin="anonymous" defer></script>`,
    `<vib3-canvas ${attrText}>`,
    `  <p slot="fallback">${escapeHtml(fallback)}</p>`,
    '</vib3-canvas>',
  ].join('\n');
  return { builder: options.builder, html, script: { src, integrity, crossorigin: 'anonymous' }, attributes, notes, common: COMMON_NOTES, adjusted, warnings };
}
