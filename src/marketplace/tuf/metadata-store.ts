/**
 * Where a `TufClient` keeps the metadata it trusts between runs: the bytes of each role's
 * newest verified file, by role name (`root`, `timestamp`, `snapshot`, `targets`, and delegated
 * roles such as `bin-3f`). The client writes a role only after it verified it, so whatever a store
 * holds is the trusted state that rollback protection compares against, also in a new process.
 *
 * An empty byte array means "no trusted file": the client writes one when the TUF workflow says to
 * delete trusted metadata (the timestamp and snapshot after their keys were rotated), so stores need
 * nothing but `load` and `save`.
 *
 * Names of delegated roles come from the repository's signed metadata: a store that maps names to
 * file names or keys must encode them (e.g. `encodeURIComponent`), never use them as paths.
 */

/** Persistent storage of trusted TUF metadata (IndexedDB in browsers, files for the CLI, memory in tests). */
export interface MetadataStore {
  /** The bytes last saved under `name`, or `undefined`. */
  load(name: string): Promise<Uint8Array | undefined>;
  /** Replaces the bytes under `name` (atomically: a reader sees the old or the new bytes, never a mix). */
  save(name: string, bytes: Uint8Array): Promise<void>;
}

/** A {@link MetadataStore} in memory (tests, or a page that re-trusts its root on every load). */
export class MemoryMetadataStore implements MetadataStore {
  private readonly files = new Map<string, Uint8Array>();

  /** Optionally starts with some files (copied). */
  constructor(initial?: Iterable<readonly [string, Uint8Array]>) {
    for (const [name, bytes] of initial ?? []) this.files.set(name, bytes.slice());
  }

  /** {@inheritDoc MetadataStore.load} (a copy). */
  async load(name: string): Promise<Uint8Array | undefined> {
    return this.files.get(name)?.slice();
  }

  /** {@inheritDoc MetadataStore.save} (stores a copy). */
  async save(name: string, bytes: Uint8Array): Promise<void> {
    this.files.set(name, bytes.slice());
  }

  /** The names stored, sorted (tests inspect what was persisted). */
  names(): string[] {
    return [...this.files.keys()].sort();
  }
}
