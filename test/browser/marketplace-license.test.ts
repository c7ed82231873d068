// The license section of <vib3-marketplace>'s detail view (paid listings only): what the saved
// token says, in en and de, and pasting a token saves it into the installer's license wallet.
import { expect } from '@esm-bundle/chai';
import '../../components/index.js';
import { setLocale } from '../../components/index.js';
import { memoryLicenseWallet, issueLicense } from '../../src/marketplace/license/index.js';
import { generateEd25519 } from '../../src/extensions/index.js';
import type { Listing } from '../../src/marketplace/types.js';

const listing = (pricing: Record<string, unknown>): Listing => ({
  id: 'acme.paid', name: 'Paid', description: 'A paid extension.', publisher: { name: 'acme', displayName: 'ACME', tier: 'verified' }, tier: 'verified', categories: ['geometry'], tags: [],
  latest: '1.0.0', channels: { stable: '1.0.0' }, versions: [{ version: '1.0.0', publishedAt: '2026-01-01T00:00:00Z', yanked: false }], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  marketplace: { title: 'Paid', summary: 'A paid extension.', categories: ['geometry'], pricing: pricing as never },
});
type Detail = HTMLElement & { listing?: Listing; license?: string; show(): Promise<void>; updateComplete: Promise<boolean> };
const part = (el: Detail, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

async function mount(l: Listing, license?: string): Promise<Detail> {
  const el = document.createElement('vib3-market-detail') as Detail;
  el.listing = l;
  if (license) el.license = license;
  document.body.append(el);
  await el.show();
  return el;
}

describe('<vib3-marketplace> license section', () => {
  afterEach(() => {
    document.querySelectorAll('vib3-market-detail').forEach((e) => e.remove());
    setLocale('en');
  });

  it('appears for paid listings only and says what the saved token is', async () => {
    const free = await mount(listing({ model: 'free' }));
    expect(part(free, 'license')).to.equal(null);
    const none = await mount(listing({ model: 'paid', amount: 5, currency: 'EUR', freeTier: 'basic' }));
    expect(part(none, 'license-state')!.textContent).to.equal('No license saved: this paid extension needs one for this site. Without a license it runs in its basic tier.');
    const { privateJwk } = await generateEd25519();
    const token = await issueLicense(privateJwk, { ext: 'acme.paid', aud: ['https://shop.example.com'], tier: 'pro', now: new Date('2026-01-01T00:00:00Z'), days: 31 });
    const have = await mount(listing({ model: 'subscription', amount: 2, currency: 'USD' }), token);
    expect(part(have, 'license-state')!.textContent).to.match(/^License saved: tier pro, valid until .*2026.*\.$/);
    const other = await mount(listing({ model: 'paid', amount: 5, currency: 'EUR' }), await issueLicense(privateJwk, { ext: 'acme.other', aud: ['https://x.example'], tier: 'pro' }));
    expect(part(other, 'license-state')!.textContent).to.equal('The saved token is for another extension (acme.other).');
    setLocale('de');
    await other.updateComplete;
    expect(part(other, 'license-state')!.textContent).to.equal('Das gespeicherte Token gilt für eine andere Erweiterung (acme.other).');
  });

  it('saves a pasted token (trimmed) with vib3-market-license, and the wallet keeps it', async () => {
    const wallet = memoryLicenseWallet();
    const el = await mount(listing({ model: 'paid', amount: 5, currency: 'EUR' }));
    el.addEventListener('vib3-market-license', (e) => {
      const { id, token } = (e as CustomEvent<{ id: string; token: string }>).detail;
      wallet.set(id, token);
      el.license = token;
    });
    const field = part(el, 'license-input') as HTMLTextAreaElement;
    expect(el.shadowRoot!.querySelector(`label[for="${field.id}"]`)!.textContent).to.equal('License token');
    part(el, 'license-save')!.click();
    expect(wallet.get('acme.paid')).to.equal(undefined); // nothing pasted: nothing saved
    field.value = '  not-a-token  ';
    part(el, 'license-save')!.click();
    await el.updateComplete;
    expect(wallet.get('acme.paid')).to.equal('not-a-token');
    expect(field.value).to.equal('');
    expect(part(el, 'license-state')!.textContent).to.equal('The saved text is not a license token.');
  });
});
