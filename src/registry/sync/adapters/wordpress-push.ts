/**
 * Push to a WordPress.org plugin's Subversion repository with the `svn` CLI: check the listing's
 * files ({@link wordpressLayoutOf}) into trunk/, tags/<version>/ and assets/ of a sparse working
 * copy in a temporary folder, remove directory assets the listing no longer has, mark images with
 * their svn:mime-type (as WordPress.org asks, so browsers show them), and commit only when
 * `svn status` shows a change. The commit message carries the push's idempotency key, and a key
 * already in `svn log` means an earlier attempt committed: nothing is committed twice. The
 * working copy is removed afterwards, whatever happened.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PreparedListing, PushContext } from '../../../listings/partners/adapter.js';
import { PushError } from './failure.js';
import { timeoutOf } from './http.js';
import { runSvn, type SvnOptions } from './svn.js';
import { ASSET_NAME, wordpressLayoutOf, type WordpressLayout } from './wordpress-files.js';

/** The commit-message line that records a push's idempotency key. */
export const KEY_TRAILER = 'VIB3-Sync-Key:';

const MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml' };
const xmlText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The revision of an earlier commit that recorded `key`, if any (`svn log --search`, then an exact line match). */
async function committedWith(url: string, key: string, opts: SvnOptions): Promise<number | undefined> {
  const xml = await runSvn(['log', '--xml', '--search', key, url], opts);
  for (const entry of xml.matchAll(/<logentry\s+revision="(\d+)">([\s\S]*?)<\/logentry>/g)) {
    const msg = /<msg>([\s\S]*?)<\/msg>/.exec(entry[2]!)?.[1];
    if (msg && xmlText(msg).split('\n').some((line) => line.trim() === `${KEY_TRAILER} ${key}`)) return Number(entry[1]);
  }
  return undefined;
}

/** A sparse working copy: trunk/ and assets/ in full, tags/ one level deep plus tags/<version>/. */
async function checkout(url: string, wc: string, version: string, opts: SvnOptions): Promise<void> {
  await runSvn(['checkout', '--depth', 'immediates', url, wc], opts);
  // A repository without the standard folders (not yet set up by WordPress.org) gets them.
  const missing = ['trunk', 'assets', 'tags'].filter((dir) => !existsSync(join(wc, dir)));
  for (const dir of missing) mkdirSync(join(wc, dir));
  if (missing.length > 0) await runSvn(['add', '--depth', 'empty', ...missing], opts, wc);
  const full = ['trunk', 'assets'].filter((dir) => !missing.includes(dir));
  if (full.length > 0) await runSvn(['update', '--set-depth', 'infinity', ...full], opts, wc);
  if (missing.includes('tags')) return;
  await runSvn(['update', '--set-depth', 'immediates', 'tags'], opts, wc);
  if (existsSync(join(wc, 'tags', version))) await runSvn(['update', '--set-depth', 'infinity', `tags/${version}`], opts, wc);
}

/** Writes the wanted files where they differ, adds new ones, removes assets the listing dropped. */
async function applyLayout(wc: string, layout: WordpressLayout, opts: SvnOptions): Promise<void> {
  const added: string[] = [];
  for (const [path, bytes] of layout.files) {
    const file = join(wc, path);
    const exists = existsSync(file);
    if (exists && Buffer.compare(readFileSync(file), Buffer.from(bytes)) === 0) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    if (!exists) added.push(path);
  }
  if (added.length > 0) await runSvn(['add', '--force', '--parents', ...added], opts, wc);
  const images = added.filter((p) => p.startsWith('assets/'));
  for (const path of images) {
    const type = MIME[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
    if (type) await runSvn(['propset', 'svn:mime-type', type, path], opts, wc);
  }
  const dropped = readdirSync(join(wc, 'assets')).filter((name) => ASSET_NAME.test(name) && !layout.files.has(`assets/${name}`));
  if (dropped.length > 0) await runSvn(['delete', '--force', ...dropped.map((n) => `assets/${n}`)], opts, wc);
}

/** Whether `svn status` lists anything to commit. */
async function hasChanges(wc: string, opts: SvnOptions): Promise<boolean> {
  const xml = await runSvn(['status', '--xml', '--quiet'], opts, wc);
  return /<wc-status\s+[^>]*item="(added|deleted|modified|replaced)"|props="modified"/.test(xml);
}

/**
 * Pushes a prepared WordPress.org listing to the plugin repository at `config.url` (svn user
 * `config.username`, password `config.token`). Resolves `{ remoteId: 'r<revision>' }`;
 * `alreadyApplied` when the key was already committed or nothing differs.
 */
export async function pushWordpress(prepared: PreparedListing, ctx: PushContext): Promise<{ remoteId?: string; alreadyApplied: boolean }> {
  const layout = wordpressLayoutOf(prepared, ctx.listing, ctx.config);
  const url = ctx.config.url.replace(/\/+$/, '');
  if (!/^(svn|https?|file|svn\+ssh):\/\//.test(url)) throw new PushError({ code: 'INVALID_CONFIG', retryable: false, message: `wordpress: ${url} is not a Subversion URL` });
  const tmp = mkdtempSync(join(tmpdir(), 'vib3-wp-push-'));
  const opts: SvnOptions = {
    configDir: join(tmp, 'svn-config'),
    ...(ctx.config.username ? { username: ctx.config.username } : {}),
    ...(ctx.config.token !== undefined ? { password: ctx.config.token } : {}),
    signal: ctx.signal,
    timeoutMs: timeoutOf(ctx.config.timeoutMs),
  };
  try {
    const earlier = await committedWith(url, ctx.idempotencyKey, opts);
    if (earlier !== undefined) return { remoteId: `r${earlier}`, alreadyApplied: true };
    const wc = join(tmp, 'wc');
    await checkout(url, wc, layout.version, opts);
    await applyLayout(wc, layout, opts);
    if (!(await hasChanges(wc, opts))) {
      const rev = (await runSvn(['info', '--show-item', 'last-changed-revision', wc], opts)).trim();
      return { remoteId: `r${rev}`, alreadyApplied: true };
    }
    const message = `Listing ${ctx.listing.id} ${layout.version} (${ctx.event}), stable tag ${layout.stableTag}\n\n${KEY_TRAILER} ${ctx.idempotencyKey}\n`;
    const out = await runSvn(['commit', '-m', message, wc], opts);
    const rev = /Committed revision (\d+)\./.exec(out)?.[1];
    return { ...(rev ? { remoteId: `r${rev}` } : {}), alreadyApplied: false };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
