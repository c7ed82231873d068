import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROTATION_PLANES, planeMatrix, rotationMatrix, rotate4D, transform4, multiply4, identity4, type Rotation4D, type Vec4, type RotationPlane } from '../../src/core/rotation.js';

const zero: Rotation4D = { XY: 0, XZ: 0, YZ: 0, XW: 0, YW: 0, ZW: 0 };
const close = (a: readonly number[], b: readonly number[], eps = 1e-12) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= eps, `component ${i}: ${v} vs ${b[i]} (eps ${eps})`));
};

test('plane matrices match the hand-computed VIB3 formulas at 90 degrees', () => {
  const q = Math.PI / 2; // c = 0, s = 1
  const p: Vec4 = [1, 2, 3, 4];
  // XY: x' = cx + sy = y, y' = -sx + cy = -x
  close(transform4(planeMatrix('XY', q), p), [2, -1, 3, 4]);
  // XZ: x' = cx - sz = -z, z' = sx + cz = x
  close(transform4(planeMatrix('XZ', q), p), [-3, 2, 1, 4]);
  // YZ: y' = cy + sz = z, z' = -sy + cz = -y
  close(transform4(planeMatrix('YZ', q), p), [1, 3, -2, 4]);
  // XW: x' = cx + sw = w, w' = -sx + cw = -x
  close(transform4(planeMatrix('XW', q), p), [4, 2, 3, -1]);
  // YW: y' = cy + sw = w, w' = -sy + cw = -y
  close(transform4(planeMatrix('YW', q), p), [1, 4, 3, -2]);
  // ZW: z' = cz + sw = w, w' = -sz + cw = -z
  close(transform4(planeMatrix('ZW', q), p), [1, 2, 4, -3]);
});

test('plane matrices at an arbitrary angle (0.3 rad) against explicit cos/sin arithmetic', () => {
  const a = 0.3, c = Math.cos(a), s = Math.sin(a);
  const [x, y, z, w] = [0.5, -1.25, 2, 0.75];
  const expected: Record<RotationPlane, Vec4> = {
    XY: [c * x + s * y, -s * x + c * y, z, w],
    XZ: [c * x - s * z, y, s * x + c * z, w],
    YZ: [x, c * y + s * z, -s * y + c * z, w],
    XW: [c * x + s * w, y, z, -s * x + c * w],
    YW: [x, c * y + s * w, z, -s * y + c * w],
    ZW: [x, y, c * z + s * w, -s * z + c * w],
  };
  for (const plane of ROTATION_PLANES) close(transform4(planeMatrix(plane, a), [x, y, z, w]), expected[plane]);
});

test('every plane matrix is orthonormal (M·Mᵀ = I)', () => {
  for (const plane of ROTATION_PLANES) {
    const m = planeMatrix(plane, 1.234);
    const mt = new Float64Array(16);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) mt[c * 4 + r] = m[r * 4 + c]!;
    close([...multiply4(m, mt)], [...identity4()], 1e-12);
  }
});

test('composition order is XY, XZ, YZ, XW, YW, ZW (p\' = R_ZW R_YW R_XW R_YZ R_XZ R_XY p)', () => {
  const rot: Rotation4D = { XY: 0.4, XZ: -0.7, YZ: 1.1, XW: 0.25, YW: -1.9, ZW: 2.6 };
  let expected = identity4();
  for (const plane of ['XY', 'XZ', 'YZ', 'XW', 'YW', 'ZW'] as const) expected = multiply4(planeMatrix(plane, rot[plane]), expected);
  close([...rotationMatrix(rot)], [...expected]);
  // And the order matters: the reverse order gives a different matrix.
  let reversed = identity4();
  for (const plane of ['ZW', 'YW', 'XW', 'YZ', 'XZ', 'XY'] as const) reversed = multiply4(planeMatrix(plane, rot[plane]), reversed);
  const diff = [...rotationMatrix(rot)].reduce((acc, v, i) => acc + Math.abs(v - reversed[i]!), 0);
  assert.ok(diff > 0.1, 'composition order must be observable');
});

test('a hand-worked two-plane composition: XY then XW, each by 90 degrees', () => {
  // XY(90): (1,2,3,4) -> (2,-1,3,4); XW(90): x' = w = 4, w' = -x = -2
  close(rotate4D([1, 2, 3, 4], { ...zero, XY: Math.PI / 2, XW: Math.PI / 2 }), [4, -1, 3, -2]);
});

test('rotate4D (step form used by the shaders) equals the matrix form on random inputs', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32) * 4 - 2;
  for (let i = 0; i < 500; i++) {
    const rot: Rotation4D = { XY: rnd() * 3, XZ: rnd() * 3, YZ: rnd() * 3, XW: rnd() * 3, YW: rnd() * 3, ZW: rnd() * 3 };
    const p: Vec4 = [rnd(), rnd(), rnd(), rnd()];
    close(rotate4D(p, rot), transform4(rotationMatrix(rot), p), 1e-12);
  }
});

test('rotations preserve length and zero angles are the identity', () => {
  const p: Vec4 = [0.3, -2, 1.5, 0.9];
  close(rotate4D(p, zero), p, 0);
  const q = rotate4D(p, { XY: 1, XZ: 2, YZ: 3, XW: 4, YW: 5, ZW: 6 });
  assert.ok(Math.abs(Math.hypot(...q) - Math.hypot(...p)) < 1e-12);
});
