// An allocation bomb in a real sandbox, next to a <vib3-canvas> and a well-behaved extension.
// The bomb's sandbox frame is served from another site (localhost vs the page's 127.0.0.1),
// through the host's per-extension frameUrl: Chromium gives it its own renderer process, so when
// that process runs out of memory only the bomb dies (or the heartbeat stops it first).
//
// Playwright reports the death of a cross-process frame as a crash of the whole page and then
// refuses page.evaluate, although the page is alive; the test therefore reads the page through
// a raw CDP session, which keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, FLAG_SETS } from './browser.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const flagSet of Object.keys(FLAG_SETS)) {
  test(`allocation bomb (${flagSet} flags): contained (process death or heartbeat), the page keeps its timer ticks, the canvas keeps rendering, the other extension keeps answering, the bomb is reported HUNG and restarted`, { timeout: 120_000 }, async () => {
    const server = await startServer();
    const browser = await launch(flagSet);
    try {
      const page = await browser.newPage();
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      let crashAt;
      page.on('crash', () => (crashAt ??= Date.now()));
      const cdp = await page.context().newCDPSession(page);
      const run = async (expression) => {
        const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
        if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
        return r.result.value;
      };
      const isolated = `http://localhost:${server.port}/dist/sandbox/frame.html`;
      await page.goto(`${server.url}/test/e2e/fixtures/allocation-bomb.html?isolated=${encodeURIComponent(isolated)}`);
      const state = () => run('window.bombTest.then((t) => t.state())');
      const answer = (id, v) => run(`window.bombTest.then((t) => t.answer(${JSON.stringify(id)}, ${v}))`);

      const s0 = await state();
      assert.equal(s0.backend, FLAG_SETS[flagSet].expectedBackend);
      assert.ok(s0.frameSrcs.includes(isolated), `the bomb's frame comes from the other site: ${JSON.stringify(s0.frameSrcs)}`);
      assert.ok(s0.frameSrcs.some((src) => src.startsWith(server.url)), 'the good extension stays on the default frame');
      assert.equal(await answer('dev.test.good', 1), 'echo:1');
      assert.equal(await answer('dev.test.bomb', 2), 'echo:2');

      // The page's tick share on this machine right now, without the bomb: the baseline that the
      // share during the bomb is compared with (a busy machine lowers both alike).
      const calm0 = await state();
      await sleep(2000);
      const calm1 = await state();
      const baseline = (calm1.ticks - calm0.ticks) / ((calm1.now - calm0.now) / 10);
      assert.equal(await run('window.bombTest.then((t) => t.detonate())'), 'growing');
      // While it grows, the page and the good extension carry on.
      const samples = [];
      let hung;
      const deadline = Date.now() + 90_000;
      while (!hung && Date.now() < deadline) {
        await sleep(500);
        const s = await state();
        samples.push({ ...s, good: await answer('dev.test.good', samples.length) });
        hung = s.errors.find((e) => e.extensionId === 'dev.test.bomb' && e.code === 'HUNG');
      }
      assert.ok(hung, 'the bomb is reported HUNG (its process died, so its heartbeat stopped)');
      const s1 = samples.at(-1);
      const hungAt = Date.now();
      const elapsed = s1.now - calm1.now;
      const tickShare = (s1.ticks - calm1.ticks) / (elapsed / 10);
      // Two containment paths are both correct, and which one wins depends on how busy the machine
      // is: the frame's renderer process runs out of memory and dies (its heartbeat stops), or the
      // heartbeat deadline fires first while the garbage collector thrashes. The test reports the
      // path it saw and asserts what matters either way.
      const path = crashAt ? `its renderer process died of OOM ${hungAt - crashAt} ms before the host saw HUNG` : 'the heartbeat deadline stopped it before its process died';
      console.log(`# bomb (${flagSet}): HUNG after ${(hung.at - s0.now).toFixed(0)} ms; host timer kept ${(tickShare * 100).toFixed(1)}% of its 10 ms ticks (${(baseline * 100).toFixed(1)}% before the bomb); canvas drew ${s1.frames - s0.frames} frames; ${path}`);
      // The page is not frozen. (The 90% bar is for while(true), in the runtime suite.) Here the
      // bomb's process fills gigabytes on the same two cores the page and SwiftShader share, so it
      // takes CPU from the page as any busy process would: measured 74-100% of the baseline, down
      // to 74% with a CPU hog on the other core. A bomb that reached the page's own process would
      // freeze or kill it (near 0%): that is what this bar tells apart.
      assert.ok(tickShare >= 0.5 * baseline, `the host keeps its timer ticking: ${(tickShare * 100).toFixed(1)}% of 10 ms ticks during the bomb, ${(baseline * 100).toFixed(1)}% before it`);
      assert.ok(s1.frames > s0.frames, 'the canvas kept rendering');
      assert.deepEqual(samples.map((s) => s.good), samples.map((_, i) => `echo:${i}`), 'the good extension answered every time');
      assert.deepEqual(s1.errors.filter((e) => e.extensionId === 'dev.test.good'), [], 'nothing happened to the good extension');

      // The bomb is restarted with backoff (the restart does not detonate it) and answers again.
      let s2;
      for (let i = 0; i < 40; i++) {
        s2 = await state();
        if (s2.list.find((x) => x.id === 'dev.test.bomb').state === 'active') break;
        await sleep(250);
      }
      assert.deepEqual(s2.list.find((x) => x.id === 'dev.test.bomb'), { id: 'dev.test.bomb', state: 'active', restarts: 1, failures: 1 });
      assert.deepEqual(s2.list.find((x) => x.id === 'dev.test.good'), { id: 'dev.test.good', state: 'active', restarts: 0, failures: 0 });
      assert.equal(await answer('dev.test.bomb', 3), 'echo:3');
      await sleep(300);
      assert.ok((await state()).frames > s1.frames, 'the canvas still renders');
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      server.server.close();
    }
  });
}
