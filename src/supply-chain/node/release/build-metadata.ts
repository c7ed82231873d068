/**
 * The bundler metafiles `npm run build` leaves in `.build-meta/` (one per esbuild or Vite build
 * whose output ships), read for the release's SBOM, and the third-party packages bundled into the
 * files a tarball ships.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupplyChainError } from '../../errors.js';
import { bundledPackages, type BundledPackage, type Metafile, type MetafileSource } from '../bundled-packages.js';

/** Where scripts/build.mjs writes the metafiles, under the project folder. */
export const BUILD_META_DIR = '.build-meta';

/**
 * Every metafile in `<projectDir>/.build-meta` (paths in them are relative to the project folder).
 * Throws `RELEASE_INCOMPLETE` when there is none: the build did not run, or ran before metafiles.
 */
export function readBuildMetafiles(projectDir: string): MetafileSource[] {
  const dir = join(projectDir, BUILD_META_DIR);
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  if (names.length === 0) throw new SupplyChainError('RELEASE_INCOMPLETE', `No bundler metafiles in ${dir}: the SBOM cannot say what the bundles contain.`, 'Run npm run build (it writes .build-meta/), then the release; or drop --no-build.');
  return names.map((name) => {
    const metafile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Metafile;
    if (typeof metafile?.outputs !== 'object' || metafile.outputs === null) throw new SupplyChainError('RELEASE_INCOMPLETE', `${join(dir, name)} is not a bundler metafile ({ outputs }).`, 'Run npm run build again.');
    return { metafile, cwd: projectDir };
  });
}

/**
 * The third-party packages bundled into the tarball's files. Every bundled code file the tarball
 * ships must be an output of some metafile (else `RELEASE_INCOMPLETE`: a build without a metafile
 * would leave its packages out of the SBOM). `isBundle(path)` says which shipped files are bundles.
 */
export function packagesInTarball(sources: readonly MetafileSource[], projectDir: string, shipped: ReadonlySet<string>, isBundle: (path: string) => boolean): BundledPackage[] {
  const outputs = new Set(sources.flatMap((s) => Object.keys(s.metafile.outputs)));
  const uncovered = [...shipped].filter((p) => isBundle(p) && !outputs.has(p));
  if (uncovered.length) {
    throw new SupplyChainError('RELEASE_INCOMPLETE', `No metafile describes ${uncovered.slice(0, 5).join(', ')}${uncovered.length > 5 ? ', …' : ''}: the SBOM would miss what they bundle.`, 'Run npm run build again (every bundler build writes .build-meta/<name>.json); a new build step needs its metafile too.', uncovered[0]);
  }
  return bundledPackages(sources, projectDir, (output) => shipped.has(output));
}
