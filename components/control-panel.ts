import { LitElement, css, html } from 'lit';
import { PARAM_SPECS, SYSTEMS, type NumericParamSpec, type Vib3Params } from '../src/core/params.js';
import { listGeometries } from '../src/core/geometry.js';
import type { Vib3Canvas } from '../src/element/vib3-canvas.js';
import { LocaleController, msg } from './i18n.js';
import { baseStyles } from './shared-styles.js';
import { CanvasController } from './canvas-context.js';

const NUMERIC = PARAM_SPECS.filter((s): s is NumericParamSpec => s.kind !== 'enum' && s.name !== 'geometry');

/**
 * `<vib3-control-panel for="canvas-id">`: a slider and a number field for every parameter of
 * a `<vib3-canvas>`, system and geometry pickers, and reset. Keyboard operable (native inputs),
 * labelled, themed only through tokens; follows the canvas when it changes elsewhere. Inside a
 * `<vib3-stage>` it controls the stage's canvas without `for`.
 *
 * @tagname vib3-control-panel
 * @csspart panel - The form.
 * @csspart field - One parameter row.
 * @csspart label - A parameter's label.
 * @csspart slider - A range input.
 * @csspart number - A number input.
 * @csspart system - The system radio group.
 * @csspart geometry - The geometry select.
 * @csspart reset - The reset button.
 * @slot footer - Extra content below the controls.
 * @event vib3-panel-input - The user changed a value. `detail: { name, value }`.
 */
export class Vib3ControlPanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        background: var(--vib3-color-surface);
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-md);
        padding: var(--vib3-space-3);
        box-shadow: var(--vib3-elevation-1);
      }
      h2 {
        font-size: var(--vib3-font-size-lg);
        font-weight: var(--vib3-font-weight-bold);
        margin: 0 0 var(--vib3-space-2);
      }
      form {
        display: grid;
        gap: var(--vib3-space-2);
      }
      fieldset {
        border: 1px solid var(--vib3-color-border);
        border-radius: var(--vib3-radius-sm);
        margin: 0;
        padding: var(--vib3-space-1) var(--vib3-space-2);
        display: flex;
        flex-wrap: wrap;
        gap: var(--vib3-space-3);
      }
      legend,
      .row label {
        color: var(--vib3-color-text-muted);
        font-size: var(--vib3-font-size-sm);
      }
      fieldset label {
        display: inline-flex;
        align-items: center;
        gap: var(--vib3-space-1);
      }
      .row {
        display: grid;
        grid-template-columns: minmax(7rem, 1fr) minmax(6rem, 2fr) 5.5rem;
        align-items: center;
        gap: var(--vib3-space-2);
      }
      .row input[type='number'] {
        inline-size: 100%;
        text-align: end;
      }
      .geometry {
        grid-template-columns: minmax(7rem, 1fr) minmax(0, 2fr);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: var(--vib3-space-2);
      }
    `,
  ];

  static override properties = {
    for: { type: String, reflect: true },
    target: { attribute: false },
    _params: { state: true },
  };

  /** Id of the `<vib3-canvas>` to control (same document or shadow root). */
  declare for: string;
  /** The canvas to control; overrides `for`. */
  declare target: Vib3Canvas | null;
  declare _params: Vib3Params | undefined;

  private readonly locale = new LocaleController(this);
  private readonly controlled = new CanvasController(this, {
    onBind: (next, previous) => {
      previous?.removeEventListener('vib3-params-change', this.sync);
      next?.addEventListener('vib3-params-change', this.sync);
      this._params = next && typeof next.getParams === 'function' ? next.getParams() : undefined;
    },
  });

  constructor() {
    super();
    this.for = '';
    this.target = null;
  }

  private get bound(): Vib3Canvas | null {
    return this.controlled.canvas;
  }

  private sync = (): void => {
    this._params = this.bound?.getParams();
  };

  private set(name: keyof Vib3Params, value: unknown): void {
    if (!this.bound) return;
    if (this.bound.setParams({ [name]: value } as Partial<Vib3Params>)) {
      this.dispatchEvent(new CustomEvent('vib3-panel-input', { bubbles: true, composed: true, detail: { name, value } }));
    }
  }

  protected override render() {
    void this.locale;
    const p = this._params;
    if (!p) return html`<p>${msg('panel.noTarget')}</p>`;
    return html`
      <form part="panel" aria-labelledby="title" @submit=${(e: Event) => e.preventDefault()}>
        <h2 id="title">${msg('panel.title')}</h2>
        <fieldset part="system">
          <legend>${msg('panel.system')}</legend>
          ${SYSTEMS.map(
            (s) => html`<label><input type="radio" name="system" .value=${s} .checked=${p.system === s} @change=${() => this.set('system', s)} />${msg(`system.${s}`)}</label>`,
          )}
        </fieldset>
        <div class="row geometry" part="field">
          <label part="label" for="geometry">${msg('panel.geometry')}</label>
          <select id="geometry" part="geometry" @change=${(e: Event) => this.set('geometry', Number((e.target as HTMLSelectElement).value))}>
            ${listGeometries().map((g) => html`<option value=${g.index} ?selected=${g.index === p.geometry}>${g.index} · ${g.label}</option>`)}
          </select>
        </div>
        ${NUMERIC.map((spec) => this.renderField(spec, p[spec.name]))}
        <div class="actions">
          <button type="button" part="reset" @click=${() => this.bound?.reset()}>${msg('panel.reset')}</button>
        </div>
        <slot name="footer"></slot>
      </form>
    `;
  }

  private renderField(spec: NumericParamSpec, value: number) {
    const step = spec.kind === 'int' ? 1 : +((spec.max - spec.min) / 200).toPrecision(3);
    const label = msg(`param.${spec.name}`);
    const id = `p-${spec.name}`;
    const shown = spec.kind === 'int' ? String(value) : String(+value.toFixed(3));
    return html`<div class="row" part="field">
      <label part="label" for=${id}>${label}</label>
      <input id=${id} part="slider" type="range" min=${spec.min} max=${spec.max} step=${step} .value=${String(value)} @input=${(e: Event) => this.set(spec.name, Number((e.target as HTMLInputElement).value))} />
      <input part="number" type="number" aria-label=${msg('param.numberLabel', { name: label })} min=${spec.min} max=${spec.max} step=${step} .value=${shown} @change=${(e: Event) => {
        const input = e.target as HTMLInputElement;
        if (input.value === '' || !this.bound?.setParams({ [spec.name]: Number(input.value) } as Partial<Vib3Params>)) input.value = shown;
      }} />
    </div>`;
  }
}

