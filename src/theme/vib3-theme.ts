import { ContextProvider } from '@lit/context';
import { getThemePack, listThemePacks } from './theme-registry.js';
import { themeContext } from './theme-context.js';

/**
 * `<vib3-theme theme="light">`: applies a theme pack to everything inside it (including
 * `<vib3-canvas>` palettes and the kit's components). Renders no box of its own. Provides
 * {@link themeContext} to the components inside it (a theme switcher there needs no `for=`).
 *
 * @tagname vib3-theme
 * @slot - Content that takes the theme.
 * @event vib3-error - `theme` names no registered pack. `detail: { code: 'UNKNOWN_THEME', message, suggestion }`.
 */
export class Vib3Theme extends HTMLElement {
  static observedAttributes = ['theme'];
  private readonly provider = new ContextProvider(this, { context: themeContext, initialValue: { element: this, theme: this.theme } });

  connectedCallback(): void {
    this.style.display = 'contents';
    // Consumers that asked an outer provider before this one was connected move here.
    this.provider.hostConnected();
    this.check();
  }

  attributeChangedCallback(): void {
    this.provider.setValue({ element: this, theme: this.theme });
    this.check();
  }

  /** The theme pack name. */
  get theme(): string {
    return this.getAttribute('theme') ?? '';
  }
  set theme(name: string) {
    this.setAttribute('theme', name);
  }

  private check(): void {
    const name = this.theme;
    if (!name || !this.isConnected) return;
    if (!getThemePack(name)) {
      this.dispatchEvent(
        new CustomEvent('vib3-error', {
          bubbles: true,
          composed: true,
          detail: { code: 'UNKNOWN_THEME', message: `No theme pack named "${name}" is registered.`, suggestion: `Use one of: ${listThemePacks().map((p) => p.pack.name).join(', ')}, or registerThemePack() your own first.` },
        }),
      );
    }
    this.dispatchEvent(new CustomEvent('vib3-theme-change', { bubbles: true, composed: true, detail: { theme: name } }));
  }
}

/** Registers `<vib3-theme>` once. */
export function defineTheme(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('vib3-theme')) registry.define('vib3-theme', Vib3Theme);
}

declare global {
  interface HTMLElementTagNameMap {
    'vib3-theme': Vib3Theme;
  }
}
