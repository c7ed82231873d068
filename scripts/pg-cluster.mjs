#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and for humans, from Debian's PostgreSQL binaries
// (`apt-get install -y postgresql`; /usr/lib/postgresql/<version>/bin, the highest version >= 15).
//
//   import { startPgCluster } from '../scripts/pg-cluster.mjs';
//   const pg = await startPgCluster();   // { url: 'postgres://postgres@127.0.0.1:PORT/vib3', stop() }
//   ...
//   await pg.stop();                     // stops the server and removes its directory
//
//   node scripts/pg-cluster.mjs          // starts one, prints its URL, stops on Ctrl+C
//
// The cluster lives in a fresh temporary directory, listens on 127.0.0.1 only (a free port; its unix
// socket inside that directory), trusts every local connection (a test cluster: no passwords) and
// trades durability for speed (fsync off). PostgreSQL refuses to run as root: when this process is
// root, initdb / pg_ctl run as the `postgres` system user (created by Debian's `postgresql`
// package) through `runuser`, and the directory is chowned to it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const PG_ROOT = '/usr/lib/postgresql';
const MIN_VERSION = 15;
const SUPERUSER = 'postgres';
const DATABASE = 'vib3';

/**
 * The bin directory of the highest installed PostgreSQL >= 15, or throws with the install hint.
 * @returns {{ version: number, bin: string }}
 */
export function findPgBin() {
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((v) => /^\d+$/.test(v) && Number(v) >= MIN_VERSION && existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL >= ${MIN_VERSION} server binaries not found under ${PG_ROOT}/*/bin: install them with \`apt-get install -y postgresql\``,
    );
  }
  return { version: versions[0], bin: join(PG_ROOT, String(versions[0]), 'bin') };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; small race until the server binds it). */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolvePort(port));
    });
  });
}

const asRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary (as `postgres` when we are root); resolves with its output, rejects on failure. */
function run(bin, args, { cwd }) {
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolveRun, reject) => {
    // stdin ignored; stdout/stderr collected. pg_ctl start leaves the server running detached.
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolveRun(out);
      else reject(new Error(`${[cmd, ...argv].join(' ')} exited with ${code}:\n${out.trim()}`));
    });
  });
}

/** Synchronous immediate stop + removal, for process exit when stop() was never awaited. */
function stopSync(bin, dir) {
  const data = join(dir, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) {
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args]] : [join(bin, 'pg_ctl'), args];
    spawnSync(cmd, argv, { cwd: dir, stdio: 'ignore' });
  }
  rmSync(dir, { recursive: true, force: true });
}

const live = new Map(); // dir -> bin, for the exit hook
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [dir, bin] of live) stopSync(bin, dir);
  });
}

/**
 * Starts a fresh PostgreSQL cluster (initdb + pg_ctl start + `CREATE DATABASE vib3`).
 * @param {{ dir?: string }} [options] `dir`: the parent directory of the cluster's temporary directory
 *   (default: the OS temp dir; when running as root it must be traversable by the `postgres` user).
 * @returns {Promise<{ url: string, port: number, dir: string, version: number,
 *   createDatabase(name?: string): Promise<string>, stop(): Promise<void> }>}
 *   `url` is `postgres://postgres@127.0.0.1:PORT/vib3` (superuser `postgres`, trust auth, no
 *   password); `createDatabase()` makes another empty database and returns its URL; `stop()` stops
 *   the server and removes the directory (idempotent; also done on process exit when forgotten).
 */
export async function startPgCluster(options = {}) {
  const { bin, version } = findPgBin();
  const parent = resolve(options.dir ?? tmpdir());
  const dir = mkdtempSync(join(parent, 'vib3-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  live.set(dir, bin);
  installExitHook();
  try {
    writeFileSync(join(dir, 'README'), 'Temporary PostgreSQL cluster of scripts/pg-cluster.mjs; safe to delete when no server runs.\n');
    // The socket dir must exist before start; create it as ourselves, then hand everything to postgres.
    mkdirSync(sock);
    if (asRoot()) chownTree(dir);
    await run(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'], { cwd: dir });
    // Loopback only, trust auth only for loopback and the private socket.
    writeFileSync(
      join(data, 'pg_hba.conf'),
      ['local all all trust', 'host all all 127.0.0.1/32 trust', 'local replication all trust', 'host replication all 127.0.0.1/32 trust', ''].join('\n'),
    );
    let lastError;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      appendFileSync(
        join(data, 'postgresql.conf'),
        [
          '',
          '# scripts/pg-cluster.mjs (a later setting wins)',
          `port = ${port}`,
          "listen_addresses = '127.0.0.1'",
          `unix_socket_directories = '${sock}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          "timezone = 'UTC'",
          '',
        ].join('\n'),
      );
      if (asRoot()) chownTree(dir);
      try {
        await run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '120', 'start'], { cwd: dir });
      } catch (err) {
        lastError = err;
        const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
        if (/could not bind|Address already in use/i.test(log)) continue; // lost the port race: another port
        throw new Error(`${err.message}\n${log.trim()}`);
      }
      await run(join(bin, 'createdb'), ['-h', sock, '-p', String(port), '-U', SUPERUSER, DATABASE], { cwd: dir });
      let stopped;
      const stop = () =>
        (stopped ??= (async () => {
          try {
            await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { cwd: dir });
          } catch {
            // already stopped (or never fully started): nothing to do but remove the files
          }
          rmSync(dir, { recursive: true, force: true });
          live.delete(dir);
        })());
      let created = 0;
      const createDatabase = async (name = `vib3_${process.pid}_${++created}_${Date.now().toString(36)}`) => {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*`);
        await run(join(bin, 'createdb'), ['-h', sock, '-p', String(port), '-U', SUPERUSER, name], { cwd: dir });
        return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
      };
      return { url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`, port, dir, version, createDatabase, stop };
    }
    throw lastError;
  } catch (err) {
    stopSync(bin, dir);
    live.delete(dir);
    throw err;
  }
}

function chownTree(dir) {
  const r = spawnSync('chown', ['-R', 'postgres:postgres', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`running as root, PostgreSQL must run as the \`postgres\` user, but chown failed (${(r.stderr || '').trim()}): \`apt-get install -y postgresql\` creates that user`);
  }
}

// CLI: start one, print the URL, stop on Ctrl+C / SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = Date.now();
  const cluster = await startPgCluster();
  console.log(cluster.url);
  console.error(`PostgreSQL ${cluster.version} in ${cluster.dir} (started in ${((Date.now() - started) / 1000).toFixed(1)} s); Ctrl+C stops it and removes the directory.`);
  const shutdown = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30);
}
