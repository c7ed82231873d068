import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectPerspective, projectOrthographic, projectStereographic, PROJECTION_EPSILON } from '../../src/core/projection.js';

test('perspective projection is xyz * d / (d + w)', () => {
  assert.deepEqual(projectPerspective([1, 2, 3, 0], 3.5), [1, 2, 3]);
  const [x, y, z] = projectPerspective([1, -2, 0.5, 1], 3);
  assert.ok(Math.abs(x - 0.75) < 1e-12 && Math.abs(y + 1.5) < 1e-12 && Math.abs(z - 0.375) < 1e-12);
  // w towards the viewer enlarges: d/(d+w) with w = -1.5, d = 4.5 -> 1.5x
  const [x2] = projectPerspective([2, 0, 0, -1.5], 4.5);
  assert.ok(Math.abs(x2 - 3) < 1e-12);
});

test('projection distance is the dimension parameter: larger d means less perspective', () => {
  const near = projectPerspective([1, 0, 0, 1], 3)[0];
  const far = projectPerspective([1, 0, 0, 1], 4.5)[0];
  assert.ok(far > near, `${far} > ${near}`);
});

test('d + w near zero is guarded: results stay finite and keep their sign', () => {
  for (const w of [-3.5, -3.5 + 1e-9, -3.5 - 1e-9]) {
    const out = projectPerspective([1, 1, 1, w], 3.5);
    assert.ok(out.every(Number.isFinite), `finite at w=${w}`);
    assert.ok(Math.abs(out[0]) <= 3.5 / PROJECTION_EPSILON + 1e-6);
  }
  assert.ok(projectPerspective([1, 0, 0, -3.5 - 1e-9], 3.5)[0] < 0);
  assert.ok(projectPerspective([1, 0, 0, -3.5 + 1e-9], 3.5)[0] > 0);
});

test('orthographic drops w; stereographic maps the equator of S3 to itself', () => {
  assert.deepEqual(projectOrthographic([1, 2, 3, 4]), [1, 2, 3]);
  const s = projectStereographic([1, 0, 0, 0]);
  assert.ok(Math.abs(s[0] - 1) < 1e-12);
  assert.ok(projectStereographic([0, 0, 0, 1]).every(Number.isFinite));
});
