/**
 * Which npm packages a bundle actually contains, read from bundler metafiles (esbuild's
 * `metafile`, or the same shape written for Rollup/Vite builds): every input file that put bytes
 * into an output is attributed to the nearest package.json with a name and a version above it.
 * Files of the project itself (under its folder, outside node_modules) are first-party, whatever
 * package.json is above them. Symlinked packages (npm link, a workspace) are found by their real
 * path like any other.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** The parts of an esbuild metafile this module reads. */
export interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** A metafile and the folder its relative paths are relative to (esbuild's working directory). */
export interface MetafileSource {
  metafile: Metafile;
  cwd: string;
}

/** One third-party package found in the bundles. */
export interface BundledPackage {
  name: string;
  version: string;
  /** The package.json `license` (SPDX expression or name), when it has one. */
  license?: string;
  /** Folder of the package (real path). */
  dir: string;
  /** The output files (as the metafile names them) it contributed bytes to. */
  outputs: string[];
  /** Its input files that contributed bytes (real paths). */
  inputs: string[];
  /** Bytes it contributed to the outputs. */
  bytesInOutput: number;
}

interface PackageJson {
  name?: string;
  version?: string;
  license?: unknown;
  licenses?: unknown;
}

/** The license of a package.json: `license` (string or legacy { type }), or legacy `licenses[]`. */
export function licenseOf(pkg: PackageJson): string | undefined {
  const one = (l: unknown) => (typeof l === 'string' ? l : typeof l === 'object' && l && typeof (l as { type?: unknown }).type === 'string' ? (l as { type: string }).type : undefined);
  const direct = one(pkg.license);
  if (direct) return direct;
  if (Array.isArray(pkg.licenses)) {
    const all = pkg.licenses.map(one).filter((x): x is string => !!x);
    if (all.length) return all.length === 1 ? all[0] : `(${all.join(' OR ')})`;
  }
  return undefined;
}

/** Finds package roots (folders of a package.json with name and version), with a cache. */
export class PackageResolver {
  private readonly cache = new Map<string, { dir: string; pkg: PackageJson } | null>();

  /** The package a file belongs to, or null when none is found up to the filesystem root. */
  packageOf(file: string): { dir: string; pkg: PackageJson } | null {
    let dir = dirname(file);
    const visited: string[] = [];
    for (;;) {
      const cached = this.cache.get(dir);
      if (cached !== undefined) return this.remember(visited, cached);
      visited.push(dir);
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
        if (typeof pkg.name === 'string' && typeof pkg.version === 'string') return this.remember(visited, { dir, pkg });
      }
      const parent = dirname(dir);
      if (parent === dir) return this.remember(visited, null);
      dir = parent;
    }
  }

  private remember(dirs: string[], value: { dir: string; pkg: PackageJson } | null) {
    for (const d of dirs) this.cache.set(d, value);
    return value;
  }
}

/** Real path of a metafile input, or undefined for virtual modules (namespaced or not on disk). */
function inputFile(input: string, cwd: string): string | undefined {
  if (input.startsWith('\0') || /^[a-z][a-z0-9+.-]*:/i.test(input)) return undefined;
  const abs = isAbsolute(input) ? input : resolve(cwd, input);
  return existsSync(abs) ? realpathSync(abs) : undefined;
}

/**
 * The third-party packages in the outputs of `sources` that `includeOutput` accepts (all by
 * default), sorted by name and version; `projectDir` is the project's folder (its files are
 * first-party).
 */
export function bundledPackages(sources: readonly MetafileSource[], projectDir: string, includeOutput: (output: string, cwd: string) => boolean = () => true): BundledPackage[] {
  const resolver = new PackageResolver();
  const own = realpathSync(projectDir);
  const found = new Map<string, BundledPackage>();
  for (const { metafile, cwd } of sources) {
    for (const [output, info] of Object.entries(metafile.outputs)) {
      if (!includeOutput(output, cwd)) continue;
      for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
        if (!(bytesInOutput > 0)) continue;
        const file = inputFile(input, cwd);
        if (!file) continue;
        if (file.startsWith(own + sep) && !file.slice(own.length).includes(`${sep}node_modules${sep}`)) continue;
        const owner = resolver.packageOf(file);
        if (!owner || owner.dir === own) continue;
        const key = `${owner.pkg.name}@${owner.pkg.version}`;
        let entry = found.get(key);
        if (!entry) {
          const license = licenseOf(owner.pkg);
          entry = { name: owner.pkg.name!, version: owner.pkg.version!, ...(license ? { license } : {}), dir: owner.dir, outputs: [], inputs: [], bytesInOutput: 0 };
          found.set(key, entry);
        }
        if (!entry.outputs.includes(output)) entry.outputs.push(output);
        if (!entry.inputs.includes(file)) entry.inputs.push(file);
        entry.bytesInOutput += bytesInOutput;
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
}
