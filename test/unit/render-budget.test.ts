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
  frames(b, 10, 5, 33); // frames late, light drawing
  assert.equal(b.adjust([small, big, hidden]), undefined, 'no decision before a full window (10 frames, 330 ms)');
  frames(b, 6, 5, 33);
  const change = b.adjust([small, big, hidden]);
  assert.deepEqual(change?.map((c) => (c.client as { name?: string }).name), ['small'], 'slightly over budget: one element');
  assert.deepEqual(small.log, [[0.8, 'over-budget']]);
  assert.deepEqual(big.log, []);
  assert.deepEqual(hidden.log, [], 'elements that are not rendering cost nothing and are left alone');
  b.sample(5, 33);
  assert.equal(b.adjust([small, big]), undefined, 'cooling down after a step');
});

test('a window also ends after 500 ms, so slow pages adapt in seconds', () => {
  const b = new RenderBudget(16.7);
  const c = client('c', 1);
  frames(b, 4, 300, 300);
  assert.equal(b.adjust([c]), undefined, 'at least five frames, so medians can drop stalls');
  b.sample(300, 300);
  assert.deepEqual(b.adjust([c])?.map((x) => x.reason), ['over-budget'], '5 frames of 300 ms fill a window');
});

test('far over budget, many elements step down at once, least important first', () => {
  const b = new RenderBudget(16.7);
  const cs = Array.from({ length: 10 }, (_, i) => client(`c${i}`, i + 1));
  frames(b, WINDOW_FRAMES, 100, 100); // 6x the budget
  const changed = b.adjust(cs)!.map((x) => (x.client as { name?: string }).name);
  assert.equal(changed.length, 10);
  assert.equal(changed[0], 'c0');
  const mild = new RenderBudget(16.7);
  const ds = Array.from({ length: 10 }, (_, i) => client(`d${i}`, i + 1));
  frames(mild, WINDOW_FRAMES, 5, 25); // frames 1.5x the budget, light drawing
  assert.deepEqual(mild.adjust(ds)!.map((x) => (x.client as { name?: string }).name), ['d0', 'd1']);
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
    b.sample(8, 16.7); // on time; drawing a little past its 5.6 ms slice
    assert.equal(b.adjust([c]), undefined);
  }
});

test('at a 60 Hz refresh (interval pinned at 16.7 ms) light drawing is headroom: quality comes back', () => {
  const b = new RenderBudget(16.7);
  const c = client('c', 1, 0.8);
  frames(b, WINDOW_FRAMES, 4, 16.7);
  assert.deepEqual(b.adjust([c])?.map((x) => [x.scale, x.reason]), [[1, 'headroom']]);
});

test('a one-off stall (shader compilation) does not lower quality', () => {
  const b = new RenderBudget(16.7);
  const c = client('c', 1);
  b.sample(900, 900); // compiling
  frames(b, WINDOW_FRAMES - 1, 4, 16.7);
  assert.equal(b.adjust([c]), undefined);
  assert.deepEqual(c.log, []);
});

test('drawing that blocks far past its slice is over budget even when frames arrive on time', () => {
  // A backend that waits for the GPU on the main thread (WebGL readback) shows up as work, not as interval.
  const b = new RenderBudget(16.7);
  const c = client('c', 1);
  assert.ok(Math.abs(b.sliceMs - 16.7 / 3) < 1e-9, 'a third of the budget by default');
  frames(b, WINDOW_FRAMES, 12, 16.7);
  assert.deepEqual(b.adjust([c])?.map((x) => x.reason), ['over-budget']);
});

test('the draw share sets the slice the work is judged against', () => {
  const b = new RenderBudget(16.7);
  b.drawShare = 1;
  const c = client('c', 1, 0.8);
  frames(b, WINDOW_FRAMES, 12, 16.7); // 12 ms is within a full-frame slice
  assert.deepEqual(b.adjust([c])?.map((x) => x.reason), ['headroom']);
});

test('a render worker that cannot keep up lowers render scales although the main thread is idle', () => {
  const b = new RenderBudget(16.7);
  const cs = Array.from({ length: 4 }, (_, i) => client(`w${i}`, i + 1));
  // Main thread: 0.2 ms of work, frames on time; the worker needs 60 ms per frame batch.
  for (let i = 0; i < WINDOW_FRAMES; i++) b.sample(0.2, 16.7, 60);
  const changed = b.adjust(cs);
  assert.ok(changed && changed.length >= 2, 'several elements step down at 3.6x the budget');
  assert.ok(changed.every((c) => c.reason === 'over-budget'));
  // The same window without the worker's report: headroom, nothing to lower.
  const idle = new RenderBudget(16.7);
  const ds = Array.from({ length: 4 }, (_, i) => client(`d${i}`, i + 1));
  for (let i = 0; i < WINDOW_FRAMES; i++) idle.sample(0.2, 16.7);
  assert.equal(idle.adjust(ds), undefined);
});

test('a busy render worker gives no headroom: reduced elements step up only when it has room', () => {
  const b = new RenderBudget(16.7);
  const c = client('c', 1, 0.5);
  for (let i = 0; i < WINDOW_FRAMES; i++) b.sample(0.2, 16.7, 14); // under budget, but a step up would overshoot
  assert.equal(b.adjust([c]), undefined);
  for (let i = 0; i < WINDOW_FRAMES; i++) b.sample(0.2, 16.7, 5);
  assert.deepEqual(b.adjust([c])?.map((x) => x.reason), ['headroom']);
});

test('worker load lowers only elements the worker draws; main-thread load only the others', () => {
  const tag = (c: ReturnType<typeof client>, worker: boolean) => Object.assign(c, { offThread: () => worker });
  const b = new RenderBudget(16.7);
  const main = tag(client('main', 1), false);
  const w1 = tag(client('w1', 2), true);
  const w2 = tag(client('w2', 3), true);
  for (let i = 0; i < WINDOW_FRAMES; i++) b.sample(0.2, 16.7, 40);
  const changed = b.adjust([main, w1, w2])!.map((x) => (x.client as { name?: string }).name);
  assert.ok(changed.length >= 1);
  assert.ok(!changed.includes('main'), `the main-thread element is not lowered for the worker's load: ${changed}`);
  const m = new RenderBudget(16.7);
  const main2 = tag(client('main2', 5), false);
  const w3 = tag(client('w3', 1), true);
  for (let i = 0; i < WINDOW_FRAMES; i++) m.sample(30, 16.7, 1); // main-thread drawing far over its slice
  assert.deepEqual(m.adjust([main2, w3])!.map((x) => (x.client as { name?: string }).name), ['main2']);
});

test('with nothing active and nothing reduced, no cooldown delays the next decision', () => {
  const b = new RenderBudget(16.7);
  const hidden = client('hidden', 0);
  for (let i = 0; i < WINDOW_FRAMES; i++) b.sample(1, 16.7);
  assert.equal(b.adjust([hidden]), undefined);
  const shown = client('shown', 10);
  for (let i = 0; i < WINDOW_FRAMES; i++) b.sample(1, 40); // frames late at once
  assert.deepEqual(b.adjust([shown])?.map((x) => x.reason), ['over-budget'], 'decided at the next full window');
});
