/** Styles of `<vib3-telemetry-dashboard>` (after baseStyles, marketStyles and uPlot's): design tokens and logical properties only. */
import { css } from 'lit';

export const dashboardStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: var(--vib3-font-size-lg);
    margin: 0;
    margin-inline-end: auto;
  }
  h3 {
    font-size: var(--vib3-font-size-md);
    margin-block: 0 var(--vib3-space-2);
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--vib3-space-2);
    margin-block-end: var(--vib3-space-3);
  }
  .bar label {
    display: inline-flex;
    align-items: center;
    gap: var(--vib3-space-1);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
    gap: var(--vib3-space-4);
  }
  section {
    min-inline-size: 0;
    padding: var(--vib3-space-3);
    background: var(--vib3-color-surface);
    border: 1px solid var(--vib3-color-border);
    border-radius: var(--vib3-radius-md);
  }
  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-size: var(--vib3-font-size-sm);
  }
  th,
  td {
    text-align: start;
    padding-block: var(--vib3-space-1);
    padding-inline: var(--vib3-space-2);
    border-block-end: 1px solid var(--vib3-color-border);
    overflow-wrap: break-word;
    vertical-align: top;
  }
  th {
    font-weight: var(--vib3-font-weight-bold);
  }
  td:not([data-col='action']):not([data-col='provider']) {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  th[scope='row'] {
    /* Tool, model, method and extension names: long ones wrap anywhere, short ones never. */
    overflow-wrap: anywhere;
    min-inline-size: 8rem;
  }
  p {
    margin: 0;
  }
  .chart {
    inline-size: 100%;
    min-block-size: 180px;
    margin-block-start: var(--vib3-space-2);
    font-family: var(--vib3-font-family-base);
    font-size: var(--vib3-font-size-sm);
    color: var(--vib3-color-text-muted);
  }
  .uplot {
    font-family: inherit;
  }
`;
