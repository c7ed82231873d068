/**
 * `vib3 ext install|update|channel|rollback|uninstall|list`: install extensions from a registry
 * into a project directory (`--dir`), verified through the registry's TUF metadata, with channels
 * and offline rollback (docs/INSTALLER.md).
 */
import { Option } from 'commander';
import type { Vib3Command } from '../command.js';
import { usageError, type Io } from '../errors.js';
import type { InstallResult } from '../../marketplace/types.js';
import { CHANNELS, type Channel } from '../../marketplace/types.js';
import { listOf } from '../../marketplace/installer.js';
import { asCliError, DEFAULT_DIR, openInstaller, type InstallCommandOptions } from '../install/operations.js';

type Opts = InstallCommandOptions & { channel?: Channel; to?: string };

const dirOption = () => new Option('--dir <dir>', `The install directory (default: ./${DEFAULT_DIR}); it remembers the registry.`);
const EXIT_CODES = 'Exit codes: 0 success, 1 refused or failed (nothing changed), 2 usage, 3 security refusal (TUF metadata, hashes, signatures, an SBOM or provenance that does not match the package; nothing changed).';

/** `<id>[@<range>]` split at the first `@` after the id. */
function idAndRange(spec: string): { id: string; range?: string } {
  const at = spec.indexOf('@');
  return at < 0 ? { id: spec } : { id: spec.slice(0, at), range: spec.slice(at + 1) };
}

function describe(r: InstallResult): string {
  const how = r.fromCache ? ' (from the cache)' : '';
  switch (r.action) {
    case 'installed':
      return `installed ${r.id}@${r.version} on ${r.channel}${how}`;
    case 'unchanged':
      return `${r.id}@${r.version} is up to date on ${r.channel}`;
    case 'rolled-back':
      return `rolled back ${r.id} ${r.previous} -> ${r.version}${how}; pinned until "vib3 ext update ${r.id}"`;
    default:
      return `${r.action} ${r.id} ${r.previous} -> ${r.version} on ${r.channel}${how}`;
  }
}

async function runOp<T>(opts: Opts, command: string, io: Io, json: boolean, op: (engine: Awaited<ReturnType<typeof openInstaller>>['engine']) => Promise<T>, print: (value: T, dir: string) => { text: string[]; json: Record<string, unknown> }): Promise<void> {
  const started = Date.now();
  const { engine, dir, finish } = await openInstaller(opts, command);
  let value: T;
  try {
    value = await op(engine);
  } catch (err) {
    throw asCliError(err);
  } finally {
    finish();
  }
  const out = print(value, dir);
  if (json) io.out(JSON.stringify({ ok: true, ...out.json, ms: Date.now() - started }, null, 2));
  else for (const line of out.text) io.out(line);
}

const common = (cmd: Vib3Command, jsonShape: string) => cmd.addOption(dirOption()).option('--json', `Print one JSON result: ${jsonShape}.`);
/** `--license` / `--origin` for commands that may install a paid extension's version. */
const licensed = (cmd: Vib3Command) =>
  cmd.option('--license <token>', 'A license token for a paid extension (vib3 license issue).').option('--origin <origin>', 'The site origin the license must name (default http://localhost).');

/** `--require-sbom`, `--require-provenance`, `--allowed-builder` for commands that may install a version. */
const supplyChain = (cmd: Vib3Command) =>
  cmd
    .option('--require-sbom', 'Refuse a version whose package carries no SBOM (SBOM_REQUIRED).')
    .option('--require-provenance', 'Refuse a version whose package carries no signed provenance (PROVENANCE_REQUIRED).')
    .option('--allowed-builder <id...>', 'Accept only versions built by these builders (provenance runDetails.builder.id; exact, or a prefix ending in *).');

