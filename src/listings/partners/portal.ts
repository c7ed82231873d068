/**
 * Documents for the portal-only marketplaces (Figma Community, Framer, Webflow, Canva, Shopify App
 * Store, Chrome Web Store): nothing can be pushed there, so the document is the copy trimmed to
 * each documented limit plus a checklist of every field to paste — its value, its limit and where
 * it comes from — and the files are the images at the exact sizes the portal wants. `vib3 listing
 * export` zips them (`../export-bundle.ts`). Browser-safe.
 */
import type { ListingDocument } from '../types.js';
import type { ListingAssets, PreparedListing } from './adapter.js';
import { preparedListing } from './digest.js';
import { applyRules, type PartnerCopy } from './rules.js';
import { PARTNER_TARGETS, type TargetId, type TargetRules, type TextLimit } from './targets.js';

/** One field of a portal's form: what to paste, how long it may be, and where it comes from. */
export interface ChecklistField {
  /** The portal's name for the field. */
  field: string;
  /** What to paste (or, for images, the bundle path of the file to upload). */
  value: string;
  /** The portal's limit, in words. */
  limit: string;
  /** JSON pointer into the listing the value comes from. */
  source: string;
}

/** What a portal target's `prepare` produces as its document. */
export interface PortalDocument {
  target: TargetId;
  name: string;
  docs: string;
  fields: ChecklistField[];
  copy: PartnerCopy;
}

/** The portal-only targets. */
export type PortalTarget = 'figma' | 'framer' | 'webflow' | 'canva' | 'shopify' | 'chrome';

const textLimit = (l: TextLimit) => `≤ ${l.max} characters (${l.over === 'trim' ? 'trimmed to fit' : 'refused beyond'})`;

function price(p: ListingDocument['pricing']): string {
  if (p.model === 'free') return 'Free';
  const amount = p.amount !== undefined ? ` ${p.amount}${p.currency ? ` ${p.currency}` : ''}` : '';
  return `${p.model === 'subscription' ? 'Subscription' : 'Paid'}${amount}${p.model === 'subscription' ? ' per period' : ''}${p.freeTier ? ` (free tier: ${p.freeTier})` : ''}`;
}

/** The checklist of `copy` for a portal with `rules`, in the order its form asks. */
export function checklistFields(copy: PartnerCopy, listing: ListingDocument, rules: TargetRules): ChecklistField[] {
  const fields: ChecklistField[] = [
    { field: rules.title.field, value: copy.title, limit: textLimit(rules.title), source: '/title' },
    { field: rules.summary.field, value: copy.summary, limit: textLimit(rules.summary), source: '/summary' },
  ];
  if (rules.description && copy.description !== undefined) fields.push({ field: rules.description.field, value: copy.description, limit: textLimit(rules.description), source: '/description' });
  if (rules.tags) fields.push({ field: rules.tags.field, value: copy.tags.join(', '), limit: `≤ ${rules.tags.max} (first ones kept)${rules.tags.maxLength ? `, each ≤ ${rules.tags.maxLength} characters` : ''}`, source: '/tags' });
  if (rules.categories) fields.push({ field: rules.categories.field, value: copy.categories.join(', '), limit: `${rules.categories.max === 1 ? 'one' : `up to ${rules.categories.max}`} of the portal's categories`, source: '/categories' });
  fields.push({ field: 'Pricing', value: price(listing.pricing), limit: rules.paid === 'listed' ? 'as the portal\'s pricing form takes it' : 'not listed by the portal', source: '/pricing' });
  const links: Array<[string, string | undefined, string]> = [
    ['Website', listing.links.homepage ?? listing.links.registry, listing.links.homepage ? '/links/homepage' : '/links/registry'],
    ['Support URL', listing.links.support, '/links/support'],
    ['Privacy policy URL', listing.links.privacy, '/links/privacy'],
  ];
  for (const [field, value, source] of links) if (value) fields.push({ field, value, limit: 'https URL', source });
  for (const image of copy.images) {
    fields.push({ field: `${image.slot}${image.n !== undefined ? ` ${image.n}` : ''} image`, value: image.path, limit: `exactly ${image.width}×${image.height} ${image.format.toUpperCase()}`, source: `/previews${image.n !== undefined ? `/${image.n - 1}` : ''}` });
  }
  return fields;
}

/** The document and image files of `listing` for the portal `target` (image rules skipped when `checkImages` is false). */
export async function preparePortal(target: PortalTarget, listing: ListingDocument, assets: ListingAssets, checkImages = true): Promise<PreparedListing> {
  const rules = PARTNER_TARGETS[target];
  const { copy, findings } = applyRules(listing, rules, checkImages ? assets : undefined);
  const document: PortalDocument = { target, name: rules.name, docs: rules.docs, fields: checklistFields(copy, listing, rules), copy };
  const files = new Map<string, Uint8Array>();
  for (const image of copy.images) files.set(image.path, assets.images.get(image.key)!.bytes);
  return preparedListing(target, document, files, findings);
}

/** Figma Community: name, tagline, description, tags, category, icon and cover. */
export const prepareFigma = (listing: ListingDocument, assets: ListingAssets) => preparePortal('figma', listing, assets);
/** Framer Marketplace: name, byline, description, tags, category, icon and screenshots. */
export const prepareFramer = (listing: ListingDocument, assets: ListingAssets) => preparePortal('framer', listing, assets);
/** Webflow Marketplace: app name, short and long description, categories, icon and screenshots. */
export const prepareWebflow = (listing: ListingDocument, assets: ListingAssets) => preparePortal('webflow', listing, assets);
/** Canva Apps Marketplace: app name, tagline, description, category, icon and featured image. */
export const prepareCanva = (listing: ListingDocument, assets: ListingAssets) => preparePortal('canva', listing, assets);
/** Shopify App Store: app name, introduction, details, search terms, category, icon, screenshots, feature media. */
export const prepareShopify = (listing: ListingDocument, assets: ListingAssets) => preparePortal('shopify', listing, assets);
/** Chrome Web Store: name, summary, description, category, icon, screenshots and promo tiles. */
export const prepareChrome = (listing: ListingDocument, assets: ListingAssets) => preparePortal('chrome', listing, assets);
