/**
 * Stable error codes reported by the kit. They never change meaning between versions,
 * so hosts can switch on them.
 */
export type Vib3ErrorCode =
  | 'INVALID_PARAM'
  | 'UNKNOWN_PARAM'
  | 'WEBGPU_UNAVAILABLE'
  | 'WEBGL2_UNAVAILABLE'
  | 'NO_BACKEND'
  | 'RENDERER_INIT_FAILED'
  | 'RENDERER_LOAD_FAILED'
  | 'INVALID_RENDERER'
  | 'INVALID_OPTION'
  | 'CONTEXT_LOST'
  | 'SNAPSHOT_FAILED'
  | 'WASM_UNAVAILABLE'
  | 'GEOMETRY_WORKER_FAILED'
  | 'GEOMETRY_CANCELLED'
  | 'INVALID_MESH'
  | 'AUDIO_SOURCE_INVALID'
  | 'UNKNOWN_THEME';

/** The shape of every error the kit reports, in events and in rejected promises. */
export interface Vib3ErrorDetail {
  /** Stable machine-readable code. */
  code: Vib3ErrorCode;
  /** What went wrong, for humans. */
  message: string;
  /** What the user can do about it. */
  suggestion: string;
}

/** An `Error` that carries a stable `code` and a `suggestion`. */
export class Vib3Error extends Error implements Vib3ErrorDetail {
  readonly code: Vib3ErrorCode;
  readonly suggestion: string;
  constructor(code: Vib3ErrorCode, message: string, suggestion: string) {
    super(message);
    this.name = 'Vib3Error';
    this.code = code;
    this.suggestion = suggestion;
  }
  /** Plain-object form used as an event `detail`. */
  toDetail(): Vib3ErrorDetail {
    return { code: this.code, message: this.message, suggestion: this.suggestion };
  }
}

/**
 * Converts anything thrown into a {@link Vib3Error}, keeping the code and suggestion of errors that
 * already carry both (a Vib3Error, or an error from the extension runtime or a worker).
 */
export function toVib3Error(err: unknown, fallbackCode: Vib3ErrorCode, suggestion: string): Vib3Error {
  if (err instanceof Vib3Error) return err;
  const e = err as { code?: unknown; suggestion?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && typeof e.suggestion === 'string') return new Vib3Error(e.code as Vib3ErrorCode, String(e.message ?? err), e.suggestion);
  const message = err instanceof Error ? err.message : String(err);
  return new Vib3Error(fallbackCode, message, suggestion);
}
