/**
 * {@link AuditLog}: appends entries to an {@link AuditStore} one at a time, chaining each to the
 * store's last record, and verifies / exports what the store holds.
 */
import { AuditError } from './errors.js';
import { chainRecord, type AuditEntry, type AuditRecord } from './record.js';
import { toJsonLines, verifyChain, type AuditVerification, type AuditVerifyOptions } from './verify.js';

/** Where records live (IndexedDB in pages, memory in tests; the registry keeps its own table). */
export interface AuditStore {
  /**
   * Adds `record` atomically; rejects with an {@link AuditError} `AUDIT_CONFLICT` when a record
   * with its `seq` already exists (another writer appended first).
   */
  append(record: AuditRecord): Promise<void>;
  /** Every record in ascending seq (key) order — as stored, so tampering stays visible. */
  all(): Promise<AuditRecord[]>;
  /** The record with the highest seq, or undefined for an empty log. */
  last(): Promise<AuditRecord | undefined>;
}

/** What {@link AuditLog.append} takes: an entry whose `at` defaults to now. */
export type AuditAppendEntry = Omit<AuditEntry, 'at'> & { at?: string };

/** An {@link AuditStore} in memory; records are copied in and out. */
export class MemoryAuditStore implements AuditStore {
  private readonly bySeq = new Map<number, AuditRecord>();

  async append(record: AuditRecord): Promise<void> {
    if (!Number.isSafeInteger(record?.seq)) throw new AuditError('AUDIT_MALFORMED', 'An audit record needs an integer seq.', 'Append records made by chainRecord.');
    if (this.bySeq.has(record.seq)) throw new AuditError('AUDIT_CONFLICT', `Audit record #${record.seq} already exists.`, 'Chain the entry after the current last record and append again.');
    this.bySeq.set(record.seq, structuredClone(record));
  }

  async all(): Promise<AuditRecord[]> {
    return [...this.bySeq.keys()].sort((a, b) => a - b).map((k) => structuredClone(this.bySeq.get(k)!));
  }

  async last(): Promise<AuditRecord | undefined> {
    let max: number | undefined;
    for (const k of this.bySeq.keys()) if (max === undefined || k > max) max = k;
    return max === undefined ? undefined : structuredClone(this.bySeq.get(max)!);
  }
}

/** How often {@link AuditLog.append} re-chains after another writer took its seq. */
const MAX_ATTEMPTS = 8;

/** An append-only, hash-chained audit log over a store. */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly store: AuditStore) {}

  /**
   * Chains `entry` (with `at` = now unless given) after the store's last record and appends it.
   * Appends through one AuditLog run one at a time; when another writer on the same store (another
   * tab) took the seq first, the entry is re-chained after the new last record.
   */
  append(entry: AuditAppendEntry): Promise<AuditRecord> {
    const run = this.tail.then(() => this.appendNow(entry));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(entry: AuditAppendEntry): Promise<AuditRecord> {
    const full: AuditEntry = { ...entry, at: entry.at ?? new Date().toISOString() };
    for (let attempt = 1; ; attempt++) {
      const record = await chainRecord(await this.store.last(), full);
      try {
        await this.store.append(record);
        return record;
      } catch (err) {
        if (!(err instanceof AuditError && err.code === 'AUDIT_CONFLICT') || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Verifies every stored record ({@link verifyChain}). */
  async verify(options?: AuditVerifyOptions): Promise<AuditVerification> {
    return verifyChain(await this.store.all(), options);
  }

  /** The stored records as JSON Lines ({@link toJsonLines}). */
  async export(): Promise<string> {
    return toJsonLines(await this.store.all());
  }

  /** The stored records, oldest first. */
  records(): Promise<AuditRecord[]> {
    return this.store.all();
  }
}
