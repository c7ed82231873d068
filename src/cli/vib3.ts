/**
 * The `vib3` command line (node-only; never part of the browser bundle).
 *
 *   vib3 --help | -h            vib3 help [ext [<subcommand>]]            vib3 --version | -v
 *   vib3 ext create <name> --template renderer|geometry|toolpack|ui-widget [--dir D] [--id com.x.y] [--publisher "Name"]
 *   vib3 ext build [dir]
 *   vib3 ext lint [dir|extension.json] [--json]      vib3 ext lint --report <folder>
 *   vib3 ext keygen [--out .keys] [--name publisher] [--set <extension dir>]
 *   vib3 ext pack [dir] [-o file.vib3x]
 *   vib3 ext sign <file.vib3x> --key <private.jwk> [-o out.vib3x]
 *   vib3 ext verify <file.vib3x> --trust <public.jwk|folder> [--json]
 *   vib3 ext inspect <file.vib3x>
 *   vib3 ext test [dir]
 *
 * Every command has `--help`. Arguments are parsed with Node's `util.parseArgs` (strict: an
 * unknown option is a usage error). Exit codes: 0 success, 1 a problem (lint errors, a failed
 * verification, a failing test), 2 a usage error (its message starts with a stable code).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VERSION } from '../core/version.js';
import * as ext from './ext.js';

type Values = Record<string, string | boolean | undefined>;

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder of the value in the help text (string options). */
  value?: string;
  description: string;
}

interface Command {
  name: string;
  summary: string;
  usage: string[];
  args: [string, string][];
  options: Record<string, OptionSpec>;
  examples: string[];
  maxPositionals: number;
  run(io: ext.Io, positionals: string[], values: Values): Promise<number> | number;
}

const str = (values: Values, key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);

/** Resolves after the command ran; usage problems throw a coded {@link ext.CliError} (exit 2). */
const usageError = (code: string, message: string, helpCommand: string) => new ext.CliError(`${message}\nRun "${helpCommand} --help" for usage.`, 2, code);

