import { LitElement, css, html, nothing } from 'lit';
import type { Channel, InstallProgressDetail, InstallResult, InstalledExtension, InstallerApi, Listing, ListingSummary } from '../../src/marketplace/types.js';
import { LocaleController, getLocale, msg } from '../i18n.js';
import { baseStyles } from '../shared-styles.js';
import { CARD_PARTS, type Vib3MarketCard } from './card.js';
import { DETAIL_PARTS, type MarketInstallRequest, type Vib3MarketDetail } from './detail.js';
import { deepActiveElement, errorInfo, listingText, progressPercent, toSearchQuery, type MarketDoneDetail, type MarketErrorDetail, type MarketErrorInfo, type MarketOperation, type MarketQuery, type OperationState } from './format.js';
import { INSTALLED_PARTS, type MarketAction } from './installed-list.js';
import { SEARCH_PARTS, type Vib3MarketSearch } from './search.js';
import { STATUS_PARTS, renderError, renderStatus } from './status.js';
import { marketStyles } from './styles.js';

const parts = (...lists: ReadonlyArray<readonly string[]>) => [...new Set(lists.flat())].join(', ');

/**
 * `<vib3-marketplace>`: a marketplace over an installer — search with category, trust-tier and
 * sort filters, listing cards with previews and trust badges, a detail dialog with channels and
 * versions, install with progress and coded errors, and the installed list with channel switch,
 * update, rollback and uninstall. Consent is asked by the installer itself (through the page's
 * `<vib3-consent-dialog>`). Keyboard operable, RTL-correct, localized (`market.*` messages).
 *
 * ```js
 * const market = document.querySelector('vib3-marketplace');
 * market.installer = new Installer({ registry, host, trustedRoot, storage });
 * ```
 *
 * @tagname vib3-marketplace
 * @csspart browse - The search and results section.
 * @csspart count - The result count (polite live region).
 * @csspart results - The result grid.
 * @csspart load-more - The "Load more" button.
 * @csspart search-error - A failed search (role=alert).
 * @csspart installed-section - The installed extensions section.
 * @csspart search - The search form; also search-input, search-button, filter, category, tier, sort.
 * @csspart card - A listing card; also preview, placeholder, title, summary, meta, publisher, badge, price, installed-flag, details.
 * @csspart dialog - The detail dialog; also detail-title, close, detail-preview, description, channel-select, install, channels, versions, yanked.
 * @csspart installed-list - The installed list; also installed-item, installed-name, installed-version, installed-channel, update, rollback, uninstall, installed-empty.
 * @csspart status - An operation's status area; also progress, progress-bar, progress-text, phase, error, error-code, error-message, suggestion.
 * @fires vib3-marketplace-error - A search, listing or installer operation failed. Bubbles, composed. `detail: MarketErrorDetail` ({ operation, id?, code, message, suggestion, error }).
 * @fires vib3-marketplace-done - An installer operation finished. Bubbles, composed. `detail: MarketDoneDetail` ({ operation, id, result? }).
 */
export class Vib3Marketplace extends LitElement {
  static override styles = [
    baseStyles,
    marketStyles,
    css`
      :host {
        display: block;
      }
      section + section {
        margin-block-start: var(--vib3-space-4);
      }
      h2 {
        margin-block: 0 var(--vib3-space-2);
        font-size: var(--vib3-font-size-lg);
      }
      .results {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: var(--vib3-space-3);
      }
      .count {
        margin-block: var(--vib3-space-2);
      }
      .more {
        display: flex;
        justify-content: center;
        margin-block-start: var(--vib3-space-3);
      }
    `,
  ];
  static override properties = {
    installer: { attribute: false },
    pageSize: { type: Number, attribute: 'page-size' },
    debounce: { type: Number },
    _items: { state: true },
    _next: { state: true },
    _loading: { state: true },
    _searchError: { state: true },
    _installed: { state: true },
    _op: { state: true },
    _detailId: { state: true },
    _detailError: { state: true },
  };
  /** The installer to search and install through (`Installer` of `vib3-embed/marketplace`, or any `InstallerApi`). */
  declare installer: InstallerApi | null;
  /** Search hits per page (default 20). */
  declare pageSize: number;
  /** Milliseconds of typing pause before a search runs (default 250). */
  declare debounce: number;
  declare _items: ListingSummary[];
  declare _next: string | null;
  declare _loading: boolean;
  declare _searchError: MarketErrorInfo | undefined;
  declare _installed: InstalledExtension[];
  declare _op: OperationState | null;
  declare _detailId: string | undefined;
  declare _detailError: MarketErrorInfo | undefined;

