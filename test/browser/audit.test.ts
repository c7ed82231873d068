// The audit log in a real browser: an AuditLog over IndexedDB, then the database tampered with
// directly (another connection puts and deletes records) — every edit, deletion, reordering and
// truncation is named by verify(); a second AuditLog over the same database (a reload) continues it.
import { expect } from '@esm-bundle/chai';
import { generateEd25519, keyIdOf, type Ed25519Jwk } from '../../src/extensions/signing/ed25519.js';
import {
  AUDIT_OBJECT_STORE, AuditError, AuditLog, IndexedDbAuditStore, parseJsonLines, signCheckpoint, verifyChain,
  type AuditCheckpoint, type AuditRecord, type AuditVerification,
} from '../../src/marketplace/audit/index.js';

const flagSet = (window as unknown as { __VIB3_TEST__?: { flagSet: string } }).__VIB3_TEST__?.flagSet ?? 'unknown';
const N = 20;
let counter = 0;
const opened: IndexedDbAuditStore[] = [];

const done = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('aborted'));
});
const result = <T>(req: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

/** Opens `vib3-audit:<name>` on its own connection and runs `edit` in one readwrite transaction. */
async function tamper(name: string, edit: (records: IDBObjectStore) => Promise<void> | void): Promise<void> {
  const db = await result(indexedDB.open(`vib3-audit:${name}`));
  try {
    const tx = db.transaction(AUDIT_OBJECT_STORE, 'readwrite');
    await edit(tx.objectStore(AUDIT_OBJECT_STORE));
    await done(tx);
  } finally {
    db.close();
  }
}

let signer: { privateJwk: Ed25519Jwk; keys: Map<string, Ed25519Jwk> } | undefined;
async function key() {
  if (!signer) {
    const { publicJwk, privateJwk } = await generateEd25519();
    signer = { privateJwk, keys: new Map([[await keyIdOf(publicJwk), publicJwk]]) };
  }
  return signer;
}

/** A fresh database with N records, an AuditLog over it and a checkpoint of its head. */
async function fresh(label: string) {
  const name = `test-${label}-${Date.now()}-${counter++}`;
  const store = new IndexedDbAuditStore(name);
  opened.push(store);
  const log = new AuditLog(store);
  for (let i = 0; i < N; i++) await log.append({ action: i % 2 ? 'update' : 'install', subject: `com.acme.e${i}@1.${i}.0`, actor: location.origin, details: { i } });
  const records = await log.records();
  const { privateJwk, keys } = await key();
  const checkpoint: AuditCheckpoint = await signCheckpoint(privateJwk, { seq: N, head: records[N - 1]!.hash });
  return { name, store, log, records, checkpoint, keys };
}

const named = (v: AuditVerification) => (v.ok ? 'ok' : [v.problem.code, v.problem.seq, v.problem.index]);

describe(`audit log over IndexedDB (${flagSet})`, () => {
  after(async () => {
    for (const store of opened) {
      await store.close();
      await new Promise((resolve) => {
        const req = indexedDB.deleteDatabase(store.databaseName);
        req.onsuccess = req.onerror = req.onblocked = resolve;
      });
    }
  });

  it('appends a chain that verifies, exports and round-trips', async () => {
    const { log, records, checkpoint, keys } = await fresh('ok');
    expect(records.map((r) => r.seq)).to.deep.equal(Array.from({ length: N }, (_, i) => i + 1));
    expect(await log.verify()).to.deep.equal({ ok: true, count: N, head: records[N - 1]!.hash, lastSeq: N });
    expect(named(await log.verify({ checkpoint, keys }))).to.equal('ok');
    const text = await log.export();
    expect(text.split('\n')).to.have.length(N + 1);
    expect(parseJsonLines(text)).to.deep.equal(records);
    expect(named(await verifyChain(parseJsonLines(text), { checkpoint, keys }))).to.equal('ok');
  });

  for (const seq of [1, 7, N]) {
    it(`names an edited record #${seq} (details, action, at, subject)`, async () => {
      for (const field of ['details', 'action', 'at', 'subject'] as const) {
        const { name, log } = await fresh(`edit${seq}${field}`);
        await tamper(name, async (os) => {
          const r = (await result(os.get(seq))) as AuditRecord;
          if (field === 'details') r.details = { i: 999 };
          if (field === 'action') r.action = 'uninstall';
          if (field === 'at') r.at = '2001-01-01T00:00:00.000Z';
          if (field === 'subject') r.subject = 'com.evil.e@6.6.6';
          os.put(r, seq);
        });
        expect(named(await log.verify()), field).to.deep.equal(['AUDIT_EDITED', seq, seq - 1]);
      }
    });

    it(`names a deleted record #${seq}`, async () => {
      const { name, log, checkpoint, keys } = await fresh(`delete${seq}`);
      await tamper(name, (os) => void os.delete(seq));
      if (seq < N) expect(named(await log.verify())).to.deep.equal(['AUDIT_REMOVED', seq + 1, seq - 1]);
      // The last record gone looks like a shorter log; the signed checkpoint shows the cut.
      else expect(named(await log.verify())).to.equal('ok');
      expect(named(await log.verify({ checkpoint, keys }))).to.deep.equal(seq < N ? ['AUDIT_REMOVED', seq + 1, seq - 1] : ['AUDIT_TRUNCATED', N, N - 1]);
    });

    it(`names records reordered at #${seq} (two records' contents swapped)`, async () => {
      const a = seq < N ? seq : seq - 1;
      const { name, log } = await fresh(`reorder${seq}`);
      await tamper(name, async (os) => {
        const [ra, rb] = [await result(os.get(a)), await result(os.get(a + 1))];
        os.put(rb, a);
        os.put(ra, a + 1);
      });
      expect(named(await log.verify())).to.deep.equal(['AUDIT_REORDERED', a + 1, a - 1]);
    });

    it(`names the first missing record when the log is truncated from #${seq}`, async () => {
      const { name, log, checkpoint, keys } = await fresh(`truncate${seq}`);
      await tamper(name, (os) => void os.delete(IDBKeyRange.lowerBound(seq)));
      expect((await log.records()).length).to.equal(seq - 1);
      expect(named(await log.verify({ checkpoint, keys }))).to.deep.equal(['AUDIT_TRUNCATED', seq, seq - 1]);
    });
  }

  it('names a record moved to another key, and refuses a forged checkpoint', async () => {
    const { name, log, checkpoint, keys } = await fresh('move');
    await tamper(name, async (os) => {
      const r = await result(os.get(5));
      os.delete(5);
      os.put(r, N + 5);
    });
    expect(named(await log.verify())).to.deep.equal(['AUDIT_REORDERED', 6, 4]);
    const flipped = { ...checkpoint, signature: (checkpoint.signature[0] === 'A' ? 'B' : 'A') + checkpoint.signature.slice(1) };
    const v = await log.verify({ checkpoint: flipped, keys });
    expect(v.ok ? 'ok' : v.problem.code).to.equal('AUDIT_CHECKPOINT_INVALID');
  });

  it('a second AuditLog over the same database (a reload) sees the same chain and continues it', async () => {
    const { name, store, log, records } = await fresh('reload');
    const again = new IndexedDbAuditStore(name);
    opened.push(again);
    const reloaded = new AuditLog(again);
    expect(await reloaded.records()).to.deep.equal(records);
    expect(named(await reloaded.verify())).to.equal('ok');
    const next = await reloaded.append({ action: 'rollback', subject: 'com.acme.e3@1.3.0' });
    expect(next.seq).to.equal(N + 1);
    expect(next.prev).to.equal(records[N - 1]!.hash);
    // Both writers at once: a taken seq is re-chained, never lost or duplicated.
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? log : reloaded).append({ action: 'grant', subject: `cap${i}` })));
    const all = await log.records();
    expect(all.map((r) => r.seq)).to.deep.equal(Array.from({ length: N + 11 }, (_, i) => i + 1));
    expect(await log.verify()).to.deep.include({ ok: true, count: N + 11 });
    let conflict: unknown;
    await store.append(all[3]!).catch((err: unknown) => (conflict = err));
    expect(conflict).to.be.instanceOf(AuditError);
    expect((conflict as AuditError).code).to.equal('AUDIT_CONFLICT');
    expect(await log.records()).to.deep.equal(all);
  });
});
