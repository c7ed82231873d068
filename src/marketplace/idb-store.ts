/**
 * {@link InstallStore} on IndexedDB (pages): one database per store name with three object
 * stores — `state` (the state document, replaced in one transaction), `blobs` (packages by
 * SHA-256) and `tuf` (trusted metadata by role). Operations are exclusive across tabs with the Web
 * Locks API where the browser has it.
 */
import { InstallerError } from './errors.js';
import type { InstallState, InstallStore } from './store.js';
import type { MetadataStore } from './tuf/metadata-store.js';

const STORES = ['state', 'blobs', 'tuf'] as const;
type StoreName = (typeof STORES)[number];

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** An install store in IndexedDB named `vib3-installer:<name>`. */
export class IndexedDbInstallStore implements InstallStore {
  readonly metadata: MetadataStore;
  private db: Promise<IDBDatabase> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly name = 'default') {
    this.metadata = {
      load: async (role) => this.get<Uint8Array>('tuf', role),
      save: async (role, bytes) => this.put('tuf', role, bytes.slice()),
    };
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new InstallerError('STORE_FAILED', 'This browser has no IndexedDB.', 'Pass a MemoryInstallStore as storage.'));
      const req = indexedDB.open(`vib3-installer:${this.name}`, 1);
      req.onupgradeneeded = () => {
        for (const s of STORES) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new InstallerError('STORE_FAILED', `IndexedDB could not be opened: ${req.error?.message ?? 'unknown error'}`, 'Check the page may use storage (private mode, quota).'));
      req.onblocked = () => reject(new InstallerError('STORE_LOCKED', 'The installer database is blocked by another tab.', 'Close other tabs of this page and retry.'));
    });
    // A failed open is not remembered: the next operation tries again.
    this.db.catch(() => (this.db = undefined));
    return this.db;
  }

  private async get<T>(store: StoreName, key: string): Promise<T | undefined> {
    const db = await this.open();
    return (await request(db.transaction(store, 'readonly').objectStore(store).get(key))) as T | undefined;
  }

  private async put(store: StoreName, key: string, value: unknown): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(store, 'readwrite');
    tx.objectStore(store).put(value, key);
    await done(tx);
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const inTab = () => {
      const run = this.tail.then(fn, fn);
      this.tail = run.catch(() => undefined);
      return run;
    };
    return locks ? (locks.request(`vib3-installer:${this.name}`, inTab) as Promise<T>) : inTab();
  }

  async readState(): Promise<InstallState | undefined> {
    const text = await this.get<string>('state', 'state');
    return text === undefined ? undefined : (JSON.parse(text) as InstallState);
  }

  writeState(state: InstallState): Promise<void> {
    return this.put('state', 'state', JSON.stringify(state));
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    const v = await this.get<Uint8Array | ArrayBuffer>('blobs', sha256);
    return v === undefined ? undefined : v instanceof Uint8Array ? v : new Uint8Array(v);
  }

  writeBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    return this.put('blobs', sha256, bytes.slice());
  }

  async deleteBlob(sha256: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('blobs', 'readwrite');
    tx.objectStore('blobs').delete(sha256);
    await done(tx);
  }

  async listBlobs(): Promise<string[]> {
    const db = await this.open();
    return ((await request(db.transaction('blobs', 'readonly').objectStore('blobs').getAllKeys())) as IDBValidKey[]).map(String);
  }

  /** Closes the database (tests; a new operation reopens it). */
  close(): void {
    void this.db?.then((db) => db.close());
    this.db = undefined;
  }
}
