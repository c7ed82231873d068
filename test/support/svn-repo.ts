// A real Subversion repository for tests, laid out as WordPress.org hands a plugin its own:
// `svnadmin create` in a temporary folder, the empty trunk/ tags/ assets/ branches/ committed,
// and `svnserve` (Debian's subversion) serving it on a free loopback port with password auth
// (anonymous access none, authenticated write; users from a passwd file). `stop()` takes the
// server down (the repository stays, so "the partner is down" can be tested and `start()` brings
// it back on the same port); `close()` stops it and removes the folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './verdaccio.js';

/** A served repository. */
export interface TestSvnRepo {
  /** `svn://127.0.0.1:PORT/plugin` — what the push is configured with. */
  url: string;
  /** `file://` URL of the same repository (for reads that must not depend on the server). */
  fileUrl: string;
  /** The folder holding the repository and the svn client config used by {@link svn}. */
  dir: string;
  /** Runs the real `svn` CLI with an isolated config dir and these credentials; throws on a non-zero exit. */
  svn(args: string[], user?: { name: string; password: string }): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

// svnserve processes still running when this process exits (an error path skipped close()).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Resolves once something accepts TCP connections on the port; rejects when `child` exits first. */
async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`svnserve exited (${child.exitCode}):\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = connect({ host: '127.0.0.1', port }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates the repository and serves it. `users`: name → password. */
export async function startSvnRepo(users: Record<string, string>): Promise<TestSvnRepo> {
  const dir = mkdtempSync(join(tmpdir(), 'vib3-svn-'));
  const root = join(dir, 'repos');
  const repo = join(root, 'plugin');
  const configDir = join(dir, 'client-config');
  mkdirSync(root);
  run('svnadmin', ['create', repo]);
  writeFileSync(join(repo, 'conf', 'svnserve.conf'), '[general]\nanon-access = none\nauth-access = write\npassword-db = passwd\nrealm = vib3-test\n');
  writeFileSync(join(repo, 'conf', 'passwd'), `[users]\n${Object.entries(users).map(([n, p]) => `${n} = ${p}`).join('\n')}\n`);
  const fileUrl = `file://${repo}`;
  run('svn', ['mkdir', '--config-dir', configDir, '-m', 'Plugin repository', '--parents', ...['trunk', 'tags', 'assets', 'branches'].map((d) => `${fileUrl}/${d}`)]);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    const proc = spawn('svnserve', ['-d', '--foreground', '--listen-host', '127.0.0.1', '--listen-port', String(port), '-r', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d) => (output = (output + d).slice(-4000)));
    proc.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
    child = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    await waitForPort(port, proc, () => output);
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `svn://127.0.0.1:${port}/plugin`,
    fileUrl,
    dir,
    svn(args, user) {
      const auth = user ? ['--username', user.name, '--password', user.password, '--no-auth-cache'] : [];
      return run('svn', ['--non-interactive', '--config-dir', configDir, ...auth, ...args]);
    },
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
