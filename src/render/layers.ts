import type { Vib3System } from '../core/params.js';

/** The five layer roles of the quantum and holographic systems, back to front. */
export const LAYER_ROLES = ['background', 'shadow', 'content', 'highlight', 'accent'] as const;
/** A layer role name. */
export type LayerRole = (typeof LAYER_ROLES)[number];

/** Per-layer constants. All layers of one element are composited inside one canvas. */
export interface LayerSpec {
  role: LayerRole;
  /** Multiplies brightness. */
  intensity: number;
  /** Added to the element's hue (in turns, 0..1: 1/3 is 120° on the CSS colour wheel); layers keep their colour relative to it. */
  hueOffset: number;
  /** Lightness the layer's colour is scaled towards (0.5 = unchanged). */
  lightness: number;
  /** Layer opacity. */
  alpha: number;
  /** Multiplies gridDensity. */
  density: number;
  /** Multiplies speed. */
  speed: number;
  /** Whether the quantum particle field is drawn on this layer. */
  particles: boolean;
}

const FACETED: readonly LayerSpec[] = [
  { role: 'content', intensity: 1, hueOffset: 0, lightness: 0.5, alpha: 1, density: 1, speed: 1, particles: false },
];

/** DESIGN §4: role intensities .4/.6/1/1.3/1.6, hue offsets 0/.33/0/.15/.67, lightness .15/.3/.55/.6/.5, alpha .6/.4/1/.8/.3; particles on content + highlight. */
const QUANTUM: readonly LayerSpec[] = [
  { role: 'background', intensity: 0.4, hueOffset: 0, lightness: 0.15, alpha: 0.6, density: 1, speed: 1, particles: false },
  { role: 'shadow', intensity: 0.6, hueOffset: 0.33, lightness: 0.3, alpha: 0.4, density: 1, speed: 1, particles: false },
  { role: 'content', intensity: 1, hueOffset: 0, lightness: 0.55, alpha: 1, density: 1, speed: 1, particles: true },
  { role: 'highlight', intensity: 1.3, hueOffset: 0.15, lightness: 0.6, alpha: 0.8, density: 1, speed: 1, particles: true },
  { role: 'accent', intensity: 1.6, hueOffset: 0.67, lightness: 0.5, alpha: 0.3, density: 1, speed: 1, particles: false },
];

/**
 * Holographic: the same five roles with multipliers on density, speed and intensity. Its hue
 * offsets are analogous colours around the element's hue (shadow +29°, highlight +65°, accent
 * −65°), so the composite reads as the hue: a complementary accent (+180°, as before the hue became
 * the CSS hue) is drawn densely and brightly enough to outweigh the content layer, and the whole
 * visual then looked like the opposite of the hue the page asked for.
 */
const HOLOGRAPHIC: readonly LayerSpec[] = [
  { role: 'background', intensity: 0.4, hueOffset: 0, lightness: 0.2, alpha: 0.6, density: 0.6, speed: 0.5, particles: false },
  { role: 'shadow', intensity: 0.6, hueOffset: 0.08, lightness: 0.3, alpha: 0.5, density: 0.8, speed: 0.7, particles: false },
  { role: 'content', intensity: 1, hueOffset: 0, lightness: 0.5, alpha: 1, density: 1, speed: 1, particles: false },
  { role: 'highlight', intensity: 1.3, hueOffset: 0.18, lightness: 0.6, alpha: 0.7, density: 1.5, speed: 1.3, particles: false },
  { role: 'accent', intensity: 1.6, hueOffset: 0.82, lightness: 0.55, alpha: 0.35, density: 2.5, speed: 1.6, particles: false },
];

/** The layer stack a system composites, back to front. */
export function layersFor(system: Vib3System): readonly LayerSpec[] {
  return system === 'faceted' ? FACETED : system === 'quantum' ? QUANTUM : HOLOGRAPHIC;
}

/** Holographic automatic rotation, radians per second per plane (DESIGN §4). */
export const HOLOGRAPHIC_AUTO_ROTATION = { XY: 0.1, XZ: 0.12, YZ: 0.08, XW: 0.2, YW: 0.15, ZW: 0.25 } as const;

/** Length of the breath cycle in milliseconds. */
export const BREATH_PERIOD_MS = 6000;