  private readonly locale = new LocaleController(this);
  private bound: InstallerApi | null = null;
  private query: MarketQuery = { q: '', category: '', tier: '', sort: 'relevance' };
  private searchAbort: AbortController | undefined;
  private readonly listings = new Map<string, Listing>();
  private readonly loadingListings = new Map<string, Promise<Listing | undefined>>();
  private opener: HTMLElement | null = null;

  constructor() {
    super();
    this.installer = null;
    this.pageSize = 20;
    this.debounce = 250;
    this._items = [];
    this._next = null;
    this._loading = false;
    this._installed = [];
    this._op = null;
  }

  /** The operation running or last finished (what the status area shows), if any. */
  get operation(): OperationState | null {
    return this._op;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.bind(null);
  }

  protected override willUpdate(): void {
    const next = this.isConnected ? this.installer : null;
    if (next !== this.bound) this.bind(next);
  }

  private bind(next: InstallerApi | null): void {
    const prev = this.bound;
    prev?.removeEventListener('vib3-install-progress', this.onProgress);
    prev?.removeEventListener('vib3-installed-change', this.onInstalledChange);
    this.searchAbort?.abort();
    this.bound = next;
    this.listings.clear();
    this.loadingListings.clear();
    this._items = [];
    this._next = null;
    this._installed = [];
    this._op = null;
    this._searchError = undefined;
    if (!next) return;
    next.addEventListener('vib3-install-progress', this.onProgress);
    next.addEventListener('vib3-installed-change', this.onInstalledChange);
    void this.search();
    void this.refreshInstalled();
  }

  /** Runs a search (the current query, or `query`), replacing the results. */
  async search(query?: Partial<MarketQuery>): Promise<void> {
    if (query) this.query = { ...this.query, ...query };
    await this.fetchPage(false);
  }

  /** Appends the next page of results; focus moves to the first new card. */
  async loadMore(): Promise<void> {
    if (!this._next) return;
    const first = this._items.length;
    await this.fetchPage(true);
    await this.updateComplete;
    const card = this.renderRoot.querySelectorAll<Vib3MarketCard>('vib3-market-card')[first];
    if (card) {
      await card.updateComplete;
      card.focus();
    }
  }

  private async fetchPage(append: boolean): Promise<void> {
    const installer = this.bound;
    if (!installer) return;
    this.searchAbort?.abort();
    const abort = new AbortController();
    this.searchAbort = abort;
    this._loading = true;
    this._searchError = undefined;
    try {
      const page = await installer.api.search(toSearchQuery(this.query, this.pageSize, append ? this._next : undefined), abort.signal);
      if (abort.signal.aborted) return;
      this._items = append ? [...this._items, ...page.items] : page.items;
      this._next = page.nextCursor;
      for (const item of page.items) this.loadListing(item.id).catch(() => undefined); // a card without its listing shows the search hit
    } catch (err) {
      if (abort.signal.aborted) return;
      this._searchError = errorInfo(err);
      this.fail('search', err);
    } finally {
      if (this.searchAbort === abort) this._loading = false;
    }
  }

  private loadListing(id: string): Promise<Listing | undefined> {
    const installer = this.bound;
    if (!installer) return Promise.resolve(undefined);
    const known = this.listings.get(id);
    if (known) return Promise.resolve(known);
    let pending = this.loadingListings.get(id);
    if (!pending) {
      pending = installer.api.listing(id).then(
        (listing) => {
          if (this.bound !== installer) return undefined;
          this.listings.set(id, listing);
          this.requestUpdate();
          return listing;
        },
        (err: unknown) => {
          if (this.bound === installer) this.loadingListings.delete(id);
          throw err;
        },
      );
      this.loadingListings.set(id, pending);
    }
    return pending;
  }

