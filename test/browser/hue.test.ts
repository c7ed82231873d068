import { expect } from '@esm-bundle/chai';
import { mount, cleanup, renderAt, env } from './helpers.js';

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
});
