/**
 * `vib3 ext previews <dir|pkg.vib3x> [--out DIR] [--targets LIST|all] [--specs FILE] [--webgpu]
 * [--time MS] [--update-manifest] [--json]`: renders the extension's listing images (and animated
 * previews) in a real headless Chromium with the presets of its manifest (`src/listings/previews`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Vib3Command } from '../command.js';
import { CliError, type Io } from '../errors.js';
import { checkSpecs, partnerSpecs, renderPreviews, updateManifestPreviews, PreviewError, DEFAULT_TIME_MS, type ManifestUpdate, type PreviewsResult, type TargetSpecs } from '../../listings/previews/index.js';
import { TARGET_IDS } from '../../listings/partners/targets.js';

/** Options of a previews render from the command line (`vib3 ext previews`, `vib3 listing preview`). */
export interface PreviewsCommandOptions {
  out?: string;
  targets?: string;
  specs?: string;
  webgpu?: boolean;
  time?: string;
  updateManifest?: boolean;
  json?: boolean;
}

/** Codes that mean the command was called wrongly (exit 2). */
const USAGE_CODES = new Set(['MANIFEST_NOT_FOUND', 'TARGET_INVALID']);

/** A PreviewError as the CLI's coded error. */
function toCli(err: unknown): unknown {
  return err instanceof PreviewError ? new CliError(err.message, USAGE_CODES.has(err.code) ? 2 : 1, err.code, err.suggestion) : err;
}

/** The default output folder: `<dir>/previews`, or `<name>-previews` next to a package. */
function defaultOut(input: string): string {
  const abs = resolve(input);
  if (existsSync(abs) && statSync(abs).isDirectory()) return join(abs, 'previews');
  return join(dirname(abs), `${basename(abs).replace(/\.vib3x$/, '')}-previews`);
}

/** The image specs: a spec file, or the partner targets named by --targets (default all). */
function specsFrom(opts: PreviewsCommandOptions): TargetSpecs {
  if (opts.specs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.specs, 'utf8'));
    } catch (err) {
      throw new PreviewError('TARGET_INVALID', `--specs ${opts.specs} is not a readable JSON file: ${(err as Error).message}`, 'Pass a JSON file { "<target>": [ImageSpec, …] }.');
    }
    return checkSpecs(parsed);
  }
  const list = (opts.targets ?? 'all').trim();
  return partnerSpecs(list === 'all' ? 'all' : list.split(',').map((t) => t.trim()).filter(Boolean));
}

function printText(io: Io, out: string, result: PreviewsResult, update: ManifestUpdate | undefined): void {
  const targets = [...new Set(result.files.map((f) => f.target))];
  io.out(`wrote ${result.files.length} file${result.files.length === 1 ? '' : 's'} for ${targets.join(', ')} into ${out} (list: previews.json)`);
  for (const f of result.files) io.out(`  ${f.file.padEnd(36)} ${`${f.width}x${f.height}`.padEnd(10)} ${f.preset}`);
  if (update) {
    io.out(`extension.json: marketplace.previews now lists ${update.previews.length} rendered preview${update.previews.length === 1 ? '' : 's'} (${update.written.join(', ')})`);
    if (update.removed.length) io.out(`removed stale preview file${update.removed.length === 1 ? '' : 's'}: ${update.removed.join(', ')}`);
    io.out('Next: vib3 ext pack (the package ships them)');
  }
}

/** Renders the previews of `input` as the command line asked (coded CLI errors). */
export async function runPreviews(io: Io, input: string, opts: PreviewsCommandOptions, json: boolean): Promise<void> {
  try {
    await run(io, input, opts, json);
  } catch (err) {
    throw toCli(err);
  }
}

async function run(io: Io, input: string, opts: PreviewsCommandOptions, json: boolean): Promise<void> {
  if (opts.updateManifest && !(existsSync(input) && statSync(input).isDirectory())) {
    throw new CliError('--update-manifest rewrites an extension folder; a package cannot be changed.', 2, 'UPDATE_NEEDS_FOLDER', 'Pass the extension folder, or leave out --update-manifest.');
  }
  const time = opts.time === undefined ? DEFAULT_TIME_MS : Number(opts.time);
  if (!Number.isFinite(time) || time < 0) throw new CliError(`--time must be a number of milliseconds; got ${opts.time}.`, 2, 'INVALID_OPTION', 'Pass e.g. --time 1500.');
  const specs = specsFrom(opts);
  const out = resolve(opts.out ?? defaultOut(input));
  const progress = (line: string) => (json ? io.err(line) : io.out(line));
  const result = await renderPreviews({ input, out, specs, flagSet: opts.webgpu ? 'webgpu' : 'plain', timeMs: time, progress });
  const update = opts.updateManifest ? updateManifestPreviews(resolve(input), out, result) : undefined;
  if (json) io.out(JSON.stringify({ ok: true, out, ...result, ...(update ? { manifest: update } : {}) }, null, 2));
  else printText(io, out, result, update);
}

/** Adds `previews` to the `ext` group. */
export function registerPreviewsCommand(group: Vib3Command): void {
  group
    .command('previews')
    .description('Render listing previews of the extension in headless Chromium, with its manifest presets')
    .argument('<dir|pkg.vib3x>', 'A built extension folder, or a package.')
    .option('-o, --out <dir>', 'Output folder (default: <dir>/previews, or <name>-previews next to a package).')
    .option('--targets <list>', `Comma-separated targets whose image sizes to render: ${TARGET_IDS.join(', ')}; or all (default).`)
    .option('--specs <file.json>', 'Render the image specs of this file instead: { "<target>": [ { slot, width, height, format, count?, required } ] }.')
    .option('--webgpu', 'Use the WebGPU flag set (WebGPU on SwiftShader) instead of the WebGL2 one.')
    .option('--time <ms>', `The instant stills show (the canvas \`time\`, ms; default ${DEFAULT_TIME_MS}).`)
    .option('--update-manifest', 'Folder only: copy the registry images to assets/previews/<preset>.<ext> and list them in marketplace.previews.')
    .option('--json', 'Print one JSON result: { ok, out, extension, backend, presets, files: [ { file, target, slot, preset, width, height, sha256, stats } ] }.')
    .usages('<dir | pkg.vib3x> [--out <dir>] [--targets <list> | --specs <file.json>] [--webgpu] [--time <ms>] [--update-manifest] [--json]')
    .whenMissing('dir|pkg.vib3x', 'MISSING_PACKAGE', 'ext previews needs an extension folder or package, e.g. "vib3 ext previews my-shape --targets registry".')
    .examples('vib3 ext previews my-shape --targets registry --update-manifest', 'vib3 ext previews my-shape.vib3x --targets all --out listing-images --json')
    .addHelpText(
      'after',
      [
        '',
        'Presets come from marketplace.presets of extension.json ({ name, title, params, theme, tool }); without any,',
        'one "default" preset shows the extension as it activates. Files: <out>/<target>/<slot>[-n].<ext> (n = preset',
        'number for slots that take one image per preset) and <out>/previews.json with every file\'s size and SHA-256.',
        'Chromium: VIB3_CHROMIUM or /usr/bin/chromium (Debian/Ubuntu: apt-get install chromium), driven by playwright-core.',
        'Exit codes: 0 rendered, 1 a render failed (PREVIEW_RENDER_FAILED, PRESET_INVALID, CHROMIUM_NOT_FOUND, …), 2 usage.',
      ].join('\n'),
    )
    .run<PreviewsCommandOptions>(async ({ io, args: [input], opts, json }) => runPreviews(io, input!, opts, json));
}
