// The `auto` render thread's handover (issue 24): a lone element starts on the main thread (direct on
// WebGL2, bitmap on WebGPU) and, once it keeps animating, moves to the page's render worker — with
// no blank frame on screen, no context loss, frames rising throughout, the same pixels as before.
import { expect } from '@esm-bundle/chai';
import { luminanceStats, mount, cleanup, nextDrawnFrame, pixels, isNonBlank, compare, env, frames } from './helpers.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';
import { GOLDEN_MEAN, GOLDEN_SHARE, decodeImage } from './golden-scenes.js';
import { setRenderThread } from '../../src/render/worker/render-thread.js';
import { renderWorkerUrl, setRenderWorkerUrl } from '../../src/render/worker/render-worker-url.js';
import { HANDOVER_AFTER_FRAMES } from '../../src/render/worker/handover-view.js';

/** Generous: the worker loads and compiles its shaders on a busy machine. */
const SLOW = 120_000;
const mainPath = env.expectedBackend === 'webgl2' ? 'direct' : 'bitmap';

/** Samples the element's canvas on every animation frame until `until()` holds; counts blank (black) samples and the paths seen. */
async function sampleUntil(el: Vib3Canvas, until: () => boolean, ms = SLOW) {
  const deadline = performance.now() + ms;
  let samples = 0;
  let blank = 0;
  const paths = new Set<string>();
  while (!until()) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms (presentation ${el.presentation}, frames ${el.frameCount})`);
    const img = pixels(el);
    samples++;
    // A frame missing on screen shows black (the host's background) or nothing: a bright flat phase of the animation is not one.
    if (luminanceStats(img).mean < 4) blank++;
    paths.add(el.presentation);
    await frames(1);
  }
  return { samples, blank, paths };
}

/** The frame at `timeMs` (paused) as a full-resolution snapshot. */
async function snapshotAt(el: Vib3Canvas, timeMs: number): Promise<ImageData> {
  el.paused = true;
  el.time = timeMs;
  await nextDrawnFrame(el);
  return decodeImage(await el.snapshot());
}

describe(`handover to the render worker under render thread auto (${env.flagSet} flags)`, function () {
  this.timeout(300_000);
  beforeEach(() => setRenderThread('auto'));
  afterEach(() => cleanup());

  it('a lone animating element moves to the worker: no blank frame, no context loss, frames keep rising, same pixels', async () => {
    const { el, event, error } = await mount({ system: 'faceted', geometry: 3 });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect((event.detail as unknown as { presentation: string }).presentation, 'the first frame comes from the main thread').to.equal(mainPath);
    const before = await snapshotAt(el, 1500);
    const lost: Event[] = [];
    el.addEventListener('vib3-context-lost', (e) => lost.push(e));
    el.paused = false;
    el.motion = 'full';
    const run = await sampleUntil(el, () => el.presentation === 'worker');
    expect(run.samples, 'it animated on the main thread first').to.be.at.least(HANDOVER_AFTER_FRAMES / 2);
    expect(el.dataset['presentation']).to.equal('worker');
    // Right after the swap and on: the worker's frames are on screen.
    const startFrames = el.frameCount;
    const after = await sampleUntil(el, () => el.frameCount >= startFrames + 20);
    expect(run.blank + after.blank, `blank samples around the handover (${run.samples + after.samples} samples)`).to.equal(0);
    expect([...after.paths]).to.deep.equal(['worker']);
    expect(lost.length, 'no vib3-context-lost').to.equal(0);
    // One canvas left in the element, and it is not the page's shared one.
    const canvases = el.shadowRoot!.querySelectorAll('canvas');
    expect(canvases.length).to.equal(1);
    expect(canvases[0]!.hasAttribute('data-vib3-direct')).to.equal(false);
    expect(canvases[0]!.getAttribute('part')).to.equal('canvas');
    // The same instant renders the same in the worker.
    const moved = await snapshotAt(el, 1500);
    const d = compare(moved, before);
    expect(d.meanDiff, 'snapshot in the worker vs on the main thread').to.be.at.most(GOLDEN_MEAN);
    expect(d.differing).to.be.at.most(GOLDEN_SHARE);
  });

  it('an element that does not animate stays on the main thread', async () => {
    const { el } = await mount({ system: 'quantum', geometry: 2 });
    el.paused = true;
    await frames(HANDOVER_AFTER_FRAMES + 30);
    expect(el.presentation).to.equal(mainPath);
  });

  it('the next element starts on the main thread again (fast first frame) while the first stays in the worker', async () => {
    const { el: first } = await mount({ system: 'faceted', geometry: 3 });
    first.motion = 'full';
    await sampleUntil(first, () => first.presentation === 'worker');
    const { el: second, event } = await mount({ system: 'holographic', geometry: 1 });
    expect((event.detail as unknown as { presentation: string }).presentation).to.equal(mainPath);
    expect(first.presentation).to.equal('worker');
    second.paused = true;
    second.time = 900;
    await nextDrawnFrame(second);
    expect(isNonBlank(pixels(second))).to.equal(true);
    const n = first.frameCount;
    await sampleUntil(first, () => first.frameCount >= n + 5);
  });

  it('where the worker cannot start, the element stays on the main thread and keeps drawing', async () => {
    const url = renderWorkerUrl().href;
    setRenderWorkerUrl('/no-such-render-worker.js');
    try {
      const { el } = await mount({ system: 'faceted', geometry: 5 });
      el.motion = 'full';
      const n = el.frameCount;
      const run = await sampleUntil(el, () => el.frameCount >= n + HANDOVER_AFTER_FRAMES * 3);
      expect([...run.paths]).to.deep.equal([mainPath]);
      expect(run.blank).to.equal(0);
    } finally {
      setRenderWorkerUrl(url);
    }
  });
});
