/**
 * The tables of `<vib3-telemetry-dashboard>` (lit templates): per tool, per error class, per
 * model, per MCP method, sessions, installs, frame time and extension crashes. Each table has a
 * caption and column/row headers; cells carry `data-col` (and rows a `data-*` key) so hosts and
 * tests can find one number.
 */
import { html, type TemplateResult } from 'lit';
import { msg } from '../i18n.js';
import { NONE, formatCount, formatMs, formatRate, formatUsd, type TelemetrySummary } from './format.js';

type Cell = [col: string, text: string];

function table(part: string, captionKey: string, heads: string[], rows: TemplateResult[]): TemplateResult {
  return html`<table part="table ${part}">
    <caption class="vh">${msg(captionKey)}</caption>
    <thead>
      <tr>
        ${heads.map((h) => html`<th scope="col">${msg(`telemetry.col.${h}`)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** A row (`data-key`: its tool, error type, `provider/model`, method or extension); the first cell is its row header. */
function row(key: string, head: Cell, cells: Cell[]): TemplateResult {
  return html`<tr part="row" data-key=${key}>
    <th scope="row" data-col=${head[0]}>${head[1]}</th>
    ${cells.map(([col, text]) => html`<td data-col=${col}>${text}</td>`)}
  </tr>`;
}

const none = () => html`<p part="none" class="muted">${msg('telemetry.none')}</p>`;

/** A section with its heading (id `${id}-h`) around `body`. */
export function section(id: string, titleKey: string, body: TemplateResult): TemplateResult {
  return html`<section part="section" data-section=${id} aria-labelledby="${id}-h">
    <h3 id="${id}-h">${msg(titleKey)}</h3>
    ${body}
  </section>`;
}

export function toolsTable(s: TelemetrySummary): TemplateResult {
  if (!s.tools.length) return none();
  return table('tools', 'telemetry.tools.caption', ['tool', 'calls', 'errors', 'errorRate', 'p50', 'p95'], s.tools.map((t) =>
    row(t.tool, ['tool', t.tool], [['calls', formatCount(t.calls)], ['errors', formatCount(t.errors)], ['errorRate', formatRate(t.errorRate)], ['p50', formatMs(t.p50Ms)], ['p95', formatMs(t.p95Ms)]]),
  ));
}

export function errorClassesTable(s: TelemetrySummary): TemplateResult {
  if (!s.errorClasses.length) return none();
  return table('error-classes', 'telemetry.errorClasses.caption', ['errorType', 'count', 'action'], s.errorClasses.map((e) =>
    row(e.errorType, ['errorType', e.errorType], [['count', formatCount(e.count)], ['action', e.action ?? NONE]]),
  ));
}

export function modelsTable(s: TelemetrySummary): TemplateResult {
  if (!s.models.length) return none();
  return table('models', 'telemetry.models.caption', ['model', 'provider', 'steps', 'inputTokens', 'outputTokens', 'cost'], s.models.map((m) =>
    row(`${m.provider}/${m.model}`, ['model', m.model], [['provider', m.provider], ['steps', formatCount(m.steps)], ['inputTokens', formatCount(m.inputTokens)], ['outputTokens', formatCount(m.outputTokens)], ['cost', formatUsd(m.costUsd)]]),
  ));
}

export function mcpTable(s: TelemetrySummary): TemplateResult {
  if (!s.mcp.length) return none();
  return table('mcp', 'telemetry.mcp.caption', ['method', 'calls', 'errorRate', 'p50', 'p95'], s.mcp.map((m) =>
    row(m.method, ['method', m.method], [['calls', formatCount(m.calls)], ['errorRate', formatRate(m.errorRate)], ['p50', formatMs(m.p50Ms)], ['p95', formatMs(m.p95Ms)]]),
  ));
}

/** A one-row table of totals (sessions, installs, frames): a count column, optional more, p50 and p95. */
function totals(part: string, captionKey: string, countCol: string, count: number, more: Cell[], p50: number | null, p95: number | null): TemplateResult {
  return html`<table part="table ${part}">
    <caption class="vh">${msg(captionKey)}</caption>
    <thead>
      <tr>
        <th scope="col">${msg(`telemetry.col.${countCol}`)}</th>
        ${more.map(([col]) => html`<th scope="col">${msg(`telemetry.col.${col}`)}</th>`)}
        <th scope="col">${msg('telemetry.col.p50')}</th>
        <th scope="col">${msg('telemetry.col.p95')}</th>
      </tr>
    </thead>
    <tbody>
      <tr part="row">
        <td data-col=${countCol}>${formatCount(count)}</td>
        ${more.map(([col, text]) => html`<td data-col=${col}>${text}</td>`)}
        <td data-col="p50">${formatMs(p50)}</td>
        <td data-col="p95">${formatMs(p95)}</td>
      </tr>
    </tbody>
  </table>`;
}

export function sessionsTable(s: TelemetrySummary): TemplateResult {
  return totals('sessions', 'telemetry.sessions.caption', 'sessions', s.sessions.count, [], s.sessions.p50Ms, s.sessions.p95Ms);
}

export function installsTable(s: TelemetrySummary): TemplateResult {
  return totals('installs', 'telemetry.installs.caption', 'installs', s.installs.count, [['failures', formatCount(s.installs.failures)]], s.installs.p50Ms, s.installs.p95Ms);
}

export function frameTable(s: TelemetrySummary): TemplateResult {
  return totals('frame-time', 'telemetry.frameTime.caption', 'frames', s.frameTime.count, [], s.frameTime.p50Ms, s.frameTime.p95Ms);
}

export function crashesTable(s: TelemetrySummary): TemplateResult {
  if (!s.extensionCrashes.length) return none();
  return table('crashes', 'telemetry.crashes.caption', ['extension', 'crashes'], s.extensionCrashes.map((c) => row(c.extension, ['extension', c.extension], [['crashes', formatCount(c.count)]])));
}
