/**
 * The stored listing assets (`listing_assets`, uploaded with `vib3 listing upload`) as the sync
 * side uses them: the images of one version for one partner target, keyed `<slot>` / `<slot>-<n>`
 * as adapters take them ({@link ListingAssets}), and the `registry` target's previews as the
 * listing document's `previews`.
 */
import type { ListingAssets } from '../../listings/partners/adapter.js';
import type { ListingMedia } from '../../listings/types.js';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { presetsOf, presetTitle, type PreviewPreset } from '../../listings/previews/presets.js';
import type { Queryable } from '../db/database.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { RegistryError } from '../errors.js';

/** One stored asset row. */
export interface StoredAsset {
  target: string;
  name: string;
  sha256: string;
  type: string;
  width: number;
  height: number;
  size: number;
  uploadedAt: string;
}

/** Longest alt text of a listing preview (the listing schema's). */
const MAX_ALT = 200;

/** The stored assets of `id`@`version` (of one target, when given), by target then name. */
export async function storedAssets(db: Queryable, id: string, version: string, target?: string): Promise<StoredAsset[]> {
  const { rows } = await db.query<{ target: string; name: string; sha256: string; type: string; width: number; height: number; size: number; uploaded_at: Date }>(
    `SELECT target, name, sha256, type, width, height, size, uploaded_at FROM listing_assets
      WHERE extension_id = $1 AND version = $2 ${target ? 'AND target = $3' : ''} ORDER BY target, name`,
    target ? [id, version, target] : [id, version],
  );
  return rows.map((r) => ({ target: r.target, name: r.name, sha256: r.sha256, type: r.type, width: Number(r.width), height: Number(r.height), size: Number(r.size), uploadedAt: new Date(r.uploaded_at).toISOString() }));
}

/** The URL path of a stored asset; `?sha256=` names its content, so the URL changes with it (and may be cached for good). */
export function assetPath(id: string, version: string, asset: Pick<StoredAsset, 'target' | 'name' | 'sha256'>): string {
  return `/v1/extensions/${id}/${version}/assets/${asset.target}/${asset.name}?sha256=${asset.sha256}`;
}

/**
 * The images of `id`@`version` stored for `target`, with their bytes: what a sync worker (and a
 * dry run) hands the target's adapter as `ListingAssets.images`.
 *
 * @throws RegistryError 503 `BLOB_MISSING` when the bytes of a stored asset are gone.
 */
export async function listingAssetImages(db: Queryable, blobs: BlobStore, id: string, version: string, target: string): Promise<ListingAssets['images']> {
  const images = new Map<string, { bytes: Uint8Array; width: number; height: number; type: string }>();
  for (const asset of await storedAssets(db, id, version, target)) {
    const bytes = await blobs.get(asset.sha256);
    if (!bytes) throw new RegistryError(503, 'BLOB_MISSING', `The bytes of the listing image ${target}/${asset.name} of ${id}@${version} are missing from storage.`, 'Retry later; the registry operators have to restore the blob store (or upload the image again).');
    images.set(asset.name, { bytes, width: asset.width, height: asset.height, type: asset.type });
  }
  return images;
}

/** The presets of a manifest, or none when they are unreadable (the previews then get generic captions). */
function presetsOrNone(manifest: Vib3ExtensionManifest): PreviewPreset[] {
  try {
    return presetsOf(manifest);
  } catch {
    return [];
  }
}

/**
 * The `registry` target's stored previews of `id`@`version` as listing media (`preview-<n>` in
 * order), captioned as `vib3 ext previews --update-manifest` captions them ("<title>: <preset
 * title>"); empty when none is stored.
 */
export async function registryPreviews(db: Queryable, manifest: Vib3ExtensionManifest, baseUrl: string, title: string): Promise<ListingMedia[]> {
  const stored = (await storedAssets(db, manifest.id, manifest.version, 'registry')).filter((a) => /^preview-\d+$/.test(a.name));
  if (!stored.length) return [];
  const presets = presetsOrNone(manifest);
  const base = baseUrl.replace(/\/+$/, '');
  return stored
    .map((asset) => ({ asset, n: Number(asset.name.slice('preview-'.length)) }))
    .sort((a, b) => a.n - b.n)
    .map(({ asset, n }) => {
      const preset = presets[n - 1];
      const caption = `${title}: ${preset ? presetTitle(preset) : `preview ${n}`}`;
      const alt = caption.length > MAX_ALT ? `${caption.slice(0, MAX_ALT - 1)}…` : caption;
      return { src: `${base}${assetPath(manifest.id, manifest.version, asset)}`, alt, width: asset.width, height: asset.height, type: asset.type, ...(preset && /^[a-z0-9][a-z0-9-]{0,31}$/.test(preset.name) ? { preset: preset.name } : {}) };
    });
}
