// PNG reading for the e2e suites (no dependencies): size from the IHDR and RGB pixels of the
// 8-bit RGB/RGBA, non-interlaced PNGs Chromium writes.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';

/** Width and height from a PNG's IHDR. */
export function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** RGB pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
export function decodePng(bytes) {
  const { width, height } = pngSize(bytes);
  const [depth, colourType, , , interlace] = bytes.subarray(24, 29);
  assert.equal(depth, 8);
  assert.equal(interlace, 0);
  const channels = { 2: 3, 6: 4 }[colourType];
  assert.ok(channels, `colour type ${colourType}`);
  const idat = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rgb = new Uint8Array(width * height * 3);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      cur[i] = (line[i] + predictor) & 255;
    }
    for (let x = 0; x < width; x++) rgb.set(cur.subarray(x * channels, x * channels + 3), (y * width + x) * 3);
    prev = cur;
  }
  return { width, height, rgb };
}
