import { LitElement, css, html } from 'lit';
import type { Vib3Canvas } from '../src/element/vib3-canvas.js';
import { LocaleController, msg } from './i18n.js';
import { baseStyles } from './shared-styles.js';
import { CanvasController } from './canvas-context.js';

/**
 * `<vib3-toolbar for="canvas-id">`: play/pause, reset and save-image for a canvas, plus any
 * slotted buttons. A WAI-ARIA toolbar: one tab stop, arrow keys move between items. Inside a
 * `<vib3-stage>` it controls the stage's canvas without `for`. Its play/pause button follows the
 * canvas, whoever pauses it.
 *
 * @tagname vib3-toolbar
 * @csspart toolbar - The toolbar row.
 * @csspart button - Each built-in button.
 * @slot - Extra buttons (they join the arrow-key navigation).
 * @event vib3-snapshot - An image was saved. `detail: { blob }`.
 */
export class Vib3Toolbar extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      [role='toolbar'] {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vib3-space-1);
        padding: var(--vib3-space-1);
        background: var(--vib3-color-surface);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-md);
      }
    `,
  ];
  static override properties = { for: { type: String, reflect: true }, _paused: { state: true } };
  declare for: string;
  declare _paused: boolean;
  private readonly locale = new LocaleController(this);
  private readonly controlled = new CanvasController(this, { attributes: ['paused'] });

  constructor() {
    super();
    this.for = '';
    this._paused = false;
  }

  private get canvas(): Vib3Canvas | null {
    return this.controlled.canvas;
  }

  private items(): HTMLElement[] {
    const own = [...(this.renderRoot.querySelectorAll<HTMLElement>('button') ?? [])];
    const slotted = (this.renderRoot.querySelector('slot')?.assignedElements({ flatten: true }) ?? []) as HTMLElement[];
    return [...own, ...slotted].filter((e) => !e.hasAttribute('disabled'));
  }

  private onKey(e: KeyboardEvent): void {
    const keys = ['ArrowRight', 'ArrowLeft', 'Home', 'End'];
    if (!keys.includes(e.key)) return;
    const items = this.items();
    const active = items.findIndex((i) => i === e.composedPath()[0] || i.contains(e.composedPath()[0] as Node));
    const rtl = getComputedStyle(this).direction === 'rtl';
    const forward = (e.key === 'ArrowRight') !== rtl;
    let next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : (active + (forward ? 1 : -1) + items.length) % items.length;
    if (next < 0) next = 0;
    items.forEach((item, i) => item.setAttribute('tabindex', i === next ? '0' : '-1'));
    items[next]?.focus();
    e.preventDefault();
  }

  protected override firstUpdated(): void {
    this.items().forEach((item, i) => item.setAttribute('tabindex', i === 0 ? '0' : '-1'));
  }

  private togglePlay(): void {
    const c = this.canvas;
    if (!c) return;
    c.paused = !c.paused;
    this._paused = c.paused;
  }

  private async snapshot(): Promise<void> {
    const blob = await this.canvas?.snapshot();
    if (!blob) return;
    this.dispatchEvent(new CustomEvent('vib3-snapshot', { bubbles: true, composed: true, detail: { blob } }));
    const url = URL.createObjectURL(blob);
    const a = Object.assign(document.createElement('a'), { href: url, download: 'vib3.png' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  protected override render() {
    void this.locale;
    // A plain button whose label is the action it performs ("Pause" while playing, "Play" while
    // paused); no aria-pressed, which would announce "Pause, pressed" while playing.
    const paused = this.canvas?.paused ?? this._paused;
    return html`<div part="toolbar" role="toolbar" aria-label=${msg('toolbar.label')} @keydown=${this.onKey}>
      <button part="button" type="button" data-action="play-pause" @click=${this.togglePlay}>${paused ? msg('toolbar.play') : msg('toolbar.pause')}</button>
      <button part="button" type="button" @click=${() => this.canvas?.reset()}>${msg('toolbar.reset')}</button>
      <button part="button" type="button" @click=${this.snapshot}>${msg('toolbar.snapshot')}</button>
      <slot @slotchange=${() => this.firstUpdated()}></slot>
    </div>`;
  }
}
