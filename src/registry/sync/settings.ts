/**
 * Settings of the sync engine of one process: its partners and their adapters, how many workers
 * run in it, the registry URL listings link to, and the workers' timing (deadlines, leases,
 * retries).
 */
import type { AdapterFactory, PartnerSetting } from './adapters.js';

/** How a worker times its work. */
export interface SyncTuning {
  /** Deadline of one push (its AbortSignal fires then); default 30 s. */
  pushTimeoutMs: number;
  /** A claimed row's lease is the push deadline plus this (time to build and prepare); default 30 s. */
  leaseMarginMs: number;
  /** Attempts before a retryable failure becomes a dead letter; default 10. */
  maxAttempts: number;
  /** First retry delay; it doubles per attempt (with jitter) up to `backoffMaxMs`; default 2 s. */
  backoffBaseMs: number;
  /** Longest retry delay (a partner's Retry-After may ask for more); default 15 min. */
  backoffMaxMs: number;
  /** How long an idle worker waits before it looks for due rows again; default 2 s. */
  idleMs: number;
  /** Rows one worker claims (and pushes concurrently) at a time; default 4. */
  batch: number;
}

/** Default {@link SyncTuning}. */
export const DEFAULT_TUNING: SyncTuning = {
  pushTimeoutMs: 30_000,
  leaseMarginMs: 30_000,
  maxAttempts: 10,
  backoffBaseMs: 2_000,
  backoffMaxMs: 15 * 60_000,
  idleMs: 2_000,
  batch: 4,
};

/** The sync settings of a registry process (`RegistrySettings.sync`). */
export interface SyncSettings {
  /** Partners this process knows (enabled ones get outbox rows; its workers push to them). */
  partners: PartnerSetting[];
  /** Adapters by partner name besides the built-in ones (from `--adapter-module`, or tests). */
  adapters?: Record<string, AdapterFactory>;
  /** Workers in this process (default: 1 when an enabled partner is configured, else 0). */
  workers?: number;
  /** The registry's public base URL listings link to (default: the URL the server listens on). */
  publicUrl?: string;
  tuning?: Partial<SyncTuning>;
}
