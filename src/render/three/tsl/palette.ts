import { Fn, vec3, cos, dot, fract, mix, type Node } from './loose.js';
import { CHANNEL_PHASES, LUMA_WEIGHTS } from '../../../core/palette.js';

const TAU = Math.PI * 2;

/**
 * VIB3's palette with the hue on the CSS colour wheel (0 red, 120 green, 240 blue):
 * rgb = .5 + .5·cos(2π(h − {0, 1/3, 2/3})), then mixed toward its grey (Rec. 601 luma) by
 * 1 − saturation. `h` is in turns (hue/360 plus offsets), any real number. The CPU reference is
 * `paletteRgb` in src/core/palette.ts; the shader-math browser test checks that both agree.
 */
export const palette = Fn(([h, saturation]: Node[]) => {
  const phase = vec3(...CHANNEL_PHASES);
  // Each channel's angle is wrapped to [−π, π), where GPU cosines are most accurate.
  const turns = fract(vec3(h).sub(phase).add(0.5)).sub(0.5);
  const rgb = cos(turns.mul(TAU)).mul(0.5).add(0.5).toVar();
  const grey = dot(rgb, vec3(...LUMA_WEIGHTS));
  return mix(vec3(grey), rgb, saturation);
}, { h: 'float', saturation: 'float', return: 'vec3' });
