// Rendering off the main thread (issue 24, part 2): <vib3-canvas> drawn by the page's render worker.
// Pixels are read through el.snapshot() (rendered and encoded in the worker), and on screen through
// a 2D copy of the element's (transferred) canvas once the worker's frame arrived.
import { expect } from '@esm-bundle/chai';
import { mount, cleanup, nextDrawnFrame, pixels, isNonBlank, compare, luminanceStats, loadPng, writeImage, env, goldenPrefix, frames, nextEvent } from './helpers.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';
import { SYSTEMS, SCENES, GOLDEN_TIME, GOLDEN_MEAN, GOLDEN_SHARE, decodeImage } from './golden-scenes.js';
import { setRenderThread } from '../../src/render/worker/render-thread.js';
import { renderWorkerUrl, setRenderWorkerUrl } from '../../src/render/worker/render-worker-url.js';
import { WORKER_IDLE_MS, currentRenderClient, setRenderWorkerIdleMs } from '../../src/render/worker/render-client.js';
import { workerLoadMs } from '../../src/render/worker/worker-load.js';
import { frameScheduler } from '../../src/element/frame-scheduler.js';
import { registerMesh, unregisterMesh } from '../../src/geometry/custom-meshes.js';
import { polytope } from '../../src/geometry/polytopes.js';

/** Generous: the worker compiles the shaders of its first frames on a busy machine. */
const SLOW = 120_000;

const decode = decodeImage;

/** The exact instant `timeMs` (paused), as the worker renders it: a full-resolution snapshot. */
async function snapshotAt(el: Vib3Canvas, timeMs: number): Promise<ImageData> {
  el.paused = true;
  el.time = timeMs;
  await nextDrawnFrame(el);
  return decode(await el.snapshot());
}

/** Waits until the element's on-screen canvas shows a frame close to `expected` (the worker's frame arrives asynchronously). */
async function onScreenMatching(el: Vib3Canvas, expected: ImageData, ms = SLOW): Promise<ImageData> {
  const deadline = performance.now() + ms;
  let img = pixels(el);
  while (performance.now() < deadline) {
    img = pixels(el);
    if (img.width === expected.width && img.height === expected.height) {
      const d = compare(img, expected);
      if (d.meanDiff <= GOLDEN_MEAN && d.differing <= GOLDEN_SHARE) return img;
    }
    await frames(2);
  }
  return img;
}

/** Resolves once `el` drew `n` more frames. */
async function moreFrames(el: Vib3Canvas, n: number, ms = SLOW): Promise<void> {
  const start = el.frameCount;
  const deadline = performance.now() + ms;
  while (el.frameCount < start + n) {
    if (performance.now() > deadline) throw new Error(`only ${el.frameCount - start} of ${n} frames within ${ms} ms`);
    await frames(1);
  }
}

async function matchGolden(img: ImageData, system: string): Promise<void> {
  const path = `test/goldens/${goldenPrefix}-${system}.png`;
  const golden = await loadPng(path);
  if (!golden) throw new Error(`golden ${path} is missing: run rendering.test.ts first`);
  const d = compare(img, golden);
  if (d.meanDiff > GOLDEN_MEAN || d.differing > GOLDEN_SHARE) await writeImage(path.replace(/\.png$/, '-worker.png'), img, 'actual');
  expect(d.meanDiff, `mean channel diff vs ${path}`).to.be.at.most(GOLDEN_MEAN);
  expect(d.differing, `share of differing pixels vs ${path}`).to.be.at.most(GOLDEN_SHARE);
}

