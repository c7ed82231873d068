/**
 * The CLI's install store: a project-local directory (`--dir`, default `./vib3_extensions`).
 *
 *     DIR/vib3-extensions.json   the state document (installed set, active versions, channels,
 *                                grants, cached versions; replaced by rename: all or nothing)
 *     DIR/packages/<sha256>.vib3x  cached packages, content-addressed
 *     DIR/tuf/<role>.json        the TUF client's trusted metadata
 *     DIR/.lock                  held while an operation runs ({ pid, nonce } inside, created
 *                                atomically by a hard link; a dead holder's lock is taken over)
 *
 * Every write goes to a temporary file that is fsynced and renamed into place, so a process
 * killed at any point leaves either the old or the new file, never a torn one.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { InstallerError } from '../../marketplace/errors.js';
import type { InstallState, InstallStore } from '../../marketplace/store.js';
import type { MetadataStore } from '../../marketplace/tuf/metadata-store.js';

/** The state file's name inside the directory. */
export const STATE_FILE = 'vib3-extensions.json';
const HEX64 = /^[0-9a-f]{64}$/;
const ROLE = /^[a-z][a-z0-9-]{0,63}$/;

/** Writes `bytes` to `path` atomically (temp file, fsync, rename, fsync of the directory). */
export function writeFileAtomic(dir: string, name: string, bytes: Uint8Array | string): void {
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  try {
    const d = openSync(dir, 'r');
    fsyncSync(d);
    closeSync(d);
  } catch {
    // Directories cannot be fsynced on every platform; the rename is still atomic.
  }
}

const read = (path: string): Buffer | undefined => {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};

/** Nonces of the locks this process holds (another lock with this process's pid is a dead predecessor's). */
const HELD = new Set<string>();
/** A lock file that is still being written (or unreadable) counts as held for this long. */
const UNREADABLE_LOCK_MS = 10_000;

type LockOwner = { pid: number; nonce: string };

/** The owner written in a lock file; undefined when unreadable, 'gone' when the file is not there. */
function readLock(path: string): LockOwner | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const v = JSON.parse(text) as LockOwner;
    return Number.isInteger(v.pid) && v.pid > 0 && typeof v.nonce === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a lock's holder is gone: a dead pid, this pid without a lock of ours, or unreadable for too long. */
function isStale(holder: LockOwner | undefined, path: string): boolean {
  if (!holder) {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_LOCK_MS;
    } catch {
      return false;
    }
  }
  if (holder.pid === process.pid) return !HELD.has(holder.nonce);
  return !alive(holder.pid);
}

function storeFailed(what: string, err: unknown): InstallerError {
  return new InstallerError('STORE_FAILED', `${what}: ${(err as Error)?.message ?? String(err)}`, 'Check the install directory exists, is writable and has free space; nothing was changed.');
}

