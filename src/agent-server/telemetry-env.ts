/**
 * What the standard OpenTelemetry environment variables say (OTEL_EXPORTER_OTLP_*, OTEL_SDK_DISABLED,
 * …), read without loading the SDK, so a process with telemetry off never loads it. Node-only.
 */

/** A non-negative number from a variable, else `fallback`. */
export const num = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** Whether the environment turns telemetry on (an OTLP endpoint, and the SDK not disabled). */
export function telemetryConfigured(env: Record<string, string | undefined>): boolean {
  if ((env['OTEL_SDK_DISABLED'] ?? '').toLowerCase() === 'true') return false;
  if ((env['OTEL_TRACES_EXPORTER'] ?? 'otlp').toLowerCase() === 'none') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT']);
}

/** The traces URL: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` (as the specification says). */
export function tracesEndpoint(env: Record<string, string | undefined>): string {
  const specific = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  if (specific) return specific;
  return `${(env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '').replace(/\/+$/, '')}/v1/traces`;
}

/** The metrics URL, likewise. */
export function metricsEndpoint(env: Record<string, string | undefined>): string {
  const specific = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'];
  if (specific) return specific;
  return `${(env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '').replace(/\/+$/, '')}/v1/metrics`;
}

/** `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`, values URL-encoded). */
export function otlpHeaders(env: Record<string, string | undefined>, signal: 'TRACES' | 'METRICS'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of [env['OTEL_EXPORTER_OTLP_HEADERS'], env[`OTEL_EXPORTER_OTLP_${signal}_HEADERS`]]) {
    for (const pair of (raw ?? '').split(',')) {
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const decode = (text: string) => {
        try {
          return decodeURIComponent(text);
        } catch {
          return text; // a malformed % escape is taken as written, not a crash at startup
        }
      };
      out[decode(pair.slice(0, at).trim())] = decode(pair.slice(at + 1).trim());
    }
  }
  return out;
}

