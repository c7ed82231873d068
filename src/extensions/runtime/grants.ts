/** What the user granted one extension. */
export interface Grant {
  capabilities: string[];
  /** Granted network origins (exact). */
  origins: string[];
}

/** Where grants are kept. The default is the page origin's localStorage. */
export interface GrantStore {
  get(id: string): Grant | undefined;
  set(id: string, grant: Grant): void;
  delete(id: string): void;
}

/** Grants persisted per page origin in localStorage (falls back to memory where storage is blocked). */
export function localGrantStore(key = 'vib3.extension-grants.v1'): GrantStore {
  const memory = new Map<string, Grant>();
  const read = (): Record<string, Grant> => {
    try {
      const raw = globalThis.localStorage?.getItem(key);
      const parsed = raw ? (JSON.parse(raw) as unknown) : {};
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Grant>) : {};
    } catch {
      return Object.fromEntries(memory);
    }
  };
  const write = (all: Record<string, Grant>) => {
    try {
      globalThis.localStorage?.setItem(key, JSON.stringify(all));
    } catch {
      memory.clear();
      for (const [k, v] of Object.entries(all)) memory.set(k, v);
    }
  };
  return {
    get: (id) => {
      const all = read();
      const g = Object.prototype.hasOwnProperty.call(all, id) ? all[id] : undefined;
      return g && Array.isArray(g.capabilities) && Array.isArray(g.origins) ? { capabilities: [...g.capabilities], origins: [...g.origins] } : undefined;
    },
    set: (id, grant) => write({ ...read(), [id]: grant }),
    delete: (id) => {
      const all = read();
      delete all[id];
      write(all);
    },
  };
}

/** A grant store in memory (tests, or hosts that persist elsewhere). */
export function memoryGrantStore(): GrantStore {
  const m = new Map<string, Grant>();
  return { get: (id) => m.get(id), set: (id, g) => void m.set(id, g), delete: (id) => void m.delete(id) };
}

/**
 * A grant store with the granted capabilities cached: the dispatcher asks on every message an
 * extension sends, and the default store would parse localStorage each time. Writes go through it.
 */
export class CachedGrants {
  private readonly cache = new Map<string, ReadonlySet<string>>();

  constructor(private readonly store: GrantStore) {}

  /** The grant (an empty one when there is none). */
  get(id: string): Grant {
    return this.store.get(id) ?? { capabilities: [], origins: [] };
  }

  has(id: string): boolean {
    return this.store.get(id) !== undefined;
  }

  set(id: string, grant: Grant): void {
    this.store.set(id, grant);
    this.cache.set(id, new Set(grant.capabilities));
  }

  delete(id: string): void {
    this.store.delete(id);
    this.cache.delete(id);
  }

  /** Granted capability names (cached). */
  capabilities(id: string): ReadonlySet<string> {
    let set = this.cache.get(id);
    if (!set) this.cache.set(id, (set = new Set(this.get(id).capabilities)));
    return set;
  }
}
