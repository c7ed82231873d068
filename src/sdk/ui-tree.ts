/**
 * The declarative UI of widget extensions. A widget's worker describes its UI as a tree of these
 * nodes; the host's trusted code renders the tree in the widget's sandboxed frame and sends user
 * actions back as {@link UiEvent}s. Extension code never runs in a document, so it cannot
 * navigate its frame, inject markup or load images: text is always text.
 */

/** Plain text. `tone` picks the token colour/weight. */
export interface UiText {
  type: 'text';
  text: string;
  tone?: 'normal' | 'muted' | 'strong';
}
/** A push button; pressing it sends `{ type: 'press', id }`. `pressed` makes it a toggle button. */
export interface UiButton {
  type: 'button';
  id: string;
  label: string;
  /** Accessible name when the visible label is not enough. */
  ariaLabel?: string;
  pressed?: boolean;
  disabled?: boolean;
  variant?: 'default' | 'primary';
}
/** A checkbox; changing it sends `{ type: 'change', id, value: boolean }`. */
export interface UiToggle {
  type: 'toggle';
  id: string;
  label: string;
  checked: boolean;
  disabled?: boolean;
}
/** A range slider; moving it sends `{ type: 'change', id, value: number }`. */
export interface UiSlider {
  type: 'slider';
  id: string;
  label: string;
  min: number;
  max: number;
  step?: number;
  value: number;
  disabled?: boolean;
}
/** A drop-down; choosing sends `{ type: 'change', id, value: string }`. */
export interface UiSelect {
  type: 'select';
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  disabled?: boolean;
}
/** A colour chip (`#rrggbb`) with an accessible label. */
export interface UiSwatch {
  type: 'swatch';
  color: string;
  label: string;
}
/** Lays children out in a row or a column; a `label` makes it a named group. */
export interface UiGroup {
  type: 'row' | 'column';
  children: UiNode[];
  label?: string;
}

/** One node of a widget's UI. */
export type UiNode = UiText | UiButton | UiToggle | UiSlider | UiSelect | UiSwatch | UiGroup;

/** What the user did in a widget. */
export type UiEvent = { type: 'press'; id: string } | { type: 'change'; id: string; value: number | boolean | string };

/** Bounds of a UI tree. */
export const UI_TREE_LIMITS = { maxNodes: 200, maxDepth: 8, maxText: 500, maxLabel: 120, maxOptions: 50 } as const;

/** Why a UI tree was refused: where (a JSON pointer) and what. */
export interface UiTreeProblem {
  path: string;
  message: string;
}

const ID = /^[a-z][a-z0-9_-]{0,47}$/;
const COLOR = /^#[0-9a-f]{6}$/i;
const KEYS: Record<UiNode['type'], readonly string[]> = {
  text: ['type', 'text', 'tone'],
  button: ['type', 'id', 'label', 'ariaLabel', 'pressed', 'disabled', 'variant'],
  toggle: ['type', 'id', 'label', 'checked', 'disabled'],
  slider: ['type', 'id', 'label', 'min', 'max', 'step', 'value', 'disabled'],
  select: ['type', 'id', 'label', 'value', 'options', 'disabled'],
  swatch: ['type', 'color', 'label'],
  row: ['type', 'children', 'label'],
  column: ['type', 'children', 'label'],
};

class Refused extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks a UI tree (a node or an array of nodes) and returns a fresh copy holding only plain data,
 * or the first problem. Refused: unknown node types or keys, ids that are not `[a-z][a-z0-9_-]*`
 * or repeat, strings past their limits, non-finite numbers, `min >= max`, colours that are not
 * `#rrggbb`, more than {@link UI_TREE_LIMITS}.maxNodes nodes or deeper than maxDepth.
 */
