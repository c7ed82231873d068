/**
 * The SRI value of the script-tag file from the installed package's `dist/integrity.json` (or a
 * release's `integrity.json`): what `vib3 embed-code` puts into the snippet's `integrity`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.js';
import { PACKAGE_NAME, SCRIPT_FILE } from '../embed/snippet.js';

/** The kit release a snippet loads. */
export interface KitIntegrity {
  version: string;
  integrity: string;
  /** The file it was read from. */
  file: string;
}

/**
 * The installed package's `dist/integrity.json`: the nearest folder above this module with a
 * `package.json` named vib3-embed (dist/cli/vib3.js in the package; src/cli/… in a checkout).
 */
export function installedIntegrityFile(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return join(dir, 'dist', 'integrity.json');
      } catch {
        // not a readable package.json: keep looking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

const missing = (file: string) =>
  new CliError(`No SRI values at ${file}.`, 1, 'INTEGRITY_MISSING', 'Build the kit first (npm run build writes dist/integrity.json), or pass --integrity-file <release>/integrity.json.');

/** Reads the version and the script-tag file's SRI value; coded errors when the file is missing or lacks them. */
export function readKitIntegrity(file?: string): KitIntegrity {
  const path = file ? resolve(file) : installedIntegrityFile();
  if (!path || !existsSync(path)) throw missing(path ?? 'dist/integrity.json');
  let doc: { version?: unknown; files?: Record<string, { integrity?: unknown }> };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as typeof doc;
  } catch {
    throw new CliError(`${path} is not JSON.`, 1, 'INTEGRITY_INVALID', 'Use the integrity.json of a kit release or of the installed package (dist/integrity.json).');
  }
  const integrity = doc.files?.[SCRIPT_FILE]?.integrity;
  if (typeof doc.version !== 'string' || typeof integrity !== 'string') {
    throw new CliError(`${path} has no version or no SRI value for ${SCRIPT_FILE}.`, 1, 'INTEGRITY_INVALID', 'Use the integrity.json of a kit release or of the installed package (dist/integrity.json).');
  }
  return { version: doc.version, integrity, file: path };
}
