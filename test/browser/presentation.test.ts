import { expect } from '@esm-bundle/chai';
import { sharedRenderers } from '../../src/render/three/shared-renderer-pool.js';
import { mount, cleanup, renderAt, nextDrawnFrame, canvasOf, pixels, isNonBlank, compare, loadPng, env, goldenPrefix, frames, nextEvent } from './helpers.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';
import { SCENES, GOLDEN_TIME, GOLDEN_MEAN, GOLDEN_SHARE, decodeImage } from './golden-scenes.js';
import { setRenderThread } from '../../src/render/worker/render-thread.js';

/** The golden scene of the faceted case (same goldens, same tolerances as rendering.test.ts). */
const SCENE = SCENES.faceted;
/** Path a lone element takes on this backend. */
const LONE = env.expectedBackend === 'webgl2' ? 'direct' : 'bitmap';
/** Path of an element among several. */
const SHARED = env.expectedBackend === 'webgl2' ? 'atlas' : 'bitmap';

async function golden(): Promise<ImageData> {
  const img = await loadPng(`test/goldens/${goldenPrefix}-faceted.png`);
  if (!img) throw new Error('the faceted golden is missing (run rendering.test.ts first)');
  return img;
}

function expectGolden(img: ImageData, ref: ImageData, label: string): void {
  const d = compare(img, ref);
  expect(d.meanDiff, `${label}: mean channel diff`).to.be.at.most(GOLDEN_MEAN);
  expect(d.differing, `${label}: share of differing pixels`).to.be.at.most(GOLDEN_SHARE);
}

const decode = decodeImage;

/** Counts shader compilations on every WebGL2 context of the page while `fn` runs. */
async function countCompiles(fn: () => Promise<void>): Promise<number> {
  const proto = WebGL2RenderingContext.prototype;
  const original = proto.compileShader;
  let n = 0;
  proto.compileShader = function (this: WebGL2RenderingContext, shader: WebGLShader) {
    n++;
    return original.call(this, shader);
  };
  try {
    await fn();
  } finally {
    proto.compileShader = original;
  }
  return n;
}

