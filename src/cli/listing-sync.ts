/**
 * `vib3 listing sync <id>` and `vib3 listing status <id>`: a listing's partner sync seen from the
 * command line. `sync --dry-run` prints what the registry would push to each partner now, as a
 * diff against what the partner was last given (`POST /v1/extensions/{id}/sync/dry-run`); `sync`
 * queues a resync (`POST /v1/extensions/{id}/sync`); `status` prints the per-partner table of
 * `GET /v1/extensions/{id}/sync`. All need the owner's (or an admin's) token.
 */
import { resolveToken } from './credentials.js';
import type { Io } from './errors.js';
import { RegistryClient } from './registry-client.js';
import type { PartnerDryRun } from '../registry/sync/dry-run.js';
import type { PartnerSyncStatus } from '../marketplace/types.js';
import type { Resync } from '../registry/sync/resync.js';

/** Options of {@link listingSync}. */
export interface SyncOptions {
  registry: string;
  token?: string;
  partners?: string[];
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

/** Options of {@link listingStatus}. */
export interface StatusOptions {
  registry: string;
  token?: string;
  json?: boolean;
}

function clientFor(registry: string, token: string | undefined): RegistryClient {
  const base = new RegistryClient(registry).base;
  return new RegistryClient(base, { token: resolveToken(base, token) });
}

/** A value on one line, at most `max` characters. */
export function brief(value: unknown, max = 60): string {
  const text = value === undefined ? '(none)' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  const flat = text.replace(/\\n/g, '⏎');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Rows as columns padded to their widest cell. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** The lines of one partner's dry run. */
function dryRunLines(p: PartnerDryRun): string[] {
  const lines: string[] = [];
  const f = p.files;
  if (!p.wouldPush) lines.push(`${p.partner}: up to date (${p.version}, digest ${p.digest.slice(0, 12)}): a sync would skip it`);
  else {
    const since = p.pushedVersion ? `last pushed ${p.pushedVersion}` : 'never pushed';
    lines.push(`${p.partner}: would push ${p.version} (${since}): ${p.changes.length} change${p.changes.length === 1 ? '' : 's'}, files +${f.added.length} -${f.removed.length} ~${f.changed.length}`);
  }
  for (const c of p.changes) {
    const mark = c.op === 'add' ? '+' : c.op === 'remove' ? '-' : '~';
    lines.push(`  ${mark} ${c.path || '/'}  ${c.op === 'add' ? brief(c.after) : c.op === 'remove' ? brief(c.before) : `${brief(c.before, 40)} -> ${brief(c.after, 40)}`}`);
  }
  for (const [mark, list] of [['+', f.added], ['-', f.removed], ['~', f.changed]] as const) for (const file of list) lines.push(`  ${mark} file ${file}`);
  for (const x of p.findings) lines.push(`  ${x.severity} ${x.code} ${x.field}: ${x.message}`);
  return lines;
}

/** `vib3 listing sync`: a dry run (prints the diff) or a queued resync. */
export async function listingSync(io: Io, id: string, opts: SyncOptions): Promise<number> {
  const client = clientFor(opts.registry, opts.token);
  const body = { ...(opts.partners?.length ? { partners: opts.partners } : {}), ...(opts.force ? { force: true } : {}) };
  if (opts.dryRun) {
    const answer = await client.json<{ id: string; partners: PartnerDryRun[] }>('POST', ['v1', 'extensions', id, 'sync', 'dry-run'], { body });
    if (opts.json) {
      io.out(JSON.stringify({ ok: true, dryRun: true, ...answer }, null, 2));
      return 0;
    }
    const pushing = answer.partners.filter((p) => p.wouldPush).length;
    io.out(`dry run of ${answer.id} on ${client.base}: ${pushing} of ${answer.partners.length} partner${answer.partners.length === 1 ? '' : 's'} would get a push (nothing was pushed)`);
    for (const p of answer.partners) for (const l of dryRunLines(p)) io.out(l);
    return 0;
  }
  const answer = await client.json<Resync>('POST', ['v1', 'extensions', id, 'sync'], { body });
  if (opts.json) {
    io.out(JSON.stringify({ ok: true, ...answer }, null, 2));
    return 0;
  }
  io.out(`queued a ${answer.force ? 'forced ' : ''}resync of ${answer.id}: ${answer.queued.map((q) => `${q.partner} (row ${q.rowId})`).join(', ') || 'nothing (no row written)'}`);
  io.out(`  follow it with: vib3 listing status ${answer.id} --registry ${client.base}`);
  return 0;
}

/** A partner's last error on one line. */
function lastError(e: unknown): string {
  if (!e || typeof e !== 'object') return '-';
  const { code, message } = e as { code?: unknown; message?: unknown };
  return brief(`${typeof code === 'string' ? `${code}: ` : ''}${typeof message === 'string' ? message : ''}`, 72).replace(/^"|"$/g, '');
}

/** `vib3 listing status`: the per-partner table. */
export async function listingStatus(io: Io, id: string, opts: StatusOptions): Promise<number> {
  const client = clientFor(opts.registry, opts.token);
  const answer = await client.json<{ id: string; partners: PartnerSyncStatus[] }>('GET', ['v1', 'extensions', id, 'sync']);
  if (opts.json) {
    io.out(JSON.stringify({ ok: true, ...answer }, null, 2));
    return 0;
  }
  if (!answer.partners.length) {
    io.out(`${answer.id} has no partner sync yet (the registry syncs to no partner, or nothing was queued).`);
    return 0;
  }
  io.out(`partner sync of ${answer.id} on ${client.base}:`);
  const rows = [['partner', 'status', 'pushed', 'attempts', 'next attempt', 'last error']];
  for (const p of answer.partners) rows.push([p.partner, p.status, p.pushedVersion ?? '-', String(p.attempts), p.nextAttemptAt ?? '-', lastError(p.lastError)]);
  for (const l of table(rows)) io.out(`  ${l}`);
  return 0;
}
