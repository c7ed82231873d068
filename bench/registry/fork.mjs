// The registry in a child process of its own (bench/registry/server.mjs, forked with `--import
// tsx`), so that a load generator or an installer under test never shares its event loop: shared
// by bench/registry.mjs and bench/install.mjs.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Forks bench/registry/server.mjs: `call(cmd, args)` sends one IPC request (see that file for the
 * commands: start, restart, bulk, counts, explain, vacuum, maintenance, errors, close) and
 * resolves to its result; `stop()` closes the registry and waits for the child to exit.
 */
export function forkServer() {
  const child = fork(join(ROOT, 'bench/registry/server.mjs'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let seq = 0;
  const pending = new Map();
  child.on('message', (m) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result);
    else p?.reject(new Error(`registry child: ${m.error}`));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`registry child exited (${code ?? signal})`));
    pending.clear();
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  return {
    call,
    /** Closes the registry (kills the child if that takes over 30 s) and waits for the exit. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await call('close').catch(() => child.kill('SIGKILL'));
      await exited;
      clearTimeout(timer);
    },
  };
}
