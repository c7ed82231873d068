/**
 * The tables of the OTLP receiver (migration 10 in `../schema.ts`): spans with the columns the
 * dashboard groups by pulled out of their attributes, and metric data points. Both carry their
 * own time and `received_at`; the retention sweep deletes rows older than the retention by either.
 * PostgreSQL 15 SQL; PGlite runs it too.
 */

/** Migration 10: `telemetry_spans`, `telemetry_points`. */
export const TELEMETRY_MIGRATION_SQL = `
-- One row per span. Denormalised: service (resource service.name), operation
-- (gen_ai.operation.name), tool, model, provider, mcp method, extension id, error class and code,
-- tokens, cost and render scale; every other attribute stays in attributes (content attributes
-- only when telemetry.storeContent is on). error = status ERROR or an error.type.
CREATE TABLE telemetry_spans (
  id              bigserial PRIMARY KEY,
  trace_id        text NOT NULL,
  span_id         text NOT NULL,
  parent_span_id  text,
  name            text NOT NULL,
  kind            smallint NOT NULL DEFAULT 0,
  service         text,
  scope           text,
  operation       text,
  tool            text,
  model           text,
  provider        text,
  mcp_method      text,
  extension_id    text,
  error_type      text,
  error_code      text,
  status          smallint NOT NULL DEFAULT 0,
  error           boolean NOT NULL DEFAULT false,
  start_time      timestamptz NOT NULL,
  duration_ms     double precision NOT NULL,
  input_tokens    bigint,
  output_tokens   bigint,
  cost_usd        numeric,
  render_scale    double precision,
  attributes      jsonb NOT NULL DEFAULT '{}',
  resource        jsonb NOT NULL DEFAULT '{}',
  events          jsonb NOT NULL DEFAULT '[]',
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telemetry_spans_time ON telemetry_spans (start_time);
CREATE INDEX telemetry_spans_received ON telemetry_spans (received_at);
CREATE INDEX telemetry_spans_operation ON telemetry_spans (operation, start_time);

-- One row per metric data point. series identifies a time series (resource, scope, metric,
-- point attributes, start time): cumulative points of one series are read as a running total.
-- temporality: 0 unspecified (gauges), 1 delta, 2 cumulative.
CREATE TABLE telemetry_points (
  id               bigserial PRIMARY KEY,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('gauge', 'sum', 'histogram', 'exponential_histogram', 'summary')),
  unit             text,
  temporality      smallint NOT NULL DEFAULT 0,
  monotonic        boolean,
  service          text,
  series           text NOT NULL,
  start_time       timestamptz,
  time             timestamptz NOT NULL,
  attributes       jsonb NOT NULL DEFAULT '{}',
  value            double precision,
  count            bigint,
  sum              double precision,
  min              double precision,
  max              double precision,
  bucket_counts    jsonb,
  explicit_bounds  jsonb,
  received_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telemetry_points_time ON telemetry_points (time);
CREATE INDEX telemetry_points_received ON telemetry_points (received_at);
CREATE INDEX telemetry_points_series ON telemetry_points (name, series, time);
`;
