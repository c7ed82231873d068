// Verdaccio 6 on loopback for bench/registry.mjs and the tests (test/support/verdaccio.ts): a temp config (htpasswd auth, JWT API tokens,
// no uplinks so nothing leaves the machine, no web UI, error-level logs, rate limits lifted),
// started through its own bin in a child process so its search backlog can be cut by killing it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const VERDACCIO_VERSION = require('verdaccio/package.json').version;
const BIN = join(require.resolve('verdaccio/package.json'), '..', 'bin', 'verdaccio');

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const CONFIG = `# bench/registry/verdaccio.mjs: Verdaccio on loopback, local packages only.
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 100
uplinks: {}
packages:
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
security:
  api:
    legacy: false
    jwt:
      sign:
        expiresIn: 1d
web:
  enable: false
max_body_size: 100mb
userRateLimit:
  windowMs: 1000
  max: 1000000000
log: { type: stdout, format: json, level: error }
`;

// Verdaccio processes still running when this process exits (an error path skipped stop()).
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts Verdaccio with its config and storage under `dir` (kept across restarts). */
export async function startVerdaccio(dir) {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yaml');
  if (!existsSync(config)) writeFileSync(config, CONFIG);
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, '--config', config, '--listen', `127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
  live.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', () => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`verdaccio did not answer /-/ping within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    output: () => output,
    /** Kills this Verdaccio process (its pending searches die with it) and waits for it to exit. */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `npm adduser`: creates the user and returns its API token. */
export async function addUser(url, name, password) {
  const res = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, email: `${name}@example.invalid`, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await res.json();
  if (res.status !== 201 || !body.token) throw new Error(`verdaccio adduser: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** `npm publish`: PUT /<name> with the document (tarball as a base64 attachment). */
export async function npmPublish(url, token, body) {
  const res = await fetch(`${url}/${encodeURIComponent(body.name).replace(/^%40/, '@')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text };
}
