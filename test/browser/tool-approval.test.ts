// <vib3-tool-approval>: the page's approval dialog for agent tool calls. Allow and Deny resolve
// the request, Escape denies, requests queue one at a time, the buttons take no input for a moment
// after each request is shown (a double-click never approves the next, unseen request), the input
// is shown as text (never parsed as HTML), it is axe-clean, and as a real ToolRegistry's approve
// callback a reset of a real canvas waits for it and does not run when denied.
import { expect } from '@esm-bundle/chai';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { mount, cleanup, loadAxe, frames } from './helpers.js';
import '../../components/index.js';
import { setLocale, type Vib3ToolApproval, type ToolApprovalDetail } from '../../components/index.js';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import { canvasTools } from '../../src/agent/canvas/canvas-tools.js';
import type { AgentTool, ApprovalRequest, ToolCallResult } from '../../src/agent/registry/types.js';

const tool = (over: Partial<AgentTool> = {}): AgentTool => ({
  name: 'reset',
  title: 'Reset the canvas',
  description: 'Puts every parameter back to its default.',
  inputSchema: { type: 'object', properties: {} },
  policy: { requires: [], approval: 'destructive' },
  source: 'kit',
  ...over,
});
const req = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({ tool: tool(), input: {}, caller: 'agent', reason: 'destructive', ...over });

const deepActive = (): Element | null => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};
const part = (el: Vib3ToolApproval, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const button = (el: Vib3ToolApproval, name: 'allow' | 'deny') => part(el, name) as HTMLButtonElement;
const dialogOf = (el: Vib3ToolApproval) => el.shadowRoot!.querySelector('dialog')!;
/** Waits (without a clock) until the dialog shows a request for `name`, its buttons take input and Deny has the focus. */
async function shown(el: Vib3ToolApproval, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await el.updateComplete;
    if (dialogOf(el).open && part(el, 'tool')?.textContent === name && !button(el, 'allow').disabled && !button(el, 'deny').disabled && deepActive() === part(el, 'deny')) return;
    await frames(1);
  }
  throw new Error(`the dialog never showed ${name} ready for a decision`);
}
/** Waits until the dialog is open on `name` (its buttons may still be waiting). */
async function opened(el: Vib3ToolApproval, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await el.updateComplete;
    if (dialogOf(el).open && part(el, 'tool')?.textContent === name) return;
    await frames(1);
  }
  throw new Error(`the dialog never opened on ${name}`);
}
/** Where the centre of `target` is, in the viewport's CSS pixels (for sendMouse). */
function centre(target: HTMLElement): [number, number] {
  const r = target.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}
const errorCode = (r: ToolCallResult) => (r.structuredContent?.['error'] as { code: string } | undefined)?.code;

