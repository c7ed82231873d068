/**
 * `vib3 embed-code`: a copy-paste snippet for site builders that take custom code (Webflow,
 * Framer, Squarespace, Wix, or any HTML page) — the script tag with Subresource Integrity from the
 * installed package's dist/integrity.json, the element with the chosen parameters and theme pack,
 * and its fallback — plus where to paste it in that builder and the builder's restrictions.
 * The snippet goes to stdout (pipe it into a file); the notes go to stderr.
 */
import { Option } from 'commander';
import type { Vib3Command } from '../command.js';
import { CliError, type Io } from '../errors.js';
import { readKitIntegrity } from '../kit-integrity.js';
import { PARAM_SPECS, type ParamSpec } from '../../core/params.js';
import { BUILDERS, type BuilderId } from '../../embed/builders.js';
import { EmbedError } from '../../embed/errors.js';
import { embedSnippet, embedThemes, DEFAULT_SIZE, type EmbedSnippet } from '../../embed/snippet.js';

interface EmbedCodeOpts {
  builder: BuilderId;
  cdn?: string;
  integrityFile?: string;
  theme?: string;
  width?: string;
  height?: string;
  alt?: string;
  fallback?: string;
  json?: boolean;
  [param: string]: unknown;
}

const bound = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(4));

/** The option of one element parameter: `--grid-density <n>`. */
function paramOption(spec: ParamSpec): Option {
  const range = spec.kind === 'enum' ? spec.values.join('|') : `${bound(spec.min)}..${bound(spec.max)}${spec.kind === 'int' ? ', integer' : ''}`;
  return new Option(`--${spec.attribute} <${spec.kind === 'enum' ? 'name' : 'n'}>`, `${spec.description} ${range} (default ${spec.default}).`).helpGroup('Element parameters (clamped and rounded like <vib3-canvas> does):');
}

/** Prints the notes for a person (stderr). */
function printNotes(io: Io, s: EmbedSnippet): void {
  const lines = ['', `Where to paste it (${s.notes.name}, ${s.notes.container}):`, ...s.notes.where.map((w, i) => `  ${i + 1}. ${w}`)];
  lines.push(`Several visuals: ${s.notes.siteWide}`, `${s.notes.name} restrictions:`, ...s.notes.restrictions.map((r) => `  - ${r}`), 'Every builder:', ...s.common.map((c) => `  - ${c}`));
  if (s.adjusted.length) lines.push('Adjusted values:', ...s.adjusted.map((a) => `  ${a.name}: ${String(a.given)} -> ${a.value} (${a.reason})`));
  if (s.warnings.length) lines.push('Warnings:', ...s.warnings.map((w) => `  - ${w}`));
  for (const line of lines) io.err(line);
}

/** Adds `embed-code` to the program. */
export function registerEmbedCodeCommand(program: Vib3Command): void {
  const cmd = program
    .command('embed-code')
    .summary('Print a copy-paste embed snippet for Webflow, Framer, Squarespace, Wix or any page')
    .description('Print a copy-paste snippet (script tag with integrity, the element, its fallback) and where to paste it in a site builder')
    .addOption(new Option('--builder <name>', 'Where the snippet goes.').choices(BUILDERS).default('html'))
    .option('--cdn <url>', 'Base URL of the package on a CDN (default https://cdn.jsdelivr.net/npm/vib3-embed@<version>).')
    .option('--integrity-file <path>', "Where the SRI values come from (default: the installed package's dist/integrity.json).")
    .option('--theme <pack>', `A built-in theme pack: ${embedThemes().map((t) => t.name).join(', ')}.`)
    .option('--width <length>', `CSS width, e.g. 640, 640px, 100% (default ${DEFAULT_SIZE.width}; Wix: the frame's).`)
    .option('--height <length>', `CSS height, e.g. 400, 400px, 60vh (default ${DEFAULT_SIZE.height}; Wix: the frame's).`)
    .option('--alt <text>', 'Accessible name of the visual; "" marks it decorative.')
    .option('--fallback <text>', 'Text shown without JavaScript or WebGL2/WebGPU.')
    .option('--json', 'Print one JSON result: { ok, builder, snippet, script, attributes, notes, adjusted, warnings, version }.');
  const optionKeys = new Map<string, string>();
  for (const spec of PARAM_SPECS) {
    const option = paramOption(spec);
    cmd.addOption(option);
    optionKeys.set(spec.attribute, option.attributeName());
  }
  cmd
    .usages('[--builder webflow|framer|squarespace|wix|html] [--<parameter> <value>…] [--theme <pack>] [--width <length>] [--height <length>] [--cdn <url>] [--json]')
    .examples(
      'vib3 embed-code --builder webflow --system holographic --geometry 9 --hue 280 --theme acme',
      'vib3 embed-code --builder wix --system quantum --alt "Brand visual" > vib3-wix.html',
      'vib3 embed-code --builder squarespace --cdn https://unpkg.com/vib3-embed@0.1.0 --json',
    )
    .addHelpText('after', '\nExit codes: 0 printed, 2 a refused option (UNKNOWN_OPTION, INVALID_PARAM, UNKNOWN_THEME, INVALID_SIZE, INVALID_CDN),\n1 no SRI values to use (INTEGRITY_MISSING, INTEGRITY_INVALID).')
    .run<EmbedCodeOpts>(({ io, opts, json }) => {
      const kit = readKitIntegrity(opts.integrityFile);
      const params: Record<string, unknown> = {};
      for (const [attribute, key] of optionKeys) params[attribute] = opts[key];
      let snippet: EmbedSnippet;
      try {
        snippet = embedSnippet({ builder: opts.builder, kit, cdn: opts.cdn, params, theme: opts.theme, width: opts.width, height: opts.height, alt: opts.alt, fallback: opts.fallback });
      } catch (err) {
        if (err instanceof EmbedError) throw new CliError(err.message, 2, err.code, err.suggestion);
        throw err;
      }
      if (json) {
        const { html, builder, script, attributes, notes, common, adjusted, warnings } = snippet;
        io.out(JSON.stringify({ ok: true, builder, snippet: html, script, attributes: Object.fromEntries(attributes), notes: { ...notes, common }, adjusted, warnings, version: kit.version, integrityFile: kit.file }, null, 2));
        return;
      }
      io.out(snippet.html);
      printNotes(io, snippet);
    });
}