const COMMANDS: Command[] = [
  {
    name: 'create',
    summary: 'Scaffold a new extension project from a template',
    usage: ['vib3 ext create <name> --template <template> [--dir <folder>] [--id <id>] [--publisher <name>]'],
    args: [['<name>', 'Extension name: lowercase letters, digits and dashes, 2-41 characters, starting with a letter (e.g. my-shape).']],
    options: {
      template: { type: 'string', short: 't', value: '<template>', description: `Required. One of: ${ext.TEMPLATES.join(', ')}.` },
      dir: { type: 'string', value: '<folder>', description: 'Folder to create (default: ./<name>); must not exist or be empty.' },
      id: { type: 'string', value: '<id>', description: 'Extension id in reverse-DNS form (default: com.example.<name>).' },
      publisher: { type: 'string', value: '<name>', description: 'Publisher name written into extension.json (default: "Example Publisher").' },
    },
    examples: ['vib3 ext create my-shape --template geometry', 'vib3 ext create acme-tools --template toolpack --id com.acme.tools --publisher "ACME"'],
    maxPositionals: 1,
    run(io, [name], values) {
      if (!name) throw usageError('MISSING_NAME', 'ext create needs the extension\'s name, e.g. "vib3 ext create my-shape --template geometry".', 'vib3 ext create');
      if (!str(values, 'template')) throw usageError('MISSING_TEMPLATE', `ext create needs --template <template>, one of: ${ext.TEMPLATES.join(', ')}.`, 'vib3 ext create');
      ext.create(io, name, str(values, 'template')!, { dir: str(values, 'dir'), id: str(values, 'id'), publisher: str(values, 'publisher') });
      return 0;
    },
  },
  {
    name: 'build',
    summary: 'Bundle the extension\'s worker (and its tool listing) with esbuild',
    usage: ['vib3 ext build [<dir>]'],
    args: [['<dir>', 'Extension folder containing extension.json (default: the current folder).']],
    options: {},
    examples: ['vib3 ext build', 'vib3 ext build extensions/duoprism'],
    maxPositionals: 1,
    async run(io, [dir]) {
      await ext.build(io, dir);
      return 0;
    },
  },
  {
    name: 'lint',
    summary: 'Check extension.json: every problem with its pointer, code and a suggestion',
    usage: ['vib3 ext lint [<dir> | <extension.json>] [--json]', 'vib3 ext lint --report <folder>'],
    args: [['<dir> | <extension.json>', 'Extension folder or manifest file (default: the current folder).']],
    options: {
      json: { type: 'boolean', description: 'Print the result as JSON.' },
      report: { type: 'string', value: '<folder>', description: 'Lint every manifest in a folder and print the share that passes.' },
    },
    examples: ['vib3 ext lint', 'vib3 ext lint my-shape/extension.json --json', 'vib3 ext lint --report manifests/'],
    maxPositionals: 1,
    run(io, [target], values) {
      const folder = str(values, 'report');
      if (folder) {
        const r = ext.report(io, folder);
        return r.passed === r.total ? 0 : 1;
      }
      return ext.lint(io, target, { json: values['json'] === true }) ? 0 : 1;
    },
  },
  {
    name: 'keygen',
    summary: 'Create an Ed25519 publisher key pair',
    usage: ['vib3 ext keygen [--out <folder>] [--name <name>] [--set <dir>]'],
    args: [],
    options: {
      out: { type: 'string', short: 'o', value: '<folder>', description: 'Where to write the keys (default: .keys).' },
      name: { type: 'string', value: '<name>', description: 'File name prefix: <name>.private.jwk and <name>.public.jwk (default: publisher).' },
      set: { type: 'string', value: '<dir>', description: 'Also write the new keyId into <dir>/extension.json (publisher.keyId).' },
    },
    examples: ['vib3 ext keygen --set .', 'vib3 ext keygen --out ~/.vib3-keys --name acme'],
    maxPositionals: 0,
    async run(io, _positionals, values) {
      await ext.keygen(io, { out: str(values, 'out'), name: str(values, 'name'), set: str(values, 'set') });
      return 0;
    },
  },
  {
    name: 'pack',
    summary: 'Lint, then write an unsigned package (<id>-<version>.vib3x)',
    usage: ['vib3 ext pack [<dir>] [-o <file.vib3x>]'],
    args: [['<dir>', 'Built extension folder (default: the current folder).']],
    options: { out: { type: 'string', short: 'o', value: '<file.vib3x>', description: 'Package file to write (default: <dir>/<id>-<version>.vib3x).' } },
    examples: ['vib3 ext pack -o package.vib3x', 'vib3 ext pack my-shape -o my-shape.vib3x'],
    maxPositionals: 1,
    run(io, [dir], values) {
      ext.pack(io, dir, { out: str(values, 'out') });
      return 0;
    },
  },
  {
    name: 'sign',
    summary: 'Sign a package with a publisher\'s private key',
    usage: ['vib3 ext sign <file.vib3x> --key <private.jwk> [-o <out.vib3x>]'],
    args: [['<file.vib3x>', 'The package to sign (from vib3 ext pack).']],
    options: {
      key: { type: 'string', short: 'k', value: '<private.jwk>', description: 'Required. The private key from vib3 ext keygen.' },
      out: { type: 'string', short: 'o', value: '<out.vib3x>', description: 'Write the signed package here (default: replace the input).' },
    },
    examples: ['vib3 ext sign package.vib3x --key .keys/publisher.private.jwk'],
    maxPositionals: 1,
    async run(io, [file], values) {
      if (!file) throw usageError('MISSING_PACKAGE', 'ext sign needs the package file, e.g. "vib3 ext sign package.vib3x --key .keys/publisher.private.jwk".', 'vib3 ext sign');
      await ext.sign(io, file, { key: str(values, 'key'), out: str(values, 'out') });
      return 0;
    },
  },
  {
    name: 'verify',
    summary: 'Verify a package\'s signature and integrity against trusted keys',
    usage: ['vib3 ext verify <file.vib3x> --trust <public.jwk | folder> [--json]'],
    args: [['<file.vib3x>', 'The signed package.']],
    options: {
      trust: { type: 'string', value: '<public.jwk | folder>', description: 'Required. A public key, or a folder of .jwk files.' },
      json: { type: 'boolean', description: 'Print the result as JSON.' },
    },
    examples: ['vib3 ext verify package.vib3x --trust .keys/publisher.public.jwk'],
    maxPositionals: 1,
    async run(io, [file], values) {
      if (!file) throw usageError('MISSING_PACKAGE', 'ext verify needs the package file, e.g. "vib3 ext verify package.vib3x --trust .keys/publisher.public.jwk".', 'vib3 ext verify');
      return (await ext.verify(io, file, { trust: str(values, 'trust'), json: values['json'] === true })) ? 0 : 1;
    },
  },
  {
    name: 'inspect',
    summary: 'List the files in a package',
    usage: ['vib3 ext inspect <file.vib3x>'],
    args: [['<file.vib3x>', 'The package to list.']],
    options: {},
    examples: ['vib3 ext inspect dev.vib3.duoprism-1.0.1.vib3x'],
    maxPositionals: 1,
    run(io, [file]) {
      if (!file) throw usageError('MISSING_PACKAGE', 'ext inspect needs the package file, e.g. "vib3 ext inspect package.vib3x".', 'vib3 ext inspect');
      ext.inspect(io, file);
      return 0;
    },
  },
  {
    name: 'test',
    summary: 'Run the extension\'s own tests (node --test test/)',
    usage: ['vib3 ext test [<dir>]'],
    args: [['<dir>', 'Extension folder with a test/ folder (default: the current folder).']],
    options: {},
    examples: ['vib3 ext test', 'vib3 ext test extensions/duoprism'],
    maxPositionals: 1,
    run(io, [dir]) {
      return ext.test(io, dir) ? 0 : 1;
    },
  },
];

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/** The package version: replaced at build time; read from package.json when run from source. */
export function version(): string {
  if (VERSION !== '0.0.0-dev') return VERSION;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return VERSION;
  }
}

