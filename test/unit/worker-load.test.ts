import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noteWorkerBatch, resetWorkerLoad, workerLoadMs } from '../../src/render/worker/worker-load.js';

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
