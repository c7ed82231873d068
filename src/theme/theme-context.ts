import { createContext } from '@lit/context';

/** What a `<vib3-theme>` provides to the kit's components inside it. */
export interface ThemeContextValue {
  /** The providing `<vib3-theme>` (a theme switcher inside it sets `theme` here). */
  readonly element: HTMLElement & { theme: string };
  /** The pack name in effect (`''` for none). */
  readonly theme: string;
}

/**
 * The theme context (`@lit/context`). The key is a global symbol, so two copies of the kit on one
 * page (script tag and npm) find each other's providers.
 */
export const themeContext = createContext<ThemeContextValue | undefined>(Symbol.for('vib3.theme'));
