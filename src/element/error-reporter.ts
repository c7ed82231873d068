import type { Vib3Error } from '../core/errors.js';
import { dispatchVib3Event } from './events.js';

/**
 * How `<vib3-canvas>` reports errors: a `vib3-error` event each. Errors in attribute values
 * (markup has no caller to return them to) are also logged with one `console.warn` each; those
 * found before the element was first connected (its initial markup) wait until it is, so
 * listeners on the document receive them.
 */
export class ErrorReporter {
  /** Set once the element has been connected; attribute errors before that wait in `pending`. */
  private connectedOnce = false;
  /** Errors in the initial (markup) attributes, dispatched when the element is first connected. */
  private readonly pending: Vib3Error[] = [];
  /** An option attribute is being converted to its property right now, and whether it was rejected. */
  private converting = false;
  private rejected = false;

  constructor(private readonly host: HTMLElement) {}

  /** Dispatches `vib3-error` (see the class comment for attribute errors). */
  report(error: Vib3Error, fromAttribute = false): void {
    if (this.converting) {
      this.rejected = true;
      fromAttribute = true;
    }
    if (fromAttribute) {
      if (!this.connectedOnce) {
        this.pending.push(error);
        return;
      }
      console.warn(`<vib3-canvas> ${error.code}: ${error.message} ${error.suggestion}`, this.host);
    }
    dispatchVib3Event(this.host, 'vib3-error', error.toDetail());
  }

  /** The element is connected: on the first time, report what its markup got wrong. */
  connected(): void {
    if (this.connectedOnce) return;
    this.connectedOnce = true;
    for (const error of this.pending.splice(0)) this.report(error, true);
  }

  /** Runs the conversion of an attribute: errors it reports count as attribute errors. True when one was reported. */
  convertAttribute(convert: () => void): boolean {
    const outer = [this.converting, this.rejected] as const;
    this.converting = true;
    this.rejected = false;
    try {
      convert();
      return this.rejected;
    } finally {
      [this.converting, this.rejected] = outer;
    }
  }
}
