import { LitElement, css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import { CHANNELS, type Channel, type InstalledExtension } from '../../src/marketplace/types.js';
import { LocaleController, msg } from '../i18n.js';
import { baseStyles } from '../shared-styles.js';
import { hasOlderCached } from './format.js';
import { marketStyles } from './styles.js';

/** Parts of `<vib3-market-installed>`. */
export const INSTALLED_PARTS = ['installed-list', 'installed-item', 'installed-name', 'installed-version', 'installed-channel', 'update', 'rollback', 'uninstall', 'installed-empty'] as const;

/** Detail of `vib3-market-action`. */
export type MarketAction = { action: 'update' | 'rollback' | 'uninstall'; id: string } | { action: 'channel'; id: string; channel: Channel };

/**
 * `<vib3-market-installed>`: the installed extensions — each with its active version, a channel
 * select, and Update, Roll back (when the cache holds an older version) and Uninstall buttons.
 * It only reports what the user asked for; `<vib3-marketplace>` calls the installer.
 *
 * @tagname vib3-market-installed
 * @csspart installed-list - The list.
 * @csspart installed-item - One extension's row.
 * @csspart installed-name - Its name.
 * @csspart installed-version - Its active version.
 * @csspart installed-channel - Its channel select.
 * @csspart update - The Update button.
 * @csspart rollback - The Roll back button.
 * @csspart uninstall - The Uninstall button.
 * @csspart installed-empty - The text shown when nothing is installed.
 * @fires vib3-market-action - The user asked for an operation. `detail: MarketAction` ({ action: 'update' | 'rollback' | 'uninstall' | 'channel', id, channel? }).
 */
export class Vib3MarketInstalled extends LitElement {
  static override styles = [
    baseStyles,
    marketStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--vib3-space-2);
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vib3-space-2);
        padding-block: var(--vib3-space-2);
        padding-inline: var(--vib3-space-3);
        background: var(--vib3-color-surface);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-md);
      }
      .name {
        font-weight: var(--vib3-font-weight-bold);
        overflow-wrap: anywhere;
      }
      .version {
        margin-inline-end: auto;
      }
      label {
        color: var(--vib3-color-text-muted);
        font-size: var(--vib3-font-size-sm);
      }
      p {
        margin: 0;
      }
    `,
  ];
  static override properties = {
    items: { attribute: false },
    names: { attribute: false },
    busy: { type: Boolean },
  };
  /** The installed extensions (`installer.list()`). */
  declare items: InstalledExtension[];
  /** Display names by extension id (ids are shown without one). */
  declare names: Record<string, string>;
  /** An operation runs: actions are unavailable. */
  declare busy: boolean;
  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.items = [];
    this.names = {};
    this.busy = false;
  }

  private act(detail: MarketAction): void {
    if (this.busy) return;
    this.dispatchEvent(new CustomEvent<MarketAction>('vib3-market-action', { bubbles: true, composed: true, detail }));
  }

  protected override render() {
    void this.locale;
    if (!this.items.length) return html`<p part="installed-empty" class="muted">${msg('market.installed.empty')}</p>`;
    const busy = this.busy ? 'true' : 'false';
    return html`<ul part="installed-list">
      ${this.items.map((x, i) => {
        const canRollBack = hasOlderCached(x.version, x.cached);
        const nameId = `name-${i}`;
        return html`<li part="installed-item" data-id=${x.id}>
          <span id=${nameId} part="installed-name" class="name">${this.names[x.id] ?? x.id}</span>
          <span part="installed-version" class="version muted">${msg('market.installed.version', { version: x.version })}${x.pinned ? ` · ${msg('market.installed.pinned')}` : ''}</span>
          <label for=${`channel-${i}`}>${msg('market.installed.channel')}</label>
          <select
            id=${`channel-${i}`}
            part="installed-channel"
            aria-describedby=${nameId}
            .value=${live(x.channel)}
            @change=${(e: Event) => this.act({ action: 'channel', id: x.id, channel: (e.target as HTMLSelectElement).value as Channel })}
          >
            ${CHANNELS.map((c) => html`<option value=${c} ?selected=${c === x.channel}>${msg(`market.channel.${c}`)}</option>`)}
          </select>
          <button part="update" type="button" aria-describedby=${nameId} aria-disabled=${busy} @click=${() => this.act({ action: 'update', id: x.id })}>${msg('market.installed.update')}</button>
          <button part="rollback" type="button" aria-describedby=${nameId} aria-disabled=${busy} ?disabled=${!canRollBack} @click=${() => this.act({ action: 'rollback', id: x.id })}>
            ${msg('market.installed.rollback')}
          </button>
          <button part="uninstall" type="button" aria-describedby=${nameId} aria-disabled=${busy} @click=${() => this.act({ action: 'uninstall', id: x.id })}>${msg('market.installed.uninstall')}</button>
        </li>`;
      })}
    </ul>`;
  }
}
