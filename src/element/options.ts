import { Vib3Error } from '../core/errors.js';
import { defineBackedAccessors } from './accessors.js';
import type { RendererPreference } from '../render/contract.js';
import { MESH_MODES, MESH_NAMES, isMeshName, type CustomMeshName, type MeshMode, type MeshName } from '../geometry/names.js';

/** `motion`: `auto` follows `prefers-reduced-motion` live. */
export type MotionPreference = 'auto' | 'reduce' | 'full';
/** `loading`: `lazy` starts the renderer when the element first scrolls into view. */
export type LoadingStrategy = 'lazy' | 'eager';
/** Range of `sliceW`. */
export const SLICE_W_RANGE: readonly [number, number] = [-1.5, 1.5];

/** The element's option properties (everything but the VIB3 parameters and lit's plain properties), with their types. */
export interface Vib3CanvasOptions {
  renderer: RendererPreference;
  motion: MotionPreference;
  loading: LoadingStrategy;
  /** Element time in ms (the clock: the frame loop advances it while animating). */
  time: number;
  mesh: MeshName | CustomMeshName | 'none';
  meshMode: MeshMode;
  sliceW: number;
}
/** Name of an option property. */
export type OptionName = keyof Vib3CanvasOptions;

/** How one option property converts what it is given. */
export interface OptionSpec<K extends OptionName = OptionName> {
  readonly name: K;
  readonly attribute: string;
  readonly initial: Vib3CanvasOptions[K];
  /** The value to store, `null` to ignore the assignment, or the error to report (nothing changes). */
  parse(value: unknown): Vib3CanvasOptions[K] | Vib3Error | null;
  /** Store and announce even an unchanged value (setting `time` to the current instant redraws it). */
  readonly always?: boolean;
}

function enumOption<K extends OptionName>(name: K, attribute: string, allowed: readonly Vib3CanvasOptions[K][], accept?: (value: unknown) => boolean): OptionSpec<K> {
  const fallback = allowed[0]!;
  return {
    name,
    attribute,
    initial: fallback,
    parse(value) {
      if (accept?.(value)) return value as Vib3CanvasOptions[K];
      // Removing the attribute (or assigning null) restores the default.
      if (value === null || value === undefined) return fallback;
      const v = String(value).trim().toLowerCase() as Vib3CanvasOptions[K];
      if (allowed.includes(v)) return v;
      return new Vib3Error('INVALID_OPTION', `${attribute} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`, `Set ${attribute}="${String(fallback)}" or one of: ${allowed.join(', ')}.`);
    },
  };
}

function numberOption<K extends 'time' | 'sliceW'>(name: K, attribute: string, invalid: (value: unknown) => Vib3Error, range?: readonly [number, number], always?: boolean): OptionSpec<K> {
  return {
    name,
    attribute,
    initial: 0,
    always,
    parse(value) {
      if (value === null || value === undefined) return null;
      const num = typeof value === 'string' ? Number(value) : value;
      if (typeof num !== 'number' || !Number.isFinite(num)) return invalid(value);
      return range ? Math.min(range[1], Math.max(range[0], num)) : num;
    },
  };
}

/** The seven option properties, in one table: the accessors, attribute handling and upgrade all read it. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  enumOption('renderer', 'renderer', ['auto', 'webgpu', 'webgl2']),
  enumOption('motion', 'motion', ['auto', 'reduce', 'full']),
  enumOption('loading', 'loading', ['lazy', 'eager']),
  numberOption('time', 'time', (v) => new Vib3Error('INVALID_OPTION', `time must be a finite number of milliseconds; got ${String(v)}.`, 'Set time to e.g. 1500, or remove the attribute.'), undefined, true),
  // Registered meshes (registerMesh, geometry extensions) are named "<owner>/<shape>".
  enumOption('mesh', 'mesh', ['none', ...MESH_NAMES], isMeshName),
  enumOption('meshMode', 'mesh-mode', MESH_MODES),
  numberOption('sliceW', 'slice-w', (v) => new Vib3Error('INVALID_PARAM', `slice-w must be a finite number; got ${String(v)}.`, 'Use a value between -1.5 and 1.5, e.g. slice-w="0.3".'), SLICE_W_RANGE),
] as OptionSpec[];

/** Option specs by property name. */
const OPTION_BY_NAME: ReadonlyMap<OptionName, OptionSpec> = new Map(OPTION_SPECS.map((s) => [s.name, s]));
/** Option specs by attribute name. */
export const OPTION_BY_ATTRIBUTE: ReadonlyMap<string, OptionSpec> = new Map(OPTION_SPECS.map((s) => [s.attribute, s]));

const stores = new WeakMap<object, OptionStore>();

/**
 * The option values of one element, and the one setter they all share: convert, refuse with
 * a `vib3-error` (nothing changes), or store, request a lit update and tell the element.
 */
export class OptionStore {
  /** Current values (the frame loop advances `time` in place). */
  readonly values: Vib3CanvasOptions = Object.fromEntries(OPTION_SPECS.map((s) => [s.name, s.initial])) as unknown as Vib3CanvasOptions;

  constructor(
    private readonly host: { requestUpdate(name?: PropertyKey, oldValue?: unknown): void },
    private readonly report: (error: Vib3Error) => void,
    private readonly changed: (name: OptionName) => void,
    /** Called before an option is read through its accessor (the element brings `time` up to date). */
    private readonly beforeRead?: (name: OptionName) => void,
  ) {
    stores.set(host, this);
  }

  /** The value in effect of option `name`, as its accessor reads it. */
  get<K extends OptionName>(name: K): Vib3CanvasOptions[K] {
    this.beforeRead?.(name);
    return this.values[name];
  }

  /** Applies an assignment to option `spec`. */
  set(spec: OptionSpec, value: unknown): void {
    const next = spec.parse(value);
    if (next === null) return;
    if (next instanceof Vib3Error) {
      this.report(next);
      return;
    }
    const values = this.values as unknown as Record<string, unknown>;
    const old = values[spec.name];
    if (next === old && !spec.always) return;
    values[spec.name] = next;
    this.host.requestUpdate(spec.name, old);
    this.changed(spec.name);
  }

  /** The value in effect of an option, as attribute text. */
  text(spec: OptionSpec): string {
    return String(this.values[spec.name]);
  }
}

/** Defines one accessor per option on `prototype`, each backed by the instance's {@link OptionStore}. */
export function defineOptionAccessors(prototype: object): void {
  defineBackedAccessors(prototype, OPTION_SPECS.map((s) => s.name), stores, (store, name) => store.get(name), (store, name, value) => store.set(OPTION_BY_NAME.get(name)!, value));
}