describe(`presentation paths (${env.flagSet} flags)`, () => {
  const lost: Event[] = [];
  const onLost = (e: Event) => lost.push(e);
  // The main thread's paths: every element of these tests on the page's main-thread renderer.
  beforeEach(() => {
    setRenderThread('main');
    lost.length = 0;
    document.addEventListener('vib3-context-lost', onLost);
  });
  afterEach(() => {
    setRenderThread('auto');
    document.removeEventListener('vib3-context-lost', onLost);
    cleanup();
  });

  it(`a lone element presents ${LONE} and says so in vib3-ready, el.presentation and data-presentation`, async () => {
    const { el, event } = await mount(SCENE, [128, 96]);
    expect((event.detail as unknown as { presentation: string }).presentation).to.equal(LONE);
    expect(el.presentation).to.equal(LONE);
    expect(el.dataset['presentation']).to.equal(LONE);
    const shown = [...el.shadowRoot!.querySelectorAll('canvas')].filter((c) => c.checkVisibility());
    expect(shown.length, 'exactly one canvas on screen').to.equal(1);
    expect(shown[0]!.getAttribute('part')).to.equal('canvas');
    if (LONE === 'direct') {
      const [shared] = (await sharedRenderers()).filter((r) => r.viewCount > 0);
      expect(shown[0], 'the shared WebGL canvas itself is on screen').to.equal(shared!.threeRenderer!.domElement);
    }
  });

  it(`the ${LONE} path matches the golden image`, async () => {
    const { el } = await mount(SCENE, [128, 96]);
    const img = await renderAt(el, GOLDEN_TIME);
    expect(el.presentation).to.equal(LONE);
    expectGolden(img, await golden(), LONE);
  });

  it(`the ${SHARED} path (two elements) matches the same golden image`, async () => {
    const { el } = await mount(SCENE, [128, 96]);
    const { el: other } = await mount({ system: 'quantum' }, [64, 48]);
    const img = await renderAt(el, GOLDEN_TIME);
    expect(el.presentation).to.equal(SHARED);
    expect(other.presentation).to.equal(SHARED);
    expectGolden(img, await golden(), SHARED);
  });

  it('snapshots at full resolution equal the frame on screen, alone and among several', async () => {
    const { el } = await mount(SCENE, [128, 96]);
    for (const expected of [LONE, SHARED]) {
      if (expected === SHARED && el.presentation !== SHARED) await mount({ system: 'holographic' }, [64, 48]);
      const shown = await renderAt(el, GOLDEN_TIME);
      expect(el.presentation).to.equal(expected);
      const snap = await decode(await el.snapshot());
      expect([snap.width, snap.height]).to.deep.equal([128, 96]);
      expectGolden(snap, shown, `${expected} snapshot vs screen`);
      expect(el.presentation, 'a snapshot does not change the path').to.equal(expected);
      // The frame on screen is still the element's after the snapshot drew into the shared canvas.
      expectGolden(pixels(el), shown, `${expected} screen after the snapshot`);
    }
  });

  it('1 -> 2 -> 1 elements: both keep drawing, no context loss, no blank frame, no shader recompiled', async () => {
    const first = (await mount({ system: 'faceted', geometry: 3 }, [96, 72])).el;
    first.motion = 'full';
    await nextDrawnFrame(first);
    expect(first.presentation).to.equal(LONE);
    // The second element uses the same system: its material is compiled already, so any shader
    // compiled during the switch would be the switch's.

    let second: Vib3Canvas | undefined;
    const blanks: string[] = [];
    // Sampled every animation frame during both switches: the first element is never blank on screen.
    let sampling = true;
    const sample = () => {
      if (!sampling) return;
      if (first.frameCount > 0 && !isNonBlank(pixels(first))) blanks.push(`${first.presentation} at frame ${first.frameCount}`);
      requestAnimationFrame(sample);
    };
    const compiles = await countCompiles(async () => {
      requestAnimationFrame(sample);
      const a0 = first.frameCount;
      second = (await mount({ system: 'faceted', geometry: 5 }, [64, 48])).el;
      second.motion = 'full';
      expect(first.presentation, 'the first element joined the atlas').to.equal(SHARED);
      const b0 = second.frameCount;
      await nextDrawnFrame(first);
      await nextDrawnFrame(second);
      await nextDrawnFrame(first);
      expect(first.frameCount).to.be.greaterThan(a0);
      expect(second.frameCount).to.be.greaterThan(b0);
      expect(isNonBlank(pixels(second))).to.equal(true);
      const a1 = first.frameCount;
      second.remove();
      await nextDrawnFrame(first);
      await nextDrawnFrame(first);
      expect(first.frameCount).to.be.greaterThan(a1);
      expect(first.presentation, 'back to the lone path').to.equal(LONE);
      await frames(3);
    });
    sampling = false;
    expect(blanks, 'no blank frame on screen during the switches').to.deep.equal([]);
    expect(lost.length, 'no vib3-context-lost').to.equal(0);
    if (env.expectedBackend === 'webgl2') expect(compiles, 'no shader compiled by the switches').to.equal(0);
    expect(isNonBlank(pixels(first))).to.equal(true);
  });

  it('the element leaving the lone path keeps its exact frame on screen (paused: nothing redraws it)', async () => {
    const { el } = await mount(SCENE, [128, 96]);
    const before = await renderAt(el, GOLDEN_TIME);
    expect(el.presentation).to.equal(LONE);
    const n = el.frameCount;
    await mount({ system: 'faceted' }, [64, 48]);
    expect(el.presentation).to.equal(SHARED);
    const after = pixels(el);
    expect(el.frameCount, 'the paused element was not drawn again').to.equal(n);
    expectGolden(after, before, 'after the switch');
    expectGolden(after, await golden(), 'after the switch vs golden');
  });

  it('an element leaving the lone path because it stops keeps its last frame in its own canvas', async () => {
    const { el } = await mount(SCENE, [128, 96]);
    const shown = await renderAt(el, GOLDEN_TIME);
    expect(el.presentation).to.equal(LONE);
    const root = el.shadowRoot!;
    el.remove();
    expect(el.hasAttribute('data-presentation')).to.equal(false);
    const own = root.querySelector('canvas')!;
    expect(root.querySelector('canvas[data-vib3-direct]'), 'the shared canvas left the element').to.equal(null);
    const copy = document.createElement('canvas');
    copy.width = own.width;
    copy.height = own.height;
    copy.getContext('2d')!.drawImage(own, 0, 0);
    expectGolden(copy.getContext('2d')!.getImageData(0, 0, copy.width, copy.height), shown, 'own canvas after stopping');
  });

  it('a hidden second element leaves the visible one on the lone path', async () => {
    const { el } = await mount(SCENE, [96, 72]);
    const far = document.createElement('div');
    far.style.cssText = 'position:absolute;top:5000px';
    document.body.append(far);
    try {
      const { el: other } = await mount({ system: 'quantum' }, [64, 48], far);
      await frames(4);
      await nextDrawnFrame(el);
      expect(other.presentation).to.equal(SHARED);
      expect(el.presentation).to.equal(LONE);
    } finally {
      far.remove();
    }
  });

  it(`context loss on the ${LONE} path: lost, restored, drawing again on the same path`, async () => {
    const { el } = await mount({ system: 'quantum', geometry: 2 }, [96, 72]);
    expect(isNonBlank(await renderAt(el, 1000))).to.equal(true);
    expect(el.presentation).to.equal(LONE);
    const [shared] = (await sharedRenderers()).filter((r) => r.viewCount > 0);
    const backend = shared!.threeRenderer!.backend as unknown as { device?: GPUDevice; gl?: WebGL2RenderingContext };
    const restored = nextEvent(el, 'vib3-context-restored', 60_000);
    if (env.expectedBackend === 'webgpu') backend.device!.destroy();
    else backend.gl!.getExtension('WEBGL_lose_context')!.loseContext();
    await restored;
    const n = el.frameCount;
    const img = await renderAt(el, 1100);
    expect(el.frameCount).to.be.greaterThan(n);
    expect(isNonBlank(img)).to.equal(true);
    expect(el.presentation).to.equal(LONE);
    const shown = [...el.shadowRoot!.querySelectorAll('canvas')].filter((c) => c.checkVisibility());
    expect(shown.length, 'one canvas on screen after recovery').to.equal(1);
    if (LONE === 'direct') expect(shown[0]).to.equal(shared!.threeRenderer!.domElement);
    expect(canvasOf(el).width).to.equal(96);
  });

  it(`context loss on the ${SHARED} path (two elements): both restored and drawing again`, async () => {
    const { el: a } = await mount({ system: 'quantum', geometry: 2 }, [96, 72]);
    const { el: b } = await mount({ system: 'faceted', geometry: 7 }, [64, 48]);
    expect(isNonBlank(await renderAt(a, 1000))).to.equal(true);
    expect(isNonBlank(await renderAt(b, 1000))).to.equal(true);
    expect([a.presentation, b.presentation]).to.deep.equal([SHARED, SHARED]);
    const [shared] = (await sharedRenderers()).filter((r) => r.viewCount > 0);
    const backend = shared!.threeRenderer!.backend as unknown as { device?: GPUDevice; gl?: WebGL2RenderingContext };
    const restored = Promise.all([nextEvent(a, 'vib3-context-restored', 60_000), nextEvent(b, 'vib3-context-restored', 60_000)]);
    if (env.expectedBackend === 'webgpu') backend.device!.destroy();
    else backend.gl!.getExtension('WEBGL_lose_context')!.loseContext();
    await restored;
    for (const el of [a, b]) {
      const n = el.frameCount;
      const img = await renderAt(el, 1200);
      expect(el.frameCount).to.be.greaterThan(n);
      expect(isNonBlank(img)).to.equal(true);
      expect(el.presentation).to.equal(SHARED);
    }
  });
});
