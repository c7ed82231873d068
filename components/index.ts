/**
 * The kit's UI components (lit), all styled only from design tokens. Importing defines them.
 * @packageDocumentation
 */
import { Vib3ControlPanel } from './control-panel.js';
import { Vib3Toolbar } from './toolbar.js';
import { Vib3ThemeSwitcher } from './theme-switcher.js';
import { Vib3ConsentDialog } from './consent-dialog.js';
import { Vib3InstallProgress } from './install-progress.js';
import { Vib3Stage } from './registry.js';

export { Vib3ControlPanel, Vib3Toolbar, Vib3ThemeSwitcher, Vib3ConsentDialog, Vib3InstallProgress, Vib3Stage };
export type { ConsentCapability, ConsentRequest, ConsentResult } from './consent-dialog.js';
export type { ProgressState } from './install-progress.js';
export { ComponentRegistry, componentRegistry, RegistryError, SLOT_CONSTRAINTS, UI_SLOTS, type ComponentEntry, type ComponentSource, type UiSlot } from './registry.js';
export { canvasContext, CanvasController, type CanvasControllerHost, type CanvasControllerOptions } from './canvas-context.js';
export { msg, setLocale, getLocale, registerCatalogue, availableLocales, type Catalogue } from './i18n.js';

const TAGS: [string, CustomElementConstructor][] = [
  ['vib3-control-panel', Vib3ControlPanel],
  ['vib3-toolbar', Vib3Toolbar],
  ['vib3-theme-switcher', Vib3ThemeSwitcher],
  ['vib3-consent-dialog', Vib3ConsentDialog],
  ['vib3-install-progress', Vib3InstallProgress],
  ['vib3-stage', Vib3Stage],
];

/** Defines every component once (safe with two copies of the kit on a page). */
export function defineComponents(registry: CustomElementRegistry = customElements): void {
  for (const [tag, ctor] of TAGS) if (!registry.get(tag)) registry.define(tag, ctor);
}

defineComponents();

declare global {
  interface HTMLElementTagNameMap {
    'vib3-control-panel': Vib3ControlPanel;
    'vib3-toolbar': Vib3Toolbar;
    'vib3-theme-switcher': Vib3ThemeSwitcher;
    'vib3-consent-dialog': Vib3ConsentDialog;
    'vib3-install-progress': Vib3InstallProgress;
    'vib3-stage': Vib3Stage;
  }
}
