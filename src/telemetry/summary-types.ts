/**
 * The wire type of the registry's `GET /v1/telemetry/summary` (docs/TELEMETRY.md "The registry's
 * receiver and dashboard API"): one definition for the registry that answers it
 * (src/registry/telemetry/summary.ts) and `<vib3-telemetry-dashboard>` that shows it. Types only.
 */

/** Latency of a group of spans, in ms (null without spans). */
export interface TelemetryLatency {
  p50Ms: number | null;
  p95Ms: number | null;
}

/** The answer of `GET /v1/telemetry/summary`. */
export interface TelemetrySummary {
  since: string;
  until: string;
  /** `execute_tool` spans (not MCP requests) by `gen_ai.tool.name`. */
  tools: Array<{ tool: string; calls: number; errors: number; errorRate: number } & TelemetryLatency>;
  /** Failed spans by `error.type`, with the class's suggested action when it is one of the kit's classes. */
  errorClasses: Array<{ errorType: string; count: number; action?: string }>;
  /** `chat` spans by provider and model. */
  models: Array<{ provider: string; model: string; steps: number; inputTokens: number; outputTokens: number; costUsd: number }>;
  /** MCP requests by `mcp.method.name`. */
  mcp: Array<{ method: string; calls: number; errorRate: number } & TelemetryLatency>;
  /**
   * `vib3.marketplace.install` spans whose `vib3.install.operation` is `install`, `update`,
   * `channel` or `rollback` (not `uninstall`); `byOperation`: every such span by its operation.
   */
  installs: { count: number; failures: number; byOperation: Array<{ operation: string; count: number; failures: number } & TelemetryLatency> } & TelemetryLatency;
  /** `vib3.render.frame_time` histograms merged; `le: null` is the overflow bucket. */
  frameTime: { count: number; buckets: Array<{ le: number | null; count: number }> } & TelemetryLatency;
  /** Frames (frame-time histogram counts by their `vib3.render.scale`) plus spans carrying `vib3.render.scale`, by scale. */
  renderScale: Array<{ scale: number; count: number }>;
  /** `vib3.extension.crashes` by `vib3.extension.id`. */
  extensionCrashes: Array<{ extension: string; count: number }>;
  /** `invoke_agent` spans: agent sessions. */
  sessions: { count: number } & TelemetryLatency;
  /** Present (true) when a metric read hit the point limit: `frameTime`, `renderScale` and `extensionCrashes` then cover only the newest points. */
  truncated?: true;
}
