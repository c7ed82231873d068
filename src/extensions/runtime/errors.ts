import type { ExtensionErrorCode } from '../../sdk/contract.js';

export { EXTENSION_ERROR_CODES, type ExtensionErrorCode } from '../../sdk/contract.js';

/** An error of the extension runtime: a stable `code`, a human `message` and a `suggestion`. */
export class ExtensionError extends Error {
  override readonly name = 'ExtensionError';
  constructor(
    readonly code: ExtensionErrorCode,
    message: string,
    readonly suggestion: string,
    /** The extension it concerns, when known. */
    readonly extensionId?: string,
  ) {
    super(message);
  }

  /** A plain, structured-cloneable form. */
  toJSON(): { code: ExtensionErrorCode; message: string; suggestion: string; extensionId?: string } {
    return { code: this.code, message: this.message, suggestion: this.suggestion, ...(this.extensionId ? { extensionId: this.extensionId } : {}) };
  }
}

/** Rebuilds an ExtensionError from anything thrown or received (unknown codes become EXTENSION_ERROR). */
export function toExtensionError(err: unknown, extensionId?: string): ExtensionError {
  if (err instanceof ExtensionError) return err;
  const e = err as { code?: string; message?: string; suggestion?: string } | undefined;
  const code = typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code) ? (e.code as ExtensionErrorCode) : 'EXTENSION_ERROR';
  return new ExtensionError(code, String(e?.message ?? err), e?.suggestion ?? 'See the extension publisher for help.', extensionId);
}
