/** Coded errors of the headless canvas session (the CLI prints code, message and suggestion). Node-only. */
import { AgentToolError } from '../../agent/registry/envelope.js';

/**
 * A failure to start or reach the headless canvas. Codes: CHROMIUM_NOT_FOUND, PLAYWRIGHT_MISSING,
 * KIT_FILES_NOT_FOUND, CANVAS_START_FAILED, CANVAS_UNAVAILABLE, EXTENSIONS_DIR_INVALID, …
 */
export class HeadlessError extends AgentToolError {
  constructor(code: string, message: string, suggestion: string, retryable = false) {
    super(code, message, suggestion, { retryable });
    this.name = 'HeadlessError';
  }
}
