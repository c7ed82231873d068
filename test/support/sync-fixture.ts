// Partner sync statuses on the browser fixture's registry (`POST /sync-status` of
// registry-fixture.ts), for the admin view's tests: the partners `npm` and `mcp-registry` are
// enabled, a listing event of com.acme.shapes is queued for both, and a worker pushes it through
// in-memory adapters — npm accepts it (synced), mcp-registry refuses it with a 400 and its error
// body (a dead letter). Touches only the sync tables: listings and search stay as they were.
import { createHash } from 'node:crypto';
import type { RunningRegistry } from '../../src/registry/server.js';
import type { PartnerAdapter } from '../../src/listings/partners/adapter.js';
import type { PartnerLink, PartnerSetting } from '../../src/registry/sync/adapters.js';
import { registerPartners } from '../../src/registry/sync/rate-limit.js';
import { enqueueSync } from '../../src/registry/sync/outbox.js';
import { SyncWorker } from '../../src/registry/sync/worker.js';

const adapter = (target: 'npm' | 'mcp-registry'): PartnerAdapter => ({
  target,
  async prepare(listing) {
    const document = { id: listing.id, version: listing.version, title: listing.title };
    return { target, document, files: new Map(), findings: [], digest: createHash('sha256').update(JSON.stringify(document)).digest('hex') };
  },
  async push() {
    if (target === 'npm') return { remoteId: 'npm:com.acme.shapes', alreadyApplied: false };
    throw Object.assign(new Error('The partner answered 400.'), { code: 'PARTNER_REFUSED', retryable: false, status: 400, detail: '{"error":"server.json: name must be in reverse-DNS form"}' });
  },
});

/** Sets the statuses up (again: a retried dead letter is refused again) and answers the admin token. */
export async function syncStatusFixture(reg: RunningRegistry, base: string): Promise<{ adminToken: string }> {
  const settings: PartnerSetting[] = (['npm', 'mcp-registry'] as const).map((partner) => ({ partner, enabled: true, ratePerMinute: 1_000_000, config: { url: 'memory:' } }));
  const db = reg.context.db;
  await registerPartners(db, settings);
  await db.transaction((tx) => enqueueSync(tx, { extensionId: 'com.acme.shapes', event: 'listing' }));
  const partners = new Map<string, PartnerLink>(settings.map((s) => [s.partner, { setting: s, adapter: adapter(s.partner as 'npm' | 'mcp-registry') }]));
  await new SyncWorker({ db, blobs: reg.context.blobs, partners, registryUrl: base }).drain();
  return { adminToken: reg.adminToken };
}
