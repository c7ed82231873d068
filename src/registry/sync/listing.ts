/**
 * The registry's listing of an extension (`GET /v1/extensions/{id}/listing`, what sync workers
 * push): {@link buildListing} over the manifest of the listed version and what the registry
 * knows (publisher and trust tier, channels, versions, downloads, the package's tools, the
 * previews uploaded for the `registry` target), with the publisher's listing overrides applied.
 * The listed version is the stable channel's, else the newest unyanked release, else the newest
 * version.
 */
import { normalizeToolName } from '../../agent/toolpack/names.js';
import semverCompare from 'semver/functions/compare.js';
import semverPrerelease from 'semver/functions/prerelease.js';
import { buildListing } from '../../listings/build.js';
import type { ListingDocument } from '../../listings/types.js';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { readArchive } from '../../extensions/signing/archive.js';
import type { Queryable } from '../db/database.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { RegistryError } from '../errors.js';
import { checkId } from '../names.js';
import { applyOverrides, readOverrides, type ListingCopy } from './overrides.js';
import { registryPreviews } from './assets.js';

/** A listing with what it was built from. */
export interface RegistryListing {
  listing: ListingDocument;
  /** The manifest of `listing.version`. */
  manifest: Vib3ExtensionManifest;
  /** SHA-256 of the package of `listing.version` (its blob key). */
  sha256: string;
  /** The package bytes, when a blob store was given. */
  packageBytes?: Uint8Array;
  overrides: ListingCopy;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const iso = (d: Date | string) => new Date(d).toISOString();

/** The version a listing describes: stable, else the newest unyanked release, else the newest. */
export function listedVersion(channels: Record<string, string>, versions: { version: string; yanked: boolean }[]): string | undefined {
  if (channels.stable) return channels.stable;
  const byNewest = [...versions].sort((a, b) => semverCompare(b.version, a.version));
  return byNewest.find((v) => !v.yanked && !semverPrerelease(v.version))?.version ?? byNewest.find((v) => !v.yanked)?.version ?? byNewest[0]?.version;
}

/**
 * The listing of `idParam` as the registry at `registryUrl` serves it. With `blobs`, the package
 * of the listed version is read too (its tool pack fills `tools`; sync workers hand the bytes to
 * adapters); without, `tools` is empty.
 *
 * @throws RegistryError 404 `EXTENSION_NOT_FOUND`; 503 `BLOB_MISSING` when the package is gone.
 */
export async function registryListing(db: Queryable, idParam: string, registryUrl: string, blobs?: BlobStore): Promise<RegistryListing> {
  const id = checkId(idParam);
  const ext = await db.query<{ publisher: string; display_name: string; publisher_tier: string; verified: boolean; updated_at: Date; downloads: number | string }>(
    `SELECT e.publisher, p.display_name, p.tier AS publisher_tier, n.verified, e.updated_at, e.downloads
       FROM extensions e JOIN publishers p ON p.name = e.publisher JOIN namespaces n ON n.namespace = e.namespace
      WHERE e.id = $1`,
    [id],
  );
  const row = ext.rows[0];
  if (!row) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');
  const versionRows = await db.query<{ version: string; published_at: Date; yanked_at: Date | null }>('SELECT version, published_at, yanked_at FROM versions WHERE id = $1 ORDER BY published_at DESC, version DESC', [id]);
  const channelRows = await db.query<{ channel: string; version: string }>('SELECT channel, version FROM channels WHERE id = $1 ORDER BY channel', [id]);
  const channels = Object.fromEntries(channelRows.rows.map((r) => [r.channel, r.version])) as ListingDocument['channels'];
  const versions = versionRows.rows.map((v) => ({ version: v.version, publishedAt: iso(v.published_at), yanked: v.yanked_at !== null }));
  const version = listedVersion(channels as Record<string, string>, versions)!;
  const chosen = await db.query<{ manifest: unknown; sha256: string }>('SELECT manifest, sha256 FROM versions WHERE id = $1 AND version = $2', [id, version]);
  const manifest = json<Vib3ExtensionManifest>(chosen.rows[0]!.manifest);
  const sha256 = chosen.rows[0]!.sha256;
  const { copy, updatedAt: overriddenAt } = await readOverrides(db, id);

  let packageBytes: Uint8Array | undefined;
  let tools: ListingDocument['tools'] = [];
  if (blobs) {
    packageBytes = await blobs.get(sha256);
    if (!packageBytes) throw new RegistryError(503, 'BLOB_MISSING', `The bytes of ${id}@${version} are missing from storage.`, 'Retry later; the registry operators have to restore the blob store.');
    tools = toolsOf(packageBytes, manifest);
  }
  const updated = overriddenAt && overriddenAt > new Date(row.updated_at) ? overriddenAt : new Date(row.updated_at);
  const tier = row.verified ? 'verified' : 'community';
  // Previews rendered for the registry target and uploaded (vib3 listing upload) replace the manifest's.
  const previews = await registryPreviews(db, manifest, registryUrl, copy.title ?? manifest.marketplace?.title ?? manifest.name);
  const listing = buildListing(manifest, {
    registryUrl,
    publisher: { name: row.publisher, displayName: row.display_name, ...(manifest.publisher.url ? { url: manifest.publisher.url } : {}), tier },
    channels,
    versions,
    installs: Number(row.downloads),
    tools,
    ...(previews.length ? { previews } : {}),
    updatedAt: updated.toISOString(),
  });
  return { listing: applyOverrides(listing, copy), manifest, sha256, overrides: copy, ...(packageBytes ? { packageBytes } : {}) };
}

/** `{ name, description }` of every tool in the package's tool pack (none when it has no readable one). */
export function toolsOf(packageBytes: Uint8Array, manifest: Vib3ExtensionManifest): ListingDocument['tools'] {
  const path = (manifest.entrypoints as { toolPack?: string } | undefined)?.toolPack;
  if (!path) return [];
  try {
    const file = readArchive(packageBytes).get(path);
    if (!file) return [];
    const pack = JSON.parse(new TextDecoder().decode(file)) as { tools?: Array<{ name?: unknown; description?: unknown }> };
    return (pack.tools ?? []).filter((t) => typeof t.name === 'string').map((t) => ({ name: normalizeToolName(manifest.id, t.name as string), description: typeof t.description === 'string' ? t.description : '' }));
  } catch {
    return [];
  }
}
