/**
 * npm lockfile lookups (package-lock.json v2/v3): the registry integrity (SHA-512 of the tarball
 * npm installed) and the resolved URL of an installed package, for SBOM hashes.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** The lockfile entries the SBOM reads. */
export interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  license?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
}

/** A package-lock.json and where it is. */
export interface Lockfile {
  dir: string;
  packages: Record<string, LockEntry>;
}

/** The nearest package-lock.json at or above `dir`, or undefined. */
export function findLockfile(dir: string): Lockfile | undefined {
  let at = realpathSync(dir);
  for (;;) {
    const file = join(at, 'package-lock.json');
    if (existsSync(file)) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { packages?: Record<string, LockEntry> };
      return { dir: at, packages: doc.packages ?? {} };
    }
    const parent = dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

/** The lock entry of the package installed in `pkgDir` (by path, else by name and version). */
export function lockEntryOf(lock: Lockfile | undefined, pkgDir: string, name: string, version: string): LockEntry | undefined {
  if (!lock) return undefined;
  const key = relative(lock.dir, pkgDir).split(sep).join('/');
  const byPath = lock.packages[key];
  if (byPath && byPath.version === version) return byPath;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if ((path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`)) && entry.version === version) return entry;
  }
  return undefined;
}

/** Hex of the SHA-512 in an npm `integrity` string (`sha512-<base64>`), or undefined. */
export function sha512HexOfIntegrity(integrity: string | undefined): string | undefined {
  const m = integrity?.split(/\s+/).find((i) => i.startsWith('sha512-'));
  return m ? Buffer.from(m.slice(7), 'base64').toString('hex') : undefined;
}
