import { expect } from '@esm-bundle/chai';
import { mount, cleanup, nextEvent, frames, env } from './helpers.js';
import { define } from '../../src/element/define.js';
import { Vib3Canvas } from '../../src/element/vib3-canvas.js';
import type { Vib3ErrorDetail } from '../../src/core/errors.js';
import { PARAM_SPECS } from '../../src/core/params.js';

/** Collects events of a type until stopped. */
function record<T>(el: EventTarget, type: string) {
  const seen: T[] = [];
  const handler = (e: Event) => seen.push((e as CustomEvent<T>).detail);
  el.addEventListener(type, handler);
  return { seen, stop: () => el.removeEventListener(type, handler) };
}

describe('<vib3-canvas> element contract', () => {
  afterEach(cleanup);

  it('is defined once; define() again (a second copy of the kit) does not throw', () => {
    expect(customElements.get('vib3-canvas')).to.equal(Vib3Canvas);
    expect(() => define()).not.to.throw();
    expect(define()).to.equal(Vib3Canvas);
    class Impostor extends HTMLElement {}
    // A registry that already holds another definition keeps it.
    const registry = { get: () => Impostor, define: () => { throw new Error('must not be called'); } } as unknown as CustomElementRegistry;
    expect(define(registry)).to.equal(Impostor);
  });

  it('reflects every parameter attribute to its property (kebab-case <-> VIB3 name)', async () => {
    const { el } = await mount();
    for (const spec of PARAM_SPECS) {
      const value = spec.kind === 'enum' ? 'faceted' : spec.kind === 'int' ? String(Math.round((spec.min + spec.max) / 2)) : String(((spec.min + spec.max) / 2 + 0.25).toFixed(3));
      el.setAttribute(spec.attribute, value);
      const prop = (el as unknown as Record<string, unknown>)[spec.name];
      expect(String(prop), `${spec.attribute} -> ${spec.name}`).to.equal(spec.kind === 'enum' ? value : String(Number(value)));
    }
  });

  it('reflects properties to attributes, and keeps the attribute truthful after clamping', async () => {
    const { el } = await mount();
    el.rot4dXW = 1.25;
    el.gridDensity = 42;
    el.morphFactor = 0.5;
    el.system = 'holographic';
    expect(el.getAttribute('rot4d-xw')).to.equal('1.25');
    expect(el.getAttribute('grid-density')).to.equal('42');
    expect(el.getAttribute('morph-factor')).to.equal('0.5');
    expect(el.getAttribute('system')).to.equal('holographic');
    el.setAttribute('hue', '999');
    expect(el.hue).to.equal(360);
    expect(el.getAttribute('hue')).to.equal('360');
    el.setAttribute('geometry', '7.6');
    expect(el.geometry).to.equal(8);
    el.removeAttribute('hue');
    expect(el.hue).to.equal(200, 'removing an attribute restores the default');
  });

  it('rejects bad attribute values with vib3-error and leaves the previous state', async () => {
    const { el } = await mount({ hue: 120, speed: 2 });
    const errors = record<Vib3ErrorDetail>(el, 'vib3-error');
    const changes = record(el, 'vib3-params-change');
    const before = el.getParams();
    for (const [attr, bad] of [['hue', 'abc'], ['speed', 'NaN'], ['grid-density', 'Infinity'], ['system', 'cubist'], ['rot4d-xy', '']]) {
      el.setAttribute(attr!, bad!);
    }
    expect(errors.seen).to.have.length(5);
    for (const e of errors.seen) {
      expect(e.code).to.equal('INVALID_PARAM');
      expect(e.message).to.be.a('string').and.not.empty;
      expect(e.suggestion).to.be.a('string').and.not.empty;
    }
    expect(el.getParams()).to.deep.equal(before);
    expect(changes.seen).to.have.length(0);
    expect(el.getAttribute('hue')).to.equal('120', 'the attribute shows the value in effect');
    expect(el.getAttribute('system')).to.equal('quantum');
  });

  it('rejects non-finite property values the same way', async () => {
    const { el } = await mount();
    const errors = record<Vib3ErrorDetail>(el, 'vib3-error');
    el.speed = Number.NaN;
    el.chaos = Infinity;
    expect(errors.seen.map((e) => e.code)).to.deep.equal(['INVALID_PARAM', 'INVALID_PARAM']);
    expect(el.speed).to.equal(1);
    expect(el.chaos).to.equal(0.2);
  });

  it('setParams is one atomic, batched update with one vib3-params-change', async () => {
    const { el } = await mount();
    const changes = record<{ changed: Record<string, unknown> }>(el, 'vib3-params-change');
    const errors = record<Vib3ErrorDetail>(el, 'vib3-error');
    expect(el.setParams({ hue: 30, rot4dXW: 1, intensity: 5 })).to.equal(true);
    expect(changes.seen).to.have.length(1);
    expect(changes.seen[0]!.changed).to.deep.equal({ hue: 30, rot4dXW: 1, intensity: 1 });
    expect(el.setParams({ hue: 90, speed: Number.NaN })).to.equal(false);
    expect(el.hue).to.equal(30, 'nothing applied from a bad batch');
    expect(el.setParams({ hue: 90, nonsense: 1 } as never)).to.equal(false);
    expect(errors.seen.map((e) => e.code)).to.deep.equal(['INVALID_PARAM', 'UNKNOWN_PARAM']);
    expect(changes.seen).to.have.length(1);
    // Unchanged values do not fire.
    el.setParams({ hue: 30 });
    expect(changes.seen).to.have.length(1);
  });

  it('getParams returns a copy; reset restores the defaults', async () => {
    const { el } = await mount({ hue: 10, system: 'faceted', geometry: 5 });
    const p = el.getParams();
    p.hue = 300;
    expect(el.hue).to.equal(10);
    const changed = nextEvent<{ changed: Record<string, unknown> }>(el, 'vib3-params-change');
    el.reset();
    const detail = (await changed).detail;
    expect(detail.changed).to.deep.equal({ hue: 200, system: 'quantum', geometry: 0 });
    expect(el.getAttribute('hue')).to.equal('200');
  });

  it('events bubble and are composed', async () => {
    const { el } = await mount();
    const seen = nextEvent(document, 'vib3-params-change');
    el.hue = 42;
    const e = await seen;
    expect(e.bubbles).to.equal(true);
    expect(e.composed).to.equal(true);
  });

  it('has role="img" and its alt as accessible name', async () => {
    const { el } = await mount({ alt: 'A rotating tesseract' });
    expect(el.getAttribute('role')).to.equal('img');
    expect(el.getAttribute('aria-label')).to.equal('A rotating tesseract');
    el.alt = 'Changed';
    await el.updateComplete;
    expect(el.getAttribute('aria-label')).to.equal('Changed');
    expect(el.shadowRoot!.querySelector('canvas')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('rejects invalid renderer / motion / loading / time values with INVALID_OPTION', async () => {
    const { el } = await mount();
    const errors = record<Vib3ErrorDetail>(el, 'vib3-error');
    el.setAttribute('renderer', 'vulkan');
    el.setAttribute('motion', 'sometimes');
    el.setAttribute('loading', 'later');
    el.time = Number.NaN;
    expect(errors.seen.map((e) => e.code)).to.deep.equal(['INVALID_OPTION', 'INVALID_OPTION', 'INVALID_OPTION', 'INVALID_OPTION']);
    expect([el.renderer, el.motion, el.loading]).to.deep.equal(['auto', 'auto', 'eager']);
  });

  it('invalid attributes in markup: one vib3-error each, after upgrade, seen by a capture listener on document; one console.warn each; attributes reverted', async () => {
    const seen: { detail: Vib3ErrorDetail; target: EventTarget | null; bubbles: boolean; composed: boolean }[] = [];
    const listener = (e: Event) => {
      const detail = (e as CustomEvent<Vib3ErrorDetail>).detail;
      if (detail.code.startsWith('INVALID_')) seen.push({ detail, target: e.target, bubbles: e.bubbles, composed: e.composed });
    };
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (String(args[0]).includes('vib3-canvas')) warnings.push(args.map(String).join(' '));
      else warn.apply(console, args);
    };
    // Installed before the markup is parsed, like a listener in the page's <head>.
    document.addEventListener('vib3-error', listener, true);
    try {
      const bad = { geometry: 'abc', hue: 'NaN', system: 'cubist', mesh: 'nope', renderer: 'vulkan', motion: 'sometimes', loading: 'later', 'mesh-mode': 'sideways' };
      const markup = `<vib3-canvas ${Object.entries(bad).map(([k, v]) => `${k}="${v}"`).join(' ')} style="width:40px;height:30px"></vib3-canvas>`;
      // The fragment parser creates (and upgrades) the element while it is not in the document yet,
      // like the HTML parser does for an element after the kit's <script> in the head.
      const fragment = document.createRange().createContextualFragment(markup);
      const el = fragment.querySelector('vib3-canvas') as Vib3Canvas;
      expect(el).to.be.instanceOf(Vib3Canvas);
      document.body.append(fragment);
      await frames(3);
      expect(seen.map((s) => s.detail.code)).to.deep.equal(['INVALID_PARAM', 'INVALID_PARAM', 'INVALID_PARAM', 'INVALID_OPTION', 'INVALID_OPTION', 'INVALID_OPTION', 'INVALID_OPTION', 'INVALID_OPTION']);
      for (const s of seen) {
        expect(s.target).to.equal(el);
        expect(s.bubbles && s.composed).to.equal(true);
        expect(s.detail.message).to.be.a('string').and.not.empty;
        expect(s.detail.suggestion).to.be.a('string').and.not.empty;
      }
      for (const [attr, value] of Object.entries(bad)) {
        expect(seen.filter((s) => s.detail.message.includes(JSON.stringify(value))), `one error for ${attr}`).to.have.length(1);
      }
      expect(warnings, 'one console.warn per error').to.have.length(seen.length);
      seen.forEach((s, i) => expect(warnings[i]).to.contain(s.detail.code).and.contain(s.detail.message));
      const attrs = Object.fromEntries(Object.keys(bad).map((a) => [a, el.getAttribute(a)]));
      expect(attrs, 'each attribute shows the value in effect').to.deep.equal({ geometry: '0', hue: '200', system: 'quantum', mesh: 'none', renderer: 'auto', motion: 'auto', loading: 'lazy', 'mesh-mode': 'projection' });
      expect([el.geometry, el.system, el.mesh, el.renderer, el.motion, el.loading, el.meshMode]).to.deep.equal([0, 'quantum', 'none', 'auto', 'auto', 'lazy', 'projection']);
      // Reconnecting does not report them again.
      el.remove();
      document.body.append(el);
      await frames(3);
      expect(seen).to.have.length(8);
      expect(warnings).to.have.length(8);
    } finally {
      document.removeEventListener('vib3-error', listener, true);
      console.warn = warn;
    }
  });

  it('invalid option attributes set later are reverted and reported like invalid params', async () => {
    const { el } = await mount({ renderer: 'webgl2', mesh: 'tesseract' });
    const errors = record<Vib3ErrorDetail>(el, 'vib3-error');
    const warn = console.warn;
    let warned = 0;
    console.warn = () => void warned++;
    try {
      el.setAttribute('renderer', 'vulkan');
      el.setAttribute('mesh', 'nope');
      el.setAttribute('mesh-mode', 'sideways');
      el.setAttribute('slice-w', 'wide');
    } finally {
      console.warn = warn;
    }
    expect(errors.seen.map((e) => e.code)).to.deep.equal(['INVALID_OPTION', 'INVALID_OPTION', 'INVALID_OPTION', 'INVALID_PARAM']);
    expect(warned).to.equal(4);
    expect([el.getAttribute('renderer'), el.getAttribute('mesh'), el.getAttribute('mesh-mode'), el.getAttribute('slice-w')]).to.deep.equal(['webgl2', 'tesseract', 'projection', '0']);
    expect(el.activeBackend).to.equal('webgl2', 'no restart');
  });

  it(`renderer="webgpu" reports its outcome exactly once (${env.expectedBackend === 'webgpu' ? 'WebGPU available: ready, no error' : 'no WebGPU: one WEBGPU_UNAVAILABLE'})`, async () => {
    const errors: string[] = [];
    const ready: string[] = [];
    const onError = (e: Event) => errors.push((e as CustomEvent<Vib3ErrorDetail>).detail.code);
    const onReady = (e: Event) => ready.push((e as CustomEvent<{ backend: string }>).detail.backend);
    document.addEventListener('vib3-error', onError, true);
    document.addEventListener('vib3-ready', onReady, true);
    try {
      const { el } = await mount({ renderer: 'webgpu' });
      // Scroll it out of view and back, resize it: nothing may report the outcome again.
      el.style.marginTop = '3000px';
      await frames(4);
      el.style.marginTop = '0';
      el.style.width = '120px';
      await frames(10);
      if (env.expectedBackend === 'webgpu') {
        expect(errors).to.deep.equal([]);
        expect(ready).to.deep.equal(['webgpu']);
      } else {
        expect(errors).to.deep.equal(['WEBGPU_UNAVAILABLE']);
        expect(ready).to.deep.equal([]);
        expect(el.activeBackend).to.equal('none');
      }
    } finally {
      document.removeEventListener('vib3-error', onError, true);
      document.removeEventListener('vib3-ready', onReady, true);
    }
  });

  it('alt="" makes the visual decorative; without alt the default name stays', async () => {
    const { el } = await mount({ alt: '' });
    expect(el.getAttribute('role')).to.equal('presentation');
    expect(el.hasAttribute('aria-label')).to.equal(false);
    el.alt = 'Now meaningful';
    await el.updateComplete;
    expect(el.getAttribute('role')).to.equal('img');
    expect(el.getAttribute('aria-label')).to.equal('Now meaningful');
    el.setAttribute('alt', '');
    await el.updateComplete;
    expect(el.getAttribute('role')).to.equal('presentation');
    expect(el.hasAttribute('aria-label')).to.equal(false);
    el.removeAttribute('alt');
    await el.updateComplete;
    expect(el.getAttribute('role')).to.equal('img');
    expect(el.getAttribute('aria-label')).to.equal('Animated 4D geometry visual');
    const { el: plain } = await mount();
    expect(plain.getAttribute('role')).to.equal('img');
    expect(plain.getAttribute('aria-label')).to.equal('Animated 4D geometry visual');
    // A role the page set itself is kept.
    const { el: custom } = await mount({ role: 'figure', alt: '' });
    expect(custom.getAttribute('role')).to.equal('figure');
  });

  it('accepts properties set before the element upgraded', async () => {
    const inert = document.implementation.createHTMLDocument('');
    const pre = inert.createElement('vib3-canvas') as unknown as Record<string, unknown> & HTMLElement;
    pre.hue = 77;
    pre.rot4dXW = 1.5;
    pre.style.cssText = 'width:40px;height:30px';
    document.body.append(document.adoptNode(pre));
    const el = pre as unknown as Vib3Canvas;
    expect(el).to.be.instanceOf(Vib3Canvas);
    expect(el.hue).to.equal(77);
    expect(el.rot4dXW).to.equal(1.5);
    expect(el.getAttribute('hue')).to.equal('77');
  });
});
