/** The kit's version as the CLI reports it: replaced at build time; read from package.json when run from source. */
import { readFileSync } from 'node:fs';
import { VERSION } from '../core/version.js';

/** The package version. */
export function version(): string {
  if (VERSION !== '0.0.0-dev') return VERSION;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return VERSION;
  }
}
