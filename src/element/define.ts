import { Vib3Canvas } from './vib3-canvas.js';

/** The tag name of the element. */
export const TAG_NAME = 'vib3-canvas';

/**
 * Registers `<vib3-canvas>` unless something already did. Safe to call any number of times,
 * including from two copies of the kit on one page (the first definition wins).
 * Returns the constructor actually registered.
 */
export function define(registry: CustomElementRegistry = customElements): CustomElementConstructor {
  const existing = registry.get(TAG_NAME);
  if (existing) return existing;
  try {
    registry.define(TAG_NAME, Vib3Canvas);
  } catch (err) {
    // Another copy may have won a race between get() and define().
    const winner = registry.get(TAG_NAME);
    if (winner) return winner;
    throw err;
  }
  return Vib3Canvas;
}
