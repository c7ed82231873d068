import { LitElement, css, html } from 'lit';
import { LocaleController, msg } from '../i18n.js';
import { baseStyles } from '../shared-styles.js';
import { MARKET_CATEGORIES, MARKET_SORTS, MARKET_TIERS, type MarketQuery } from './format.js';

/** Parts of `<vib3-market-search>`. */
export const SEARCH_PARTS = ['search', 'search-input', 'search-button', 'filter', 'category', 'tier', 'sort'] as const;

/**
 * `<vib3-market-search>`: the marketplace's search form — a search box (debounced while typing,
 * immediate on Enter) and category, trust-tier and sort filters (immediate). It only reports the
 * query; `<vib3-marketplace>` runs the search.
 *
 * @tagname vib3-market-search
 * @csspart search - The form (role=search).
 * @csspart search-input - The search box.
 * @csspart search-button - The submit button.
 * @csspart filter - Each filter select (also `category`, `tier`, `sort`).
 * @csspart category - The category select.
 * @csspart tier - The trust tier select.
 * @csspart sort - The sort select.
 * @fires vib3-market-query - The query changed. `detail: MarketQuery` ({ q, category, tier, sort }).
 */
export class Vib3MarketSearch extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--vib3-space-2);
      }
      .field {
        display: grid;
        gap: var(--vib3-space-1);
      }
      .field.grow {
        flex: 1 1 14rem;
      }
      label {
        color: var(--vib3-color-text-muted);
        font-size: var(--vib3-font-size-sm);
      }
      input[type='search'] {
        inline-size: 100%;
        min-height: 28px;
        padding-block: var(--vib3-space-1);
        padding-inline: var(--vib3-space-2);
        background: var(--vib3-color-surface-raised);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-sm);
      }
    `,
  ];
  static override properties = {
    q: { type: String },
    category: { type: String },
    tier: { type: String },
    sort: { type: String },
    debounce: { type: Number },
  };
  /** The search words. */
  declare q: string;
  /** The category filter ('' for any). */
  declare category: string;
  /** The trust tier filter ('' for any). */
  declare tier: MarketQuery['tier'];
  /** The sort order. */
  declare sort: MarketQuery['sort'];
  /** Milliseconds of typing pause before a search runs (default 250). */
  declare debounce: number;
  private readonly locale = new LocaleController(this);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.q = '';
    this.category = '';
    this.tier = '';
    this.sort = 'relevance';
    this.debounce = 250;
  }

  /** The current query. */
  get query(): MarketQuery {
    return { q: this.q, category: this.category, tier: this.tier, sort: this.sort };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  /** Moves focus to the search box. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus(options);
  }

  private emit(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dispatchEvent(new CustomEvent<MarketQuery>('vib3-market-query', { bubbles: true, composed: true, detail: this.query }));
  }

  private onInput(e: Event): void {
    this.q = (e.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emit(), Math.max(0, this.debounce));
  }

  private onSelect(e: Event, key: 'category' | 'tier' | 'sort'): void {
    const value = (e.target as HTMLSelectElement).value;
    if (key === 'tier') this.tier = value as MarketQuery['tier'];
    else if (key === 'sort') this.sort = value as MarketQuery['sort'];
    else this.category = value;
    this.emit();
  }

  protected override render() {
    void this.locale;
    return html`<form part="search" role="search" aria-label=${msg('market.search.label')} @submit=${(e: Event) => (e.preventDefault(), this.emit())}>
      <div class="field grow">
        <label for="q">${msg('market.search.query')}</label>
        <input id="q" part="search-input" type="search" autocomplete="off" .value=${this.q} @input=${this.onInput} />
      </div>
      <div class="field">
        <label for="category">${msg('market.search.category')}</label>
        <select id="category" part="filter category" @change=${(e: Event) => this.onSelect(e, 'category')}>
          <option value="" ?selected=${!this.category}>${msg('market.search.anyCategory')}</option>
          ${MARKET_CATEGORIES.map((c) => html`<option value=${c} ?selected=${this.category === c}>${msg(`market.category.${c}`)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="tier">${msg('market.search.tier')}</label>
        <select id="tier" part="filter tier" @change=${(e: Event) => this.onSelect(e, 'tier')}>
          <option value="" ?selected=${!this.tier}>${msg('market.search.anyTier')}</option>
          ${MARKET_TIERS.map((t) => html`<option value=${t} ?selected=${this.tier === t}>${msg(`market.tier.${t}`)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="sort">${msg('market.search.sort')}</label>
        <select id="sort" part="filter sort" @change=${(e: Event) => this.onSelect(e, 'sort')}>
          ${MARKET_SORTS.map((s) => html`<option value=${s} ?selected=${this.sort === s}>${msg(`market.sort.${s}`)}</option>`)}
        </select>
      </div>
      <button part="search-button" type="submit">${msg('market.search.submit')}</button>
    </form>`;
  }
}
