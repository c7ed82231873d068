/**
 * The VIB3 palette on the CPU: the reference the shaders are tested against (and what any CPU
 * colour code uses). Hue is on the CSS colour wheel: 0 red, 120 green, 240 blue.
 */

/** Rec. 601 luma weights: the grey that `saturation` mixes toward. */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

/** Phase of each channel in turns: red peaks at hue 0, green at 1/3 (120°), blue at 2/3 (240°). */
export const CHANNEL_PHASES: readonly [number, number, number] = [0, 1 / 3, 2 / 3];

/** Hue in degrees (the `hue` parameter) to palette turns (what the shaders receive). */
export function hueToTurns(hueDegrees: number): number {
  return hueDegrees / 360;
}

/**
 * The cosine-rainbow palette, phase-shifted so the dominant channel matches the CSS hue:
 * rgb = .5 + .5·cos(2π(h − {0, 1/3, 2/3})), then mixed toward its grey (Rec. 601 luma) by
 * 1 − saturation. `h` is in turns (hue/360 plus layer offsets plus .1·lattice value); any real
 * number is fine (the palette repeats every turn). Components are in 0..1.
 */
export function paletteRgb(h: number, saturation: number): [number, number, number] {
  const f = h - Math.floor(h);
  const rgb = CHANNEL_PHASES.map((phase) => 0.5 + 0.5 * Math.cos(2 * Math.PI * (f - phase))) as [number, number, number];
  const grey = rgb[0] * LUMA_WEIGHTS[0] + rgb[1] * LUMA_WEIGHTS[1] + rgb[2] * LUMA_WEIGHTS[2];
  return rgb.map((c) => grey + (c - grey) * saturation) as [number, number, number];
}

/** Index of the largest of three channels (0 red, 1 green, 2 blue); ties go to the lower index. */
export function dominantChannel(rgb: readonly [number, number, number]): 0 | 1 | 2 {
  let best: 0 | 1 | 2 = 0;
  if (rgb[1] > rgb[best]) best = 1;
  if (rgb[2] > rgb[best]) best = 2;
  return best;
}
