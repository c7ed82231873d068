/**
 * `GET /v1/compliance`: the seed's "schema compliance" metric over what the registry serves (every
 * version not yanked) — how many pass every compliance check, required and advisory, and each
 * check's passes and failures (docs/MARKETPLACE-POLICY.md). Required checks always pass for stored
 * versions (a publish that fails one is refused), so `share` measures the advisory ones: the goal
 * is 1. Versions published before compliance reports existed count in `versions` and `unchecked`,
 * never as passing.
 */
import { Hono } from 'hono';
import type { RegistryContext } from '../context.js';
import type { Queryable } from '../db/database.js';

/** The answer of `GET /v1/compliance`. */
export interface ComplianceSummary {
  /** Versions not yanked. */
  versions: number;
  /** Of those, the ones that pass every check (required and advisory). */
  passingAll: number;
  /** passingAll / versions (1 when there are no versions). */
  share: number;
  /** Versions whose required checks all pass (all stored reports do). */
  passingRequired: number;
  /** Versions stored without a report (published before reports existed). */
  unchecked: number;
  /** Per check code: versions that pass it and versions that fail it. */
  byCheck: Record<string, { passed: number; failed: number }>;
}

/** Computes the summary in the database (jsonb), so it scales with the catalogue. */
export async function complianceSummary(db: Queryable): Promise<ComplianceSummary> {
  const totals = await db.query<{ versions: string | number; unchecked: string | number; passing_all: string | number; passing_required: string | number }>(
    `SELECT count(*) AS versions,
            count(*) FILTER (WHERE compliance IS NULL) AS unchecked,
            count(*) FILTER (WHERE compliance IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM jsonb_array_elements(compliance -> 'checks') AS c WHERE (c ->> 'ok') IS DISTINCT FROM 'true')) AS passing_all,
            count(*) FILTER (WHERE compliance ->> 'ok' = 'true') AS passing_required
       FROM versions WHERE yanked_at IS NULL`,
  );
  const byCheck = await db.query<{ code: string; passed: string | number; failed: string | number }>(
    `SELECT c ->> 'code' AS code,
            count(*) FILTER (WHERE c ->> 'ok' = 'true') AS passed,
            count(*) FILTER (WHERE (c ->> 'ok') IS DISTINCT FROM 'true') AS failed
       FROM versions v, jsonb_array_elements(v.compliance -> 'checks') AS c
      WHERE v.yanked_at IS NULL AND v.compliance IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
  );
  const row = totals.rows[0];
  const versions = Number(row?.versions ?? 0);
  const passingAll = Number(row?.passing_all ?? 0);
  return {
    versions,
    passingAll,
    share: versions === 0 ? 1 : passingAll / versions,
    passingRequired: Number(row?.passing_required ?? 0),
    unchecked: Number(row?.unchecked ?? 0),
    byCheck: Object.fromEntries(byCheck.rows.map((r) => [r.code, { passed: Number(r.passed), failed: Number(r.failed) }])),
  };
}

/** The compliance routes of a registry. */
export function complianceRoutes(ctx: RegistryContext): Hono {
  const app = new Hono();
  app.get('/', async (c) => c.json(await complianceSummary(ctx.db), 200, { 'Cache-Control': 'no-cache' }));
  return app;
}
