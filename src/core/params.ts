import { Vib3Error } from './errors.js';

/** The three VIB3 visual systems. */
export const SYSTEMS = ['faceted', 'quantum', 'holographic'] as const;
/** A VIB3 visual system. */
export type Vib3System = (typeof SYSTEMS)[number];

/** Every VIB3 parameter the element accepts, by its VIB3 name. */
export interface Vib3Params {
  /** Visual system. Default `quantum`. */
  system: Vib3System;
  /** Geometry index 0..23 (`core * 8 + base`). Default 0. */
  geometry: number;
  /** Rotation in the XY plane, radians, -2π..2π. */
  rot4dXY: number;
  /** Rotation in the XZ plane, radians, -2π..2π. */
  rot4dXZ: number;
  /** Rotation in the YZ plane, radians, -2π..2π. */
  rot4dYZ: number;
  /** Rotation in the XW plane, radians, -2π..2π. */
  rot4dXW: number;
  /** Rotation in the YW plane, radians, -2π..2π. */
  rot4dYW: number;
  /** Rotation in the ZW plane, radians, -2π..2π. */
  rot4dZW: number;
  /** Projection distance 3.0..4.5. Default 3.5. */
  dimension: number;
  /** Lattice density 4..100. Default 15. */
  gridDensity: number;
  /** Morph 0..2. Default 1. */
  morphFactor: number;
  /** Chaos 0..1. Default 0.2. */
  chaos: number;
  /** Animation speed 0.1..3. Default 1. */
  speed: number;
  /** Hue in degrees on the CSS colour wheel (0 red, 120 green, 240 blue), integer 0..360. Default 200. */
  hue: number;
  /** Intensity 0..1. Default 0.5. */
  intensity: number;
  /** Saturation 0..1. Default 0.8. */
  saturation: number;
  /** Variation, integer 0..99. Default 0. */
  variation: number;
}

/** A parameter's name. */
export type Vib3ParamName = keyof Vib3Params;

/** Describes one numeric parameter. */
export interface NumericParamSpec {
  kind: 'float' | 'int';
  name: Exclude<Vib3ParamName, 'system'>;
  attribute: string;
  min: number;
  max: number;
  default: number;
  description: string;
}

/** Describes the enumerated `system` parameter. */
export interface EnumParamSpec {
  kind: 'enum';
  name: 'system';
  attribute: string;
  values: readonly Vib3System[];
  default: Vib3System;
  description: string;
}

/** Any parameter description. */
export type ParamSpec = NumericParamSpec | EnumParamSpec;

const TWO_PI = Math.PI * 2;
const rot = (plane: string): NumericParamSpec => ({
  kind: 'float',
  name: `rot4d${plane}` as NumericParamSpec['name'],
  attribute: `rot4d-${plane.toLowerCase()}`,
  min: -TWO_PI,
  max: TWO_PI,
  default: 0,
  description: `Rotation in the ${plane} plane, radians.`,
});

/** The parameter table of DESIGN §3, in display order. */
export const PARAM_SPECS: readonly ParamSpec[] = [
  { kind: 'enum', name: 'system', attribute: 'system', values: SYSTEMS, default: 'quantum', description: 'Visual system.' },
  { kind: 'int', name: 'geometry', attribute: 'geometry', min: 0, max: 23, default: 0, description: 'Geometry index (core*8 + base).' },
  rot('XY'),
  rot('XZ'),
  rot('YZ'),
  rot('XW'),
  rot('YW'),
  rot('ZW'),
  { kind: 'float', name: 'dimension', attribute: 'dimension', min: 3, max: 4.5, default: 3.5, description: 'Projection distance.' },
  { kind: 'float', name: 'gridDensity', attribute: 'grid-density', min: 4, max: 100, default: 15, description: 'Lattice density.' },
  { kind: 'float', name: 'morphFactor', attribute: 'morph-factor', min: 0, max: 2, default: 1, description: 'Morph amount.' },
  { kind: 'float', name: 'chaos', attribute: 'chaos', min: 0, max: 1, default: 0.2, description: 'Chaos.' },
  { kind: 'float', name: 'speed', attribute: 'speed', min: 0.1, max: 3, default: 1, description: 'Animation speed.' },
  { kind: 'int', name: 'hue', attribute: 'hue', min: 0, max: 360, default: 200, description: 'Hue in degrees on the CSS colour wheel (0 red, 120 green, 240 blue).' },
  { kind: 'float', name: 'intensity', attribute: 'intensity', min: 0, max: 1, default: 0.5, description: 'Intensity.' },
  { kind: 'float', name: 'saturation', attribute: 'saturation', min: 0, max: 1, default: 0.8, description: 'Saturation.' },
  { kind: 'int', name: 'variation', attribute: 'variation', min: 0, max: 99, default: 0, description: 'Variation seed.' },
];

