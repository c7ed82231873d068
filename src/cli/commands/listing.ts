/**
 * `vib3 listing validate|export|preview|upload|sync|status` (docs/LISTINGS.md): the listing an
 * extension's extension.json makes, checked against every partner's documented rules
 * (`validate`), and the export bundle of a portal-only marketplace (`export`: a zip of the trimmed
 * copy, a checklist and the images at their exact sizes). The registry-facing subcommands
 * (`upload`, `sync`, `status`) are in `./listing-remote.ts`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addHelpCommand, type Vib3Command } from '../command.js';
import { CliError, type Io } from '../errors.js';
import { readListingSource, readTargetImages } from '../listing-input.js';
import { buildExportBundle } from '../../listings/export-bundle.js';
import { ListingError, hasErrors } from '../../listings/errors.js';
import type { ListingFinding } from '../../listings/types.js';
import { prepareFor } from '../../listings/partners/prepare.js';
import { preparePortal, type PortalTarget } from '../../listings/partners/portal.js';
import { EXPORT_TARGETS, PARTNER_TARGETS, TARGET_IDS, isTargetId, type TargetId } from '../../listings/partners/targets.js';
import { registerListingRemoteCommands } from './listing-remote.js';
import { runPreviews, type PreviewsCommandOptions } from './ext-previews.js';

/** The registry links of a local listing point at when none is given. */
const DEFAULT_REGISTRY = 'http://127.0.0.1:4873';

interface ValidateOpts {
  target?: TargetId[];
  registry?: string;
  images?: string;
  json?: boolean;
}
interface ExportOpts {
  target?: TargetId;
  images?: string;
  out?: string;
  registry?: string;
  force?: boolean;
  json?: boolean;
}

/** A parser for `--target`: one of {@link TARGET_IDS} (of `allowed`), collected when repeatable. */
function targetOption(allowed: readonly TargetId[], repeat: boolean) {
  return (value: string, previous?: TargetId[] | TargetId) => {
    if (!isTargetId(value) || !allowed.includes(value)) {
      throw new CliError(`--target ${JSON.stringify(value)} is not one of ${allowed.join(', ')}.`, 2, 'INVALID_OPTION_VALUE', `Pass --target <${allowed.join('|')}>.`);
    }
    return repeat ? [...((previous as TargetId[] | undefined) ?? []), value] : value;
  };
}

/** Findings as an aligned table. */
function printFindings(out: (line: string) => void, findings: readonly ListingFinding[]): void {
  if (!findings.length) return;
  const w = (key: keyof ListingFinding) => Math.max(...findings.map((f) => String(f[key]).length));
  const [target, code, field] = [w('target'), w('code'), w('field')];
  for (const f of findings) {
    out(`  ${f.target.padEnd(target)}  ${f.severity.padEnd(7)}  ${f.code.padEnd(code)}  ${f.field.padEnd(field)}  ${f.message}`);
    out(`  ${''.padEnd(target + code + field + 15)}-> ${f.suggestion}`);
  }
}