/** Runs a file operation; a failure becomes STORE_FAILED. */
function guard<T>(op: () => T, what: string): T {
  try {
    return op();
  } catch (err) {
    throw storeFailed(what, err);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** An install store in a directory. */
export class FileInstallStore implements InstallStore {
  readonly metadata: MetadataStore;
  private readonly packages: string;
  private readonly tuf: string;

  /** @param waitMs how long an operation waits for another process's lock before STORE_LOCKED. */
  constructor(readonly dir: string, private readonly waitMs = 30_000) {
    this.packages = join(dir, 'packages');
    this.tuf = join(dir, 'tuf');
    this.metadata = {
      load: async (role) => (ROLE.test(role) ? guard(() => read(join(this.tuf, `${role}.json`)), 'Cannot read trusted metadata') : undefined),
      save: async (role, bytes) => {
        if (!ROLE.test(role)) throw new InstallerError('STORE_FAILED', `Refusing to store metadata named ${JSON.stringify(role)}.`, 'Report this bug.');
        guard(() => {
          mkdirSync(this.tuf, { recursive: true });
          writeFileAtomic(this.tuf, `${role}.json`, bytes);
        }, 'Cannot save trusted metadata');
      },
    };
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    guard(() => mkdirSync(this.dir, { recursive: true }), `Cannot create ${this.dir}`);
    const lock = join(this.dir, '.lock');
    const nonce = randomBytes(8).toString('hex');
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      // The lock appears atomically with its content: written to a file of our own, then hard-linked.
      const mine = join(this.dir, `.lock.${nonce}.tmp`);
      guard(() => writeFileSync(mine, JSON.stringify({ pid: process.pid, nonce })), `Cannot lock ${this.dir}`);
      try {
        linkSync(mine, lock);
        HELD.add(nonce);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw storeFailed(`Cannot lock ${this.dir}`, err);
      } finally {
        rmSync(mine, { force: true });
      }
      const holder = readLock(lock);
      if (holder === 'gone') continue;
      if (isStale(holder, lock)) {
        // Take a dead holder's lock over: only one process's rename of it succeeds.
        const grave = join(this.dir, `.lock.stale.${nonce}`);
        try {
          renameSync(lock, grave);
        } catch {
          continue;
        }
        const moved = readLock(grave);
        // Moved a lock someone took in the meantime? Put it back if nobody has locked since.
        if (moved !== 'gone' && holder && moved?.nonce !== holder.nonce) {
          try {
            linkSync(grave, lock);
          } catch {
            // Someone else locked already; the owner of the moved lock will find its nonce gone.
          }
        }
        rmSync(grave, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new InstallerError('STORE_LOCKED', `Another vib3 process (pid ${holder?.pid ?? '?'}) is using ${this.dir}.`, 'Wait for it to finish, then retry.', { ...(holder ? { pid: holder.pid } : {}) });
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      return await fn();
    } finally {
      HELD.delete(nonce);
      // Remove the lock only while it is still ours.
      const now = readLock(lock);
      if (now !== 'gone' && now?.nonce === nonce) rmSync(lock, { force: true });
    }
  }

  async readState(): Promise<InstallState | undefined> {
    const bytes = guard(() => read(join(this.dir, STATE_FILE)), `Cannot read ${STATE_FILE}`);
    if (!bytes) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8')) as InstallState;
    } catch {
      throw new InstallerError('STORE_FAILED', `${join(this.dir, STATE_FILE)} is not valid JSON.`, 'Restore it from version control, or remove the directory and install again.');
    }
  }

  async writeState(state: InstallState): Promise<void> {
    guard(() => {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomic(this.dir, STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
    }, `Cannot write ${STATE_FILE}`);
  }

  /** The path of a cached package. */
  packagePath(sha256: string): string {
    return join(this.packages, `${sha256}.vib3x`);
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    if (!HEX64.test(sha256)) return undefined;
    const b = guard(() => read(this.packagePath(sha256)), 'Cannot read a cached package');
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.length) : undefined;
  }

  async writeBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    if (!HEX64.test(sha256)) throw new InstallerError('STORE_FAILED', 'A package blob needs a SHA-256 name.', 'Report this bug.');
    guard(() => {
      mkdirSync(this.packages, { recursive: true });
      writeFileAtomic(this.packages, `${sha256}.vib3x`, bytes);
    }, 'Cannot cache a package');
  }

  async deleteBlob(sha256: string): Promise<void> {
    if (HEX64.test(sha256)) rmSync(this.packagePath(sha256), { force: true });
  }

  async listBlobs(): Promise<string[]> {
    let names: string[];
    try {
      names = readdirSync(this.packages);
    } catch {
      return [];
    }
    // Leftover temporary files of a killed process are garbage too.
    for (const n of names) if (n.endsWith('.tmp')) rmSync(join(this.packages, n), { force: true });
    return names.filter((n) => /^[0-9a-f]{64}\.vib3x$/.test(n)).map((n) => n.slice(0, 64));
  }
}
