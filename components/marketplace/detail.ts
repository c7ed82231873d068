import { LitElement, css, html, nothing } from 'lit';
import { CHANNELS, type Channel, type InstalledExtension, type Listing } from '../../src/marketplace/types.js';
import { describeToken } from '../../src/marketplace/license/wallet.js';
import { LocaleController, getLocale, msg } from '../i18n.js';
import { baseStyles, dialogStyles } from '../shared-styles.js';
import { priceText, renderTierBadge } from './card.js';
import { listingText, previewUrl, type MarketErrorInfo, type OperationState } from './format.js';
import { STATUS_PARTS, renderError, renderStatus } from './status.js';
import { marketStyles } from './styles.js';

/** Parts of `<vib3-market-detail>` (with the status area's). */
export const DETAIL_PARTS = ['dialog', 'detail-title', 'close', 'detail-preview', 'description', 'channel-select', 'install', 'channels', 'versions', 'yanked', 'badge', 'price', 'license', 'license-state', 'license-input', 'license-save', ...STATUS_PARTS] as const;

/** Detail of `vib3-market-install`. */
export interface MarketInstallRequest {
  id: string;
  channel: Channel;
}

/**
 * `<vib3-market-detail>`: a modal `<dialog>` with one listing — description, publisher and trust
 * tier, price, channels with their versions, every version (yanked ones marked), and an Install
 * button with a channel choice. Focus moves to its title when it opens; Escape or Close closes it
 * (the opener gets focus back from `<vib3-marketplace>`).
 *
 * @tagname vib3-market-detail
 * @csspart dialog - The native dialog.
 * @csspart detail-title - The title (focused on open).
 * @csspart close - The close button.
 * @csspart detail-preview - The preview image.
 * @csspart description - The description.
 * @csspart channel-select - The channel to install from.
 * @csspart install - The install button.
 * @csspart channels - The channel list.
 * @csspart versions - The version list.
 * @csspart yanked - The "yanked" mark of a version.
 * @csspart badge - The trust tier badge.
 * @csspart price - The price.
 * @csspart status - The operation status area (also progress, progress-bar, progress-text, phase, error, error-code, error-message, suggestion).
 * @csspart license - The license section of a paid extension.
 * @csspart license-state - What the saved license token says (or that there is none).
 * @csspart license-input - The field to paste a license token into.
 * @csspart license-save - The button that saves it.
 * @fires vib3-market-install - Install was activated. `detail: MarketInstallRequest` ({ id, channel }).
 * @fires vib3-market-license - A license token was saved. `detail: { id, token }`.
 * @fires vib3-market-close - The dialog closed.
 */
