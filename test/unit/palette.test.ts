import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paletteRgb, hueToTurns, dominantChannel } from '../../src/core/palette.js';

/** CSS hsl(hue 100% 50%) as rgb in 0..1 (CSS Color 4, "hsl to rgb"). */
function cssHsl(hue: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return 0.5 - 0.5 * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

test('hue is on the CSS colour wheel: 0 red, 120 green, 240 blue (full saturation)', () => {
  assert.deepEqual(paletteRgb(hueToTurns(0), 1).map((c) => +c.toFixed(6)), [1, 0.25, 0.25]);
  assert.deepEqual(paletteRgb(hueToTurns(120), 1).map((c) => +c.toFixed(6)), [0.25, 1, 0.25]);
  assert.deepEqual(paletteRgb(hueToTurns(240), 1).map((c) => +c.toFixed(6)), [0.25, 0.25, 1]);
  assert.equal(dominantChannel(paletteRgb(hueToTurns(360), 1)), 0, '360 wraps to red');
});

test('for every integer hue the dominant channel is the one CSS hsl() gives (ties at 60/180/300 excepted)', () => {
  for (let hue = 0; hue < 360; hue++) {
    if (hue % 60 === 0 && hue % 120 !== 0) continue; // two channels tie in CSS
    const css = cssHsl(hue);
    const ours = paletteRgb(hueToTurns(hue), 1);
    assert.equal(dominantChannel(ours), dominantChannel(css), `hue ${hue}: palette ${ours} vs css ${css}`);
  }
  // The secondary colours: the two CSS channels are equal and both exceed the third.
  for (const [hue, low] of [[60, 2], [180, 0], [300, 1]] as const) {
    const rgb = paletteRgb(hueToTurns(hue), 1);
    const high = [0, 1, 2].filter((c) => c !== low);
    assert.ok(Math.abs(rgb[high[0]!]! - rgb[high[1]!]!) < 1e-12 && rgb[high[0]!]! > rgb[low]! + 0.5, `hue ${hue}: ${rgb}`);
  }
});

test('the palette keeps its shape: same cosine rainbow as the origin, phase-shifted', () => {
  // Origin: .5 + .5 sin(2πh + {0, 2.0943, 4.1887}). Ours is the same curve at 1/4 − h: a quarter
  // turn of phase, and the origin ran round the wheel the other way.
  for (let h = 0; h < 1; h += 0.01) {
    const origin = [0, 2.0943951, 4.1887902].map((p) => 0.5 + 0.5 * Math.sin(2 * Math.PI * h + p));
    const ours = paletteRgb(0.25 - h, 1);
    assert.ok(Math.abs(ours[0] - origin[0]!) < 1e-6 && Math.abs(ours[1] - origin[1]!) < 1e-6 && Math.abs(ours[2] - origin[2]!) < 1e-6, `h ${h}`);
  }
});

test('saturation mixes toward the Rec. 601 grey; any real h works (offsets, lattice value)', () => {
  const full = paletteRgb(0.3, 1);
  const grey = 0.299 * full[0] + 0.587 * full[1] + 0.114 * full[2];
  assert.deepEqual(paletteRgb(0.3, 0).map((c) => +c.toFixed(9)), [grey, grey, grey].map((c) => +c.toFixed(9)));
  const half = paletteRgb(0.3, 0.5);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(half[c]! - (grey + (full[c]! - grey) / 2)) < 1e-12);
  for (const h of [-2.7, -0.1, 1.3, 5.05]) {
    const a = paletteRgb(h, 0.8);
    const b = paletteRgb(h - Math.floor(h), 0.8);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(a[c]! - b[c]!) < 1e-12, `h ${h}`);
  }
});
