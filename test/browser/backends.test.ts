import { expect } from '@esm-bundle/chai';
import { mount, cleanup, renderAt, isNonBlank, luminanceStats, env, nextEvent, frames, nextDrawnFrame, pixels, compare } from './helpers.js';
import { sharedRenderers } from '../../src/render/three/shared-renderer-pool.js';
import { setRenderThread } from '../../src/render/worker/render-thread.js';

describe(`backend selection and recovery (${env.flagSet} flags)`, () => {
  // The page's main-thread renderer (one shared context, its canvas, its recovery).
  beforeEach(() => setRenderThread('main'));
  afterEach(() => {
    setRenderThread('auto');
    cleanup();
  });

  if (env.expectedBackend === 'webgpu') {
    it('renderer="webgpu" runs on WebGPU when it is available', async () => {
      const { el, error } = await mount({ renderer: 'webgpu' });
      expect(error).to.equal(undefined);
      expect(el.activeBackend).to.equal('webgpu');
    });
  } else {
    it('renderer="webgpu" without WebGPU reports WEBGPU_UNAVAILABLE with a suggestion and shows the fallback, never switching', async () => {
      const { el, error } = await mount({ renderer: 'webgpu' });
      expect(error?.code).to.equal('WEBGPU_UNAVAILABLE');
      expect(error?.suggestion).to.match(/renderer="auto"/);
      expect(el.activeBackend).to.equal('none');
      expect(el.hasAttribute('data-fallback')).to.equal(true);
      const fallback = el.shadowRoot!.querySelector('[part="fallback"]') as HTMLElement;
      expect(getComputedStyle(fallback).display).to.not.equal('none');
      await frames(5);
      expect(el.activeBackend).to.equal('none', 'still no silent switch');
    });
  }

  it('renderer="webgl2" forces the WebGL2 backend under every flag set', async () => {
    const { el, error } = await mount({ renderer: 'webgl2' });
    expect(error).to.equal(undefined);
    expect(el.activeBackend).to.equal('webgl2');
    expect(isNonBlank(await renderAt(el, 900))).to.equal(true);
  });

  it('switching renderer at runtime restarts on the new backend', async () => {
    const { el } = await mount();
    const ready = nextEvent<{ backend: string }>(el, ['vib3-ready', 'vib3-error']);
    el.renderer = 'webgl2';
    expect((await ready).detail.backend).to.equal('webgl2');
    expect(el.activeBackend).to.equal('webgl2');
    // The canvas may have held another kind of context (a bitmaprenderer for WebGPU): it still draws.
    expect(isNonBlank(await renderAt(el, 900)), 'draws on the new backend').to.equal(true);
    // One canvas of the element's own (a lone WebGL2 element also shows the shared one, data-vib3-direct, and hides its own).
    expect(el.shadowRoot!.querySelectorAll('canvas[part=canvas]:not([data-vib3-direct])').length).to.equal(1);
    expect([...el.shadowRoot!.querySelectorAll('canvas')].filter((c) => c.checkVisibility()).length, 'one canvas on screen').to.equal(1);
  });

  it('20 instances on one page all render from one shared GPU context, with no context loss', async () => {
    const lost: Event[] = [];
    document.addEventListener('vib3-context-lost', (e) => lost.push(e));
    const grid = document.createElement('div');
    grid.style.cssText = 'display:grid;grid-template-columns:repeat(5,48px);gap:2px';
    document.body.append(grid);
    const mounted = await Promise.all(Array.from({ length: 20 }, (_, i) => mount({ system: ['faceted', 'quantum', 'holographic'][i % 3]!, geometry: i, hue: i * 18 }, [48, 36], grid)));
    for (const { el, error } of mounted) {
      expect(error).to.equal(undefined);
      expect(el.activeBackend).to.equal(env.expectedBackend);
    }
    const images = await Promise.all(mounted.map(({ el }) => renderAt(el, 1200)));
    images.forEach((img, i) => expect(isNonBlank(img), `instance ${i}: ${JSON.stringify(luminanceStats(img))}, frames ${mounted[i]!.el.frameCount}, canvas ${img.width}x${img.height}`).to.equal(true));
    const live = (await sharedRenderers()).filter((r) => r.viewCount > 0);
    expect(live.length, 'one shared renderer').to.equal(1);
    expect(live[0]!.viewCount).to.equal(20);
    expect(lost).to.have.length(0);
    grid.remove();
  });

  it('identical elements drawn in one frame (tiles of the shared canvas) match pixel for pixel', async () => {
    const params = { system: 'quantum', geometry: 9, hue: 40, paused: '', time: 1500 };
    const els = [];
    for (let i = 0; i < 5; i++) els.push((await mount({ ...params }, [60 + (i % 2) * 20, 40])).el);
    const [shared] = (await sharedRenderers()).filter((r) => r.viewCount > 0);
    // Redraw all five in the same frame: each lands in its own tile, at its own origin.
    for (const el of els) el.time = 1600;
    await Promise.all(els.map((el) => nextDrawnFrame(el)));
    await frames(1);
    const imgs = els.map((el) => pixels(el));
    expect(isNonBlank(imgs[0]!)).to.equal(true);
    for (const [a, b] of [[0, 2], [0, 4], [1, 3]] as const) {
      expect(compare(imgs[a]!, imgs[b]!, 2).differing, `element ${b} vs ${a}`).to.equal(0);
    }
    if (!shared!.presentsBitmaps) expect(shared!.canvasSize[0] * shared!.canvasSize[1], 'the tiles share the canvas').to.be.at.least(60 * 40 * 2);
  });

  it('the shared canvas grows for a large snapshot and shrinks back afterwards', async () => {
    const { el } = await mount({ system: 'faceted' }, [64, 48]);
    const [shared] = (await sharedRenderers()).filter((r) => r.viewCount > 0);
    const blob = await el.snapshot({ width: 1024, height: 768 });
    expect((await createImageBitmap(blob)).width).to.equal(1024);
    // With bitmap presentation (WebGPU) the next live frame already resizes the canvas to the element;
    // a directly presented element (WebGL2, alone) gets its frame drawn back at its size at once.
    if (el.presentation === 'direct') expect(shared!.canvasSize).to.deep.equal([64, 48]);
    else if (!shared!.presentsBitmaps) expect(shared!.canvasSize).to.deep.equal([1024, 768]);
    el.motion = 'full';
    el.paused = false;
    await new Promise<void>((resolve) => {
      const check = () => (shared!.canvasSize[0] < 1024 ? resolve() : requestAnimationFrame(check));
      check();
    });
    expect(shared!.canvasSize[0]).to.be.at.most(128);
  });

  it('recovers from a forced context / device loss and fires lost + restored', async () => {
    const { el } = await mount({ system: 'quantum', geometry: 2 });
    expect(isNonBlank(await renderAt(el, 1000))).to.equal(true);
    const [shared] = (await sharedRenderers()).filter((r) => r.viewCount > 0);
    const three = shared!.threeRenderer!;
    const lost = nextEvent<{ reason: string }>(el, 'vib3-context-lost');
    const restored = nextEvent<{ backend: string }>(el, 'vib3-context-restored', 60_000);
    const backend = three.backend as unknown as { device?: GPUDevice; gl?: WebGL2RenderingContext };
    if (env.expectedBackend === 'webgpu') backend.device!.destroy();
    else backend.gl!.getExtension('WEBGL_lose_context')!.loseContext();
    expect((await lost).detail.reason).to.be.a('string');
    expect((await restored).detail.backend).to.equal(env.expectedBackend);
    expect(shared!.threeRenderer).to.not.equal(three, 'a new renderer replaced the lost one');
    const img = await renderAt(el, 1100);
    expect(isNonBlank(img), 'renders again after recovery').to.equal(true);
  });
});
