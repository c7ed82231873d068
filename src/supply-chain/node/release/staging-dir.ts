/**
 * Nothing half-written: a release is assembled in a hidden folder next to its destination and
 * renamed into place only when complete (a previous release there is replaced in the same step).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A folder being filled; {@link commit} moves it to its destination, {@link discard} removes it. */
export interface StagingDir {
  /** Where to write. */
  path: string;
  /** The final folder. */
  destination: string;
  commit(): void;
  discard(): void;
}

/** A new staging folder for `destination` (on the same filesystem, so the rename is atomic). */
export function stagingDir(destination: string): StagingDir {
  const target = resolve(destination);
  mkdirSync(dirname(target), { recursive: true });
  const path = mkdtempSync(join(dirname(target), `.${basename(target)}.staging-`));
  return {
    path,
    destination: target,
    commit() {
      // mkdtemp makes the folder private (0700); a release folder is for everyone to read.
      chmodSync(path, 0o755);
      if (!existsSync(target)) {
        renameSync(path, target);
        return;
      }
      // A folder cannot be renamed over a non-empty one: move the old release aside first.
      const old = `${path}.previous`;
      renameSync(target, old);
      try {
        renameSync(path, target);
      } catch (err) {
        renameSync(old, target);
        throw err;
      }
      rmSync(old, { recursive: true, force: true });
    },
    discard() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
