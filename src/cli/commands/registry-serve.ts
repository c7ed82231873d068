/**
 * `vib3 registry serve` (run a registry: `src/registry/server.ts`, loaded only when this command
 * runs) and `vib3 registry keys init|rotate|sign-root|import-root` (TUF keys kept offline:
 * `src/registry/tuf/keys.ts`, `root-tools.ts`).
 */
import { Option } from 'commander';
import { addHelpCommand, type Vib3Command } from '../command.js';
import { CliError, toCliError, type Io } from '../errors.js';
import { integer } from './shared.js';
import { syncOptions, syncSettingsFrom, type SyncOpts } from './registry-sync.js';

const ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
type Role = (typeof ROLES)[number];

/** Errors of the registry modules carry `code` and `suggestion`; anything else becomes `fallback`. */
function coded(err: unknown, fallback: string, suggestion: string): CliError {
  if (err instanceof CliError) return err;
  const e = err as Error & { code?: unknown; suggestion?: unknown };
  if (typeof e?.code === 'string' && typeof e.suggestion === 'string') return new CliError(e.message, 1, e.code, e.suggestion);
  if (e?.code === 'EADDRINUSE') return new CliError(`${e.message}.`, 1, 'PORT_IN_USE', 'Choose another --port (0 picks a free one), or stop the process using it.');
  if (e?.code === 'EACCES' && /listen/.test(e.message)) return new CliError(`${e.message}.`, 1, 'PERMISSION_DENIED', 'Use a port above 1023.');
  const file = toCliError(err);
  if (file.code !== 'INTERNAL_ERROR') return file;
  return new CliError(e instanceof Error ? e.message : String(err), 1, fallback, suggestion);
}

