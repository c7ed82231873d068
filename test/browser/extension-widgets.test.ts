import { expect } from '@esm-bundle/chai';
import { executeServerCommand, sendMouse, sendKeys } from '@web/test-runner-commands';
import { mount, cleanup, env, frames } from './helpers.js';
import '../../components/index.js';
import { ComponentRegistry, SLOT_CONSTRAINTS, type Vib3Stage } from '../../components/index.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';
import { testKeys, netlog, caps, pkg, type TestKeys } from './extension-fixtures.js';

/**
 * UI widgets: the worker describes its UI as data, the host's trusted code renders it in the
 * widget's own sandboxed frame inside a <vib3-stage> slot. Users operate it with real mouse and
 * keyboard input; hostile trees are refused and reach no network.
 */
let keys: TestKeys;
let origins: { granted: string; forbidden: string };

/** A hue widget: a button that advances the canvas hue by 30°, and a text line of `note`. */
const hueWidget = (note: string) => `
export default {
  kind: 'ui-widget',
  capabilities: ['ui', 'rendering'],
  slot: 'toolbar',
  view(ctx) {
    const hue = ctx.rendering.getParams().hue;
    return { type: 'row', label: 'Hue control', children: [
      { type: 'button', id: 'next', label: 'Hue ' + hue, ariaLabel: 'Next hue (now ' + hue + ' degrees)' },
      { type: 'text', text: ${JSON.stringify(note)}, tone: 'muted' },
    ] };
  },
  async onEvent(event, ctx) {
    if (event.type === 'press' && event.id === 'next') await ctx.rendering.setParams({ hue: (ctx.rendering.getParams().hue + 30) % 360 });
  },
};`;

