#!/usr/bin/env node
// `npm run bench`: what a hostile extension costs the host page's main thread (issue 14: "at most
// a small, bounded share, never blocked for more than ~50 ms"). For each attack (a flood of host
// calls, a 200 MB result, a 5-million-vertex mesh): the page's 5 ms timer tick share and its
// longest gap over a 3 s window, median of RUNS fresh pages, both Chromium flag sets, next to the
// same page with no attack (the machine's own noise). Writes bench/results/containment.{json,md}.
// Numbers are reported, never asserted.
import { writeFileSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../test/chromium-flags.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 3);
const ATTACKS = ['idle', 'flood', 'hugeResult', 'hugeMesh'];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const { server, url } = await serveStatic();
const results = {};
for (const [flagSet, set] of Object.entries(FLAG_SETS)) {
  results[flagSet] = {};
  for (const attack of ATTACKS) {
    const samples = [];
    for (let i = 0; i < RUNS; i++) {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: set.args });
      const page = await browser.newPage();
      await page.goto(`${url}/bench/pages/containment.html`);
      await page.evaluate(() => window.ready);
      const r = attack === 'idle'
        ? await page.evaluate(async () => {
            let last = performance.now(), longest = 0, ticks = 0;
            const t = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; ticks++; }, 5);
            const t0 = performance.now();
            await new Promise((r) => setTimeout(r, 3000));
            clearInterval(t);
            const elapsed = performance.now() - t0;
            return { outcome: 'none', tickShare: ticks / (elapsed / 5), longestGapMs: longest, elapsedMs: elapsed };
          })
        : await page.evaluate((name) => window.measure(name), attack);
      samples.push(r);
      await browser.close();
    }
    results[flagSet][attack] = {
      outcome: samples.map((s) => s.outcome).join(', '),
      tickShare: median(samples.map((s) => s.tickShare)),
      longestGapMs: median(samples.map((s) => s.longestGapMs)),
      worstGapMs: Math.max(...samples.map((s) => s.longestGapMs)),
      runs: RUNS,
    };
  }
}
server.close();

const out = { date: new Date().toISOString(), chromium: CHROMIUM_PATH, results };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/containment.json', `${JSON.stringify(out, null, 2)}\n`);
const rows = Object.entries(results).flatMap(([flagSet, byAttack]) =>
  Object.entries(byAttack).map(([attack, r]) => `| ${flagSet} | ${attack} | ${r.outcome} | ${(r.tickShare * 100).toFixed(1)}% | ${r.longestGapMs.toFixed(0)} ms | ${r.worstGapMs.toFixed(0)} ms |`),
);
const md = `# Containment benchmark (${out.date})

The host page's main thread while one extension attacks it: 5 ms timer tick share and longest gap
over a 3 s window from the attacking call, median of ${RUNS} fresh pages (worst run in the last
column). \`idle\` is the same page with no attack: the machine's own noise.

| flag set | attack | call outcome | tick share | longest gap (median) | longest gap (worst) |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync('bench/results/containment.md', md);
console.log(md);
