import { Fn, If, vec4, vec3, abs, dot, sin, cos, clamp, mix, min, length, type Node } from './loose.js';
import { makeRotate4, project4 } from './rotation.js';
import { TETRA_DIRECTIONS } from './lattices.js';
import type { VisualUniforms } from './uniforms.js';

/**
 * The warp cores (DESIGN §4): 0 = none, 1 = hypersphere, 2 = hypertetrahedron.
 * Both lift the projected point back into 4D, rotate and project it again, and blend.
 */
export function makeCoreWarp(u: VisualUniforms) {
  const rotate4 = makeRotate4(u);
  const [c1, c2, c3, c4] = TETRA_DIRECTIONS;
  return Fn(([p, base]: Node[]) => {
    const out = vec3(p).toVar();
    const t = u.timeMs;
    const dimShift = u.dimension.sub(3);
    If(u.core.greaterThan(0.5).and(u.core.lessThan(1.5)), () => {
      const mb = clamp(u.morph.mul(0.6).add(dimShift.mul(0.25)), 0, 2);
      const w = sin(length(p).mul(base.mul(0.12).add(1.3)).add(t.mul(0.0008).mul(u.speed))).mul(mb.mul(0.45).add(0.4));
      const p4 = vec4(p.mul(mb.mul(0.2).add(1)), w);
      const proj = project4(rotate4(p4), u.projection);
      out.assign(mix(p, proj, clamp(mb.mul(0.35).add(0.45), 0, 1)));
    }).ElseIf(u.core.greaterThan(1.5), () => {
      const mb = clamp(u.morph.mul(0.8).add(dimShift.mul(0.2)), 0, 2);
      const d1 = dot(p, c1);
      const d2 = dot(p, c2);
      const d3 = dot(p, c3);
      const d4 = dot(p, c4);
      const w = sin(d1.mul(0.14).add(d2.mul(0.1)).add(d3.mul(0.08)).mul(5.5).add(t.mul(0.0009).mul(u.speed)))
        .mul(cos(d4.mul(4.2).sub(t.mul(0.0007).mul(u.speed))))
        .mul(mb.mul(0.4).add(0.5));
      const offset = vec3(d1, d2, d3).mul(mb.mul(0.1));
      const proj = project4(rotate4(vec4(p.add(offset), w)), u.projection);
      const blended = mix(p, proj, clamp(mb.mul(0.35).add(0.45), 0, 1)).toVar();
      const planeInfluence = min(abs(d1), abs(d2), abs(d3), abs(d4));
      out.assign(mix(blended, blended.mul(planeInfluence.mul(-0.55).add(1)), mb.mul(0.2).add(0.2)));
    });
    return out;
  }, { p: 'vec3', base: 'float', return: 'vec3' });
}