const until = async (cond: () => boolean, what: string, ms = 8000) => {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe(`extension UI widgets (${env.flagSet} flags)`, function () {
  this.timeout(60_000);
  let host: ExtensionHost;
  let registry: ComponentRegistry;
  let stage: Vib3Stage;
  let canvas: HTMLElement & { getParams(): { hue: number }; setParams(p: object): void };
  const errors: { code: string; message: string }[] = [];

  before(async () => {
    keys = await testKeys();
    origins = (await executeServerCommand('vib3-netlog-start')) as { granted: string; forbidden: string };
  });
  beforeEach(async () => {
    errors.length = 0;
    registry = new ComponentRegistry();
    stage = document.createElement('vib3-stage') as Vib3Stage;
    stage.registry = registry;
    stage.style.cssText = 'position:absolute;left:0;top:0;width:480px';
    document.body.append(stage);
    const mounted = await mount({ system: 'faceted', hue: 100 }, [96, 72], stage);
    canvas = mounted.el as unknown as typeof canvas;
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), canvas: canvas as never, slots: registry, callTimeoutMs: 3000 });
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
  });
  afterEach(() => {
    host.dispose();
    stage.remove();
    cleanup();
  });

  /**
   * A real click at (x, y) inside a frame, repeated until `landed()`. A just-rendered
   * cross-process frame takes a moment to become hit-testable; a click before that reaches
   * nothing at all (it is not queued), so repeating cannot press twice.
   */
  async function clickInto(frame: HTMLIFrameElement, x: number, y: number, landed: () => boolean) {
    const r = frame.getBoundingClientRect();
    for (let attempt = 0; attempt < 40; attempt++) {
      await sendMouse({ type: 'click', position: [Math.round(r.left + x), Math.round(r.top + y)] });
      const t0 = performance.now();
      while (performance.now() - t0 < 250) {
        if (landed()) return;
        await new Promise((res) => setTimeout(res, 20));
      }
    }
    throw new Error('no click reached the widget frame');
  }

  const widgetFrame = () => stage.shadowRoot!.querySelector<HTMLIFrameElement>('.toolbar iframe');

  async function installWidget(name: string, code: string, capabilities = caps(['ui', { slots: ['toolbar'] }], 'rendering')) {
    await host.install(await pkg(keys, name, code, capabilities));
    await host.activate(`dev.test.${name}`);
    await until(() => (widgetFrame()?.getBoundingClientRect().width ?? 0) > 20, 'the widget frame to size itself to its UI');
    return widgetFrame()!;
  }

  it('renders in its slot inside its own sandboxed frame, labelled and within the slot limits', async () => {
    const frame = await installWidget('hue', hueWidget('4D hue'));
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts');
    expect(frame.title).to.equal('hue');
    const region = frame.closest('[role="group"]')!;
    expect(region.getAttribute('aria-label')).to.contain('hue');
    const r = frame.getBoundingClientRect();
    const { maxWidth, maxHeight } = SLOT_CONSTRAINTS.toolbar;
    expect(r.width).to.be.within(40, maxWidth);
    expect(r.height).to.be.within(20, maxHeight);
    // The canvas sits below the toolbar and keeps rendering.
    const before = (canvas as unknown as { frameCount: number }).frameCount;
    await frames(4);
    expect((canvas as unknown as { frameCount: number }).frameCount).to.be.greaterThan(before);
  });

  it('a real mouse click and a real key press on the widget change the canvas, and the UI follows', async () => {
    const frame = await installWidget('hue', hueWidget('4D hue'));
    const r = frame.getBoundingClientRect();
    const widthBefore = r.width;
    await clickInto(frame, 12, r.height / 2, () => canvas.getParams().hue !== 100);
    await frames(3);
    expect(canvas.getParams().hue, 'one click, one press').to.equal(130);
    // The button kept focus across the re-render (same layout: updated in place); Enter presses it again.
    await sendKeys({ press: 'Enter' });
    await until(() => canvas.getParams().hue === 160, 'hue 160 after Enter');
    // Parameter changes from elsewhere re-render the widget (its label grows with the digits).
    canvas.setParams({ hue: 5 });
    await until(() => Math.abs(frame.getBoundingClientRect().width - widthBefore) >= 1, 'the widget to re-render for hue 5');
  });

  it('markup in text stays text: an <img> in a label loads nothing', async () => {
    const before = (await netlog()).length;
    await installWidget('markup', hueWidget(`<img src="${origins.forbidden}/img.png"><script>fetch("${origins.forbidden}/x")</script>`));
    await frames(10);
    await new Promise((r) => setTimeout(r, 300));
    const log = (await netlog()).slice(before);
    expect(log.filter((l) => l.server === 'forbidden'), 'the forbidden server saw nothing').to.deep.equal([]);
    // Text too long for the toolbar is clipped by the slot limits, not allowed to grow the frame.
    const r = widgetFrame()!.getBoundingClientRect();
    expect(r.width).to.be.at.most(SLOT_CONSTRAINTS.toolbar.maxWidth);
    expect(r.height).to.be.at.most(SLOT_CONSTRAINTS.toolbar.maxHeight);
  });

  it('a widget that keeps asking to render an oversized view is backed off: few re-checks, not a loop', async () => {
    const code = `
      let views = 0;
      export default {
        kind: 'ui-widget', capabilities: ['ui', 'agent-tools'], slot: 'toolbar',
        tools: { views: { description: 'how many views were asked for', inputSchema: { type: 'object' }, handler: () => ({ content: [{ type: 'text', text: String(views) }] }) } },
        view(ctx) {
          views++;
          // Asks for the next render almost at once, every time: a render storm of oversized trees.
          setTimeout(() => ctx.ui.update(), 10);
          return { type: 'column', children: Array.from({ length: 5000 }, (_, i) => ({ type: 'text', text: 'n' + i })) };
        },
        onEvent() {},
      };`;
    // Its UI never renders, so its frame never sizes itself: install and activate directly.
    await host.install(await pkg(keys, 'storm-ui', code, caps(['ui', { slots: ['toolbar'] }], 'agent-tools')));
    await host.activate('dev.test.storm-ui');
    await until(() => errors.length >= 3, 'three refusals');
    // Let the storm run for a while (frames, not a clock): without backoff it re-renders hundreds of times.
    await frames(90);
    const views = Number((await host.callTool('dev.test.storm-ui.views')).content[0]!.text);
    expect(views, 'views asked for while the widget stormed').to.be.at.most(12);
    expect(errors.every((e) => e.code === 'UI_INVALID')).to.equal(true);
  });

  it('hostile trees are refused with UI_INVALID (unknown node types, raw HTML, huge trees); the previous UI stays', async () => {
    const before = (await netlog()).length;
    const code = `
      let round = 0;
      export default {
        kind: 'ui-widget', capabilities: ['ui'], slot: 'toolbar',
        view(ctx) {
          round++;
          // The widget asks for each next render itself (ctx.ui.update).
          if (round < 5) setTimeout(() => ctx.ui.update(), 50);
          if (round === 1) return { type: 'button', id: 'go', label: 'Go' };
          if (round === 2) return { type: 'html', html: '<img src="${origins.forbidden}/html.png">' };
          if (round === 3) return { type: 'button', id: 'go', label: 'x', onclick: 'fetch("${origins.forbidden}/onclick")' };
          if (round === 4) return { type: 'column', children: Array.from({ length: 5000 }, (_, i) => ({ type: 'text', text: 'n' + i })) };
          return { type: 'swatch', color: 'red; background-image: url(${origins.forbidden}/css.png)', label: 'x' };
        },
        onEvent() {},
      };`;
    await installWidget('hostile-ui', code, caps(['ui', { slots: ['toolbar'] }]));
    await until(() => errors.length >= 4, 'four refusals');
    expect(errors.map((e) => e.code)).to.deep.equal(['UI_INVALID', 'UI_INVALID', 'UI_INVALID', 'UI_INVALID']);
    expect(errors[0]!.message).to.contain('unknown node type "html"');
    expect(errors[1]!.message).to.contain('/onclick');
    expect(errors[2]!.message).to.contain('more than 200 nodes');
    expect(errors[3]!.message).to.contain('/color');
    await frames(5);
    expect((await netlog()).slice(before).filter((l) => l.server === 'forbidden')).to.deep.equal([]);
    // The last good UI (the Go button) is still there and still works.
    expect(widgetFrame()!.getBoundingClientRect().width).to.be.greaterThan(1);
    expect(host.list()[0]!.state).to.equal('active');
  });

  it('deactivating removes the widget from its slot; a UI widget without a slot host runs without UI and says why', async () => {
    await installWidget('hue', hueWidget('x'));
    await host.deactivate('dev.test.hue');
    await until(() => widgetFrame() === null, 'the widget to leave the toolbar');
    expect(registry.list('toolbar')).to.deep.equal([]);
    host.dispose();
    const bare = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 3000 });
    const seen: string[] = [];
    bare.addEventListener('vib3-extension-error', (e) => seen.push((e as CustomEvent).detail.code));
    await bare.install(await pkg(keys, 'bare', hueWidget('x'), caps(['ui', { slots: ['toolbar'] }])));
    await bare.activate('dev.test.bare');
    expect(seen).to.deep.equal(['NO_UI_SLOTS']);
    expect(bare.list()[0]!.state).to.equal('active');
    bare.dispose();
  });
});
