/**
 * The parameter table (src/core/params.ts PARAM_SPECS) as Shopify block settings: each numeric
 * parameter becomes a `range` setting that obeys Shopify's rules for ranges, `system` a `select`,
 * and each setting comes with the Liquid expression that turns the merchant's value back into the
 * element's attribute value. Nothing here is written by hand per parameter, so the block and the
 * element cannot drift apart.
 *
 * Shopify's range rules (theme editor; enforced at upload): `min`, `max`, `step` and `default` are
 * numbers, `default` is required and lies in the range, `step` is a multiple of 0.1, and a range
 * has at most 101 steps ((max - min) / step + 1 <= 101). The element's own ranges do not fit those
 * rules as they are (rotations span 4π radians, chaos 0..1), so values are shown in a unit that
 * does: radians as degrees, fractions up to 3 as percent. The step is the smallest "nice" step
 * (0.1, 0.2, 0.5, 1, 2, 5, 10, …) that keeps the range within 101 steps; the ends are rounded
 * inward to that grid and the default to the nearest grid point ({@link rangeFor}).
 */
import { PARAM_SPECS, type NumericParamSpec, type ParamSpec } from '../../src/core/params.js';

/** Shopify's `range` setting. */
export interface RangeSetting {
  type: 'range';
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  unit?: string;
  default: number;
  info?: string;
}
/** Shopify's `select` setting. */
export interface SelectSetting {
  type: 'select';
  id: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  default: string;
  info?: string;
}
/** Shopify's `checkbox` setting. */
export interface CheckboxSetting {
  type: 'checkbox';
  id: string;
  label: string;
  default: boolean;
  info?: string;
}
/** Shopify's `text` setting. */
export interface TextSetting {
  type: 'text';
  id: string;
  label: string;
  default?: string;
  info?: string;
}
/** Shopify's `header` sidebar setting. */
export interface HeaderSetting {
  type: 'header';
  content: string;
  info?: string;
}
/** The setting types the block uses. */
export type ShopifySetting = RangeSetting | SelectSetting | CheckboxSetting | TextSetting | HeaderSetting;

/** Shopify's most steps in one range setting. */
export const MAX_RANGE_STEPS = 101;
/** Candidate steps, smallest first (all multiples of 0.1, as Shopify requires). */
export const NICE_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

/** The unit a parameter is shown in: its own, percent (x100) or degrees (radians x 180/π). */
export type DisplayUnit = 'native' | 'percent' | 'degrees';

/** One parameter as a block setting. */
export interface ParamSetting {
  spec: ParamSpec;
  setting: RangeSetting | SelectSetting;
  unit: DisplayUnit;
  /** Liquid output markup (inside `{{ }}`) that yields the attribute value, clamped and escaped. */
  liquid: string;
}

const FACTOR: Record<DisplayUnit, number> = { native: 1, percent: 100, degrees: 180 / Math.PI };
const UNIT_LABEL: Record<DisplayUnit, string | undefined> = { native: undefined, percent: '%', degrees: '°' };
/** Rounds away float noise (display values have at most one decimal, or are bounds like 360). */
const clean = (n: number) => Math.round(n * 1e6) / 1e6;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The setting id of a parameter: its attribute in snake case (`grid-density` -> `grid_density`). */
export function settingId(spec: ParamSpec): string {
  return spec.attribute.replace(/-/g, '_');
}

/** The unit a numeric parameter is shown in. */
export function displayUnit(spec: NumericParamSpec): DisplayUnit {
  if (spec.kind === 'float' && Math.abs(spec.max - 2 * Math.PI) < 1e-9 && Math.abs(spec.min + 2 * Math.PI) < 1e-9) return 'degrees';
  if (spec.kind === 'float' && spec.min >= 0 && spec.max <= 3) return 'percent';
  return 'native';
}

