/**
 * The `vib3` flavour of a commander {@link Command}: help laid out as
 *
 *     vib3 ext create — Scaffold a new extension project from a template
 *
 *     Usage:
 *       vib3 ext create <name> --template <template> …
 *
 *     Arguments: / Options: / Subcommands:
 *
 *     Examples:
 *       vib3 ext create my-shape --template geometry
 *
 * commander's parse errors turned into coded usage errors (exit 2, `UNKNOWN_OPTION: …`), options
 * a command requires checked after its arguments, and actions that return an exit code.
 */
import { Command, type Argument, type Help, type Option } from 'commander';
import { CliError, usageError, type Io } from './errors.js';

/** What an action gets: positional arguments (commander-parsed), option values, and where to print. */
export interface RunContext<O> {
  args: Array<string | undefined>;
  opts: O;
  io: Io;
  /** Whether `--json` was given: print one JSON object and nothing else on stdout. */
  json: boolean;
  command: Vib3Command;
}

interface Requirement {
  attribute: string;
  code: string;
  message: string;
}

/** A command of the `vib3` program (see the module comment). */
export class Vib3Command extends Command {
  /** Exit code of the action that ran (root command only). */
  exitCode = 0;
  /** Where output goes (root command only; subcommands ask the root). */
  io?: Io;
  private usageLines: string[] = [];
  private readonly whenMissingArg = new Map<string, { code: string; message: string }>();
  private readonly requirements: Requirement[] = [];

  override createCommand(name?: string): Vib3Command {
    return new Vib3Command(name);
  }

  /** The root command (`vib3`). */
  root(): Vib3Command {
    let c: Command = this;
    while (c.parent) c = c.parent;
    return c as Vib3Command;
  }

  /** `vib3 ext create`. */
  path(): string {
    const names: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  }

  /** The path without the program name (`ext create`), or `vib3` for the program itself. */
  relativePath(): string {
    return this.parent ? this.path().split(' ').slice(1).join(' ') : this.name();
  }

  /** Usage lines after the command path (the first is also commander's usage string). */
  usages(...lines: string[]): this {
    this.usageLines = lines;
    return this.usage(lines[0] ?? '');
  }

  /** Full usage lines for the help. */
  usageList(): string[] {
    const lines = this.usageLines.length ? this.usageLines : [this.usage()];
    return lines.map((l) => `${this.path()} ${l}`.trimEnd());
  }

  /** The coded message printed when a required argument is missing. */
  whenMissing(argument: string, code: string, message: string): this {
    this.whenMissingArg.set(argument, { code, message });
    return this;
  }

  /** A required option, checked after the arguments (so a missing argument is reported first). */
  requires(attribute: string, code: string, message: string): this {
    this.requirements.push({ attribute, code, message });
    return this;
  }

  /** Examples shown at the end of the help. */
  examples(...lines: string[]): this {
    return this.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }

  /** The action: its resolved exit code (default 0) becomes the program's. */
  run<O = Record<string, unknown>>(fn: (ctx: RunContext<O>) => Promise<number | void> | number | void): this {
    return this.action(async () => {
      const opts = this.opts() as Record<string, unknown>;
      for (const r of this.requirements) {
        if (opts[r.attribute] === undefined || opts[r.attribute] === '') throw usageError(r.code, r.message, this.path());
      }
      const root = this.root();
      const code = await fn({ args: this.processedArgs as Array<string | undefined>, opts: opts as O, io: root.io!, json: opts['json'] === true, command: this });
      root.exitCode = code ?? 0;
    });
  }

  /** commander's parse errors as coded usage errors (exit 2) with a pointer to the help. */
  override error(message: string, options?: { code?: string; exitCode?: number }): never {
    throw this.usageErrorFor(message.replace(/^error: /, ''), options?.code ?? '');
  }

