// The audit log's core on Node: a 20-record chain, then every kind of tampering at every position —
// verifyChain must name exactly the record touched, with the right code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateEd25519, keyIdOf, type Ed25519Jwk } from '../../src/extensions/index.js';
import { canonicalize } from '../../src/extensions/manifest/canonical-json.js';
import {
  AUDIT_ACTIONS, AuditError, AuditLog, GENESIS, MemoryAuditStore, chainRecord, parseJsonLines, recordHash, signCheckpoint, toJsonLines,
  verifyChain, verifyCheckpoint, sha256Hex, type AuditCheckpoint, type AuditRecord, type AuditVerification,
} from '../../src/marketplace/audit/index.js';

const N = 20;

async function makeChain(n = N, tag = 'a'): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    const action = AUDIT_ACTIONS[i % AUDIT_ACTIONS.length]!;
    out.push(await chainRecord(out.at(-1), {
      at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), action, subject: `com.${tag}.ext${i}@1.${i}.0`,
      ...(i % 3 ? { actor: 'cli' } : {}), ...(i % 2 ? { details: { n: i, from: '1.0.0', caps: ['network'], nested: { ok: true } } } : {}),
    }));
  }
  return out;
}

async function keys() {
  const a = await generateEd25519();
  const b = await generateEd25519();
  const kidA = await keyIdOf(a.publicJwk);
  return { a, b, kidA, trusted: new Map<string, Ed25519Jwk>([[kidA, a.publicJwk]]) };
}

/** The problem's [code, seq, index] (or 'ok'), for one-line assertions. */
const named = (v: AuditVerification) => (v.ok ? 'ok' : [v.problem.code, v.problem.seq, v.problem.index]);
const clone = (rs: AuditRecord[]) => structuredClone(rs);

test('a chain of 20 records verifies and links each record to the previous hash', async () => {
  const rs = await makeChain();
  assert.equal(GENESIS, '0'.repeat(64));
  assert.equal(rs[0]!.prev, GENESIS);
  rs.forEach((r, i) => {
    assert.equal(r.seq, i + 1);
    if (i) assert.equal(r.prev, rs[i - 1]!.hash);
  });
  const { hash, ...content } = rs[5]!;
  assert.equal(hash, await sha256Hex(new TextEncoder().encode(canonicalize(content))));
  assert.equal(await recordHash(rs[5]!), hash);
  const v = await verifyChain(rs);
  assert.deepEqual(v, { ok: true, count: N, head: rs[N - 1]!.hash, lastSeq: N });
  assert.deepEqual(await verifyChain([]), { ok: true, count: 0, head: GENESIS, lastSeq: 0 });
});

test('an edit of details, action, at, subject or actor at every position is AUDIT_EDITED at that record', async () => {
  const rs = await makeChain();
  const edits: Record<string, (r: AuditRecord) => void> = {
    details: (r) => (r.details = { ...(r.details ?? {}), n: 999 }),
    action: (r) => (r.action = r.action === 'yank' ? 'publish' : 'yank'),
    at: (r) => (r.at = '2030-01-01T00:00:00.000Z'),
    subject: (r) => (r.subject += 'x'),
    actor: (r) => (r.actor = 'mallory'),
    seq: (r) => (r.seq += 100),
    prev: (r) => (r.prev = 'f'.repeat(64)),
    'unknown field': (r) => ((r as unknown as Record<string, unknown>).extra = 1),
  };
  for (let i = 0; i < N; i++) {
    for (const [field, edit] of Object.entries(edits)) {
      const t = clone(rs);
      edit(t[i]!);
      assert.deepEqual(named(await verifyChain(t)), ['AUDIT_EDITED', field === 'seq' ? i + 101 : i + 1, i], `${field} of #${i + 1}`);
    }
  }
});

