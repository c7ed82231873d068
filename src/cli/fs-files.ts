import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PackageFiles } from '../extensions/signing/archive.js';

/** What `vib3 ext pack` puts in a package besides extension.json. */
export const PACKED_DIRS = ['dist', 'assets'];
/** Top-level files `vib3 ext pack` adds when present. */
export const PACKED_FILES = ['README.md', 'LICENSE', 'CHANGELOG.md', 'sbom.cdx.json'];

/** Collects the package files of an extension folder (sorted, POSIX paths). */
export function collectPackageFiles(dir: string): PackageFiles {
  const files: PackageFiles = new Map();
  files.set('extension.json', readFileSync(join(dir, 'extension.json')));
  for (const f of PACKED_FILES) if (existsSync(join(dir, f))) files.set(f, readFileSync(join(dir, f)));
  for (const d of PACKED_DIRS) {
    const root = join(dir, d);
    if (!existsSync(root)) continue;
    for (const file of walk(root)) files.set(relative(dir, file).split(sep).join('/'), readFileSync(file));
  }
  return files;
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}
