#!/usr/bin/env node
// `npm run bench`: bytes shipped (gzip) and time from connectedCallback to vib3-ready, per backend,
// median of N fresh page loads in headless Chromium. Writes bench/results/startup.json and .md.
// Not part of `npm test`: numbers are reported, never asserted.
import { readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../test/chromium-flags.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 7);
const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const chunks = readdirSync('dist/chunks').filter((f) => f.endsWith('.js'));
const lazy = chunks.find((f) => f.startsWith('three-view-'));
// The chunks the entry loads with it: its static imports, transitively (lazy ones — the renderer,
// the page-telemetry pipeline — are dynamic imports and stay out).
const staticImports = (file) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*["']\.\/(?:chunks\/)?([\w.-]+\.js)["']/g)].map((m) => m[1]);
const eagerChunks = [];
for (const queue = staticImports('dist/vib3-embed.js'); queue.length; ) {
  const f = queue.shift();
  if (eagerChunks.includes(f) || !chunks.includes(f)) continue;
  eagerChunks.push(f);
  queue.push(...staticImports(join('dist/chunks', f)));
}
const sizes = {
  iife: gz('dist/vib3.iife.js'),
  extensionsIife: gz('dist/vib3-extensions.iife.js'),
  esEntry: gz('dist/vib3-embed.js') + eagerChunks.reduce((n, f) => n + gz(join('dist/chunks', f)), 0),
  esRendererChunk: gz(join('dist/chunks', lazy)),
};

// What `npm install vib3-embed` downloads and unpacks (the tarball as `npm pack` makes it), next
// to the anchor's installed package folder (@google/model-viewer, without its three.js peer).
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { encoding: 'utf8' }));
const dirBytes = (dir) => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).reduce((n, e) => n + statSync(join(e.parentPath ?? e.path, e.name)).size, 0);
const npmPackage = {
  tarballBytes: pack.size,
  unpackedBytes: pack.unpackedSize,
  files: pack.entryCount,
  dependencies: Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies ?? {}),
  modelViewerUnpackedBytes: dirBytes('node_modules/@google/model-viewer'),
};

const { server, url } = await serveStatic();
const startup = {};
for (const [name, set] of Object.entries(FLAG_SETS)) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: set.args });
    const page = await browser.newPage();
    await page.goto(`${url}/test/e2e/fixtures/script-tag.html`);
    await page.waitForFunction(() => document.querySelector('#v')?.dataset.startupMs, null, { timeout: 60_000 });
    const ms = await page.evaluate(() => Number(document.querySelector('#v').dataset.startupMs));
    const backend = await page.evaluate(() => document.querySelector('#v').activeBackend);
    samples.push(ms);
    await browser.close();
    if (backend !== set.expectedBackend) throw new Error(`${name}: expected ${set.expectedBackend}, got ${backend}`);
  }
  startup[set.expectedBackend] = { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), runs: RUNS };
}
server.close();

const result = { date: new Date().toISOString(), chromium: CHROMIUM_PATH, gzipBytes: sizes, npmPackage, connectToReadyMs: startup };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/startup.json', `${JSON.stringify(result, null, 2)}\n`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const md = `# Startup benchmark (${result.date})

| artifact | gzip |
|---|---|
| script-tag file \`vib3.iife.js\` | ${kb(sizes.iife)} |
| script-tag extension runtime \`vib3-extensions.iife.js\` (optional) | ${kb(sizes.extensionsIife)} |
| ES entry + chunks loaded with it | ${kb(sizes.esEntry)} |
| ES lazy renderer chunk (three.js) | ${kb(sizes.esRendererChunk)} |

npm package (\`npm pack\`): ${kb(npmPackage.tarballBytes)} tarball, ${kb(npmPackage.unpackedBytes)} unpacked, ${npmPackage.files} files; runtime dependencies: ${npmPackage.dependencies.join(', ') || 'none'}. Anchor: \`@google/model-viewer\` unpacks to ${kb(npmPackage.modelViewerUnpackedBytes)} (plus its three.js peer).

connectedCallback → vib3-ready (first frame drawn), headless Chromium on SwiftShader, ${RUNS} fresh page loads each:

| backend | median | min | max |
|---|---|---|---|
${Object.entries(startup).map(([b, s]) => `| ${b} | ${s.medianMs.toFixed(0)} ms | ${s.minMs.toFixed(0)} ms | ${s.maxMs.toFixed(0)} ms |`).join('\n')}
`;
writeFileSync('bench/results/startup.md', md);
console.log(md);
