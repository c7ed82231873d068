// An element that only animates is drawn by the render worker on its own (issue 24): the page's
// frame loop rests, so the host page pays nothing per frame, while the element's frames, clock and
// pixels keep moving; any change (a parameter, the clock, the pointer, leaving the screen, a tight
// frame budget) takes it back at once.
import { expect } from '@esm-bundle/chai';
import { TEST_FRAME_BUDGET_MS, mount, cleanup, pixels, compare, env, frames, nextDrawnFrame } from './helpers.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';
import { frameScheduler, setFrameBudget } from '../../src/element/frame-scheduler.js';
import { setRenderThread } from '../../src/render/worker/render-thread.js';
import { currentRenderClient } from '../../src/render/worker/render-client.js';

/** Generous: the worker loads and compiles its shaders on a busy machine. */
const SLOW = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, ms = SLOW): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

/** Counts the page loop's calls of `el.frame` (and how many of them drew on the main thread). */
function countFrames(el: Vib3Canvas): { calls: number; drew: number } {
  const counts = { calls: 0, drew: 0 };
  const frame = el.frame.bind(el);
  (el as unknown as { frame(now: number): boolean }).frame = (now: number) => {
    counts.calls++;
    const drew = frame(now);
    if (drew) counts.drew++;
    return drew;
  };
  return counts;
}

/** A lone animating element the worker draws on its own. */
async function freeRunning(attrs: Record<string, string | number> = { system: 'holographic', geometry: 5 }): Promise<Vib3Canvas> {
  const { el, error } = await mount(attrs);
  expect(error, JSON.stringify(error)).to.equal(undefined);
  el.motion = 'full';
  expect(el.presentation).to.equal('worker');
  await until('the worker draws it on its own and the page loop rests', () => frameScheduler.resting && currentRenderClient()!.isRunning(idOf(el)));
  return el;
}

/** The worker's id of the element's view. */
function idOf(el: Vib3Canvas): number {
  return (el as unknown as { rendererController: { view: { id: number } } }).rendererController.view.id;
}

describe(`the render worker draws an element that only animates on its own (${env.flagSet} flags)`, function () {
  this.timeout(300_000);
  beforeEach(() => setRenderThread('worker'));
  afterEach(() => {
    setRenderThread('auto');
    setFrameBudget(TEST_FRAME_BUDGET_MS);
    cleanup();
  });

  it('the page loop rests while frames, the clock and the pixels keep moving', async () => {
    const el = await freeRunning();
    const counts = countFrames(el);
    const startFrames = el.frameCount;
    const startTime = el.time;
    const startWall = performance.now();
    const before = pixels(el);
    await sleep(1500);
    const wall = performance.now() - startWall;
    const after = pixels(el);
    // The loop only checks on the element (every REST_CHECK_MS): a loop drawing every frame calls it ~90 times.
    expect(counts.calls, `the page's frame calls in ${wall.toFixed(0)} ms`).to.be.at.most(8);
    expect(counts.drew, 'nothing drawn on the main thread').to.equal(0);
    expect(el.frameCount - startFrames, 'frames the worker drew (reported to the element)').to.be.at.least(5);
    // The clock moves with wall time, read at any moment.
    expect(el.time - startTime).to.be.within(wall - 50, wall + 50);
    expect(compare(before, after).differing, 'the visual moved on screen').to.be.greaterThan(0.005);
  });

  it('pausing at an instant while it runs stops the worker on that exact frame', async () => {
    const el = await freeRunning();
    el.paused = true;
    el.time = 1500;
    await nextDrawnFrame(el);
    await frames(3);
    await sleep(200);
    const shown = pixels(el);
    const frameCount = el.frameCount;
    await sleep(800);
    expect(el.time).to.equal(1500);
    expect(el.frameCount, 'no frame drawn since').to.equal(frameCount);
    expect(compare(pixels(el), shown).differing, 'the same frame stays on screen').to.equal(0);
    // Playing again hands it back to the worker, from 1500 ms on.
    el.paused = false;
    await until('the worker draws it on its own again', () => currentRenderClient()!.isRunning(idOf(el)));
    expect(el.time).to.be.at.least(1500).and.below(1500 + 5_000);
  });

  it('a parameter change reaches the screen at once and the worker goes on with it', async () => {
    const el = await freeRunning({ system: 'faceted', geometry: 3, hue: 0 });
    const counts = countFrames(el);
    const red = pixels(el);
    el.hue = 200;
    await until('the page drew the change', () => counts.drew >= 1, 10_000);
    await until('the worker runs it again', () => currentRenderClient()!.isRunning(idOf(el)) && frameScheduler.resting);
    await sleep(300);
    const blue = pixels(el);
    const channel = (img: ImageData, c: number) => {
      let sum = 0;
      for (let i = c; i < img.data.length; i += 4) sum += img.data[i]!;
      return sum;
    };
    // Hue 0 is red, hue 200 blue: the worker's own frames show the new hue.
    expect(channel(red, 0) > channel(red, 2), 'red before').to.equal(true);
    expect(channel(blue, 2) > channel(blue, 0), 'blue after').to.equal(true);
  });

  it('the pointer moving over it wakes the page at once (the lattice follows the pointer)', async () => {
    const el = await freeRunning();
    const counts = countFrames(el);
    const rect = el.getBoundingClientRect();
    el.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + rect.width * 0.2, clientY: rect.top + rect.height * 0.3 }));
    await frames(3);
    expect(counts.drew, 'drawn by the page while the pointer eases in').to.be.at.least(1);
    await until('settled, the worker runs it again', () => currentRenderClient()!.isRunning(idOf(el)) && frameScheduler.resting);
    const drew = counts.drew;
    // A move that changes nothing but the position is still a change the worker must hear of.
    el.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + rect.width * 0.8, clientY: rect.top + rect.height * 0.7 }));
    await frames(3);
    expect(counts.drew, 'the new position was drawn').to.be.greaterThan(drew);
    el.dispatchEvent(new PointerEvent('pointerleave'));
  });

  it('off screen the worker stops drawing it; back on screen it goes on', async () => {
    const el = await freeRunning();
    el.style.position = 'absolute';
    el.style.top = '10000px';
    await until('off screen: the run ended', () => !currentRenderClient()!.isRunning(idOf(el)), 10_000);
    await sleep(300);
    const frameCount = el.frameCount;
    await sleep(800);
    expect(el.frameCount, 'no frames off screen').to.equal(frameCount);
    el.style.top = '0px';
    await until('back on screen, drawn on its own again', () => currentRenderClient()!.isRunning(idOf(el)));
    await until('frames rise again', () => el.frameCount > frameCount + 3, 30_000);
  });

  it('a page over its frame budget draws it from the page again (adaptive quality sees the worker)', async () => {
    const el = await freeRunning();
    const counts = countFrames(el);
    setFrameBudget(0.001);
    await until('the budget took it back', () => counts.drew > 10, 30_000);
    expect(currentRenderClient()!.isRunning(idOf(el))).to.equal(false);
    expect(frameScheduler.resting).to.equal(false);
  });
});