/** Resolves on the first SIGINT / SIGTERM; a second one exits at once. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      const again = () => process.exit(130);
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}

interface ServeOpts extends SyncOpts {
  port: number;
  host: string;
  data: string;
  database?: string;
  blobs?: string;
  telemetryRetentionHours?: number;
  telemetryStoreContent?: boolean;
}

async function serve(io: Io, opts: ServeOpts, json: boolean): Promise<number> {
  const { startRegistry } = await import('../../registry/server.js');
  const registry = await startRegistry({
    port: opts.port,
    host: opts.host,
    dataDir: opts.data,
    ...(opts.database ? { database: opts.database } : {}),
    ...(opts.blobs ? { blobs: opts.blobs } : {}),
    settings: {
      sync: await syncSettingsFrom(opts),
      telemetry: { ...(opts.telemetryRetentionHours !== undefined ? { retentionHours: opts.telemetryRetentionHours } : {}), ...(opts.telemetryStoreContent ? { storeContent: true } : {}) },
    },
    log: (m) => io.err(m),
  }).catch((err: unknown) => {
    throw coded(err, 'REGISTRY_START_FAILED', 'Check --data, --database and --blobs.');
  });
  const stopped = untilSignal();
  if (json) io.out(JSON.stringify({ ok: true, url: registry.url, dataDir: registry.dataDir }));
  else io.out(`vib3 registry listening on ${registry.url}\n  data         ${registry.dataDir}\n  trusted root ${registry.dataDir}/root.json\n  admin token  ${registry.dataDir}/admin.token\nPress Ctrl+C to stop.`);
  await stopped;
  // Leave a clean exit to the event loop; force it if a handle lingers after close().
  setTimeout(() => process.exit(0), 5000).unref();
  await registry.close();
  if (!json && process.stderr.isTTY) io.err('vib3 registry stopped.');
  return 0;
}

/** Adds `serve` and the `keys` group to the registry command group. */
export function registerServeCommands(group: Vib3Command): void {
  syncOptions(group
    .command('serve')
    .description('Run a registry (embedded database and files under --data, or PostgreSQL and S3)')
    .option('--port <port>', 'Port to listen on (0 picks a free one).', integer('--port', 0, 65535), 4873)
    .option('--host <host>', 'Interface to listen on.', '127.0.0.1')
    .option('--data <dir>', 'Data folder: keys, root.json, admin.token, and the embedded database and blobs.', '.vib3-registry')
    .option('--database <url>', 'PostgreSQL 15+ instead of the embedded database: postgres://user@host:5432/db.')
    .option('--blobs <spec>', 'S3-compatible package storage instead of files: s3://bucket?endpoint=….')
    .option('--telemetry-retention-hours <hours>', 'How long received telemetry (POST /v1/traces, /v1/metrics) is kept (default 168).', integer('--telemetry-retention-hours', 1, 24 * 365))
    .option('--telemetry-store-content', 'Keep prompt and tool content attributes of received telemetry (dropped by default; keys are redacted either way).')
    .option('--json', 'Print one JSON line { ok, url, dataDir } once listening.'), true)
    .usages('[--port <port>] [--host <host>] [--data <dir>] [--database <url>] [--blobs <spec>] [--sync <partner>=<url>…] [--sync-workers <n>] [--telemetry-retention-hours <h>] [--json]')
    .addHelpText(
      'after',
      '\nOn first start with an empty --data folder the registry creates its TUF keys, writes the trusted root\nclients start from to <data>/root.json and a bootstrap admin token to <data>/admin.token (mode 0600).\nSIGINT / SIGTERM stop it cleanly (exit 0).\n\nLLM proxy (/v1/agent, for pages; docs/LLM.md "The host proxy"), configured by the environment only:\n  VIB3_LLM_PROVIDER   openai | openai-responses | anthropic | openai-compatible (one deployment)\n  VIB3_LLM_MODEL      its model (default per provider, e.g. gpt-4.1-mini)\n  VIB3_LLM_BASE_URL   its API base, e.g. http://127.0.0.1:11434/v1\n  VIB3_LLM_CONFIG     or: a router JSON file (groups, fallbacks, budgets); wins over VIB3_LLM_PROVIDER\n  OPENAI_API_KEY, ANTHROPIC_API_KEY, VIB3_LLM_API_KEY   the keys (never sent to pages, never logged)\nWithout them the proxy answers 503 LLM_NOT_CONFIGURED. Agent tokens for a page\'s users: POST /v1/agent/tokens (admin).\n\nTelemetry (docs/TELEMETRY.md): the registry receives OTLP/HTTP JSON at /v1/traces and /v1/metrics (admin or agent\ntoken), answers /v1/telemetry/summary (admin) and serves the dashboard at /dashboard. Its own spans go out when\nOTEL_EXPORTER_OTLP_ENDPOINT is set.',
    )
    .examples('vib3 registry serve', 'vib3 registry serve --port 0 --data /tmp/registry --json', 'vib3 registry serve --host 0.0.0.0 --database postgres://vib3@db:5432/vib3 --blobs "s3://packages?endpoint=http://s3:9000"')
    .run<ServeOpts>(({ io, opts, json }) => serve(io, opts, json));

  const keys = group.command('keys').description('TUF signing keys: create them, rotate root offline, sign a new root').usages('<subcommand> [arguments] [options]');

  keys
    .command('init')
    .description('Create the missing role key files (private JWKs, mode 0600) in a key folder')
    .option('--dir <folder>', 'The key folder (the server uses <data>/keys).', '.vib3-registry/keys')
    .addOption(new Option('--role <role...>', 'Only these roles (default: all four). --role root makes an offline root key.').choices(ROLES))
    .option('--json', 'Print one JSON result: { ok, keys: { <role>: { keyId, publicJwk, file, created } } }.')
    .usages('[--dir <folder>] [--role <role>...] [--json]')
    .examples('vib3 registry keys init', 'vib3 registry keys init --dir /media/offline/root-keys --role root')
    .run<{ dir: string; role?: Role[]; json?: boolean }>(async ({ io, opts, json }) => {
      const { keysInit } = await import('../../registry/tuf/keys.js');
      const result = await keysInit({ dir: opts.dir, ...(opts.role ? { roles: opts.role } : {}) }).catch((err: unknown) => {
        throw coded(err, 'KEYS_FAILED', 'Check that --dir is a folder you can write to.');
      });
      if (json) io.out(JSON.stringify({ ok: true, keys: result }, null, 2));
      else for (const [role, k] of Object.entries(result)) io.out(`${role.padEnd(9)}  ${k.keyId}  ${k.file}${k.created ? '  (created)' : ''}`);
    });

  keys
    .command('rotate')
    .description('Make new key files for roles and the unsigned draft of the next root that lists them')
    .option('--root <file>', 'Required. The current root metadata (N.root.json, e.g. <data>/root.json or /tuf/N.root.json).')
    .option('--dir <folder>', 'Where to write the new private keys (<role>.<N+1>.jwk).', '.vib3-registry/keys')
    .option('-o, --out <file>', 'Where to write the draft of root N+1.', 'next.root.json')
    .addOption(new Option('--role <role...>', 'The roles whose keys to replace (default: root).').choices(ROLES))
    .option('--expires-in-days <days>', 'Expiry of the new root (default: a year).', integer('--expires-in-days', 1, 3650))
    .option('--json', 'Print one JSON result: { ok, out, version, keys }.')
    .usages('--root <file> [--dir <folder>] [-o <file>] [--role <role>...] [--expires-in-days <days>] [--json]')
    .requires('root', 'MISSING_OPTION', 'registry keys rotate needs --root <N.root.json>.')
    .addHelpText('after', '\nNext: sign the draft with a threshold of the old AND the new root keys (vib3 registry keys sign-root).')
    .examples('vib3 registry keys rotate --root .vib3-registry/root.json --dir /media/offline/root-keys -o 2.root.json')
    .run<{ root: string; dir: string; out: string; role?: Role[]; expiresInDays?: number }>(async ({ io, opts, json }) => {
      const { keysRotate } = await import('../../registry/tuf/root-tools.js');
      const result = await keysRotate({ rootFile: opts.root, dir: opts.dir, out: opts.out, ...(opts.role ? { roles: opts.role } : {}), ...(opts.expiresInDays ? { expiresInDays: opts.expiresInDays } : {}) }).catch((err: unknown) => {
        throw coded(err, 'KEYS_FAILED', 'Check --root (a root metadata file) and --dir.');
      });
      if (json) io.out(JSON.stringify({ ok: true, ...result }, null, 2));
      else {
        io.out(`draft of root ${result.version} written to ${result.out}`);
        for (const [role, k] of Object.entries(result.keys)) io.out(`  new ${role} key ${k.keyId}  ${k.file}`);
        io.out(`next: vib3 registry keys sign-root ${result.out} --key <old root key> --previous ${opts.root}, then with each new root key`);
      }
    });

  keys
    .command('sign-root')
    .description('Add one key\'s signature to a root metadata file (e.g. a draft from keys rotate)')
    .argument('<root.json>', 'The root metadata to sign.')
    .option('--key <private.jwk>', 'Required. A root key (old or new).')
    .option('-o, --out <file>', 'Write the signed root here (default: in place).')
    .option('--previous <file>', 'The current root: refuse keys that are neither old nor new root keys, and report whether both thresholds are met.')
    .option('--json', 'Print one JSON result: { ok, out, keyId, version, complete? }.')
    .usages('<root.json> --key <private.jwk> [-o <file>] [--previous <N.root.json>] [--json]')
    .requires('key', 'MISSING_OPTION', 'registry keys sign-root needs --key <private.jwk>.')
    .whenMissing('root.json', 'MISSING_ARGUMENT', 'registry keys sign-root needs the root metadata file, e.g. "vib3 registry keys sign-root 2.root.json --key root.jwk".')
    .examples('vib3 registry keys sign-root 2.root.json --key /media/offline/root-keys/root.jwk --previous .vib3-registry/root.json')
    .run<{ key: string; out?: string; previous?: string }>(async ({ io, args: [rootFile], opts, json }) => {
      const { signRoot } = await import('../../registry/tuf/root-tools.js');
      const result = await signRoot({ rootFile: rootFile!, keyFile: opts.key, ...(opts.out ? { out: opts.out } : {}), ...(opts.previous ? { previousRootFile: opts.previous } : {}) }).catch((err: unknown) => {
        throw coded(err, 'KEYS_FAILED', 'Check the root file and the key file.');
      });
      if (json) io.out(JSON.stringify({ ok: true, ...result }, null, 2));
      else io.out(`signed root ${result.version} with ${result.keyId} -> ${result.out}${result.complete === undefined ? '' : result.complete ? ' (both thresholds met)' : ' (more signatures needed)'}`);
    });

  keys
    .command('import-root')
    .description('Publish a fully signed root N+1 in a registry: clients follow it on their next refresh')
    .argument('<root.json>', 'The new root, signed by a threshold of the old AND the new root keys (keys sign-root).')
    .option('--data <folder>', 'The registry data folder (keys of the online roles, the embedded database).', '.vib3-registry')
    .option('--database <url>', 'postgres://… when the registry runs on PostgreSQL (default: the embedded database in --data; stop that server first).')
    .option('--json', 'Print one JSON result: { ok, version }.')
    .usages('<root.json> [--data <folder>] [--database <url>] [--json]')
    .whenMissing('root.json', 'MISSING_ARGUMENT', 'registry keys import-root needs the signed root file, e.g. "vib3 registry keys import-root 2.root.json".')
    .examples('vib3 registry keys import-root 2.root.json --data .vib3-registry', 'vib3 registry keys import-root 2.root.json --database postgres://vib3@db/registry --data /etc/vib3')
    .run<{ data: string; database?: string }>(async ({ io, args: [rootFile], opts, json }) => {
      const { importRootFile } = await import('../../registry/admin.js');
      const result = await importRootFile({ rootFile: rootFile!, dataDir: opts.data, ...(opts.database ? { database: opts.database } : {}) }).catch((err: unknown) => {
        throw coded(err, 'KEYS_FAILED', 'Check that the root is signed by both thresholds (keys sign-root --previous tells).');
      });
      if (json) io.out(JSON.stringify({ ok: true, ...result }, null, 2));
      else io.out(`root ${result.version} is published; clients move to it on their next refresh`);
    });

  addHelpCommand(keys);
}
