/** The design tokens a widget frame uses (its own document cannot see the page's CSS). */
export const WIDGET_TOKENS = [
  '--vib3-color-text',
  '--vib3-color-text-muted',
  '--vib3-color-surface-raised',
  '--vib3-color-border',
  '--vib3-color-accent',
  '--vib3-color-on-accent',
  '--vib3-color-focus',
  '--vib3-font-family-base',
  '--vib3-font-size-sm',
  '--vib3-font-line-height',
  '--vib3-space-1',
  '--vib3-space-2',
  '--vib3-radius-sm',
  '--vib3-focus-width',
  '--vib3-focus-offset',
] as const;

/** The tokens as they resolve where the widget sits (host overrides and theme packs included). */
export function readWidgetTheme(where: Element): { theme: Record<string, string>; dir: 'ltr' | 'rtl'; lang: string } {
  const style = getComputedStyle(where);
  const theme: Record<string, string> = {};
  for (const name of WIDGET_TOKENS) {
    const value = style.getPropertyValue(name).trim();
    if (value) theme[name] = value;
  }
  const scheme = style.getPropertyValue('color-scheme').trim();
  if (scheme) theme['--vib3-color-scheme'] = scheme;
  return { theme, dir: style.direction === 'rtl' ? 'rtl' : 'ltr', lang: where.closest('[lang]')?.getAttribute('lang') ?? '' };
}