  /** Re-reads the installed list from the installer. */
  async refreshInstalled(): Promise<void> {
    const installer = this.bound;
    if (!installer) return;
    try {
      const list = await installer.list();
      if (this.bound === installer) this._installed = list;
    } catch (err) {
      this.fail('list', err);
    }
  }

  /** Opens the detail dialog of extension `id`; focus returns to what had it when the dialog closes. */
  async openDetail(id: string): Promise<void> {
    this.opener = deepActiveElement();
    this._detailId = id;
    this._detailError = undefined;
    const detail = await this.detailElement();
    await detail?.show();
    try {
      await this.loadListing(id);
    } catch (err) {
      if (this._detailId === id) this._detailError = errorInfo(err);
      this.fail('listing', err, id);
    }
  }

  /** Closes the detail dialog. */
  closeDetail(): void {
    this.renderRoot.querySelector<Vib3MarketDetail>('vib3-market-detail')?.close();
  }

  private async detailElement(): Promise<Vib3MarketDetail | null> {
    await this.updateComplete;
    return this.renderRoot.querySelector<Vib3MarketDetail>('vib3-market-detail');
  }

  private onDetailClosed(): void {
    this._detailId = undefined;
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
    else this.renderRoot.querySelector<Vib3MarketSearch>('vib3-market-search')?.focus();
  }

  /** Installs `id` from `channel` (what the detail's Install button does). */
  install(id: string, channel?: Channel): Promise<InstallResult | undefined> {
    return this.run('install', id, channel, (i) => i.install(id, channel ? { channel } : {}));
  }

  private onAction(a: MarketAction): void {
    if (a.action === 'channel') void this.run('channel', a.id, a.channel, (i) => i.setChannel(a.id, a.channel));
    else if (a.action === 'update') void this.run('update', a.id, undefined, async (i) => (await i.update(a.id))[0]);
    else if (a.action === 'rollback') void this.run('rollback', a.id, undefined, (i) => i.rollback(a.id));
    else void this.run('uninstall', a.id, undefined, async (i) => void (await i.uninstall(a.id)));
  }

  /** Runs one installer operation at a time; its progress and outcome show in the status area. */
  private async run<T extends InstallResult | undefined>(operation: MarketOperation, id: string, channel: Channel | undefined, fn: (installer: InstallerApi) => Promise<T>): Promise<T | undefined> {
    const installer = this.bound;
    if (!installer || this._op?.state === 'working') return undefined;
    this._op = { operation, id, name: this.nameOf(id), percent: 0, state: 'working', ...(channel ? { channel } : {}) };
    try {
      const result = await fn(installer);
      if (this.bound !== installer || !this._op) return result;
      this._op = { ...this._op, state: 'done', percent: 100, phase: 'done', ...(result ? { result, version: result.version } : {}) };
      this.dispatchEvent(new CustomEvent<MarketDoneDetail>('vib3-marketplace-done', { bubbles: true, composed: true, detail: { operation, id, ...(result ? { result } : {}) } }));
      void this.refreshInstalled();
      return result;
    } catch (err) {
      if (this.bound === installer && this._op) this._op = { ...this._op, state: 'error', error: errorInfo(err) };
      this.fail(operation, err, id);
      void this.refreshInstalled();
      return undefined;
    }
  }

  private fail(operation: MarketErrorDetail['operation'], err: unknown, id?: string): void {
    const detail: MarketErrorDetail = { operation, ...(id ? { id } : {}), ...errorInfo(err), error: err };
    this.dispatchEvent(new CustomEvent<MarketErrorDetail>('vib3-marketplace-error', { bubbles: true, composed: true, detail }));
  }

  private readonly onProgress = (e: Event): void => {
    const d = (e as CustomEvent<InstallProgressDetail>).detail;
    const op = this._op;
    if (!d || !op || op.state !== 'working' || d.id !== op.id) return;
    this._op = { ...op, phase: d.phase, version: d.version ?? op.version, loaded: d.loaded, total: d.total, percent: progressPercent(d) };
  };

