import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en } from './i18n/en.js';
import { de } from './i18n/de.js';

/** A catalogue: message id -> template with {placeholders}. */
export type Catalogue = Record<string, string>;

const catalogues = new Map<string, Catalogue>([
  ['en', en],
  ['de', de],
]);
let locale = 'en';
const listeners = new Set<() => void>();

/** The locales with a catalogue. */
export function availableLocales(): string[] {
  return [...catalogues.keys()];
}

/** The current locale. */
export function getLocale(): string {
  return locale;
}

/** Switches the locale; every kit component re-renders. Unknown locales fall back to English per message. */
export function setLocale(next: string): void {
  if (next === locale) return;
  locale = next;
  for (const l of [...listeners]) l();
}

/** Adds or extends a catalogue (a host's own translations, or overrides of ours). */
export function registerCatalogue(lang: string, messages: Catalogue): void {
  catalogues.set(lang, { ...(catalogues.get(lang) ?? {}), ...messages });
  if (lang === locale) for (const l of [...listeners]) l();
}

/**
 * The one message function: every user-visible string of the kit's UI goes through it.
 * Looks up `id` in the current locale (then its base language, then English) and fills
 * {placeholders} from `params`.
 */
export function msg(id: string, params: Record<string, string | number> = {}): string {
  const base = locale.split('-')[0]!;
  const template = catalogues.get(locale)?.[id] ?? catalogues.get(base)?.[id] ?? en[id] ?? id;
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in params ? String(params[key]) : m));
}

/** Re-renders a lit host whenever the locale or its catalogue changes. */
export class LocaleController implements ReactiveController {
  private readonly update = () => this.host.requestUpdate();
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    listeners.add(this.update);
  }
  hostDisconnected(): void {
    listeners.delete(this.update);
  }
}
