/**
 * Reads of the catalogue: an extension's listing with its versions and channels, one version's
 * record, and the package bytes (immutable: the bytes of id@version never change).
 */
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { checkId, checkVersion } from '../names.js';
import type { Listing, MarketplaceBlock, VersionRecord } from '../../marketplace/types.js';
import { currentChannels } from './publish.js';
import { readArchive } from '../../extensions/signing/archive.js';
import type { ComplianceReport } from '../../extensions/compliance/index.js';
import { PROVENANCE_PATH, type SupplyChainSummary } from '../../supply-chain/extension-artifacts.js';

/** `GET /v1/extensions/{id}`: the wire type clients read (src/marketplace/types.ts). */
export type { Listing };

/** `GET /v1/extensions/{id}/{version}`: the wire type clients read (src/marketplace/types.ts). */
export type { VersionRecord };

const notFound = (id: string) => new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');

/** An extension's listing, or a 404. */
export async function getListing(db: Queryable, idParam: string): Promise<Listing> {
  const id = checkId(idParam);
  const { rows } = await db.query<{ name: string; description: string; publisher: string; display_name: string; publisher_tier: 'verified' | 'community'; verified: boolean; categories: string[]; tags: string[]; latest: string; created_at: Date; updated_at: Date }>(
    `SELECT e.name, e.description, e.publisher, p.display_name, p.tier AS publisher_tier, n.verified, e.categories, e.tags, e.latest, e.created_at, e.updated_at
       FROM extensions e JOIN publishers p ON p.name = e.publisher JOIN namespaces n ON n.namespace = e.namespace
      WHERE e.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw notFound(id);
  const versions = await db.query<{ version: string; published_at: Date; yanked_at: Date | null }>('SELECT version, published_at, yanked_at FROM versions WHERE id = $1 ORDER BY published_at DESC, version DESC', [id]);
  const latest = await db.query<{ marketplace: unknown }>("SELECT manifest -> 'marketplace' AS marketplace FROM versions WHERE id = $1 AND version = $2", [id, row.latest]);
  const market = latest.rows[0]?.marketplace;
  const marketplace = (typeof market === 'string' ? JSON.parse(market) : market) as MarketplaceBlock | null | undefined;
  return {
    id,
    name: row.name,
    description: row.description,
    publisher: { name: row.publisher, displayName: row.display_name, tier: row.publisher_tier },
    tier: row.verified ? 'verified' : 'community',
    categories: row.categories,
    tags: row.tags,
    latest: row.latest,
    channels: await currentChannels(db, id),
    versions: versions.rows.map((v) => ({ version: v.version, publishedAt: new Date(v.published_at).toISOString(), yanked: v.yanked_at !== null })),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    ...(marketplace ? { marketplace } : {}),
  };
}

/** One version's record, or a 404; with its compliance report when it was published with one. */
export async function getVersion(db: Queryable, idParam: string, versionParam: string): Promise<VersionRecord & { compliance?: ComplianceReport }> {
  const id = checkId(idParam);
  const version = checkVersion(versionParam);
  const { rows } = await db.query<{ integrity: string; sha256: string; size: string | number; key_id: string; published_at: Date; yanked_at: Date | null; yank_reason: string | null; manifest: unknown; compliance: unknown; supply_chain: unknown }>(
    'SELECT integrity, sha256, size, key_id, published_at, yanked_at, yank_reason, manifest, compliance, supply_chain FROM versions WHERE id = $1 AND version = $2',
    [id, version],
  );
  const row = rows[0];
  if (!row) {
    const ext = await db.query('SELECT 1 FROM extensions WHERE id = $1', [id]);
    if (!ext.rows.length) throw notFound(id);
    throw new RegistryError(404, 'VERSION_NOT_FOUND', `${id} has no version ${version}.`, 'List its versions with GET /v1/extensions/{id}.');
  }
  // Versions published before the supply-chain migration have no summary: nothing claimed.
  const supplyChain = ((typeof row.supply_chain === 'string' ? JSON.parse(row.supply_chain) : row.supply_chain) ?? { sbom: null, provenance: null }) as SupplyChainSummary;
  return {
    id,
    version,
    integrity: row.integrity,
    sha256: row.sha256,
    size: Number(row.size),
    keyId: row.key_id,
    publishedAt: new Date(row.published_at).toISOString(),
    yanked: row.yanked_at !== null,
    yankReason: row.yank_reason,
    manifest: typeof row.manifest === 'string' ? JSON.parse(row.manifest) : row.manifest,
    links: { package: `/v1/extensions/${id}/${version}/package`, sbom: supplyChain.sbom ? `/v1/extensions/${id}/${version}/sbom` : null, provenance: supplyChain.provenance ? `/v1/extensions/${id}/${version}/provenance` : null },
    supplyChain,
    ...(row.compliance ? { compliance: (typeof row.compliance === 'string' ? JSON.parse(row.compliance) : row.compliance) as ComplianceReport } : {}),
  };
}

/** The package bytes of id@version (yanked versions too: exact versions stay reproducible). */
export async function getPackage(db: Queryable, blobs: BlobStore, id: string, version: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const record = await getVersion(db, id, version);
  const bytes = await blobs.get(record.sha256);
  if (!bytes) throw new RegistryError(503, 'BLOB_MISSING', `The bytes of ${id}@${version} are missing from storage.`, 'Retry later; the registry operators have to restore the blob store.');
  return { bytes, sha256: record.sha256 };
}

/** The SBOM or the provenance envelope of id@version, read from inside its signed package. */
export async function getSupplyChainFile(db: Queryable, blobs: BlobStore, id: string, version: string, which: 'sbom' | 'provenance'): Promise<{ bytes: Uint8Array; sha256: string }> {
  const record = await getVersion(db, id, version);
  const path = which === 'sbom' ? record.supplyChain.sbom?.path : record.supplyChain.provenance ? PROVENANCE_PATH : undefined;
  if (!path) {
    throw which === 'sbom'
      ? new RegistryError(404, 'SBOM_NOT_FOUND', `${id}@${version} was published without an SBOM.`, 'Publishers: build with vib3 ext build (it writes dist/sbom.cdx.json), pack, sign and publish a new version.')
      : new RegistryError(404, 'PROVENANCE_NOT_FOUND', `${id}@${version} was published without a provenance statement.`, 'Publishers: sign with vib3 ext sign (it adds provenance.intoto.json) and publish a new version.');
  }
  const { bytes: pkg } = await getPackage(db, blobs, id, version);
  const bytes = readArchive(pkg).get(path);
  if (!bytes) throw new RegistryError(503, 'BLOB_MISSING', `${path} is missing from the stored package of ${id}@${version}.`, 'Retry later; the registry operators have to restore the blob store.');
  return { bytes, sha256: record.sha256 };
}

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', avif: 'image/avif' };

/**
 * Preview image `index` of id@version (`marketplace.previews[index].src`), read from inside the
 * signed package; only raster image types are served (never SVG or HTML: no script in a listing).
 */
export async function getPreview(db: Queryable, blobs: BlobStore, id: string, version: string, indexParam: string): Promise<{ bytes: Uint8Array; type: string; sha256: string }> {
  const record = await getVersion(db, id, version);
  const index = /^\d{1,2}$/.test(indexParam) ? Number(indexParam) : -1;
  const previews = (record.manifest as { marketplace?: { previews?: Array<{ src?: unknown }> } }).marketplace?.previews ?? [];
  const src = previews[index]?.src;
  const type = typeof src === 'string' ? IMAGE_TYPES[src.slice(src.lastIndexOf('.') + 1).toLowerCase()] : undefined;
  if (typeof src !== 'string' || !type) throw new RegistryError(404, 'PREVIEW_NOT_FOUND', `${id}@${version} has no raster preview image ${indexParam}.`, 'List previews in the marketplace block of extension.json (PNG, WebP, JPEG, GIF or AVIF files in the package).');
  const { bytes: pkg } = await getPackage(db, blobs, id, version);
  const bytes = readArchive(pkg).get(src);
  if (!bytes) throw new RegistryError(404, 'PREVIEW_NOT_FOUND', `${src} is not in the package of ${id}@${version}.`, 'Pack the preview file with the extension.');
  return { bytes, type, sha256: record.sha256 };
}