test('a record removed at any position is AUDIT_REMOVED at the record after the gap (the last one: via a checkpoint)', async () => {
  const rs = await makeChain();
  const { a, trusted } = await keys();
  const checkpoint = await signCheckpoint(a.privateJwk, { seq: N, head: rs[N - 1]!.hash });
  for (let i = 0; i < N - 1; i++) {
    const t = rs.filter((_, j) => j !== i);
    assert.deepEqual(named(await verifyChain(t)), ['AUDIT_REMOVED', i + 2, i], `removed #${i + 1}`);
    assert.deepEqual(named(await verifyChain(t, { checkpoint, keys: trusted })), ['AUDIT_REMOVED', i + 2, i]);
  }
  const cut = rs.slice(0, N - 1);
  assert.equal(named(await verifyChain(cut)), 'ok', 'without a checkpoint a shorter log is all one can see');
  assert.deepEqual(named(await verifyChain(cut, { checkpoint, keys: trusted })), ['AUDIT_TRUNCATED', N, N - 1]);
  // Two records in a row removed: still the record after the gap.
  assert.deepEqual(named(await verifyChain([...rs.slice(0, 4), ...rs.slice(6)])), ['AUDIT_REMOVED', 7, 4]);
  // Removed, and the rest renumbered and re-hashed (prev untouched): the prev link breaks there.
  const renumbered = [...rs.slice(0, 7)];
  for (const r of rs.slice(8)) {
    const { hash: _h, ...content } = { ...r, seq: r.seq - 1 };
    renumbered.push({ ...content, hash: await recordHash(content) });
  }
  assert.deepEqual(named(await verifyChain(renumbered)), ['AUDIT_REMOVED', 8, 7]);
});

test('two records swapped at any position are AUDIT_REORDERED at the first out-of-order one', async () => {
  const rs = await makeChain();
  for (let i = 0; i < N - 1; i++) {
    const t = clone(rs);
    [t[i], t[i + 1]] = [t[i + 1]!, t[i]!];
    assert.deepEqual(named(await verifyChain(t)), ['AUDIT_REORDERED', i + 2, i], `swapped #${i + 1} and #${i + 2}`);
  }
  // Far apart, moved to the end, and a duplicate.
  const far = clone(rs);
  [far[3], far[15]] = [far[15]!, far[3]!];
  assert.deepEqual(named(await verifyChain(far)), ['AUDIT_REORDERED', 16, 3]);
  assert.deepEqual(named(await verifyChain([...rs.slice(0, 2), ...rs.slice(3), rs[2]!])), ['AUDIT_REORDERED', 4, 2]);
  assert.deepEqual(named(await verifyChain([...rs.slice(0, 6), rs[4]!, ...rs.slice(6)])), ['AUDIT_REORDERED', 5, 6]);
});

test('a log truncated after a signed checkpoint is AUDIT_TRUNCATED at the first missing record', async () => {
  const rs = await makeChain();
  const { a, trusted } = await keys();
  const cp20 = await signCheckpoint(a.privateJwk, { seq: N, head: rs[N - 1]!.hash });
  const cp12 = await signCheckpoint(a.privateJwk, { seq: 12, head: rs[11]!.hash });
  assert.equal(named(await verifyChain(rs, { checkpoint: cp20, keys: trusted })), 'ok');
  for (let t = 0; t < N; t++) {
    assert.deepEqual(named(await verifyChain(rs.slice(0, t), { checkpoint: cp20, keys: trusted })), ['AUDIT_TRUNCATED', t + 1, t], `kept ${t}`);
    assert.deepEqual(named(await verifyChain(rs.slice(0, t), { checkpoint: cp12, keys: trusted })), t < 12 ? ['AUDIT_TRUNCATED', t + 1, t] : 'ok');
  }
  // Cut back to #15 and regrown with other records: #20 no longer has the signed head.
  const regrown = rs.slice(0, 15);
  for (let i = 0; i < 5; i++) regrown.push(await chainRecord(regrown.at(-1), { at: '2026-01-01T00:00:00Z', action: 'install', subject: `x${i}` }));
  assert.equal(named(await verifyChain(regrown)), 'ok');
  assert.deepEqual(named(await verifyChain(regrown, { checkpoint: cp20, keys: trusted })), ['AUDIT_TRUNCATED', N, N - 1]);
  // The last record rewritten and re-hashed: only the checkpoint sees it.
  const { hash: _h, ...last } = { ...rs[N - 1]!, subject: 'forged' };
  const rewritten = [...rs.slice(0, N - 1), { ...last, hash: await recordHash(last) }];
  assert.deepEqual(named(await verifyChain(rewritten, { checkpoint: cp20, keys: trusted })), ['AUDIT_TRUNCATED', N, N - 1]);
});

