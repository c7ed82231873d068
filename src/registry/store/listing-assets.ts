/**
 * Listing assets: the images of a version rendered for a partner target (`vib3 ext previews`),
 * uploaded by the extension's publisher (`vib3 listing upload`), checked against the target's
 * exact image specs, kept in the blob store (content-addressed) with a `listing_assets` row. An
 * upload that changes what the listed version shows writes the outbox rows of that target's
 * partners in its own transaction (every partner for the `registry` target, whose previews are
 * the listing's), so partners get the new images.
 */
import type { RegistryContext } from '../context.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';
import { checkId, checkVersion } from '../names.js';
import { enqueueSync } from '../sync/outbox.js';
import { listedVersion } from '../sync/listing.js';
import { assetPath, storedAssets, type StoredAsset } from '../sync/assets.js';
import { checkAssetImage, resolveAssetSlot } from './asset-image.js';
import { sha256Hex } from './targets.js';

/** Largest listing asset accepted, in bytes (a 1920×1080 PNG is a few MB; clips are short). */
export const MAX_ASSET_BYTES = 16 * 1024 * 1024;

/** A stored asset as the API answers it. */
export interface ListingAssetRecord extends StoredAsset {
  /** The slot it fills, and its 1-based index for slots that take several images. */
  slot: string;
  n?: number;
  /** Where its bytes are served (the URL changes with the content). */
  url: string;
}

/** What an upload did. */
export interface UploadedAsset extends ListingAssetRecord {
  id: string;
  version: string;
  /** A new name (201), or an existing one replaced or kept (200). */
  created: boolean;
  /** False when the same bytes were stored under the name already (nothing queued). */
  changed: boolean;
  /** Outbox rows written for partners (none unless the version is the listed one). */
  queued: number[];
}

/** The partners that get a target's images: for `registry` every partner (its previews are the listing's). */
export type PartnersOfTarget = (target: string) => readonly string[] | undefined;

const record = (id: string, version: string, asset: StoredAsset): ListingAssetRecord => {
  const slot = resolveAssetSlot(asset.target, asset.name);
  return { ...asset, slot: slot.spec.slot, ...(slot.n !== undefined ? { n: slot.n } : {}), url: assetPath(id, version, asset) };
};

/** The owner check and the version row: 404 / 403 / 409 (yanked) as coded errors. */
async function requireOwnVersion(db: Queryable, publisher: string, id: string, version: string): Promise<void> {
  const ext = await db.query<{ publisher: string }>('SELECT publisher FROM extensions WHERE id = $1', [id]);
  if (!ext.rows[0]) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Publish it first; listing images belong to a published version.');
  if (ext.rows[0].publisher !== publisher) throw new RegistryError(403, 'NAMESPACE_OWNED', `${id} belongs to another publisher.`, 'Only its publisher may upload its listing images.');
  const row = await db.query<{ yanked_at: Date | null }>('SELECT yanked_at FROM versions WHERE id = $1 AND version = $2', [id, version]);
  if (!row.rows[0]) throw new RegistryError(404, 'VERSION_NOT_FOUND', `${id} has no version ${version}.`, 'Upload the images of a published version (GET /v1/extensions/{id} lists them).');
  if (row.rows[0].yanked_at) throw new RegistryError(409, 'VERSION_YANKED', `${id}@${version} is yanked; its listing images are not used any more.`, 'Upload the images of the version you publish next.');
}

/** Whether `version` is the one the listing of `id` describes now. */
async function isListed(db: Queryable, id: string, version: string): Promise<boolean> {
  const versions = await db.query<{ version: string; yanked_at: Date | null }>('SELECT version, yanked_at FROM versions WHERE id = $1', [id]);
  const channels = await db.query<{ channel: string; version: string }>('SELECT channel, version FROM channels WHERE id = $1', [id]);
  const listed = listedVersion(Object.fromEntries(channels.rows.map((r) => [r.channel, r.version])), versions.rows.map((v) => ({ version: v.version, yanked: v.yanked_at !== null })));
  return listed === version;
}

/**
 * Stores `bytes` as the asset `name` of `target` for `idParam`@`versionParam`, for `publisher`.
 *
 * @throws RegistryError 400 `INVALID_ID` / `INVALID_VERSION`; 404 `TARGET_NOT_FOUND`,
 *   `EXTENSION_NOT_FOUND`, `VERSION_NOT_FOUND`; 403 `NAMESPACE_OWNED`; 409 `VERSION_YANKED`; 422
 *   `UNKNOWN_SLOT`, `IMAGE_UNREADABLE`, `IMAGE_WRONG_FORMAT`, `IMAGE_WRONG_SIZE` (nothing stored).
 */
