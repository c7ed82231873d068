/**
 * What goes into the npm package of a prepared listing: its package.json (the listing metadata
 * npm shows: description, keywords, homepage, funding, license …), README.md and the signed
 * `.vib3x`, packed as a reproducible tarball; and the dist-tags its channels map to (stable →
 * `latest`, beta → `beta`, canary → `canary`). Channels live only in dist-tags, never in the
 * tarball, so moving a channel never changes the published version's bytes.
 */
import type { PreparedListing } from '../../../listings/partners/adapter.js';
import { CHANNEL_DIST_TAGS, type NpmDocument } from '../../../listings/partners/npm.js';
import type { ListingDocument } from '../../../listings/types.js';
import { PushError } from './failure.js';
import { npmTarball, tarballDist } from './tarball.js';

/** The npm dist-tag of each listing channel (the prepare side's map). */
export const CHANNEL_TAGS = CHANNEL_DIST_TAGS;
/** The dist-tags a push manages (others on the package are left alone). */
export const MANAGED_TAGS: readonly string[] = Object.values(CHANNEL_TAGS);

/** A package.json as far as the push reads it. */
export interface NpmManifest {
  name: string;
  version: string;
  description?: string;
  [field: string]: unknown;
}

/** The package to publish, built from a prepared listing. */
export interface NpmPackage {
  manifest: NpmManifest;
  readme: string;
  /** Files in the package, by path inside it (package.json and README.md included). */
  files: Map<string, Uint8Array>;
  /** The gzipped tarball and its `dist` fields. */
  tgz: Uint8Array;
  integrity: string;
  shasum: string;
  /** Wanted dist-tag → version, for every managed tag with a channel; a missing tag is cleared. */
  distTags: Record<string, string>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string): PushError {
  return new PushError({ code: 'INVALID_PREPARED', retryable: false, message: `npm: ${message}` });
}

/** The npm document of a prepared listing (`prepareNpm`'s {@link NpmDocument}), checked. */
function documentOf(prepared: PreparedListing): NpmDocument {
  const doc = prepared.document;
  const pkg = isRecord(doc) ? doc.packageJson : undefined;
  if (!isRecord(doc) || !isRecord(pkg) || typeof pkg.name !== 'string' || typeof pkg.version !== 'string') {
    throw invalid('the prepared listing has no package.json with a name and a version');
  }
  return doc as unknown as NpmDocument;
}

/** Wanted dist-tags: the document's `distTags`, else the listing's channels mapped by {@link CHANNEL_TAGS}. */
export function distTagsOf(doc: NpmDocument, listing: ListingDocument): Record<string, string> {
  const tags: Record<string, string> = {};
  if (isRecord(doc.distTags)) {
    for (const [tag, version] of Object.entries(doc.distTags)) if (typeof version === 'string' && version) tags[tag] = version;
    return tags;
  }
  for (const [channel, tag] of Object.entries(CHANNEL_TAGS)) {
    const version = listing.channels[channel as keyof typeof CHANNEL_TAGS];
    if (version) tags[tag] = version;
  }
  return tags;
}

/** The npm package of a prepared listing, packed. Refuses one without a `.vib3x`. */
export function npmPackageOf(prepared: PreparedListing, listing: ListingDocument): NpmPackage {
  const doc = documentOf(prepared);
  const manifest = doc.packageJson as NpmManifest;
  const readmeFile = prepared.files.get('README.md');
  const readme = typeof doc.readme === 'string' ? doc.readme : readmeFile ? dec.decode(readmeFile) : '';
  const files = new Map<string, Uint8Array>();
  for (const [path, bytes] of prepared.files) if (path !== 'package.json') files.set(path, bytes);
  if (![...files.keys()].some((p) => p.endsWith('.vib3x'))) throw invalid('the prepared listing carries no signed .vib3x package');
  files.set('package.json', enc.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  if (!files.has('README.md') && readme) files.set('README.md', enc.encode(readme));
  const tgz = npmTarball(files);
  return { manifest, readme, files, tgz, ...tarballDist(tgz), distTags: distTagsOf(doc, listing) };
}