/** Parameter specs by name. */
export const PARAM_BY_NAME: ReadonlyMap<Vib3ParamName, ParamSpec> = new Map(PARAM_SPECS.map((s) => [s.name, s]));
/** Parameter specs by kebab-case attribute name. */
export const PARAM_BY_ATTRIBUTE: ReadonlyMap<string, ParamSpec> = new Map(PARAM_SPECS.map((s) => [s.attribute, s]));
/** Every parameter name, in table order. */
export const PARAM_NAMES: readonly Vib3ParamName[] = PARAM_SPECS.map((s) => s.name);

/** The defaults of DESIGN §3. */
export function defaultParams(): Vib3Params {
  const out: Record<string, unknown> = {};
  for (const spec of PARAM_SPECS) out[spec.name] = spec.default;
  return out as unknown as Vib3Params;
}

/**
 * Normalises one value for a parameter: numbers (or numeric strings, as from attributes) are
 * clamped to the range and integers rounded; `system` must be one of the three names.
 * Throws a {@link Vib3Error} with code `INVALID_PARAM` for non-finite or unparsable input,
 * and `UNKNOWN_PARAM` for names outside the table.
 */
export function normalizeParam<K extends Vib3ParamName>(name: K, value: unknown): Vib3Params[K] {
  const spec = PARAM_BY_NAME.get(name);
  if (!spec) {
    throw new Vib3Error('UNKNOWN_PARAM', `"${String(name)}" is not a VIB3 parameter.`, `Use one of: ${PARAM_NAMES.join(', ')}.`);
  }
  if (spec.kind === 'enum') {
    const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (typeof v !== 'string' || !(spec.values as readonly string[]).includes(v)) {
      throw new Vib3Error(
        'INVALID_PARAM',
        `system must be one of ${spec.values.join(', ')}; got ${JSON.stringify(value)}.`,
        `Set system to "faceted", "quantum" or "holographic".`,
      );
    }
    return v as Vib3Params[K];
  }
  let num: number;
  if (typeof value === 'number') num = value;
  else if (typeof value === 'string' && value.trim() !== '') num = Number(value);
  else num = Number.NaN;
  if (!Number.isFinite(num)) {
    throw new Vib3Error(
      'INVALID_PARAM',
      `${spec.name} must be a finite number; got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}.`,
      `Give ${spec.name} a number between ${formatBound(spec.min)} and ${formatBound(spec.max)} (default ${spec.default}).`,
    );
  }
  if (spec.kind === 'int') num = Math.round(num);
  num = Math.min(spec.max, Math.max(spec.min, num));
  if (Object.is(num, -0)) num = 0;
  return num as Vib3Params[K];
}

/**
 * Normalises a partial parameter object atomically: either every entry is valid and the
 * normalised partial is returned, or a {@link Vib3Error} is thrown and nothing is applied.
 */
export function normalizeParams(partial: Partial<Record<string, unknown>>): Partial<Vib3Params> {
  if (partial === null || typeof partial !== 'object') {
    throw new Vib3Error('INVALID_PARAM', 'setParams expects an object of parameters.', 'Call setParams({ hue: 120, speed: 1.5 }).');
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(partial)) {
    out[key] = normalizeParam(key as Vib3ParamName, partial[key]);
  }
  return out as Partial<Vib3Params>;
}

function formatBound(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
