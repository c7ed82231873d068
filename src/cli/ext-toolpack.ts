/**
 * The tool pack of an extension in `vib3 ext build` and `vib3 ext lint` (node-only): build writes
 * a valid toolpack.json to `entrypoints.toolPack` from the tools the built worker defines (see
 * src/agent/toolpack/from-extension.ts), lint checks that file against the manifest.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeToolsOf } from '../sdk/describe.js';
import { toolPackFromExtension } from '../agent/toolpack/from-extension.js';
import { validateToolPack, type ToolPackExtension } from '../agent/toolpack/validate.js';
import type { ToolPackProblem } from '../agent/toolpack/problems.js';
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';
import { CliError, type Io } from './errors.js';

/** A problem as `vib3 ext lint` prints it (manifest problems and tool-pack problems alike). */
export interface LintProblem {
  severity: 'error' | 'warning';
  code: string;
  pointer: string;
  message: string;
  suggestion: string;
}

const extensionOf = (m: Vib3ExtensionManifest): ToolPackExtension => ({ id: m.id, capabilities: m.capabilities as Record<string, unknown> });

/**
 * Writes `entrypoints.toolPack` (when the manifest has one) from the tools of the built worker at
 * `workerFile`; returns its path. Throws NO_TOOLS when the worker defines none, TOOLPACK_INVALID
 * (with the problems) when the pack would not validate against the manifest.
 */
export async function buildToolPack(io: Io, root: string, manifest: Vib3ExtensionManifest, workerFile: string): Promise<string | undefined> {
  const target = manifest.entrypoints.toolPack;
  if (!target) return undefined;
  const mod = (await import(`${pathToFileURL(workerFile).href}?t=${Date.now()}`)) as { default?: { tools?: unknown } };
  const tools = describeToolsOf(mod.default?.tools);
  if (tools.length === 0) throw new CliError('entrypoints.toolPack is set but the worker defines no tools.', 1, 'NO_TOOLS', 'Define tools in the worker, or remove entrypoints.toolPack.');
  const pack = toolPackFromExtension(manifest, tools);
  const result = validateToolPack(pack, { extension: extensionOf(manifest) });
  if (!result.valid) {
    // The problems (code, pointer into the pack, message) are listed under the error, or in --json.
    const errors = result.problems.filter((p) => p.severity === 'error');
    throw new CliError(`the tool pack for ${target} would not be valid (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was written.`, 1, 'TOOLPACK_INVALID', `${errors[0]?.suggestion ?? 'Fix the tool definitions.'} The tools are defined in src/worker.ts (docs/AGENTS.md, "Tool packs").`, { problems: result.problems });
  }
  for (const p of result.problems) io.err(`warning: ${target}: ${p.code} ${p.pointer || '/'} ${p.message}`);
  const out = join(root, target);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(pack, null, 2)}\n`);
  io.out(`wrote ${target} (toolpack.json: ${tools.length} tool${tools.length === 1 ? '' : 's'}, ${pack.tools.map((t) => t.name).join(', ')})`);
  return out;
}

/**
 * What `vib3 ext lint` reports about the extension's tool pack: the file's problems (validated
 * against the manifest, pointers prefixed with the file name), a warning when the file is
 * missing, and one error when it is the bare `{ tools }` listing older builds wrote.
 */
export function lintToolPack(root: string, manifest: Vib3ExtensionManifest): LintProblem[] {
  const file = manifest.entrypoints.toolPack;
  if (!file) return [];
  const path = join(root, file);
  if (!existsSync(path)) {
    if (!('agent-tools' in manifest.capabilities)) return [];
    return [{ severity: 'warning', code: 'TOOLPACK_NOT_BUILT', pointer: '/entrypoints/toolPack', message: `${file} does not exist yet, so its tools were not checked.`, suggestion: 'Run "vib3 ext build": it writes the tool pack from the tools your worker defines.' }];
  }
  const text = readFileSync(path, 'utf8');
  const at = (p: ToolPackProblem): LintProblem => ({ ...p, pointer: `${file}#${p.pointer}` });
  try {
    const doc = JSON.parse(text) as Record<string, unknown> | null;
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray(doc['tools']) && !('id' in doc) && !('version' in doc)) {
      return [{ severity: 'error', code: 'TOOLPACK_OUTDATED', pointer: `${file}#`, message: `${file} is the bare { tools } listing older builds wrote, not a toolpack.json.`, suggestion: 'Run "vib3 ext build" again: it writes a complete toolpack.json (id, version, compatibility, namespaced tools, policy).' }];
    }
  } catch {
    /* reported below as INVALID_JSON */
  }
  const result = validateToolPack(text, { extension: extensionOf(manifest) });
  const problems = result.problems.map(at);
  if (result.pack && (result.pack.id !== manifest.id || result.pack.version !== manifest.version)) {
    problems.push({ severity: 'warning', code: 'TOOLPACK_STALE', pointer: `${file}#/version`, message: `${file} is for ${result.pack.id}@${result.pack.version}, the manifest is ${manifest.id}@${manifest.version}.`, suggestion: 'Run "vib3 ext build" again so the tool pack matches the manifest.' });
  }
  return problems;
}