test('forged checkpoints fail: another key, a flipped signature, an edited field, the head of another log', async () => {
  const rs = await makeChain();
  const other = await makeChain(N, 'b');
  const { a, b, kidA, trusted } = await keys();
  const head = { seq: N, head: rs[N - 1]!.hash };
  const good = await signCheckpoint(a.privateJwk, head, new Date('2025-02-01T00:00:00Z'));
  assert.equal(good.kid, kidA);
  assert.equal(good.at, '2025-02-01T00:00:00.000Z');
  assert.equal(await verifyCheckpoint(good, trusted), true);
  const byB = await signCheckpoint(b.privateJwk, head);
  const byBasA: AuditCheckpoint = { ...byB, kid: kidA };
  const sig = good.signature;
  const flipped: AuditCheckpoint = { ...good, signature: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) };
  const forged: Record<string, AuditCheckpoint> = { byB, byBasA, flipped, seq: { ...good, seq: N - 1 }, at: { ...good, at: '2099-01-01T00:00:00.000Z' }, truncatedSig: { ...good, signature: sig.slice(0, 40) } };
  for (const [name, cp] of Object.entries(forged)) {
    assert.equal(await verifyCheckpoint(cp, trusted), false, name);
    const v = await verifyChain(rs, { checkpoint: cp, keys: trusted });
    assert.equal(v.ok ? 'ok' : v.problem.code, 'AUDIT_CHECKPOINT_INVALID', name);
  }
  assert.deepEqual(named(await verifyChain(rs, { checkpoint: good })), named(await verifyChain(rs, { checkpoint: good, keys: new Map() })));
  assert.deepEqual(named(await verifyChain(rs, { checkpoint: good })), ['AUDIT_CHECKPOINT_INVALID', N, N - 1]);
  // Genuinely signed, but of another log: its head is not this log's record #20.
  const ofOther = await signCheckpoint(a.privateJwk, { seq: N, head: other[N - 1]!.hash });
  assert.deepEqual(named(await verifyChain(rs, { checkpoint: ofOther, keys: trusted })), ['AUDIT_TRUNCATED', N, N - 1]);
  assert.equal(named(await verifyChain(other, { checkpoint: ofOther, keys: trusted })), 'ok');
});

test('JSON Lines: the export round-trips byte for byte and verifies', async () => {
  const rs = await makeChain();
  const text = toJsonLines(rs);
  const lines = text.split('\n');
  assert.equal(lines.length, N + 1);
  assert.equal(lines.at(-1), '');
  assert.equal(lines[0], canonicalize(rs[0]));
  const back = parseJsonLines(text);
  assert.deepEqual(back, rs);
  assert.equal(toJsonLines(back), text);
  assert.equal(named(await verifyChain(back)), 'ok');
  assert.deepEqual(parseJsonLines(text.trimEnd()), rs, 'the final newline is optional');
  assert.deepEqual(parseJsonLines(text.replace(/\n/g, '\r\n')), rs);
  assert.equal(toJsonLines([]), '');
  assert.deepEqual(parseJsonLines(''), []);
  // A line edited in the file: parsed, then named by verification.
  const edited = text.split('\n').map((l, i) => (i === 6 ? l.replace('"subject":"', '"subject":"X') : l)).join('\n');
  assert.deepEqual(named(await verifyChain(parseJsonLines(edited))), ['AUDIT_EDITED', 7, 6]);
});

test('JSON Lines: malformed lines are AUDIT_MALFORMED with their line number; records too', async () => {
  const lines = toJsonLines(await makeChain(5)).split('\n');
  const withLine = (n: number, line: string) => lines.map((l, i) => (i === n - 1 ? line : l)).join('\n');
  const cases: Array<[string, number]> = [
    [withLine(3, '{"seq":3,'), 3], [withLine(2, '[1,2]'), 2], [withLine(4, 'null'), 4], [withLine(1, '"text"'), 1],
    [withLine(2, ''), 2], [withLine(5, `{"pad":"${'x'.repeat(64 * 1024)}"}`), 5], [withLine(3, `{"pad":"${'é'.repeat(40 * 1024)}"}`), 3],
  ];
  for (const [text, line] of cases) {
    assert.throws(() => parseJsonLines(text), (err: unknown) => err instanceof AuditError && err.code === 'AUDIT_MALFORMED' && err.line === line && err.message.includes(`line ${line}`), `line ${line}`);
  }
  const rs = await makeChain(5);
  const t = clone(rs) as unknown as Array<Record<string, unknown>>;
  t[2]!.seq = 'three';
  assert.deepEqual(named(await verifyChain(t as unknown as AuditRecord[])), ['AUDIT_MALFORMED', 3, 2]);
  // Well-formed hash, but an unknown action that was re-hashed.
  const bad = { ...rs[4]!, action: 'steal' } as unknown as AuditRecord;
  const { hash: _h, ...content } = bad;
  assert.deepEqual(named(await verifyChain([...rs.slice(0, 4), { ...content, hash: await recordHash(content) }])), ['AUDIT_MALFORMED', 5, 4]);
});

