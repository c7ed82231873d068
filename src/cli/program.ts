/**
 * The `vib3` command line (node-only; never part of the browser bundle), on commander:
 *
 *   vib3 ext create|build|lint|keygen|pack|sign|verify|inspect|test|publish …
 *   vib3 ext install|update|channel|rollback|uninstall|list …   (the installer: docs/INSTALLER.md)
 *   vib3 license issue|verify …                                   (license tokens: docs/LICENSING.md)
 *   vib3 audit verify …                                           (audit logs: docs/LICENSING.md)
 *   vib3 registry search|publisher create|verify|yank|serve|keys|sync-worker …
 *   vib3 listing validate|preview|export|upload|sync|status …     (listings: docs/LISTINGS.md)
 *   vib3 toolpack validate|docs|export …                          (tool packs: docs/AGENTS.md)
 *   vib3 mcp [--http PORT] [--pair …]                             (the MCP server: docs/AGENTS.md)
 *   vib3 verify-release DIR --trust KEY                           (docs/SUPPLY-CHAIN.md)
 *   vib3 embed-code …                                             (docs/PARTNERS.md)
 *   vib3 login|logout --registry URL
 *   vib3 help [command…]        vib3 --help | -h        vib3 --version | -v
 *
 * Every command and subcommand has `--help`. Exit codes: 0 success, 1 a problem (lint errors, a
 * failed verification, a refused request), 2 a usage error; errors print `vib3: CODE: message`
 * and a suggestion, or with `--json` one `{ ok: false, code, message, suggestion }` object.
 */
import { CommanderError } from 'commander';
import { version } from './version.js';
import { addHelpCommand, helpConfiguration, Vib3Command } from './command.js';
import { consoleIo, printError, toCliError, type Io } from './errors.js';
import { registerExtCommands } from './commands/ext.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerLoginCommands } from './commands/login.js';
import { registerLicenseCommands } from './commands/license.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerVerifyReleaseCommand } from './commands/verify-release.js';
import { registerListingCommands } from './commands/listing.js';
import { registerEmbedCodeCommand } from './commands/embed-code.js';
import { registerToolpackCommands } from './commands/toolpack.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerAgentCommand } from './commands/agent.js';

export { version };

/** Builds the whole `vib3` program, printing through `io`. */
export function createProgram(io: Io = consoleIo): Vib3Command {
  const program = new Vib3Command('vib3');
  program.io = io;
  program
    .description(`vib3 ${version()} — the VIB3 Embed Kit command line`)
    .usages('<command> [arguments] [options]')
    .configureHelp(helpConfiguration)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')), outputError: () => undefined })
    .exitOverride()
    .enablePositionalOptions()
    .helpOption('-h, --help', 'Show this help.')
    .helpCommand(false)
    .version(version(), '-v, --version', 'Print the version.');
  registerExtCommands(program);
  registerRegistryCommands(program);
  registerLoginCommands(program);
  registerLicenseCommands(program);
  registerAuditCommands(program);
  registerVerifyReleaseCommand(program);
  registerListingCommands(program);
  registerEmbedCodeCommand(program);
  registerToolpackCommands(program);
  registerMcpCommand(program);
  registerAgentCommand(program);
  addHelpCommand(program);
  program.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  vib3 ext create my-shape --template geometry',
      '  vib3 ext publish my-shape.vib3x --registry http://127.0.0.1:4873 --channel stable',
      '  vib3 registry search shapes --registry http://127.0.0.1:4873',
      '  vib3 ext create --help',
      '',
      'Exit codes: 0 success, 1 a problem was found (lint errors, failed verification, failing tests,',
      'a refused registry request), 2 usage error. Errors print "CODE: message" and a suggestion;',
      'with --json, one { "ok": false, "code", "message", "suggestion" } object on stdout.',
    ].join('\n'),
  );
  return program;
}

/** Whether the command line asks for a JSON result (`--json` before any `--`). */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs `vib3` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return program.exitCode;
  } catch (err) {
    // Help and --version end the parse with a CommanderError: 0 when asked for, 2 for a bare group.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const error = toCliError(err);
    printError(io, error, wantsJson(argv));
    return error.exitCode;
  }
}
