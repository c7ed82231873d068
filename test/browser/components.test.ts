import { expect } from '@esm-bundle/chai';
import { sendKeys, emulateMedia } from '@web/test-runner-commands';
import { mount, cleanup, renderAt, nextDrawnFrame, pixels, compare, nextEvent, frames, loadAxe } from './helpers.js';
import '../../components/index.js';
import { setLocale, registerCatalogue, ComponentRegistry, RegistryError, SLOT_CONSTRAINTS, type Vib3ConsentDialog, type Vib3InstallProgress } from '../../components/index.js';
import { registerThemePack, ThemePackError, listThemePacks } from '../../src/theme/index.js';

const THEMES = ['default-dark', 'light', 'high-contrast', 'acme'] as const;
const html = (markup: string): HTMLElement => {
  const wrap = document.createElement('div');
  wrap.innerHTML = markup;
  document.body.append(wrap);
  return wrap;
};
const deepActive = (): Element | null => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

describe('theming and components', () => {
  afterEach(() => {
    cleanup();
    document.querySelectorAll('div, style').forEach((e) => e.remove());
    setLocale('en');
  });

  it('ships four theme packs; computed styles follow the theme and host overrides win', async () => {
    expect(listThemePacks().map((p) => p.pack.name)).to.include.members([...THEMES]);
    const wrap = html('<vib3-theme theme="light"><vib3-control-panel></vib3-control-panel></vib3-theme>');
    const panel = wrap.querySelector('vib3-control-panel')!;
    await panel.updateComplete;
    const bg = () => getComputedStyle(panel).backgroundColor;
    expect(bg()).to.equal('rgb(255, 255, 255)');
    wrap.querySelector('vib3-theme')!.setAttribute('theme', 'high-contrast');
    expect(bg()).to.equal('rgb(0, 0, 0)');
    wrap.querySelector('vib3-theme')!.setAttribute('theme', 'default-dark');
    expect(bg()).to.equal('rgb(13, 16, 24)');
    // The host's own CSS (unlayered) beats both kit layers.
    const style = document.createElement('style');
    style.textContent = 'vib3-theme { --vib3-color-surface: rgb(1, 2, 3); }';
    document.head.append(style);
    expect(bg()).to.equal('rgb(1, 2, 3)');
  });

  it('registerThemePack: a partner pack applies at runtime; invalid packs are rejected with every problem', async () => {
    registerThemePack({ name: 'partner-green', version: '1.0.0', base: '^1.0.0', tokens: { color: { brand: { '400': { $value: '#00ff88' } } } } });
    const wrap = html('<vib3-theme theme="partner-green"><vib3-install-progress value="50"></vib3-install-progress></vib3-theme>');
    const p = wrap.querySelector('vib3-install-progress')!;
    await p.updateComplete;
    expect(getComputedStyle(p).getPropertyValue('--vib3-color-accent').trim()).to.equal('#00ff88');
    let error: unknown;
    try {
      registerThemePack({ name: 'broken', version: 'x', base: '^1.0.0', tokens: { color: { nope: { $value: '#fff' }, accent: { $value: 'blue-ish' } } } });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ThemePackError);
    expect((error as ThemePackError).problems.map((x) => x.code).sort()).to.deep.equal(['INVALID_PACK', 'UNKNOWN_TOKEN', 'WRONG_TYPE']);
    expect(listThemePacks().some((x) => x.pack.name === 'broken')).to.equal(false);
  });

  for (const theme of THEMES) {
    it(`axe-core finds no violations in any component (${theme})`, async () => {
      const axe = await loadAxe();
      // A themed page paints the theme's surface behind its widgets.
      const wrap = html(`<vib3-theme theme="${theme}">
        <main style="background: var(--vib3-color-surface); color: var(--vib3-color-text); padding: 8px">
          <h1>Components</h1>
          <vib3-canvas id="c" loading="eager" style="width:64px;height:48px"></vib3-canvas>
          <vib3-toolbar for="c"></vib3-toolbar>
          <vib3-control-panel for="c"></vib3-control-panel>
          <vib3-theme-switcher></vib3-theme-switcher>
          <vib3-install-progress label="Installing Duoprisms" value="40" state="working"></vib3-install-progress>
          <vib3-consent-dialog></vib3-consent-dialog>
        </main></vib3-theme>`);
      await nextEvent(wrap.querySelector('vib3-canvas')!, 'vib3-ready');
      const dialog = wrap.querySelector('vib3-consent-dialog') as Vib3ConsentDialog;
      void dialog.ask({ extensionName: 'Duoprisms', publisher: 'VIB3 Reference', capabilities: [{ name: 'geometry', reason: 'Adds duoprism meshes.' }, { name: 'network', reason: 'Loads shapes.', origins: ['https://shapes.example.com'] }] });
      await frames(2);
      const result = await axe.run(wrap, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      expect(result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)).to.deep.equal([]);
    });
  }

  it('the control panel is operable by keyboard alone and drives the canvas', async () => {
    const wrap = html('<vib3-control-panel for="k"></vib3-control-panel>');
    const { el } = await mount({ id: 'k' }, [64, 48], wrap);
    const panel = wrap.querySelector('vib3-control-panel')!;
    await panel.updateComplete;
    (document.activeElement as HTMLElement | null)?.blur();
    // Tab from the start of the page to the hue slider, then use the arrow keys.
    let guard = 0;
    while ((deepActive() as HTMLElement | null)?.id !== 'p-hue' && guard++ < 80) await sendKeys({ press: 'Tab' });
    expect((deepActive() as HTMLElement).id).to.equal('p-hue');
    const before = el.hue;
    for (let i = 0; i < 5; i++) await sendKeys({ press: 'ArrowRight' });
    expect(el.hue).to.equal(before + 5);
    await sendKeys({ press: 'End' });
    expect(el.hue).to.equal(360);
    // Shift+Tab back to the geometry select and change it with the keyboard.
    while ((deepActive() as HTMLElement | null)?.id !== 'geometry' && guard++ < 160) await sendKeys({ press: 'Shift+Tab' });
    await sendKeys({ press: 'ArrowDown' });
    expect(el.geometry).to.equal(1);
    // Reset by keyboard.
    while ((deepActive() as HTMLElement | null)?.getAttribute('part') !== 'reset' && guard++ < 240) await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect([el.hue, el.geometry]).to.deep.equal([200, 0]);
  });

  it('the panel follows changes made elsewhere, and rejects bad typed values without changing the canvas', async () => {
    const wrap = html('<vib3-control-panel for="f"></vib3-control-panel>');
    const { el } = await mount({ id: 'f' }, [64, 48], wrap);
    const panel = wrap.querySelector('vib3-control-panel')!;
    await panel.updateComplete;
    el.speed = 2.5;
    await panel.updateComplete;
    const number = panel.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=number]');
    const speedNumber = [...number].find((n) => n.getAttribute('aria-label')?.startsWith('Speed'))!;
    expect(speedNumber.value).to.equal('2.5');
    speedNumber.value = '';
    speedNumber.dispatchEvent(new Event('change'));
    expect(el.speed).to.equal(2.5);
    expect(speedNumber.value).to.equal('2.5');
  });

  it('a locale switch changes every string; a host catalogue adds a language', async () => {
    const wrap = html('<vib3-control-panel for="l"></vib3-control-panel><vib3-toolbar for="l"></vib3-toolbar>');
    await mount({ id: 'l' }, [64, 48], wrap);
    const panel = wrap.querySelector('vib3-control-panel')!;
    const toolbar = wrap.querySelector('vib3-toolbar')!;
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('h2')!.textContent).to.equal('Visual parameters');
    setLocale('de');
    await panel.updateComplete;
    await toolbar.updateComplete;
    expect(panel.shadowRoot!.querySelector('h2')!.textContent).to.equal('Visuelle Parameter');
    expect(toolbar.shadowRoot!.querySelector('[role=toolbar]')!.getAttribute('aria-label')).to.equal('Steuerung der Visualisierung');
    registerCatalogue('fr', { 'panel.title': 'Paramètres visuels' });
    setLocale('fr');
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('h2')!.textContent).to.equal('Paramètres visuels');
    expect(panel.shadowRoot!.querySelector('[part=reset]')!.textContent).to.equal('Reset', 'missing messages fall back to English');
  });

  it('the toolbar play button says the action it performs, without a pressed state, in both states', async () => {
    const wrap = html('<vib3-toolbar for="pp"></vib3-toolbar>');
    const { el } = await mount({ id: 'pp' }, [64, 48], wrap);
    const toolbar = wrap.querySelector('vib3-toolbar')!;
    toolbar.requestUpdate();
    await toolbar.updateComplete;
    const button = toolbar.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=play-pause]')!;
    const state = () => ({ name: button.textContent!.trim(), pressed: button.getAttribute('aria-pressed'), label: button.getAttribute('aria-label'), paused: el.paused });
    expect(state()).to.deep.equal({ name: 'Pause', pressed: null, label: null, paused: false });
    button.click();
    await toolbar.updateComplete;
    expect(state()).to.deep.equal({ name: 'Play', pressed: null, label: null, paused: true });
    button.click();
    await toolbar.updateComplete;
    expect(state()).to.deep.equal({ name: 'Pause', pressed: null, label: null, paused: false });
  });

  it('radio buttons take the theme accent colour', async () => {
    const wrap = html('<vib3-theme theme="light"><vib3-control-panel for="rb"></vib3-control-panel></vib3-theme>');
    await mount({ id: 'rb' }, [64, 48], wrap);
    const panel = wrap.querySelector('vib3-control-panel')!;
    await panel.updateComplete;
    const radio = panel.shadowRoot!.querySelector<HTMLInputElement>('input[type=radio]')!;
    const probe = document.createElement('span');
    probe.style.color = 'var(--vib3-color-accent)';
    wrap.querySelector('vib3-theme')!.append(probe);
    expect(getComputedStyle(radio).accentColor).to.equal(getComputedStyle(probe).color);
    panel.style.setProperty('--vib3-color-accent', 'rgb(1, 2, 3)');
    expect(getComputedStyle(radio).accentColor).to.equal('rgb(1, 2, 3)');
  });

  it('the toolbar is one tab stop with arrow-key navigation, reversed in RTL', async () => {
    const wrap = html('<div dir="rtl"><vib3-toolbar for="t"><button type="button">Extra</button></vib3-toolbar></div>');
    await mount({ id: 't' }, [64, 48], wrap);
    const toolbar = wrap.querySelector('vib3-toolbar')!;
    await toolbar.updateComplete;
    const buttons = [...toolbar.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.getAttribute('tabindex'))).to.deep.equal(['0', '-1', '-1']);
    buttons[0]!.focus();
    await sendKeys({ press: 'ArrowLeft' }); // RTL: left moves forward
    expect(deepActive()).to.equal(buttons[1]);
    await sendKeys({ press: 'End' });
    expect(deepActive()!.textContent).to.equal('Extra');
  });

  it('the consent dialog lists capabilities with reasons and origins; Escape denies', async () => {
    const wrap = html('<vib3-consent-dialog></vib3-consent-dialog>');
    const dialog = wrap.querySelector('vib3-consent-dialog') as Vib3ConsentDialog;
    const answer = dialog.ask({ extensionName: 'Duoprisms', publisher: 'VIB3', capabilities: [{ name: 'network', reason: 'Loads shapes from the shape server.', origins: ['https://shapes.example.com'] }] });
    await dialog.updateComplete;
    const text = dialog.shadowRoot!.textContent!;
    expect(text).to.include('Loads shapes from the shape server.').and.include('https://shapes.example.com').and.include('Duoprisms asks for permission');
    expect(deepActive()?.getAttribute('part')).to.equal('deny', 'the safe choice has focus');
    await sendKeys({ press: 'Escape' });
    expect(await answer).to.deep.equal({ granted: false, capabilities: [] });
    const again = dialog.ask({ extensionName: 'Duoprisms', publisher: 'VIB3', capabilities: [{ name: 'geometry', reason: 'Adds duoprism meshes.' }] });
    await dialog.updateComplete;
    (dialog.shadowRoot!.querySelector('[part=allow]') as HTMLElement).click();
    expect(await again).to.deep.equal({ granted: true, capabilities: ['geometry'] });
  });

  it('the install progress bar reports real progress and announces it', async () => {
    const wrap = html('<vib3-install-progress label="Installing"></vib3-install-progress>');
    const p = wrap.querySelector('vib3-install-progress') as Vib3InstallProgress;
    p.state = 'working';
    p.value = 25;
    await p.updateComplete;
    const bar = p.shadowRoot!.querySelector('progress')!;
    expect([bar.value, bar.max]).to.deep.equal([25, 100]);
    expect(p.shadowRoot!.querySelector('[role=status]')!.textContent).to.equal('Installing: 25%');
    p.state = 'done';
    await p.updateComplete;
    expect(bar.value).to.equal(100);
  });

  it('prefers-reduced-motion turns component transitions off', async () => {
    const wrap = html('<vib3-install-progress></vib3-install-progress>');
    const p = wrap.querySelector('vib3-install-progress')!;
    await p.updateComplete;
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(getComputedStyle(p.shadowRoot!.querySelector('[part=text]')!).transitionDuration).to.equal('0s');
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('tokens reach the shaders: --vib3-visual-hue recolours a canvas without a reload; an explicit hue wins', async () => {
    const { el } = await mount({ system: 'faceted', geometry: 1 });
    const before = await renderAt(el, 1000);
    el.style.setProperty('--vib3-visual-hue', '30');
    await new Promise((r) => setTimeout(r, 700));
    await nextDrawnFrame(el).catch(() => undefined);
    expect(el.hue).to.equal(30);
    expect(compare(before, pixels(el)).meanDiff).to.be.greaterThan(2);
    el.hue = 120; // explicit: the palette no longer applies to hue
    el.style.setProperty('--vib3-visual-hue', '300');
    await new Promise((r) => setTimeout(r, 700));
    expect(el.hue).to.equal(120);
    el.reset(); // back to palette
    expect(el.hue).to.equal(300);
  });

  it('theme="light" on a canvas applies the pack palette; an unknown theme reports UNKNOWN_THEME', async () => {
    const { el } = await mount({ theme: 'light' });
    await new Promise((r) => setTimeout(r, 700));
    expect(el.hue).to.equal(215);
    const err = nextEvent<{ code: string }>(el, 'vib3-error');
    el.theme = 'nope';
    expect((await err).detail.code).to.equal('UNKNOWN_THEME');
  });
});