  private usageErrorFor(message: string, code: string): CliError {
    const rel = this.relativePath();
    const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
    const similar = /\(Did you mean (.+)\?\)/.exec(message)?.[1];
    const hint = similar ? ` Did you mean ${similar}?` : '';
    const long = (flags: string) => /--[\w-]+/.exec(flags)?.[0] ?? flags.split(/[ ,]/)[0]!;
    const path = this.path();
    switch (code) {
      case 'commander.unknownCommand': {
        const names = this.createHelp().visibleCommands(this).map((c) => c.name());
        const what = this.parent ? `unknown ${rel} subcommand` : 'unknown command';
        return usageError('UNKNOWN_COMMAND', `${what} "${quoted}".${hint} ${this.parent ? 'Subcommands' : 'Commands'}: ${names.join(', ')}.`, path);
      }
      case 'commander.unknownOption': {
        const options = [...this.options.map((o) => o.long ?? o.short ?? ''), '--help'].filter((o, i, all) => o && all.indexOf(o) === i);
        const text = this.commands.length ? `unknown option ${quoted}.` : `${rel} has no option ${quoted}.`;
        return usageError('UNKNOWN_OPTION', `${text}${hint} Options: ${options.join(', ')}.`, path);
      }
      case 'commander.missingArgument': {
        const coded = this.whenMissingArg.get(quoted);
        const arg = this.registeredArguments.find((a) => a.name() === quoted);
        return usageError(coded?.code ?? 'MISSING_ARGUMENT', coded?.message ?? `${rel} needs <${quoted}>${arg?.description ? `: ${arg.description}` : '.'}`, path);
      }
      case 'commander.optionMissingArgument':
        return usageError('INVALID_OPTION_VALUE', `${rel}: option ${long(quoted)} needs a value.`, path);
      case 'commander.missingMandatoryOptionValue':
        return usageError('MISSING_OPTION', `${rel} needs ${quoted.replace(/^-\w, /, '')}.`, path);
      case 'commander.excessArguments': {
        const max = this.registeredArguments.length;
        const extra = this.args.slice(max).map((a) => JSON.stringify(a)).join(' ');
        return usageError('UNEXPECTED_ARGUMENT', `${rel} takes ${max === 0 ? 'no arguments' : `at most ${max} argument${max === 1 ? '' : 's'}`}; unexpected ${extra}.`, path);
      }
      case 'commander.invalidArgument': {
        const value = /argument '([^']*)'|value '([^']*)'/.exec(message);
        const why = message.replace(/^.*? is invalid(?: for argument '[^']*')?\.\s*/, '');
        return usageError('INVALID_OPTION_VALUE', `${rel}: ${quoted.startsWith('-') ? `option ${long(quoted)}` : quoted} does not take ${JSON.stringify(value?.[1] ?? value?.[2] ?? '')}. ${why}`.trim(), path);
      }
      case 'commander.conflictingOption':
        return usageError('CONFLICTING_OPTIONS', `${rel}: ${message}`, path);
      default:
        return usageError('USAGE_ERROR', `${rel}: ${message}`, path);
    }
  }
}

/** `<name>` for an argument in help (its optionality shows in the usage line). */
const argumentTerm = (a: Argument): string => `<${a.name()}${a.variadic ? '...' : ''}>`;
/** `create <name> [dir]` for a subcommand listing; `publisher <subcommand>` for a group. */
const subcommandTerm = (c: Command): string =>
  c.commands.length ? `${c.name()} <subcommand>` : [c.name(), ...c.registeredArguments.map((a) => (a.required ? argumentTerm(a) : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' ');

/** The leaves under a group, as `publisher create` relative to it. */
function leaves(group: Command, prefix = ''): Array<[string, Command]> {
  return group.commands.flatMap((c) => (c.commands.length ? leaves(c, `${prefix}${c.name()} `) : c.name() === 'help' ? [] : [[prefix + subcommandTerm(c), c] as [string, Command]]));
}

/** The help text of a command (see the module comment). */
export function formatHelp(cmd: Command, helper: Help): string {
  const termWidth = helper.padWidth(cmd, helper);
  const item = (term: string, description: string, width = termWidth) => helper.formatItem(term, width, description, helper);
  const v = cmd as Vib3Command;
  const lines: string[] = [v.parent ? `${v.path()} — ${cmd.description()}` : cmd.description(), '', 'Usage:', ...v.usageList().map((u) => `  ${u}`), ''];
  const args = helper.visibleArguments(cmd).map((a) => item(argumentTerm(a), helper.argumentDescription(a)));
  if (args.length) lines.push('Arguments:', ...args, '');
  const groups = new Map<string, string[]>();
  const add = (heading: string, line: string) => groups.set(heading, [...(groups.get(heading) ?? []), line]);
  for (const c of helper.visibleCommands(cmd)) add(c.helpGroup() || (cmd.parent ? 'Subcommands:' : 'Commands:'), item(subcommandTerm(c), helper.subcommandDescription(c)));
  for (const o of helper.visibleOptions(cmd)) add(o.helpGroupHeading ?? 'Options:', item(helper.optionTerm(o), helper.optionDescription(o)));
  for (const [heading, items] of groups) lines.push(heading, ...items, '');
  if (!cmd.parent) {
    // The program's overview also lists what each command group holds.
    for (const group of cmd.commands.filter((c) => c.commands.length)) {
      const rows = leaves(group);
      const width = Math.max(...rows.map(([t]) => t.length));
      lines.push(`${group.name()} subcommands (vib3 ${group.name()} <subcommand> --help for each):`, ...rows.map(([t, c]) => item(t, helper.subcommandDescription(c), width)), '');
    }
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

/** Help settings shared by every command of the program. */
export const helpConfiguration = {
  formatHelp,
  subcommandTerm,
  argumentTerm,
  optionTerm: (o: Option) => (o.short || o.long === '--help' ? o.flags : `    ${o.flags}`),
};

/** Adds `help [subcommand...]` to a command group (commander's own covers one level only). */
export function addHelpCommand(group: Vib3Command): void {
  const top = !group.parent;
  group
    .command('help')
    .argument('[command...]', top ? 'A command, e.g. ext create.' : 'A subcommand.')
    .description(top ? 'Show the help of a command, e.g. vib3 help ext create' : 'Show the help of a subcommand')
    .usages('[<command>...]')
    .run(({ args }) => {
      const names = (args[0] as unknown as string[] | undefined) ?? [];
      let target: Command = group;
      for (const name of names) {
        const next = target.commands.find((c) => c.name() === name && c.name() !== 'help');
        if (!next) {
          const known = group.commands.map((c) => c.name()).join(', ');
          throw usageError('UNKNOWN_COMMAND', `no help for "${names.join(' ')}". ${top ? 'Commands' : 'Subcommands'}: ${known}.`, group.path());
        }
        target = next;
      }
      target.outputHelp();
      return 0;
    });
}
