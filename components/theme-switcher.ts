import { LitElement, css, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import { listThemePacks } from '../src/theme/theme-registry.js';
import { themeContext, type ThemeContextValue } from '../src/theme/theme-context.js';
import { LocaleController, msg } from './i18n.js';
import { baseStyles, resolveTarget } from './shared-styles.js';

/**
 * `<vib3-theme-switcher for="element-id">`: picks a registered theme pack and sets `theme` on
 * the target (a `<vib3-theme>`, a `<vib3-canvas>`), or `data-vib3-theme` on `<html>` without one.
 * Inside a `<vib3-theme>` it switches that wrapper without `for`, and shows its theme.
 *
 * @tagname vib3-theme-switcher
 * @csspart select - The select.
 * @csspart label - Its label.
 * @event vib3-theme-change - The user chose a theme. `detail: { theme }`.
 */
export class Vib3ThemeSwitcher extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-flex;
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: var(--vib3-space-2);
      }
    `,
  ];
  static override properties = { for: { type: String, reflect: true }, value: { type: String } };
  declare for: string;
  /** The selected pack name. */
  declare value: string;
  private readonly locale = new LocaleController(this);
  private readonly refresh = () => this.requestUpdate();
  /** The `<vib3-theme>` around this switcher, if any (through the theme context). */
  private provided: ThemeContextValue | undefined;
  private readonly themeConsumer = new ContextConsumer(this, {
    context: themeContext,
    subscribe: true,
    callback: (value) => {
      this.provided = value;
      if (!this.for && value?.theme) this.value = value.theme;
    },
  });

  constructor() {
    super();
    this.for = '';
    this.value = 'default-dark';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('vib3-theme-registered', this.refresh);
    const target = this.target();
    this.value = target?.getAttribute('theme') || document.documentElement.dataset['vib3Theme'] || this.value;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('vib3-theme-registered', this.refresh);
  }

  /** `for=` wins; else the `<vib3-theme>` around this switcher; else none (the document). */
  private target(): HTMLElement | null {
    return resolveTarget<HTMLElement>(this, this.for) ?? (this.for ? null : (this.provided?.element ?? null));
  }

  private choose(name: string): void {
    this.value = name;
    const target = this.target();
    if (target) target.setAttribute('theme', name);
    else document.documentElement.dataset['vib3Theme'] = name;
    this.dispatchEvent(new CustomEvent('vib3-theme-change', { bubbles: true, composed: true, detail: { theme: name } }));
  }

  protected override render() {
    void this.locale;
    return html`<label part="label">${msg('theme.label')}
      <select part="select" @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}>
        ${listThemePacks().map((p) => html`<option value=${p.pack.name} ?selected=${p.pack.name === this.value}>${p.pack.label ?? p.pack.name}</option>`)}
      </select>
    </label>`;
  }
}
