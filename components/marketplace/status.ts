/**
 * The status area of a marketplace operation (a template, rendered by `<vib3-marketplace>` and
 * by `<vib3-market-detail>`): a `<vib3-install-progress>` bar driven by the installer's
 * `vib3-install-progress` events, the phase in words with bytes, and an error with its code and
 * suggestion.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { getLocale, msg } from '../i18n.js';
import { formatBytes, type MarketErrorInfo, type OperationState } from './format.js';

/** Parts the status template renders (hosts forward them with `exportparts`). */
export const STATUS_PARTS = ['status', 'progress', 'progress-bar', 'progress-text', 'phase', 'error', 'error-code', 'error-message', 'suggestion'] as const;

/** The label of an operation, e.g. "Installing Duoprisms". */
export function operationLabel(op: Pick<OperationState, 'operation' | 'name' | 'channel'>): string {
  return msg(`market.op.${op.operation}`, { name: op.name, channel: op.channel ? msg(`market.channel.${op.channel}`) : '' });
}

/** The phase of an operation in words (with bytes while downloading), or its outcome once finished. */
export function phaseText(op: OperationState): string {
  const lang = getLocale();
  if (op.state === 'done') {
    const action = op.operation === 'uninstall' ? 'uninstalled' : (op.result?.action ?? 'installed');
    return msg(`market.done.${action}`, { name: op.name, version: op.result?.version ?? op.version ?? '' });
  }
  if (op.state === 'error') return msg('market.failed', { label: operationLabel(op) });
  if (!op.phase) return msg('market.phase.start');
  if (op.phase === 'download' && op.total) {
    return msg('market.phase.downloadBytes', { loaded: formatBytes(op.loaded ?? 0, lang), total: formatBytes(op.total, lang) });
  }
  return msg(`market.phase.${op.phase}`);
}

/** An error box: the code, the message and the suggestion (role=alert, so it is announced). */
export function renderError(error: MarketErrorInfo): TemplateResult {
  return html`<div part="error" class="error" role="alert">
    <p><span>${msg('market.error.code')}</span> <code part="error-code">${error.code}</code></p>
    <p part="error-message">${error.message}</p>
    ${error.suggestion ? html`<p part="suggestion">${msg('market.error.suggestion', { suggestion: error.suggestion })}</p>` : nothing}
  </div>`;
}

/** The status area of `op` (nothing without one). */
export function renderStatus(op: OperationState | null | undefined): TemplateResult | typeof nothing {
  if (!op) return nothing;
  return html`<div part="status" class="status" data-state=${op.state} data-operation=${op.operation}>
    <vib3-install-progress
      part="progress"
      exportparts="bar: progress-bar, text: progress-text"
      label=${operationLabel(op)}
      max="100"
      .value=${op.percent}
      state=${op.state}
    ></vib3-install-progress>
    <p part="phase" class="muted">${phaseText(op)}</p>
    ${op.error ? renderError(op.error) : nothing}
  </div>`;
}
