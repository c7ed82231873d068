import { SLOT_CONSTRAINTS, UI_SLOTS, type UiSlot } from '../../core/slots.js';
import { validateUiEvent, validateUiTree, type UiNode } from '../../sdk/ui-tree.js';
import type { UiEvent } from '../../sdk/types.js';
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import { ExtensionError, toExtensionError } from './errors.js';
import type { Sandbox, SandboxOptions } from './sandbox.js';
import { readWidgetTheme } from './widget-theme.js';

/**
 * Where UI widgets appear: a component registry such as `componentRegistry` from
 * `vib3-embed/components`, shown on the page by a `<vib3-stage>`.
 */
export interface WidgetSlots {
  register(entry: { name: string; slot: UiSlot; label: string; source: 'extension'; create(): HTMLElement }): void;
  unregister(name: string): void;
}

/** What the widget host needs from the extension host (narrow on purpose). */
export interface WidgetDeps {
  slots?: WidgetSlots;
  /** Asks the extension for its UI (a deadline call). */
  view(id: string): Promise<unknown>;
  /** Delivers a checked user action (a deadline call). */
  uiEvent(id: string, event: UiEvent): Promise<void>;
  /** Whether the extension is active now. */
  isActive(id: string): boolean;
  report(id: string, error: ExtensionError): void;
}

interface Widget {
  name: string;
  slot: UiSlot;
  wrapper: HTMLElement;
  /** The last rendered (checked) tree: user actions are checked against it. */
  tree: UiNode[];
  queue: Promise<void>;
  dirty: boolean;
  /** Refused views in a row: the next render waits longer each time (reset by a good view). */
  refusals: number;
  /** The widget's sandbox frame, once it runs. */
  frame?: Pick<Sandbox, 'renderUi' | 'resize'>;
}

/** Delay before asking again after `n` refused views in a row: 100 ms doubling, at most 5 s. */
export function refusalBackoffMs(n: number): number {
  return n <= 0 ? 0 : Math.min(5000, 100 * 2 ** (n - 1));
}

/**
 * UI widgets of extensions: a wrapper in the widget's slot, the checked UI tree rendered by the
 * trusted code of its sandbox frame (themed from the page tokens, clamped to the slot), and the
 * user's actions checked against what was rendered before they reach the extension.
 */
export class WidgetHost {
  private readonly widgets = new Map<string, Widget>();

  constructor(private readonly deps: WidgetDeps) {}

  /**
   * Gives a UI widget its wrapper in its slot (the first slot extension.json names) before its
   * sandbox starts: an iframe reloads when it moves, so the frame is created where it will stay.
   * Returns the sandbox options that make the frame the widget's UI, or undefined (no UI).
   */
  place(id: string, manifest: Vib3ExtensionManifest): { container: HTMLElement; ui: NonNullable<SandboxOptions['ui']>; slot: UiSlot } | undefined {
    const slots = this.deps.slots;
    if (!slots) {
      this.deps.report(id, new ExtensionError('NO_UI_SLOTS', `${id} is a UI widget, but the host has nowhere to show it.`, 'Pass `slots: componentRegistry` (vib3-embed/components) to the ExtensionHost and show a <vib3-stage>.', id));
      return undefined;
    }
    const declared = ((manifest.capabilities as Record<string, { slots?: string[] } | undefined>)['ui']?.slots ?? []).filter((s): s is UiSlot => (UI_SLOTS as readonly string[]).includes(s));
    const slot = declared[0] ?? 'panel';
    const wrapper = document.createElement('div');
    wrapper.dataset['extension'] = id;
    const name = `${id}.widget`;
    slots.register({ name, slot, label: manifest.name, source: 'extension', create: () => wrapper });
    const widget: Widget = { name, slot, wrapper, tree: [], queue: Promise.resolve(), dirty: false, refusals: 0 };
    this.widgets.set(id, widget);
    return {
      container: wrapper,
      slot,
      ui: {
        size: { width: 1, height: 1 },
        title: manifest.name,
        onEvent: (raw: unknown) => this.event(id, raw),
        onError: (message: string) => this.deps.report(id, new ExtensionError('UI_INVALID', `${id}'s UI could not be rendered: ${message}`, "Report this to the kit maintainers with the widget's view().", id)),
        onSize: (w: number, h: number) => {
          const { maxWidth, maxHeight } = SLOT_CONSTRAINTS[slot];
          widget.frame?.resize(Math.max(1, Math.min(maxWidth, Math.ceil(w))), Math.max(1, Math.min(maxHeight, Math.ceil(h))));
        },
      },
    };
  }

  /** Connects the widget to its running sandbox frame. */
  attach(id: string, frame: NonNullable<Widget['frame']>): void {
    const widget = this.widgets.get(id);
    if (widget) widget.frame = frame;
  }

  has(id: string): boolean {
    return this.widgets.has(id);
  }

  /** Asks the widget for its UI, checks it, and sends it to the frame (one render at a time). */
  render(id: string): Promise<void> {
    const widget = this.widgets.get(id);
    if (!widget) return Promise.resolve();
    if (widget.dirty) return widget.queue;
    widget.dirty = true;
    widget.queue = widget.queue.then(async () => {
      // A widget whose views keep being refused is asked less and less often (it cannot make the
      // page re-check oversized trees in a loop).
      const wait = refusalBackoffMs(widget.refusals);
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      widget.dirty = false;
      if (!widget.frame || this.widgets.get(id) !== widget) return;
      let raw: unknown;
      try {
        raw = await this.deps.view(id);
      } catch (err) {
        this.deps.report(id, toExtensionError(err, id));
        return;
      }
      const checked = validateUiTree(raw);
      if (!checked.ok) {
        widget.refusals++;
        this.deps.report(id, new ExtensionError('UI_INVALID', `${id}'s view() returned an invalid UI at ${checked.path}: ${checked.message}.`, 'The widget keeps its previous UI; report this to the extension publisher.', id));
        return;
      }
      widget.refusals = 0;
      widget.tree = checked.tree;
      if (this.widgets.get(id) !== widget) return;
      const { maxWidth, maxHeight } = SLOT_CONSTRAINTS[widget.slot];
      widget.frame.renderUi({ tree: checked.tree, ...readWidgetTheme(widget.wrapper), maxWidth, maxHeight });
    });
    return widget.queue;
  }

  /** Renders every active widget again (e.g. after a theme switch). */
  renderAll(): void {
    for (const id of this.widgets.keys()) if (this.deps.isActive(id)) void this.render(id);
  }

  /** A user action reported by the widget frame: checked against what was rendered, then delivered. */
  private event(id: string, raw: unknown): void {
    const widget = this.widgets.get(id);
    const event = widget && validateUiEvent(raw, widget.tree);
    if (!event || !this.deps.isActive(id)) return;
    void this.deps.uiEvent(id, event).then(
      () => this.render(id),
      (err) => {
        this.deps.report(id, toExtensionError(err, id));
        return this.render(id);
      },
    );
  }

  /** Takes the widget out of its slot. */
  remove(id: string): void {
    const widget = this.widgets.get(id);
    if (!widget) return;
    this.deps.slots?.unregister(widget.name);
    widget.wrapper.remove();
    this.widgets.delete(id);
  }
}
