/**
 * Fills the block template (partners/shopify/block-template.liquid) with what the parameter table
 * generates: one attribute per parameter (palette parameters inside an `unless` for "Colours from
 * the theme pack") and the `{% schema %}` JSON; and the storefront strings of locales/.
 */
import { DEFAULT_ALT, DEFAULT_FALLBACK } from '../../src/embed/snippet.js';
import { blockSchema, PALETTE_PARAMS } from './schema.js';
import { paramSettings, type ParamSetting } from './settings.js';

/** Placeholders of the template, each of which must appear exactly once. */
export const MARKERS = {
  attributes: '@@VIB3_PARAM_ATTRIBUTES@@',
  schema: '@@VIB3_SCHEMA@@',
} as const;

/** The element's parameter attributes as Liquid, one per line, indented like the marker. */
export function paramAttributesLiquid(params: readonly ParamSetting[], indent: string): string {
  const line = (p: ParamSetting) => `${p.spec.attribute}="{{ ${p.liquid} }}"`;
  const fixed = params.filter((p) => !PALETTE_PARAMS.includes(p.spec.name)).map(line);
  const palette = params.filter((p) => PALETTE_PARAMS.includes(p.spec.name)).map(line);
  const lines = [...fixed, '{%- unless block.settings.theme_colors %}', ...palette, '{%- endunless %}'];
  return lines.join(`\n${indent}`);
}

/**
 * The storefront strings of locales/en.default.json: the texts the block falls back to when the
 * merchant clears a text setting (the same defaults as `vib3 embed-code`).
 */
export function defaultLocale(): { vib3: { default_alt: string; default_fallback: string } } {
  return { vib3: { default_alt: DEFAULT_ALT, default_fallback: DEFAULT_FALLBACK } };
}

/** The block's Liquid: the template with every marker replaced. Throws when a marker is missing or repeated. */
export function buildBlock(template: string, params: readonly ParamSetting[] = paramSettings()): string {
  for (const marker of Object.values(MARKERS)) {
    const count = template.split(marker).length - 1;
    if (count !== 1) throw new Error(`The block template must contain ${marker} exactly once (found ${count}).`);
  }
  const indent = /^([ \t]*)@@VIB3_PARAM_ATTRIBUTES@@/m.exec(template)?.[1] ?? '';
  return template
    .replace(MARKERS.attributes, () => paramAttributesLiquid(params, indent))
    .replace(MARKERS.schema, () => JSON.stringify(blockSchema(params), null, 2));
}