const table = (rows: [string, string][]): string[] => {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`);
};

const optionRows = (options: Record<string, OptionSpec>): [string, string][] =>
  Object.entries({ ...options, help: HELP_OPTION }).map(([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`, o.description]);

export function topHelp(): string {
  return [
    `vib3 ${version()} — the VIB3 Embed Kit command line`,
    '',
    'Usage:',
    '  vib3 <command> [arguments] [options]',
    '',
    'Commands:',
    ...table([
      ['ext <subcommand>', 'Create, build, lint, pack, sign and verify extensions (vib3 ext --help)'],
      ['help [<command>]', 'Show the help of a command, e.g. vib3 help ext create'],
    ]),
    '',
    'Extension subcommands (vib3 ext <subcommand> --help for each):',
    ...table(COMMANDS.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    ...table([
      ['-h, --help', 'Show this help.'],
      ['-v, --version', 'Print the version.'],
    ]),
    '',
    'Examples:',
    '  vib3 ext create my-shape --template geometry',
    '  vib3 ext create --help',
    '',
    'Exit codes: 0 success, 1 a problem was found (lint errors, failed verification, failing tests), 2 usage error.',
  ].join('\n');
}

export function extHelp(): string {
  return [
    'vib3 ext — build and publish VIB3 extensions',
    '',
    'Usage:',
    '  vib3 ext <subcommand> [arguments] [options]',
    '',
    'Subcommands:',
    ...table(COMMANDS.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    ...table([['-h, --help', 'Show this help.']]),
    '',
    'A publisher\'s round trip:',
    '  vib3 ext create my-shape --template geometry',
    '  vib3 ext keygen --set my-shape',
    '  vib3 ext build my-shape && vib3 ext lint my-shape',
    '  vib3 ext pack my-shape -o my-shape.vib3x',
    '  vib3 ext sign my-shape.vib3x --key .keys/publisher.private.jwk',
    '  vib3 ext verify my-shape.vib3x --trust .keys/publisher.public.jwk',
    '',
    'Run "vib3 ext <subcommand> --help" for its arguments and options.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `vib3 ext ${c.name} — ${c.summary}`,
    '',
    'Usage:',
    ...c.usage.map((u) => `  ${u}`),
    ...(c.args.length ? ['', 'Arguments:', ...table(c.args)] : []),
    '',
    'Options:',
    ...table(optionRows(c.options)),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
  ].join('\n');
}

const isHelp = (a: string | undefined) => a === '--help' || a === '-h';

function runCommand(io: ext.Io, c: Command, argv: string[]): Promise<number> | number {
  let parsed: { values: Values; positionals: string[] };
  try {
    const options = Object.fromEntries(Object.entries({ ...c.options, help: HELP_OPTION }).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (err) {
    const e = err as { code?: string; message: string };
    const code = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'UNKNOWN_OPTION' : e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? 'INVALID_OPTION_VALUE' : 'INVALID_ARGUMENTS';
    const unknown = /'([^']+)'/.exec(e.message)?.[1];
    const option = /--[\w-]+/.exec(e.message)?.[0];
    const message =
      code === 'UNKNOWN_OPTION' && unknown
        ? `ext ${c.name} has no option ${unknown}. Options: ${Object.keys(c.options).map((o) => `--${o}`).concat('--help').join(', ')}.`
        : /argument missing/.test(e.message) && option
          ? `ext ${c.name}: option ${option} needs a value.`
          : `ext ${c.name}: ${e.message}`;
    throw usageError(code, message, `vib3 ext ${c.name}`);
  }
  if (parsed.values['help']) {
    io.out(commandHelp(c));
    return 0;
  }
  if (parsed.positionals.length > c.maxPositionals) {
    const extra = parsed.positionals.slice(c.maxPositionals).map((p) => JSON.stringify(p)).join(' ');
    throw usageError('UNEXPECTED_ARGUMENT', `ext ${c.name} takes ${c.maxPositionals === 0 ? 'no arguments' : `at most ${c.maxPositionals} argument`}; unexpected ${extra}.`, `vib3 ext ${c.name}`);
  }
  return c.run(io, parsed.positionals, parsed.values);
}

const findCommand = (name: string | undefined) => COMMANDS.find((c) => c.name === name);

/** `vib3 help [ext [<subcommand>]]`. */
function help(io: ext.Io, path: string[]): number {
  const [group, sub, ...rest] = path;
  if (group === undefined) io.out(topHelp());
  else if (group === 'ext' && sub === undefined) io.out(extHelp());
  else if (group === 'ext' && findCommand(sub) && rest.length === 0) io.out(commandHelp(findCommand(sub)!));
  else if (group === 'help' && sub === undefined) io.out(topHelp());
  else throw usageError('UNKNOWN_COMMAND', `no help for "${path.join(' ')}". Commands: ext, help; ext subcommands: ${COMMANDS.map((c) => c.name).join(', ')}.`, 'vib3');
  return 0;
}

async function dispatch(io: ext.Io, argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(topHelp());
    return 2;
  }
  if (isHelp(first)) return help(io, []);
  if (first === '--version' || first === '-v') {
    io.out(version());
    return 0;
  }
  if (first === 'help') return help(io, rest);
  if (first.startsWith('-')) throw usageError('UNKNOWN_OPTION', `unknown option ${first}. Options: --help, --version.`, 'vib3');
  if (first !== 'ext') throw usageError('UNKNOWN_COMMAND', `unknown command "${first}". Commands: ext, help.`, 'vib3');

  const [sub, ...args] = rest;
  if (sub === undefined) {
    io.err(extHelp());
    return 2;
  }
  if (isHelp(sub)) {
    io.out(extHelp());
    return 0;
  }
  if (sub === 'help') return help(io, ['ext', ...args]);
  if (sub.startsWith('-')) throw usageError('UNKNOWN_OPTION', `unknown option ${sub}. Options: --help.`, 'vib3 ext');
  const command = findCommand(sub);
  if (!command) throw usageError('UNKNOWN_COMMAND', `unknown ext subcommand "${sub}". Subcommands: ${COMMANDS.map((c) => c.name).join(', ')}.`, 'vib3 ext');
  return runCommand(io, command, args);
}

export async function main(argv: string[], io: ext.Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  try {
    return await dispatch(io, argv);
  } catch (err) {
    if (err instanceof ext.CliError) {
      io.err(`vib3: ${err.code ? `${err.code}: ` : ''}${err.message}`);
      return err.exitCode;
    }
    io.err(`vib3: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
