// Whole `vib3 ext …` processes (bench/install.mjs "CLI process" rows): `node <vib3.js> ext install
// <id> --registry URL --dir DIR --yes --json` and its siblings, spawned one at a time and timed from
// spawn to exit (Node start, loading the bundled CLI, the operation, printing the JSON result).
// The JSON result's own `ms` (the operation as the CLI times it) is kept as `inner`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dirClient } from './dir-client.mjs';

/** Newest modification time (ms) of the .ts files under `dir`. */
function newestTs(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The CLI to time: `BENCH_INSTALL_CLI`, else the built dist/cli/vib3.js (`npm run bench` builds it
 * first). When dist/cli/vib3.js is missing or older than a source file under src/, the sources are
 * bundled into `tmp` with the options scripts/build.mjs uses, so the numbers are of the code that
 * is there. Resolves to { path, source }.
 */
export async function resolveCli(root, tmp) {
  if (process.env.BENCH_INSTALL_CLI) return { path: process.env.BENCH_INSTALL_CLI, source: 'BENCH_INSTALL_CLI' };
  const dist = join(root, 'dist/cli/vib3.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestTs(join(root, 'src'))) return { path: dist, source: 'dist/cli/vib3.js' };
  const esbuild = await import('esbuild');
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const esbuildVersion = JSON.parse(readFileSync(join(root, 'node_modules/esbuild/package.json'), 'utf8')).version;
  const outfile = join(tmp, 'cli/vib3.js');
  mkdirSync(join(tmp, 'cli'), { recursive: true });
  // As scripts/build.mjs bundles dist/cli/vib3.js.
  await esbuild.build({
    bundle: true,
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
    define: { __VIB3_VERSION__: JSON.stringify(pkg.version), __VIB3_ESBUILD_VERSION__: JSON.stringify(esbuildVersion) },
    platform: 'node',
    absWorkingDir: root,
    entryPoints: ['src/cli/bin.ts'],
    outfile,
    external: ['esbuild', '@electric-sql/pglite', 'pg', 'pg-native'],
    banner: { js: "import { createRequire as __vib3CreateRequire } from 'node:module'; const require = __vib3CreateRequire(import.meta.url);" },
  });
  return { path: outfile, source: `a temporary bundle of src/cli/bin.ts (as scripts/build.mjs builds it): ${existsSync(dist) ? 'dist/cli/vib3.js was older than the sources' : 'dist/cli/vib3.js was missing'}` };
}

/** Spawns `command args`; resolves to { ms (spawn to exit), code, stdout, stderr }. */
export function timeProcess(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

/** The CLI client: `cli` is the path of vib3.js, `rootFile` the registry's root.json. */
export function cliClient({ cli, registry, rootFile, work }) {
  const run = async (op, { dir, id, trust, channel, to }) => {
    const args = {
      install: ['install', id, '--registry', registry, '--yes', ...(trust ? ['--trust-root', rootFile] : [])],
      uninstall: ['uninstall', id],
      channel: ['channel', id, channel, '--yes'],
      rollback: ['rollback', id, '--to', to],
      update: ['update', id, '--yes'],
    }[op];
    const r = await timeProcess(process.execPath, [cli, 'ext', ...args, '--dir', dir, '--json']);
    let body;
    try {
      body = JSON.parse(r.stdout);
    } catch {
      body = undefined;
    }
    if (r.code !== 0 || !body?.ok) throw new Error(`vib3 ext ${args.join(' ')} exited ${r.code}: ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
    return { ms: r.ms, inner: body.ms, result: op === 'update' ? body.results[0] : body };
  };
  return { name: 'cli', ...dirClient({ work, run }) };
}
