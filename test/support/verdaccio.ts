// A real npm registry for tests: Verdaccio 6 (the devDependency) as a child process on a free
// loopback port, with its config, storage and htpasswd file in a temporary folder (no uplinks, so
// nothing leaves the machine; publish and unpublish need a logged-in user). `addUser` creates a
// user the way `npm adduser` does and returns its API token. `stop()` kills the process and
// removes the folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** The Verdaccio version under test. */
export const VERDACCIO_VERSION: string = require('verdaccio/package.json').version;
const BIN = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');

const CONFIG = `# test/support/verdaccio.ts: loopback only, local packages only.
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

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A running Verdaccio. */
export interface TestVerdaccio {
  url: string;
  /** The folder holding its config and storage. */
  dir: string;
  /** Creates a user (PUT /-/user/org.couchdb.user:NAME, as `npm adduser`) and returns its token. */
  addUser(name: string, password: string): Promise<string>;
  /** Its recent output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts Verdaccio and waits until `/-/ping` answers. */
export async function startVerdaccio(): Promise<TestVerdaccio> {
  const dir = mkdtempSync(join(tmpdir(), 'vib3-verdaccio-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, CONFIG);
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, '--config', config, '--listen', `127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  child.stdout!.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when it answers; a process that exits first is a failure (no time limit of our own:
  // the test runner's timeout bounds a hang).
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`);
    }
    try {
      if ((await fetch(`${url}/-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    output: () => output,
    stop,
    async addUser(name, password) {
      const res = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, email: `${name}@example.invalid`, type: 'user', roles: [], date: new Date().toISOString() }),
      });
      const body = (await res.json()) as { token?: string };
      if (res.status !== 201 || !body.token) throw new Error(`verdaccio adduser: ${res.status} ${JSON.stringify(body)}`);
      return body.token;
    },
  };
}
