import { expect } from '@esm-bundle/chai';
import { mount, cleanup, renderAt, env, frames } from './helpers.js';
import { registerThemePack, getThemePack, ThemePackError } from '../../src/theme/index.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';

const SYSTEMS = ['faceted', 'quantum', 'holographic'] as const;
/** CSS hue -> the channel that must dominate (0 red, 1 green, 2 blue). */
const HUES = [
  { hue: 0, name: 'red', channel: 0 },
  { hue: 120, name: 'green', channel: 1 },
  { hue: 240, name: 'blue', channel: 2 },
] as const;
const CHANNELS = ['red', 'green', 'blue'];

/** Mean of each channel (0..255) over the whole canvas. */
function channelMeans(img: ImageData): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < img.data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += img.data[i + c]!;
  const n = img.data.length / 4;
  return sum.map((s) => s / n) as [number, number, number];
}

/** Waits (frame by frame) until the element's palette has been read from the theme's tokens. */
async function untilPalette(el: Vib3Canvas, done: () => boolean, what: string): Promise<void> {
  // The element re-reads the palette tokens while it renders; a generous frame budget, not a clock.
  for (let i = 0; i < 600 && !done(); i++) await frames(1);
  expect(done(), `${what}: hue ${el.hue}, saturation ${el.saturation}`).to.equal(true);
}

describe(`hue is the CSS hue (${env.flagSet} flags, ${env.expectedBackend})`, () => {
  afterEach(cleanup);

  for (const system of SYSTEMS) {
    for (const { hue, name, channel } of HUES) {
      it(`${system}: hue ${hue} renders ${name}-dominant pixels`, async () => {
        const { el, error } = await mount({ system, geometry: 1, hue, saturation: 1, intensity: 0.5 }, [64, 48]);
        expect(error, JSON.stringify(error)).to.equal(undefined);
        const means = channelMeans(await renderAt(el, 1500));
        const others = means.filter((_, c) => c !== channel);
        expect(means.indexOf(Math.max(...means)), `${CHANNELS[channel]} should dominate: mean rgb ${means.map((m) => m.toFixed(1))}`).to.equal(channel);
        // Clearly, not by a rounding error: at least 5 % above the next channel. (Quantum's shadow and
        // accent layers sit at ±120°, so its margin is the smallest, about 10 %.)
        expect(means[channel], `mean rgb ${means.map((m) => m.toFixed(1))}`).to.be.above(1.05 * Math.max(...others));
      });
    }
  }

  it("a theme pack's brandColor lands as the element's hue and saturation (and renders that colour)", async () => {
    registerThemePack({ name: 'brand-test', version: '1.0.0', base: '^1.1.0', brandColor: 'hsl(120 60% 40%)', tokens: {} });
    const { el, error } = await mount({ theme: 'brand-test', system: 'faceted', geometry: 1 }, [64, 48]);
    expect(error, JSON.stringify(error)).to.equal(undefined);
    await untilPalette(el, () => el.hue === 120 && el.saturation === 0.6, 'hue 120 and saturation 0.6 from the brand colour');
    const means = channelMeans(await renderAt(el, 1500));
    expect(means.indexOf(Math.max(...means)), `a green brand renders green: mean rgb ${means.map((m) => m.toFixed(1))}`).to.equal(1);
    // A pack that names its brand colour by token: {color.brand.400} of the pack (dodgerblue).
    registerThemePack({ name: 'brand-ref-test', version: '1.0.0', base: '^1.1.0', brandColor: '{color.brand.400}', tokens: { color: { brand: { '400': { $value: '#1e90ff' } } }, visual: { quantum: { saturation: { $value: 0.3 } } } } });
    el.theme = 'brand-ref-test';
    await untilPalette(el, () => el.hue === 210 && el.saturation === 1, 'hue 210 and saturation 1 from {color.brand.400}');
    el.system = 'quantum';
    await untilPalette(el, () => el.saturation === 0.3, "the pack's own quantum saturation wins over the brand colour");
    expect(el.hue).to.equal(210);
  });

  it('a theme switch on a <vib3-theme> around the element reaches its palette on the next frames (vib3-theme-change), not at the next poll', async () => {
    registerThemePack({ name: 'switch-green-test', version: '1.0.0', base: '^1.1.0', brandColor: 'hsl(120 60% 40%)', tokens: {} });
    registerThemePack({ name: 'switch-red-test', version: '1.0.0', base: '^1.1.0', brandColor: 'hsl(0 60% 40%)', tokens: {} });
    const wrapper = document.createElement('vib3-theme');
    wrapper.setAttribute('theme', 'switch-green-test');
    document.body.append(wrapper);
    try {
      const { el, error } = await mount({ system: 'faceted', geometry: 1, paused: '' }, [64, 48], wrapper);
      expect(error, JSON.stringify(error)).to.equal(undefined);
      await untilPalette(el, () => el.hue === 120, 'hue 120 from the wrapper theme');
      // Let the element's first palette poll pass, so the next one is a poll interval away.
      await frames(2);
      let changed = false;
      el.addEventListener('vib3-params-change', (e) => (changed ||= e.detail.changed.hue === 0));
      // <vib3-theme> announces the switch with vib3-theme-change; the element re-reads its
      // palette on the next frame it renders instead of waiting for the palette poll.
      wrapper.setAttribute('theme', 'switch-red-test');
      for (let i = 0; i < 3 && !changed; i++) await frames(1);
      expect(changed, `hue after the switch: ${el.hue}`).to.equal(true);
      expect(el.hue).to.equal(0);
    } finally {
      wrapper.remove();
    }
  });

  it('a bad brandColor is refused with a coded problem and the pack is not registered', () => {
    let thrown: unknown;
    try {
      registerThemePack({ name: 'brand-bad-test', version: '1.0.0', base: '^1.1.0', brandColor: 'greenish', tokens: {} });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(ThemePackError);
    const problem = (thrown as ThemePackError).problems.find((p) => p.code === 'INVALID_BRAND_COLOR');
    expect(problem?.path).to.equal('brandColor');
    expect(problem?.message).to.match(/"greenish" is not a colour/);
    expect((thrown as ThemePackError).suggestion).to.match(/#1e90ff/);
    expect(getThemePack('brand-bad-test')).to.equal(undefined);
  });
});
