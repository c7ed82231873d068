// Renders a widget's declarative UI inside its sandbox frame. This is the host's trusted code:
// the tree arrives from the host (already checked by validateUiTree) and becomes DOM through
// createElement and textContent only, so nothing in it can become markup, a URL or a script.
// User actions go back to the host as UiEvents; the frame's content size goes back too, so the
// host can size the frame within the slot's limits.
import type { UiNode } from '../../src/sdk/ui-tree.js';

/** What the host sends on the UI port. */
export interface UiRenderMessage {
  type: 'render';
  tree: UiNode[];
  /** Resolved design tokens of the page (`--vib3-*` name -> value) and `color-scheme`. */
  theme: Record<string, string>;
  maxWidth: number;
  maxHeight: number;
  dir: 'ltr' | 'rtl';
  lang: string;
}

const STYLES = `
:root { color-scheme: var(--vib3-color-scheme, normal); }
html, body { margin: 0; padding: 0; background: transparent; overflow: hidden; }
body { color: var(--vib3-color-text, CanvasText); font-family: var(--vib3-font-family-base, system-ui, sans-serif); font-size: var(--vib3-font-size-sm, 13px); line-height: var(--vib3-font-line-height, 1.4); }
#root { display: flex; flex-direction: column; gap: var(--vib3-space-1, 4px); padding: 2px; box-sizing: border-box; width: max-content; }
.row { display: flex; flex-direction: row; align-items: center; gap: var(--vib3-space-1, 4px); flex-wrap: wrap; }
.column { display: flex; flex-direction: column; gap: var(--vib3-space-1, 4px); }
.muted { color: var(--vib3-color-text-muted, GrayText); }
.strong { font-weight: 600; }
button, select, input { font: inherit; color: inherit; }
button, select { background: var(--vib3-color-surface-raised, ButtonFace); border: 1px solid var(--vib3-color-border, ButtonBorder); border-radius: var(--vib3-radius-sm, 4px); padding: 2px var(--vib3-space-2, 8px); min-height: 28px; cursor: pointer; }
button:hover { border-color: var(--vib3-color-accent, Highlight); }
button.primary, button[aria-pressed='true'] { background: var(--vib3-color-accent, Highlight); color: var(--vib3-color-on-accent, HighlightText); border-color: var(--vib3-color-accent, Highlight); }
button:disabled, select:disabled, input:disabled { opacity: 0.5; cursor: default; }
label { display: inline-flex; align-items: center; gap: var(--vib3-space-1, 4px); }
input[type='range'], input[type='checkbox'] { accent-color: var(--vib3-color-accent, Highlight); }
.swatch { display: inline-block; inline-size: 20px; block-size: 20px; border-radius: var(--vib3-radius-sm, 4px); border: 1px solid var(--vib3-color-border, ButtonBorder); }
:focus-visible { outline: var(--vib3-focus-width, 2px) solid var(--vib3-color-focus, Highlight); outline-offset: var(--vib3-focus-offset, 2px); }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;

const TOKEN_NAME = /^--vib3-[a-z0-9-]{1,64}$/;

/** Starts rendering on `port`; returns nothing (the port lives as long as the frame). */
export function startUiRenderer(port: MessagePort): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  document.adoptedStyleSheets = [sheet];
  const root = document.createElement('div');
  root.id = 'root';
  document.body.append(root);
  let signature = '';
  const controls = new Map<string, HTMLElement>();
  const send = (message: unknown) => port.postMessage(message);

  const reportSize = () => {
    const r = root.getBoundingClientRect();
    send({ type: 'size', width: Math.ceil(r.width), height: Math.ceil(r.height) });
  };
  new ResizeObserver(reportSize).observe(root);

  port.onmessage = (event: MessageEvent<UiRenderMessage>) => {
    const m = event.data;
    if (m?.type !== 'render' || !Array.isArray(m.tree)) return;
    try {
      applyTheme(m);
      const next = structure(m.tree);
      if (next !== signature) {
        // The layout changed: build it again. (Same layout: controls update in place, so a slider
        // being dragged or a focused button keeps its state.)
        signature = next;
        controls.clear();
        root.replaceChildren(...m.tree.map((n) => build(n, controls, send)));
      }
      update(m.tree, controls);
      reportSize();
    } catch (err) {
      signature = '';
      send({ type: 'error', message: String(err) });
    }
  };
  port.start();
}

function applyTheme(m: UiRenderMessage): void {
  const style = document.documentElement.style;
  for (const [name, value] of Object.entries(m.theme ?? {})) {
    // Values come from the page's own tokens; url() would be the only way to reach the network.
    if (TOKEN_NAME.test(name) && typeof value === 'string' && value.length <= 200 && !/url\s*\(/i.test(value)) style.setProperty(name, value);
  }
  document.documentElement.dir = m.dir === 'rtl' ? 'rtl' : 'ltr';
  document.documentElement.lang = typeof m.lang === 'string' ? m.lang.slice(0, 35) : '';
  const root = document.getElementById('root');
  if (root) root.style.maxWidth = `${Math.max(0, m.maxWidth | 0)}px`;
}

/** The layout of a tree: node types and ids, not their values. */
function structure(tree: readonly UiNode[]): string {
  return tree.map((n) => (n.type === 'row' || n.type === 'column' ? `${n.type}[${structure(n.children)}]` : 'id' in n ? `${n.type}#${n.id}` : n.type)).join(',');
}

