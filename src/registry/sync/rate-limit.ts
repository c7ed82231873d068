/**
 * Per-partner rate limits shared by every process: `sync_partners.next_allowed_at` is the earliest
 * time of the partner's next push. Taking a slot is one conditional UPDATE (row-locked, re-checked
 * under concurrency by PostgreSQL), so two workers anywhere never take the same slot.
 */
import type { Queryable } from '../db/database.js';
import type { PartnerSetting } from './adapters.js';

/** The outcome of {@link takeSlot}: go now, or not before `retryAt`. */
export type Slot = { ok: true } | { ok: false; retryAt: Date };

/** Takes the partner's next push slot if it is due, moving it on by 60000 / rate_per_minute ms. */
export async function takeSlot(db: Queryable, partner: string): Promise<Slot> {
  const taken = await db.query(
    `UPDATE sync_partners SET next_allowed_at = now() + (60000.0 / rate_per_minute) * interval '1 millisecond'
      WHERE partner = $1 AND next_allowed_at <= now() RETURNING partner`,
    [partner],
  );
  if (taken.rows.length) return { ok: true };
  const { rows } = await db.query<{ next_allowed_at: Date }>('SELECT next_allowed_at FROM sync_partners WHERE partner = $1', [partner]);
  // A partner missing from the table has no limit to wait for (it is not enabled either: claims skip it).
  return rows[0] ? { ok: false, retryAt: new Date(rows[0].next_allowed_at) } : { ok: true };
}

/**
 * Makes the partners of `settings` known to the database: enabled or not and their rate. Every
 * process with `--sync` does this at start; give them all the same specs.
 */
export async function registerPartners(db: Queryable, settings: readonly PartnerSetting[]): Promise<void> {
  for (const s of settings) {
    await db.query(
      `INSERT INTO sync_partners (partner, enabled, rate_per_minute) VALUES ($1, $2, $3)
       ON CONFLICT (partner) DO UPDATE SET enabled = EXCLUDED.enabled, rate_per_minute = EXCLUDED.rate_per_minute`,
      [s.partner, s.enabled, s.ratePerMinute],
    );
  }
}