/** Adds the install commands to the `ext` group. */
export function registerInstallCommands(group: Vib3Command): void {
  const install = group.command('install').description('Install an extension from a registry (TUF-verified, with consent)').argument('<id[@range]>', 'The extension id, optionally with a semver range, e.g. dev.vib3.duoprism@^1.0.');
  supplyChain(licensed(common(install, '{ ok, id, version, previous?, channel, action, fromCache }')))
    .option('--registry <url>', 'The registry (needed for the first install into --dir).')
    .addOption(new Option('--channel <channel>', 'Follow this channel (default: stable, or the one followed already).').choices(CHANNELS))
    .option('--trust-root <file>', 'The TUF root.json to trust (default: the registry\'s /tuf/1.root.json on first use).')
    .option('--yes', 'Grant the capabilities the extension asks for without asking.')
    .usages('<id>[@<range>] [--registry <url>] [--channel stable|beta|canary] [--dir <dir>] [--trust-root <file>] [--yes] [--license <token> --origin <origin>] [--require-sbom] [--require-provenance] [--allowed-builder <id>...] [--json]')
    .whenMissing('id[@range]', 'MISSING_ID', 'ext install needs an extension id, e.g. "vib3 ext install dev.vib3.duoprism --registry http://127.0.0.1:4873".')
    .examples('vib3 ext install dev.vib3.duoprism --registry http://127.0.0.1:4873 --yes', 'vib3 ext install dev.vib3.duoprism@^1.0 --channel beta --dir web/vib3 --json', 'vib3 ext install dev.vib3.duoprism --require-sbom --require-provenance --allowed-builder "https://ci.example.com/*" --yes')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .run<Opts>(async ({ io, args: [spec], opts, json }) => {
      const { id, range } = idAndRange(spec!);
      if (range === '') throw usageError('INVALID_RANGE', `${JSON.stringify(spec)} has an empty range after @.`, 'vib3 ext install');
      await runOp(opts, 'ext install', io, json, (e) => e.install(id, { ...(range ? { range } : {}), ...(opts.channel ? { channel: opts.channel } : {}) }), (r) => ({ text: [describe(r)], json: { ...r } }));
    });

  const update = group.command('update').description('Update one extension (and unpin it) or every unpinned one').argument('[id]', 'The extension to update (default: all that are not pinned by a rollback).');
  supplyChain(licensed(common(update, '{ ok, results: [ { id, version, previous, action } ] }')))
    .option('--yes', 'Grant capabilities a new version adds without asking.')
    .usages('[<id>] [--dir <dir>] [--yes] [--json]')
    .examples('vib3 ext update --dir web/vib3', 'vib3 ext update dev.vib3.duoprism --json')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .run<Opts>(async ({ io, args: [id], opts, json }) => {
      await runOp(opts, 'ext update', io, json, (e) => e.update(id), (results) => ({ text: results.length ? results.map(describe) : ['nothing to update'], json: { results } }));
    });

  const channel = group.command('channel').description('Switch an extension to another channel (and install what it offers)').argument('<id>', 'The extension.').argument('<channel>', 'stable, beta or canary.');
  supplyChain(licensed(common(channel, '{ ok, id, version, previous, channel, action }')))
    .option('--yes', 'Grant capabilities the channel\'s version adds without asking.')
    .usages('<id> <stable|beta|canary> [--dir <dir>] [--yes] [--json]')
    .whenMissing('id', 'MISSING_ID', 'ext channel needs an extension id and a channel, e.g. "vib3 ext channel dev.vib3.duoprism beta".')
    .whenMissing('channel', 'MISSING_CHANNEL', 'ext channel needs a channel: stable, beta or canary.')
    .examples('vib3 ext channel dev.vib3.duoprism beta', 'vib3 ext channel dev.vib3.duoprism stable --json')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .run<Opts>(async ({ io, args: [id, ch], opts, json }) => {
      if (!(CHANNELS as readonly string[]).includes(ch!)) throw usageError('INVALID_CHANNEL', `${JSON.stringify(ch)} is not a channel (stable, beta, canary).`, 'vib3 ext channel');
      await runOp(opts, 'ext channel', io, json, (e) => e.setChannel(id!, ch as Channel), (r) => ({ text: [describe(r)], json: { ...r } }));
    });

  const rollback = group.command('rollback').description('Roll back to a cached version (works offline); pins it until the next update').argument('<id>', 'The extension.');
  supplyChain(licensed(common(rollback, '{ ok, id, version, previous, channel, action, fromCache }')))
    .option('--to <version>', 'The cached version to go back to (default: the newest cached one older than the active).')
    .option('--yes', 'Grant capabilities without asking (only if that version asks for more).')
    .usages('<id> [--to <version>] [--dir <dir>] [--json]')
    .whenMissing('id', 'MISSING_ID', 'ext rollback needs an extension id, e.g. "vib3 ext rollback dev.vib3.duoprism".')
    .examples('vib3 ext rollback dev.vib3.duoprism', 'vib3 ext rollback dev.vib3.duoprism --to 1.0.0 --json')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .run<Opts>(async ({ io, args: [id], opts, json }) => {
      await runOp(opts, 'ext rollback', io, json, (e) => e.rollback(id!, opts.to ? { to: opts.to } : {}), (r) => ({ text: [describe(r)], json: { ...r } }));
    });

  const uninstall = group.command('uninstall').description('Remove an extension and its cached versions').argument('<id>', 'The extension.');
  common(uninstall, '{ ok, id }')
    .usages('<id> [--dir <dir>] [--json]')
    .whenMissing('id', 'MISSING_ID', 'ext uninstall needs an extension id.')
    .examples('vib3 ext uninstall dev.vib3.duoprism')
    .addHelpText('after', `\n${EXIT_CODES}`)
    .run<Opts>(async ({ io, args: [id], opts, json }) => {
      await runOp(opts, 'ext uninstall', io, json, (e) => e.uninstall(id!), () => ({ text: [`uninstalled ${id}`], json: { id } }));
    });

  const list = group.command('list').description('List the installed extensions of --dir');
  common(list, '{ ok, extensions: [ { id, version, channel, cached, pinned, … } ] }')
    .usages('[--dir <dir>] [--json]')
    .examples('vib3 ext list', 'vib3 ext list --dir web/vib3 --json')
    .run<Opts>(async ({ io, opts, json }) => {
      const { store, dir } = await openInstaller({ ...opts, registry: opts.registry ?? 'http://127.0.0.1' }, 'ext list');
      const state = await store.readState().catch((err: unknown) => {
        throw asCliError(err);
      });
      const extensions = state ? listOf(state) : [];
      if (json) {
        io.out(JSON.stringify({ ok: true, dir, registry: state?.registry ?? null, extensions }, null, 2));
        return;
      }
      if (!extensions.length) io.out(`nothing installed in ${dir}`);
      for (const x of extensions) io.out(`${x.id}@${x.version}  ${x.channel}${x.pinned ? ' (pinned)' : ''}  cached: ${x.cached.join(', ')}`);
    });
}
