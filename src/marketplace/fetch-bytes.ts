/**
 * A bounded download with `fetch` only (browsers under a strict CSP, and Node 20): the body is
 * streamed and cut off as soon as more than `maxBytes` arrive, and one deadline covers the whole
 * response (headers and body, so a response that sends headers and then stalls still ends).
 * Every failure is an {@link InstallerError}:
 *
 * | code | when |
 * | --- | --- |
 * | `TOO_LARGE` | `Content-Length` or the bytes received exceed `maxBytes` (`details.maxBytes`) |
 * | `DOWNLOAD_TIMEOUT` | the response did not complete within `deadlineMs` |
 * | `REGISTRY_UNREACHABLE` | the request or the body failed on the network |
 * | `REGISTRY_HTTP_ERROR` | a status outside 200–299 (`details.status`) |
 * | `ABORTED` | the caller's `signal` aborted |
 */
import { InstallerError } from './errors.js';

/** Options of {@link fetchBytes}. */
export interface FetchBytesOptions {
  /** The most bytes the body may have; one more aborts the download with `TOO_LARGE`. */
  maxBytes: number;
  /** Deadline of the whole response (headers + body) in ms; then `DOWNLOAD_TIMEOUT`. */
  deadlineMs: number;
  /** Cancels the download (`ABORTED`). */
  signal?: AbortSignal;
  /** Called after each chunk with the bytes received so far and the announced `Content-Length`, if any. */
  onProgress?: (loaded: number, total?: number) => void;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** HTTP cache mode of the request (e.g. `no-cache` for files that change under one URL). */
  cache?: RequestCache;
}

type Stop = 'deadline' | 'aborted';

/** Downloads `url` into memory within the bounds of `options`; see the module comment for the errors. */
export async function fetchBytes(url: string, options: FetchBytesOptions): Promise<Uint8Array> {
  const { maxBytes, deadlineMs, signal, onProgress } = options;
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  if (signal?.aborted) throw abortedError(url);

  const controller = new AbortController();
  let stopped: Stop | undefined;
  let wake: (reason: Stop) => void = () => undefined;
  // Rejects when the deadline passes or the caller aborts: raced against every await on the
  // network, so a fetch (or body stream) that ignores its AbortSignal cannot hang us.
  const stop = new Promise<never>((_, reject) => (wake = reject));
  stop.catch(() => undefined);
  const halt = (why: Stop) => {
    if (stopped) return;
    stopped = why;
    wake(why);
    controller.abort();
  };
  const timer = setTimeout(() => halt('deadline'), Math.max(0, deadlineMs));
  const onAbort = () => halt('aborted');
  signal?.addEventListener('abort', onAbort, { once: true });

  /** The error for a failed network step (the deadline and the caller's abort win over the cause). */
  const networkError = (err: unknown): InstallerError => {
    if (stopped === 'aborted') return abortedError(url);
    if (stopped === 'deadline') return new InstallerError('DOWNLOAD_TIMEOUT', `${url} did not complete within ${deadlineMs} ms.`, 'Check your network and the registry (GET /healthz), then retry.', { url, deadlineMs });
    if (err instanceof InstallerError) return err;
    return new InstallerError('REGISTRY_UNREACHABLE', `Cannot reach ${url}: ${(err as Error)?.message ?? String(err)}.`, 'Check the registry URL and your network, then retry.', { url });
  };
  const tooLarge = (seen: number, announced: boolean) =>
    new InstallerError(
      'TOO_LARGE',
      announced ? `${url} announces ${seen} bytes; at most ${maxBytes} are allowed.` : `${url} sent more than the ${maxBytes} bytes allowed.`,
      'The registry (or something between you and it) sends more data than this file may have. Retry later, or check the registry URL.',
      { url, maxBytes },
    );

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let complete = false;
  try {
    let res: Response;
    try {
      res = await Promise.race([fetchImpl(url, { signal: controller.signal, ...(options.cache ? { cache: options.cache } : {}) }), stop]);
    } catch (err) {
      throw networkError(err);
    }
    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      throw new InstallerError('REGISTRY_HTTP_ERROR', `${url} answered HTTP ${res.status}.`, res.status >= 500 ? 'The registry has a problem; retry later.' : 'Check the registry URL; the file may not exist (any more).', { url, status: res.status });
    }
    const header = res.headers.get('content-length');
    const total = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
    if (total !== undefined && total > maxBytes) {
      void res.body?.cancel().catch(() => undefined);
      throw tooLarge(total, true);
    }
    if (!res.body) {
      // A fetch without streams (some polyfills): the deadline still bounds the read.
      let buffer: ArrayBuffer;
      try {
        buffer = await Promise.race([res.arrayBuffer(), stop]);
      } catch (err) {
        throw networkError(err);
      }
      if (buffer.byteLength > maxBytes) throw tooLarge(buffer.byteLength, false);
      onProgress?.(buffer.byteLength, total);
      complete = true;
      return new Uint8Array(buffer);
    }
    reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await Promise.race([reader.read(), stop]);
      } catch (err) {
        throw networkError(err);
      }
      if (step.done) break;
      const chunk = step.value;
      if (!(chunk instanceof Uint8Array)) throw networkError(new TypeError('the response body is not a byte stream'));
      loaded += chunk.byteLength;
      if (loaded > maxBytes) throw tooLarge(loaded, false);
      chunks.push(chunk);
      onProgress?.(loaded, total);
    }
    complete = true;
    return concat(chunks, loaded);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (!complete) {
      // Stop the transfer (an endless or stalled body) and release the connection.
      if (reader) void reader.cancel().catch(() => undefined);
      controller.abort();
    }
  }
}

function abortedError(url: string): InstallerError {
  return new InstallerError('ABORTED', `The download of ${url} was cancelled.`, 'Start it again.', { url });
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === length) return chunks[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
