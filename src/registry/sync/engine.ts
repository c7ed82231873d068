/**
 * The sync engine of one registry process: registers its partners (enabled, rate) in the shared
 * database, resolves their adapters and runs its in-process workers (`vib3 registry serve
 * --sync … --sync-workers N`). Worker-only processes (`vib3 registry sync-worker`) use the same.
 */
import type { Database } from '../db/database.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { resolveAdapters, type PartnerLink } from './adapters.js';
import { registerPartners } from './rate-limit.js';
import type { SyncSettings } from './settings.js';
import { SyncWorker } from './worker.js';

/** A running sync engine. */
export interface SyncRuntime {
  /** Enabled partners with their adapters (dry runs use them too). */
  links: ReadonlyMap<string, PartnerLink>;
  workers: readonly SyncWorker[];
  /** The public base URL listings link to. */
  registryUrl: string;
  /** Makes idle workers look for due rows now (after a write that enqueued rows). */
  wake(): void;
  /** Stops the workers (running pushes finish within their deadline). */
  stop(): Promise<void>;
}

/** What {@link startSync} needs. */
export interface StartSyncOptions {
  db: Database;
  blobs: BlobStore;
  settings: SyncSettings;
  registryUrl: string;
  /** Number of workers (default `settings.workers`, else 1 when a partner is enabled). */
  workers?: number;
  /** Start the workers' loops (default true; `false` for `--once`, which drains them itself). */
  run?: boolean;
  log?: (message: string) => void;
}

/**
 * Registers the partners, resolves their adapters and starts the workers.
 *
 * @throws RegistryError `UNKNOWN_PARTNER` for a partner without an adapter.
 */
export async function startSync(opts: StartSyncOptions): Promise<SyncRuntime> {
  const links = await resolveAdapters(opts.settings.partners, opts.settings.adapters);
  await registerPartners(opts.db, opts.settings.partners);
  const count = opts.workers ?? opts.settings.workers ?? (links.size ? 1 : 0);
  const workers = links.size
    ? Array.from({ length: count }, () => new SyncWorker({ db: opts.db, blobs: opts.blobs, partners: links, registryUrl: opts.registryUrl, ...(opts.settings.tuning ? { tuning: opts.settings.tuning } : {}), ...(opts.log ? { log: opts.log } : {}) }))
    : [];
  if (opts.run !== false) for (const w of workers) w.start();
  return {
    links,
    workers,
    registryUrl: opts.registryUrl,
    wake: () => workers.forEach((w) => w.wake()),
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
