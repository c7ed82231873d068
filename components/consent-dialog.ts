import { LitElement, css, html } from 'lit';
import { LocaleController, msg } from './i18n.js';
import { baseStyles, dialogStyles } from './shared-styles.js';

/** One capability shown for consent. */
export interface ConsentCapability {
  name: 'rendering' | 'geometry' | 'ui' | 'agent-tools' | 'telemetry' | 'network';
  /** The extension's own reason, from extension.json. */
  reason: string;
  origins?: readonly string[];
  slots?: readonly string[];
}

/** What to ask. */
export interface ConsentRequest {
  extensionName: string;
  publisher: string;
  capabilities: readonly ConsentCapability[];
}

/** The user's answer: the capabilities granted (all requested, or none). */
export interface ConsentResult {
  granted: boolean;
  capabilities: ConsentCapability['name'][];
}

/**
 * `<vib3-consent-dialog>`: a modal that lists what an extension asks for (with the publisher's
 * reasons and exact network origins) and returns the user's decision. Escape or closing denies.
 *
 * @tagname vib3-consent-dialog
 * @csspart dialog - The native dialog.
 * @csspart list - The capability list.
 * @csspart allow - The allow button.
 * @csspart deny - The deny button.
 * @event vib3-consent - The user decided. `detail: ConsentResult & { request }`.
 */
export class Vib3ConsentDialog extends LitElement {
  static override styles = [
    baseStyles,
    dialogStyles,
    css`
      dialog {
        max-inline-size: min(30rem, 92vw);
      }
      h2 {
        margin: 0 0 var(--vib3-space-1);
        font-size: var(--vib3-font-size-lg);
      }
      .publisher,
      .reason {
        color: var(--vib3-color-text-muted);
        font-size: var(--vib3-font-size-sm);
      }
      ul {
        padding-inline-start: var(--vib3-space-4);
        display: grid;
        gap: var(--vib3-space-2);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: var(--vib3-space-2);
      }
    `,
  ];
  static override properties = { request: { attribute: false } };
  /** The request being shown. */
  declare request: ConsentRequest | undefined;
  private readonly locale = new LocaleController(this);
  private resolver: ((r: ConsentResult) => void) | undefined;

  /** Shows the dialog and resolves with the user's decision. */
  async ask(request: ConsentRequest): Promise<ConsentResult> {
    this.resolver?.({ granted: false, capabilities: [] });
    this.request = request;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
    (this.renderRoot.querySelector('[part="deny"]') as HTMLElement | null)?.focus();
    return new Promise((resolve) => (this.resolver = resolve));
  }

  private finish(granted: boolean): void {
    const request = this.request;
    const result: ConsentResult = { granted, capabilities: granted && request ? request.capabilities.map((c) => c.name) : [] };
    this.renderRoot.querySelector('dialog')?.close();
    const resolve = this.resolver;
    this.resolver = undefined;
    resolve?.(result);
    this.dispatchEvent(new CustomEvent('vib3-consent', { bubbles: true, composed: true, detail: { ...result, request } }));
  }

  protected override render() {
    void this.locale;
    const r = this.request;
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="intro" @cancel=${(e: Event) => (e.preventDefault(), this.finish(false))}>
      ${r
        ? html`<h2 id="title">${msg('consent.title', { name: r.extensionName })}</h2>
            <p class="publisher">${msg('consent.publisher', { publisher: r.publisher })}</p>
            <p id="intro">${msg('consent.intro')}</p>
            <ul part="list">
              ${r.capabilities.map(
                (c) => html`<li>
                  <strong>${msg(`capability.${c.name}`, { slots: (c.slots ?? []).join(', ') })}</strong>
                  <div class="reason">${c.reason}</div>
                  ${c.origins?.length ? html`<div class="reason">${msg('consent.network', { origins: c.origins.join(', ') })}</div>` : ''}
                </li>`,
              )}
            </ul>
            <div class="actions">
              <button part="deny" type="button" @click=${() => this.finish(false)}>${msg('consent.deny')}</button>
              <button part="allow" class="primary" type="button" @click=${() => this.finish(true)}>${msg('consent.allow')}</button>
            </div>`
        : ''}
    </dialog>`;
  }
}