/** A value of the element in the display unit, and back. */
export const toDisplay = (unit: DisplayUnit, value: number) => clean(value * FACTOR[unit]);
export const fromDisplay = (unit: DisplayUnit, value: number) => value / FACTOR[unit];

/**
 * The range setting's numbers for an element range shown in `unit`: the smallest nice step that
 * keeps at most {@link MAX_RANGE_STEPS} steps (whole steps for integers, percent and degrees),
 * the ends rounded inward to multiples of it, the default rounded to the nearest grid point.
 */
export function rangeFor(spec: NumericParamSpec, unit: DisplayUnit): Pick<RangeSetting, 'min' | 'max' | 'step' | 'default'> {
  const lo = toDisplay(unit, spec.min);
  const hi = toDisplay(unit, spec.max);
  const whole = spec.kind === 'int' || unit !== 'native';
  for (const step of NICE_STEPS) {
    if (whole && step < 1) continue;
    const min = round1(Math.ceil(lo / step - 1e-9) * step);
    const max = round1(Math.floor(hi / step + 1e-9) * step);
    if (Math.round((max - min) / step) + 1 > MAX_RANGE_STEPS) continue;
    const def = round1(min + Math.round((toDisplay(unit, spec.default) - min) / step) * step);
    return { min, max, step, default: Math.min(max, Math.max(min, def)) };
  }
  throw new Error(`No step fits ${spec.name} into ${MAX_RANGE_STEPS} steps.`);
}

/** `gridDensity` -> `Grid density`; `rot4dXW` -> `Rotation XW`. */
export function labelOf(spec: ParamSpec): string {
  const rot = /^rot4d([XYZW]{2})$/.exec(spec.name);
  if (rot) return `Rotation ${rot[1]}`;
  const words = spec.name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const fmt = (n: number) => String(clean(n));

/** The Liquid that turns the stored display value into the attribute value (clamped to the element's range). */
function numericLiquid(spec: NumericParamSpec, unit: DisplayUnit, id: string): string {
  const parts = [`block.settings.${id}`, `at_least: ${fmt(toDisplay(unit, spec.min))}`, `at_most: ${fmt(toDisplay(unit, spec.max))}`];
  if (unit === 'percent') parts.push('divided_by: 100.0');
  if (unit === 'degrees') parts.push(`times: ${Math.PI / 180}`, 'round: 4');
  if (spec.kind === 'int') parts.push('round');
  parts.push('escape');
  return parts.join(' | ');
}

function rangeInfo(spec: NumericParamSpec, unit: DisplayUnit, step: number): string {
  const native = unit === 'degrees' ? 'radians' : unit === 'percent' ? 'a fraction' : undefined;
  const steps = `Steps of ${step}${UNIT_LABEL[unit] ?? ''}.`;
  return native ? `${spec.description} ${steps} The element takes ${native}: the block converts.` : `${spec.description} ${steps}`;
}

/** One parameter as a setting with its Liquid. */
export function paramSetting(spec: ParamSpec): ParamSetting {
  const id = settingId(spec);
  if (spec.kind === 'enum') {
    const options = spec.values.map((v) => ({ value: v, label: v.charAt(0).toUpperCase() + v.slice(1) }));
    return { spec, unit: 'native', setting: { type: 'select', id, label: labelOf(spec), options, default: spec.default, info: spec.description }, liquid: `block.settings.${id} | escape` };
  }
  const unit = displayUnit(spec);
  const range = rangeFor(spec, unit);
  const unitLabel = UNIT_LABEL[unit];
  const setting: RangeSetting = { type: 'range', id, label: labelOf(spec), ...range, ...(unitLabel ? { unit: unitLabel } : {}), info: rangeInfo(spec, unit, range.step) };
  return { spec, unit, setting, liquid: numericLiquid(spec, unit, id) };
}

/** Every parameter of the table, in table order. */
export function paramSettings(): ParamSetting[] {
  return PARAM_SPECS.map(paramSetting);
}
