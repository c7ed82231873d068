// The Chromium client of bench/install.mjs: bench/install/page-entry.ts bundled with esbuild
// (platform browser; the extension host's virtual modules resolved by the build's own esbuild
// plugin, scripts/geometry-worker-plugin.mjs: the sandbox frame is dist/sandbox/frame.html, copied
// next to the bundle, and the worker shim dist/sandbox/extension-worker.js is inlined), served from
// a loopback server (scripts/serve.mjs) and loaded in the system Chromium (playwright-core, the
// common flags of test/chromium-flags.mjs). The registry is another origin (its reads answer CORS).
//
// What a sample includes: the Installer operation in the page, from the call to its result —
// TUF refresh, download, hashes, package signature, compatibility, consent (a policy answering
// yes at once), activation in the ExtensionHost (a sandboxed iframe + worker started, or restarted
// with the new version), the IndexedDB commit. Not included: page load, bundle parse, the
// playwright round trip. Cold and warm installs are a new host + Installer each ("a page load");
// channel switches, rollbacks and updates run on one live host + Installer per extension.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { esbuildGeometryWorker, FRAME_FILE, SHIM_FILE } from '../../scripts/geometry-worker-plugin.mjs';
import { serveStatic } from '../../scripts/serve.mjs';
import { CHROMIUM_PATH, COMMON_FLAGS } from '../../test/chromium-flags.mjs';

/** Bundles the page into `web` (web/index.html, web/b/install-page.js, web/sandbox/frame.html). */
async function buildPage(root, web) {
  for (const f of [FRAME_FILE, SHIM_FILE]) if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run npm run build first`);
  const esbuild = await import('esbuild');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  mkdirSync(join(web, 'sandbox'), { recursive: true });
  copyFileSync(join(root, FRAME_FILE), join(web, 'sandbox/frame.html'));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { 'install-page': 'bench/install/page-entry.ts' },
    outdir: join(web, 'b'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { __VIB3_VERSION__: JSON.stringify(pkg.version) },
    plugins: [esbuildGeometryWorker],
  });
  writeFileSync(join(web, 'index.html'), '<!doctype html>\n<meta charset="utf-8"><title>install bench</title>\n<script type="module" src="/b/install-page.js"></script>\n');
}

/** Starts the page; resolves to the client (same scenario methods as the Node clients) + close(). */
export async function chromiumClient({ root, work, registry, rootText }) {
  const web = join(work, 'web');
  await buildPage(root, web);
  const { server, url } = await serveStatic({ root: web });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: COMMON_FLAGS });
  const page = await browser.newPage();
  // Uncaught errors and console errors of the page; HTTP answers >= 400 it got, counted by path
  // (every TUF refresh asks for the next root version, /tuf/<N+1>.root.json, and a 404 means none).
  const pageErrors = [];
  const httpErrors = {};
  page.on('pageerror', (e) => pageErrors.push(String(e).slice(0, 300)));
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && pageErrors.push(m.text().slice(0, 300)));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const key = `${r.status()} ${new URL(r.url()).pathname}`;
    httpErrors[key] = (httpErrors[key] ?? 0) + 1;
  });
  await page.goto(`${url}/`);
  await page.waitForFunction(() => !!window.vib3InstallBench);
  await page.evaluate((c) => window.vib3InstallBench.setup(c), { registry, root: rootText });
  const version = browser.version();

  let seq = 0;
  const check = (r, what) => {
    if (!r.hostState?.endsWith(':active')) throw new Error(`${what}: the extension is not active in the host (${r.hostState})`);
    return r;
  };
  const once = (storage, op, drop) => page.evaluate(([n, s, o, d]) => window.vib3InstallBench.once(n, s, o, d), [`once-${++seq}`, storage, op, drop]);
  const run = (name, op) => page.evaluate(([n, o]) => window.vib3InstallBench.run(n, o), [name, op]);
  const live = (id) => `live-${id}`;
  return {
    name: 'chromium',
    version,
    pageErrors,
    httpErrors,
    async coldInstall(id) {
      return check(await once(`cold-${id}-${++seq}`, { op: 'install', id }, true), `cold install ${id}`);
    },
    async prepareWarm(id) {
      const name = `warm-${id}`;
      await page.evaluate(([n]) => window.vib3InstallBench.open(n, n), [name]);
      await run(name, { op: 'install', id });
      await run(name, { op: 'uninstall', id });
      await page.evaluate(([n]) => window.vib3InstallBench.close(n, false), [name]);
    },
    async warmInstall(id) {
      const name = `warm-${id}`;
      await page.evaluate(([n]) => window.vib3InstallBench.open(n, n), [name]);
      try {
        const r = check(await run(name, { op: 'install', id }), `warm install ${id}`);
        await run(name, { op: 'uninstall', id });
        return r;
      } finally {
        await page.evaluate(([n]) => window.vib3InstallBench.close(n, false), [name]);
      }
    },
    async prepare(id, channel) {
      await page.evaluate(([n]) => window.vib3InstallBench.open(n, n), [live(id)]);
      await run(live(id), { op: 'install', id });
      if (channel) await run(live(id), { op: 'channel', id, channel });
    },
    channel: async (id, channel) => check(await run(live(id), { op: 'channel', id, channel }), `channel ${id} ${channel}`),
    rollback: async (id, to) => check(await run(live(id), { op: 'rollback', id, to }), `rollback ${id} ${to}`),
    update: async (id) => check(await run(live(id), { op: 'update', id }), `update ${id}`),
    /** Done with `id`'s live session: its host stops (the extension no longer runs in the page). */
    release: (id) => page.evaluate(([n]) => window.vib3InstallBench.close(n, true), [live(id)]),
    async close() {
      await browser.close();
      server.close();
    },
  };
}
