import satisfies from 'semver/functions/satisfies.js';
import { BUILTIN_THEME_PACKS, TOKENS_CSS, TOKENS_VERSION, TOKEN_RENAMES, TOKEN_TREE } from './generated/tokens.js';
import { packCss, validateThemePack, type ThemePack, type TokenProblem } from './token-core.js';

/** Thrown by {@link registerThemePack} for an invalid pack; carries every problem. */
export class ThemePackError extends Error {
  readonly code = 'INVALID_THEME_PACK';
  readonly suggestion: string;
  constructor(readonly problems: TokenProblem[]) {
    super(`Invalid theme pack: ${problems.filter((p) => p.severity === 'error').map((p) => `${p.path || '(pack)'}: ${p.message}`).join('; ')}`);
    this.name = 'ThemePackError';
    this.suggestion = problems.find((p) => p.severity === 'error')?.suggestion ?? 'Check the pack against tokens/build/tokens.json.';
  }
}

/** A registered pack with what validation found. */
export interface RegisteredThemePack {
  pack: ThemePack;
  /** Token path -> CSS value, for every token the pack changes. */
  overrides: ReadonlyMap<string, string>;
  /** Warnings (e.g. renamed tokens that were migrated). */
  warnings: TokenProblem[];
  builtin: boolean;
}

const packs = new Map<string, RegisteredThemePack>();
const sheets = new Map<string, CSSStyleSheet>();
let baseSheet: CSSStyleSheet | undefined;

/** Installs the token layer order, the base tokens and every registered pack into a document (kept last, in order). */
export function installThemeStyles(doc: Document = document): void {
  if (typeof CSSStyleSheet === 'undefined' || !doc?.adoptedStyleSheets) return;
  if (!baseSheet) {
    baseSheet = new CSSStyleSheet();
    // Layer order: host CSS (unlayered) always wins over both kit layers.
    baseSheet.replaceSync(`@layer vib3.tokens, vib3.themes;\n${TOKENS_CSS}`);
  }
  const ours = [baseSheet, ...sheets.values()];
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets.filter((s) => !ours.includes(s)), ...ours];
}

/**
 * Validates and registers a theme pack; it can then be used with `theme="<name>"`. A pack with
 * unknown tokens, mistyped values, a bad version or an incompatible base is rejected with a
 * {@link ThemePackError} listing every problem. Registering a name again replaces that pack
 * (a newer version of the same pack, say). Renamed tokens are migrated with a warning.
 */
export function registerThemePack(pack: ThemePack, options: { builtin?: boolean } = {}): RegisteredThemePack {
  const result = validateThemePack(pack, { tree: TOKEN_TREE, version: TOKENS_VERSION, renamed: TOKEN_RENAMES }, (v, r) => satisfies(v, r, { includePrerelease: true }));
  if (!result.valid) throw new ThemePackError(result.problems);
  const entry: RegisteredThemePack = { pack, overrides: result.overrides, warnings: result.problems.filter((p) => p.severity === 'warning'), builtin: options.builtin === true };
  packs.set(pack.name, entry);
  if (typeof CSSStyleSheet !== 'undefined') {
    const sheet = sheets.get(pack.name) ?? new CSSStyleSheet();
    sheet.replaceSync(packCss(pack.name, result.overrides));
    sheets.set(pack.name, sheet);
    if (typeof document !== 'undefined') {
      installThemeStyles(document);
      document.dispatchEvent(new CustomEvent('vib3-theme-registered', { detail: { name: pack.name, version: pack.version } }));
    }
  }
  return entry;
}

/** Every registered pack, built-ins first, then by name. */
export function listThemePacks(): RegisteredThemePack[] {
  return [...packs.values()].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.pack.name.localeCompare(b.pack.name));
}

/** A registered pack by name. */
export function getThemePack(name: string): RegisteredThemePack | undefined {
  return packs.get(name);
}

/** The CSS of one pack's stylesheet (for shadow roots that cannot see document styles, and for tests). */
export function themePackSheet(name: string): CSSStyleSheet | undefined {
  return sheets.get(name);
}

/** Registers the shipped packs (idempotent). */
export function registerBuiltinThemePacks(): void {
  for (const pack of BUILTIN_THEME_PACKS) if (!packs.has(pack.name)) registerThemePack(pack, { builtin: true });
}

export { TOKENS_VERSION };
