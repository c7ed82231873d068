/**
 * Element parameters for a snippet: accepted by VIB3 name (`gridDensity`) or attribute name
 * (`grid-density`), normalised exactly as `<vib3-canvas>` normalises them (src/core/params.ts:
 * clamped, integers rounded), with a record of every value that was changed on the way.
 */
import { Vib3Error } from '../core/errors.js';
import { PARAM_BY_ATTRIBUTE, PARAM_BY_NAME, PARAM_SPECS, normalizeParam, type Vib3ParamName, type Vib3Params } from '../core/params.js';
import { EmbedError } from './errors.js';

/** A value the generator changed: clamped to the range or rounded to an integer. */
export interface Adjustment {
  /** The parameter's VIB3 name. */
  name: Vib3ParamName;
  /** What was given (as given). */
  given: unknown;
  /** What the snippet carries. */
  value: number | string;
  /** `rounded` to an integer, or `clamped` to the parameter's range. */
  reason: 'rounded' | 'clamped';
}

/** Normalised parameters, in table order, and what was adjusted. */
export interface SnippetParams {
  params: Partial<Vib3Params>;
  adjusted: Adjustment[];
}

/** The parameter a key names, by VIB3 name or kebab-case attribute. */
function specFor(key: string) {
  return PARAM_BY_NAME.get(key as Vib3ParamName) ?? PARAM_BY_ATTRIBUTE.get(key);
}

/**
 * Normalises `raw` (keys: VIB3 names or attribute names; values: numbers, numeric strings, or the
 * system's name). Unknown names fail with `UNKNOWN_PARAM`, non-finite or unparsable values with
 * `INVALID_PARAM`; out-of-range values clamp and integers round, each listed in `adjusted`.
 * `undefined` values are skipped (an option that was not given).
 */
export function snippetParams(raw: Readonly<Record<string, unknown>>): SnippetParams {
  const byName = new Map<Vib3ParamName, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const spec = specFor(key);
    if (!spec) {
      throw new EmbedError('UNKNOWN_PARAM', `"${key}" is not a <vib3-canvas> parameter.`, `Use one of: ${PARAM_SPECS.map((s) => s.attribute).join(', ')}.`);
    }
    byName.set(spec.name, value);
  }
  const params: Record<string, number | string> = {};
  const adjusted: Adjustment[] = [];
  for (const spec of PARAM_SPECS) {
    if (!byName.has(spec.name)) continue;
    const given = byName.get(spec.name);
    let value: number | string;
    try {
      value = normalizeParam(spec.name, given) as number | string;
    } catch (err) {
      if (err instanceof Vib3Error) throw new EmbedError('INVALID_PARAM', err.message, err.suggestion);
      throw err;
    }
    params[spec.name] = value;
    if (spec.kind !== 'enum' && Number(given) !== value) {
      adjusted.push({ name: spec.name, given, value, reason: Math.round(Number(given)) === value ? 'rounded' : 'clamped' });
    }
  }
  return { params: params as Partial<Vib3Params>, adjusted };
}

/** `[attribute, value]` pairs for the element, in table order. */
export function paramAttributes(params: Partial<Vib3Params>): Array<[string, string]> {
  return PARAM_SPECS.filter((s) => params[s.name] !== undefined).map((s) => [s.attribute, String(params[s.name])]);
}
