/**
 * Telemetry in pages: off until the host calls {@link enableTelemetry}. Then the element and the
 * extension host report through the kit's seam (`src/telemetry/sink.ts`) to an OTLP/HTTP JSON
 * receiver. The OpenTelemetry SDK and exporters are loaded on that call (a lazy chunk of the ES
 * build), so pages that never turn telemetry on download none of it. Browser-only.
 */
import { setTelemetry, telemetry } from './sink.js';
import { VERSION } from '../core/version.js';
import { loadOtel } from './load-otel.js';

/** Options of {@link enableTelemetry}. */
export interface PageTelemetryOptions {
  /** Base URL of an OTLP/HTTP receiver: spans go to `${endpoint}/v1/traces`, metrics to `${endpoint}/v1/metrics`. */
  endpoint: string;
  /** Extra request headers (e.g. `Authorization` for the registry's receiver). Headers make requests CORS-preflighted. */
  headers?: Record<string, string>;
  /**
   * Share of what is recorded, 0..1 (default 1): traces are sampled by trace id; frame-time
   * measurements are recorded for this share of the frames the element samples (one in 30).
   */
  sampleRate?: number;
  /** `service.name` of the page's resource (default `vib3-page`). */
  serviceName?: string;
  /** Metric export interval in ms (default 30 000). */
  exportIntervalMillis?: number;
}

/** Running page telemetry. */
export interface PageTelemetry {
  /** The OTLP traces URL spans go to. */
  readonly tracesEndpoint: string;
  /** Exports what is queued now (spans and metrics). */
  flush(): Promise<void>;
  /** Flushes what is queued, then uninstalls the sink (telemetry is off again). */
  disable(): Promise<void>;
}

let running: Promise<PageTelemetry> | undefined;

/**
 * Turns page telemetry on: loads the OpenTelemetry pipeline and installs it as the kit's sink.
 * Calling it again while it runs returns the running one (disable it first to change options).
 */
export function enableTelemetry(options: PageTelemetryOptions): Promise<PageTelemetry> {
  if (!options || typeof options.endpoint !== 'string' || !/^https?:\/\//.test(new URL(options.endpoint, globalThis.location?.href).href)) {
    return Promise.reject(new TypeError('enableTelemetry: pass { endpoint } with the http(s) base URL of an OTLP/HTTP receiver.'));
  }
  const pending = (running ??= loadOtel().then(
    (m) => {
      const t = m.startPageTelemetry(options, { version: VERSION, setTelemetry, telemetry });
      const disable = t.disable;
      return {
        ...t,
        disable: async () => {
          if (running === pending) running = undefined;
          await disable();
        },
      };
    },
    (err: unknown) => {
      running = undefined;
      throw err;
    },
  ));
  return pending;
}
