import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breathAt, buildFrameState } from '../../src/render/frame-state.js';
import { defaultParams } from '../../src/core/params.js';
import { layersFor, LAYER_ROLES } from '../../src/render/layers.js';

test('breath follows (1 - cos 2πφ)/2 over a 6 s cycle', () => {
  assert.ok(Math.abs(breathAt(0)) < 1e-12);
  assert.ok(Math.abs(breathAt(3000) - 1) < 1e-12);
  assert.ok(Math.abs(breathAt(1500) - 0.5) < 1e-12);
  assert.ok(Math.abs(breathAt(6000)) < 1e-12);
  assert.ok(Math.abs(breathAt(-1500) - 0.5) < 1e-12);
});

test('breath brightens faceted by 30 % and quantum by 40 %, and pushes holographic projection by 0.5', () => {
  const at = (system: 'faceted' | 'quantum' | 'holographic') =>
    buildFrameState({ params: { ...defaultParams(), system }, timeMs: 3000, width: 10, height: 10 });
  assert.ok(Math.abs(at('faceted').brightness - 1.3) < 1e-12);
  assert.ok(Math.abs(at('quantum').brightness - 1.4) < 1e-12);
  assert.equal(at('holographic').brightness, 1);
  assert.ok(Math.abs(at('holographic').projectionDistance - 4.0) < 1e-12);
  assert.equal(at('quantum').projectionDistance, 3.5);
});

test('holographic auto-rotates per second (XY .1, XZ .12, YZ .08, XW .2, YW .15, ZW .25); others do not', () => {
  const params = { ...defaultParams(), system: 'holographic' as const, rot4dXW: 0.5 };
  const f = buildFrameState({ params, timeMs: 2000, width: 1, height: 1 });
  const expected = { XY: 0.2, XZ: 0.24, YZ: 0.16, XW: 0.9, YW: 0.3, ZW: 0.5 };
  for (const [k, v] of Object.entries(expected)) assert.ok(Math.abs(f.rotation[k as keyof typeof expected] - v) < 1e-12, k);
  const q = buildFrameState({ params: { ...params, system: 'quantum' }, timeMs: 2000, width: 1, height: 1 });
  assert.deepEqual(q.rotation, { XY: 0, XZ: 0, YZ: 0, XW: 0.5, YW: 0, ZW: 0 });
});

test('layer stacks: faceted one layer; quantum the five DESIGN roles with their constants', () => {
  assert.equal(layersFor('faceted').length, 1);
  const q = layersFor('quantum');
  assert.deepEqual(q.map((l) => l.role), [...LAYER_ROLES]);
  assert.deepEqual(q.map((l) => l.intensity), [0.4, 0.6, 1, 1.3, 1.6]);
  assert.deepEqual(q.map((l) => l.hueOffset), [0, 0.33, 0, 0.15, 0.67]);
  assert.deepEqual(q.map((l) => l.lightness), [0.15, 0.3, 0.55, 0.6, 0.5]);
  assert.deepEqual(q.map((l) => l.alpha), [0.6, 0.4, 1, 0.8, 0.3]);
  assert.deepEqual(q.filter((l) => l.particles).map((l) => l.role), ['content', 'highlight']);
  const h = layersFor('holographic');
  assert.equal(h.length, 5);
  assert.ok(h.some((l) => l.density !== 1) && h.some((l) => l.speed !== 1), 'holographic roles scale density and speed');
});

test('frame state is pure: same inputs give equal outputs', () => {
  const input = { params: defaultParams(), timeMs: 1234.5, width: 64, height: 48 };
  assert.deepEqual(buildFrameState(input), buildFrameState(input));
});
