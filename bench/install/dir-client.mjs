// The scenarios on an install directory (`--dir`), for the two Node clients of bench/install.mjs:
// the installer engine in this process (engine.mjs) and whole `vib3 ext …` processes (cli.mjs).
// Each client supplies `run(op, args)` → one timed sample; this file decides which directory each
// run uses:
//   cold    a new empty directory per run, the registry's root.json passed in as the trusted root
//   warm    a copy of a template directory that installed and uninstalled the extension once
//           (trusted TUF metadata in DIR/tuf, nothing cached), copied before the timer starts
//   channel / rollback / update   one directory per extension, prepared once, used by every run
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `run(op, { dir, id, trust?, channel?, to? })` with op install | uninstall | channel | rollback |
 * update resolves to { ms, result, … } and throws when the operation failed.
 */
export function dirClient({ work, run }) {
  mkdirSync(work, { recursive: true });
  let seq = 0;
  const fresh = (label) => {
    const dir = join(work, `${label}-${++seq}`);
    rmSync(dir, { recursive: true, force: true });
    return dir;
  };
  const templates = new Map();
  const kept = new Map();
  return {
    async coldInstall(id) {
      const dir = fresh('cold');
      try {
        return await run('install', { dir, id, trust: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async prepareWarm(id) {
      const dir = fresh('warm-template');
      await run('install', { dir, id, trust: true });
      await run('uninstall', { dir, id });
      templates.set(id, dir);
    },
    async warmInstall(id) {
      const dir = fresh('warm');
      cpSync(templates.get(id), dir, { recursive: true });
      try {
        return await run('install', { dir, id });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    /** Installs `id` into a directory kept for later runs; then `channel` (if given) switches it. */
    async prepare(id, channel) {
      const dir = fresh('kept');
      kept.set(id, dir);
      await run('install', { dir, id, trust: true });
      if (channel) await run('channel', { dir, id, channel });
    },
    channel: (id, channel) => run('channel', { dir: kept.get(id), id, channel }),
    rollback: (id, to) => run('rollback', { dir: kept.get(id), id, to }),
    update: (id) => run('update', { dir: kept.get(id), id }),
    /** Done with `id`'s kept directory. */
    async release(id) {
      rmSync(kept.get(id), { recursive: true, force: true });
      kept.delete(id);
    },
    async close() {
      rmSync(work, { recursive: true, force: true });
    },
  };
}
