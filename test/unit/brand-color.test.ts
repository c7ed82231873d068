import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brandColorToVisual, parseCssColor, rgbToHueSaturation } from '../../src/theme/brand-color.js';

const visual = (value: unknown) => {
  const r = brandColorToVisual(value);
  assert.ok(r.ok, `${JSON.stringify(value)}: ${JSON.stringify(r)}`);
  return r.visual;
};

test('a brand colour gives its CSS hue (degrees) and CSS HSL saturation (0..1)', () => {
  assert.deepEqual(visual('#1e90ff'), { hue: 210, saturation: 1 }, 'dodgerblue = hsl(210 100% 56%)');
  assert.deepEqual(visual('#ff0000'), { hue: 0, saturation: 1 });
  assert.deepEqual(visual('#00ff00'), { hue: 120, saturation: 1 });
  assert.deepEqual(visual('#0000ff'), { hue: 240, saturation: 1 });
  assert.deepEqual(visual('#ff7ac8'), { hue: 325, saturation: 1 }, 'Acme pink: warm magenta');
  assert.deepEqual(visual('#2e8b57'), { hue: 146, saturation: 0.5 }, 'seagreen = hsl(146 50% 36%)');
  assert.deepEqual(visual('#ff0001'), { hue: 0, saturation: 1 }, 'a hue of 359.8 rounds to 360 and wraps to 0');
});

test('greys have no hue: only the saturation (0) is set', () => {
  for (const grey of ['#808080', '#000', '#ffffff', 'rgb(10% 10% 10%)']) assert.deepEqual(visual(grey), { hue: undefined, saturation: 0 }, grey);
});

test('hex (3, 4, 6, 8 digits), rgb()/rgba() and hsl()/hsla() in comma and space syntax; alpha is ignored', () => {
  const same = ['#1e90ff', '#1E90FFcc', 'rgb(30, 144, 255)', 'rgba(30,144,255,0.5)', 'rgb(30 144 255)', 'rgb(30 144 255 / 50%)', 'hsl(210, 100%, 55.9%)', 'hsl(210deg 100% 55.9% / .4)', 'hsla(0.5833turn, 100%, 56%, 1)'];
  for (const c of same) assert.deepEqual(visual(c), { hue: 210, saturation: 1 }, c);
  assert.deepEqual(parseCssColor('#f0a'), { r: 1, g: 0, b: 170 / 255 });
  assert.deepEqual(parseCssColor('#f0a8'), { r: 1, g: 0, b: 170 / 255 });
  assert.deepEqual(parseCssColor('rgb(100% 0% 50%)'), { r: 1, g: 0, b: 0.5 });
  assert.deepEqual(visual('hsl(3.14159rad 100% 50%)'), { hue: 180, saturation: 1 });
  assert.deepEqual(visual('hsl(400grad 60% 40%)'), { hue: 0, saturation: 0.6 });
  assert.deepEqual(visual('hsl(-120 80% 50%)'), { hue: 240, saturation: 0.8 });
});

test('anything else is refused with INVALID_BRAND_COLOR, a message and a suggestion', () => {
  for (const bad of ['dodgerblue', 'very blue', '#12345', '#gggggg', 'rgb(1, 2)', 'rgb(1 2 3 4)', 'rgb(1 2 3 / 1 / 2)', 'rgb(1px 2 3)', 'hsl(10 20% 30% /)', '', 42, null, undefined, { r: 1 }]) {
    const r = brandColorToVisual(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    if (r.ok) continue;
    assert.equal(r.problem.code, 'INVALID_BRAND_COLOR');
    assert.match(r.problem.message, /is not a colour/);
    assert.match(r.problem.suggestion, /#1e90ff/);
  }
  const oklch = brandColorToVisual('oklch(70% 0.15 250)');
  assert.ok(!oklch.ok && /colour space/.test(oklch.problem.message), 'oklch is named as unsupported, not as a typo');
});

test('rgbToHueSaturation follows CSS: hue by the largest channel, saturation = chroma / (1 - |2L - 1|)', () => {
  assert.deepEqual(rgbToHueSaturation({ r: 1, g: 1, b: 0 }), { hue: 60, saturation: 1 });
  assert.deepEqual(rgbToHueSaturation({ r: 0, g: 0.5, b: 0.5 }), { hue: 180, saturation: 1 });
  const pastel = rgbToHueSaturation({ r: 0.75, g: 0.25, b: 0.75 });
  assert.equal(pastel.hue, 300);
  assert.ok(Math.abs(pastel.saturation - 0.5) < 1e-12);
});