describe('component registry', () => {
  afterEach(() => document.querySelectorAll('vib3-stage').forEach((e) => e.remove()));
  const make = (text: string) => () => Object.assign(document.createElement('span'), { textContent: text });

  it('orders deterministically, refuses duplicates, lets the host override and restore', () => {
    const r = new ComponentRegistry();
    r.register({ name: 'core.b', slot: 'toolbar', create: make('b') });
    r.register({ name: 'core.a', slot: 'toolbar', create: make('a') });
    r.register({ name: 'core.first', slot: 'toolbar', order: -1, create: make('first') });
    r.register({ name: 'ext.x', slot: 'toolbar', source: 'extension', label: 'Shape picker', create: make('x') });
    expect(r.list('toolbar').map((e) => e.name)).to.deep.equal(['core.first', 'core.a', 'core.b', 'ext.x']);
    expect(() => r.register({ name: 'core.a', slot: 'panel', create: make('dup') })).to.throw(RegistryError).with.property('code', 'DUPLICATE_COMPONENT');
    r.override('core.a', { slot: 'toolbar', create: make('host a') });
    expect(r.list('toolbar').find((e) => e.name === 'core.a')!.source).to.equal('host');
    r.restore('core.a');
    expect(r.list('toolbar').find((e) => e.name === 'core.a')!.source).to.equal('core');
    expect(() => r.override('missing', { slot: 'panel', create: make('m') })).to.throw(RegistryError).with.property('code', 'NOT_OVERRIDABLE');
    expect(() => r.register({ name: 'q', slot: 'sidebar' as never, create: make('q') })).to.throw(RegistryError).with.property('code', 'UNKNOWN_SLOT');
  });

  it('extension widgets need a label that is not the canvas name, and are size-constrained in labelled regions', async () => {
    const r = new ComponentRegistry();
    expect(() => r.register({ name: 'ext.nolabel', slot: 'panel', source: 'extension', create: make('n') })).to.throw(RegistryError).with.property('code', 'MISSING_LABEL');
    expect(() => r.register({ name: 'ext.thief', slot: 'overlay', source: 'extension', label: 'Animated 4D geometry visual', create: make('t') }, { canvasLabel: 'Animated 4D geometry visual' })).to.throw(RegistryError).with.property('code', 'LABEL_CONFLICT');
    r.register({ name: 'ext.big', slot: 'overlay', source: 'extension', label: 'Huge widget', create: () => Object.assign(document.createElement('div'), { style: 'width:2000px;height:2000px' }) });
    r.register({ name: 'core.status', slot: 'status', create: make('ready') });
    const stage = document.createElement('vib3-stage');
    stage.registry = r;
    stage.innerHTML = '<vib3-canvas loading="eager" style="width:200px;height:150px"></vib3-canvas>';
    document.body.append(stage);
    await stage.updateComplete;
    const region = stage.shadowRoot!.querySelector('[data-component="ext.big"]') as HTMLElement;
    expect(region.getAttribute('role')).to.equal('group');
    expect(region.getAttribute('aria-label')).to.equal('Extension: Huge widget');
    const box = region.getBoundingClientRect();
    expect(box.width).to.be.at.most(SLOT_CONSTRAINTS.overlay.maxWidth);
    expect(box.height).to.be.at.most(SLOT_CONSTRAINTS.overlay.maxHeight);
    expect(stage.shadowRoot!.querySelector('.status')!.textContent).to.include('ready');
    expect(stage.querySelector('vib3-canvas')!.getAttribute('aria-label')).to.equal('Animated 4D geometry visual');
  });
});

