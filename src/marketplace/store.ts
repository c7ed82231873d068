/**
 * Where an installer keeps what it installed: one state document (the installed set, each
 * extension's active version, channel, grant and cached versions), content-addressed package
 * blobs, and the TUF client's trusted metadata. The state is replaced in one atomic write — the
 * commit of every operation — so a failed or interrupted operation leaves the previous state.
 * Blobs are written before the commit and are harmless until a state references them.
 *
 * Implementations: {@link MemoryInstallStore} here, `IndexedDbInstallStore` (pages) and the
 * CLI's file store (`--dir`).
 */
import type { MetadataStore } from './tuf/metadata-store.js';
import { MemoryMetadataStore } from './tuf/metadata-store.js';
import type { Channel } from './types.js';

/** Capabilities and network origins the user granted an extension. */
export interface GrantRecord {
  capabilities: string[];
  origins: string[];
}

/** One cached version: the signed target's length and hashes, and the key the registry vouched for. */
export interface CachedVersion {
  version: string;
  length: number;
  sha256: string;
  sha512?: string;
  /** The package's signing keyId and public key (base64url `x`), from the signed TUF target. */
  keyId: string;
  publicKey: string;
  cachedAt: string;
}

/** One installed extension in the state document. */
export interface InstalledRecord {
  id: string;
  active: string;
  channel: Channel;
  range?: string;
  pinned: boolean;
  granted: GrantRecord;
  activatedAt: string;
  /** Cached versions by version. */
  cache: Record<string, CachedVersion>;
}

/** One entry of the installer's history (the audit log signs and chains these). */
export interface HistoryEntry {
  at: string;
  action: 'install' | 'update' | 'downgrade' | 'rollback' | 'channel' | 'uninstall';
  id: string;
  from?: string;
  to?: string;
  channel?: Channel;
}

/** The whole state document. */
export interface InstallState {
  format: 1;
  /** The registry this store installs from. */
  registry: string;
  extensions: Record<string, InstalledRecord>;
  /** The newest entries last, bounded. */
  history: HistoryEntry[];
}

/** Storage of one installer. */
export interface InstallStore {
  /** The TUF client's trusted metadata. */
  readonly metadata: MetadataStore;
  /** Runs `fn` with exclusive use of the store (other tabs / processes wait or fail with STORE_LOCKED). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** The state document, or undefined before the first install. */
  readState(): Promise<InstallState | undefined>;
  /** Replaces the state document atomically (all or nothing). */
  writeState(state: InstallState): Promise<void>;
  /** A package blob by SHA-256 (hex), or undefined. The caller verifies the hash. */
  readBlob(sha256: string): Promise<Uint8Array | undefined>;
  /** Stores a package blob under its SHA-256 (idempotent). */
  writeBlob(sha256: string, bytes: Uint8Array): Promise<void>;
  /** Removes a blob (no-op when absent). */
  deleteBlob(sha256: string): Promise<void>;
  /** Every stored blob's SHA-256 (for garbage collection after a commit). */
  listBlobs(): Promise<string[]>;
}

/** An empty state for a registry. */
export function emptyState(registry: string): InstallState {
  return { format: 1, registry, extensions: {}, history: [] };
}

/** A deep copy (operations build the next state on a copy; the committed one is never mutated). */
export function cloneState(state: InstallState): InstallState {
  return structuredClone(state);
}

/** An in-memory store (tests, and pages that must not persist anything). */
export class MemoryInstallStore implements InstallStore {
  readonly metadata: MetadataStore = new MemoryMetadataStore();
  private state: string | undefined;
  private readonly blobs = new Map<string, Uint8Array>();
  private tail: Promise<unknown> = Promise.resolve();

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
  async readState(): Promise<InstallState | undefined> {
    return this.state === undefined ? undefined : (JSON.parse(this.state) as InstallState);
  }
  async writeState(state: InstallState): Promise<void> {
    this.state = JSON.stringify(state);
  }
  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    const b = this.blobs.get(sha256);
    return b ? b.slice() : undefined;
  }
  async writeBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(sha256, bytes.slice());
  }
  async deleteBlob(sha256: string): Promise<void> {
    this.blobs.delete(sha256);
  }
  async listBlobs(): Promise<string[]> {
    return [...this.blobs.keys()];
  }
}
