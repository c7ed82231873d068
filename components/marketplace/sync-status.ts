import { LitElement, css, html, nothing } from 'lit';
import { LocaleController, msg } from '../i18n.js';
import { baseStyles } from '../shared-styles.js';
import { renderError } from './status.js';
import { marketStyles } from './styles.js';
import type { MarketErrorInfo } from './format.js';
import { SYNC_STATES, errorOf, type SyncErrorDetail, type SyncErrorInfo, type SyncOverview, type SyncRetryDetail } from './sync-format.js';

export { SYNC_STATUS_PARTS, type SyncDeadLetter, type SyncErrorDetail, type SyncErrorInfo, type SyncLane, type SyncOverview, type SyncRetryDetail } from './sync-format.js';

/**
 * `<vib3-sync-status>`: the marketplace admin view of partner sync — each partner with its rate and
 * outbox rows by state, each listing's status per partner (pushed version, attempts, last error),
 * and the dead letters with the partner's error and a Retry button that sends one back to the queue.
 * Reads `GET /v1/sync` and posts `POST /v1/sync/{rowId}/retry` with an admin token.
 *
 * ```js
 * const view = document.querySelector('vib3-sync-status');
 * view.registry = 'https://registry.example.com';
 * view.token = adminToken; // a property only: never an attribute
 * ```
 *
 * @tagname vib3-sync-status
 * @csspart sync-partners - The partners list.
 * @csspart sync-partner - One partner with its counts.
 * @csspart sync-lanes - The table of listings and partners.
 * @csspart sync-lane - One row of it.
 * @csspart sync-state - A status badge.
 * @csspart dead-letters - The dead letters list.
 * @csspart dead-letter - One dead letter.
 * @csspart dead-error - The partner's error of a dead letter.
 * @csspart retry - A Retry button.
 * @csspart refresh - The Refresh button.
 * @csspart sync-empty - Text shown when there is nothing to list.
 * @csspart error - A failed load or retry (role=alert); also error-code, error-message, suggestion.
 * @fires vib3-sync-retry - A dead letter was sent back to the queue. Bubbles, composed. `detail: SyncRetryDetail` ({ rowId, extensionId, partner }).
 * @fires vib3-sync-error - Loading or a retry failed. Bubbles, composed. `detail: SyncErrorDetail` ({ operation, rowId?, code, message, suggestion }).
 */
export class Vib3SyncStatus extends LitElement {
  static override styles = [
    baseStyles,
    marketStyles,
    css`
      :host {
        display: block;
      }
      h2,
      h3 {
        margin-block: 0 var(--vib3-space-2);
      }
      h2 {
        font-size: var(--vib3-font-size-lg);
      }
      h3 {
        font-size: var(--vib3-font-size-md);
      }
      section + section {
        margin-block-start: var(--vib3-space-4);
      }
      .bar {
        display: flex;
        align-items: center;
        gap: var(--vib3-space-2);
        margin-block-end: var(--vib3-space-3);
      }
      .bar h2 {
        margin: 0;
        margin-inline-end: auto;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--vib3-space-2);
      }
      li {
        padding-block: var(--vib3-space-2);
        padding-inline: var(--vib3-space-3);
        background: var(--vib3-color-surface);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-md);
      }
      li p {
        margin: 0;
      }
      .partners li {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vib3-space-2);
        align-items: center;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-size: var(--vib3-font-size-sm);
      }
      th,
      td {
        text-align: start;
        padding-block: var(--vib3-space-1);
        padding-inline: var(--vib3-space-2);
        border-block-end: 1px solid var(--vib3-color-border);
        overflow-wrap: anywhere;
      }
      th {
        font-weight: var(--vib3-font-weight-bold);
      }
      .badge[data-status='dead'],
      .badge[data-status='retrying'] {
        border-color: var(--vib3-color-danger);
        border-width: 2px;
      }
      .badge[data-status='synced'] {
        border-color: var(--vib3-color-accent);
      }
      .dead {
        display: grid;
        gap: var(--vib3-space-1);
      }
      .dead .head {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vib3-space-2);
        align-items: center;
      }
      .dead .head strong {
        margin-inline-end: auto;
      }
      pre {
        margin: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-family: ui-monospace, monospace;
        font-size: var(--vib3-font-size-sm);
      }
    `,
  ];
  static override properties = {
    registry: { type: String },
    token: { attribute: false },
    _overview: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };
  /** The registry's base URL, e.g. `https://registry.example.com`. */
  declare registry: string;
  /** An admin token of that registry (a property only, never reflected to an attribute). */
  declare token: string;
  declare _overview: SyncOverview | undefined;
  declare _error: MarketErrorInfo | undefined;
  declare _busy: boolean;
  private readonly locale = new LocaleController(this);
  #loaded = '';

  constructor() {
    super();
    this.registry = '';
    this.token = '';
    this._busy = false;
  }

  /** The overview last loaded (undefined before the first load). */
  get overview(): SyncOverview | undefined {
    return this._overview;
  }

  protected override updated(): void {
    const key = `${this.registry} ${this.token}`;
    if (this.registry && this.token && key !== this.#loaded) {
      this.#loaded = key;
      void this.load();
    }
  }

