/**
 * A {@link TelemetrySink} over the OpenTelemetry API: kit spans become OTel spans (children
 * through OTel contexts), measurements go to histograms and counters named in the taxonomy.
 * Every attribute passes {@link cleanAttributes}: content attributes are dropped unless content
 * capture is on, strings are redacted (keys, tokens) and cut. Used by the Node wiring
 * (`src/agent-server/telemetry-node.ts`); imports only `@opentelemetry/api`.
 */
import { context, SpanStatusCode, trace, type Attributes as OtelAttributes, type Counter, type Histogram, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { redactor } from '../agent/llm/secrets.js';
import { errorClassOf } from './error-classes.js';
import { ATTRIBUTES, SIGNALS } from './taxonomy.js';
import type { Attributes, TelemetrySink, TelemetrySpan } from './sink.js';

/** Longest string attribute kept (characters); longer ones are cut with a marker. */
export const MAX_ATTRIBUTE_CHARS = 4096;
/** Most items of an array attribute kept. */
export const MAX_ARRAY_ITEMS = 64;

const CONTENT = new Set(Object.entries(ATTRIBUTES).filter(([, spec]) => (spec as { content?: boolean }).content).map(([name]) => name));

/** Attributes as they may leave the process: no undefined, no content unless captured, redacted, cut. */
export function cleanAttributes(attributes: Attributes | undefined, captureContent: boolean): OtelAttributes {
  const out: OtelAttributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || (CONTENT.has(key) && !captureContent)) continue;
    if (typeof value === 'string') {
      const text = redactor.redact(value);
      out[key] = text.length > MAX_ATTRIBUTE_CHARS ? `${text.slice(0, MAX_ATTRIBUTE_CHARS)}…[cut]` : text;
    } else if (Array.isArray(value)) {
      out[key] = (value as (string | number)[]).slice(0, MAX_ARRAY_ITEMS).map((v) => (typeof v === 'string' ? redactor.redact(v).slice(0, MAX_ATTRIBUTE_CHARS) : v)) as string[] | number[];
    } else {
      out[key] = value;
    }
  }
  return out;
}

class OtelSpan implements TelemetrySpan {
  private ended = false;
  constructor(
    readonly span: Span,
    private readonly captureContent: boolean,
  ) {}
  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(cleanAttributes(attributes, this.captureContent));
  }
  rename(name: string): void {
    this.span.updateName(name);
  }
  addEvent(name: string, attributes?: Attributes): void {
    this.span.addEvent(name, cleanAttributes(attributes, this.captureContent));
  }
  fail(code: string, message?: string): void {
    this.span.setAttributes({ 'error.type': errorClassOf(code), 'vib3.error.code': code });
    // An error message can quote a prompt or a tool's input: it is content, kept only with content
    // capture (the code and its class already say what failed).
    this.span.setStatus({ code: SpanStatusCode.ERROR, ...(message && this.captureContent ? { message: redactor.redact(message).slice(0, MAX_ATTRIBUTE_CHARS) } : {}) });
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }
}

/** Options of {@link otelSink}. */
export interface OtelSinkOptions {
  /** Record prompts, tool arguments and results (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`). Default off. */
  captureContent?: boolean;
}

/** A sink writing to an OpenTelemetry tracer and meter. */
export function otelSink(tracer: Tracer, meter: Meter, options: OtelSinkOptions = {}): TelemetrySink {
  const captureContent = options.captureContent === true;
  const instruments = new Map<string, Histogram | Counter>();
  const instrument = (name: string): Histogram | Counter | undefined => {
    let found = instruments.get(name);
    if (found) return found;
    const spec = SIGNALS.find((s) => s.name === name && (s.kind === 'histogram' || s.kind === 'counter'));
    if (!spec) return undefined;
    const opts = { description: spec.description, ...(spec.unit ? { unit: spec.unit } : {}) };
    found = spec.kind === 'counter' ? meter.createCounter(name, opts) : meter.createHistogram(name, opts);
    instruments.set(name, found);
    return found;
  };
  return {
    captureContent,
    startSpan(name, attributes, parent) {
      const ctx = parent instanceof OtelSpan ? trace.setSpan(context.active(), parent.span) : context.active();
      return new OtelSpan(tracer.startSpan(name, { attributes: cleanAttributes(attributes, captureContent) }, ctx), captureContent);
    },
    record(metric, value, attributes) {
      const i = instrument(metric);
      if (!i) return;
      const attrs = cleanAttributes(attributes, false);
      // A measurement that names its error code carries the code's class too (callers in browser
      // bundles pass the code only, so the class table loads with the sink, not with them).
      if (typeof attrs['vib3.error.code'] === 'string' && attrs['error.type'] === undefined) attrs['error.type'] = errorClassOf(attrs['vib3.error.code']);
      if ('record' in i) i.record(value, attrs);
      else i.add(value, attrs);
    },
  };
}