describe(`rendering in the render worker (${env.flagSet} flags)`, function () {
  this.timeout(300_000);
  beforeEach(() => setRenderThread('worker'));
  afterEach(() => {
    setRenderThread('auto');
    cleanup();
  });

  it("reports presentation 'worker' in vib3-ready and on the element, on the expected backend", async () => {
    const { el, event, error } = await mount({ system: 'quantum', geometry: 3 });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    const detail = event.detail as { backend: string; presentation: string };
    expect(detail.presentation).to.equal('worker');
    expect(el.presentation).to.equal('worker');
    expect(el.dataset['presentation']).to.equal('worker');
    expect(detail.backend).to.equal(env.expectedBackend);
    expect(el.activeBackend).to.equal(env.expectedBackend);
  });

  for (const system of SYSTEMS) {
    it(`matches the ${system} golden image, snapshot and on screen`, async () => {
      const { el, error } = await mount(SCENES[system], [128, 96]);
      expect(error, JSON.stringify(error)).to.equal(undefined);
      expect(el.presentation).to.equal('worker');
      const shot = await snapshotAt(el, GOLDEN_TIME);
      expect(isNonBlank(shot), JSON.stringify(luminanceStats(shot))).to.equal(true);
      await matchGolden(shot, system);
      // The frame on screen (the transferred canvas, read through a 2D copy) is the snapshot's.
      const screen = await onScreenMatching(el, shot);
      const d = compare(screen, shot);
      expect(d.meanDiff, 'on screen vs snapshot').to.be.at.most(GOLDEN_MEAN);
      expect(d.differing, 'on screen vs snapshot').to.be.at.most(GOLDEN_SHARE);
    });
  }

  it('snapshots at full resolution equal the main-thread path at the same instant', async () => {
    const { el } = await mount(SCENES.quantum, [160, 120]);
    expect(el.presentation).to.equal('worker');
    const worker = await snapshotAt(el, 2300);
    expect([worker.width, worker.height]).to.deep.equal([160, 120]);
    setRenderThread('main');
    const { el: main } = await mount(SCENES.quantum, [160, 120]);
    expect(main.presentation).to.not.equal('worker');
    const reference = await snapshotAt(main, 2300);
    const d = compare(worker, reference);
    expect(d.meanDiff, 'worker vs main thread').to.be.at.most(GOLDEN_MEAN);
    expect(d.differing, 'worker vs main thread').to.be.at.most(GOLDEN_SHARE);
    // Other sizes are rendered, not scaled: a 2x snapshot has twice the pixels.
    const big = await decode(await el.snapshot({ width: 320, height: 240 }));
    expect([big.width, big.height]).to.deep.equal([320, 240]);
    expect(isNonBlank(big)).to.equal(true);
  });

  it('resizing reaches the worker: snapshots and the frame on screen take the new size', async () => {
    const { el } = await mount({ system: 'faceted', geometry: 1 });
    await snapshotAt(el, 1000);
    el.style.width = '80px';
    await new Promise((resolve) => new ResizeObserver((_, o) => (o.disconnect(), resolve(undefined))).observe(el));
    el.time = 1200;
    const shot = await snapshotAt(el, 1000);
    expect([shot.width, shot.height]).to.deep.equal([80, 72]);
    const screen = await onScreenMatching(el, shot);
    expect([screen.width, screen.height], 'the on-screen canvas follows').to.deep.equal([80, 72]);
  });

  it('paused + time renders the exact instant: two renders are identical, another instant differs', async () => {
    const { el } = await mount({ system: 'holographic', geometry: 12 });
    const a = await snapshotAt(el, 2500);
    const other = await snapshotAt(el, 4200);
    const b = await snapshotAt(el, 2500);
    expect(compare(a, b, 0).differing).to.equal(0);
    expect(compare(a, other).meanDiff).to.be.greaterThan(1);
  });

  it('reduced motion holds the instant: frames drawn under motion="reduce" are identical', async () => {
    const { el } = await mount({ system: 'faceted', geometry: 4, motion: 'reduce' });
    expect(el.hasAttribute('data-reduced-motion')).to.equal(true);
    el.time = 3000;
    await nextDrawnFrame(el);
    const a = await decode(await el.snapshot());
    await frames(10);
    const b = await decode(await el.snapshot());
    expect(el.time).to.equal(3000);
    expect(compare(a, b, 0).differing).to.equal(0);
  });

  it('several elements keep drawing in the one worker, without a context loss', async () => {
    const lost: string[] = [];
    const els: Vib3Canvas[] = [];
    for (const system of SYSTEMS) {
      const { el } = await mount({ system, geometry: 5 });
      el.addEventListener('vib3-context-lost', () => lost.push(system));
      el.motion = 'full';
      els.push(el);
    }
    for (const el of els) expect(el.presentation).to.equal('worker');
    await Promise.all(els.map((el) => moreFrames(el, 20)));
    for (const el of els) expect(isNonBlank(await decode(await el.snapshot())), 'each element draws').to.equal(true);
    // One element leaves: the others keep drawing.
    els[0]!.remove();
    await Promise.all(els.slice(1).map((el) => moreFrames(el, 10)));
    expect(lost).to.deep.equal([]);
  });

  it("the worker's drawing time reaches the page's frame budget (adaptive quality sees the worker)", async () => {
    const { el } = await mount({ system: 'holographic', geometry: 5 }, [160, 120]);
    el.motion = 'full';
    await moreFrames(el, 30);
    expect(workerLoadMs(), 'the worker reported its batches').to.be.greaterThan(0);
    expect(frameScheduler.budget.offThread, 'and the budget sampled them').to.be.greaterThan(0);
  });

  it('recovers from a context / device loss in the worker: lost, restored, drawing again', async () => {
    const { el } = await mount({ system: 'quantum', geometry: 2 });
    expect(isNonBlank(await snapshotAt(el, 1000))).to.equal(true);
    const lost = nextEvent<{ reason: string }>(el, 'vib3-context-lost', SLOW);
    const restored = nextEvent<{ backend: string }>(el, 'vib3-context-restored', SLOW);
    currentRenderClient()!.loseContext();
    expect((await lost).detail.reason).to.be.a('string');
    expect((await restored).detail.backend).to.equal(env.expectedBackend);
    el.paused = false;
    el.motion = 'full';
    await moreFrames(el, 5);
    const img = await snapshotAt(el, 1100);
    expect(isNonBlank(img), 'renders again after recovery').to.equal(true);
    expect(el.presentation).to.equal('worker');
  });

  it('the mesh layer draws in the worker: projection, and slices with vib3-mesh-update', async () => {
    const { el } = await mount({ system: 'faceted', geometry: 1, mesh: 'tesseract', 'mesh-mode': 'projection' });
    const withMesh = await snapshotAt(el, 1000);
    el.mesh = 'none';
    const without = await snapshotAt(el, 1000);
    expect(compare(withMesh, without).meanDiff, 'the projected mesh shows').to.be.greaterThan(0.5);
    const update = nextEvent<{ mesh: string; mode: string; triangles: number }>(el, 'vib3-mesh-update', SLOW);
    el.setAttribute('mesh-mode', 'slice');
    el.mesh = '600-cell';
    const detail = (await update).detail;
    expect(detail.mesh).to.equal('600-cell');
    expect(detail.mode).to.equal('slice');
    expect(detail.triangles).to.be.greaterThan(0);
    const sliced = await snapshotAt(el, 1000);
    expect(compare(sliced, without).meanDiff, 'the cross-section shows').to.be.greaterThan(0.5);
  });

  it('a custom mesh registered on the page is drawn by the worker', async () => {
    const { name: _name, ...shape } = polytope('16-cell');
    registerMesh('test/sixteen', shape);
    try {
      const { el } = await mount({ system: 'quantum', geometry: 2 });
      const without = await snapshotAt(el, 800);
      el.mesh = 'test/sixteen';
      const withMesh = await snapshotAt(el, 800);
      expect(compare(withMesh, without).meanDiff, 'the custom mesh shows').to.be.greaterThan(0.5);
    } finally {
      unregisterMesh('test/sixteen');
    }
  });

  it("auto (the default): the page's first element draws on the main thread, the next ones in the worker; a new first one after it left", async () => {
    setRenderThread('auto');
    const { el: first } = await mount({ system: 'faceted', geometry: 3 });
    expect(first.presentation).to.equal(env.expectedBackend === 'webgl2' ? 'direct' : 'bitmap');
    const { el: second } = await mount({ system: 'quantum', geometry: 3 });
    const { el: third } = await mount({ system: 'holographic', geometry: 3 });
    expect([second.presentation, third.presentation]).to.deep.equal(['worker', 'worker']);
    expect(first.presentation, 'the first one stays alone on the main thread').to.equal(env.expectedBackend === 'webgl2' ? 'direct' : 'bitmap');
    for (const el of [first, second, third]) el.motion = 'full';
    await Promise.all([first, second, third].map((el) => moreFrames(el, 10)));
    for (const el of [second, third]) expect(isNonBlank(await decode(await el.snapshot()))).to.equal(true);
    first.remove();
    const { el: fourth } = await mount({ system: 'faceted', geometry: 9 });
    expect(fourth.presentation, 'no element on the main thread any more: the next one goes there').to.not.equal('worker');
  });

  it('an element drawn by the worker restarts on the main thread (its transferred canvas replaced), and data-presentation follows', async () => {
    setRenderThread('auto');
    const { el: first } = await mount({ system: 'faceted', geometry: 3 });
    const { el: second } = await mount({ system: 'quantum', geometry: 3 });
    expect(second.presentation).to.equal('worker');
    first.remove();
    expect(first.hasAttribute('data-presentation'), 'a stopped element carries no path').to.equal(false);
    const ready = nextEvent<{ presentation: string }>(second, ['vib3-ready', 'vib3-error']);
    second.renderer = env.expectedBackend; // a restart: no element on the main thread now, so it goes there
    const event = await ready;
    expect(event.type).to.equal('vib3-ready');
    expect(event.detail.presentation).to.not.equal('worker');
    expect(second.dataset['presentation']).to.equal(event.detail.presentation);
    second.paused = true;
    second.time = 1200;
    await nextDrawnFrame(second);
    expect(isNonBlank(pixels(second)), 'draws on the main thread').to.equal(true);
  });

  it("the page's render worker stops after a while without elements; the next element starts a new one", async () => {
    setRenderWorkerIdleMs(200);
    try {
      const { el } = await mount({ system: 'faceted', geometry: 2 });
      const client = currentRenderClient()!;
      expect(client.running).to.equal(true);
      el.remove();
      const deadline = performance.now() + 20_000;
      while (currentRenderClient() === client && performance.now() < deadline) await frames(2);
      expect(currentRenderClient() === client, 'the idle worker was retired').to.equal(false);
      expect(client.running, 'its thread stopped').to.equal(false);
      const { el: next, event, error } = await mount({ system: 'quantum', geometry: 2 });
      expect(error, JSON.stringify(error)).to.equal(undefined);
      expect((event.detail as unknown as { presentation: string }).presentation).to.equal('worker');
      expect(currentRenderClient()!.running).to.equal(true);
      expect(isNonBlank(await snapshotAt(next, 900))).to.equal(true);
    } finally {
      setRenderWorkerIdleMs(WORKER_IDLE_MS);
    }
  });

  it('falls back to the main thread when the worker cannot start (404), and says so', async () => {
    const url = renderWorkerUrl().href;
    setRenderWorkerUrl('/no-such-render-worker.js');
    try {
      const { el, error } = await mount({ system: 'faceted', geometry: 1 });
      expect(error, JSON.stringify(error)).to.equal(undefined);
      expect(el.presentation).to.be.oneOf(['atlas', 'bitmap', 'direct']);
      expect(el.activeBackend).to.equal(env.expectedBackend);
      expect(isNonBlank(await snapshotAt(el, 1000))).to.equal(true);
      // On screen too (the element's own canvas, not a transferred one).
      expect(isNonBlank(pixels(el))).to.equal(true);
    } finally {
      setRenderWorkerUrl(url);
    }
  });
});
