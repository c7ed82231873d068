/**
 * The runtime dependencies of a package as npm installs them next to it: package.json
 * `dependencies`, resolved the way Node resolves them (the nearest `node_modules/<name>` at or
 * above the requiring package), and theirs, transitively.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SupplyChainError } from '../../errors.js';
import { licenseOf } from '../bundled-packages.js';
import type { RuntimeDependency } from '../cyclonedx.js';

interface Manifest {
  name?: string;
  version?: string;
  license?: unknown;
  licenses?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The folder of `name` as required from `fromDir` (real path), or undefined when not installed. */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package `projectDir`'s package.json `dependencies` pull in, with their own dependencies
 * (optional ones only when installed), sorted by name and version. Throws `RELEASE_INCOMPLETE`
 * when a required dependency is not installed.
 */
export function runtimeDependencies(projectDir: string): RuntimeDependency[] {
  const found = new Map<string, RuntimeDependency>();
  const visited = new Set<string>();
  const queue: Array<{ dir: string; manifest: Manifest }> = [{ dir: realpathSync(projectDir), manifest: readManifest(projectDir) }];
  while (queue.length) {
    const { dir, manifest } = queue.shift()!;
    const wanted: Array<[string, boolean]> = [...Object.keys(manifest.dependencies ?? {}).map((n) => [n, true] as [string, boolean]), ...Object.keys(manifest.optionalDependencies ?? {}).map((n) => [n, false] as [string, boolean])];
    for (const [name, required] of wanted) {
      const depDir = resolvePackageDir(name, dir);
      if (!depDir) {
        if (!required) continue;
        throw new SupplyChainError('RELEASE_INCOMPLETE', `${manifest.name ?? dir} depends on ${name}, which is not installed.`, 'Run npm ci, then the release again.');
      }
      if (visited.has(depDir)) continue;
      visited.add(depDir);
      const dep = readManifest(depDir);
      if (!dep.name || !dep.version) continue;
      const license = licenseOf(dep);
      found.set(`${dep.name}@${dep.version}`, { name: dep.name, version: dep.version, dir: depDir, ...(license ? { license } : {}) });
      queue.push({ dir: depDir, manifest: dep });
    }
  }
  return [...found.values()].sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
}
