import { Fn, vec4, vec3, max, abs, select, type Node } from './loose.js';
import type { VisualUniforms } from './uniforms.js';


/**
 * Builds the 4D rotation as a TSL function: planes applied XY, XZ, YZ, XW, YW, ZW with the
 * sign conventions of DESIGN §4 (the same as `rotate4D` in core/rotation.ts).
 */
export function makeRotate4(u: VisualUniforms) {
  return Fn(([p]: Node[]) => {
    const q = vec4(p).toVar();
    const plane = (cs: Node, a: 'x' | 'y' | 'z', b: 'y' | 'z' | 'w', flip: boolean) => {
      const c = cs.x;
      const s = flip ? cs.y.negate() : cs.y;
      const na = q[a].mul(c).add(q[b].mul(s)).toVar();
      const nb = q[a].mul(s).negate().add(q[b].mul(c)).toVar();
      q[a].assign(na);
      q[b].assign(nb);
    };
    plane(u.rotXY, 'x', 'y', false);
    plane(u.rotXZ, 'x', 'z', true); // x' = cx - sz, z' = sx + cz
    plane(u.rotYZ, 'y', 'z', false);
    plane(u.rotXW, 'x', 'w', false);
    plane(u.rotYW, 'y', 'w', false);
    plane(u.rotZW, 'z', 'w', false);
    return q;
  }, { p: 'vec4', return: 'vec4' });
}

/** Perspective projection xyz·d/(d+w) with |d+w| kept >= 1e-3 (sign preserved). */
export const project4 = Fn(([p, d]: Node[]) => {
  const denom = d.add(p.w).toVar();
  const s = select(denom.lessThan(0), -1, 1);
  const safe = max(abs(denom), 1e-3).mul(s);
  return vec3(p.xyz).mul(d.div(safe));
}, { p: 'vec4', d: 'float', return: 'vec3' });

