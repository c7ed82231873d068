import { Fn, vec3, sin, dot, mix, type Node } from './loose.js';


const TAU = Math.PI * 2;

/**
 * VIB3's faceted palette: rgb = .5 + .5·sin(2π·h + {0, 2.0943, 4.1887}), then mixed toward its
 * grey (Rec. 601 luma) by 1 - saturation. `h` is in turns (hue/360 plus offsets).
 */
export const palette = Fn(([h, saturation]: Node[]) => {
  const rgb = sin(vec3(0, 2.0943, 4.1887).add(h.mul(TAU))).mul(0.5).add(0.5).toVar();
  const grey = dot(rgb, vec3(0.299, 0.587, 0.114));
  return mix(vec3(grey), rgb, saturation);
}, { h: 'float', saturation: 'float', return: 'vec3' });