  #emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { bubbles: true, composed: true, detail }));
  }

  #url(path: string): string {
    return `${this.registry.replace(/\/+$/, '')}${path}`;
  }

  /** Loads `GET /v1/sync`; resolves once the view shows it (or the error). */
  async load(): Promise<void> {
    this._busy = true;
    try {
      const res = await fetch(this.#url('/v1/sync'), { headers: { authorization: `Bearer ${this.token}` } });
      if (!res.ok) throw await errorOf(res);
      this._overview = (await res.json()) as SyncOverview;
      this._error = undefined;
    } catch (err) {
      this.#fail('load', err);
    } finally {
      this._busy = false;
    }
    await this.updateComplete;
  }

  /** Sends dead letter `rowId` back to the queue, then reloads. */
  async retry(rowId: number): Promise<void> {
    const letter = this._overview?.dead.find((d) => d.rowId === rowId);
    this._busy = true;
    try {
      const res = await fetch(this.#url(`/v1/sync/${rowId}/retry`), { method: 'POST', headers: { authorization: `Bearer ${this.token}` } });
      if (!res.ok) throw await errorOf(res);
      this.#emit<SyncRetryDetail>('vib3-sync-retry', { rowId, extensionId: letter?.extensionId ?? '', partner: letter?.partner ?? '' });
    } catch (err) {
      this._busy = false;
      this.#fail('retry', err, rowId);
      return;
    }
    await this.load();
  }

  #fail(operation: 'load' | 'retry', err: unknown, rowId?: number): void {
    const e = err as Partial<MarketErrorInfo> & { message?: string };
    const info: MarketErrorInfo = typeof e?.code === 'string' ? { code: e.code, message: e.message ?? e.code, suggestion: e.suggestion ?? '' } : { code: 'REGISTRY_UNREACHABLE', message: e?.message ?? String(err), suggestion: '' };
    this._error = info;
    this.#emit<SyncErrorDetail>('vib3-sync-error', { operation, ...(rowId !== undefined ? { rowId } : {}), ...info });
  }

  #status(status: string) {
    return html`<span part="sync-state" class="badge" data-status=${status}>${msg(`sync.status.${status}`)}</span>`;
  }

  #errorText(e: SyncErrorInfo | null, partner: string): string {
    if (!e) return msg('sync.none');
    return e.status ? `${e.code} · ${msg('sync.partnerError', { partner, status: e.status })}` : `${e.code} · ${e.message}`;
  }

  protected override render() {
    void this.locale;
    const o = this._overview;
    const busy = this._busy ? 'true' : 'false';
    return html`<div class="bar">
        <h2>${msg('sync.title')}</h2>
        <button part="refresh" type="button" aria-disabled=${busy} @click=${() => !this._busy && void this.load()}>${msg('sync.refresh')}</button>
      </div>
      ${this._error ? renderError(this._error) : nothing}
      ${!o ? html`<p part="sync-empty" class="muted" role="status">${msg('sync.loading')}</p>` : this.#renderOverview(o, busy)}`;
  }

  #renderOverview(o: SyncOverview, busy: string) {
    return html`<section aria-labelledby="partners-h">
        <h3 id="partners-h">${msg('sync.partners')}</h3>
        <ul part="sync-partners" class="partners">
          ${o.partners.map(
            (p) => html`<li part="sync-partner" data-partner=${p.partner}>
              <strong>${p.partner}</strong>
              <span class="muted">${p.enabled ? msg('sync.rate', { rate: p.ratePerMinute }) : msg('sync.disabled')}</span>
              ${SYNC_STATES.map((s) => html`<span class="badge" data-state=${s}>${msg(`sync.state.${s}`)}: ${p.counts[s] ?? 0}</span>`)}
            </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="lanes-h">
        <h3 id="lanes-h">${msg('sync.lanes')}</h3>
        ${o.lanes.length
          ? html`<table part="sync-lanes">
              <thead>
                <tr>
                  <th scope="col">${msg('sync.extension')}</th>
                  <th scope="col">${msg('sync.partner')}</th>
                  <th scope="col">${msg('sync.status')}</th>
                  <th scope="col">${msg('sync.pushed')}</th>
                  <th scope="col">${msg('sync.attempts')}</th>
                  <th scope="col">${msg('sync.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                ${o.lanes.map(
                  (l) => html`<tr part="sync-lane" data-extension=${l.extensionId} data-partner=${l.partner} data-status=${l.status}>
                    <th scope="row">${l.extensionId}</th>
                    <td>${l.partner}</td>
                    <td>${this.#status(l.status)}</td>
                    <td>${l.pushedVersion ?? msg('sync.none')}</td>
                    <td>${l.attempts}</td>
                    <td>${this.#errorText(l.lastError, l.partner)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p part="sync-empty" class="muted">${msg('sync.empty')}</p>`}
      </section>
      <section aria-labelledby="dead-h">
        <h3 id="dead-h">${msg('sync.dead')}</h3>
        ${o.dead.length
          ? html`<ul part="dead-letters">
              ${o.dead.map((d) => {
                const label = `dead-${d.rowId}`;
                return html`<li part="dead-letter" class="dead" data-row=${d.rowId} data-extension=${d.extensionId}>
                  <div class="head">
                    <strong id=${label}>${d.extensionId} → ${d.partner}</strong>
                    <span class="muted">${msg('sync.event', { event: d.event, version: d.version, attempts: d.attempts })}</span>
                    <button part="retry" type="button" aria-describedby=${label} aria-disabled=${busy} @click=${() => !this._busy && void this.retry(d.rowId)}>${msg('sync.retry')}</button>
                  </div>
                  <div part="dead-error">
                    <p><code>${d.lastError?.code ?? msg('sync.none')}</code> ${d.lastError?.status ? msg('sync.partnerError', { partner: d.partner, status: d.lastError.status }) : ''}</p>
                    <p>${d.lastError?.message ?? ''}</p>
                    ${d.lastError?.detail ? html`<pre>${d.lastError.detail}</pre>` : nothing}
                  </div>
                </li>`;
              })}
            </ul>`
          : html`<p part="sync-empty" class="muted">${msg('sync.deadEmpty')}</p>`}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vib3-sync-status': Vib3SyncStatus;
  }
}
