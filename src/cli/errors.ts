/**
 * Errors of the `vib3` command line and how they are printed: `vib3: CODE: message` plus a
 * suggestion on stderr, or, for a `--json` run, one `{ ok: false, code, message, suggestion }`
 * object on stdout. Exit codes: 1 a problem (a failed check, a refused request), 2 a usage error.
 */

/**
 * A command-line failure: a message for the user, exit code 1 (problem) or 2 (usage), a stable
 * code (MISSING_NAME, UNKNOWN_OPTION, REGISTRY_UNREACHABLE, …) printed before the message, and
 * what to do about it.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** 1 for a problem, 2 for a usage error. */
    readonly exitCode = 1,
    /** Stable machine-readable code. */
    readonly code?: string,
    /** What the user can do about it (printed on its own line). */
    readonly suggestion?: string,
    /** Extra fields for the `--json` result (e.g. a manifest's `problems`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes: whole lines to stdout and stderr. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** The console. */
export const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** A usage error (exit 2) whose suggestion points at the command's help. */
export function usageError(code: string, message: string, commandPath: string): CliError {
  return new CliError(message, 2, code, `Run "${commandPath} --help" for usage.`);
}

/** Node's errors for files that are not there or not readable, as coded failures. */
const FILE_CODES: Record<string, string> = { ENOENT: 'FILE_NOT_FOUND', EACCES: 'PERMISSION_DENIED', EPERM: 'PERMISSION_DENIED', EISDIR: 'IS_A_DIRECTORY', ENOTDIR: 'NOT_A_DIRECTORY' };

/** Any thrown value as a {@link CliError} (unexpected errors become INTERNAL_ERROR). */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const e = err as NodeJS.ErrnoException & { suggestion?: unknown };
  // Coded errors of the kit's own modules (e.g. the registry's RegistryError).
  if (e instanceof Error && typeof e.code === 'string' && typeof e.suggestion === 'string') return new CliError(e.message, 1, e.code, e.suggestion);
  if (e && typeof e.code === 'string' && FILE_CODES[e.code]) {
    return new CliError(`${e.path ?? 'file'}: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`, 1, FILE_CODES[e.code], 'Check the path and its permissions.');
  }
  const message = e instanceof Error ? e.message : String(err);
  const stack = e instanceof Error && process.env['VIB3_DEBUG'] ? `\n${e.stack ?? ''}` : '';
  return new CliError(`${message}${stack}`, 1, 'INTERNAL_ERROR', 'This is a bug in vib3 or an unexpected environment; rerun with VIB3_DEBUG=1 for the stack and report it.');
}

/** Prints a failure as text (stderr) or as one JSON object (stdout). */
export function printError(io: Io, error: CliError, json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ ok: false, code: error.code ?? 'ERROR', message: error.message, suggestion: error.suggestion ?? '', ...(error.details ?? {}) }, null, 2));
    return;
  }
  io.err(`vib3: ${error.code ? `${error.code}: ` : ''}${error.message}`);
  const problems = error.details?.['problems'];
  if (Array.isArray(problems)) {
    for (const p of problems as Array<{ code?: string; pointer?: string; message?: string }>) io.err(`  ${p.code ?? ''} ${p.pointer ?? ''} ${p.message ?? ''}`.trimEnd());
  }
  // Usage errors end with their pointer at the help ("Run "vib3 … --help" for usage."), as a line of its own.
  if (error.suggestion) io.err(error.exitCode === 2 && error.suggestion.startsWith('Run "') ? error.suggestion : `  -> ${error.suggestion}`);
}