  private readonly onInstalledChange = (e: Event): void => {
    const list = (e as CustomEvent<InstalledExtension[]>).detail;
    if (Array.isArray(list)) this._installed = list;
    else void this.refreshInstalled();
  };

  private nameOf(id: string): string {
    const listing = this.listings.get(id);
    const item = this._items.find((x) => x.id === id);
    return listing || item ? listingText(getLocale(), item, listing).title || id : id;
  }

  private countText(): string {
    if (this._loading && !this._items.length) return msg('market.count.searching');
    const n = this._items.length;
    if (!n) return this._searchError ? '' : msg('market.count.none');
    const count = new Intl.NumberFormat(getLocale()).format(n);
    if (this._next) return msg('market.count.more', { count });
    return msg(`market.count.${new Intl.PluralRules(getLocale()).select(n) === 'one' ? 'one' : 'other'}`, { count });
  }

  protected override render() {
    void this.locale;
    const installer = this.bound;
    const base = installer?.api.base ?? '';
    const versions = new Map(this._installed.map((x) => [x.id, x]));
    const names = Object.fromEntries(this._installed.map((x) => [x.id, this.nameOf(x.id)]));
    const busy = this._op?.state === 'working';
    const detailId = this._detailId;
    return html`<section part="browse" aria-labelledby="market-title">
        <h2 id="market-title">${msg('market.title')}</h2>
        <vib3-market-search
          exportparts=${parts(SEARCH_PARTS)}
          .debounce=${this.debounce}
          @vib3-market-query=${(e: CustomEvent<MarketQuery>) => void this.search(e.detail)}
        ></vib3-market-search>
        <p part="count" class="count muted" role="status" aria-live="polite" aria-atomic="true">${this.countText()}</p>
        ${this._searchError ? html`<div part="search-error">${renderError(this._searchError)}</div>` : nothing}
        <ul part="results" class="results" aria-label=${msg('market.results')} aria-busy=${this._loading ? 'true' : 'false'}>
          ${this._items.map(
            (item) => html`<li>
              <vib3-market-card
                exportparts=${parts(CARD_PARTS)}
                .item=${item}
                .listing=${this.listings.get(item.id)}
                .base=${base}
                .installed=${versions.get(item.id)?.version}
                @vib3-market-open=${(e: CustomEvent<{ id: string }>) => void this.openDetail(e.detail.id)}
              ></vib3-market-card>
            </li>`,
          )}
        </ul>
        ${this._next ? html`<div class="more"><button part="load-more" type="button" aria-disabled=${this._loading ? 'true' : 'false'} @click=${() => !this._loading && void this.loadMore()}>${msg('market.loadMore')}</button></div>` : nothing}
      </section>
      <section part="installed-section" aria-labelledby="installed-title">
        <h2 id="installed-title">${msg('market.installed.title')}</h2>
        ${detailId === undefined ? renderStatus(this._op) : nothing}
        <vib3-market-installed exportparts=${parts(INSTALLED_PARTS)} .items=${this._installed} .names=${names} ?busy=${busy} @vib3-market-action=${(e: CustomEvent<MarketAction>) => this.onAction(e.detail)}></vib3-market-installed>
      </section>
      <vib3-market-detail
        exportparts=${parts(DETAIL_PARTS, STATUS_PARTS)}
        .listing=${detailId ? this.listings.get(detailId) : undefined}
        .installed=${detailId ? versions.get(detailId) : undefined}
        .op=${this._op}
        .error=${this._detailError}
        .base=${base}
        ?busy=${busy}
        @vib3-market-install=${(e: CustomEvent<MarketInstallRequest>) => void this.install(e.detail.id, e.detail.channel)}
        @vib3-market-close=${() => this.onDetailClosed()}
        .license=${detailId ? this.installer?.licenses?.get(detailId) : undefined}
        @vib3-market-license=${(e: CustomEvent<{ id: string; token: string }>) => {
          this.installer?.licenses?.set(e.detail.id, e.detail.token);
          this.requestUpdate();
        }}
      ></vib3-market-detail>`;
  }
}
