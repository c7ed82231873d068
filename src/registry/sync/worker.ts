/**
 * A sync worker: claims due outbox rows and pushes each listing to its partner. Any number of
 * workers, in any number of processes, may drain one outbox (claims use FOR UPDATE SKIP LOCKED and
 * leases; see `claim.ts`). For each row: build the listing as it is now (overrides applied) and
 * load the images stored for the listed version and the adapter's target → `adapter.prepare` →
 * skip when the partner has this digest already → take a slot of the partner's shared rate
 * limit → `adapter.push` with the row's idempotency key and a deadline → done (and the partner's
 * new state), or a retry with exponential backoff and jitter (never sooner than the partner's
 * Retry-After), or a dead letter with the partner's error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ListingAssets } from '../../listings/partners/adapter.js';
import type { Database } from '../db/database.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { RegistryError } from '../errors.js';
import type { PartnerLink } from './adapters.js';
import { retryDelay } from './backoff.js';
import { claimRows, completeRow, killRow, releaseRow, renewLease, retryRow, skipRow, type ClaimedRow } from './claim.js';
import { toFailure, withDeadline, type SyncError } from './failures.js';
import { registryListing } from './listing.js';
import { listingAssetImages } from './assets.js';
import { takeSlot } from './rate-limit.js';
import { DEFAULT_TUNING, type SyncTuning } from './settings.js';

/** What became of one claimed row. `deferred`: back to pending (rate limit); `lost`: the lease passed to another worker. */
export type RowOutcome = 'done' | 'skipped' | 'retry' | 'dead' | 'deferred' | 'lost';

/** What a {@link SyncWorker} needs. */
export interface SyncWorkerOptions {
  db: Database;
  blobs: BlobStore;
  /** The partners it pushes to, with their adapters. */
  partners: ReadonlyMap<string, PartnerLink>;
  /** The registry's public base URL (listings link to it). */
  registryUrl: string;
  tuning?: Partial<SyncTuning>;
  /** Its id in claimed rows (default host:pid:random). */
  id?: string;
  log?: (message: string) => void;
  /** Jitter source (tests). */
  random?: () => number;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** One worker. `start()` runs it in the background; `drain()` processes what is due and returns. */
export class SyncWorker {
  /** Its id in claimed rows. */
  readonly id: string;
  /** How many rows ended how, since it was made. */
  readonly counts: Record<RowOutcome, number> = { done: 0, skipped: 0, retry: 0, dead: 0, deferred: 0, lost: 0 };
  readonly #o: SyncWorkerOptions;
  readonly #t: SyncTuning;
  #loop: Promise<void> | undefined;
  #running = false;
  #wake: (() => void) | undefined;

  constructor(options: SyncWorkerOptions) {
    this.#o = options;
    this.#t = { ...DEFAULT_TUNING, ...options.tuning };
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  /** Claims up to `batch` due rows and processes them concurrently. */
  async runOnce(): Promise<RowOutcome[]> {
    const rows = await claimRows(this.#o.db, { partners: [...this.#o.partners.keys()], limit: this.#t.batch, worker: this.id, leaseMs: this.#leaseMs() });
    const outcomes = await Promise.all(
      rows.map((row) =>
        this.#process(row).catch((err: Error): RowOutcome => {
          // The row stays in flight until its lease ends; then any worker retries it.
          this.#o.log?.(`sync worker ${this.id}: row ${row.id}: ${err.message}`);
          return 'lost';
        }),
      ),
    );
    for (const o of outcomes) this.counts[o]++;
    return outcomes;
  }

  /** Processes rows until none is due (rows waiting for a retry or a rate-limit slot stay for later). */
  async drain(): Promise<Record<RowOutcome, number>> {
    const before = { ...this.counts };
    while ((await this.runOnce()).length > 0) {
      // more may be due
    }
    return Object.fromEntries(Object.entries(this.counts).map(([k, v]) => [k, v - before[k as RowOutcome]])) as Record<RowOutcome, number>;
  }

  /** Runs in the background until {@link stop}: claims, and waits `idleMs` (or a {@link wake}) when nothing is due. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        let worked = 0;
        try {
          worked = (await this.runOnce()).length;
        } catch (err) {
          this.#o.log?.(`sync worker ${this.id}: ${(err as Error).message}`);
        }
        if (worked === 0 && this.#running) await this.#idle();
      }
    })();
  }

  /** Looks for due rows now instead of at the end of the idle wait. */
  wake(): void {
    this.#wake?.();
  }

