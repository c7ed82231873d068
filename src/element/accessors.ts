/**
 * Defines one enumerable accessor per name on `prototype`, backed by the per-instance object that
 * `backing` maps each instance to (the parameter and option tables of `<vib3-canvas>` use it).
 */
export function defineBackedAccessors<S, N extends string>(prototype: object, names: readonly N[], backing: WeakMap<object, S>, get: (store: S, name: N) => unknown, set: (store: S, name: N, value: unknown) => void): void {
  for (const name of names) {
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: true,
      get(this: object) {
        return get(backing.get(this)!, name);
      },
      set(this: object, value: unknown) {
        set(backing.get(this)!, name, value);
      },
    });
  }
}

/**
 * Values assigned to `instance` before its class upgraded it are own properties that shadow the
 * prototype's accessors: re-applies each of `names` through its accessor.
 */
export function reapplyShadowedProperties(instance: object, names: readonly string[]): void {
  const self = instance as Record<string, unknown>;
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(instance, name)) continue;
    const value = self[name];
    delete self[name];
    self[name] = value;
  }
}
