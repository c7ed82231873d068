/**
 * Where the headless page's files are: the kit's `dist/` folder next to the CLI bundle
 * (`dist/cli/vib3.js` → `dist/`), or the repository's `dist/` when this module runs from source
 * (`src/agent-server/headless/` → `dist/`). Node-only.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadlessError } from './errors.js';

/** The page and the kit modules it loads (relative to dist/). */
export const HEADLESS_FILES = ['agent/headless.html', 'agent/headless-host.js', 'vib3-embed.js', 'agent.js'] as const;
/** What the page also needs to run extensions. */
export const EXTENSION_FILES = ['extensions/runtime.js', 'sandbox/frame.html'] as const;

/**
 * The kit's dist/ folder.
 * @param from The module asking (default: this one; in the CLI bundle that is dist/cli/vib3.js).
 * @throws HeadlessError KIT_FILES_NOT_FOUND when no candidate holds every file the page needs.
 */
export function headlessDistDir(options: { from?: string; extensions?: boolean } = {}): string {
  const here = dirname(options.from ?? fileURLToPath(import.meta.url));
  const needed: readonly string[] = options.extensions ? [...HEADLESS_FILES, ...EXTENSION_FILES] : HEADLESS_FILES;
  const candidates = [join(here, '..'), join(here, '..', '..', '..', 'dist')].map((d) => resolve(d));
  for (const dir of candidates) {
    if (needed.every((f) => existsSync(join(dir, f)))) return dir;
  }
  throw new HeadlessError('KIT_FILES_NOT_FOUND', `The headless canvas page (${needed.join(', ')}) is not next to the CLI (looked in ${candidates.join(', ')}).`, 'Reinstall vib3-embed (or run npm run build in a checkout of the kit).');
}
