/**
 * Progress of uploads and downloads: a cli-progress bar on stderr when stderr is a terminal (and
 * the command is not printing `--json`), silent otherwise. {@link uploadBody} streams bytes to
 * `fetch` while advancing a bar; {@link readBody} reads a response while advancing one.
 */
import { SingleBar } from 'cli-progress';

/** A progress display; every method is a no-op for a silent one. */
export interface Progress {
  /** Sets the number of bytes done. */
  update(done: number): void;
  /** Adds `n` bytes to those done. */
  add(n: number): void;
  /** Sets the total when it becomes known (e.g. from Content-Length). */
  setTotal(total: number): void;
  /** Ends the display (prints the final state and a newline on a terminal). */
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Shown before the bar, e.g. `upload dev.vib3.duoprism@1.0.1`. */
  label: string;
  /** Total bytes (0 when unknown yet). */
  total: number;
  /** Whether to draw at all (default: stderr is a terminal). Pass false for `--json`. */
  enabled?: boolean;
  /** Where to draw (default: process.stderr). */
  stream?: NodeJS.WriteStream;
}

/** `1.5 MB`, `320 KB`, `12 B`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Whether a command should draw bars: never for `--json`, only on a terminal. */
export function progressWanted(json: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
  return !json && stream.isTTY === true;
}

const SILENT: Progress = { update() {}, add() {}, setTotal() {}, stop() {} };

/** A bar on a terminal, or a silent {@link Progress}. */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!(opts.enabled ?? stream.isTTY === true)) return SILENT;
  const bar = new SingleBar({
    stream,
    format: `${opts.label} [{bar}] {percentage}% | {done}/{size} | {eta_formatted}`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: false,
    etaBuffer: 20,
  });
  let total = opts.total;
  let done = 0;
  const payload = () => ({ done: formatBytes(done), size: total ? formatBytes(total) : '?' });
  bar.start(Math.max(total, 1), 0, payload());
  return {
    update(n) {
      done = n;
      bar.update(done, payload());
    },
    add(n) {
      done += n;
      bar.update(done, payload());
    },
    setTotal(t) {
      total = t;
      bar.setTotal(Math.max(t, 1));
      bar.update(done, payload());
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * A request body that hands `bytes` to `fetch` in chunks and advances `progress` as they are
 * taken (send it with `duplex: 'half'` and an explicit Content-Length).
 */
export function uploadBody(bytes: Uint8Array, progress: Progress, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const chunk = bytes.subarray(offset, Math.min(offset + chunkSize, bytes.length));
      offset += chunk.length;
      controller.enqueue(chunk);
      progress.update(offset);
    },
  });
}

/** Reads a response body to the end, advancing `progress` (total from Content-Length when known); refuses more than `max` bytes. */
export async function readBody(res: Response, progress: Progress, max = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared)) progress.setTotal(declared);
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`the response is larger than ${max} bytes`);
    }
    chunks.push(value);
    progress.add(value.byteLength);
  }
  return Buffer.concat(chunks, size);
}
