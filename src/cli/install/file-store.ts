/**
 * The CLI's install store: a project-local directory (`--dir`, default `./vib3_extensions`).
 *
 *     DIR/vib3-extensions.json   the state document (installed set, active versions, channels,
 *                                grants, cached versions; replaced by rename: all or nothing)
 *     DIR/packages/<sha256>.vib3x  cached packages, content-addressed
 *     DIR/tuf/<role>.json        the TUF client's trusted metadata
 *     DIR/.lock                  held while an operation runs (pid inside; a dead holder's lock is taken over)
 *
 * Every write goes to a temporary file that is fsynced and renamed into place, so a process
 * killed at any point leaves either the old or the new file, never a torn one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
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
      load: async (role) => (ROLE.test(role) ? read(join(this.tuf, `${role}.json`)) : undefined),
      save: async (role, bytes) => {
        if (!ROLE.test(role)) throw new InstallerError('STORE_FAILED', `Refusing to store metadata named ${JSON.stringify(role)}.`, 'Report this bug.');
        mkdirSync(this.tuf, { recursive: true });
        writeFileAtomic(this.tuf, `${role}.json`, bytes);
      },
    };
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    const lock = join(this.dir, '.lock');
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      try {
        const fd = openSync(lock, 'wx', 0o644);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new InstallerError('STORE_FAILED', `Cannot lock ${this.dir}: ${(err as Error).message}`, 'Check the directory is writable.');
        const holder = Number(read(lock)?.toString('utf8'));
        if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
          // The holder died (killed mid-install): its lock is stale.
          rmSync(lock, { force: true });
          continue;
        }
        if (Date.now() > deadline) throw new InstallerError('STORE_LOCKED', `Another vib3 process (pid ${holder}) is using ${this.dir}.`, 'Wait for it to finish, then retry.', { pid: holder });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    try {
      return await fn();
    } finally {
      rmSync(lock, { force: true });
    }
  }

  async readState(): Promise<InstallState | undefined> {
    const bytes = read(join(this.dir, STATE_FILE));
    if (!bytes) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8')) as InstallState;
    } catch {
      throw new InstallerError('STORE_FAILED', `${join(this.dir, STATE_FILE)} is not valid JSON.`, 'Restore it from version control, or remove the directory and install again.');
    }
  }

  async writeState(state: InstallState): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.dir, STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
  }

  /** The path of a cached package. */
  packagePath(sha256: string): string {
    return join(this.packages, `${sha256}.vib3x`);
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    if (!HEX64.test(sha256)) return undefined;
    const b = read(this.packagePath(sha256));
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.length) : undefined;
  }

  async writeBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    if (!HEX64.test(sha256)) throw new InstallerError('STORE_FAILED', 'A package blob needs a SHA-256 name.', 'Report this bug.');
    mkdirSync(this.packages, { recursive: true });
    writeFileAtomic(this.packages, `${sha256}.vib3x`, bytes);
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
