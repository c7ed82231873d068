import { LitElement, css, html, nothing } from 'lit';
import { LocaleController, msg } from '../i18n.js';
import { baseStyles, dialogStyles } from '../shared-styles.js';
import type { ApprovalRequest } from '../../src/agent/registry/types.js';

export type { ApprovalRequest };

/** `detail` of the `vib3-approval` event. */
export interface ToolApprovalDetail {
  /** The tool's registry name, e.g. `reset` or `dev.vib3.duoprism.set_sides`. */
  name: string;
  approved: boolean;
}

interface Pending {
  request: ApprovalRequest;
  resolve: (approved: boolean) => void;
}

/** The input as indented JSON (a display copy: never parsed as markup). */
function formatInput(input: unknown): string {
  try {
    return JSON.stringify(input, null, 2) ?? String(input);
  } catch {
    return String(input);
  }
}

/**
 * `<vib3-tool-approval>`: the page's approval dialog for agent tool calls. A modal `<dialog>`
 * shows the tool (title and registry name), where it comes from (the kit or an extension id),
 * who asks, why it asks (`always` or `destructive`) and the input as formatted JSON text, with
 * Deny (focused) and Allow. Escape, closing the dialog or removing the element denies. One
 * request is shown at a time; the others wait in order. Like a browser's permission prompt, Allow
 * and Deny take no input for {@link Vib3ToolApproval.inputDelay} ms (400) after each request is
 * shown, so a double-click meant for one request never decides the next one, unseen; Escape
 * denies at once. It is a {@link ToolRegistry} approval handler as it is:
 *
 * ```js
 * const dialog = document.querySelector('vib3-tool-approval');
 * const registry = new ToolRegistry({ approve: (request) => dialog.request(request) });
 * ```
 *
 * @tagname vib3-tool-approval
 * @csspart dialog - The native dialog.
 * @csspart title - The heading ("Allow Reset?").
 * @csspart tool - The tool's registry name.
 * @csspart source - Where the tool comes from (the kit or an extension id).
 * @csspart caller - Who asks (`page`, `agent`, `webmcp`, `bridge`, …).
 * @csspart reason - Why the call needs approval.
 * @csspart description - The tool's description.
 * @csspart input - The input, as formatted JSON text.
 * @csspart queued - How many more requests wait (shown only when some do).
 * @csspart allow - The Allow button (disabled for `inputDelay` ms after each request is shown).
 * @csspart deny - The Deny button (disabled for `inputDelay` ms after each request is shown, then focused).
 * @fires vib3-approval - A request was decided. Bubbles, composed. `detail: ToolApprovalDetail` ({ name, approved }).
 */