describe('<vib3-tool-approval>', () => {
  let el: Vib3ToolApproval;
  let wrap: HTMLElement;
  let events: ToolApprovalDetail[];

  beforeEach(() => {
    wrap = document.createElement('div');
    document.body.append(wrap);
    el = document.createElement('vib3-tool-approval');
    wrap.append(el);
    events = [];
    el.addEventListener('vib3-approval', (e) => events.push((e as CustomEvent<ToolApprovalDetail>).detail));
  });
  afterEach(() => {
    wrap.remove();
    cleanup();
    setLocale('en');
  });

  it('shows the tool, its source, the caller, why it asks and the input; Allow resolves true', async () => {
    const answer = el.request(req({ tool: tool({ name: 'set_theme', title: 'Set the theme', source: 'kit' }), input: { theme: 'light', nested: { a: [1, 2] } }, caller: 'agent', reason: 'always' }));
    await shown(el, 'set_theme');
    expect(part(el, 'title')!.textContent).to.equal('Allow Set the theme?');
    expect(part(el, 'source')!.textContent).to.equal('From the VIB3 kit');
    expect(part(el, 'caller')!.textContent).to.equal('agent');
    expect(part(el, 'reason')!.dataset['reason']).to.equal('always');
    expect(part(el, 'reason')!.textContent).to.match(/every time/);
    expect(part(el, 'input')!.textContent).to.equal(JSON.stringify({ theme: 'light', nested: { a: [1, 2] } }, null, 2));
    expect(el.current?.tool.name).to.equal('set_theme');
    part(el, 'allow')!.click();
    expect(await answer).to.equal(true);
    expect(events).to.deep.equal([{ name: 'set_theme', approved: true }]);
    await el.updateComplete;
    expect(dialogOf(el).open).to.equal(false);
    expect(el.pending).to.equal(0);
  });

  it('an extension tool names its extension; Deny (focused by default) resolves false', async () => {
    const answer = el.request(req({ tool: tool({ name: 'dev.vib3.duoprism.set_sides', title: undefined, source: 'dev.vib3.duoprism' }), input: { p: 3 } }));
    await shown(el, 'dev.vib3.duoprism.set_sides');
    expect(part(el, 'title')!.textContent).to.equal('Allow dev.vib3.duoprism.set_sides?');
    expect(part(el, 'source')!.textContent).to.equal('From the extension dev.vib3.duoprism');
    expect(part(el, 'reason')!.dataset['reason']).to.equal('destructive');
    expect(deepActive(), 'the safe choice has focus').to.equal(part(el, 'deny'));
    await sendKeys({ press: 'Enter' });
    expect(await answer).to.equal(false);
    expect(events).to.deep.equal([{ name: 'dev.vib3.duoprism.set_sides', approved: false }]);
  });

  it('Escape denies, and the dialog answers the next request after it', async () => {
    const first = el.request(req());
    await shown(el, 'reset');
    await sendKeys({ press: 'Escape' });
    expect(await first).to.equal(false);
    await el.updateComplete;
    expect(dialogOf(el).open).to.equal(false);
    const second = el.request(req({ tool: tool({ name: 'set_mesh' }) }));
    await shown(el, 'set_mesh');
    await sendKeys({ press: 'Escape' });
    expect(await second).to.equal(false);
    const third = el.request(req({ tool: tool({ name: 'set_params' }) }));
    await shown(el, 'set_params');
    part(el, 'allow')!.click();
    expect(await third).to.equal(true);
    expect(events.map((e) => e.approved)).to.deep.equal([false, false, true]);
  });

  it('queues requests: one at a time, in order, with the number still waiting', async () => {
    const a = el.request(req({ tool: tool({ name: 'a_tool' }) }));
    const b = el.request(req({ tool: tool({ name: 'b_tool' }) }));
    const c = el.request(req({ tool: tool({ name: 'c_tool' }) }));
    await shown(el, 'a_tool');
    expect(el.pending).to.equal(3);
    expect(part(el, 'queued')!.textContent).to.equal('2 more waiting');
    let settled = '';
    void b.then(() => (settled += 'b'));
    void c.then(() => (settled += 'c'));
    part(el, 'allow')!.click();
    expect(await a).to.equal(true);
    await shown(el, 'b_tool');
    expect(settled, 'b and c wait for their turn').to.equal('');
    expect(part(el, 'queued')!.textContent).to.equal('1 more waiting');
    part(el, 'deny')!.click();
    expect(await b).to.equal(false);
    await shown(el, 'c_tool');
    expect(part(el, 'queued')).to.equal(null);
    part(el, 'allow')!.click();
    expect(await c).to.equal(true);
    expect(events).to.deep.equal([
      { name: 'a_tool', approved: true },
      { name: 'b_tool', approved: false },
      { name: 'c_tool', approved: true },
    ]);
  });

  it('a double-click on Allow approves only the request on screen: the next one stays pending and shown until its buttons take input', async () => {
    const a = el.request(req({ tool: tool({ name: 'a_tool' }) }));
    const b = el.request(req({ tool: tool({ name: 'b_tool' }) }));
    let bSettled = false;
    void b.then(() => (bSettled = true));
    await shown(el, 'a_tool');
    // Two clicks in the same task: the second arrives before the dialog even renders b_tool.
    button(el, 'allow').click();
    button(el, 'allow').click();
    expect(await a).to.equal(true);
    await el.updateComplete;
    expect(events).to.deep.equal([{ name: 'a_tool', approved: true }]);
    expect(el.pending).to.equal(1);
    expect(el.current?.tool.name).to.equal('b_tool');
    expect(dialogOf(el).open).to.equal(true);
    expect(part(el, 'tool')!.textContent).to.equal('b_tool');
    // Only microtasks ran since b_tool was shown, so its buttons still wait: rendered disabled, clicks do nothing.
    expect([button(el, 'allow').disabled, button(el, 'deny').disabled]).to.deep.equal([true, true]);
    button(el, 'allow').click();
    button(el, 'deny').click();
    await el.updateComplete;
    expect(el.pending).to.equal(1);
    expect(bSettled).to.equal(false);
    // Then b_tool can be decided (shown() waits for the buttons, not for a clock).
    await shown(el, 'b_tool');
    expect(bSettled).to.equal(false);
    button(el, 'allow').click();
    expect(await b).to.equal(true);
    expect(events).to.deep.equal([
      { name: 'a_tool', approved: true },
      { name: 'b_tool', approved: true },
    ]);
    await el.updateComplete;
    expect(dialogOf(el).open).to.equal(false);
  });

  it('a real mouse double-click on Allow leaves the next request pending; Escape denies it at once while its buttons wait', async () => {
    try {
      const first = el.request(req({ tool: tool({ name: 'a_tool' }) }));
      const second = el.request(req({ tool: tool({ name: 'b_tool' }) }));
      await shown(el, 'a_tool');
      // From the next request on, the buttons wait far longer than this test, so nothing here races a clock.
      el.inputDelay = 60_000;
      const [x, y] = centre(button(el, 'allow'));
      await sendMouse({ type: 'click', position: [x, y] });
      await sendMouse({ type: 'click', position: [x, y] });
      expect(await first).to.equal(true);
      await opened(el, 'b_tool');
      expect(el.pending).to.equal(1);
      expect(events).to.deep.equal([{ name: 'a_tool', approved: true }]);
      expect([button(el, 'allow').disabled, button(el, 'deny').disabled]).to.deep.equal([true, true]);
      expect(deepActive(), 'the dialog holds the focus while its buttons wait').to.equal(dialogOf(el));
      await sendKeys({ press: 'Escape' });
      expect(await second).to.equal(false);
      expect(events).to.deep.equal([
        { name: 'a_tool', approved: true },
        { name: 'b_tool', approved: false },
      ]);
      // A request in a closed dialog waits too: opening it is "showing" it.
      const third = el.request(req({ tool: tool({ name: 'c_tool' }) }));
      await opened(el, 'c_tool');
      expect(button(el, 'allow').disabled).to.equal(true);
      button(el, 'allow').click();
      await el.updateComplete;
      expect(el.pending).to.equal(1);
      await sendKeys({ press: 'Escape' });
      expect(await third).to.equal(false);
    } finally {
      await resetMouse();
    }
  });

  it('denyAll (all, or the matching ones) and removing the element deny what is pending; a detached element denies at once', async () => {
    const a = el.request(req({ tool: tool({ name: 'a_tool' }) }));
    const b = el.request(req({ tool: tool({ name: 'b_tool' }) }));
    await shown(el, 'a_tool');
    el.denyAll();
    expect([await a, await b]).to.deep.equal([false, false]);
    // Only the matching requests: the agent's go, the page's stays (and comes to the front).
    const agentCall = el.request(req({ tool: tool({ name: 'agent_tool' }), caller: 'agent' }));
    const pageCall = el.request(req({ tool: tool({ name: 'page_tool' }), caller: 'page' }));
    await shown(el, 'agent_tool');
    el.denyAll((r) => r.caller === 'agent');
    expect(await agentCall).to.equal(false);
    await shown(el, 'page_tool');
    expect(el.pending).to.equal(1);
    part(el, 'allow')!.click();
    expect(await pageCall).to.equal(true);
    const c = el.request(req({ tool: tool({ name: 'c_tool' }) }));
    await shown(el, 'c_tool');
    el.remove();
    expect(await c).to.equal(false);
    expect(await el.request(req())).to.equal(false);
  });

  it('shows the input as text: markup in it is never parsed', async () => {
    const evil = '<img src=x onerror="window.__approvalXss=1"><b>bold</b>';
    const answer = el.request(req({ tool: tool({ name: 'set_params', description: '<i>desc</i>' }), input: { label: evil } }));
    await shown(el, 'set_params');
    const input = part(el, 'input')!;
    expect(input.querySelector('img, b')).to.equal(null);
    expect(input.children.length).to.equal(0);
    expect(input.textContent).to.include(JSON.stringify(evil).slice(1, -1));
    expect(el.shadowRoot!.querySelector('img, b, i')).to.equal(null);
    expect(part(el, 'description')!.textContent).to.equal('<i>desc</i>');
    await frames(2);
    expect((window as unknown as { __approvalXss?: number }).__approvalXss).to.equal(undefined);
    part(el, 'deny')!.click();
    expect(await answer).to.equal(false);
  });

  it('follows the locale', async () => {
    setLocale('de');
    const answer = el.request(req());
    await shown(el, 'reset');
    expect(part(el, 'deny')!.textContent).to.equal('Ablehnen');
    expect(part(el, 'allow')!.textContent).to.equal('Erlauben');
    part(el, 'deny')!.click();
    expect(await answer).to.equal(false);
  });

  for (const theme of ['default-dark', 'light', 'high-contrast']) {
    it(`axe-core finds no violations in the open dialog (${theme})`, async () => {
      const axe = await loadAxe();
      const themed = document.createElement('vib3-theme');
      themed.setAttribute('theme', theme);
      const main = document.createElement('main');
      main.style.cssText = 'background: var(--vib3-color-surface); color: var(--vib3-color-text); padding: 8px';
      main.innerHTML = '<h1>Approvals</h1>';
      themed.append(main);
      wrap.append(themed);
      main.append(el);
      const a = el.request(req({ input: { system: 'holographic', hue: 280 } }));
      const b = el.request(req({ tool: tool({ name: 'dev.vib3.duoprism.show', source: 'dev.vib3.duoprism' }), reason: 'always' }));
      await shown(el, 'reset');
      const result = await axe.run(themed, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      expect(result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)).to.deep.equal([]);
      el.denyAll();
      expect([await a, await b]).to.deep.equal([false, false]);
    });
  }

  describe('as the approve callback of a real ToolRegistry over a real canvas', () => {
    it('reset waits for the dialog and does not run when denied; allowed, it runs', async () => {
      const { el: canvas } = await mount({ system: 'faceted', hue: 40 }, [64, 48]);
      canvas.paused = true;
      const registry = new ToolRegistry({ approve: (r) => el.request(r) });
      registry.add(canvasTools(canvas));

      let settled = false;
      const denied = registry.call('reset', {}, { caller: 'agent' }).then((r) => ((settled = true), r));
      await shown(el, 'reset');
      expect(part(el, 'caller')!.textContent).to.equal('agent');
      expect(part(el, 'source')!.textContent).to.equal('From the VIB3 kit');
      expect(settled, 'the call waits for the user').to.equal(false);
      expect([canvas.system, canvas.hue]).to.deep.equal(['faceted', 40]);
      await sendKeys({ press: 'Escape' });
      const result = await denied;
      expect(errorCode(result)).to.equal('APPROVAL_DENIED');
      expect([canvas.system, canvas.hue], 'a denied reset changes nothing').to.deep.equal(['faceted', 40]);

      // A call that needs no approval never opens the dialog.
      const set = await registry.call('set_params', { hue: 90 });
      expect(set.isError, JSON.stringify(set)).to.equal(undefined);
      expect(dialogOf(el).open).to.equal(false);

      const allowed = registry.call('reset', {}, { caller: 'page' });
      await shown(el, 'reset');
      part(el, 'allow')!.click();
      const done = await allowed;
      expect(done.isError, JSON.stringify(done)).to.equal(undefined);
      expect([canvas.system, canvas.hue]).to.deep.equal(['quantum', 200]);
      expect(events).to.deep.equal([
        { name: 'reset', approved: false },
        { name: 'reset', approved: true },
      ]);
    });
  });
});
