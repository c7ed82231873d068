/**
 * Error reporting of the extension host: a failed operation fires one `vib3-extension-error`
 * event (detail: code, message, suggestion, extensionId) and is kept as the extension's
 * `health.lastError`, however many layers the error passes through; and what a failed start of
 * an extension is reported as.
 */
import { ExtensionError, toExtensionError } from './errors.js';

/** Where an extension's last error is kept (the host's entry). */
export interface ErrorRecord {
  lastError?: ExtensionError;
}

/**
 * Reports errors as `vib3-extension-error` events on `target`, each error once (an error passing
 * through several layers fires one event), and records it on the extension's entry.
 */
export class ErrorReporter {
  /** Errors already reported. */
  private readonly reported = new WeakSet<ExtensionError>();

  /**
   * @param target - what the events are dispatched on (the host).
   * @param record - the entry of an installed extension (undefined when not installed).
   */
  constructor(
    private readonly target: EventTarget,
    private readonly record: (id: string) => ErrorRecord | undefined,
  ) {}

  /** Runs a public operation: a failure is reported (event + lastError) and rethrown as an ExtensionError. */
  async run<T>(id: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const error = toExtensionError(err, id);
      this.report(error.extensionId ?? id, error);
      throw error;
    }
  }

  /** Reports one error (no-op if it was reported already). */
  report(id: string | undefined, error: ExtensionError): void {
    if (this.reported.has(error)) return;
    this.reported.add(error);
    const entry = id === undefined ? undefined : this.record(id);
    if (entry) entry.lastError = error;
    this.target.dispatchEvent(new CustomEvent('vib3-extension-error', { detail: { ...error.toJSON(), ...(id !== undefined ? { extensionId: id } : {}) } }));
  }
}

/** Codes of errors an extension's own code threw (as opposed to the host refusing or timing out). */
const EXTENSION_CODE_ERRORS = new Set(['EXTENSION_ERROR', 'CAPABILITY_NOT_GRANTED', 'NETWORK_ORIGIN_NOT_GRANTED']);

/**
 * What a failed activation is reported as: an error the extension's own code threw becomes
 * ACTIVATE_FAILED (naming the original code unless it was a plain EXTENSION_ERROR); the host's
 * own errors (TIMEOUT, SANDBOX_DIED, ...) stay as they are.
 */
export function activationFailure(id: string, err: unknown): ExtensionError {
  const error = toExtensionError(err, id);
  return EXTENSION_CODE_ERRORS.has(error.code) ? new ExtensionError('ACTIVATE_FAILED', `${id} failed to activate: ${error.code === 'EXTENSION_ERROR' ? '' : `${error.code}: `}${error.message}`, 'Check the extension with `vib3 ext test`.', id) : error;
}

/**
 * What a sandbox that did not start is reported as. A UI widget's frame loads only once its slot
 * is on the page, so for a widget (`widgetSlot` given) a TIMEOUT says that.
 */
export function sandboxStartFailure(id: string, err: unknown, widgetSlot: string | undefined): ExtensionError {
  const e = toExtensionError(err, id);
  return widgetSlot !== undefined && e.code === 'TIMEOUT' ? new ExtensionError('TIMEOUT', `${id}'s widget frame did not load: its ${widgetSlot} slot is not on the page.`, 'Show the registry you passed as `slots` in a <vib3-stage> before activating UI widgets.', id) : e;
}
