/**
 * {@link AuditStore} on IndexedDB: database `vib3-audit:<name>`, one object store `records` whose
 * out-of-line keys are the records' seq. Records are read back in key order exactly as stored, so
 * a record edited, deleted or moved to another key shows up in `verify()`.
 */
import { AuditError } from './errors.js';
import type { AuditStore } from './log.js';
import type { AuditRecord } from './record.js';

/** The object store holding the records (key = seq). */
export const AUDIT_OBJECT_STORE = 'records';

const failed = (what: string, err: unknown) =>
  new AuditError('AUDIT_STORE_FAILED', `IndexedDB ${what} failed: ${(err as Error | null)?.message ?? 'unknown error'}.`, 'Check the page may use storage (private mode, quota) and retry.');

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(failed('read', req.error));
  });
}

/** An audit store in the IndexedDB database `vib3-audit:<name>`. */
export class IndexedDbAuditStore implements AuditStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(readonly name = 'default') {}

  /** The database's name: `vib3-audit:<name>`. */
  get databaseName(): string {
    return `vib3-audit:${this.name}`;
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new AuditError('AUDIT_STORE_FAILED', 'This browser has no IndexedDB.', 'Use a MemoryAuditStore.'));
      const req = indexedDB.open(this.databaseName, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(AUDIT_OBJECT_STORE)) req.result.createObjectStore(AUDIT_OBJECT_STORE);
      };
      req.onsuccess = () => {
        const db = req.result;
        // Let another tab upgrade or delete the database: close, and reopen on the next call.
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
        };
        resolve(db);
      };
      req.onerror = () => reject(failed('open', req.error));
      req.onblocked = () => reject(new AuditError('AUDIT_STORE_FAILED', 'The audit database is blocked by another tab.', 'Close other tabs of this page and retry.'));
    });
    // A failed open is not remembered: the next operation tries again.
    this.db.catch(() => (this.db = undefined));
    return this.db;
  }

  /** Adds the record under key `seq` in a readwrite transaction (`add`: fails if the key exists). */
  async append(record: AuditRecord): Promise<void> {
    if (!Number.isSafeInteger(record?.seq)) throw new AuditError('AUDIT_MALFORMED', 'An audit record needs an integer seq.', 'Append records made by chainRecord.');
    const db = await this.open();
    const tx = db.transaction(AUDIT_OBJECT_STORE, 'readwrite');
    const req = tx.objectStore(AUDIT_OBJECT_STORE).add(record, record.seq);
    const error = await new Promise<DOMException | Error | null>((resolve) => {
      let first: DOMException | null = null;
      req.onerror = () => (first = req.error);
      tx.oncomplete = () => resolve(null);
      tx.onabort = () => resolve(first ?? tx.error ?? new Error('transaction aborted'));
    });
    if (error?.name === 'ConstraintError') throw new AuditError('AUDIT_CONFLICT', `Audit record #${record.seq} already exists.`, 'Chain the entry after the current last record and append again.');
    if (error) throw failed('append', error);
  }

  async all(): Promise<AuditRecord[]> {
    const db = await this.open();
    return (await request(db.transaction(AUDIT_OBJECT_STORE, 'readonly').objectStore(AUDIT_OBJECT_STORE).getAll())) as AuditRecord[];
  }

  async last(): Promise<AuditRecord | undefined> {
    const db = await this.open();
    const cursor = await request(db.transaction(AUDIT_OBJECT_STORE, 'readonly').objectStore(AUDIT_OBJECT_STORE).openCursor(null, 'prev'));
    return (cursor?.value as AuditRecord | undefined) ?? undefined;
  }

  /** Closes the connection (it reopens on the next call). */
  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (db) (await db.catch(() => undefined))?.close();
  }
}
