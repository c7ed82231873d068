// <vib3-sync-status>, the marketplace admin view of partner sync, against a real registry (the
// browser fixture; POST /sync-status there makes one listing synced to `npm` and a dead letter at
// `mcp-registry` with the partner's error): it renders the partners, the per-listing statuses and
// the dead letter with the partner's error; Retry sends the dead letter back to the queue through
// the API; a refused token shows a coded error; axe-core finds nothing in every theme pack.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { frames, loadAxe } from './helpers.js';
import '../../components/index.js';
import type { SyncRetryDetail, Vib3SyncStatus } from '../../components/index.js';

interface Fixture {
  registry: string;
  control: string;
}
const THEMES = ['default-dark', 'light', 'high-contrast', 'acme'] as const;
const ID = 'com.acme.shapes';

async function until(check: () => boolean, what: string): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20)); // the mocha timeout is the hang guard
  expect(check(), what).to.equal(true);
}

const part = (view: Vib3SyncStatus, selector: string) => view.shadowRoot!.querySelector<HTMLElement>(selector);
const parts = (view: Vib3SyncStatus, selector: string) => [...view.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const deadLetter = (view: Vib3SyncStatus) => part(view, `[part~=dead-letter][data-extension="${ID}"]`);
const lane = (view: Vib3SyncStatus, partner: string) => part(view, `[part~=sync-lane][data-extension="${ID}"][data-partner="${partner}"]`);

describe('<vib3-sync-status> against a real registry', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let adminToken = '';
  const wraps: HTMLElement[] = [];

  beforeEach(async () => {
    fx = (await executeServerCommand('vib3-registry-fixture', {})) as Fixture;
    adminToken = ((await (await fetch(`${fx.control}/sync-status`, { method: 'POST' })).json()) as { adminToken: string }).adminToken;
  });
  afterEach(() => {
    for (const w of wraps.splice(0)) w.remove();
  });

  async function mount(theme: string = 'default-dark', token = adminToken): Promise<Vib3SyncStatus> {
    const wrap = document.createElement('div');
    wrap.innerHTML = `<vib3-theme theme="${theme}"><main style="background: var(--vib3-color-surface); color: var(--vib3-color-text); padding: 8px; width: 900px"><h1>Registry admin</h1><vib3-sync-status></vib3-sync-status></main></vib3-theme>`;
    document.body.append(wrap);
    wraps.push(wrap);
    const view = wrap.querySelector('vib3-sync-status')!;
    view.registry = fx.registry;
    view.token = token;
    return view;
  }

  it('shows each partner, the listing\'s status per partner, and the dead letter with the partner\'s error', async () => {
    const view = await mount();
    await until(() => deadLetter(view) !== null && lane(view, 'npm') !== null, 'the overview is shown');
    expect(view.hasAttribute('token'), 'the token is never an attribute').to.equal(false);
    expect(parts(view, '[part~=sync-partner]').map((p) => p.dataset.partner)).to.include.members(['npm', 'mcp-registry']);
    expect(lane(view, 'npm')!.dataset.status).to.equal('synced');
    // The version synced is the listing's stable one (other suites may have released more into the shared fixture).
    const stable = ((await (await fetch(`${fx.registry}/v1/extensions/${ID}`)).json()) as { channels: { stable: string } }).channels.stable;
    expect(lane(view, 'npm')!.textContent).to.contain(stable);
    expect(lane(view, 'mcp-registry')!.dataset.status).to.equal('dead');
    expect(lane(view, 'mcp-registry')!.textContent).to.contain('PARTNER_REFUSED');
    const error = deadLetter(view)!.querySelector('[part~=dead-error]')!.textContent!;
    expect(error).to.contain('PARTNER_REFUSED');
    expect(error).to.contain('mcp-registry answered 400');
    expect(error).to.contain('name must be in reverse-DNS form');
    const overview = view.overview!;
    expect(overview.dead.some((d) => d.extensionId === ID && d.partner === 'mcp-registry' && d.lastError?.status === 400)).to.equal(true);
  });

  it('Retry sends the dead letter back to the queue through the API and shows it pending', async () => {
    const view = await mount();
    await until(() => deadLetter(view) !== null, 'the dead letter is shown');
    const rowId = Number(deadLetter(view)!.dataset.row);
    const fired = new Promise<SyncRetryDetail>((resolve) => view.addEventListener('vib3-sync-retry', (e) => resolve((e as CustomEvent<SyncRetryDetail>).detail), { once: true }));
    deadLetter(view)!.querySelector<HTMLButtonElement>('[part~=retry]')!.click();
    expect(await fired).to.deep.equal({ rowId, extensionId: ID, partner: 'mcp-registry' });
    await until(() => part(view, `[part~=dead-letter][data-row="${rowId}"]`) === null, 'the retried letter left the dead letters');
    expect(lane(view, 'mcp-registry')!.dataset.status).to.equal('pending');
    const res = await fetch(`${fx.registry}/v1/sync`, { headers: { authorization: `Bearer ${adminToken}` } });
    const body = (await res.json()) as { dead: { rowId: number }[] };
    expect(body.dead.some((d) => d.rowId === rowId)).to.equal(false);
  });

  it('a refused token shows the registry\'s coded error', async () => {
    const view = await mount('default-dark', 'vib3_not-a-real-token');
    const failed = new Promise<{ code: string; operation: string }>((resolve) => view.addEventListener('vib3-sync-error', (e) => resolve((e as CustomEvent).detail), { once: true }));
    expect(await failed).to.include({ code: 'TOKEN_INVALID', operation: 'load' });
    await until(() => part(view, '[part~=error]') !== null, 'the error is shown');
    expect(part(view, '[part~=error-code]')!.textContent).to.equal('TOKEN_INVALID');
  });

  for (const theme of THEMES) {
    it(`axe-core finds no violations (${theme}): statuses, a dead letter, an error`, async () => {
      const axe = await loadAxe();
      const view = await mount(theme);
      const failing = await mount(theme, 'vib3_not-a-real-token');
      await until(() => deadLetter(view) !== null && part(failing, '[part~=error]') !== null, 'statuses and an error are shown');
      await frames(2);
      for (const v of [view, failing]) {
        const results = await axe.run(v.closest('vib3-theme')!.parentElement, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
        expect(results.violations.map((x) => `${x.id}: ${JSON.stringify(x.nodes.map((n) => n.target))}`)).to.deep.equal([]);
      }
    });
  }
});