export async function uploadListingAsset(ctx: RegistryContext, publisher: string, idParam: string, versionParam: string, target: string, name: string, bytes: Uint8Array, partnersOf: PartnersOfTarget): Promise<UploadedAsset> {
  const id = checkId(idParam);
  const version = checkVersion(versionParam);
  const slot = resolveAssetSlot(target, name);
  await requireOwnVersion(ctx.db, publisher, id, version);
  const image = checkAssetImage(bytes, slot);
  const sha256 = sha256Hex(bytes);
  await ctx.blobs.put(sha256, bytes);

  const result = await ctx.db.transaction(async (tx) => {
    const before = await tx.query<{ sha256: string }>('SELECT sha256 FROM listing_assets WHERE extension_id = $1 AND version = $2 AND target = $3 AND name = $4 FOR UPDATE', [id, version, slot.target, name]);
    const created = !before.rows[0];
    const changed = before.rows[0]?.sha256 !== sha256;
    if (changed) {
      await tx.query(
        `INSERT INTO listing_assets (extension_id, version, target, name, sha256, type, width, height, size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (extension_id, version, target, name) DO UPDATE SET sha256 = EXCLUDED.sha256, type = EXCLUDED.type, width = EXCLUDED.width,
           height = EXCLUDED.height, size = EXCLUDED.size, uploaded_at = now()`,
        [id, version, slot.target, name, sha256, image.type, image.width, image.height, bytes.length],
      );
    }
    const [stored] = await storedAssetsNamed(tx, id, version, slot.target, name);
    let queued: number[] = [];
    if (changed && (await isListed(tx, id, version))) {
      const partners = partnersOf(slot.target);
      queued = await enqueueSync(tx, { extensionId: id, event: 'listing', version, nonce: `asset ${slot.target}/${name} ${sha256} ${stored!.uploadedAt}`, ...(partners ? { partners } : {}) });
    }
    return { created, changed, queued, stored: stored! };
  });
  if (result.queued.length) ctx.sync?.wake();
  return { id, version, ...record(id, version, result.stored), created: result.created, changed: result.changed, queued: result.queued };
}

async function storedAssetsNamed(db: Queryable, id: string, version: string, target: string, name: string): Promise<StoredAsset[]> {
  return (await storedAssets(db, id, version, target)).filter((a) => a.name === name);
}

/** Every stored asset of `idParam`@`versionParam` (404 for an unknown extension or version). */
export async function listListingAssets(db: Queryable, idParam: string, versionParam: string): Promise<{ id: string; version: string; assets: ListingAssetRecord[] }> {
  const id = checkId(idParam);
  const version = checkVersion(versionParam);
  const row = await db.query('SELECT 1 FROM versions WHERE id = $1 AND version = $2', [id, version]);
  if (!row.rows.length) {
    const ext = await db.query('SELECT 1 FROM extensions WHERE id = $1', [id]);
    if (!ext.rows.length) throw new RegistryError(404, 'EXTENSION_NOT_FOUND', `No extension ${id}.`, 'Check the id; `vib3 registry search` lists extensions.');
    throw new RegistryError(404, 'VERSION_NOT_FOUND', `${id} has no version ${version}.`, 'List its versions with GET /v1/extensions/{id}.');
  }
  return { id, version, assets: (await storedAssets(db, id, version)).map((a) => record(id, version, a)) };
}

/**
 * The bytes of one stored asset. With `sha256`, only that content (the URL the listing and the
 * list give): any other is 404, since the name was uploaded again since.
 *
 * @throws RegistryError 404 `TARGET_NOT_FOUND`, `ASSET_NOT_FOUND`; 503 `BLOB_MISSING`.
 */
export async function readListingAsset(db: Queryable, blobs: BlobStore, idParam: string, versionParam: string, target: string, name: string, sha256?: string): Promise<{ bytes: Uint8Array; asset: StoredAsset }> {
  const id = checkId(idParam);
  const version = checkVersion(versionParam);
  const slot = resolveAssetSlot(target, name);
  const [asset] = await storedAssetsNamed(db, id, version, slot.target, name);
  if (!asset || (sha256 !== undefined && sha256 !== asset.sha256)) {
    throw new RegistryError(404, 'ASSET_NOT_FOUND', `${id}@${version} has no ${target}/${name} image${asset ? ' with that content (it was uploaded again since)' : ''}.`, 'List the stored images with GET /v1/extensions/{id}/{version}/assets.');
  }
  const bytes = await blobs.get(asset.sha256);
  if (!bytes) throw new RegistryError(503, 'BLOB_MISSING', `The bytes of ${target}/${name} of ${id}@${version} are missing from storage.`, 'Retry later; the registry operators have to restore the blob store.');
  return { bytes, asset };
}
