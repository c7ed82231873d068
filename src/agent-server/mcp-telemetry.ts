/**
 * Telemetry of the MCP server: one `{mcp.method.name} {target}` span per request and the
 * `mcp.server.operation.duration` histogram (OpenTelemetry's MCP conventions), with `error.type`
 * from the error's code — a refused tool call (an `isError` result) counts as failed too.
 */
import { telemetry, type Attributes, type TelemetrySpan } from '../telemetry/sink.js';
import { errorClassOf } from '../telemetry/error-classes.js';

/** The code of a thrown protocol error (`data.code`) or of a coded error. */
function codeOf(err: unknown): string {
  const e = err as { data?: { code?: unknown }; code?: unknown };
  if (typeof e?.data?.code === 'string') return e.data.code;
  return typeof e?.code === 'string' ? e.code : 'INTERNAL';
}

/**
 * Runs one MCP request inside its span. `work` may return `{ errorCode }` besides its result to
 * mark a request that answered but failed (a tool's error envelope).
 */
export async function mcpSpan<T>(method: string, target: string | undefined, attributes: Attributes, work: (span: TelemetrySpan) => Promise<{ result: T; errorCode?: string }>): Promise<T> {
  const sink = telemetry();
  const attrs: Attributes = { 'mcp.method.name': method, ...attributes };
  const span = sink.startSpan(target ? `${method} ${target}` : method, attrs);
  const started = performance.now();
  let code: string | undefined;
  try {
    const { result, errorCode } = await work(span);
    code = errorCode;
    if (errorCode) span.fail(errorCode);
    return result;
  } catch (err) {
    code = codeOf(err);
    span.fail(code, (err as Error)?.message);
    throw err;
  } finally {
    span.end();
    sink.record('mcp.server.operation.duration', (performance.now() - started) / 1000, { 'mcp.method.name': method, 'gen_ai.tool.name': attributes['gen_ai.tool.name'], 'network.transport': attributes['network.transport'], 'error.type': code ? errorClassOf(code) : undefined });
  }
}
