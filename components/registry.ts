import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ContextProvider } from '@lit/context';
import type { Vib3Canvas } from '../src/element/vib3-canvas.js';
import { canvasContext } from './canvas-context.js';
import { LocaleController, msg } from './i18n.js';
import { baseStyles } from './shared-styles.js';
import { UI_SLOTS, SLOT_CONSTRAINTS, type UiSlot } from '../src/core/slots.js';

export { UI_SLOTS, SLOT_CONSTRAINTS, type UiSlot };

/** Who registered a component: host overrides win over core, core over extensions. */
export type ComponentSource = 'core' | 'host' | 'extension';

/** A component placed in a slot. */
export interface ComponentEntry {
  /** Unique name, e.g. 'core.toolbar' or 'com.example.shape-picker.widget'. */
  name: string;
  slot: UiSlot;
  /** Creates the element to show. */
  create(): HTMLElement;
  /** Lower comes first (default 0); ties break by name. */
  order?: number;
  source?: ComponentSource;
  /** Accessible name of the widget's region (required for extensions). */
  label?: string;
}

/** Why a registration was refused. */
export class RegistryError extends Error {
  constructor(readonly code: 'DUPLICATE_COMPONENT' | 'UNKNOWN_SLOT' | 'MISSING_LABEL' | 'LABEL_CONFLICT' | 'NOT_OVERRIDABLE', message: string, readonly suggestion: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

/**
 * Named slots of the canvas UI and what is registered in them. Order is deterministic (order,
 * then name); a second registration of a name is refused unless it is a host override; a host
 * can replace any registered component by name; extension widgets get a labelled region and
 * the slot's size constraints, and may not take the canvas's accessible name.
 */
export class ComponentRegistry extends EventTarget {
  private readonly entries = new Map<string, ComponentEntry>();
  private readonly overridden = new Map<string, ComponentEntry>();

  register(entry: ComponentEntry, context: { canvasLabel?: string } = {}): void {
    const source = entry.source ?? 'core';
    if (!UI_SLOTS.includes(entry.slot)) throw new RegistryError('UNKNOWN_SLOT', `Unknown slot "${String(entry.slot)}".`, `Use one of: ${UI_SLOTS.join(', ')}.`);
    if (this.entries.has(entry.name)) throw new RegistryError('DUPLICATE_COMPONENT', `A component named "${entry.name}" is already registered.`, 'Pick a unique name, or (as the host) use override() to replace it.');
    if (source === 'extension') {
      if (!entry.label?.trim()) throw new RegistryError('MISSING_LABEL', `Extension widget "${entry.name}" has no label.`, 'Give the widget a label: it names its region for assistive technology.');
      if (context.canvasLabel && entry.label.trim().toLowerCase() === context.canvasLabel.trim().toLowerCase()) {
        throw new RegistryError('LABEL_CONFLICT', `Extension widget "${entry.name}" uses the canvas's accessible name.`, 'Label the widget after what it does; the canvas keeps its own name.');
      }
    }
    this.entries.set(entry.name, { ...entry, source, order: entry.order ?? 0 });
    this.dispatchEvent(new Event('change'));
  }

  /** Host-only: replaces the component registered under `name` (kept for `restore`). */
  override(name: string, replacement: Omit<ComponentEntry, 'name' | 'source'>): void {
    const current = this.entries.get(name);
    if (!current) throw new RegistryError('NOT_OVERRIDABLE', `Nothing is registered as "${name}".`, 'Override an existing name (see list()).');
    if (!this.overridden.has(name)) this.overridden.set(name, current);
    this.entries.set(name, { ...replacement, name, source: 'host', order: replacement.order ?? current.order ?? 0 });
    this.dispatchEvent(new Event('change'));
  }

  /** Undoes a host override. */
  restore(name: string): void {
    const original = this.overridden.get(name);
    if (!original) return;
    this.entries.set(name, original);
    this.overridden.delete(name);
    this.dispatchEvent(new Event('change'));
  }

  unregister(name: string): void {
    if (this.entries.delete(name)) {
      this.overridden.delete(name);
      this.dispatchEvent(new Event('change'));
    }
  }

  /** Entries of a slot in display order. */
  list(slot: UiSlot): ComponentEntry[] {
    return [...this.entries.values()].filter((e) => e.slot === slot).sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The page's default registry. */
export const componentRegistry = new ComponentRegistry();

/**
 * `<vib3-stage>`: lays a `<vib3-canvas>` out with the registry's slots around it (toolbar above,
 * panel beside, overlay on top, status below). Extension widgets are wrapped in labelled,
 * size-constrained regions. Provides its canvas ({@link canvasContext}) to the components
 * inside it, so a toolbar or control panel in a stage needs no `for=`.
 *
 * @tagname vib3-stage
 * @slot - The `<vib3-canvas>`.
 * @csspart toolbar - The toolbar region (likewise panel, overlay, status).
 */
export class Vib3Stage extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        grid-template-areas: 'toolbar toolbar' 'canvas panel' 'status status';
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--vib3-space-2);
      }
      .toolbar { grid-area: toolbar; display: flex; gap: var(--vib3-space-2); flex-wrap: wrap; }
      .panel { grid-area: panel; display: grid; gap: var(--vib3-space-2); align-content: start; }
      .status { grid-area: status; display: flex; gap: var(--vib3-space-2); font-size: var(--vib3-font-size-sm); }
      .canvas { grid-area: canvas; position: relative; min-inline-size: 0; }
      .overlay { position: absolute; inset-block-start: var(--vib3-space-2); inset-inline-end: var(--vib3-space-2); display: grid; gap: var(--vib3-space-1); pointer-events: none; }
      .overlay > * { pointer-events: auto; }
      .ext { overflow: hidden; }
    `,
  ];
  static override properties = { registry: { attribute: false } };
  /** The registry to show (default: the page's). */
  declare registry: ComponentRegistry;
  private readonly locale = new LocaleController(this);
  /** The canvas in the stage's default slot, provided to the components inside the stage. */
  private readonly canvasProvider = new ContextProvider(this, { context: canvasContext });
  private readonly onChange = () => {
    // Forget elements of components that left (a re-registered name gets its new element).
    const live = new Set(UI_SLOTS.flatMap((slot) => this.registry.list(slot).map((e) => `${e.name}|${e.source}`)));
    for (const key of this.cache.keys()) if (!live.has(key)) this.cache.delete(key);
    this.requestUpdate();
  };
  private readonly cache = new Map<string, HTMLElement>();

  constructor() {
    super();
    this.registry = componentRegistry;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.registry.addEventListener('change', this.onChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.registry.removeEventListener('change', this.onChange);
  }

  private element(entry: ComponentEntry): HTMLElement {
    // Cached, wrapper included: a re-render must not move an extension's frame (a moved iframe reloads).
    const key = `${entry.name}|${entry.source}`;
    let el = this.cache.get(key);
    if (el) return el;
    el = entry.create();
    if (entry.source === 'extension') {
      const { maxWidth, maxHeight } = SLOT_CONSTRAINTS[entry.slot];
      const region = document.createElement('div');
      region.className = 'ext';
      region.setAttribute('role', 'group');
      region.dataset['component'] = entry.name;
      region.style.maxInlineSize = `${maxWidth}px`;
      region.style.maxBlockSize = `${maxHeight}px`;
      region.append(el);
      el = region;
    }
    this.cache.set(key, el);
    return el;
  }

  private region(slot: UiSlot) {
    const entries = this.registry.list(slot);
    // Keyed: adding or removing one widget leaves the others' elements where they are.
    return html`<div class=${slot} part=${slot}>${repeat(
      entries,
      (e) => `${e.name}|${e.source}`,
      (e) => {
        const el = this.element(e);
        if (e.source === 'extension') el.setAttribute('aria-label', msg('slot.extension', { name: e.label ?? e.name }));
        return el;
      },
    )}</div>`;
  }

  private readonly onSlotChange = (e: Event): void => {
    const assigned = (e.target as HTMLSlotElement).assignedElements({ flatten: true });
    const canvas = assigned.map((el) => (el.localName === 'vib3-canvas' ? el : el.querySelector('vib3-canvas'))).find(Boolean) as Vib3Canvas | undefined;
    if (canvas !== this.canvasProvider.value) this.canvasProvider.setValue(canvas);
  };

  protected override render() {
    void this.locale;
    return html`${this.region('toolbar')}
      <div class="canvas"><slot @slotchange=${this.onSlotChange}></slot>${this.region('overlay')}</div>
      ${this.region('panel')} ${this.region('status')}`;
  }
}
