/**
 * Reads a ReadableStream as an async iterable (Safari has no `ReadableStream[Symbol.asyncIterator]`).
 * Leaving early (a `return`, a `break` or an error in the consumer) cancels the stream, so the
 * response body behind it is closed.
 */
export async function* iterateStream<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
