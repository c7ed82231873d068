/**
 * Listing overrides: a publisher's edits of the listing copy (`PATCH /v1/extensions/{id}/listing`),
 * stored in `listing_overrides` and applied over the manifest's `marketplace` block whenever the
 * listing is built. Edits are validated against the manifest schema itself: the edited
 * marketplace block must still validate (its title, summary, description, tag, category and
 * locale limits), so a listing never holds copy a manifest could not.
 */
import type { ListingDocument, LocalizedCopy } from '../../listings/types.js';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { validateManifest } from '../../extensions/manifest/validate.js';
import type { Queryable } from '../db/database.js';
import { RegistryError } from '../errors.js';

/** The fields a listing edit may set (each one replaces the manifest's; `null` in an edit removes the override). */
export interface ListingCopy {
  title?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  categories?: string[];
  locales?: Record<string, LocalizedCopy>;
}

/** The names of {@link ListingCopy}'s fields. */
export const COPY_FIELDS = ['title', 'summary', 'description', 'tags', 'categories', 'locales'] as const;

/** The stored overrides of `id` (empty without any) and when they were last edited. */
export async function readOverrides(db: Queryable, id: string): Promise<{ copy: ListingCopy; updatedAt?: Date }> {
  const { rows } = await db.query<{ copy: unknown; updated_at: Date }>('SELECT copy, updated_at FROM listing_overrides WHERE extension_id = $1', [id]);
  if (!rows[0]) return { copy: {} };
  const copy = (typeof rows[0].copy === 'string' ? JSON.parse(rows[0].copy) : rows[0].copy) as ListingCopy;
  return { copy, updatedAt: new Date(rows[0].updated_at) };
}

/** `listing` with `copy` applied (locales are replaced per locale). */
export function applyOverrides(listing: ListingDocument, copy: ListingCopy): ListingDocument {
  const out: ListingDocument = { ...listing };
  if (copy.title !== undefined) out.title = copy.title;
  if (copy.summary !== undefined) out.summary = copy.summary;
  if (copy.description !== undefined) out.description = copy.description;
  if (copy.tags !== undefined) out.tags = [...copy.tags];
  if (copy.categories !== undefined) out.categories = [...copy.categories];
  if (copy.locales !== undefined) {
    out.locales = { ...listing.locales };
    for (const [locale, localized] of Object.entries(copy.locales)) out.locales[locale] = { ...localized };
  }
  return out;
}

/**
 * The overrides after applying `edit` (a PATCH body) to `current`, checked against the manifest
 * schema with `manifest` (the listed version's) as the base.
 *
 * @throws RegistryError 400 `INVALID_LISTING_EDIT` for unknown fields or an empty edit; 422
 *   `LISTING_INVALID` with every problem (`problems`, JSON pointers into the marketplace block).
 */
export function mergeEdit(manifest: Vib3ExtensionManifest, current: ListingCopy, edit: Record<string, unknown>): ListingCopy {
  const unknown = Object.keys(edit).filter((k) => !(COPY_FIELDS as readonly string[]).includes(k));
  if (unknown.length || Object.keys(edit).length === 0) {
    throw new RegistryError(
      400,
      'INVALID_LISTING_EDIT',
      unknown.length ? `A listing edit cannot set ${unknown.join(', ')}.` : 'The listing edit is empty.',
      `Send one or more of ${COPY_FIELDS.join(', ')} (null removes an override).`,
    );
  }
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(edit)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  const candidate = JSON.parse(JSON.stringify(manifest)) as Record<string, any>;
  candidate.marketplace = { ...(candidate.marketplace ?? { pricing: { model: 'free' } }) };
  for (const [k, v] of Object.entries(next)) {
    if (k === 'locales' && v && typeof v === 'object' && !Array.isArray(v)) candidate.marketplace.locales = { ...(candidate.marketplace.locales ?? {}), ...(v as object) };
    else candidate.marketplace[k] = v;
  }
  const problems = validateManifest(candidate).problems.filter((p) => p.severity === 'error' && p.pointer.startsWith('/marketplace'));
  if (problems.length) {
    throw new RegistryError(422, 'LISTING_INVALID', `The edited listing breaks ${problems.length} rule${problems.length > 1 ? 's' : ''} of the manifest schema: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`, 'Fix every problem listed in `problems` and send the edit again.', { problems });
  }
  return next as ListingCopy;
}

/** Stores `copy` as the overrides of `id` (inside the caller's transaction). */
export async function writeOverrides(tx: Queryable, id: string, copy: ListingCopy): Promise<void> {
  await tx.query(
    'INSERT INTO listing_overrides (extension_id, copy, updated_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (extension_id) DO UPDATE SET copy = EXCLUDED.copy, updated_at = EXCLUDED.updated_at',
    [id, JSON.stringify(copy)],
  );
}
