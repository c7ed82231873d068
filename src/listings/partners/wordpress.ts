/**
 * The WordPress.org plugin directory document of a listing: `readme.txt` in the directory's format
 * (https://developer.wordpress.org/plugins/wordpress-org/how-your-readme-txt-works/) — the
 * `=== Plugin Name ===` line, the headers (Contributors, Donate link, Tags, Requires at least,
 * Tested up to, Stable tag = the stable channel's version, License, License URI), the short
 * description (≤ 150 characters, trimmed as the directory would), `== Description ==`,
 * `== Screenshots ==` (captions from the previews' alt text) and `== Changelog ==` (from the
 * versions) — plus the `assets/` files under the names the directory reads
 * (https://developer.wordpress.org/plugins/wordpress-org/plugin-assets/). Browser-safe.
 */
import type { ListingDocument, ListingFinding } from '../types.js';
import type { ListingAssets, PartnerConfig, PreparedListing } from './adapter.js';
import { preparedListing } from './digest.js';
import { applyRules, type PartnerCopy } from './rules.js';
import { PARTNER_TARGETS } from './targets.js';

/** `Requires at least` when the connection sets none (`config.requiresAtLeast`). */
export const DEFAULT_REQUIRES_AT_LEAST = '6.0';
/** `Tested up to` when the connection sets none (`config.testedUpTo`). */
export const DEFAULT_TESTED_UP_TO = '6.8';

/** What `prepareWordPress` produces as its document. */
export interface WordPressDocument {
  /** The text of readme.txt. */
  readme: string;
  /** The `Stable tag` (a version, or `trunk` when no version is on the stable channel). */
  stableTag: string;
  /** The assets/ file names sent. */
  assets: string[];
}

/** A WordPress.org user name guessed from a publisher name (lower case, dashes). */
function userSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** One line: no line breaks (readme headers and list items are single lines). */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** Body text whose lines cannot start a readme section (`== x ==`, `## x`). */
function bodyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/^(\s*)(=|##)/, '$1\\$2'))
    .join('\n')
    .trim();
}

/** The `License URI` of a single SPDX identifier (none for expressions). */
function licenseUri(license: string): string | undefined {
  return /^[A-Za-z0-9.+-]+$/.test(license) ? `https://spdx.org/licenses/${license.replace(/\+$/, '')}.html` : undefined;
}

/** Screenshot captions, numbered as the assets' screenshot-N files. */
function screenshots(copy: PartnerCopy, listing: ListingDocument, assetsGiven: boolean): string[] {
  if (assetsGiven) return copy.images.filter((i) => i.slot === 'screenshot').map((i) => oneLine(i.alt ?? `Screenshot ${i.n ?? 1}`));
  return listing.previews.filter((p) => p.type.startsWith('image/')).slice(0, 10).map((p) => oneLine(p.alt));
}

/** `== Changelog ==` entries, newest first. */
function changelog(listing: ListingDocument): string[] {
  const versions = [...listing.versions].sort((a, b) => (a.publishedAt === b.publishedAt ? (a.version < b.version ? 1 : -1) : a.publishedAt < b.publishedAt ? 1 : -1));
  if (versions.length === 0) return [`= ${listing.version} =`, '* The current version.'];
  return versions.flatMap((v, i) => [...(i ? [''] : []), `= ${v.version} =`, `* Published ${v.publishedAt.slice(0, 10)}.`, ...(v.yanked ? ['* Withdrawn from the registry (yanked).'] : [])]);
}

/** The text of readme.txt for `copy` (the listing after the directory's rules). */
export function readmeTxt(copy: PartnerCopy, listing: ListingDocument, options: { contributors: string; requiresAtLeast: string; testedUpTo: string; stableTag: string; assetsGiven: boolean }): string {
  const headers = [
    `Contributors: ${options.contributors}`,
    ...(listing.links.funding ? [`Donate link: ${listing.links.funding}`] : []),
    ...(copy.tags.length ? [`Tags: ${copy.tags.join(', ')}`] : []),
    `Requires at least: ${options.requiresAtLeast}`,
    `Tested up to: ${options.testedUpTo}`,
    `Stable tag: ${options.stableTag}`,
    ...(listing.license ? [`License: ${listing.license}`] : []),
    ...(listing.license && licenseUri(listing.license) ? [`License URI: ${licenseUri(listing.license)}`] : []),
  ];
  const shots = screenshots(copy, listing, options.assetsGiven);
  const lines = [`=== ${oneLine(copy.title)} ===`, ...headers, '', oneLine(copy.summary), '', '== Description ==', '', bodyText(listing.description ?? listing.summary), ''];
  if (shots.length) lines.push('== Screenshots ==', '', ...shots.map((caption, i) => `${i + 1}. ${caption}`), '');
  lines.push('== Changelog ==', '', ...changelog(listing), '');
  return lines.join('\n');
}

/**
 * The WordPress.org document for `listing`: readme.txt and the assets/ images at their exact
 * sizes. `config.contributors` (WordPress.org user names, comma-separated; default: the
 * publisher's name as a slug), `config.requiresAtLeast` and `config.testedUpTo` fill the headers.
 */
export async function prepareWordPress(listing: ListingDocument, assets: ListingAssets, config: Partial<PartnerConfig> = {}): Promise<PreparedListing> {
  const rules = PARTNER_TARGETS.wordpress;
  const assetsGiven = assets.images.size > 0;
  const { copy, findings } = applyRules(listing, rules, assetsGiven ? assets : undefined);
  const extra: ListingFinding[] = [];
  const stableTag = listing.channels.stable ?? 'trunk';
  if (!listing.channels.stable) extra.push({ code: 'NO_STABLE_CHANNEL', severity: 'warning', target: rules.id, field: '/channels/stable:Stable tag', message: 'No version is on the stable channel: Stable tag is "trunk".', suggestion: 'Move a version to the stable channel; the directory then shows tags/<version>.' });
  if (!listing.license) extra.push({ code: 'LICENSE_MISSING', severity: 'warning', target: rules.id, field: '/license:License', message: 'readme.txt has no License header; the directory requires a GPL-compatible license.', suggestion: 'Set marketplace.license in extension.json, e.g. "GPL-2.0-or-later" or "MIT".' });
  const readme = readmeTxt(copy, listing, {
    contributors: config['contributors'] ?? userSlug(listing.publisher.name),
    requiresAtLeast: config['requiresAtLeast'] ?? DEFAULT_REQUIRES_AT_LEAST,
    testedUpTo: config['testedUpTo'] ?? DEFAULT_TESTED_UP_TO,
    stableTag,
    assetsGiven,
  });
  const files = new Map<string, Uint8Array>([['readme.txt', new TextEncoder().encode(readme)]]);
  for (const image of copy.images) files.set(`assets/${image.fileName ?? `${image.key}.png`}`, assets.images.get(image.key)!.bytes);
  const document: WordPressDocument = { readme, stableTag, assets: copy.images.map((i) => i.fileName ?? `${i.key}.png`) };
  return preparedListing(rules.id, document, files, [...findings, ...extra]);
}
