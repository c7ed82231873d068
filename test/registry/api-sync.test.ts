// The partner sync engine on a real registry (PGlite + files, or PostgreSQL + S3 when
// VIB3_REGISTRY_BACKEND=postgres), pushing to a fake partner on loopback that this file controls:
//   A. in-process workers (`--sync-workers 1`) under faults — the partner answers 500, 429 with
//      Retry-After, hangs, is down for several attempts, refuses with 400 — retried, nothing lost,
//      each idempotency key applied once; dead letters, the retry route, listing edits, dry runs,
//      skipped unchanged listings, the listing document and its install counter.
//   B. the outbox itself (no background workers; the test drives a SyncWorker): rows written in the
//      publish / channel / yank / listing transactions and none when that transaction fails,
//      the shared rate limit, attempts exhausted, an expired lease taken over, refused listings.
// No wall-clock thresholds: every wait is for a condition (the node:test timeout is a hang guard);
// the Retry-After check compares the partner's own receive times.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';
import { FakePartner, testAdapter } from './sync-fakes.js';
import { parseSyncSpec } from '../../src/registry/sync/adapters.js';
import { SyncWorker } from '../../src/registry/sync/worker.js';
import { claimRows, completeRow } from '../../src/registry/sync/claim.js';
import type { Database } from '../../src/registry/db/database.js';

const HANG_GUARD = { timeout: 180_000 };

type Row = { id: number; extension_id: string; partner: string; event: string; version: string; idempotency_key: string; state: string; attempts: number; worker: string | null; last_error: any; next_attempt_at: Date };
const rowsOf = async (db: Database, id: string): Promise<Row[]> =>
  (await db.query<Row>('SELECT * FROM sync_outbox WHERE extension_id = $1 ORDER BY id', [id])).rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), last_error: typeof r.last_error === 'string' ? JSON.parse(r.last_error) : r.last_error }));

/** Polls `check` until it returns a value (not undefined / false). */
async function until<T>(check: () => Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await sleep(15);
  }
}

const settled = (rows: Row[]) => rows.length > 0 && rows.every((r) => ['done', 'skipped', 'dead'].includes(r.state));

