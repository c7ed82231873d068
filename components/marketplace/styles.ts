/**
 * Styles the marketplace elements share (trust badges, the status area, visually hidden text),
 * all from design tokens and logical properties so they theme and mirror in RTL.
 */
import { css } from 'lit';

/** Shared marketplace styles; add after `baseStyles`. */
export const marketStyles = css`
  .badge {
    display: inline-flex;
    align-items: center;
    gap: var(--vib3-space-1);
    padding-block: 0;
    padding-inline: var(--vib3-space-2);
    border: 1px solid var(--vib3-color-border);
    border-radius: var(--vib3-radius-pill);
    font-size: var(--vib3-font-size-sm);
    font-weight: var(--vib3-font-weight-bold);
    color: var(--vib3-color-text);
    background: var(--vib3-color-surface-raised);
    white-space: nowrap;
  }
  .badge[data-tier='verified'] {
    border-color: var(--vib3-color-accent);
    border-width: 2px;
  }
  .badge[data-tier='unverified'] {
    border-style: dashed;
  }
  .muted {
    color: var(--vib3-color-text-muted);
    font-size: var(--vib3-font-size-sm);
  }
  .vh {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  button[aria-disabled='true'],
  button:disabled {
    opacity: 0.7;
    cursor: not-allowed;
  }
  .status {
    display: grid;
    gap: var(--vib3-space-1);
    margin-block: var(--vib3-space-2);
  }
  .status p {
    margin: 0;
  }
  .error {
    border: 1px solid var(--vib3-color-danger);
    border-inline-start-width: 4px;
    border-radius: var(--vib3-radius-sm);
    padding-block: var(--vib3-space-2);
    padding-inline: var(--vib3-space-3);
    background: var(--vib3-color-surface-raised);
    color: var(--vib3-color-text);
  }
  .error p {
    margin: 0;
  }
  .error code {
    font-family: ui-monospace, monospace;
    font-weight: var(--vib3-font-weight-bold);
  }
`;
