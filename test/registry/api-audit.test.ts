// The registry's audit log: every publish, channel move, yank, license issue and revocation is a
// hash-chained record written in the same transaction; GET /v1/audit exports it, the checkpoint
// is signed with the key published through TUF, and `vib3 audit verify --registry` names the first
// edited, removed or (against a saved checkpoint) truncated record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { parseJsonLines, verifyChain } from '../../src/marketplace/audit/index.js';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';

let reg: TestRegistry;
let acme: TestPublisher;
let work: string;
const ID = 'com.acme.audited';

async function verify(...extra: string[]): Promise<{ code: number; body: any }> {
  const out: string[] = [];
  const code = await main(['audit', 'verify', '--registry', reg.url, '--json', ...extra], { out: (l) => out.push(l), err: () => undefined });
  return { code, body: JSON.parse(out.join('\n')) };
}

before(async () => {
  reg = await startTestRegistry();
  acme = await createPublisher(reg, 'acme');
  work = mkdtempSync(join(tmpdir(), 'vib3-audit-'));
});
after(async () => {
  await reg?.close();
  rmSync(work, { recursive: true, force: true });
});

test(`[${BACKEND}] every registry write is recorded in one verifiable chain; tampering in the database is named`, async () => {
  for (const v of ['1.0.0', '1.1.0']) assert.equal((await publish(reg.url, acme.token, ID, v, await makePackage(acme, { id: ID, version: v }))).status, 201);
  assert.equal((await api(reg.url, `/v1/extensions/${ID}/channels/beta`, { method: 'PUT', token: acme.token, json: { version: '1.0.0' } })).status, 200);
  assert.equal((await api(reg.url, `/v1/extensions/${ID}/1.0.0/yank`, { method: 'POST', token: acme.token, json: { reason: 'broken' } })).status, 200);
  const lic = await api(reg.url, `/v1/extensions/${ID}/licenses`, { method: 'POST', token: acme.token, json: { sub: 'customer-1', aud: ['https://shop.example.com'], tier: 'pro' } });
  assert.equal((await api(reg.url, `/v1/licenses/${lic.body.jti}/revoke`, { method: 'POST', token: acme.token, json: { reason: 'refund' } })).status, 200);
  // A refused write records nothing.
  assert.equal((await publish(reg.url, acme.token, ID, '1.1.0', await makePackage(acme, { id: ID, version: '1.1.0' }))).status, 409);

  const records = parseJsonLines(await (await fetch(`${reg.url}/v1/audit`)).text());
  assert.deepEqual(records.map((r) => [r.seq, r.action, r.subject, r.actor]), [
    [1, 'publish', `${ID}@1.0.0`, 'acme'],
    [2, 'publish', `${ID}@1.1.0`, 'acme'],
    [3, 'channel', ID, 'acme'],
    [4, 'yank', `${ID}@1.0.0`, 'acme'],
    [5, 'license-issued', lic.body.jti, 'acme'],
    [6, 'license-revoked', lic.body.jti, 'acme'],
  ]);
  // No licensee or origin in the public log.
  assert.doesNotMatch(JSON.stringify(records), /customer-1|shop\.example\.com/);
  assert.equal((await verifyChain(records)).ok, true);
  const page = parseJsonLines(await (await fetch(`${reg.url}/v1/audit?after=4&limit=1`)).text());
  assert.deepEqual(page.map((r) => r.seq), [5]);

  const ok = await verify();
  assert.deepEqual([ok.code, ok.body.ok, ok.body.count, ok.body.checkpoint.seq], [0, true, 6, 6]);
  const saved = join(work, 'checkpoint.json');
  writeFileSync(saved, await (await fetch(`${reg.url}/v1/audit/checkpoint`)).text());

  const db = reg.context.db;
  const original = (await db.query<{ record: unknown }>('SELECT record FROM audit_log WHERE seq = 3')).rows[0]!.record;
  const edited = { ...(typeof original === 'string' ? JSON.parse(original) : (original as object)), details: { channel: 'stable', version: '1.0.0' } };
  await db.query('UPDATE audit_log SET record = $1 WHERE seq = 3', [JSON.stringify(edited)]);
  const editedResult = await verify();
  assert.deepEqual([editedResult.code, editedResult.body.code, editedResult.body.seq], [1, 'AUDIT_EDITED', 3]);
  await db.query('UPDATE audit_log SET record = $1 WHERE seq = 3', [JSON.stringify(original)]);

  // Two records swapped in place (each keeps its seq key, the contents trade places).
  const r4 = (await db.query<{ record: unknown }>('SELECT record FROM audit_log WHERE seq = 4')).rows[0]!.record;
  const r5 = (await db.query<{ record: unknown }>('SELECT record FROM audit_log WHERE seq = 5')).rows[0]!.record;
  const asText = (r: unknown) => (typeof r === 'string' ? r : JSON.stringify(r));
  await db.query('UPDATE audit_log SET record = $1 WHERE seq = 4', [asText(r5)]);
  await db.query('UPDATE audit_log SET record = $1 WHERE seq = 5', [asText(r4)]);
  const reordered = await verify();
  assert.deepEqual([reordered.code, reordered.body.code, reordered.body.seq], [1, 'AUDIT_REORDERED', 5]);
  await db.query('UPDATE audit_log SET record = $1 WHERE seq = 4', [asText(r4)]);
  await db.query('UPDATE audit_log SET record = $1 WHERE seq = 5', [asText(r5)]);

  await db.query('DELETE FROM audit_log WHERE seq = 2');
  const removed = await verify();
  assert.deepEqual([removed.code, removed.body.code, removed.body.seq], [1, 'AUDIT_REMOVED', 3]);

  // Truncated at the end: the live checkpoint signs the shorter head, a saved one catches it.
  const all = parseJsonLines(await (await fetch(`${reg.url}/v1/audit`)).text());
  assert.equal(all.length, 5);
  await db.query('DELETE FROM audit_log');
  for (const r of records.slice(0, 5)) await db.query('INSERT INTO audit_log (seq, record) VALUES ($1, $2)', [r.seq, JSON.stringify(r)]);
  assert.equal((await verify()).code, 0);
  const truncated = await verify('--checkpoint', saved);
  assert.deepEqual([truncated.code, truncated.body.code], [1, 'AUDIT_TRUNCATED']);
});