function build(node: UiNode, controls: Map<string, HTMLElement>, send: (m: unknown) => void): HTMLElement {
  const labelled = (control: HTMLElement, text: string, after = false) => {
    const label = document.createElement('label');
    const span = document.createElement('span');
    span.textContent = text;
    label.append(...(after ? [control, span] : [span, control]));
    return label;
  };
  switch (node.type) {
    case 'text': {
      const el = document.createElement('span');
      el.dataset['kind'] = 'text';
      return el;
    }
    case 'swatch': {
      const el = document.createElement('span');
      el.className = 'swatch';
      el.setAttribute('role', 'img');
      return el;
    }
    case 'button': {
      const el = document.createElement('button');
      el.type = 'button';
      el.addEventListener('click', () => send({ type: 'event', event: { type: 'press', id: node.id } }));
      controls.set(node.id, el);
      return el;
    }
    case 'toggle': {
      const el = document.createElement('input');
      el.type = 'checkbox';
      el.addEventListener('change', () => send({ type: 'event', event: { type: 'change', id: node.id, value: el.checked } }));
      controls.set(node.id, el);
      return labelled(el, node.label, true);
    }
    case 'slider': {
      const el = document.createElement('input');
      el.type = 'range';
      el.addEventListener('change', () => send({ type: 'event', event: { type: 'change', id: node.id, value: el.valueAsNumber } }));
      controls.set(node.id, el);
      return labelled(el, node.label);
    }
    case 'select': {
      const el = document.createElement('select');
      el.addEventListener('change', () => send({ type: 'event', event: { type: 'change', id: node.id, value: el.value } }));
      controls.set(node.id, el);
      return labelled(el, node.label);
    }
    case 'row':
    case 'column': {
      const el = document.createElement('div');
      el.className = node.type;
      el.append(...node.children.map((c) => build(c, controls, send)));
      return el;
    }
  }
}

/** Writes a tree's values into the DOM built for its layout. */
function update(tree: readonly UiNode[], controls: Map<string, HTMLElement>, parent: Element = document.getElementById('root')!): void {
  tree.forEach((node, i) => {
    const el = parent.children[i] as HTMLElement;
    switch (node.type) {
      case 'text':
        el.textContent = node.text;
        el.className = node.tone && node.tone !== 'normal' ? node.tone : '';
        break;
      case 'swatch':
        el.style.backgroundColor = node.color;
        el.setAttribute('aria-label', node.label);
        el.title = node.label;
        break;
      case 'button': {
        const b = controls.get(node.id) as HTMLButtonElement;
        b.textContent = node.label;
        b.className = node.variant === 'primary' ? 'primary' : '';
        b.disabled = node.disabled === true;
        if (node.ariaLabel) b.setAttribute('aria-label', node.ariaLabel);
        else b.removeAttribute('aria-label');
        if (node.pressed === undefined) b.removeAttribute('aria-pressed');
        else b.setAttribute('aria-pressed', String(node.pressed));
        break;
      }
      case 'toggle': {
        const c = controls.get(node.id) as HTMLInputElement;
        c.checked = node.checked;
        c.disabled = node.disabled === true;
        (c.nextElementSibling as HTMLElement).textContent = node.label;
        break;
      }
      case 'slider': {
        const s = controls.get(node.id) as HTMLInputElement;
        s.min = String(node.min);
        s.max = String(node.max);
        s.step = node.step === undefined ? 'any' : String(node.step);
        s.value = String(node.value);
        s.disabled = node.disabled === true;
        (s.previousElementSibling as HTMLElement).textContent = node.label;
        break;
      }
      case 'select': {
        const s = controls.get(node.id) as HTMLSelectElement;
        s.replaceChildren(
          ...node.options.map((o) => {
            const opt = document.createElement('option');
            opt.value = o.value;
            opt.textContent = o.label;
            return opt;
          }),
        );
        s.value = node.value;
        s.disabled = node.disabled === true;
        (s.previousElementSibling as HTMLElement).textContent = node.label;
        break;
      }
      case 'row':
      case 'column':
        if (node.label) {
          el.setAttribute('role', 'group');
          el.setAttribute('aria-label', node.label);
        } else {
          el.removeAttribute('role');
          el.removeAttribute('aria-label');
        }
        update(node.children, controls, el);
        break;
    }
  });
}
