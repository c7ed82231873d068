/**
 * Telemetry in Node processes (`vib3 agent`, `vib3 mcp`, `vib3 registry serve`, `vib3 ext …`):
 * off unless the standard OpenTelemetry variables name an OTLP endpoint. Then spans and metrics
 * go out as OTLP/HTTP JSON, batched, through a bounded queue, sampled as `OTEL_TRACES_SAMPLER`
 * says (docs/TELEMETRY.md "Configuration"). Node-only; the OpenTelemetry SDK loads only when
 * telemetry is on.
 */
import { setTelemetry } from '../telemetry/sink.js';
import { redactor } from '../agent/llm/secrets.js';
import { metricsEndpoint, num, otlpHeaders, telemetryConfigured, tracesEndpoint } from './telemetry-env.js';
import { VERSION as KIT_VERSION } from '../core/version.js';

/** The running telemetry of a process. */
export interface NodeTelemetry {
  /** The OTLP endpoint spans go to. */
  readonly tracesEndpoint: string;
  /** Exports what is queued and stops (call before exiting). */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry when the environment configures it; resolves undefined (and changes nothing)
 * otherwise. `serviceName` is used when `OTEL_SERVICE_NAME` is not set.
 */
export async function startNodeTelemetry(env: Record<string, string | undefined>, serviceName: string): Promise<NodeTelemetry | undefined> {
  if (!telemetryConfigured(env)) return undefined;
  const [{ TracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, AlwaysOnSampler, AlwaysOffSampler }, { OTLPTraceExporter }, { MeterProvider, PeriodicExportingMetricReader }, { OTLPMetricExporter }, { resourceFromAttributes, detectResources, envDetector }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const { otelSink } = await import('../telemetry/otel-sink.js');
  const resource = resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || serviceName, 'service.version': KIT_VERSION }).merge(detectResources({ detectors: [envDetector] }));
  const ratio = Math.min(1, num(env['OTEL_TRACES_SAMPLER_ARG'], 1));
  const sampler = (() => {
    switch ((env['OTEL_TRACES_SAMPLER'] ?? 'parentbased_always_on').toLowerCase()) {
      case 'always_on':
        return new AlwaysOnSampler();
      case 'always_off':
        return new AlwaysOffSampler();
      case 'traceidratio':
        return new TraceIdRatioBasedSampler(ratio);
      case 'parentbased_always_off':
        return new ParentBasedSampler({ root: new AlwaysOffSampler() });
      case 'parentbased_traceidratio':
        return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
      default:
        return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    }
  })();
  const timeoutMillis = num(env['OTEL_EXPORTER_OTLP_TIMEOUT'], 10_000);
  // The exporters' own credentials (e.g. the registry token in OTEL_EXPORTER_OTLP_HEADERS) are never exported as data.
  for (const signal of ['TRACES', 'METRICS'] as const) for (const value of Object.values(otlpHeaders(env, signal))) redactor.add(value.replace(/^(Bearer|Basic)\s+/i, ''));
  const url = tracesEndpoint(env);
  const processor = new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url, headers: otlpHeaders(env, 'TRACES'), timeoutMillis }),
    // The bounded queue: spans beyond it are dropped, never buffered without limit.
    maxQueueSize: Math.max(1, num(env['OTEL_BSP_MAX_QUEUE_SIZE'], 2048)),
    maxExportBatchSize: Math.max(1, num(env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'], 512)),
    scheduledDelayMillis: num(env['OTEL_BSP_SCHEDULE_DELAY'], 5000),
    exportTimeoutMillis: num(env['OTEL_BSP_EXPORT_TIMEOUT'], 30_000),
  });
  const tracerProvider = new TracerProvider({ resource, sampler, spanProcessors: [processor] });
  const metricsOn = (env['OTEL_METRICS_EXPORTER'] ?? 'otlp').toLowerCase() !== 'none';
  const meterProvider = new MeterProvider({
    resource,
    readers: metricsOn ? [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: metricsEndpoint(env), headers: otlpHeaders(env, 'METRICS'), timeoutMillis }), exportIntervalMillis: num(env['OTEL_METRIC_EXPORT_INTERVAL'], 60_000) })] : [],
  });
  const captureContent = (env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'] ?? '').toLowerCase() === 'true';
  setTelemetry(otelSink(tracerProvider.getTracer('vib3-embed', KIT_VERSION), meterProvider.getMeter('vib3-embed', KIT_VERSION), { captureContent }));
  let stopped: Promise<void> | undefined;
  return {
    tracesEndpoint: url,
    shutdown() {
      stopped ??= (async () => {
        setTelemetry(undefined);
        await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      })();
      return stopped;
    },
  };
}
