import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderBudget, MIN_RENDER_SCALE, WINDOW_FRAMES, type BudgetClient, type RenderScaleReason } from '../../src/element/render-budget.js';

function client(name: string, priority: number, scale = 1) {
  const log: [number, RenderScaleReason][] = [];
  const c: BudgetClient & { name: string; log: typeof log } = {
    name,
    log,
    renderScale: scale,
    priority: () => priority,
    setRenderScale(s, reason) {
      (c as { renderScale: number }).renderScale = s;
      log.push([s, reason]);
    },
  };
  return c;
}
const frames = (b: RenderBudget, n: number, work: number, interval: number) => {
  for (let i = 0; i < n; i++) b.sample(work, interval);
};

test('over budget: the least important visible element steps down first, one step per window', () => {
  const b = new RenderBudget(16.7);
  const small = client('small', 100);
  const big = client('big', 10_000);
  const hidden = client('hidden', 0);
  frames(b, WINDOW_FRAMES - 1, 30, 33);
  assert.equal(b.adjust([small, big, hidden]), undefined, 'no decision before a full window');
  b.sample(30, 33);
  const change = b.adjust([small, big, hidden]);
  assert.equal((change?.client as { name?: string }).name, 'small');
  assert.deepEqual(small.log, [[0.8, 'over-budget']]);
  assert.deepEqual(big.log, []);
  assert.deepEqual(hidden.log, [], 'elements that are not rendering cost nothing and are left alone');
  frames(b, WINDOW_FRAMES, 30, 33);
  assert.equal(b.adjust([small, big]), undefined, 'cooling down after a step');
});

test('the scale never drops below the floor; then the next element takes its turn', () => {
  const b = new RenderBudget(16.7);
  const small = client('small', 1, MIN_RENDER_SCALE);
  const big = client('big', 2);
  for (let i = 0; i < 3 * WINDOW_FRAMES; i++) {
    b.sample(40, 40);
    b.adjust([small, big]);
  }
  assert.deepEqual(small.log, []);
  assert.equal(big.log[0]?.[1], 'over-budget');
});

test('headroom: the most important reduced element steps back up, to 1 at most', () => {
  const b = new RenderBudget(16.7);
  const small = client('small', 1, 0.5);
  const big = client('big', 2, 0.9);
  frames(b, WINDOW_FRAMES, 2, 8);
  b.adjust([small, big]);
  assert.deepEqual(big.log, [[1, 'headroom']]);
  assert.deepEqual(small.log, []);
});

test('a load between the thresholds changes nothing (no oscillation)', () => {
  const b = new RenderBudget(16.7);
  const c = client('c', 1, 0.8);
  for (let i = 0; i < 5 * WINDOW_FRAMES; i++) {
    b.sample(5, 16.7);
    assert.equal(b.adjust([c]), undefined);
  }
});
