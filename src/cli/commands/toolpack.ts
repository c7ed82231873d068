/**
 * `vib3 toolpack validate|docs|export`: agent tool packs (docs/AGENTS.md) — validate a
 * toolpack.json (optionally against its extension.json), write its Markdown docs, or export it:
 * the MCP `tools/list` result, an MCPB manifest, a server.json for the MCP Registry, or Markdown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { addHelpCommand, type Vib3Command } from '../command.js';
import { CliError, usageError, type Io } from '../errors.js';
import { validateManifest } from '../../extensions/manifest/validate.js';
import { validateToolPack, type ToolPackValidation } from '../../agent/toolpack/validate.js';
import { toMarkdown, toMcpToolsList } from '../../agent/toolpack/export.js';
import { toMcpbManifest } from '../../agent/toolpack/export-mcpb.js';
import { KIT_PACKAGE, toServerJson } from '../../agent/toolpack/export-server-json.js';
import { validateServerJson } from '../../listings/partners/server-json.js';
import { VERSION } from '../../core/version.js';
import type { ToolPackProblem } from '../../agent/toolpack/problems.js';
import type { Vib3ToolPack } from '../../agent/toolpack/toolpack.generated.js';

interface ValidateOpts {
  extension?: string;
  json?: boolean;
}
interface ExportOpts extends ValidateOpts {
  format?: string;
  output?: string;
  packageVersion?: string;
  name?: string;
}

const FORMATS = ['mcp', 'mcpb', 'server-json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

interface Publisher {
  name: string;
  url?: string;
}

/** Reads and validates a pack; throws TOOLPACK_INVALID (exit 1) with the problems when it has errors. */
function load(file: string, extensionFile: string | undefined): { pack: Vib3ToolPack; result: ToolPackValidation; extensionId?: string; publisher?: Publisher } {
  let extension: { id: string; capabilities: Record<string, unknown> } | undefined;
  let publisher: Publisher | undefined;
  if (extensionFile) {
    const m = validateManifest(readFileSync(extensionFile, 'utf8'));
    if (!m.manifest) throw new CliError(`${extensionFile} is not a valid extension.json.`, 1, 'EXTENSION_INVALID', `Run "vib3 ext lint" on the extension first.`, { problems: m.problems });
    extension = { id: m.manifest.id, capabilities: m.manifest.capabilities as Record<string, unknown> };
    publisher = { name: m.manifest.publisher.name, ...(m.manifest.publisher.url ? { url: m.manifest.publisher.url } : {}) };
  }
  const result = validateToolPack(readFileSync(file, 'utf8'), extension ? { extension } : {});
  if (!result.pack) {
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    throw new CliError(`${file} has ${errors} error${errors === 1 ? '' : 's'}.`, 1, 'TOOLPACK_INVALID', 'Fix the problems listed (each has a JSON pointer into the file).', { problems: result.problems });
  }
  return { pack: result.pack, result, ...(extension ? { extensionId: extension.id, publisher } : {}) };
}

/** The export of `pack` in `format` (server.json is checked against the pinned MCP Registry schema). */
function exportPack(format: Format, loaded: ReturnType<typeof load>, opts: ExportOpts): unknown {
  const { pack, extensionId, publisher } = loaded;
  const ext = extensionId ? { extensionId } : {};
  if (format === 'mcp') return toMcpToolsList(pack, ext);
  if (format === 'markdown') return toMarkdown(pack, ext);
  if (format === 'mcpb') return toMcpbManifest(pack, { ...ext, ...(opts.name ? { name: opts.name } : {}), ...(publisher ? { author: publisher, ...(publisher.url ? { homepage: publisher.url } : {}) } : {}) });
  const doc = toServerJson(pack, { ...ext, packageVersion: opts.packageVersion ?? VERSION, ...(opts.name ? { name: opts.name } : {}), ...(publisher?.url ? { websiteUrl: publisher.url } : {}) });
  const problems = validateServerJson(doc);
  if (problems.length) {
    throw new CliError(`the server.json would break the MCP Registry schema (${problems.map((p) => `${p.pointer || '/'}: ${p.message}`).join('; ')}).`, 1, 'SERVER_JSON_INVALID', 'Check --name (namespace/name, e.g. io.github.you/vib3) and --package-version (an exact version).', { problems: problems.map((p) => ({ code: 'SCHEMA', ...p })) });
  }
  return doc;
}

function printWarnings(io: Io, problems: ToolPackProblem[]): void {
  for (const p of problems) io.err(`  warning ${p.code} ${p.pointer || '/'} ${p.message}\n    -> ${p.suggestion}`);
}

function emit(io: Io, text: string, output: string | undefined): void {
  if (output) writeFileSync(output, text.endsWith('\n') ? text : `${text}\n`);
  else io.out(text.replace(/\n$/, ''));
}

