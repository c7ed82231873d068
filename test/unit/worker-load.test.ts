import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noteWorkerBatch, noteWorkerPending, resetWorkerLoad, workerLoadMs } from '../../src/render/worker/worker-load.js';

test('worker load: the median of the recent batches, 0 before any and after a reset; bad reports ignored', () => {
  resetWorkerLoad();
  assert.equal(workerLoadMs(), 0);
  for (const ms of [4, 40, 5, 6, 1000]) noteWorkerBatch(ms);
  noteWorkerBatch(Number.NaN);
  noteWorkerBatch(-3);
  assert.equal(workerLoadMs(), 6, 'median of 4, 5, 6, 40, 1000: one stall does not count');
  for (let i = 0; i < 30; i++) noteWorkerBatch(10);
  assert.equal(workerLoadMs(), 10, 'only the last 20 batches count');
  resetWorkerLoad();
  assert.equal(workerLoadMs(), 0);
});

test('worker load: a batch still unanswered counts with its age (a worker that takes seconds per batch is busy, not idle), and no longer once answered', () => {
  resetWorkerLoad();
  for (let i = 0; i < 5; i++) noteWorkerBatch(3);
  const now = performance.now();
  noteWorkerPending(now - 900);
  assert.ok(workerLoadMs() >= 900, `an unanswered batch posted 900 ms ago: ${workerLoadMs()}`);
  noteWorkerPending(undefined);
  assert.equal(workerLoadMs(), 3);
  // Long after the last report: still busy while a batch waits, idle (0) once none does.
  resetWorkerLoad();
  noteWorkerPending(performance.now() - 2000);
  assert.ok(workerLoadMs() >= 2000);
  noteWorkerPending(undefined);
  assert.equal(workerLoadMs(), 0);
  resetWorkerLoad();
});
