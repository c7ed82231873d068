import { NodeMaterial } from 'three/webgpu';
import { Fn, float, vec2, vec3, vec4, screenCoordinate, sin, cos, abs, clamp, min, fract, floor, dot, length, smoothstep, type Node } from './loose.js';
import type { LayerSpec } from '../../layers.js';
import { makeRotate4, project4 } from './rotation.js';
import { latticeValue } from './lattices.js';
import { makeCoreWarp } from './warps.js';
import { palette } from './palette.js';
import type { VisualUniforms } from './uniforms.js';

/** Quantum's particle field: one twinkling point per cell, seeded by `variation`. */
const sparkle = Fn(([uv, tau, variation]: Node[]) => {
  const g = uv.mul(14).add(variation.mul(1.7));
  const cell = floor(g);
  const f = fract(g).sub(0.5);
  const rnd = fract(sin(dot(cell, vec2(12.9898, 78.233))).mul(43758.5453));
  const rnd2 = fract(rnd.mul(91.7));
  const offset = vec2(rnd, rnd2).sub(0.5).mul(0.6);
  const dist = length(f.sub(offset));
  const twinkle = sin(tau.mul(60).add(rnd.mul(6.283))).mul(0.5).add(0.5);
  return float(1).sub(smoothstep(0, 0.12, dist)).mul(twinkle);
}, { uv: 'vec2', tau: 'float', variation: 'float', return: 'float' });

/**
 * Builds the material of one system: every layer of `layers` is evaluated per pixel and
 * composited back to front inside this one draw, so an element costs one draw call and one
 * canvas whatever its system. The same node graph compiles to WGSL (WebGPU) and GLSL (WebGL2).
 */
export function createSystemMaterial(u: VisualUniforms, layers: readonly LayerSpec[]): NodeMaterial {
  const rotate4 = makeRotate4(u);
  const coreWarp = makeCoreWarp(u);

  const shade = Fn(() => {
    const res = u.resolution;
    // Pixel centre relative to the element's tile of the shared canvas, y up.
    const centred = screenCoordinate.xy.sub(u.origin).sub(res.mul(0.5)).div(min(res.x, res.y));
    const uv = vec2(centred.x, centred.y.negate()).toVar();
    const acc = vec3(0).toVar();
    const click = u.pointer.z;
    const high = u.audio.z;
    for (const layer of layers) {
      const tau = u.timeMs.mul(1e-4).mul(u.speed).mul(layer.speed).toVar();
      const xy = uv.mul(3).add(u.pointer.xy);
      const p4 = vec4(xy, sin(tau.mul(3)).add(u.variation.mul(0.0127)), cos(tau.mul(2)));
      const projected = project4(rotate4(p4), u.projection);
      const warped = coreWarp(projected, u.base).toVar();
      const density = u.gridDensity.mul(0.08 * layer.density);
      const value = latticeValue(warped, u.base, density, u.morph, tau)
        .add(sin(warped.x.mul(7)).mul(cos(warped.y.mul(11))).mul(sin(warped.z.mul(13))).mul(u.chaos))
        .toVar();
      let bright = float(1).sub(clamp(abs(value), 0, 1));
      if (layer.particles) bright = bright.add(sparkle(uv, tau, u.variation).mul(0.6));
      // h = hue/360 + layer offset + .1·value: the lattice value moves the colour a little around the hue.
      const rgb = palette(u.hue.add(layer.hueOffset).add(value.mul(0.1)), u.saturation);
      const b = bright
        .mul(u.brightness)
        .mul(layer.intensity)
        .mul(click.mul(0.6).add(high.mul(0.4)).add(1));
      const colour = rgb.mul(b).mul(layer.lightness * 2).mul(u.intensity.mul(2));
      const alpha = clamp(b.mul(layer.alpha).mul(clamp(u.intensity.mul(2), 0, 1)), 0, 1);
      acc.assign(acc.mul(float(1).sub(alpha)).add(colour.mul(alpha)));
    }
    return vec4(clamp(acc, 0, 1), 1);
  });

  const material = new NodeMaterial();
  material.fragmentNode = shade();
  material.depthTest = false;
  material.depthWrite = false;
  material.transparent = false;
  material.name = `vib3-${layers.length}-layer`;
  return material;
}
