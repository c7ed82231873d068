import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A catalogue: message id -> template with {placeholders}. */
export type Catalogue = Record<string, string>;

const en: Catalogue = {
  'panel.title': 'Visual parameters',
  'panel.system': 'System',
  'panel.geometry': 'Geometry',
  'panel.reset': 'Reset',
  'panel.noTarget': 'No canvas connected.',
  'system.faceted': 'Faceted',
  'system.quantum': 'Quantum',
  'system.holographic': 'Holographic',
  'param.rot4dXY': 'Rotation XY',
  'param.rot4dXZ': 'Rotation XZ',
  'param.rot4dYZ': 'Rotation YZ',
  'param.rot4dXW': 'Rotation XW',
  'param.rot4dYW': 'Rotation YW',
  'param.rot4dZW': 'Rotation ZW',
  'param.dimension': 'Projection distance',
  'param.gridDensity': 'Grid density',
  'param.morphFactor': 'Morph',
  'param.chaos': 'Chaos',
  'param.speed': 'Speed',
  'param.hue': 'Hue',
  'param.intensity': 'Intensity',
  'param.saturation': 'Saturation',
  'param.variation': 'Variation',
  'param.numberLabel': '{name} value',
  'toolbar.label': 'Visual controls',
  'toolbar.play': 'Play',
  'toolbar.pause': 'Pause',
  'toolbar.reset': 'Reset',
  'toolbar.snapshot': 'Save image',
  'theme.label': 'Theme',
  'consent.title': '{name} asks for permission',
  'consent.publisher': 'Published by {publisher}',
  'consent.intro': 'This extension wants to:',
  'consent.network': 'Connect to: {origins}',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',
  'capability.rendering': 'Change how the visual looks',
  'capability.geometry': 'Add shapes to the visual',
  'capability.ui': 'Show controls in the {slots} area',
  'capability.agent-tools': 'Let AI agents use its tools',
  'capability.telemetry': 'Record usage statistics',
  'capability.network': 'Send and receive data over the network',
  'progress.label': 'Progress',
  'progress.idle': 'Waiting',
  'progress.working': '{label}: {percent}%',
  'progress.done': '{label}: done',
  'progress.error': '{label}: failed',
  'slot.extension': 'Extension: {name}',
};

const de: Catalogue = {
  'panel.title': 'Visuelle Parameter',
  'panel.system': 'System',
  'panel.geometry': 'Geometrie',
  'panel.reset': 'Zurücksetzen',
  'panel.noTarget': 'Keine Leinwand verbunden.',
  'system.faceted': 'Facettiert',
  'system.quantum': 'Quanten',
  'system.holographic': 'Holografisch',
  'param.rot4dXY': 'Rotation XY',
  'param.rot4dXZ': 'Rotation XZ',
  'param.rot4dYZ': 'Rotation YZ',
  'param.rot4dXW': 'Rotation XW',
  'param.rot4dYW': 'Rotation YW',
  'param.rot4dZW': 'Rotation ZW',
  'param.dimension': 'Projektionsabstand',
  'param.gridDensity': 'Gitterdichte',
  'param.morphFactor': 'Morphing',
  'param.chaos': 'Chaos',
  'param.speed': 'Geschwindigkeit',
  'param.hue': 'Farbton',
  'param.intensity': 'Intensität',
  'param.saturation': 'Sättigung',
  'param.variation': 'Variation',
  'param.numberLabel': '{name}, Wert',
  'toolbar.label': 'Steuerung der Visualisierung',
  'toolbar.play': 'Abspielen',
  'toolbar.pause': 'Pausieren',
  'toolbar.reset': 'Zurücksetzen',
  'toolbar.snapshot': 'Bild speichern',
  'theme.label': 'Design',
  'consent.title': '{name} bittet um Erlaubnis',
  'consent.publisher': 'Herausgeber: {publisher}',
  'consent.intro': 'Diese Erweiterung möchte:',
  'consent.network': 'Verbinden mit: {origins}',
  'consent.allow': 'Erlauben',
  'consent.deny': 'Ablehnen',
  'capability.rendering': 'Das Aussehen der Visualisierung ändern',
  'capability.geometry': 'Formen zur Visualisierung hinzufügen',
  'capability.ui': 'Bedienelemente im Bereich {slots} anzeigen',
  'capability.agent-tools': 'KI-Agenten ihre Werkzeuge nutzen lassen',
  'capability.telemetry': 'Nutzungsstatistiken erfassen',
  'capability.network': 'Daten über das Netzwerk senden und empfangen',
  'progress.label': 'Fortschritt',
  'progress.idle': 'Wartet',
  'progress.working': '{label}: {percent} %',
  'progress.done': '{label}: fertig',
  'progress.error': '{label}: fehlgeschlagen',
  'slot.extension': 'Erweiterung: {name}',
};

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