async function release(reg: TestRegistry, pub: TestPublisher, id: string, version: string, spec: { tags?: string[]; title?: string } = {}): Promise<void> {
  const res = await publish(reg.url, pub.token, id, version, await makePackage(pub, { id, version, ...spec }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

describe(`[${BACKEND}] A: in-process workers against a faulty partner`, () => {
  let reg: TestRegistry;
  let acme: TestPublisher;
  let globex: TestPublisher;
  const partner = new FakePartner();
  const db = () => reg.context.db;
  const settle = (id: string) => until(async () => (settled(await rowsOf(db(), id)) ? rowsOf(db(), id) : undefined));

  before(async () => {
    await partner.start();
    reg = await startTestRegistry({
      settings: {
        sync: {
          partners: [parseSyncSpec(`npm=${partner.url},token=partner-secret,rate=1000000`)],
          adapters: { npm: () => testAdapter('npm') },
          workers: 1,
          tuning: { pushTimeoutMs: 2000, leaseMarginMs: 5000, backoffBaseMs: 40, backoffMaxMs: 300, idleMs: 15, maxAttempts: 60 },
        },
      },
    });
    acme = await createPublisher(reg, 'acme');
    globex = await createPublisher(reg, 'globex');
  });
  after(async () => {
    await reg?.close();
    await partner.stop();
  });

  test('500 then 200: retried with the same idempotency key, applied once, state synced', HANG_GUARD, async () => {
    partner.script('com.acme.flaky', { status: 500 });
    await release(reg, acme, 'com.acme.flaky', '1.0.0', { title: 'Flaky' });
    const [row] = await settle('com.acme.flaky');
    assert.equal(row!.state, 'done');
    assert.equal(row!.attempts, 2);
    const reqs = partner.requestsFor('com.acme.flaky');
    assert.deepEqual(reqs.map((r) => r.outcome), ['failed', 'applied']);
    assert.deepEqual(new Set(reqs.map((r) => r.key)), new Set([row!.idempotency_key]));
    assert.equal(partner.applied.get(row!.idempotency_key), 1);
    const status = await api(reg.url, '/v1/extensions/com.acme.flaky/sync', { token: acme.token });
    assert.equal(status.status, 200, JSON.stringify(status.body));
    assert.deepEqual(
      status.body.partners.map((p: any) => [p.partner, p.status, p.pushedVersion, p.remoteId, p.lastError, p.latest.state]),
      [['npm', 'synced', '1.0.0', 'remote-com.acme.flaky', null, 'done']],
    );
    assert.equal((await api(reg.url, '/v1/extensions/com.acme.flaky/sync', { token: globex.token })).body.error.code, 'NAMESPACE_OWNED');
  });

  test('429 with Retry-After: the partner sees the retry no sooner than Retry-After after the first request (its own clock)', HANG_GUARD, async () => {
    partner.script('com.acme.busy', { status: 429, headers: { 'retry-after': '1' } });
    await release(reg, acme, 'com.acme.busy', '1.0.0');
    const [row] = await settle('com.acme.busy');
    assert.equal(row!.state, 'done');
    const [first, second, ...rest] = partner.requestsFor('com.acme.busy');
    assert.equal(rest.length, 0);
    assert.equal(first!.outcome, 'failed');
    assert.equal(second!.outcome, 'applied');
    assert.ok(second!.at - first!.at >= 1000, `retried ${second!.at - first!.at} ms after a Retry-After of 1 s`);
  });

  test('a partner that hangs: the push deadline aborts it, the row is retried and done', HANG_GUARD, async () => {
    partner.script('com.acme.stuck', 'hang');
    await release(reg, acme, 'com.acme.stuck', '1.0.0');
    const [row] = await settle('com.acme.stuck');
    assert.equal(row!.state, 'done');
    assert.equal(row!.attempts, 2);
    assert.deepEqual(partner.requestsFor('com.acme.stuck').map((r) => r.outcome), ['hung', 'applied']);
  });

  test('a partner that is down for several attempts: retried with backoff until it is back, then done once', HANG_GUARD, async () => {
    await partner.stop();
    await release(reg, acme, 'com.acme.offline', '1.0.0');
    const failing = await until(async () => {
      const [r] = await rowsOf(db(), 'com.acme.offline');
      return r && r.attempts >= 3 && r.state === 'pending' ? r : undefined;
    });
    assert.equal(failing.last_error.code, 'PARTNER_UNREACHABLE');
    assert.equal(failing.last_error.retryable, true);
    const lane = (await api(reg.url, '/v1/extensions/com.acme.offline/sync', { token: acme.token })).body.partners[0];
    assert.equal(lane.status, 'retrying');
    assert.equal(lane.lastError.code, 'PARTNER_UNREACHABLE');
    await partner.start(); // the same port
    const [row] = await settle('com.acme.offline');
    assert.equal(row!.state, 'done');
    assert.ok(row!.attempts >= 4);
    assert.deepEqual(partner.requestsFor('com.acme.offline').map((r) => r.outcome), ['applied']);
    assert.equal(partner.applied.get(row!.idempotency_key), 1);
  });

  test('400 is not retried: a dead letter with the partner\'s body; the retry route sends it back and it is pushed', HANG_GUARD, async () => {
    partner.script('com.acme.refused', { status: 400, body: '{"error":"the name refused is reserved"}' });
    await release(reg, acme, 'com.acme.refused', '1.0.0');
    const [dead] = await settle('com.acme.refused');
    assert.equal(dead!.state, 'dead');
    assert.equal(dead!.attempts, 1);
    assert.deepEqual([dead!.last_error.code, dead!.last_error.status, dead!.last_error.retryable], ['PARTNER_REFUSED', 400, false]);
    assert.match(dead!.last_error.detail, /the name refused is reserved/);

    assert.equal((await api(reg.url, '/v1/sync', { token: acme.token })).body.error.code, 'ADMIN_REQUIRED');
    const overview = await api(reg.url, '/v1/sync', { token: reg.adminToken });
    assert.equal(overview.status, 200);
    const letter = overview.body.dead.find((d: any) => d.extensionId === 'com.acme.refused');
    assert.equal(letter.rowId, dead!.id);
    assert.match(letter.lastError.detail, /reserved/);
    assert.ok(overview.body.partners.find((p: any) => p.partner === 'npm').counts.dead >= 1);

    const retried = await api(reg.url, `/v1/sync/${dead!.id}/retry`, { method: 'POST', token: reg.adminToken });
    assert.deepEqual([retried.status, retried.body.state], [200, 'pending']);
    const [row] = await settle('com.acme.refused');
    assert.equal(row!.state, 'done');
    assert.equal(partner.applied.get(row!.idempotency_key), 1);
    assert.equal((await api(reg.url, `/v1/sync/${dead!.id}/retry`, { method: 'POST', token: reg.adminToken })).body.error.code, 'SYNC_ROW_NOT_DEAD');
    assert.equal((await api(reg.url, '/v1/sync/999999/retry', { method: 'POST', token: reg.adminToken })).body.error.code, 'SYNC_ROW_NOT_FOUND');
  });

  test('GET …/listing: the listing document with registry facts; package downloads count as installs', HANG_GUARD, async () => {
    const res = await api(reg.url, '/v1/extensions/com.acme.flaky/listing');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const l = res.body;
    assert.deepEqual([l.$schema, l.id, l.version, l.title, l.publisher.name, l.publisher.tier, l.channels.stable, l.links.registry], ['https://schemas.vib3.dev/listing/1.json', 'com.acme.flaky', '1.0.0', 'Flaky', 'acme', 'community', '1.0.0', `${reg.url}/v1/extensions/com.acme.flaky`]);
    assert.ok(l.tools.length > 0, 'tools come from the package tool pack');
    const installs = l.stats.installs;
    for (let i = 0; i < 2; i++) assert.equal((await fetch(`${reg.url}/v1/extensions/com.acme.flaky/1.0.0/package`)).status, 200);
    assert.equal((await api(reg.url, '/v1/extensions/com.acme.flaky/listing')).body.stats.installs, installs + 2);
    assert.equal((await api(reg.url, '/v1/extensions/com.acme.nothing/listing')).body.error.code, 'EXTENSION_NOT_FOUND');
  });

  test('listing edit: validated against the manifest schema, audited, queued; the dry run shows the diff until it is pushed', HANG_GUARD, async () => {
    const id = 'com.acme.flaky';
    const before = (await rowsOf(db(), id)).length;
    const tooLong = await api(reg.url, `/v1/extensions/${id}/listing`, { method: 'PATCH', token: acme.token, json: { title: 'x'.repeat(61), tags: ['Bad Tag'] } });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.body.error.code, 'LISTING_INVALID');
    assert.deepEqual(tooLong.body.error.problems.map((p: any) => p.pointer).sort(), ['/marketplace/tags/0', '/marketplace/title']);
    assert.equal((await api(reg.url, `/v1/extensions/${id}/listing`, { method: 'PATCH', token: acme.token, json: { price: 1 } })).body.error.code, 'INVALID_LISTING_EDIT');
    assert.equal((await api(reg.url, `/v1/extensions/${id}/listing`, { method: 'PATCH', token: globex.token, json: { title: 'Mine' } })).body.error.code, 'NAMESPACE_OWNED');
    assert.equal((await rowsOf(db(), id)).length, before, 'refused edits queue nothing');

    const clean = await api(reg.url, `/v1/extensions/${id}/sync/dry-run`, { method: 'POST', token: acme.token, json: {} });
    assert.equal(clean.status, 200, JSON.stringify(clean.body));
    assert.deepEqual([clean.body.partners[0].wouldPush, clean.body.partners[0].changes], [false, []]);

    partner.script(id, { status: 400, body: '{"error":"hold on"}' }); // the edit's push becomes a dead letter: the diff stays to be seen
    const edit = await api(reg.url, `/v1/extensions/${id}/listing`, { method: 'PATCH', token: acme.token, json: { title: 'Flaky Shapes Pro', tags: ['shapes', 'pro'] } });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    assert.deepEqual([edit.body.listing.title, edit.body.listing.tags, edit.body.queued], ['Flaky Shapes Pro', ['shapes', 'pro'], 1]);
    assert.equal((await api(reg.url, `/v1/extensions/${id}/listing`)).body.title, 'Flaky Shapes Pro');
    const audit = (await (await fetch(`${reg.url}/v1/audit`)).text()).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([audit.at(-1).action, audit.at(-1).subject, audit.at(-1).details.fields], ['listing', id, ['tags', 'title']]);

    const rows = await settle(id);
    const dead = rows.at(-1)!;
    assert.deepEqual([dead.event, dead.state], ['listing', 'dead']);
    const dry = await api(reg.url, `/v1/extensions/${id}/sync/dry-run`, { method: 'POST', token: acme.token, json: { partners: ['npm'] } });
    const npm = dry.body.partners[0];
    assert.equal(npm.wouldPush, true);
    assert.deepEqual(
      npm.changes.map((c: any) => [c.path, c.op, c.before, c.after]),
      [['/tags', 'replace', ['test'], ['shapes', 'pro']], ['/title', 'replace', 'Flaky', 'Flaky Shapes Pro']],
    );
    assert.deepEqual(npm.files, { added: [], removed: [], changed: ['README.md'] });
    assert.equal((await api(reg.url, `/v1/extensions/${id}/sync/dry-run`, { method: 'POST', token: acme.token, json: { partners: ['wordpress'] } })).body.error.code, 'UNKNOWN_PARTNER');

    await api(reg.url, `/v1/sync/${dead.id}/retry`, { method: 'POST', token: reg.adminToken });
    await settle(id);
    const after = await api(reg.url, `/v1/extensions/${id}/sync/dry-run`, { method: 'POST', token: acme.token });
    assert.deepEqual([after.body.partners[0].wouldPush, after.body.partners[0].changes], [false, []]);
  });

  test('an unchanged listing is skipped, not pushed again', HANG_GUARD, async () => {
    const id = 'com.acme.flaky';
    await release(reg, acme, id, '1.1.0-beta.1');
    const moved = await api(reg.url, `/v1/extensions/${id}/channels/beta`, { method: 'PUT', token: acme.token, json: { version: '1.1.0-beta.1' } });
    assert.equal(moved.status, 200);
    const pushes = partner.requestsFor(id).length;
    const rows = await settle(id);
    assert.deepEqual(rows.slice(-2).map((r) => [r.event, r.state]), [['publish', 'skipped'], ['channel', 'skipped']]);
    assert.equal(partner.requestsFor(id).length, pushes);
  });

  test('the token routes answer CORS preflights for the admin view; writes of listings are not offered to browsers', async () => {
    const pre = await fetch(`${reg.url}/v1/sync/1/retry`, { method: 'OPTIONS', headers: { origin: 'http://admin.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    const patch = await fetch(`${reg.url}/v1/extensions/com.acme.flaky/listing`, { method: 'OPTIONS', headers: { origin: 'http://admin.test', 'access-control-request-method': 'PATCH' } });
    assert.doesNotMatch(patch.headers.get('access-control-allow-methods') ?? '', /PATCH/);
  });
});

describe(`[${BACKEND}] B: the outbox, driven by a worker of the test`, () => {
  let reg: TestRegistry;
  let acme: TestPublisher;
  const partner = new FakePartner();
  const db = () => reg.context.db;
  const worker = (tuning: ConstructorParameters<typeof SyncWorker>[0]['tuning'] = {}) =>
    new SyncWorker({ db: db(), blobs: reg.context.blobs, partners: reg.context.sync!.links, registryUrl: reg.url, tuning: { backoffBaseMs: 1, backoffMaxMs: 5, ...tuning } });

  before(async () => {
    await partner.start();
    reg = await startTestRegistry({
      settings: {
        sync: {
          partners: [parseSyncSpec(`npm=${partner.url}/npm,rate=1000000`), parseSyncSpec(`mcp-registry=${partner.url}/mcp,rate=1000000`), parseSyncSpec('wordpress=off')],
          adapters: { npm: () => testAdapter('npm'), 'mcp-registry': () => testAdapter('mcp-registry') },
          workers: 0,
        },
      },
    });
    acme = await createPublisher(reg, 'acme');
  });
  after(async () => {
    await reg?.close();
    await partner.stop();
  });

  test('publish, channel move, yank and listing edit each write one row per enabled partner', async () => {
    const id = 'com.acme.queue';
    await release(reg, acme, id, '1.0.0');
    await release(reg, acme, id, '1.1.0-beta.1');
    assert.equal((await api(reg.url, `/v1/extensions/${id}/channels/beta`, { method: 'PUT', token: acme.token, json: { version: '1.1.0-beta.1' } })).status, 200);
    assert.equal((await api(reg.url, `/v1/extensions/${id}/1.1.0-beta.1/yank`, { method: 'POST', token: acme.token, json: { reason: 'broken' } })).status, 200);
    assert.equal((await api(reg.url, `/v1/extensions/${id}/listing`, { method: 'PATCH', token: acme.token, json: { summary: 'Queued shapes.' } })).status, 200);
    const rows = await rowsOf(db(), id);
    assert.deepEqual(
      rows.map((r) => [r.event, r.version, r.partner, r.state]),
      [
        ['publish', '1.0.0', 'mcp-registry', 'pending'], ['publish', '1.0.0', 'npm', 'pending'],
        ['publish', '1.1.0-beta.1', 'mcp-registry', 'pending'], ['publish', '1.1.0-beta.1', 'npm', 'pending'],
        ['channel', '1.1.0-beta.1', 'mcp-registry', 'pending'], ['channel', '1.1.0-beta.1', 'npm', 'pending'],
        ['yank', '1.1.0-beta.1', 'mcp-registry', 'pending'], ['yank', '1.1.0-beta.1', 'npm', 'pending'],
        ['listing', '1.0.0', 'mcp-registry', 'pending'], ['listing', '1.0.0', 'npm', 'pending'],
      ],
    );
    assert.equal(new Set(rows.map((r) => r.idempotency_key)).size, rows.length);
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.idempotency_key)));

    const counts = await worker().drain();
    // Every row of a lane pushes the listing as it is now: the first push of each partner carries it, the rest are skipped.
    assert.deepEqual([counts.done, counts.skipped, counts.dead], [2, 8, 0]);
    for (const path of ['/npm', '/mcp']) {
      const got = partner.received.filter((r) => r.path.startsWith(path) && r.id === id);
      assert.deepEqual(got.map((r) => [r.body.summary, r.outcome]), [['Queued shapes.', 'applied']]);
    }
  });

  test('a change whose transaction fails writes no outbox row', async () => {
    // The audit record is each write's last statement: failing it rolls the whole transaction back.
    await db().query('CREATE TABLE fail_audit (subject text PRIMARY KEY)');
    await db().query(`CREATE FUNCTION fail_audit_check() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM fail_audit WHERE subject = split_part(NEW.record->>'subject', '@', 1)) THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await db().query('CREATE TRIGGER fail_audit_trigger BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fail_audit_check()');
    try {
      await db().query("INSERT INTO fail_audit VALUES ('com.acme.boom'), ('com.acme.queue')");
      const boom = await publish(reg.url, acme.token, 'com.acme.boom', '1.0.0', await makePackage(acme, { id: 'com.acme.boom', version: '1.0.0' }));
      assert.equal(boom.status, 500);
      const before = (await rowsOf(db(), 'com.acme.queue')).length;
      assert.equal((await api(reg.url, '/v1/extensions/com.acme.queue/channels/canary', { method: 'PUT', token: acme.token, json: { version: '1.0.0' } })).status, 500);
      assert.equal((await api(reg.url, '/v1/extensions/com.acme.queue/1.0.0/yank', { method: 'POST', token: acme.token, json: { reason: 'x' } })).status, 500);
      assert.equal((await api(reg.url, '/v1/extensions/com.acme.queue/listing', { method: 'PATCH', token: acme.token, json: { title: 'Boom' } })).status, 500);
      assert.equal((await rowsOf(db(), 'com.acme.boom')).length, 0);
      assert.equal((await rowsOf(db(), 'com.acme.queue')).length, before);
      assert.equal((await api(reg.url, '/v1/extensions/com.acme.queue/listing')).body.title !== 'Boom', true);
    } finally {
      await db().query('DROP TRIGGER fail_audit_trigger ON audit_log');
      await db().query('DROP FUNCTION fail_audit_check()');
      await db().query('DROP TABLE fail_audit');
    }
  });

  test('the rate limit is shared through the database: a partner over its rate gets the next row only at its next slot', async () => {
    await db().query("UPDATE sync_partners SET rate_per_minute = 1, next_allowed_at = now() WHERE partner = 'mcp-registry'");
    const t0 = Date.now();
    await release(reg, acme, 'com.acme.rate-one', '1.0.0');
    await release(reg, acme, 'com.acme.rate-two', '1.0.0');
    const counts = await worker().drain();
    assert.deepEqual([counts.done, counts.deferred], [3, 1]);
    const rows = [...(await rowsOf(db(), 'com.acme.rate-one')), ...(await rowsOf(db(), 'com.acme.rate-two'))].filter((r) => r.partner === 'mcp-registry');
    const waiting = rows.filter((r) => r.state === 'pending');
    assert.equal(waiting.length, 1);
    assert.equal(waiting[0]!.attempts, 0, 'a deferred row does not use up an attempt');
    const slot = (await db().query<{ next_allowed_at: Date }>("SELECT next_allowed_at FROM sync_partners WHERE partner = 'mcp-registry'")).rows[0]!.next_allowed_at;
    assert.equal(new Date(waiting[0]!.next_attempt_at).getTime(), new Date(slot).getTime());
    assert.ok(new Date(slot).getTime() >= t0 + 60_000, 'one push per minute: the next slot is a minute after this one');
    await db().query("UPDATE sync_partners SET rate_per_minute = 1000000, next_allowed_at = now() WHERE partner = 'mcp-registry'");
    await db().query('UPDATE sync_outbox SET next_attempt_at = now() WHERE id = $1', [waiting[0]!.id]);
    assert.equal((await worker().drain()).done, 1);
  });

  test('retryable failures past maxAttempts become dead letters with the last error', async () => {
    partner.script('com.acme.tired', ...Array.from({ length: 4 }, () => ({ status: 503, body: 'try later' })));
    await release(reg, acme, 'com.acme.tired', '1.0.0');
    const w = worker({ maxAttempts: 2 });
    const rows = await until(async () => {
      await w.drain();
      const r = await rowsOf(db(), 'com.acme.tired');
      return settled(r) ? r : undefined;
    });
    assert.deepEqual(rows.map((r) => [r.state, r.attempts, r.last_error.code, r.last_error.status, r.last_error.detail]), [['dead', 2, 'PARTNER_ERROR', 503, 'try later'], ['dead', 2, 'PARTNER_ERROR', 503, 'try later']]);
  });

  test('a row whose worker died mid-push (lease expired) is pushed by another worker; the late worker cannot complete it', async () => {
    await release(reg, acme, 'com.acme.lease', '1.0.0');
    const [ghost] = await claimRows(db(), { partners: ['npm'], limit: 1, worker: 'ghost', leaseMs: 600_000 });
    assert.equal(ghost!.extensionId, 'com.acme.lease');
    const w = worker();
    await w.drain();
    let [npmRow] = (await rowsOf(db(), 'com.acme.lease')).filter((r) => r.partner === 'npm');
    assert.deepEqual([npmRow!.state, npmRow!.worker], ['in_flight', 'ghost'], 'a live lease is left alone');
    await db().query("UPDATE sync_outbox SET lease_until = now() - interval '1 second' WHERE id = $1", [ghost!.id]); // the lease runs out
    await w.drain();
    [npmRow] = (await rowsOf(db(), 'com.acme.lease')).filter((r) => r.partner === 'npm');
    assert.deepEqual([npmRow!.state, npmRow!.worker, npmRow!.attempts], ['done', w.id, 2]);
    assert.equal(partner.applied.get(npmRow!.idempotency_key), 1);
    assert.equal(await completeRow(db(), ghost!, { digest: 'x', version: '1.0.0', document: {}, files: {} }), false);
  });

  test('a listing the partner rules refuse is a dead letter with the findings, never pushed', async () => {
    const before = partner.received.length;
    assert.equal((await api(reg.url, '/v1/extensions/com.acme.lease/listing', { method: 'PATCH', token: acme.token, json: { tags: ['refused'] } })).status, 200);
    await worker().drain();
    const rows = (await rowsOf(db(), 'com.acme.lease')).filter((r) => r.event === 'listing');
    assert.deepEqual(rows.map((r) => [r.state, r.last_error.code, r.last_error.findings[0].code]), [['dead', 'LISTING_REFUSED', 'TAG_REFUSED'], ['dead', 'LISTING_REFUSED', 'TAG_REFUSED']]);
    assert.equal(partner.received.length, before);
  });
});
