/**
 * The `{% schema %}` of the VIB3 app block: the parameter settings (settings.ts) plus the theme
 * pack, size and accessibility settings. Built, never hand-written, by partners/shopify/build.ts.
 */
import { BUILTIN_THEME_PACKS } from '../../src/theme/generated/tokens.js';
import { DEFAULT_ALT, DEFAULT_FALLBACK } from '../../src/embed/snippet.js';
import { paramSettings, type ParamSetting, type RangeSetting, type ShopifySetting } from './settings.js';

/** An app block's schema (the keys this block uses). */
export interface BlockSchema {
  name: string;
  target: 'section';
  stylesheet: string;
  settings: ShopifySetting[];
}

/** The block's name in the theme editor (Shopify allows 25 characters). */
export const BLOCK_NAME = 'VIB3 4D visual';
/** The block's stylesheet in assets/ (loaded by Shopify through the schema's `stylesheet` key). */
export const BLOCK_STYLESHEET = 'vib3-block.css';
/** The theme pack a new block starts with. */
export const DEFAULT_THEME = 'default-dark';
/**
 * Parameters a theme pack's visual palette can supply (src/element/palette-controller.ts reads
 * `--vib3-visual-hue` and the system's `-saturation` / `-intensity` tokens for parameters the page
 * did not set). With "Colours from the theme pack" on, the block leaves them out.
 */
export const PALETTE_PARAMS: readonly string[] = ['hue', 'saturation', 'intensity'];

/** Size settings: the element's width (% of the section) and height (px). */
export const SIZE_SETTINGS: readonly RangeSetting[] = [
  { type: 'range', id: 'width', label: 'Width', min: 10, max: 100, step: 5, unit: '%', default: 100, info: 'Share of the section\'s width.' },
  { type: 'range', id: 'height', label: 'Height', min: 120, max: 1200, step: 20, unit: 'px', default: 400 },
];

function themeSettings(): ShopifySetting[] {
  const packs = [...BUILTIN_THEME_PACKS].sort((a, b) => Number(b.name === DEFAULT_THEME) - Number(a.name === DEFAULT_THEME) || a.name.localeCompare(b.name));
  return [
    { type: 'header', content: 'Theme pack' },
    { type: 'select', id: 'theme', label: 'Theme pack', options: packs.map((p) => ({ value: p.name, label: p.label ?? p.name })), default: DEFAULT_THEME, info: 'The kit\'s design tokens and visual palette.' },
    { type: 'checkbox', id: 'theme_colors', label: 'Colours from the theme pack', default: false, info: 'Hue, saturation and intensity come from the theme pack; their sliders are ignored.' },
  ];
}

function accessibilitySettings(): ShopifySetting[] {
  return [
    { type: 'header', content: 'Accessibility' },
    { type: 'text', id: 'alt', label: 'Description for screen readers', default: DEFAULT_ALT, info: 'The visual\'s accessible name, like an image\'s alt text.' },
    { type: 'checkbox', id: 'decorative', label: 'Decorative only', default: false, info: 'Hides the visual from screen readers (alt="").' },
    {
      type: 'select',
      id: 'motion',
      label: 'Motion',
      options: [
        { value: 'auto', label: 'Follow the visitor\'s setting' },
        { value: 'reduce', label: 'Always still' },
        { value: 'full', label: 'Always animate' },
      ],
      default: 'auto',
      info: 'With the first option, visitors who ask for reduced motion see a still frame.',
    },
    { type: 'text', id: 'fallback_text', label: 'Fallback text', default: DEFAULT_FALLBACK, info: 'Shown without JavaScript or WebGL2/WebGPU.' },
  ];
}

/** The whole schema, parameters from `params` (default: the parameter table). */
export function blockSchema(params: readonly ParamSetting[] = paramSettings()): BlockSchema {
  return {
    name: BLOCK_NAME,
    target: 'section',
    stylesheet: BLOCK_STYLESHEET,
    settings: [...themeSettings(), { type: 'header', content: 'Visual' }, ...params.map((p) => p.setting), { type: 'header', content: 'Size' }, ...SIZE_SETTINGS, ...accessibilitySettings()],
  };
}