  /** Stops the loop; resolves once running pushes have finished (each within its deadline). */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  #leaseMs(): number {
    return this.#t.pushTimeoutMs + this.#t.leaseMarginMs;
  }

  #idle(): Promise<void> {
    return new Promise<void>((done) => {
      const timer = setTimeout(finish, this.#t.idleMs);
      function finish() {
        clearTimeout(timer);
        done();
      }
      this.#wake = finish;
    }).finally(() => (this.#wake = undefined));
  }

  async #process(row: ClaimedRow): Promise<RowOutcome> {
    const { db } = this.#o;
    const error = (e: Omit<SyncError, 'attempt' | 'at'>): SyncError => ({ ...e, attempt: row.attempts, at: new Date().toISOString() });
    const link = this.#o.partners.get(row.partner)!;
    if (row.attempts > this.#t.maxAttempts) {
      const dead = error({ code: 'ATTEMPTS_EXHAUSTED', message: `Gave up after ${this.#t.maxAttempts} attempts (the last one's worker stopped before it finished).`, retryable: false });
      return (await killRow(db, row, dead)) ? 'dead' : 'lost';
    }
    let prepared;
    let listing;
    try {
      const built = await registryListing(db, row.extensionId, this.#o.registryUrl, this.#o.blobs);
      listing = built.listing;
      const images = await listingAssetImages(db, this.#o.blobs, listing.id, listing.version, link.adapter.target);
      const assets: ListingAssets = { images, ...(built.packageBytes ? { package: built.packageBytes } : {}) };
      prepared = await link.adapter.prepare(listing, assets);
    } catch (err) {
      const transient = err instanceof RegistryError ? err.status >= 500 : (err as { code?: string }).code === 'DATABASE_UNREACHABLE';
      const e = error({ code: transient ? (err as RegistryError).code ?? 'PREPARE_FAILED' : 'PREPARE_FAILED', message: (err as Error).message, retryable: transient });
      return this.#fail(row, e);
    }
    const refusals = prepared.findings.filter((f) => f.severity === 'error');
    if (refusals.length) {
      const e = error({ code: 'LISTING_REFUSED', message: `${row.partner} would refuse the listing: ${refusals.map((f) => f.code).join(', ')}.`, retryable: false, findings: refusals });
      return (await killRow(db, row, e)) ? 'dead' : 'lost';
    }
    const state = await db.query<{ pushed_digest: string | null }>('SELECT pushed_digest FROM sync_state WHERE extension_id = $1 AND partner = $2', [row.extensionId, row.partner]);
    if (state.rows[0]?.pushed_digest === prepared.digest) return (await skipRow(db, row)) ? 'skipped' : 'lost';

    const slot = await takeSlot(db, row.partner);
    if (!slot.ok) return (await releaseRow(db, row, slot.retryAt)) ? 'deferred' : 'lost';
    if (!(await renewLease(db, row, this.#leaseMs()))) return 'lost';

    const deadline = AbortSignal.timeout(this.#t.pushTimeoutMs);
    try {
      const result = await withDeadline(link.adapter.push(prepared, { config: link.setting.config, idempotencyKey: row.idempotencyKey, signal: deadline, event: row.event, listing }), deadline);
      const files = Object.fromEntries([...prepared.files].map(([path, bytes]) => [path, sha256(bytes)]));
      const ok = await completeRow(db, row, { digest: prepared.digest, version: listing.version, document: prepared.document, files, ...(result.remoteId ? { remoteId: result.remoteId } : {}) });
      return ok ? 'done' : 'lost';
    } catch (err) {
      return this.#fail(row, error(toFailure(err, deadline)));
    }
  }

  /** A retry (retryable and attempts left) or a dead letter. */
  async #fail(row: ClaimedRow, e: SyncError): Promise<RowOutcome> {
    if (e.retryable && row.attempts < this.#t.maxAttempts) {
      const delay = retryDelay(row.attempts, { baseMs: this.#t.backoffBaseMs, maxMs: this.#t.backoffMaxMs }, e.retryAfterMs, this.#o.random);
      return (await retryRow(this.#o.db, row, delay, e)) ? 'retry' : 'lost';
    }
    return (await killRow(this.#o.db, row, e)) ? 'dead' : 'lost';
  }
}