describe('contexts: <vib3-stage> provides its canvas, <vib3-theme> its theme (@lit/context)', () => {
  afterEach(() => {
    cleanup();
    document.querySelectorAll('vib3-stage, div').forEach((e) => e.remove());
  });
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => requestAnimationFrame(r));
    expect(check(), what).to.equal(true);
  };

  it('a toolbar and a control panel inside a stage control its canvas without for=, and follow it', async () => {
    const r = new ComponentRegistry();
    r.register({ name: 'core.toolbar', slot: 'toolbar', create: () => document.createElement('vib3-toolbar') });
    r.register({ name: 'core.panel', slot: 'panel', create: () => document.createElement('vib3-control-panel') });
    const stage = document.createElement('vib3-stage');
    stage.registry = r;
    stage.innerHTML = '<vib3-canvas loading="eager" hue="40" style="width:96px;height:72px"></vib3-canvas>';
    document.body.append(stage);
    await stage.updateComplete;
    const canvas = stage.querySelector('vib3-canvas')!;
    const toolbar = stage.shadowRoot!.querySelector('vib3-toolbar')!;
    const panel = stage.shadowRoot!.querySelector('vib3-control-panel')!;
    const hueSlider = () => panel.shadowRoot!.querySelector<HTMLInputElement>('#p-hue');
    await until(() => hueSlider()?.value === '40', 'the panel shows the stage canvas parameters');
    const button = () => toolbar.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=play-pause]')!;
    expect(button().textContent!.trim()).to.equal('Pause');
    button().click();
    expect(canvas.paused, 'the toolbar paused the stage canvas').to.equal(true);
    // Changed elsewhere: the toolbar follows its canvas.
    canvas.paused = false;
    await until(() => button().textContent!.trim() === 'Pause', 'the toolbar label follows canvas.paused');
    canvas.hue = 300;
    await until(() => hueSlider()?.value === '300', 'the panel follows a parameter change made elsewhere');
    // The panel writes to the stage canvas.
    const slider = hueSlider()!;
    slider.value = '120';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    expect(canvas.hue).to.equal(120);
  });

  it('a stage provides the canvas that is slotted later, and for= still wins outside and inside', async () => {
    const r = new ComponentRegistry();
    r.register({ name: 'core.toolbar', slot: 'toolbar', create: () => document.createElement('vib3-toolbar') });
    const stage = document.createElement('vib3-stage');
    stage.registry = r;
    document.body.append(stage);
    await stage.updateComplete;
    const toolbar = stage.shadowRoot!.querySelector('vib3-toolbar')!;
    const late = document.createElement('vib3-canvas');
    late.loading = 'eager';
    late.style.cssText = 'width:64px;height:48px';
    stage.append(late);
    // The provided canvas arrives with the slot change; then the toolbar's button acts on it.
    await new Promise((r) => late.addEventListener('vib3-ready', r, { once: true }));
    toolbar.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=play-pause]')!.click();
    expect(late.paused, 'the late canvas is controlled').to.equal(true);
    const wrap = html('<vib3-toolbar for="outside"></vib3-toolbar>');
    const { el } = await mount({ id: 'outside' }, [64, 48], wrap);
    const outside = wrap.querySelector('vib3-toolbar')!;
    await outside.updateComplete;
    outside.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=play-pause]')!.click();
    expect(el.paused, 'for= outside a stage').to.equal(true);
  });

  it('a theme switcher inside <vib3-theme> shows and switches that wrapper without for=', async () => {
    const wrap = html('<vib3-theme theme="light"><vib3-theme-switcher></vib3-theme-switcher></vib3-theme>');
    const theme = wrap.querySelector('vib3-theme')!;
    const switcher = wrap.querySelector('vib3-theme-switcher')!;
    await switcher.updateComplete;
    const select = switcher.shadowRoot!.querySelector('select')!;
    await until(() => select.value === 'light', 'the switcher shows the wrapper theme');
    select.value = 'high-contrast';
    select.dispatchEvent(new Event('change'));
    expect(theme.getAttribute('theme')).to.equal('high-contrast');
    expect(document.documentElement.dataset['vib3Theme'], 'the document is left alone').to.not.equal('high-contrast');
    theme.setAttribute('theme', 'acme');
    await until(() => select.value === 'acme', 'the switcher follows the wrapper');
  });
});