test('fromSeq: a log exported from seq 5 verifies; tampering in it is still named', async () => {
  const rs = await makeChain();
  const { a, trusted } = await keys();
  const part = parseJsonLines(toJsonLines(rs.slice(4)));
  const first = await verifyChain(part);
  assert.ok(!first.ok && first.problem.code === 'AUDIT_REMOVED' && first.problem.index === 0 && first.problem.suggestion.includes('fromSeq: 5'));
  assert.deepEqual(await verifyChain(part, { fromSeq: 5 }), { ok: true, count: N - 4, head: rs[N - 1]!.hash, lastSeq: N });
  const edited = clone(part);
  edited[2]!.subject = 'x';
  assert.deepEqual(named(await verifyChain(edited, { fromSeq: 5 })), ['AUDIT_EDITED', 7, 2]);
  assert.deepEqual(named(await verifyChain(part.slice(1), { fromSeq: 5 })), ['AUDIT_REMOVED', 6, 0]);
  const cp = await signCheckpoint(a.privateJwk, { seq: N, head: rs[N - 1]!.hash });
  assert.equal(named(await verifyChain(part, { fromSeq: 5, checkpoint: cp, keys: trusted })), 'ok');
  assert.deepEqual(named(await verifyChain(part.slice(0, 10), { fromSeq: 5, checkpoint: cp, keys: trusted })), ['AUDIT_TRUNCATED', 15, 10]);
  const cp4 = await signCheckpoint(a.privateJwk, { seq: 4, head: rs[3]!.hash });
  assert.equal(named(await verifyChain(part, { fromSeq: 5, checkpoint: cp4, keys: trusted })), 'ok', 'a checkpoint just before the export vouches for its first prev');
});

test('AuditLog over MemoryAuditStore: serialized appends, conflicts, export, bad entries', async () => {
  const store = new MemoryAuditStore();
  const log = new AuditLog(store);
  const made = await Promise.all(Array.from({ length: 12 }, (_, i) => log.append({ action: 'install', subject: `com.acme.e${i}@1.0.0`, details: { i } })));
  assert.deepEqual(made.map((r) => r.seq), Array.from({ length: 12 }, (_, i) => i + 1));
  assert.deepEqual(await log.records(), made);
  assert.deepEqual(named(await log.verify()), 'ok');
  assert.equal(await log.export(), toJsonLines(made));
  await assert.rejects(store.append(made[3]!), (e: unknown) => e instanceof AuditError && e.code === 'AUDIT_CONFLICT');
  // A second writer on the same store took the next seq: the entry is re-chained after it.
  const other = new AuditLog(store);
  await other.append({ action: 'grant', subject: 'com.acme.e1', at: '2025-03-01T10:00:00+01:00' });
  const next = await log.append({ action: 'revoke', subject: 'com.acme.e1' });
  assert.equal(next.seq, 14);
  assert.equal(named(await log.verify()), 'ok');
  const refused = [{ action: 'steal', subject: 's' }, { action: 'install', subject: '' }, { action: 'install', subject: 's', at: 'yesterday' },
    { action: 'install', subject: 's', details: { when: new Date() } }, { action: 'install', subject: 's', details: { n: NaN } }, { action: 'install', subject: 's', details: [1] },
    { action: 'install', subject: 's', details: { blob: 'x'.repeat(70_000) } }];
  for (const entry of refused) {
    await assert.rejects(log.append(entry as never), (e: unknown) => e instanceof AuditError && e.code === 'AUDIT_MALFORMED', JSON.stringify(entry).slice(0, 60));
  }
  assert.equal((await log.records()).length, 14);
  const dropped = await log.append({ action: 'yank', subject: 'com.acme.e2@1.0.0', details: { reason: undefined, cleared: [] } });
  assert.deepEqual(dropped.details, { cleared: [] });
  assert.ok(!('actor' in dropped));
  assert.equal(named(await log.verify()), 'ok');
});
