// The sandbox frame's gate between the extension's worker and the page. Every message the worker
// sends is received and decoded HERE, in the frame's own renderer process, and forwarded to the
// page only within the limits: calls into the host (size, and at most PASS_FACTOR times the rate
// limit per second) and results of the page's calls (size). A refused call is answered to the
// worker at once and reported to the page in small batched notices; a result that is too large
// reaches the page as a small MESSAGE_TOO_LARGE error instead of the data. A worker that keeps
// flooding (FLOOD_FACTOR times the limit in a second) is cut off at the source: its worker is
// terminated and the host restarts it with backoff. The page's dispatcher still applies the
// exact limits to what gets through.
import { estimateBytes } from '../../src/extensions/runtime/dispatcher.js';
import { errorWireValue } from '../../src/extensions/runtime/wire.js';

/** Limits the gate enforces (the host's DispatchLimits, sent at init). */
export interface RelayLimits {
  /** Largest call into the host, bytes (estimated). */
  maxMessageBytes: number;
  /** Calls into the host per second. */
  maxCallsPerSecond: number;
  /** Largest result of a call into the extension, bytes (default {@link MAX_RESULT_BYTES}). */
  maxResultBytes?: number;
}

/** Default largest result: room for a 2048 x 2048 RGBA frame from a renderer extension. */
export const MAX_RESULT_BYTES = 16 << 20;

/**
 * Calls per second, as a multiple of the rate limit, that reach the page (whose dispatcher applies
 * the exact limit and reports each refusal); more are refused here.
 */
export const PASS_FACTOR = 5;
/** Calls per second, as a multiple of the rate limit, after which the worker is cut off. */
export const FLOOD_FACTOR = 20;

/** A refusal the frame reports to the page (aggregated: `count` refusals of one kind). */
export interface RefusalNotice {
  type: 'vib3-sandbox-refused';
  code: 'RATE_LIMITED' | 'MESSAGE_TOO_LARGE' | 'INVALID_ARGUMENTS';
  message: string;
  suggestion: string;
  count: number;
}

type Wire = { id?: string; type?: string } | undefined;
const coded = (code: string, message: string, suggestion: string) => ({ name: 'ExtensionError', message, code, suggestion });
const throwMessage = (id: string, code: string, message: string, suggestion: string) => ({ id, type: 'HANDLER', name: 'throw', value: errorWireValue(coded(code, message, suggestion)) });

/** Forwards page -> worker as is (the page is trusted), transferred ports included. */
function passThrough(from: MessagePort, to: MessagePort): void {
  from.onmessage = (e) => to.postMessage(e.data, [...e.ports]);
}

/** Forwards worker -> page: data only (a port the worker sends would be an unguarded channel). */
function forward(to: MessagePort, data: unknown): boolean {
  try {
    to.postMessage(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Connects the page's two ports to the worker's two ports through the gate.
 * `pageCalls` / `workerCalls`: the channel of the extension's calls into the host;
 * `pageRuntime` / `workerRuntime`: the channel of the page's calls into the extension.
 * `onFlood` is called once when the worker is cut off.
 */
export function startRelay(
  ports: { pageCalls: MessagePort; workerCalls: MessagePort; pageRuntime: MessagePort; workerRuntime: MessagePort },
  limits: RelayLimits,
  events: { onFlood(): void; onRefused(notice: RefusalNotice): void },
): void {
  const { pageCalls, workerCalls, pageRuntime, workerRuntime } = ports;
  let windowStart = -Infinity;
  let inWindow = 0;
  let cut = false;
  // Refusals are reported to the page at once, then in batches: after a notice, more refusals
  // of the same kind within 100 ms go out together in one notice with their count.
  const pending = new Map<RefusalNotice['code'], RefusalNotice>();
  const quiet = new Map<RefusalNotice['code'], ReturnType<typeof setTimeout>>();
  const flush = (code: RefusalNotice['code']) => {
    quiet.delete(code);
    const notice = pending.get(code);
    pending.delete(code);
    if (notice) {
      events.onRefused(notice);
      quiet.set(code, setTimeout(() => flush(code), 100));
    }
  };
  const flushAll = () => [...quiet.keys()].forEach((code) => (clearTimeout(quiet.get(code)), flush(code)));

  const refuse = (data: Wire, code: RefusalNotice['code'], message: string, suggestion: string) => {
    if (typeof data?.id === 'string') workerCalls.postMessage(throwMessage(data.id, code, message, suggestion));
    const notice = pending.get(code) ?? { type: 'vib3-sandbox-refused', code, message, suggestion, count: 0 };
    notice.count++;
    pending.set(code, notice);
    if (!quiet.has(code)) flush(code);
  };

  // The extension's calls into the host: rate, then size. Within PASS_FACTOR x the limit they go on
  // to the page's dispatcher (exact limit, one event per refusal); beyond, they stop here.
  workerCalls.onmessage = (e) => {
    if (cut) return;
    const data = e.data as Wire;
    const now = performance.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      inWindow = 0;
    }
    inWindow++;
    if (inWindow > limits.maxCallsPerSecond * FLOOD_FACTOR) {
      cut = true;
      workerCalls.onmessage = null;
      workerRuntime.onmessage = null;
      flushAll();
      events.onFlood();
      return;
    }
    if (inWindow > limits.maxCallsPerSecond * PASS_FACTOR) return refuse(data, 'RATE_LIMITED', `More than ${limits.maxCallsPerSecond} host calls in one second.`, 'Batch the calls or call less often.');
    const bytes = estimateBytes(e.data, limits.maxMessageBytes + 1);
    if (bytes > limits.maxMessageBytes) return refuse(data, 'MESSAGE_TOO_LARGE', `A host call takes about ${bytes} bytes; the limit is ${limits.maxMessageBytes}.`, 'Send less data per call.');
    if (e.ports.length || !forward(pageCalls, e.data)) refuse(data, 'INVALID_ARGUMENTS', 'A host call carried something that cannot be sent to the page (a port, a function).', 'Send plain data.');
  };
  passThrough(pageCalls, workerCalls);

  // Results of the page's calls into the extension: size.
  const maxResult = limits.maxResultBytes ?? MAX_RESULT_BYTES;
  workerRuntime.onmessage = (e) => {
    const data = e.data as Wire;
    // Notices are this frame's to send: one forged by the worker never reaches the page.
    if (data?.type === 'vib3-sandbox-refused') return;
    const bytes = estimateBytes(e.data, maxResult + 1);
    if (bytes <= maxResult && !e.ports.length && forward(pageRuntime, e.data)) return;
    if (typeof data?.id !== 'string') return;
    pageRuntime.postMessage(
      bytes > maxResult
        ? throwMessage(data.id, 'MESSAGE_TOO_LARGE', `The extension answered with about ${bytes} bytes; the limit is ${maxResult}.`, 'Return less data per call (page or summarise it).')
        : throwMessage(data.id, 'EXTENSION_ERROR', 'The extension answered with something that cannot be sent to the page (a port, a function).', 'Return plain data.'),
    );
  };
  passThrough(pageRuntime, workerRuntime);
}
