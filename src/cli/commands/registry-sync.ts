/**
 * Partner sync on the command line: `vib3 registry sync-worker` (a process that only drains the
 * sync outbox; run any number of them on one PostgreSQL) and the `--sync`, `--sync-workers`,
 * `--adapter-module` and `--public-url` options `vib3 registry serve` shares with it. The registry
 * modules load only when a command runs.
 */
import type { Vib3Command } from '../command.js';
import { CliError, toCliError, type Io } from '../errors.js';
import { integer } from './shared.js';
import type { SyncSettings, SyncTuning } from '../../registry/sync/settings.js';

/** The sync options of `serve` and `sync-worker`. */
export interface SyncOpts {
  sync?: string[];
  syncWorkers?: number;
  adapterModule?: string;
  publicUrl?: string;
}

const collect = (v: string, prev?: string[]) => [...(prev ?? []), v];

/** Errors of the registry modules carry `code` and `suggestion`; anything else becomes `fallback`. */
function coded(err: unknown, fallback: string, suggestion: string): CliError {
  if (err instanceof CliError) return err;
  const e = err as Error & { code?: unknown; suggestion?: unknown };
  if (typeof e?.code === 'string' && typeof e.suggestion === 'string') return new CliError(e.message, 1, e.code, e.suggestion);
  const file = toCliError(err);
  if (file.code !== 'INTERNAL_ERROR') return file;
  return new CliError(e instanceof Error ? e.message : String(err), 1, fallback, suggestion);
}

/** Adds `--sync <spec>` (repeatable), `--adapter-module <file>` and `--public-url <url>`; with `workers`, `--sync-workers <n>` too. */
export function syncOptions(cmd: Vib3Command, workers: boolean): Vib3Command {
  cmd
    .option('--sync <spec>', 'A partner to sync listings to: <partner>=<url>[,token=<t>|token=env:<VAR>][,rate=<per minute>][,<key>=<value>…], or <partner>=off. Repeatable; also VIB3_SYNC (specs separated by ;).', collect)
    .option('--adapter-module <file>', 'An ES module whose default export maps partner names to PartnerAdapter factories (partners without a built-in adapter).')
    .option('--public-url <url>', "The registry's public base URL that listings link to (default: the URL it listens on).");
  if (workers) cmd.option('--sync-workers <n>', 'Sync workers in this process (default: 1 when a partner is configured, else 0).', integer('--sync-workers', 0, 64));
  return cmd;
}

/** The sync settings of the options (undefined when no partner is configured anywhere). */
export async function syncSettingsFrom(opts: SyncOpts, tuning?: Partial<SyncTuning>): Promise<SyncSettings | undefined> {
  const { loadAdapterModule, parseSyncSpecs } = await import('../../registry/sync/adapters.js');
  try {
    const partners = parseSyncSpecs(opts.sync ?? []);
    if (!partners.length) return undefined;
    return {
      partners,
      ...(opts.adapterModule ? { adapters: await loadAdapterModule(opts.adapterModule) } : {}),
      ...(opts.syncWorkers !== undefined ? { workers: opts.syncWorkers } : {}),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl.replace(/\/+$/, '') } : {}),
      ...(tuning ? { tuning } : {}),
    };
  } catch (err) {
    throw coded(err, 'INVALID_SYNC_SPEC', 'Check --sync and --adapter-module.');
  }
}

/** Resolves on the first SIGINT / SIGTERM. */
const untilSignal = () => new Promise<void>((done) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, () => done())));

interface WorkerOpts extends SyncOpts {
  database?: string;
  data: string;
  blobs?: string;
  workers: number;
  batch?: number;
  pushTimeout?: number;
  leaseMargin?: number;
  idle?: number;
  maxAttempts?: number;
  once?: boolean;
}

