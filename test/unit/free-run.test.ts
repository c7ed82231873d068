import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FreeRunLoop, frameAt, freeRunSupported } from '../../src/render/worker/free-run.js';
import { buildFrameState, type FrameState } from '../../src/render/frame-state.js';
import { defaultParams } from '../../src/core/params.js';
import type { FrameItem, RanMessage } from '../../src/render/worker/protocol.js';

/** A worker scope's animation frames, stepped by hand. */
function fakeAnimationFrames() {
  const g = globalThis as { requestAnimationFrame?: (cb: (ts: number) => void) => number };
  const queue: ((ts: number) => void)[] = [];
  g.requestAnimationFrame = (cb) => queue.push(cb);
  return {
    pending: () => queue.length,
    /** Runs the callbacks requested so far at `ts` (ms since the scope's time origin). */
    step(ts: number) {
      for (const cb of queue.splice(0)) cb(ts);
    },
    remove() {
      delete g.requestAnimationFrame;
    },
  };
}

function setup() {
  const raf = fakeAnimationFrames();
  const drawn: FrameItem[][] = [];
  const reports: RanMessage[] = [];
  const loop = new FreeRunLoop({
    draw: (frames) => {
      drawn.push(frames);
      return frames.map((f) => f.id);
    },
    post: (m) => reports.push(m),
  });
  return { raf, drawn, reports, loop };
}

const origin = performance.timeOrigin;
const base: FrameState = buildFrameState({ params: { ...defaultParams(), system: 'holographic' }, timeMs: 1000, width: 64, height: 48 });

test('free run: without requestAnimationFrame in the worker, nothing runs', () => {
  assert.equal(freeRunSupported(), false);
  const drawn: FrameItem[][] = [];
  const loop = new FreeRunLoop({ draw: (frames) => (drawn.push(frames), []), post: () => undefined });
  loop.start(1, base, origin);
  assert.equal(loop.size, 0);
  assert.equal(drawn.length, 0);
});

test('free run: each worker frame draws the element at its time moved by wall time, as the page would have built it', () => {
  const { raf, drawn, loop } = setup();
  try {
    assert.equal(freeRunSupported(), true);
    // The page's frame was at element time 1000 ms, 10 000 ms after the epoch origin below.
    const atMs = origin + 10_000;
    loop.start(7, base, atMs);
    raf.step(10_250); // 250 ms of wall time later
    assert.equal(drawn.length, 1);
    const item = drawn[0]![0]!;
    assert.equal(item.id, 7);
    const t = item.frame.timeMs;
    assert.ok(Math.abs(t - 1250) < 0.01, `element time ${t}`);
    assert.deepEqual(item.frame, frameAt(base, t));
    // Exactly what the page builds at that instant: breath, holographic auto-rotation, size, params.
    assert.deepEqual(item.frame, buildFrameState({ params: base.params, timeMs: t, width: 64, height: 48 }));
    assert.notDeepEqual(item.frame.rotation, base.rotation, 'the holographic lattice turned');
    raf.step(10_266.7);
    assert.ok(Math.abs(drawn[1]![0]!.frame.timeMs - 1266.7) < 0.01, "epoch ms lose a little precision");
    assert.equal(raf.pending(), 1, 'it goes on');
  } finally {
    raf.remove();
  }
});

test('free run: frames are reported per element (periodically with the timing, at once when a run ends); stopped and hidden elements are not drawn', () => {
  const { raf, drawn, reports, loop } = setup();
  try {
    const now = () => performance.now();
    loop.start(1, base, origin + now());
    loop.start(2, base, origin + now());
    let ts = now();
    raf.step(ts); // the first frame reports at once (no report yet)
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0]!.frames, [[1, 1], [2, 1]]);
    assert.equal(typeof reports[0]!.drawMs, 'number');
    for (let i = 0; i < 3; i++) raf.step((ts += 16.7));
    // The page draws element 1 again: its 3 frames since the report come at once, alone.
    loop.stop(1);
    assert.deepEqual(reports[1], { type: 'ran', frames: [[1, 3]] });
    raf.step((ts += 16.7));
    assert.deepEqual(drawn.at(-1)!.map((f) => f.id), [2], 'a stopped element is not drawn');
    loop.setHidden(true);
    const count = drawn.length;
    raf.step((ts += 16.7));
    assert.equal(drawn.length, count, 'nothing drawn while the page is hidden');
    assert.equal(raf.pending(), 0, 'and no frame requested');
    loop.setHidden(false);
    raf.step((ts += 1000));
    assert.equal(drawn.length, count + 1, 'shown again, it goes on');
    loop.stop(2);
    raf.step((ts += 16.7));
    assert.equal(raf.pending(), 0, 'no element: the loop ends');
    assert.equal(loop.size, 0);
  } finally {
    raf.remove();
  }
});
