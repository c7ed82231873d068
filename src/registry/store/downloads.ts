/**
 * The download counter of each extension (`extensions.downloads`): one more for every package
 * download the registry answers with bytes (not for a 304). It is the `stats.installs` of the
 * extension's listing.
 */
import type { Queryable } from '../db/database.js';

/** Counts one download of `id` (an unknown id counts nothing). */
export async function countDownload(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE extensions SET downloads = downloads + 1 WHERE id = $1', [id]);
}
