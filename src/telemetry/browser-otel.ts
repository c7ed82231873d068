/**
 * The page's OpenTelemetry pipeline, loaded by `enableTelemetry` (`browser.ts`) only when a page
 * turns telemetry on: a TracerProvider with a trace-id ratio sampler and a batch processor over a
 * bounded queue, a MeterProvider with a periodic reader, both exporting OTLP/HTTP JSON; and the
 * kit's {@link otelSink} over them, installed with `setTelemetry`. The OpenTelemetry packages are
 * bundled into this lazy chunk only (none of them uses eval or `new Function`: strict-CSP safe).
 */
import { BatchSpanProcessor, ParentBasedSampler, TracerProvider, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { otelSink } from './otel-sink.js';
import type { TelemetrySink } from './sink.js';
import type { PageTelemetry, PageTelemetryOptions } from './browser.js';

/**
 * What the pipeline takes from the kit's entry. Passed in, not imported: so this chunk shares no
 * module with the entry and the build adds no shared chunk that every page would load.
 */
export interface KitSeam {
  version: string;
  setTelemetry(sink: TelemetrySink | undefined): void;
  telemetry(): TelemetrySink;
}

/** Metrics recorded only for a sampled share (`sampleRate`) of their measurements: the per-frame ones. */
const SAMPLED_METRICS = new Set(['vib3.render.frame_time']);

/** Builds the pipeline and installs its sink. */
export function startPageTelemetry(options: PageTelemetryOptions, kit: KitSeam): PageTelemetry {
  const { version: VERSION, setTelemetry, telemetry } = kit;
  const base = new URL(options.endpoint, globalThis.location?.href).href.replace(/\/+$/, '');
  const rate = Number.isFinite(options.sampleRate) ? Math.min(1, Math.max(0, options.sampleRate as number)) : 1;
  const headers = { ...(options.headers ?? {}) };
  const resource = resourceFromAttributes({ 'service.name': options.serviceName || 'vib3-page', 'service.version': VERSION, 'telemetry.sdk.language': 'webjs' });
  const tracesEndpoint = `${base}/v1/traces`;
  const tracerProvider = new TracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(rate) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: tracesEndpoint, headers }),
        // The bounded queue: spans beyond it are dropped, never buffered without limit.
        maxQueueSize: 512,
        maxExportBatchSize: 128,
        scheduledDelayMillis: 5000,
        exportTimeoutMillis: 10_000,
      }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics`, headers }), exportIntervalMillis: options.exportIntervalMillis ?? 30_000, exportTimeoutMillis: 10_000 })],
  });
  const inner = otelSink(tracerProvider.getTracer('vib3-embed', VERSION), meterProvider.getMeter('vib3-embed', VERSION));
  const sink: TelemetrySink =
    rate >= 1
      ? inner
      : {
          captureContent: false,
          startSpan: (name, attributes, parent) => inner.startSpan(name, attributes, parent),
          record(metric, value, attributes) {
            if (SAMPLED_METRICS.has(metric) && Math.random() >= rate) return;
            inner.record(metric, value, attributes);
          },
        };
  setTelemetry(sink);
  const flush = async (): Promise<void> => {
    await Promise.allSettled([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
  };
  // A page going away exports what it has (the exporters use sendBeacon / keepalive where they can).
  const onHide = (): void => {
    if (document.visibilityState === 'hidden') void flush();
  };
  document.addEventListener('visibilitychange', onHide);
  let stopped: Promise<void> | undefined;
  return {
    tracesEndpoint,
    flush,
    disable() {
      stopped ??= (async () => {
        document.removeEventListener('visibilitychange', onHide);
        if (telemetry() === sink) setTelemetry(undefined);
        await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      })();
      return stopped;
    },
  };
}