export function validateUiTree(value: unknown): { ok: true; tree: UiNode[] } | ({ ok: false } & UiTreeProblem) {
  const ids = new Set<string>();
  let count = 0;
  const str = (v: unknown, path: string, max: number, optional = false): string | undefined => {
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') throw new Refused(path, 'must be a string');
    if (v.length > max) throw new Refused(path, `is longer than ${max} characters`);
    return v;
  };
  const bool = (v: unknown, path: string): boolean | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new Refused(path, 'must be true or false');
    return v;
  };
  const num = (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Refused(path, 'must be a finite number');
    return v;
  };
  const id = (v: unknown, path: string): string => {
    if (typeof v !== 'string' || !ID.test(v)) throw new Refused(path, 'must match [a-z][a-z0-9_-]* (at most 48 characters)');
    if (ids.has(v)) throw new Refused(path, `repeats the id "${v}"`);
    ids.add(v);
    return v;
  };
  const node = (v: unknown, path: string, depth: number): UiNode => {
    if (++count > UI_TREE_LIMITS.maxNodes) throw new Refused(path, `the tree has more than ${UI_TREE_LIMITS.maxNodes} nodes`);
    if (depth > UI_TREE_LIMITS.maxDepth) throw new Refused(path, `the tree is deeper than ${UI_TREE_LIMITS.maxDepth}`);
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) throw new Refused(path, 'must be a plain object');
    const o = v as Record<string, unknown>;
    const type = o['type'];
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(KEYS, type)) throw new Refused(`${path}/type`, `unknown node type ${JSON.stringify(type)} (use ${Object.keys(KEYS).join(', ')})`);
    const allowed = KEYS[type as UiNode['type']];
    for (const key of Object.keys(o)) if (!allowed.includes(key)) throw new Refused(`${path}/${key}`, `is not a property of a ${type} node`);
    const label = (optional = false) => str(o['label'], `${path}/label`, UI_TREE_LIMITS.maxLabel, optional);
    const disabled = bool(o['disabled'], `${path}/disabled`);
    const extra = <T extends object>(n: T) => (disabled === undefined ? n : { ...n, disabled });
    switch (type as UiNode['type']) {
      case 'text': {
        const tone = o['tone'];
        if (tone !== undefined && tone !== 'normal' && tone !== 'muted' && tone !== 'strong') throw new Refused(`${path}/tone`, 'must be normal, muted or strong');
        return { type: 'text', text: str(o['text'], `${path}/text`, UI_TREE_LIMITS.maxText)!, ...(tone ? { tone } : {}) };
      }
      case 'button': {
        const variant = o['variant'];
        if (variant !== undefined && variant !== 'default' && variant !== 'primary') throw new Refused(`${path}/variant`, 'must be default or primary');
        const ariaLabel = str(o['ariaLabel'], `${path}/ariaLabel`, UI_TREE_LIMITS.maxLabel, true);
        const pressed = bool(o['pressed'], `${path}/pressed`);
        return extra({ type: 'button', id: id(o['id'], `${path}/id`), label: label()!, ...(ariaLabel !== undefined ? { ariaLabel } : {}), ...(pressed !== undefined ? { pressed } : {}), ...(variant ? { variant } : {}) } as UiButton);
      }
      case 'toggle':
        return extra({ type: 'toggle', id: id(o['id'], `${path}/id`), label: label()!, checked: bool(o['checked'], `${path}/checked`) ?? false } as UiToggle);
      case 'slider': {
        const min = num(o['min'], `${path}/min`);
        const max = num(o['max'], `${path}/max`);
        if (!(min < max)) throw new Refused(`${path}/max`, 'must be greater than min');
        const step = o['step'] === undefined ? undefined : num(o['step'], `${path}/step`);
        if (step !== undefined && !(step > 0)) throw new Refused(`${path}/step`, 'must be positive');
        const value = Math.min(max, Math.max(min, num(o['value'], `${path}/value`)));
        return extra({ type: 'slider', id: id(o['id'], `${path}/id`), label: label()!, min, max, ...(step !== undefined ? { step } : {}), value } as UiSlider);
      }
      case 'select': {
        const options = o['options'];
        if (!Array.isArray(options) || options.length === 0 || options.length > UI_TREE_LIMITS.maxOptions) throw new Refused(`${path}/options`, `must be 1 to ${UI_TREE_LIMITS.maxOptions} options`);
        const opts = options.map((opt: unknown, i) => {
          const p = `${path}/options/${i}`;
          if (typeof opt !== 'object' || opt === null || Object.keys(opt).some((k) => k !== 'value' && k !== 'label')) throw new Refused(p, 'must be { value, label }');
          const { value, label: l } = opt as Record<string, unknown>;
          return { value: str(value, `${p}/value`, UI_TREE_LIMITS.maxLabel)!, label: str(l, `${p}/label`, UI_TREE_LIMITS.maxLabel)! };
        });
        const value = str(o['value'], `${path}/value`, UI_TREE_LIMITS.maxLabel)!;
        if (!opts.some((x) => x.value === value)) throw new Refused(`${path}/value`, 'must be the value of one of the options');
        return extra({ type: 'select', id: id(o['id'], `${path}/id`), label: label()!, value, options: opts } as UiSelect);
      }
      case 'swatch': {
        const color = o['color'];
        if (typeof color !== 'string' || !COLOR.test(color)) throw new Refused(`${path}/color`, 'must be a #rrggbb colour');
        return { type: 'swatch', color, label: label()! };
      }
      case 'row':
      case 'column': {
        const children = o['children'];
        if (!Array.isArray(children)) throw new Refused(`${path}/children`, 'must be an array of nodes');
        const l = label(true);
        return { type: type as 'row' | 'column', children: children.map((c, i) => node(c, `${path}/children/${i}`, depth + 1)), ...(l !== undefined ? { label: l } : {}) };
      }
    }
  };
  try {
    const roots = Array.isArray(value) ? value : [value];
    return { ok: true, tree: roots.map((n, i) => node(n, Array.isArray(value) ? `/${i}` : '', 1)) };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, path: err.path || '/', message: err.message };
    throw err;
  }
}

/** Checks an event the frame reports against the tree it was rendered from. */
export function validateUiEvent(value: unknown, tree: readonly UiNode[]): UiEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, id, value: v } = value as Record<string, unknown>;
  const target = typeof id === 'string' ? findControl(tree, id) : undefined;
  if (!target || ('disabled' in target && target.disabled)) return undefined;
  if (type === 'press' && target.type === 'button') return { type, id: target.id };
  if (type !== 'change') return undefined;
  if (target.type === 'toggle' && typeof v === 'boolean') return { type, id: target.id, value: v };
  if (target.type === 'slider' && typeof v === 'number' && Number.isFinite(v)) return { type, id: target.id, value: Math.min(target.max, Math.max(target.min, v)) };
  if (target.type === 'select' && typeof v === 'string' && target.options.some((o) => o.value === v)) return { type, id: target.id, value: v };
  return undefined;
}

function findControl(tree: readonly UiNode[], id: string): UiButton | UiToggle | UiSlider | UiSelect | undefined {
  for (const n of tree) {
    if ((n.type === 'button' || n.type === 'toggle' || n.type === 'slider' || n.type === 'select') && n.id === id) return n;
    if (n.type === 'row' || n.type === 'column') {
      const found = findControl(n.children, id);
      if (found) return found;
    }
  }
  return undefined;
}
