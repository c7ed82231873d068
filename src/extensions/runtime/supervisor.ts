import { ExtensionError, toExtensionError } from './errors.js';
import type { ExtensionRuntime } from './protocol.js';
import type { Remote } from 'comlink';

/** What supervision keeps per running extension. */
export interface Supervised {
  /** The running sandbox (whatever answers calls; absent while stopped). */
  sandbox?: { readonly runtime: Remote<ExtensionRuntime>; terminate(): void };
  /** Rejecters of the calls in flight (rejected at once when the sandbox stops). */
  pending: Set<(e: ExtensionError) => void>;
  heartbeat?: ReturnType<typeof setInterval>;
  lastBeat?: number;
  restarts: number;
  failures: number;
  restartTimer?: ReturnType<typeof setTimeout>;
}

/** Deadlines, heartbeat and failure policy. */
export interface SupervisionOptions {
  /** Deadline of every call into an extension, ms (default 5000). */
  callTimeoutMs?: number;
  /** Heartbeat interval and deadline, ms (default 1000 / 1000). */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** Failures (crash, hang) before quarantine (default 3); restarts back off 250 ms x 2^n. */
  maxFailures?: number;
}

/**
 * Keeps extensions honest: every call into a sandbox has a deadline and is rejected at once when
 * the sandbox stops; a heartbeat finds hung or crashed workers; failures are counted, restarts
 * back off (250 ms x 2^n) and repeated failures end in quarantine.
 */
export class Supervisor {
  constructor(private readonly options: SupervisionOptions) {}

  /** One call into the sandbox with a deadline; rejected at once if the sandbox dies meanwhile. */
  call<T>(id: string, s: Supervised, fn: (runtime: Remote<ExtensionRuntime>) => Promise<T> | T, timeoutMs = this.options.callTimeoutMs ?? 5000): Promise<T> {
    if (!s.sandbox) return Promise.reject(new ExtensionError('NOT_ACTIVE', `${id} is not active.`, 'Activate it first.', id));
    const runtime = s.sandbox.runtime;
    return new Promise<T>((resolve, reject) => {
      const done = (f: () => void) => {
        clearTimeout(timer);
        s.pending.delete(rejectDead);
        f();
      };
      const rejectDead = (e: ExtensionError) => done(() => reject(e));
      const timer = setTimeout(() => done(() => reject(new ExtensionError('TIMEOUT', `${id} did not answer within ${timeoutMs} ms.`, 'The extension may be busy or hung; the host restarts hung extensions.', id))), timeoutMs);
      s.pending.add(rejectDead);
      Promise.resolve()
        .then(() => fn(runtime))
        .then(
          (v) => done(() => resolve(v)),
          (e) => done(() => reject(toExtensionError(e, id))),
        );
    });
  }

  /** Pings the worker every interval; a missed deadline (while `alive()`) is reported to `onHung` once. */
  startHeartbeat(id: string, s: Supervised, alive: () => boolean, onHung: (error: ExtensionError) => void): void {
    const every = this.options.heartbeatMs ?? 1000;
    const deadline = this.options.heartbeatTimeoutMs ?? 1000;
    let inFlight = false;
    s.lastBeat = performance.now();
    s.heartbeat = setInterval(() => {
      if (inFlight || !s.sandbox) return;
      inFlight = true;
      this.call(id, s, (r) => r.ping(), deadline).then(
        () => {
          inFlight = false;
          s.lastBeat = performance.now();
        },
        (err: ExtensionError) => {
          inFlight = false;
          if (err.code === 'SANDBOX_DIED' || !alive()) return;
          onHung(new ExtensionError('HUNG', `${id} missed its heartbeat (${deadline} ms): it hung, or its process crashed (e.g. out of memory). It was terminated.`, 'An extension must not block its worker; it is restarted with backoff and quarantined after repeated failures.', id));
        },
      );
    }, every);
  }

  /** Stops the heartbeat, rejects the calls in flight with SANDBOX_DIED and terminates the sandbox. */
  halt(id: string, s: Supervised): void {
    clearInterval(s.heartbeat);
    s.heartbeat = undefined;
    const dead = new ExtensionError('SANDBOX_DIED', 'The extension was stopped while the call was pending.', 'Call again once it is active.', id);
    for (const reject of [...s.pending]) reject(dead);
    s.pending.clear();
    s.sandbox?.terminate();
    s.sandbox = undefined;
  }

  /**
   * Counts a crash or hang. Returns 'quarantined' when the limit is reached; otherwise schedules
   * `restart` after the backoff (skipped if `stillRestarting()` is false by then) and returns 'restarting'.
   */
  failure(s: Supervised, stillRestarting: () => boolean, restart: () => void): 'quarantined' | 'restarting' {
    s.failures++;
    if (s.failures >= (this.options.maxFailures ?? 3)) return 'quarantined';
    const delay = 250 * 2 ** (s.failures - 1);
    s.restartTimer = setTimeout(() => {
      if (!stillRestarting()) return;
      s.restarts++;
      restart();
    }, delay);
    return 'restarting';
  }

  /** Cancels a scheduled restart. */
  cancelRestart(s: Supervised): void {
    clearTimeout(s.restartTimer);
  }
}