async function validate(io: Io, source: string, opts: ValidateOpts, json: boolean): Promise<number> {
  const { listing, package: pkg } = readListingSource(source, opts.registry ?? DEFAULT_REGISTRY);
  const targets = opts.target?.length ? [...new Set(opts.target)] : [...TARGET_IDS];
  const results = [];
  for (const target of targets) {
    const images = opts.images ? readTargetImages(opts.images, target) : new Map();
    const prepared = await prepareFor(target, listing, { images, ...(pkg ? { package: pkg } : {}) });
    results.push({ target, ok: !hasErrors(prepared.findings), digest: prepared.digest, findings: prepared.findings });
  }
  const findings = results.flatMap((r) => r.findings);
  const ok = results.every((r) => r.ok);
  if (json) {
    io.out(JSON.stringify({ ok, id: listing.id, version: listing.version, imagesChecked: Boolean(opts.images), targets: results }, null, 2));
    return ok ? 0 : 1;
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  io.out(`listing of ${listing.id}@${listing.version} for ${targets.length} target${targets.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}${opts.images ? '' : ' (images not checked: pass --images <dir>)'}`);
  printFindings(io.out, findings);
  const clean = results.filter((r) => r.findings.length === 0).map((r) => r.target);
  if (clean.length) io.out(`  clean: ${clean.join(', ')}`);
  const refused = results.filter((r) => !r.ok).map((r) => r.target);
  io.out(ok ? 'PASS: no target refuses this listing.' : `FAIL: ${refused.join(', ')} would refuse this listing (see the errors above).`);
  return ok ? 0 : 1;
}

async function exportBundle(io: Io, source: string, opts: ExportOpts, json: boolean): Promise<number> {
  const target = opts.target as PortalTarget;
  const { listing } = readListingSource(source, opts.registry ?? DEFAULT_REGISTRY);
  const prepared = await preparePortal(target, listing, { images: readTargetImages(opts.images!, target) });
  let bundle;
  try {
    bundle = buildExportBundle(prepared, { force: opts.force === true });
  } catch (err) {
    if (!(err instanceof ListingError)) throw err;
    if (!json) {
      io.err(`${PARTNER_TARGETS[target].name} findings for ${listing.id}@${listing.version}:`);
      printFindings(io.err, err.findings);
    }
    throw new CliError(err.message, 1, err.code, err.suggestion, { target, findings: err.findings });
  }
  const out = resolve(opts.out ?? `${listing.id}-${listing.version}-${target}.zip`);
  writeFileSync(out, bundle.bytes);
  if (json) {
    io.out(JSON.stringify({ ok: true, target, out, entries: bundle.entries, findings: bundle.findings }, null, 2));
    return 0;
  }
  io.out(`wrote ${out} (${bundle.entries.length} entries: ${bundle.entries.join(', ')})`);
  printFindings(io.out, bundle.findings);
  if (hasErrors(bundle.findings)) io.out(`exported with --force: ${PARTNER_TARGETS[target].name} would refuse it as it is.`);
  return 0;
}

/** Adds the `listing` command group to the program. */
export function registerListingCommands(program: Vib3Command): void {
  const group = program
    .command('listing')
    .summary('Check a listing against every partner marketplace, export portal bundles, upload images and follow its sync')
    .description('listings: one extension.json, correct on every marketplace')
    .usages('<subcommand> [arguments] [options]');

  group
    .command('validate')
    .description('Check the listing against every partner\'s documented rules; exit 1 if a target refuses it')
    .argument('<dir|pkg.vib3x>', 'An extension folder (with extension.json) or a .vib3x package.')
    .option('--target <target>', `Repeatable. Check only these targets (default: all): ${TARGET_IDS.join(', ')}.`, targetOption(TARGET_IDS, true))
    .option('--images <dir>', 'Also check rendered images: <dir>/<target>/<slot>[-n].png (what vib3 ext previews writes).')
    .option('--registry <url>', `The registry the listing's links point at (default ${DEFAULT_REGISTRY}).`)
    .option('--json', 'Print one JSON result: { ok, id, version, imagesChecked, targets: [ { target, ok, digest, findings } ] }.')
    .usages('<dir | pkg.vib3x> [--target <target>]… [--images <dir>] [--registry <url>] [--json]')
    .whenMissing('dir|pkg.vib3x', 'MISSING_EXTENSION', 'listing validate needs an extension folder or package, e.g. "vib3 listing validate my-shape".')
    .examples('vib3 listing validate my-shape', 'vib3 listing validate my-shape.vib3x --target wordpress --target chrome --images previews --json')
    .addHelpText('after', '\nA folder or package is checked as if its version were on the stable channel. Findings are coded\n(TAGS_TRIMMED, SUMMARY_TRIMMED, CATEGORY_UNSUPPORTED, IMAGE_WRONG_SIZE, …; docs/LISTINGS.md).\nExit codes: 0 no target refuses the listing (warnings allowed), 1 an error finding, 2 usage.')
    .run<ValidateOpts>(({ io, args: [source], opts, json }) => validate(io, source!, opts, json));

  group
    .command('export')
    .description('Write the export bundle (zip) of a portal-only marketplace')
    .argument('<dir|pkg.vib3x>', 'An extension folder (with extension.json) or a .vib3x package.')
    .option('--target <target>', `Required. One of: ${EXPORT_TARGETS.join(', ')}.`, targetOption(EXPORT_TARGETS, false))
    .option('--images <dir>', 'Required. The rendered images: <dir>/<target>/<slot>[-n].png, as vib3 ext previews writes them.')
    .option('--out <file.zip>', 'Where to write the bundle (default: ./<id>-<version>-<target>.zip).')
    .option('--registry <url>', `The registry the listing's links point at (default ${DEFAULT_REGISTRY}).`)
    .option('--force', 'Export even when the target would refuse the listing (error findings).')
    .option('--json', 'Print one JSON result: { ok, target, out, entries, findings }.')
    .requires('target', 'MISSING_TARGET', `listing export needs --target <target>, one of: ${EXPORT_TARGETS.join(', ')}.`)
    .requires('images', 'MISSING_IMAGES', 'listing export needs --images <dir> (the folder vib3 ext previews writes).')
    .usages('<dir | pkg.vib3x> --target <target> --images <dir> [--out <file.zip>] [--registry <url>] [--force] [--json]')
    .whenMissing('dir|pkg.vib3x', 'MISSING_EXTENSION', 'listing export needs an extension folder or package, e.g. "vib3 listing export my-shape --target chrome --images previews".')
    .examples('vib3 listing export my-shape --target chrome --images previews', 'vib3 listing export my-shape.vib3x --target shopify --images previews --out shopify.zip --json')
    .addHelpText('after', '\nThe zip holds listing.json (the copy after the target\'s rules), CHECKLIST.md (each field to paste, its\nvalue and limit, the images, the findings) and images/<slot>[-n].png at the exact sizes.\nExit codes: 0 written, 1 refused (EXPORT_REFUSED: an error finding; --force overrides), 2 usage.')
    .run<ExportOpts>(({ io, args: [source], opts, json }) => exportBundle(io, source!, opts, json));

  group
    .command('preview')
    .description('Render the listing\'s images for partner targets (the same renderer as vib3 ext previews)')
    .argument('<dir|pkg.vib3x>', 'A built extension folder, or a .vib3x package.')
    .option('-o, --out <dir>', 'Output folder (default: <dir>/previews, or <name>-previews next to a package).')
    .option('--targets <list>', 'Comma-separated targets whose image sizes to render, or all (default).')
    .option('--webgpu', 'Use the WebGPU flag set instead of the WebGL2 one.')
    .option('--json', 'Print one JSON result (the files, their sizes and SHA-256).')
    .usages('<dir | pkg.vib3x> [--out <dir>] [--targets <list>] [--webgpu] [--json]')
    .whenMissing('dir|pkg.vib3x', 'MISSING_EXTENSION', 'listing preview needs an extension folder or package.')
    .examples('vib3 listing preview my-shape --targets wordpress,chrome', 'vib3 listing preview my-shape.vib3x --out listing-images')
    .addHelpText('after', '\nThen: vib3 listing export <dir> --target <t> --images <out>, or vib3 listing upload <out> --registry <url>.')
    .run<PreviewsCommandOptions>(({ io, args: [source], opts, json }) => runPreviews(io, source!, opts, json));

  registerListingRemoteCommands(group);
  addHelpCommand(group);
}
