import { LitElement, css, html } from 'lit';
import { LocaleController, msg } from './i18n.js';
import { baseStyles } from './shared-styles.js';

/** State of an install or any long job. */
export type ProgressState = 'idle' | 'working' | 'done' | 'error';

/**
 * `<vib3-install-progress label="Installing Duoprisms" value="40" max="100" state="working">`:
 * a real progress bar (native `<progress>`) with a live text announcement.
 *
 * @tagname vib3-install-progress
 * @csspart bar - The progress element.
 * @csspart text - The status text (polite live region).
 */
export class Vib3InstallProgress extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--vib3-space-1);
      }
      progress {
        inline-size: 100%;
        block-size: 8px;
        appearance: none;
        border: none;
        border-radius: var(--vib3-radius-pill);
        background: var(--vib3-color-surface-raised);
        overflow: hidden;
      }
      progress::-webkit-progress-bar {
        background: var(--vib3-color-surface-raised);
      }
      progress::-webkit-progress-value {
        background: var(--vib3-color-accent);
        transition: inline-size var(--vib3-motion-duration-normal) var(--vib3-motion-easing-standard);
      }
      progress::-moz-progress-bar {
        background: var(--vib3-color-accent);
      }
      :host([state='error']) progress::-webkit-progress-value {
        background: var(--vib3-color-danger);
      }
      .text {
        font-size: var(--vib3-font-size-sm);
        color: var(--vib3-color-text-muted);
      }
    `,
  ];
  static override properties = {
    label: { type: String },
    value: { type: Number },
    max: { type: Number },
    state: { type: String, reflect: true },
  };
  declare label: string;
  declare value: number;
  declare max: number;
  declare state: ProgressState;
  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.label = '';
    this.value = 0;
    this.max = 100;
    this.state = 'idle';
  }

  /** Percentage 0..100. */
  get percent(): number {
    return this.max > 0 ? Math.round((100 * Math.min(Math.max(this.value, 0), this.max)) / this.max) : 0;
  }

  protected override render() {
    void this.locale;
    const label = this.label || msg('progress.label');
    const key = this.state === 'idle' ? 'progress.idle' : `progress.${this.state}`;
    const text = msg(key, { label, percent: this.percent });
    return html`<progress part="bar" aria-label=${label} max=${this.max} .value=${this.state === 'done' ? this.max : this.value}></progress>
      <div part="text" class="text" role="status" aria-live="polite">${text}</div>`;
  }
}
