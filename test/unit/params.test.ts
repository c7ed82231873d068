import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARAM_SPECS, PARAM_BY_ATTRIBUTE, defaultParams, normalizeParam, normalizeParams, type NumericParamSpec } from '../../src/core/params.js';
import { Vib3Error } from '../../src/core/errors.js';

const numeric = PARAM_SPECS.filter((s): s is NumericParamSpec => s.kind !== 'enum');

test('defaults are the DESIGN §3 table', () => {
  assert.deepEqual(defaultParams(), {
    system: 'quantum', geometry: 0, rot4dXY: 0, rot4dXZ: 0, rot4dYZ: 0, rot4dXW: 0, rot4dYW: 0, rot4dZW: 0,
    dimension: 3.5, gridDensity: 15, morphFactor: 1, chaos: 0.2, speed: 1, hue: 200, intensity: 0.5, saturation: 0.8, variation: 0,
  });
});

test('ranges are the DESIGN §3 table', () => {
  const ranges = Object.fromEntries(numeric.map((s) => [s.name, [s.min, s.max, s.kind]]));
  const tau = 2 * Math.PI;
  assert.deepEqual(ranges, {
    geometry: [0, 23, 'int'],
    rot4dXY: [-tau, tau, 'float'], rot4dXZ: [-tau, tau, 'float'], rot4dYZ: [-tau, tau, 'float'],
    rot4dXW: [-tau, tau, 'float'], rot4dYW: [-tau, tau, 'float'], rot4dZW: [-tau, tau, 'float'],
    dimension: [3, 4.5, 'float'], gridDensity: [4, 100, 'float'], morphFactor: [0, 2, 'float'], chaos: [0, 1, 'float'],
    speed: [0.1, 3, 'float'], hue: [0, 360, 'int'], intensity: [0, 1, 'float'], saturation: [0, 1, 'float'], variation: [0, 99, 'int'],
  });
});

test('attributes are the kebab-case forms of the VIB3 names', () => {
  const expected: Record<string, string> = {
    system: 'system', geometry: 'geometry', rot4dXY: 'rot4d-xy', rot4dXZ: 'rot4d-xz', rot4dYZ: 'rot4d-yz', rot4dXW: 'rot4d-xw',
    rot4dYW: 'rot4d-yw', rot4dZW: 'rot4d-zw', dimension: 'dimension', gridDensity: 'grid-density', morphFactor: 'morph-factor',
    chaos: 'chaos', speed: 'speed', hue: 'hue', intensity: 'intensity', saturation: 'saturation', variation: 'variation',
  };
  for (const spec of PARAM_SPECS) assert.equal(spec.attribute, expected[spec.name], spec.name);
  assert.equal(PARAM_BY_ATTRIBUTE.get('rot4d-xw')?.name, 'rot4dXW');
});

for (const spec of numeric) {
  test(`${spec.name}: clamps below and above, keeps in-range values, ${spec.kind === 'int' ? 'rounds' : 'keeps fractions'}`, () => {
    assert.equal(normalizeParam(spec.name, spec.min - 1000), spec.min);
    assert.equal(normalizeParam(spec.name, spec.max + 1000), spec.max);
    const mid = (spec.min + spec.max) / 2 + 0.3;
    const expected = spec.kind === 'int' ? Math.round(mid) : mid;
    assert.equal(normalizeParam(spec.name, mid), expected);
    assert.equal(normalizeParam(spec.name, String(mid)), expected, 'numeric strings (attributes) parse');
    if (spec.kind === 'int') {
      assert.equal(normalizeParam(spec.name, spec.min + 0.49), spec.min);
      assert.equal(normalizeParam(spec.name, spec.min + 0.5), spec.min + 1);
    }
  });

  test(`${spec.name}: rejects non-finite and unparsable values with INVALID_PARAM and a suggestion`, () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, 'abc', '', '  ', undefined, null, {}, [1, 2]]) {
      assert.throws(
        () => normalizeParam(spec.name, bad),
        (err: unknown) => err instanceof Vib3Error && err.code === 'INVALID_PARAM' && err.suggestion.length > 0 && err.message.includes(spec.name),
        `${spec.name} = ${String(bad)}`,
      );
    }
  });
}

test('system accepts the three names (case-insensitive, trimmed) and rejects anything else', () => {
  assert.equal(normalizeParam('system', 'faceted'), 'faceted');
  assert.equal(normalizeParam('system', ' Holographic '), 'holographic');
  for (const bad of ['', 'quantumm', 3, null, undefined]) {
    assert.throws(() => normalizeParam('system', bad), (e: unknown) => e instanceof Vib3Error && e.code === 'INVALID_PARAM');
  }
});

test('normalizeParams is atomic: one bad entry rejects the whole batch', () => {
  assert.deepEqual(normalizeParams({ hue: 400.4, speed: 2 }), { hue: 360, speed: 2 });
  assert.throws(() => normalizeParams({ hue: 100, speed: Number.NaN }), (e: unknown) => e instanceof Vib3Error && e.code === 'INVALID_PARAM');
  assert.throws(() => normalizeParams({ hue: 100, bogus: 1 }), (e: unknown) => e instanceof Vib3Error && e.code === 'UNKNOWN_PARAM');
  assert.throws(() => normalizeParams(null as unknown as Record<string, unknown>), (e: unknown) => e instanceof Vib3Error);
});

test('negative zero normalises to zero', () => {
  assert.ok(Object.is(normalizeParam('rot4dXY', -0), 0));
});
