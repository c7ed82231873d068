/**
 * How busy the page's render worker is: each recent frame batch's round trip as the page timed it
 * (at least the drawing time the worker reported), and the age of a batch still unanswered. The
 * page's frame budget reads it, so that adaptive quality lowers render scales when the worker (not
 * the main thread) cannot keep up — drawing off the main thread must not turn into frames drawn at
 * full size at a few frames per second.
 * @module
 */
import { median } from '../../core/median.js';

/** Batches remembered (about one budget window). */
const KEPT = 20;
/** A report older than this no longer describes the worker (no element draws there now), ms. */
const STALE_MS = 1000;

const recent: number[] = [];
/** Median of `recent`, kept up to date on each report (the load is read every frame, by every element). */
let recentMedian = 0;
let lastReport = -Infinity;

/** Records one frame batch's load (its round trip, or the worker's drawing time), ms. */
export function noteWorkerBatch(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  recent.push(ms);
  if (recent.length > KEPT) recent.shift();
  recentMedian = median(recent);
  lastReport = performance.now();
}

/** When the oldest frame batch the worker has not answered yet was posted, ms (undefined: none). */
let oldestPending: number | undefined;

/** The page tells when its oldest unanswered batch was posted (`undefined` once every batch is answered). */
export function noteWorkerPending(postedAt: number | undefined): void {
  oldestPending = postedAt;
}

/**
 * Median drawing time of the worker's recent batches, ms; 0 when it has not drawn lately. A batch
 * still unanswered counts with its age: a worker that takes seconds per batch is busy, not idle.
 */
export function workerLoadMs(): number {
  const now = performance.now();
  const waiting = oldestPending === undefined ? 0 : now - oldestPending;
  if (recent.length === 0 || now - lastReport > STALE_MS) return waiting;
  return Math.max(waiting, recentMedian);
}

/** Forgets every report (tests). */
export function resetWorkerLoad(): void {
  recent.length = 0;
  recentMedian = 0;
  lastReport = -Infinity;
  oldestPending = undefined;
}
