/**
 * Builds a {@link ListingDocument} from an extension's manifest (its `marketplace` block) and what
 * the registry knows (publisher and tier, channels, versions, installs, stored preview media).
 * Pure and browser-safe: the registry, the CLI (`vib3 listing validate` on a folder) and tests
 * build listings the same way.
 */
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';
import { LISTING_SCHEMA_ID, type ListingDocument, type ListingMedia } from './types.js';

/** What the registry adds to a manifest. Everything is optional for a listing made from a folder. */
export interface RegistryFacts {
  /** The registry's base URL (`links.registry` points at the extension there). */
  registryUrl: string;
  publisher?: ListingDocument['publisher'];
  channels?: ListingDocument['channels'];
  versions?: ListingDocument['versions'];
  installs?: number;
  /** Preview media the registry stores for the version; default: the manifest's previews under the version's preview route. */
  previews?: ListingMedia[];
  /** Tools from the package's tool listing. */
  tools?: ListingDocument['tools'];
  updatedAt?: string;
}

const MEDIA_TYPES: Record<string, string> = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webm: 'video/webm' };

/** The MIME type of a media file by its extension (undefined for anything else). */
export function mediaType(src: string): string | undefined {
  return MEDIA_TYPES[src.slice(src.lastIndexOf('.') + 1).toLowerCase()];
}

/** The listing of `manifest` with `facts`. */
export function buildListing(manifest: Vib3ExtensionManifest, facts: RegistryFacts): ListingDocument {
  const m = manifest.marketplace;
  const base = facts.registryUrl.replace(/\/+$/, '');
  const previews: ListingMedia[] =
    facts.previews ??
    (m?.previews ?? []).flatMap((p, i) => {
      const type = mediaType(p.src);
      if (!type || !p.width || !p.height) return [];
      const src = p.src.startsWith('https://') ? p.src : `${base}/v1/extensions/${manifest.id}/${manifest.version}/previews/${i}`;
      return [{ src, alt: p.alt, width: p.width, height: p.height, type, ...(p.preset ? { preset: p.preset } : {}) }];
    });
  const locales: ListingDocument['locales'] = {};
  for (const [locale, copy] of Object.entries(m?.locales ?? {})) locales[locale] = { ...copy };
  return {
    $schema: LISTING_SCHEMA_ID,
    id: manifest.id,
    version: manifest.version,
    title: m?.title ?? manifest.name,
    summary: m?.summary ?? manifest.description ?? manifest.name,
    ...(m?.description ? { description: m.description } : manifest.description ? { description: manifest.description } : {}),
    ...(m?.brand?.tagline ? { tagline: m.brand.tagline } : {}),
    ...(m?.brand?.color ? { brandColor: m.brand.color } : {}),
    locale: 'en',
    locales,
    categories: [...(m?.categories ?? [])],
    tags: [...(m?.tags ?? [])],
    pricing: { model: m?.pricing.model ?? 'free', ...(m?.pricing.amount !== undefined ? { amount: m.pricing.amount } : {}), ...(m?.pricing.currency ? { currency: m.pricing.currency } : {}), ...(m?.pricing.freeTier ? { freeTier: m.pricing.freeTier } : {}) },
    ...(m?.license ? { license: m.license } : {}),
    links: { ...(m?.links ?? {}), registry: `${base}/v1/extensions/${manifest.id}` },
    publisher: facts.publisher ?? { name: manifest.publisher.name, ...(manifest.publisher.url ? { url: manifest.publisher.url } : {}), tier: 'unverified' },
    channels: facts.channels ?? {},
    versions: facts.versions ?? [],
    stats: { installs: facts.installs ?? 0 },
    previews,
    tools: facts.tools ?? [],
    capabilities: Object.entries(manifest.capabilities ?? {}).map(([name, c]) => ({ name, reason: (c as { reason: string }).reason })),
    updatedAt: facts.updatedAt ?? new Date(0).toISOString(),
  };
}
