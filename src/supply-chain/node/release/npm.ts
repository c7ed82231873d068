/**
 * The npm and build-tool steps of a release: `npm pack` into a folder, and the versions of the
 * tools that made the package (for the SBOM's `metadata.tools` and the provenance).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupplyChainError } from '../../errors.js';

const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs npm with `args` in `cwd`; throws `RELEASE_FAILED` with its output when it fails. */
function npm(args: string[], cwd: string): string {
  const r = spawnSync(npmBin, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const output = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-10).join('\n');
    throw new SupplyChainError('RELEASE_FAILED', `npm ${args.join(' ')} failed${r.error ? ` (${r.error.message})` : ''}:\n${output}`, 'Fix what npm reports (run the same command by hand to see all of it), then release again.');
  }
  return r.stdout;
}

/** `npm pack --json --pack-destination <dest>` in `projectDir`: the tarball's path and file name. */
export function npmPack(projectDir: string, dest: string): { path: string; filename: string } {
  const stdout = npm(['pack', '--json', '--pack-destination', dest], projectDir);
  let filename: unknown;
  try {
    filename = (JSON.parse(stdout) as Array<{ filename?: unknown }>)[0]?.filename;
  } catch {
    filename = undefined;
  }
  if (typeof filename !== 'string' || !existsSync(join(dest, filename))) {
    throw new SupplyChainError('RELEASE_FAILED', `npm pack did not report the tarball it wrote:\n${stdout.slice(0, 500)}`, 'Run npm pack --json by hand to see what it prints (a lifecycle script writing to stdout breaks --json).');
  }
  return { path: join(dest, filename), filename };
}

/** `npm --version`. */
export function npmVersion(cwd: string): string {
  return npm(['--version'], cwd).trim();
}

/** The installed version of a package in `projectDir`'s node_modules, or undefined. */
export function installedVersion(projectDir: string, name: string): string | undefined {
  const file = join(projectDir, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version : undefined;
}

/** The tools that built the package: node, npm, and the bundlers and compiler in node_modules. */
export function buildTools(projectDir: string, npmVersionText: string): Array<{ name: string; version: string }> {
  const tools = [
    { name: 'node', version: process.versions.node },
    { name: 'npm', version: npmVersionText },
  ];
  for (const name of ['esbuild', 'vite', 'typescript']) {
    const version = installedVersion(projectDir, name);
    if (version) tools.push({ name, version });
  }
  return tools;
}