async function runWorker(io: Io, opts: WorkerOpts, json: boolean): Promise<number> {
  const tuning: Partial<SyncTuning> = {
    ...(opts.batch ? { batch: opts.batch } : {}),
    ...(opts.pushTimeout ? { pushTimeoutMs: opts.pushTimeout } : {}),
    ...(opts.leaseMargin ? { leaseMarginMs: opts.leaseMargin } : {}),
    ...(opts.idle ? { idleMs: opts.idle } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  };
  const settings = await syncSettingsFrom(opts, tuning);
  if (!settings?.partners.some((p) => p.enabled)) throw new CliError('registry sync-worker needs at least one enabled partner.', 2, 'NO_SYNC_PARTNERS', 'Pass --sync <partner>=<url> (or set VIB3_SYNC).');
  const { openDatabase } = await import('../../registry/db/open.js');
  const { runMigrations } = await import('../../registry/db/migrations.js');
  const { REGISTRY_MIGRATIONS } = await import('../../registry/schema.js');
  const { openBlobStore } = await import('../../registry/blobs/open.js');
  const { startSync } = await import('../../registry/sync/engine.js');
  const spec = { dataDir: opts.data, ...(opts.database ? { database: opts.database } : {}) };
  const db = await openDatabase(spec).catch((err: unknown) => {
    throw coded(err, 'DATABASE_UNREACHABLE', 'Check --database (or --data for the embedded database).');
  });
  try {
    await runMigrations(db, [...REGISTRY_MIGRATIONS]);
    const blobs = await openBlobStore({ dataDir: opts.data, ...(opts.blobs ? { blobs: opts.blobs } : {}) });
    const registryUrl = settings.publicUrl ?? 'http://127.0.0.1:4873';
    const runtime = await startSync({ db, blobs, settings, registryUrl, workers: opts.workers, run: !opts.once, log: (m) => io.err(m) }).catch((err: unknown) => {
      throw coded(err, 'SYNC_START_FAILED', 'Check --sync and --adapter-module.');
    });
    const ids = runtime.workers.map((w) => w.id);
    if (opts.once) {
      const totals: Record<string, number> = {};
      for (const w of runtime.workers) for (const [k, v] of Object.entries(await w.drain())) totals[k] = (totals[k] ?? 0) + v;
      if (json) io.out(JSON.stringify({ ok: true, workers: ids, ...totals }));
      else io.out(`sync: ${Object.entries(totals).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      await blobs.close?.();
      return 0;
    }
    const stopped = untilSignal();
    if (json) io.out(JSON.stringify({ ok: true, workers: ids, partners: [...runtime.links.keys()] }));
    else io.out(`vib3 sync worker ${ids.join(', ')} draining the outbox for ${[...runtime.links.keys()].join(', ')}. Press Ctrl+C to stop.`);
    await stopped;
    await runtime.stop();
    await blobs.close?.();
    return 0;
  } finally {
    await db.close();
  }
}

/** Adds `sync-worker` to the registry command group. */
export function registerSyncCommands(group: Vib3Command): void {
  const cmd = group
    .command('sync-worker')
    .description('Drain the partner sync outbox: push listings to partner marketplaces (run any number on one PostgreSQL)')
    .option('--database <url>', 'The registry database: postgres://user@host:5432/db (default: the embedded database in --data, only while no server has it open).')
    .option('--data <dir>', 'The registry data folder (its blobs, unless --blobs).', '.vib3-registry')
    .option('--blobs <spec>', 'S3-compatible package storage: s3://bucket?endpoint=… (as the servers use).')
    .option('--workers <n>', 'Workers in this process.', integer('--workers', 1, 64), 1)
    .option('--batch <n>', 'Rows one worker claims and pushes at a time (default 4).', integer('--batch', 1, 100))
    .option('--push-timeout <ms>', 'Deadline of one push (default 30000).', integer('--push-timeout', 100, 3_600_000))
    .option('--lease-margin <ms>', 'A claimed row is leased for the push deadline plus this (default 30000); a killed worker\'s rows are retried after it.', integer('--lease-margin', 0, 3_600_000))
    .option('--idle <ms>', 'How long an idle worker waits before it looks again (default 2000).', integer('--idle', 1, 600_000))
    .option('--max-attempts <n>', 'Attempts before a row becomes a dead letter (default 10).', integer('--max-attempts', 1, 1000))
    .option('--once', 'Push every row that is due now, then exit.')
    .option('--json', 'Print one JSON line: { ok, workers, partners } once running ({ ok, workers, done, skipped, retry, dead, deferred, lost } with --once).');
  syncOptions(cmd, false)
    .usages('--sync <partner>=<url>… [--database <url>] [--data <dir>] [--blobs <spec>] [--adapter-module <file>] [--public-url <url>] [--workers <n>] [--once] [--json]')
    .addHelpText('after', '\nEvery process (servers and workers) must be given the same --sync specs. SIGINT / SIGTERM stop it after running pushes end.')
    .examples(
      'vib3 registry sync-worker --database postgres://vib3@db/vib3 --blobs "s3://packages?endpoint=http://s3:9000" --sync npm=https://registry.npmjs.org,token=env:NPM_TOKEN --public-url https://registry.example.com',
      'vib3 registry sync-worker --data .vib3-registry --sync mcp-registry=http://127.0.0.1:8080 --once --json',
    )
    .run<WorkerOpts>(({ io, opts, json }) => runWorker(io, opts, json));
}
