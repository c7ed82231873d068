/**
 * The extensions of an install directory made by `vib3 ext install --dir DIR` (docs/INSTALLER.md):
 * `DIR/vib3-extensions.json` names each extension's active version, the publisher key the
 * registry vouched for and what the user granted; `DIR/packages/<sha256>.vib3x` holds the signed
 * package. Each package is read and its SHA-256 checked here; the page's ExtensionHost verifies
 * its signature against that key again before anything runs. Node-only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InstallState } from '../../marketplace/store.js';
import { HeadlessError } from './errors.js';

/** The state file's name (as `vib3 ext install` writes it). */
export const STATE_FILE = 'vib3-extensions.json';

/** One installed package, ready for the page. */
export interface InstalledPackage {
  id: string;
  version: string;
  bytes: Uint8Array;
  keyId: string;
  publicKey: string;
  granted: { capabilities: string[]; origins: string[] };
}

const invalid = (dir: string, why: string) => new HeadlessError('EXTENSIONS_DIR_INVALID', `${dir}: ${why}`, 'Pass a directory made by "vib3 ext install <id> --dir DIR --yes" (vib3 ext list --dir DIR shows what it holds).');

/**
 * Reads the active version of every extension installed in `dir`.
 * @throws HeadlessError EXTENSIONS_DIR_INVALID (no or unreadable state), CACHE_CORRUPT (a package's hash does not match).
 */
export function readInstalled(dir: string): InstalledPackage[] {
  const root = resolve(dir);
  let state: InstallState;
  try {
    state = JSON.parse(readFileSync(join(root, STATE_FILE), 'utf8')) as InstallState;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw invalid(root, missing ? `no ${STATE_FILE} (nothing installed there).` : `${STATE_FILE} cannot be read: ${(err as Error).message}`);
  }
  if (state?.format !== 1 || typeof state.extensions !== 'object' || state.extensions === null) throw invalid(root, `${STATE_FILE} is not an install state this kit reads.`);
  const out: InstalledPackage[] = [];
  for (const record of Object.values(state.extensions)) {
    const cached = record.cache?.[record.active];
    if (!cached || !/^[0-9a-f]{64}$/.test(cached.sha256)) throw invalid(root, `${record.id}@${record.active} has no cached package.`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(join(root, 'packages', `${cached.sha256}.vib3x`)));
    } catch {
      throw invalid(root, `the package of ${record.id}@${record.active} is missing from packages/.`);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== cached.sha256) {
      throw new HeadlessError('CACHE_CORRUPT', `The cached package of ${record.id}@${record.active} does not match its recorded SHA-256.`, `Reinstall it: vib3 ext install ${record.id} --dir ${dir} --yes.`);
    }
    out.push({ id: record.id, version: record.active, bytes, keyId: cached.keyId, publicKey: cached.publicKey, granted: { capabilities: [...(record.granted?.capabilities ?? [])], origins: [...(record.granted?.origins ?? [])] } });
  }
  return out;
}
