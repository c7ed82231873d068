/**
 * The listing document (docs/LISTINGS.md): one description of an extension for every marketplace,
 * made from the `marketplace` block of its extension.json plus registry data (publisher and trust
 * tier, versions, channels, stats), and the findings partner rules report about it. Browser-safe.
 * The JSON Schema of a listing is `schema/listing.schema.json` (the source of truth; this file
 * mirrors it and `test/unit/listings-*.test.ts` checks both agree).
 */

/** The `$schema` id of listing documents. */
export const LISTING_SCHEMA_ID = 'https://schemas.vib3.dev/listing/1.json';

/** Localized copy of a listing (any field may be missing: the default locale fills it). */
export interface LocalizedCopy {
  title?: string;
  summary?: string;
  description?: string;
}

/** An image or video a listing shows. `src` is a registry URL path or an https URL. */
export interface ListingMedia {
  src: string;
  alt: string;
  width: number;
  height: number;
  /** MIME type: image/png, image/webp, image/jpeg, image/gif, video/webm. */
  type: string;
  /** The preset it was rendered with (`marketplace.presets[].name`). */
  preset?: string;
}

/** One listing, as the registry serves it (`GET /v1/extensions/{id}/listing`) and adapters read it. */
export interface ListingDocument {
  $schema: typeof LISTING_SCHEMA_ID;
  id: string;
  /** The version the listing describes: the stable channel's, else the newest release, else the newest. */
  version: string;
  title: string;
  summary: string;
  description?: string;
  tagline?: string;
  brandColor?: string;
  /** Default locale of the copy above (BCP 47). */
  locale: string;
  locales: Record<string, LocalizedCopy>;
  categories: string[];
  tags: string[];
  pricing: { model: 'free' | 'paid' | 'subscription'; amount?: number; currency?: string; freeTier?: string };
  license?: string;
  links: { homepage?: string; support?: string; repository?: string; funding?: string; privacy?: string; registry: string };
  publisher: { name: string; displayName?: string; url?: string; tier: 'verified' | 'community' | 'unverified' };
  channels: Partial<Record<'stable' | 'beta' | 'canary', string>>;
  versions: { version: string; publishedAt: string; yanked: boolean }[];
  /** Rating-free usage numbers. */
  stats: { installs: number };
  previews: ListingMedia[];
  /** The agent tools the extension offers (from its tool pack), if any. */
  tools: { name: string; description: string }[];
  /** Capabilities the extension asks for, with the reasons users are shown. */
  capabilities: { name: string; reason: string }[];
  updatedAt: string;
}

/** Severity of a finding: a warning is applied (e.g. a trim) and reported; an error stops that target. */
export type FindingSeverity = 'warning' | 'error';

/** What a partner's rules did to or found in a listing: every trim, drop, resize or refusal. */
export interface ListingFinding {
  /** Stable code, e.g. TAGS_TRIMMED, SUMMARY_TRIMMED, CATEGORY_UNSUPPORTED, IMAGE_MISSING. */
  code: string;
  severity: FindingSeverity;
  /** The partner target (`npm`, `wordpress`, …). */
  target: string;
  /** JSON pointer into the listing (or the partner's field name after a colon: `/tags:Tags`). */
  field: string;
  message: string;
  suggestion: string;
}
