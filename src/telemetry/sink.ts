/**
 * The kit's telemetry seam. Instrumented code (agent sessions, the router, the MCP server, the
 * installer) reports through {@link telemetry}, which does nothing until a host installs a sink
 * with {@link setTelemetry} — the Node side installs one over the OpenTelemetry SDK when the
 * standard `OTEL_*` variables configure an exporter (`src/agent-server/telemetry-node.ts`). So code
 * that never turns telemetry on pays one function call, and browser bundles carry no
 * OpenTelemetry code. Browser-safe; imports nothing.
 */

/** Span and event attribute values (OpenTelemetry's primitive types). */
export type AttributeValue = string | number | boolean | string[] | number[];

/** Attributes of a span, an event or a measurement (undefined values are left out). */
export type Attributes = Record<string, AttributeValue | undefined>;

/** One span the kit opened. */
export interface TelemetrySpan {
  /** Adds or replaces attributes. */
  setAttributes(attributes: Attributes): void;
  /** Renames the span (a chat span learns its model when the answer starts). */
  rename(name: string): void;
  /** A point-in-time event on the span (router decisions, approvals). */
  addEvent(name: string, attributes?: Attributes): void;
  /** Marks the span failed with a stable error code: `error.type` is the code's class, `vib3.error.code` the code. */
  fail(code: string, message?: string): void;
  /** Ends the span (once; later calls are ignored). */
  end(): void;
}

/** Where spans and measurements go. */
export interface TelemetrySink {
  /** Opens a span, as a child of `parent` when given. */
  startSpan(name: string, attributes?: Attributes, parent?: TelemetrySpan): TelemetrySpan;
  /** Records one measurement of a histogram or counter named in the taxonomy. */
  record(metric: string, value: number, attributes?: Attributes): void;
  /** Whether content attributes (prompts, tool arguments and results) may be recorded. */
  readonly captureContent: boolean;
}

const noopSpan: TelemetrySpan = { setAttributes() {}, rename() {}, addEvent() {}, fail() {}, end() {} };

/** The sink used while telemetry is off. */
export const noopTelemetry: TelemetrySink = { startSpan: () => noopSpan, record() {}, captureContent: false };

/**
 * The current sink lives in one global slot, not in this module: a page may load the kit's entry
 * (`vib3-embed.js`) and the extension runtime (`extensions/runtime.js`, `vib3-extensions.iife.js`)
 * as separate bundles, each with its own copy of this module, and a sink the page installs must
 * reach both.
 */
const SLOT = Symbol.for('vib3.telemetry.sink');
type Slot = { [SLOT]?: TelemetrySink };
const slot = globalThis as Slot;

/** The current sink (the no-op one until a host calls {@link setTelemetry}). */
export function telemetry(): TelemetrySink {
  return slot[SLOT] ?? noopTelemetry;
}

/** Installs a sink; `undefined` turns telemetry off again. */
export function setTelemetry(sink: TelemetrySink | undefined): void {
  if (sink && sink !== noopTelemetry) slot[SLOT] = sink;
  else delete slot[SLOT];
}

/** Whether a sink is installed (instrumented hot paths check this before measuring anything). */
export function telemetryOn(): boolean {
  return slot[SLOT] !== undefined;
}

/** Runs `work` inside a span that ends when it settles; a thrown coded error fails the span with its code. */
export async function withSpan<T>(name: string, attributes: Attributes, work: (span: TelemetrySpan) => Promise<T>, parent?: TelemetrySpan): Promise<T> {
  const span = telemetry().startSpan(name, attributes, parent);
  try {
    return await work(span);
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    span.fail(typeof code === 'string' ? code : 'INTERNAL', (err as Error)?.message);
    throw err;
  } finally {
    span.end();
  }
}
