/**
 * Brand control: design tokens (DTCG, built by style-dictionary), versioned theme packs and
 * the `<vib3-theme>` wrapper. Importing installs the token layer and registers the shipped packs.
 * @packageDocumentation
 */
import { installThemeStyles, registerBuiltinThemePacks } from './theme-registry.js';
import { defineTheme } from './vib3-theme.js';

export { registerThemePack, listThemePacks, getThemePack, installThemeStyles, themePackSheet, ThemePackError, TOKENS_VERSION, type RegisteredThemePack } from './theme-registry.js';
export { Vib3Theme, defineTheme } from './vib3-theme.js';
export { themeContext, type ThemeContextValue } from './theme-context.js';
export { cssVarName, validateThemePack, type ThemePack, type TokenProblem, type TokenRename, type TokenTree, type TokenType } from './token-core.js';
export { TOKEN_PATHS, TOKEN_VALUES, type TokenPath } from './generated/tokens.js';
export { brandColorToVisual, parseCssColor, type BrandVisual, type BrandColorResult, type BrandColorProblem } from './brand-color.js';

/** Sets up theming in this document (idempotent). */
export function setupTheming(): void {
  registerBuiltinThemePacks();
  if (typeof document !== 'undefined') installThemeStyles(document);
  if (typeof customElements !== 'undefined') defineTheme();
}