export class Vib3ToolApproval extends LitElement {
  static override styles = [
    baseStyles,
    dialogStyles,
    css`
      dialog {
        inline-size: min(34rem, 92vw);
      }
      /* The dialog holds the focus only while the buttons wait (its title and reason are announced). */
      dialog:focus {
        outline: none;
      }
      button:disabled {
        cursor: default;
        opacity: 0.6;
      }
      h2 {
        margin: 0 0 var(--vib3-space-2);
        font-size: var(--vib3-font-size-lg);
      }
      p {
        margin: 0 0 var(--vib3-space-2);
      }
      .meta,
      .description,
      .queued {
        color: var(--vib3-color-text-muted);
        font-size: var(--vib3-font-size-sm);
      }
      .reason {
        border-inline-start: 3px solid var(--vib3-color-danger);
        padding-inline-start: var(--vib3-space-2);
      }
      code,
      pre {
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        font-size: var(--vib3-font-size-sm);
      }
      pre {
        margin: 0 0 var(--vib3-space-3);
        padding: var(--vib3-space-2);
        background: var(--vib3-color-surface-raised);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-sm);
        max-block-size: 16rem;
        overflow: auto;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .label {
        font-weight: var(--vib3-font-weight-bold);
        font-size: var(--vib3-font-size-sm);
        margin-block-end: var(--vib3-space-1);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        align-items: center;
        gap: var(--vib3-space-2);
      }
      .actions .queued {
        margin-inline-end: auto;
      }
    `,
  ];
  static override properties = { _current: { state: true }, _waiting: { state: true }, _locked: { state: true } };
  declare _current: ApprovalRequest | undefined;
  declare _waiting: number;
  /** Allow and Deny are disabled (rendered state of {@link #locked}). */
  declare _locked: boolean;
  /**
   * How long (ms) Allow and Deny take no input after a request is shown, the first one and each
   * next one in the open dialog, so a click meant for the previous request (a double-click on
   * Allow) cannot decide one the user has not seen. Escape denies at once. Read when a request is
   * shown. Default 400.
   */
  inputDelay = 400;
  private readonly locale = new LocaleController(this);
  #queue: Pending[] = [];
  #closing = false;
  /** Set synchronously when a request is shown, so a second click in the same task (before the buttons render disabled) is ignored too. */
  #locked = false;
  #unlockTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this._waiting = 0;
    this._locked = false;
  }

  /** The request on screen, if any. */
  get current(): ApprovalRequest | undefined {
    return this.#queue[0]?.request;
  }

  /** Requests not yet decided, the one on screen included. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Asks the user about one tool call; resolves true when they allow it. Requests made while
   * one is on screen wait their turn. An element that is not in a document denies at once.
   */
  request(request: ApprovalRequest): Promise<boolean> {
    if (!this.isConnected) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.#queue.push({ request, resolve });
      this._waiting = this.#queue.length - 1;
      if (this.#queue.length === 1) void this.#show();
    });
  }

  /**
   * Denies the request on screen and every waiting one, or only those `match` picks (e.g. the
   * calls of an agent session the user stopped: `denyAll((r) => r.caller === 'agent')`).
   */
  denyAll(match: (request: ApprovalRequest) => boolean = () => true): void {
    const denied = this.#queue.filter((p) => match(p.request));
    if (!denied.length) return;
    const head = this.#queue[0];
    this.#queue = this.#queue.filter((p) => !denied.includes(p));
    for (const p of denied) this.#settle(p, false);
    if (!head || !denied.includes(head)) this._waiting = Math.max(0, this.#queue.length - 1);
    else this.#next();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.denyAll();
    this.#stopTimer();
  }

  async #show(): Promise<void> {
    const next = this.#queue[0];
    // Before anything renders: a click that arrives now was meant for what was on screen before.
    this.#lock();
    this._current = next?.request;
    this._waiting = Math.max(0, this.#queue.length - 1);
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!next || !dialog || this.#queue[0] !== next) return;
    if (!dialog.open) {
      try {
        dialog.showModal();
      } catch {
        this.#decide(false);
        return;
      }
    }
    // While the buttons wait, the dialog itself has the focus (a clicked Allow that is now disabled
    // would leave it nowhere); Escape works from there.
    dialog.focus();
    this.#unlockTimer = setTimeout(() => void this.#unlock(next), Math.max(0, Number(this.inputDelay) || 0));
  }

  #stopTimer(): void {
    if (this.#unlockTimer !== undefined) clearTimeout(this.#unlockTimer);
    this.#unlockTimer = undefined;
  }

  #lock(): void {
    this.#stopTimer();
    this.#locked = true;
    this._locked = true;
  }

  /** The buttons take input again, if `shown` is still the request on screen; Deny gets the focus. */
  async #unlock(shown: Pending): Promise<void> {
    this.#unlockTimer = undefined;
    if (this.#queue[0] !== shown) return;
    this.#locked = false;
    this._locked = false;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (this.#queue[0] !== shown || !dialog?.open) return;
    // The safe choice has focus, so Enter or Space alone never allows a call. Focus the user moved
    // meanwhile (e.g. to the input, to read it) stays where it is.
    const active = (this.renderRoot as ShadowRoot).activeElement;
    if (!active || active === dialog) this.renderRoot.querySelector<HTMLButtonElement>('[part="deny"]')?.focus();
  }

  /** A click on Allow or Deny: ignored while the request on screen is new. */
  #click(approved: boolean): void {
    if (this.#locked || !this.#queue.length) return;
    this.#decide(approved);
  }

  #decide(approved: boolean): void {
    const done = this.#queue.shift();
    if (!done) return;
    this.#settle(done, approved);
    this.#next();
  }

  #settle(done: Pending, approved: boolean): void {
    done.resolve(approved);
    this.dispatchEvent(new CustomEvent<ToolApprovalDetail>('vib3-approval', { bubbles: true, composed: true, detail: { name: done.request.tool.name, approved } }));
  }

  /** Shows the next request, or closes the dialog when none waits. */
  #next(): void {
    if (this.#queue.length) {
      void this.#show();
      return;
    }
    this.#stopTimer();
    this.#locked = false;
    this._locked = false;
    this._current = undefined;
    this._waiting = 0;
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) {
      this.#closing = true;
      dialog.close();
    }
  }

  // Escape: the dialog's cancel, which we turn into a denial and keep the dialog for the next request.
  readonly #onCancel = (e: Event): void => {
    e.preventDefault();
    if (this.#queue.length) this.#decide(false);
  };

  // A close we did not make (the browser closing it after repeated Escape presses, a form, script) denies.
  readonly #onClose = (): void => {
    if (this.#closing) {
      this.#closing = false; // our own close (its event may arrive after the next request opened the dialog again)
      return;
    }
    if (this.renderRoot.querySelector('dialog')?.open) return;
    if (this.#queue.length) this.#decide(false);
  };

  protected override render() {
    void this.locale;
    const r = this._current;
    const tool = r?.tool;
    const hasInput = r ? Object.keys(r.input ?? {}).length > 0 : false;
    return html`<dialog part="dialog" id="approval" tabindex="-1" aria-labelledby="approval-title" aria-describedby="approval-reason" @cancel=${this.#onCancel} @close=${this.#onClose}>
      ${r && tool
        ? html`<h2 part="title" id="approval-title">${msg('approval.title', { tool: tool.title ?? tool.name })}</h2>
            <p class="meta">
              ${msg('approval.tool')} <code part="tool" id="approval-tool">${tool.name}</code> ·
              <span part="source" id="approval-source">${tool.source === 'kit' ? msg('approval.source.kit') : msg('approval.source.extension', { source: tool.source })}</span> ·
              ${msg('approval.caller')} <strong part="caller" id="approval-caller">${r.caller}</strong>
            </p>
            <p part="reason" class="reason" id="approval-reason" data-reason=${r.reason}>${r.reason === 'always' ? msg('approval.reason.always') : msg('approval.reason.destructive')}</p>
            ${tool.description ? html`<p part="description" class="description" id="approval-description">${tool.description}</p>` : nothing}
            <p class="label" id="approval-input-label">${msg('approval.input')}</p>
            <pre part="input" id="approval-input" role="region" tabindex="0" aria-labelledby="approval-input-label">${hasInput ? formatInput(r.input) : msg('approval.noInput')}</pre>
            <div class="actions">
              ${this._waiting > 0 ? html`<span part="queued" class="queued" role="status">${msg('approval.queued', { count: this._waiting })}</span>` : nothing}
              <button part="deny" id="approval-deny" type="button" autofocus ?disabled=${this._locked} @click=${() => this.#click(false)}>${msg('approval.deny')}</button>
              <button part="allow" id="approval-allow" class="primary" type="button" ?disabled=${this._locked} @click=${() => this.#click(true)}>${msg('approval.allow')}</button>
            </div>`
        : nothing}
    </dialog>`;
  }
}