/** Adds the `toolpack` command group to the program. */
export function registerToolpackCommands(program: Vib3Command): void {
  const group = program.command('toolpack').summary('Validate, document and export agent tool packs').description('agent tool packs (toolpack.json): validate, docs, export to MCP, MCPB, server.json or Markdown').usages('<subcommand> [arguments] [options]');

  group
    .command('validate')
    .description('Check a toolpack.json against its schema and the naming and capability rules; exit 1 on errors')
    .argument('<toolpack.json>', 'The tool pack.')
    .option('--extension <extension.json>', 'The extension\'s manifest: tool names must be <id>.<tool> and requires within its capabilities.')
    .option('--json', 'Print one JSON result: { ok, id, version, tools, problems }.')
    .usages('<toolpack.json> [--extension <extension.json>] [--json]')
    .whenMissing('toolpack.json', 'MISSING_TOOLPACK', 'toolpack validate needs the file, e.g. "vib3 toolpack validate toolpack.json".')
    .examples('vib3 toolpack validate toolpack.json --extension extension.json', 'vib3 toolpack validate toolpack.json --json')
    .run<ValidateOpts>(({ io, args: [file], opts, json }) => {
      const { pack, result } = load(file!, opts.extension);
      if (json) {
        io.out(JSON.stringify({ ok: true, id: pack.id, version: pack.version, tools: pack.tools.length, problems: result.problems }, null, 2));
        return;
      }
      io.out(`valid: ${pack.id} ${pack.version}, ${pack.tools.length} tool${pack.tools.length === 1 ? '' : 's'}${result.problems.length ? `, ${result.problems.length} warning${result.problems.length === 1 ? '' : 's'}` : ''}`);
      printWarnings(io, result.problems);
    });

  group
    .command('docs')
    .description('Write Markdown docs of a tool pack (stdout, or a file with -o)')
    .argument('<toolpack.json>', 'The tool pack.')
    .option('-o, --output <file.md>', 'Write to this file instead of stdout.')
    .usages('<toolpack.json> [-o <file.md>]')
    .whenMissing('toolpack.json', 'MISSING_TOOLPACK', 'toolpack docs needs the file, e.g. "vib3 toolpack docs toolpack.json -o TOOLS.md".')
    .examples('vib3 toolpack docs toolpack.json -o TOOLS.md')
    .run<ExportOpts>(({ io, args: [file], opts }) => {
      const { pack, result } = load(file!, undefined);
      printWarnings(io, result.problems);
      emit(io, toMarkdown(pack), opts.output);
      if (opts.output) io.err(`wrote ${opts.output}`);
    });

  group
    .command('export')
    .description('Export a tool pack: MCP tools/list (mcp), an MCPB manifest (mcpb), an MCP Registry server.json (server-json) or Markdown docs (markdown)')
    .argument('<toolpack.json>', 'The tool pack.')
    .option('--format <format>', `Required. ${FORMATS.join(', ')}.`)
    .option('--extension <extension.json>', 'The extension\'s manifest: checks the pack against it; mcpb takes its publisher as author and home page, server-json its publisher URL.')
    .option('--package-version <version>', `server-json: the exact version of the npm package ${KIT_PACKAGE} that serves the tools (default: this kit's, ${VERSION}).`)
    .option('--name <name>', 'server-json: the server name, <namespace>/<name> (default: from the pack id); mcpb: the bundle name (default: the pack id).')
    .option('-o, --output <file>', 'Write to this file instead of stdout (mcpb: the bundle\'s manifest.json).')
    .option('--json', 'Print one JSON result: { ok, format, file?, result?, problems }.')
    .requires('format', 'MISSING_FORMAT', `toolpack export needs --format ${FORMATS.join('|')}.`)
    .usages(`<toolpack.json> --format ${FORMATS.join('|')} [--extension <extension.json>] [--package-version <version>] [--name <name>] [-o <file>] [--json]`)
    .whenMissing('toolpack.json', 'MISSING_TOOLPACK', 'toolpack export needs the file, e.g. "vib3 toolpack export toolpack.json --format mcp".')
    .examples(
      'vib3 toolpack export toolpack.json --format mcp -o tools.json',
      'vib3 toolpack export toolpack.json --format mcpb -o bundle/manifest.json',
      'vib3 toolpack export toolpack.json --format server-json --name io.github.acme/vib3 --package-version 0.1.0 -o server.json',
      'vib3 toolpack export dist/tools.json --format mcpb --extension extension.json',
      'vib3 toolpack export toolpack.json --format markdown',
    )
    .run<ExportOpts>((ctx) => {
      const { io, args: [file], opts, json, command } = ctx;
      const format = opts.format as Format;
      if (!FORMATS.includes(format)) throw usageError('INVALID_FORMAT', `--format ${JSON.stringify(opts.format)} is not one of ${FORMATS.join(', ')}.`, command.path());
      const loaded = load(file!, opts.extension);
      const exported = exportPack(format, loaded, opts);
      const text = typeof exported === 'string' ? exported : JSON.stringify(exported, null, 2);
      if (opts.output) writeFileSync(opts.output, text.endsWith('\n') ? text : `${text}\n`);
      if (json) {
        io.out(JSON.stringify({ ok: true, format, ...(opts.output ? { file: opts.output } : { result: exported }), problems: loaded.result.problems }, null, 2));
        return;
      }
      printWarnings(io, loaded.result.problems);
      if (opts.output) io.err(`wrote ${opts.output}`);
      else emit(io, text, undefined);
    });

  addHelpCommand(group);
}
