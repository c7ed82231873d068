import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeGeometry, geometryIndex, listGeometries, GEOMETRY_COUNT } from '../../src/core/geometry.js';

test('24 geometries: index = core * 8 + base', () => {
  assert.equal(GEOMETRY_COUNT, 24);
  const all = listGeometries();
  assert.equal(all.length, 24);
  for (const g of all) assert.equal(geometryIndex(g.core, g.base), g.index);
  assert.deepEqual([describeGeometry(9).coreName, describeGeometry(9).baseName], ['hypersphere', 'hypercube']);
  assert.deepEqual([describeGeometry(23).coreName, describeGeometry(23).baseName], ['hypertetrahedron', 'crystal']);
  assert.equal(describeGeometry(3).label, 'Torus');
  assert.equal(describeGeometry(12).label, 'Hypersphere Klein Bottle');
  assert.equal(new Set(all.map((g) => g.label)).size, 24, 'labels are unique');
});

test('out-of-range geometry indices throw RangeError', () => {
  for (const bad of [-1, 24, 1.5, Number.NaN]) assert.throws(() => describeGeometry(bad), RangeError);
});
