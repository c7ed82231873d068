/**
 * The files a prepared WordPress.org listing puts into its plugin's Subversion repository, by
 * repository path (https://developer.wordpress.org/plugins/wordpress-org/how-to-use-subversion/):
 * `trunk/readme.txt` with `Stable tag:` following the stable channel (`trunk` without one), a
 * header-only `trunk/vib3-<slug>.php` whose Plugin Name / Version / Requires … / License agree
 * with readme.txt, the same files under `tags/<version>/`, and the directory assets under
 * `assets/` (banner-772x250, banner-1544x500, icon-128x128, icon-256x256, screenshot-N).
 */
import type { PartnerConfig, PreparedListing } from '../../../listings/partners/adapter.js';
import type { WordPressDocument } from '../../../listings/partners/wordpress.js';
import type { ListingDocument } from '../../../listings/types.js';
import { PushError } from './failure.js';

/** Directory assets WordPress.org reads from `assets/` (the push owns every file matching it). */
export const ASSET_NAME = /^(banner-(772x250|1544x500)|icon-(128x128|256x256)|screenshot-[1-9]\d*)\.(png|jpe?g|gif)$|^icon\.svg$/;

/** The repository content a push wants. */
export interface WordpressLayout {
  slug: string;
  version: string;
  /** What `Stable tag:` says. */
  stableTag: string;
  /** Repository path (`trunk/…`, `tags/<version>/…`, `assets/…`) → bytes. */
  files: Map<string, Uint8Array>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string): PushError {
  return new PushError({ code: 'INVALID_PREPARED', retryable: false, message: `wordpress: ${message}` });
}

/** readme.txt of a prepared listing (`prepareWordPress`'s {@link WordPressDocument}, or its `readme.txt` file). */
function readmeOf(prepared: PreparedListing): string {
  const doc = prepared.document as Partial<WordPressDocument> | null;
  if (typeof doc?.readme === 'string') return doc.readme;
  const file = prepared.files.get('readme.txt');
  if (file) return dec.decode(file);
  throw invalid('the prepared listing has no readme.txt');
}

/** The readme with its `Stable tag:` header line set to `tag` (added after the plugin-name line when missing). */
export function withStableTag(readme: string, tag: string): string {
  if (/^Stable tag:.*$/im.test(readme)) return readme.replace(/^Stable tag:.*$/im, `Stable tag: ${tag}`);
  const lines = readme.split('\n');
  const at = lines.findIndex((l) => /^===.*===\s*$/.test(l));
  lines.splice(at + 1, 0, `Stable tag: ${tag}`);
  return lines.join('\n');
}

/** The header fields (`Name: value` lines before the first blank line after the title) and the plugin name of a readme.txt. */
export function readmeHeader(readme: string): { name: string; fields: Map<string, string> } {
  const lines = readme.replace(/\r\n/g, '\n').split('\n');
  const title = lines.findIndex((l) => /^===.*===\s*$/.test(l));
  const name = title >= 0 ? lines[title]!.replace(/^===\s*|\s*===\s*$/g, '') : '';
  const fields = new Map<string, string>();
  for (const line of lines.slice(title + 1)) {
    if (!line.trim()) break;
    const m = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (m) fields.set(m[1]!.trim().toLowerCase(), m[2]!.trim());
  }
  return { name, fields };
}

/** The plugin slug: `config.slug`, the document's `slug`, or the last segment of the extension id. */
function slugOf(prepared: PreparedListing, listing: ListingDocument, config: PartnerConfig): string {
  const doc = isRecord(prepared.document) ? prepared.document : {};
  const slug = config.slug ?? (typeof doc.slug === 'string' ? doc.slug : undefined) ?? listing.id.split('.').pop()!;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) throw invalid(`"${slug}" is not a plugin slug (lowercase letters, digits, hyphens)`);
  return slug;
}

const php = (s: string) => s.replace(/\*\//g, '* /').replace(/[\r\n]+/g, ' ').trim();

/** The header-only main plugin file; its header agrees with readme.txt (name, version, requirements, license). */
export function pluginStub(slug: string, version: string, readme: string, listing: ListingDocument): string {
  const { name, fields } = readmeHeader(readme);
  const header: [string, string | undefined][] = [
    ['Plugin Name', name || listing.title],
    ['Plugin URI', listing.links.homepage],
    ['Description', listing.summary],
    ['Version', version],
    ['Requires at least', fields.get('requires at least')],
    ['Requires PHP', fields.get('requires php')],
    ['Author', listing.publisher.displayName ?? listing.publisher.name],
    ['Author URI', listing.publisher.url],
    ['License', fields.get('license') ?? listing.license],
    ['License URI', fields.get('license uri')],
    ['Text Domain', `vib3-${slug}`],
  ];
  const width = Math.max(...header.map(([k]) => k.length)) + 2;
  const lines = header.filter(([, v]) => v).map(([k, v]) => ` * ${`${k}:`.padEnd(width)}${php(v!)}`);
  return `<?php\n/**\n${lines.join('\n')}\n *\n * Listing of the VIB3 extension ${php(listing.id)}, kept in sync by the VIB3 registry.\n */\n\nif ( ! defined( 'ABSPATH' ) ) {\n\texit;\n}\n`;
}

/** The repository content for a prepared listing. */
export function wordpressLayoutOf(prepared: PreparedListing, listing: ListingDocument, config: PartnerConfig): WordpressLayout {
  const slug = slugOf(prepared, listing, config);
  const version = listing.version;
  if (!/^[0-9A-Za-z.+-]+$/.test(version)) throw invalid(`"${version}" cannot name a tags/ folder`);
  const stableTag = listing.channels.stable ?? 'trunk';
  const readme = withStableTag(readmeOf(prepared), stableTag);
  const pluginFiles = new Map<string, Uint8Array>([
    ['readme.txt', enc.encode(readme)],
    [`vib3-${slug}.php`, enc.encode(pluginStub(slug, version, readme, listing))],
  ]);
  const files = new Map<string, Uint8Array>();
  for (const [path, bytes] of prepared.files) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (path === 'readme.txt') continue;
    if (ASSET_NAME.test(name)) files.set(`assets/${name}`, bytes);
    else if (!path.startsWith('/') && !path.split('/').includes('..')) pluginFiles.set(path.replace(/^trunk\//, ''), bytes);
    else throw invalid(`unsafe file path ${path}`);
  }
  for (const [path, bytes] of pluginFiles) {
    files.set(`trunk/${path}`, bytes);
    files.set(`tags/${version}/${path}`, bytes);
  }
  return { slug, version, stableTag, files };
}
