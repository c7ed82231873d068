// Listings, images and packages for the partner push tests: a listing document as the registry
// builds it, PNGs with exact IHDR sizes (and a reader for them), a real signed .vib3x, and the
// PushContext the sync engine would pass.
import { randomUUID } from 'node:crypto';
import type { ListingAssets, PartnerConfig, PushContext } from '../../src/listings/partners/adapter.js';
import { LISTING_SCHEMA_ID, type ListingDocument } from '../../src/listings/types.js';
import { generateEd25519, keyIdOf } from '../../src/extensions/index.js';
import { makePackage } from '../registry/harness.js';
import { png } from './png.js';

export { png, pngSize } from './png.js';

/** The WordPress.org image slots at their exact sizes, two screenshots included. */
export function wordpressImages(shade = 0): ListingAssets['images'] {
  const sizes: [string, number, number][] = [
    ['banner', 772, 250],
    ['banner-2x', 1544, 500],
    ['icon', 128, 128],
    ['icon-2x', 256, 256],
    ['screenshot-1', 1280, 720],
    ['screenshot-2', 1280, 720],
  ];
  return new Map(sizes.map(([key, width, height]) => [key, { bytes: png(width, height, shade), width, height, type: 'image/png' }]));
}

/** A real signed package of `id`@`version` (the reference extension under a throwaway key). */
export async function signedPackage(id: string, version: string): Promise<Uint8Array> {
  const { publicJwk, privateJwk } = await generateEd25519();
  return makePackage({ keyId: await keyIdOf(publicJwk), privateJwk }, { id, version });
}

/** A listing as the registry serves it; `over` replaces fields. */
export function listingOf(over: Partial<ListingDocument> = {}): ListingDocument {
  const version = over.version ?? '1.0.0';
  return {
    $schema: LISTING_SCHEMA_ID,
    id: 'com.acme.aurora',
    version,
    title: 'Aurora Shapes',
    summary: 'Aurora-coloured 4D shapes that drift across the page.',
    description: 'Renders slowly rotating tesseracts in aurora colours.\n\nWorks with WebGPU and WebGL2.',
    locale: 'en',
    locales: {},
    categories: ['geometry'],
    tags: ['aurora', 'shapes', 'webgpu'],
    pricing: { model: 'free' },
    license: 'MIT',
    links: { homepage: 'https://acme.example/aurora', funding: 'https://acme.example/fund', repository: 'https://github.com/acme/aurora', registry: 'https://registry.vib3.test/v1/extensions/com.acme.aurora' },
    publisher: { name: 'acme', displayName: 'Acme', url: 'https://acme.example', tier: 'verified' },
    channels: { stable: version },
    versions: [{ version, publishedAt: '2026-11-01T00:00:00.000Z', yanked: false }],
    stats: { installs: 0 },
    previews: [
      { src: 'https://registry.vib3.test/p/0.png', alt: 'Aurora tesseract on a dark page', width: 1280, height: 720, type: 'image/png' },
      { src: 'https://registry.vib3.test/p/1.png', alt: 'Two shapes side by side', width: 1280, height: 720, type: 'image/png' },
    ],
    tools: [{ name: 'aurora_set_palette', description: 'Sets the palette of the aurora shapes.' }],
    capabilities: [],
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...over,
  };
}

/** The context the sync engine passes to `push` (a fresh idempotency key unless given). */
export function pushContext(config: PartnerConfig, listing: ListingDocument, event: PushContext['event'] = 'publish', idempotencyKey: string = randomUUID()): PushContext {
  return { config, listing, event, idempotencyKey, signal: new AbortController().signal };
}
