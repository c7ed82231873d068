/**
 * The registry-facing `vib3 listing` subcommands (docs/LISTINGS.md): `upload` (rendered images →
 * the registry's listing assets), `sync` (a dry run's diff, or a queued resync) and `status`
 * (per-partner sync status).
 */
import { Option } from 'commander';
import type { Vib3Command } from '../command.js';
import { CliError } from '../errors.js';
import { printUploadSummary, uploadPreviews } from '../listing-upload.js';
import { listingStatus, listingSync } from '../listing-sync.js';
import { registryOption, tokenOption } from './shared.js';

interface UploadOpts {
  id?: string;
  version?: string;
  registry: string;
  token?: string;
}
interface SyncOpts {
  registry: string;
  token?: string;
  partner?: string[];
  dryRun?: boolean;
  force?: boolean;
}

const PARTNER = /^[a-z][a-z0-9-]{0,31}$/;

/** `--partner <name>`, repeatable, checked like the registry's partner names. */
function collectPartner(value: string, previous: string[] = []): string[] {
  if (!PARTNER.test(value)) throw new CliError(`--partner ${JSON.stringify(value)} is not a partner name.`, 2, 'INVALID_OPTION_VALUE', 'Pass a partner the registry syncs to, e.g. --partner npm.');
  return [...previous, value];
}

/** Adds `upload`, `sync` and `status` to the `listing` group. */
export function registerListingRemoteCommands(group: Vib3Command): void {
  const upload = group
    .command('upload')
    .description('Upload the images vib3 ext previews rendered as the registry\'s listing images of a version')
    .argument('<previews-dir>', 'The folder vib3 ext previews wrote (with previews.json).')
    .option('--id <id>', 'The extension (default: the one previews.json names).')
    .addOption(new Option('--version <version>', 'The published version the images belong to (default: the one previews.json names).'));
  registryOption(upload);
  tokenOption(upload, 'The publisher API token (default: the token vib3 login stored for the registry).');
  upload
    .option('--json', 'Print one JSON result: { ok, id, version, registry, uploaded: [ { file, target, name, sha256, width, height, outcome, url, queued } ], refused }.')
    .usages('<previews-dir> [--id <id>] [--version <version>] --registry <url> [--token <token>] [--json]')
    .whenMissing('previews-dir', 'MISSING_PREVIEWS', 'listing upload needs the folder vib3 ext previews wrote, e.g. "vib3 listing upload my-shape/previews --registry http://127.0.0.1:4873".')
    .examples('vib3 ext previews my-shape.vib3x --targets registry,wordpress --out previews', 'vib3 listing upload previews --registry http://127.0.0.1:4873', 'vib3 listing upload previews --id com.acme.shapes --version 1.2.0 --registry https://registry.example.com --json')
    .addHelpText('after', '\nEach image is checked by the registry against its target\'s exact size and format (IMAGE_WRONG_SIZE,\nIMAGE_WRONG_FORMAT, UNKNOWN_SLOT); refused ones are listed and the others still go. Images of the\nlisted version are queued for the target\'s partners (the registry target\'s for every partner).\nExit codes: 0 every image stored, 1 a refusal (UPLOAD_INCOMPLETE) or a registry error, 2 usage.')
    .run<UploadOpts>(async ({ io, args: [dir], opts, json }) => {
      const report = await uploadPreviews(io, dir!, { registry: opts.registry, ...(opts.token ? { token: opts.token } : {}), ...(opts.id ? { id: opts.id } : {}), ...(opts.version ? { version: opts.version } : {}), json });
      if (json) io.out(JSON.stringify({ ok: true, ...report }, null, 2));
      else printUploadSummary(io, report);
    });

  const sync = group
    .command('sync')
    .description('Show what a sync would push to each partner (--dry-run), or queue a resync')
    .argument('<id>', 'The extension id.')
    .option('--partner <name>', 'Repeatable. Only these partners (default: every partner the registry syncs to).', collectPartner)
    .option('--dry-run', 'Push nothing: print each partner\'s changes against what it was last given.')
    .option('--force', 'Push even to partners the registry records as having this listing already.');
  registryOption(sync);
  tokenOption(sync, 'The owner\'s (or an admin\'s) API token (default: the token vib3 login stored for the registry).');
  sync
    .option('--json', 'Print the registry\'s answer as one JSON object ({ ok, dryRun, id, partners } or { ok, id, queued, force }).')
    .usages('<id> --registry <url> [--partner <name>]… [--dry-run | --force] [--token <token>] [--json]')
    .whenMissing('id', 'MISSING_ID', 'listing sync needs the extension id, e.g. "vib3 listing sync com.acme.shapes --registry http://127.0.0.1:4873 --dry-run".')
    .examples('vib3 listing sync com.acme.shapes --registry http://127.0.0.1:4873 --dry-run', 'vib3 listing sync com.acme.shapes --registry https://registry.example.com --partner wordpress --force')
    .addHelpText('after', '\nA resync writes one outbox row per partner; workers push it (a partner that has this exact listing\nis skipped unless --force). Exit codes: 0 done, 1 a registry error (SYNC_NOT_CONFIGURED, UNKNOWN_PARTNER, …), 2 usage.')
    .run<SyncOpts>(({ io, args: [id], opts, json }) => {
      if (opts.dryRun && opts.force) throw new CliError('--dry-run pushes nothing; --force only applies to a resync.', 2, 'CONFLICTING_OPTIONS', 'Pass one of --dry-run and --force.');
      return listingSync(io, id!, { registry: opts.registry, ...(opts.token ? { token: opts.token } : {}), ...(opts.partner ? { partners: opts.partner } : {}), dryRun: opts.dryRun === true, force: opts.force === true, json });
    });

  const status = group
    .command('status')
    .description('Show the listing\'s sync status per partner: status, pushed version, attempts, next attempt, last error')
    .argument('<id>', 'The extension id.');
  registryOption(status);
  tokenOption(status, 'The owner\'s (or an admin\'s) API token (default: the token vib3 login stored for the registry).');
  status
    .option('--json', 'Print the registry\'s answer: { ok, id, partners: [ { partner, status, pushedVersion, remoteId, attempts, nextAttemptAt, lastError, latest } ] }.')
    .usages('<id> --registry <url> [--token <token>] [--json]')
    .whenMissing('id', 'MISSING_ID', 'listing status needs the extension id, e.g. "vib3 listing status com.acme.shapes --registry http://127.0.0.1:4873".')
    .examples('vib3 listing status com.acme.shapes --registry http://127.0.0.1:4873')
    .run<{ registry: string; token?: string }>(({ io, args: [id], opts, json }) => listingStatus(io, id!, { registry: opts.registry, ...(opts.token ? { token: opts.token } : {}), json }));
}
