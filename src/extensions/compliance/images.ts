/**
 * The type and pixel size of a raster image, read from its header (PNG, JPEG, GIF, WebP) — enough
 * to tell a real preview of the documented size from a stub, without decoding pixels.
 */

/** A recognised raster image. */
export interface ImageInfo {
  type: 'png' | 'jpeg' | 'gif' | 'webp';
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const ascii = (b: Uint8Array, at: number, length: number) => String.fromCharCode(...b.subarray(at, at + length));

/** The image's type and size, or undefined when the bytes are not a complete-looking raster image. */
export function imageInfo(b: Uint8Array): ImageInfo | undefined {
  if (b.length >= 33 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    // The first chunk must be IHDR (13 bytes); the file must end with an IEND chunk.
    if (ascii(b, 12, 4) !== 'IHDR' || u32be(b, 8) !== 13 || ascii(b, b.length - 8, 4) !== 'IEND') return undefined;
    return sized('png', u32be(b, 16), u32be(b, 20));
  }
  if (b.length >= 13 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return sized('gif', u16le(b, 6), u16le(b, 8));
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  return undefined;
}

function sized(type: ImageInfo['type'], width: number, height: number): ImageInfo | undefined {
  return width > 0 && height > 0 ? { type, width, height } : undefined;
}

function webp(b: Uint8Array): ImageInfo | undefined {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) return sized('webp', u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return sized('webp', u24le(b, 24) + 1, u24le(b, 27) + 1);
  return undefined;
}

/** Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC). */
function jpeg(b: Uint8Array): ImageInfo | undefined {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before a frame header
    const length = u16be(b, at + 2);
    if (length < 2) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return sized('jpeg', u16be(b, at + 7), u16be(b, at + 5));
    at += 2 + length;
  }
  return undefined;
}
