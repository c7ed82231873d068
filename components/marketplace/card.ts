import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { Listing, ListingSummary, TrustTier } from '../../src/marketplace/types.js';
import { LocaleController, getLocale, msg } from '../i18n.js';
import { baseStyles } from '../shared-styles.js';
import { formatMoney, listingText, previewUrl } from './format.js';
import { marketStyles } from './styles.js';

/** Parts of `<vib3-market-card>`. */
export const CARD_PARTS = ['card', 'preview', 'placeholder', 'title', 'summary', 'meta', 'publisher', 'badge', 'price', 'installed-flag', 'details'] as const;

/** The trust tier badge: words (and a symbol), never colour alone. */
export function renderTierBadge(tier: TrustTier): TemplateResult {
  const symbol = tier === 'verified' ? '✓' : tier === 'unverified' ? '!' : '●';
  return html`<span part="badge" class="badge" data-tier=${tier}><span aria-hidden="true">${symbol}</span>${msg(`market.tier.${tier}`)}</span>`;
}

/** The price of a listing in the current locale ("Free", "€4.99", "€2.00 subscription"), or '' when unknown. */
export function priceText(listing: Listing | undefined): string {
  const pricing = listing?.marketplace?.pricing;
  if (!pricing) return '';
  if (pricing.model === 'free' || pricing.amount === undefined || !pricing.currency) return msg('market.price.free');
  const price = formatMoney(pricing.amount, pricing.currency, getLocale());
  return pricing.model === 'subscription' ? msg('market.price.subscription', { price }) : price;
}

/**
 * `<vib3-market-card>`: one search hit — a preview from the registry (or a placeholder with the
 * title's initial), the localized title and summary, the publisher with its trust tier, the price,
 * and a Details button. Shows the search hit at once and the full listing once it is loaded.
 *
 * @tagname vib3-market-card
 * @csspart card - The article.
 * @csspart preview - The preview image.
 * @csspart placeholder - The placeholder shown without a preview.
 * @csspart title - The title.
 * @csspart summary - The summary.
 * @csspart meta - The publisher row.
 * @csspart publisher - The publisher name.
 * @csspart badge - The trust tier badge.
 * @csspart price - The price.
 * @csspart installed-flag - "Installed" note when the extension is installed.
 * @csspart details - The Details button.
 * @fires vib3-market-open - The Details button was activated. `detail: { id }`.
 */
export class Vib3MarketCard extends LitElement {
  static override styles = [
    baseStyles,
    marketStyles,
    css`
      :host {
        display: block;
      }
      article {
        display: flex;
        flex-direction: column;
        gap: var(--vib3-space-2);
        block-size: 100%;
        padding: var(--vib3-space-3);
        background: var(--vib3-color-surface);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-md);
        box-shadow: var(--vib3-elevation-1);
      }
      .preview {
        display: grid;
        place-items: center;
        inline-size: 100%;
        aspect-ratio: 16 / 9;
        border-radius: var(--vib3-radius-sm);
        overflow: hidden;
        object-fit: cover;
        background: var(--vib3-color-surface-raised);
      }
      .placeholder {
        background: var(--vib3-color-accent);
        color: var(--vib3-color-on-accent);
        font-size: calc(var(--vib3-font-size-lg) * 2);
        font-weight: var(--vib3-font-weight-bold);
      }
      h3 {
        margin: 0;
        font-size: var(--vib3-font-size-lg);
        overflow-wrap: anywhere;
      }
      p {
        margin: 0;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vib3-space-2);
      }
      .footer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vib3-space-2);
        margin-block-start: auto;
      }
      .price {
        font-weight: var(--vib3-font-weight-bold);
      }
      .footer button {
        margin-inline-start: auto;
      }
    `,
  ];
  static override properties = {
    item: { attribute: false },
    listing: { attribute: false },
    base: { type: String },
    installed: { type: String },
    _broken: { state: true },
  };
  /** The search hit. */
  declare item: ListingSummary | undefined;
  /** The full listing, once loaded (title, previews, price, locales). */
  declare listing: Listing | undefined;
  /** The registry base URL (previews are served from it). */
  declare base: string;
  /** The installed version, if installed. */
  declare installed: string | undefined;
  declare _broken: string | undefined;
  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.base = '';
  }

  /** Moves focus to the Details button. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLButtonElement>('[part~=details]')?.focus(options);
  }

  private get id_(): string {
    return this.item?.id ?? this.listing?.id ?? '';
  }

  private renderPreview(title: string) {
    const src = previewUrl(this.base, this.listing);
    if (src && this._broken !== src) {
      const alt = this.listing?.marketplace?.previews?.[0]?.alt ?? '';
      return html`<img part="preview" class="preview" src=${src} alt=${alt} loading="lazy" decoding="async" @error=${() => (this._broken = src)} />`;
    }
    const initial = [...title.trim()][0]?.toLocaleUpperCase(getLocale()) ?? '?';
    return html`<div part="placeholder" class="preview placeholder" aria-hidden="true">${initial}</div>`;
  }

  protected override render() {
    void this.locale;
    if (!this.item && !this.listing) return nothing;
    const { title, summary } = listingText(getLocale(), this.item, this.listing);
    const publisher = this.listing?.publisher.displayName || this.listing?.publisher.name || this.item?.publisher || '';
    const tier = this.listing?.tier ?? this.item?.tier ?? 'unverified';
    const price = priceText(this.listing);
    return html`<article part="card" aria-labelledby="title" data-id=${this.id_}>
      ${this.renderPreview(title)}
      <h3 id="title" part="title">${title}</h3>
      <p part="summary">${summary}</p>
      <div part="meta" class="meta">
        ${renderTierBadge(tier)}
        <span part="publisher" class="muted">${msg('market.card.by', { publisher })}</span>
      </div>
      <div class="footer">
        ${price ? html`<span part="price" class="price">${price}</span>` : nothing}
        ${this.installed ? html`<span part="installed-flag" class="muted">${msg('market.card.installed', { version: this.installed })}</span>` : nothing}
        <button part="details" type="button" aria-describedby="title" @click=${() => this.dispatchEvent(new CustomEvent('vib3-market-open', { bubbles: true, composed: true, detail: { id: this.id_ } }))}>
          ${msg('market.card.details')}
        </button>
      </div>
    </article>`;
  }
}
