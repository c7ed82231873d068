/**
 * Where the kit's built browser files are: the `dist/` folder of the installed vib3-embed
 * package, next to the CLI bundle (`dist/cli/vib3.js` -> `dist/`), or the repository's `dist/`
 * when this module runs from source. Previews load `<vib3-canvas>` and the extension runtime
 * from there, exactly as a script-tag page does. Node-only.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PreviewError } from './errors.js';

/** The files a preview page loads (relative to the kit's dist/). */
export const KIT_FILES = ['vib3.iife.js', 'vib3-extensions.iife.js', 'sandbox/frame.html'] as const;

/**
 * The kit's dist/ folder.
 * @param from The module asking (default: this one; in the CLI bundle that is dist/cli/vib3.js).
 * @throws PreviewError KIT_FILES_NOT_FOUND when no candidate holds every file of {@link KIT_FILES}.
 */
export function kitDistDir(from: string = fileURLToPath(import.meta.url)): string {
  const here = dirname(from);
  // dist/cli -> dist; src/listings/previews -> dist
  const candidates = [join(here, '..'), join(here, '..', '..', '..', 'dist')];
  for (const dir of candidates) {
    if (KIT_FILES.every((f) => existsSync(join(dir, f)))) return dir;
  }
  throw new PreviewError('KIT_FILES_NOT_FOUND', `The kit's browser files (${KIT_FILES.join(', ')}) are not next to the CLI (looked in ${candidates.join(', ')}).`, 'Reinstall vib3-embed (or run npm run build in a checkout of the kit).');
}
