import { toVib3Error, type Vib3Error } from '../core/errors.js';
import { defineBackedAccessors } from './accessors.js';
import { PARAM_BY_ATTRIBUTE, PARAM_BY_NAME, PARAM_SPECS, defaultParams, normalizeParam, normalizeParams, type ParamSpec, type Vib3ParamName, type Vib3Params } from '../core/params.js';

/** Where a parameter value comes from: the page (explicit, wins) or the theme palette (fills the rest). */
export type ParamSource = 'user' | 'palette';

const states = new WeakMap<object, ParamState>();

/**
 * The VIB3 parameters of one element: normalisation, which ones the page set explicitly, and
 * attribute reflection (attributes always show the value in effect).
 */
export class ParamState {
  /** Current values. */
  params: Vib3Params = defaultParams();
  /** Parameters the page set (properties, attributes, setParams); the palette leaves them alone. */
  private readonly explicit = new Set<Vib3ParamName>();
  /** The attribute being set by the element itself right now (not converted again). */
  private reflecting: string | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly report: (error: Vib3Error, fromAttribute?: boolean) => void,
    private readonly changed: (changed: Partial<Vib3Params>) => void,
  ) {
    states.set(host, this);
  }

  /** True when the page set `name` itself. */
  isExplicit(name: Vib3ParamName): boolean {
    return this.explicit.has(name);
  }

  /** Normalises and applies a partial update; invalid input changes nothing and is reported. */
  set(partial: Partial<Vib3Params>): boolean {
    let normalized: Partial<Vib3Params>;
    try {
      normalized = normalizeParams(partial as Record<string, unknown>);
    } catch (err) {
      this.report(toVib3Error(err, 'INVALID_PARAM', 'Check the parameter table in the docs.'));
      return false;
    }
    this.apply(normalized);
    return true;
  }

  /** Every parameter back to its default; none explicit any more. */
  reset(): void {
    this.apply(defaultParams());
    this.explicit.clear();
  }

  /**
   * Applies normalised values. `user` values (properties, attributes, setParams) become explicit
   * and win over the theme palette; `palette` values only fill parameters the page never set.
   */
  apply(normalized: Partial<Vib3Params>, fromAttribute?: string, source: ParamSource = 'user'): void {
    const changed: Partial<Vib3Params> = {};
    let any = false;
    for (const key of Object.keys(normalized) as Vib3ParamName[]) {
      if (source === 'user') this.explicit.add(key);
      else if (this.explicit.has(key)) continue;
      const value = normalized[key];
      if (value === undefined || this.params[key] === value) continue;
      (changed as Record<string, unknown>)[key] = value;
      any = true;
    }
    if (!any) {
      if (fromAttribute) this.reflect(fromAttribute, String(this.params[PARAM_BY_ATTRIBUTE.get(fromAttribute)!.name]));
      return;
    }
    this.params = { ...this.params, ...changed };
    if (source === 'user') {
      for (const key of Object.keys(changed) as Vib3ParamName[]) this.reflect(PARAM_BY_NAME.get(key)!.attribute, String(this.params[key]));
    }
    this.changed(changed);
  }

  /** A parameter attribute changed (markup, setAttribute): convert it, or report and restore it. */
  attributeChanged(spec: ParamSpec, name: string, old: string | null, value: string | null): void {
    if (this.reflecting === name || old === value) return;
    if (value === null) {
      this.apply({ [spec.name]: spec.default } as Partial<Vib3Params>);
      return;
    }
    try {
      this.apply({ [spec.name]: normalizeParam(spec.name, value) } as Partial<Vib3Params>, name);
    } catch (err) {
      this.report(toVib3Error(err, 'INVALID_PARAM', 'Check the attribute value.'), true);
      // Keep the DOM truthful: the attribute shows the value actually in effect.
      this.reflect(name, String(this.params[spec.name]));
    }
  }

  /** True while the element itself sets `attribute`. */
  isReflecting(attribute: string): boolean {
    return this.reflecting === attribute;
  }

  /** Sets an attribute without converting it again (it already shows the value in effect). */
  setQuietly(name: string, value: string): void {
    if (this.host.getAttribute(name) === value) return;
    this.reflecting = name;
    try {
      this.host.setAttribute(name, value);
    } finally {
      this.reflecting = null;
    }
  }

  private reflect(attribute: string, value: string): void {
    if (this.host.getAttribute(attribute) === value) return;
    // Only reflect attributes the page uses, or params that left their default.
    const spec = PARAM_BY_ATTRIBUTE.get(attribute)!;
    if (!this.host.hasAttribute(attribute) && String(spec.default) === value) return;
    this.setQuietly(attribute, value);
  }
}

/** Defines one accessor per VIB3 parameter on `prototype`, validated on every write (like `setParams`). */
export function defineParamAccessors(prototype: object): void {
  defineBackedAccessors(prototype, PARAM_SPECS.map((s) => s.name), states, (state, name) => state.params[name], (state, name, value) => state.set({ [name]: value } as Partial<Vib3Params>));
}
