import { css } from 'lit';

/** Styles every kit component shares: token-driven colours, type, focus and motion. */
export const baseStyles = css`
  :host {
    color: var(--vib3-color-text);
    font-family: var(--vib3-font-family-base);
    font-size: var(--vib3-font-size-md);
    line-height: var(--vib3-font-line-height);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :host([hidden]) {
    display: none;
  }
  button,
  select,
  input {
    font: inherit;
    color: inherit;
  }
  button,
  select,
  input[type='number'] {
    background: var(--vib3-color-surface-raised);
    border: 1px solid var(--vib3-color-border);
    border-radius: var(--vib3-radius-sm);
    padding: var(--vib3-space-1) var(--vib3-space-2);
    min-height: 28px;
    transition: border-color var(--vib3-motion-duration-fast) var(--vib3-motion-easing-standard);
  }
  button {
    cursor: pointer;
  }
  button:hover {
    border-color: var(--vib3-color-accent);
  }
  button.primary {
    background: var(--vib3-color-accent);
    color: var(--vib3-color-on-accent);
    border-color: var(--vib3-color-accent);
  }
  :focus-visible {
    outline: var(--vib3-focus-width) solid var(--vib3-color-focus);
    outline-offset: var(--vib3-focus-offset);
  }
  input[type='range'],
  input[type='radio'],
  input[type='checkbox'] {
    accent-color: var(--vib3-color-accent);
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
`;

/** Resolves a `for` attribute (an element id) to an element in the same tree, or null. */
export function resolveTarget<T extends Element>(host: Element, id: string | null | undefined): T | null {
  if (!id) return null;
  const root = host.getRootNode() as Document | ShadowRoot;
  return ((root.getElementById?.(id) ?? document.getElementById(id)) as T | null) ?? null;
}

/** The modal `<dialog>` of the kit's dialogs (consent, approval, marketplace detail): surface, border, elevation, backdrop. Each sets its own size. */
export const dialogStyles = css`
  dialog {
    background: var(--vib3-color-surface);
    color: var(--vib3-color-text);
    border: 1px solid var(--vib3-color-border);
    border-radius: var(--vib3-radius-lg);
    box-shadow: var(--vib3-elevation-2);
    padding: var(--vib3-space-4);
  }
  dialog::backdrop {
    background: var(--vib3-color-backdrop);
  }
`;
