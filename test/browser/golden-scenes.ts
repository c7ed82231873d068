/** The golden scenes every rendering path is compared on (rendering, presentation and worker tests). */

/** The three systems, in golden order. */
export const SYSTEMS = ['faceted', 'quantum', 'holographic'] as const;
/** Golden scenes: each system with a different core so the goldens also cover both warps. */
export const SCENES = {
  faceted: { system: 'faceted', geometry: 1, hue: 280, 'rot4d-xw': 0.6 },
  quantum: { system: 'quantum', geometry: 10, hue: 200, 'rot4d-yw': 0.4 },
  holographic: { system: 'holographic', geometry: 21, hue: 150, 'rot4d-zw': -0.8 },
} as const;
/** The instant the goldens show, ms. */
export const GOLDEN_TIME = 1750;
/** Golden tolerance: mean channel difference and share of clearly different pixels. */
export const GOLDEN_MEAN = 3;
export const GOLDEN_SHARE = 0.02;

/** Decodes an encoded image (a snapshot Blob) into RGBA pixels, without colour conversion. */
export async function decodeImage(blob: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const c = document.createElement('canvas');
  c.width = bitmap.width;
  c.height = bitmap.height;
  const ctx = c.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, c.width, c.height);
}
