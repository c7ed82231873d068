/**
 * npm package tarballs, built in memory and byte-for-byte reproducible: ustar entries under
 * `package/` in path order, with the fixed metadata `npm pack` uses (mode 0644, uid/gid 0, mtime
 * 1985-10-26T08:15:00Z), gzip-compressed. The same files therefore always give the same
 * `dist.integrity`, which is how a retried publish recognises the version it already sent.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** The mtime `npm pack` gives every entry (seconds since the epoch). */
const NPM_MTIME = Math.floor(Date.UTC(1985, 9, 26, 8, 15, 0) / 1000);
const BLOCK = 512;
const enc = new TextEncoder();

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = enc.encode(value);
  if (bytes.length > length) throw new RangeError(`tar header field too long: ${value}`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a path into ustar `prefix` (≤155 bytes) and `name` (≤100 bytes). */
function splitPath(path: string): { prefix: string; name: string } {
  if (enc.encode(path).length <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(name).length <= 100) return { prefix, name };
  }
  throw new RangeError(`path too long for a ustar entry: ${path}`);
}

function header(path: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const { prefix, name } = splitPath(path);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, NPM_MTIME);
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h[156] = 0x30; // typeflag '0': regular file
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 345, 155, prefix);
  const sum = h.reduce((a, b) => a + b, 0);
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** An uncompressed ustar archive of `files` (paths as given, sorted), ending with two zero blocks. */
export function tarFiles(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const paths = [...files.keys()].sort();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const path of paths) {
    const data = files.get(path)!;
    const padded = Math.ceil(data.length / BLOCK) * BLOCK;
    const entry = new Uint8Array(BLOCK + padded);
    entry.set(header(path, data.length), 0);
    entry.set(data, BLOCK);
    parts.push(entry);
    total += entry.length;
  }
  const out = new Uint8Array(total + 2 * BLOCK);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A gzip-compressed npm tarball: every file under `package/`. */
export function npmTarball(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const prefixed = new Map<string, Uint8Array>();
  for (const [path, data] of files) {
    if (path.startsWith('/') || path.split('/').includes('..')) throw new RangeError(`unsafe path in an npm package: ${path}`);
    prefixed.set(`package/${path}`, data);
  }
  return new Uint8Array(gzipSync(tarFiles(prefixed), { level: 9 }));
}

/** The `dist` fields npm records for a tarball: SRI `integrity` (sha512) and legacy `shasum` (sha1 hex). */
export function tarballDist(tgz: Uint8Array): { integrity: string; shasum: string } {
  return {
    integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
    shasum: createHash('sha1').update(tgz).digest('hex'),
  };
}
