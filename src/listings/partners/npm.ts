/**
 * The npm document of a listing (https://docs.npmjs.com/cli/v10/configuring-npm/package-json):
 * package.json fields (name `@<scope>/<id-derived>`, version, description, keywords, homepage,
 * bugs, funding, license, repository, and a `vib3` block), README.md, the channels as
 * dist-tags (stable → `latest`) and the yanked versions npm deprecates. A published npm version is immutable, so the `vib3` block holds
 * only what belongs to the version (no install counts, no channels). Browser-safe.
 */
import type { ListingDocument } from '../types.js';
import type { ListingAssets, PartnerConfig, PreparedListing } from './adapter.js';
import { preparedListing } from './digest.js';
import { applyRules, type PartnerCopy } from './rules.js';
import { PARTNER_TARGETS } from './targets.js';

/** The scope packages are published under when the connection names none. */
export const DEFAULT_NPM_SCOPE = 'vib3-extensions';

/** The npm dist-tag of each channel. */
export const CHANNEL_DIST_TAGS = { stable: 'latest', beta: 'beta', canary: 'canary' } as const;

/** The npm package name of an extension: `@<scope>/<id>` with anything npm refuses replaced by `-` (≤ 214 characters). */
export function npmPackageName(id: string, scope: string = DEFAULT_NPM_SCOPE): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  const name = `@${clean(scope.replace(/^@/, ''))}/${clean(id)}`;
  return name.slice(0, 214);
}

/** What `prepareNpm` produces as its document. */
export interface NpmDocument {
  packageJson: Record<string, unknown>;
  readme: string;
  /** dist-tag -> version, from the listing's channels. */
  distTags: Record<string, string>;
  /**
   * The listing's yanked versions, which npm deprecates: part of the document (and its digest) so
   * that a yank of a version other than the listed one is pushed, not skipped as "unchanged".
   */
  deprecated: string[];
}

function readme(copy: PartnerCopy, listing: ListingDocument, name: string): string {
  const lines = [`# ${copy.title}`, '', copy.summary, ''];
  if (copy.description) lines.push(copy.description, '');
  lines.push('## Install', '', 'A VIB3 extension: install it with the vib3 command line, which verifies its signature and asks for its capabilities.', '', '```sh', `vib3 ext install ${listing.id} --registry ${listing.links.registry.replace(/\/v1\/extensions\/.*$/, '')}`, '```', '');
  if (listing.capabilities.length) {
    lines.push('## Capabilities', '', ...listing.capabilities.map((c) => `- **${c.name}**: ${c.reason}`), '');
  }
  if (listing.tools.length) lines.push('## Agent tools', '', ...listing.tools.map((t) => `- \`${t.name}\`: ${t.description}`), '');
  if (listing.pricing.model !== 'free') lines.push('## License', '', `This extension is ${listing.pricing.model}: it activates with a license token from ${listing.publisher.displayName ?? listing.publisher.name}.`, '');
  lines.push('## Links', '', `- Registry: ${listing.links.registry}`, ...(listing.links.homepage ? [`- Homepage: ${listing.links.homepage}`] : []), ...(listing.links.support ? [`- Support: ${listing.links.support}`] : []), '', `Published to npm as \`${name}\` from the VIB3 registry.`, '');
  return lines.join('\n');
}

/** The package.json of the listing's version. */
function packageJson(copy: PartnerCopy, listing: ListingDocument, name: string): Record<string, unknown> {
  const l = listing.links;
  return {
    name,
    version: listing.version,
    description: copy.summary,
    ...(copy.tags.length ? { keywords: copy.tags } : {}),
    homepage: l.homepage ?? l.registry,
    ...(l.support ? { bugs: { url: l.support } } : {}),
    ...(l.funding ? { funding: { url: l.funding } } : {}),
    license: listing.license ?? 'UNLICENSED',
    ...(l.repository ? { repository: { type: 'git', url: l.repository } } : {}),
    author: { name: listing.publisher.displayName ?? listing.publisher.name, ...(listing.publisher.url ? { url: listing.publisher.url } : {}) },
    files: ['extension.vib3x', 'README.md'],
    vib3: {
      id: listing.id,
      registry: l.registry,
      publisher: { name: listing.publisher.name, tier: listing.publisher.tier },
      categories: listing.categories,
      pricing: listing.pricing,
      capabilities: listing.capabilities,
      tools: listing.tools,
      package: 'extension.vib3x',
    },
  };
}

/**
 * npm's document for `listing`: package.json, README.md, the signed package (when `assets.package`
 * is given) and dist-tags. `config.scope` sets the scope (default {@link DEFAULT_NPM_SCOPE}).
 */
export async function prepareNpm(listing: ListingDocument, assets: ListingAssets, config: Partial<PartnerConfig> = {}): Promise<PreparedListing> {
  const rules = PARTNER_TARGETS.npm;
  const { copy, findings } = applyRules(listing, rules);
  const name = npmPackageName(listing.id, config['scope'] ?? DEFAULT_NPM_SCOPE);
  const distTags: Record<string, string> = {};
  for (const [channel, tag] of Object.entries(CHANNEL_DIST_TAGS)) {
    const version = listing.channels[channel as keyof typeof CHANNEL_DIST_TAGS];
    if (version) distTags[tag] = version;
  }
  if (!listing.license) {
    findings.push({ code: 'LICENSE_MISSING', severity: 'warning', target: rules.id, field: '/license:license', message: 'The listing names no license: package.json says "UNLICENSED" (no rights granted).', suggestion: 'Set marketplace.license to an SPDX expression in extension.json, e.g. "MIT".' });
  }
  if (!distTags['latest']) {
    findings.push({ code: 'NO_STABLE_CHANNEL', severity: 'warning', target: rules.id, field: '/channels/stable:dist-tags.latest', message: 'No version is on the stable channel: npm\'s "latest" dist-tag stays where it is (npm sets it on the first publish).', suggestion: 'Move a version to the stable channel (vib3 ext channel) to point "latest" at it.' });
  }
  const deprecated = listing.versions.filter((v) => v.yanked).map((v) => v.version).sort();
  const document: NpmDocument = { packageJson: packageJson(copy, listing, name), readme: readme(copy, listing, name), distTags, deprecated };
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>([
    ['package.json', enc.encode(`${JSON.stringify(document.packageJson, null, 2)}\n`)],
    ['README.md', enc.encode(document.readme)],
  ]);
  if (assets.package) files.set('extension.vib3x', assets.package);
  return preparedListing(rules.id, document, files, findings);
}