export class Vib3MarketDetail extends LitElement {
  static override styles = [
    baseStyles,
    dialogStyles,
    marketStyles,
    css`
      dialog {
        inline-size: min(36rem, 94vw);
        max-block-size: 90vh;
      }
      header {
        display: flex;
        align-items: start;
        gap: var(--vib3-space-2);
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: var(--vib3-font-size-lg);
      }
      h3 {
        margin-block: var(--vib3-space-3) var(--vib3-space-1);
        font-size: var(--vib3-font-size-md);
      }
      .meta,
      .license textarea {
        display: block;
        inline-size: 100%;
        box-sizing: border-box;
        font: inherit;
        margin-block: var(--vib3-space-1);
      }
      .install {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vib3-space-2);
        margin-block: var(--vib3-space-2);
      }
      img {
        inline-size: 100%;
        aspect-ratio: 16 / 9;
        object-fit: cover;
        border-radius: var(--vib3-radius-sm);
      }
      ul {
        margin: 0;
        padding-inline-start: var(--vib3-space-4);
      }
      .tag {
        margin-inline-start: var(--vib3-space-1);
        font-size: var(--vib3-font-size-sm);
        font-weight: var(--vib3-font-weight-bold);
        text-transform: uppercase;
      }
      .price {
        font-weight: var(--vib3-font-weight-bold);
      }
    `,
  ];
  static override properties = {
    listing: { attribute: false },
    installed: { attribute: false },
    op: { attribute: false },
    error: { attribute: false },
    base: { type: String },
    busy: { type: Boolean },
    license: { attribute: false },
    _channel: { state: true },
    _broken: { state: true },
  };
  /** The listing shown (undefined while it loads). */
  declare listing: Listing | undefined;
  /** The installed state of this extension, if installed. */
  declare installed: InstalledExtension | undefined;
  /** The operation to show in the status area (shown when it concerns this listing). */
  declare op: OperationState | null;
  /** An error loading the listing. */
  declare error: MarketErrorInfo | undefined;
  /** The registry base URL (for the preview). */
  declare base: string;
  /** Another operation runs: Install is unavailable. */
  declare busy: boolean;
  /** The license token saved for this listing, if any (paid extensions). */
  declare license: string | undefined;
  declare _channel: Channel | undefined;
  declare _broken: string | undefined;
  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.op = null;
    this.base = '';
    this.busy = false;
  }

  /** Whether the dialog is open. */
  get open(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  /** Opens the dialog (modal) and moves focus to its title. */
  async show(): Promise<void> {
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Closes the dialog. */
  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('listing') && (changed.get('listing') as Listing | undefined)?.id !== this.listing?.id) this._channel = undefined;
  }

  /** The channel the install button uses: the chosen one, else the followed one, else the first with a release. */
  get channel(): Channel {
    const l = this.listing;
    const offered = CHANNELS.filter((c) => l?.channels[c]);
    return this._channel ?? (this.installed && offered.includes(this.installed.channel) ? this.installed.channel : (offered[0] ?? 'stable'));
  }

  private install(): void {
    if (!this.listing || this.busy) return;
    this.dispatchEvent(new CustomEvent<MarketInstallRequest>('vib3-market-install', { bubbles: true, composed: true, detail: { id: this.listing.id, channel: this.channel } }));
  }

  private renderBody(l: Listing) {
    const src = previewUrl(this.base, l);
    const price = priceText(l);
    const channel = this.channel;
    const op = this.op && this.op.id === l.id ? this.op : null;
    return html`
      ${src && this._broken !== src ? html`<img part="detail-preview" src=${src} alt=${l.marketplace?.previews?.[0]?.alt ?? ''} @error=${() => (this._broken = src)} />` : nothing}
      <div class="meta">
        ${renderTierBadge(l.publisher.tier ?? l.tier)}
        <span class="muted">${msg('market.card.by', { publisher: l.publisher.displayName || l.publisher.name })}</span>
        ${price ? html`<span part="price" class="price">${price}</span>` : nothing}
      </div>
      <p part="description">${l.description || listingText(getLocale(), undefined, l).summary}</p>
      ${this.installed ? html`<p class="muted">${msg('market.detail.installed', { version: this.installed.version, channel: msg(`market.channel.${this.installed.channel}`) })}</p>` : nothing}
      <div class="install">
        <label for="channel">${msg('market.detail.channel')}</label>
        <select id="channel" part="channel-select" @change=${(e: Event) => (this._channel = (e.target as HTMLSelectElement).value as Channel)}>
          ${CHANNELS.map(
            (c) =>
              html`<option value=${c} ?disabled=${!l.channels[c]} ?selected=${c === channel}>${msg('market.channel.option', { channel: msg(`market.channel.${c}`), version: l.channels[c] ?? msg('market.detail.noVersion') })}</option>`,
          )}
        </select>
        <button part="install" class="primary" type="button" aria-disabled=${this.busy ? 'true' : 'false'} aria-describedby="title" @click=${() => this.install()}>${msg('market.detail.install')}</button>
      </div>
      ${this.renderLicense(l)}
      ${renderStatus(op)}
      <h3>${msg('market.detail.channels')}</h3>
      <ul part="channels">
        ${CHANNELS.map((c) => html`<li data-channel=${c}>${msg(`market.channel.${c}`)}: ${l.channels[c] ?? msg('market.detail.noVersion')}</li>`)}
      </ul>
      <h3>${msg('market.detail.versions')}</h3>
      <ul part="versions">
        ${l.versions.map(
          (v) => html`<li data-version=${v.version} data-yanked=${String(v.yanked)}>
            <span>${v.version}</span>
            <span class="muted">${new Date(v.publishedAt).toLocaleDateString(getLocale())}</span>
            ${v.yanked ? html`<span part="yanked" class="tag">${msg('market.detail.yanked')}</span>` : nothing}
          </li>`,
        )}
      </ul>`;
  }

  /** The license section of a paid listing: what the saved token says, and a field to paste one. */
  private renderLicense(l: Listing) {
    const pricing = l.marketplace?.pricing as { model?: string; freeTier?: string } | undefined;
    if (pricing?.model !== 'paid' && pricing?.model !== 'subscription') return nothing;
    const token = this.license;
    const said = token ? describeToken(token) : undefined;
    const state = !token
      ? `${msg('market.license.none')}${pricing.freeTier ? ` ${msg('market.license.freeTier', { tier: pricing.freeTier })}` : ''}`
      : !said
        ? msg('market.license.unreadable')
        : said.ext !== l.id
          ? msg('market.license.other', { ext: said.ext ?? '?' })
          : msg('market.license.have', { tier: said.tier ?? '?', date: said.exp ? new Date(said.exp * 1000).toLocaleDateString(getLocale()) : '?' });
    const save = () => {
      const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#license');
      const value = field?.value.trim();
      if (!value) return;
      this.dispatchEvent(new CustomEvent('vib3-market-license', { bubbles: true, composed: true, detail: { id: l.id, token: value } }));
      field!.value = '';
    };
    return html`<section part="license" class="license">
      <h3>${msg('market.license.title')}</h3>
      <p part="license-state" role="status">${state}</p>
      <label for="license">${msg('market.license.label')}</label>
      <textarea id="license" part="license-input" rows="2" spellcheck="false" autocomplete="off"></textarea>
      <button part="license-save" type="button" @click=${save}>${msg('market.license.save')}</button>
    </section>`;
  }

  protected override render() {
    void this.locale;
    const l = this.listing;
    const title = l ? listingText(getLocale(), undefined, l).title : msg('market.detail.loading');
    return html`<dialog part="dialog" aria-labelledby="title" @close=${() => this.dispatchEvent(new CustomEvent('vib3-market-close', { bubbles: true, composed: true }))}>
      <header>
        <h2 id="title" part="detail-title" tabindex="-1">${title}</h2>
        <button part="close" type="button" @click=${() => this.close()}>${msg('market.detail.close')}</button>
      </header>
      ${this.error ? renderError(this.error) : l ? this.renderBody(l) : html`<p class="muted">${msg('market.detail.loading')}</p>`}
    </dialog>`;
  }
}
