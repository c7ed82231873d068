/**
 * The package archive: an uncompressed POSIX ustar file written canonically (entries sorted,
 * extension.json first, mode 0644, uid/gid/mtime 0, empty user/group names). The same files
 * always give the same bytes, and {@link readArchive} accepts only that canonical form, so
 * flipping any byte of a package (header, padding or content) is detected.
 */

/** Files of a package: path -> bytes. */
export type PackageFiles = Map<string, Uint8Array>;

/** Why an archive was refused. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const BLOCK = 512;
const MANIFEST = 'extension.json';
/** Relative POSIX paths without "." / ".." segments (the manifest schema's filePath rule). */
const PATH_RE = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]{1,200}$/;
/** Largest file accepted (16 MiB) and largest archive (64 MiB). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

/** Sort order: extension.json first, then by path (UTF-16 code units). */
function order(a: string, b: string): number {
  if (a === b) return 0;
  if (a === MANIFEST) return -1;
  if (b === MANIFEST) return 1;
  return a < b ? -1 : 1;
}

export function isValidPackagePath(path: string): boolean {
  return PATH_RE.test(path) && !path.endsWith('/');
}

/** Writes the canonical archive. */
export function writeArchive(files: PackageFiles): Uint8Array {
  const paths = [...files.keys()].sort(order);
  let size = BLOCK * 2;
  for (const p of paths) {
    if (!isValidPackagePath(p)) throw new ArchiveError(`invalid path "${p}"`);
    size += BLOCK + Math.ceil(files.get(p)!.length / BLOCK) * BLOCK;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of paths) {
    const data = files.get(p)!;
    if (data.length > MAX_FILE_BYTES) throw new ArchiveError(`${p} is larger than ${MAX_FILE_BYTES} bytes`);
    out.set(header(p, data.length), at);
    at += BLOCK;
    out.set(data, at);
    at += Math.ceil(data.length / BLOCK) * BLOCK;
  }
  return out;
}

function header(path: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const enc = new TextEncoder();
  let name = path;
  let prefix = '';
  if (path.length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || path.length - cut - 1 > 100) throw new ArchiveError(`path too long for ustar: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  const put = (offset: number, text: string) => h.set(enc.encode(text), offset);
  put(0, name);
  put(100, '0000644\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, `${size.toString(8).padStart(11, '0')}\0`);
  put(136, '00000000000\0');
  put(148, '        ');
  put(156, '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(345, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** Reads a canonical archive; throws ArchiveError for anything else. */
export function readArchive(bytes: Uint8Array): PackageFiles {
  if (bytes.length > MAX_ARCHIVE_BYTES) throw new ArchiveError('archive too large');
  if (bytes.length < BLOCK * 2 || bytes.length % BLOCK !== 0) throw new ArchiveError('not a package archive (bad length)');
  const files: PackageFiles = new Map();
  const dec = new TextDecoder('utf-8', { fatal: true });
  const str = (b: Uint8Array) => dec.decode(b.subarray(0, b.indexOf(0) === -1 ? b.length : b.indexOf(0)));
  let at = 0;
  while (at + BLOCK <= bytes.length) {
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const name = str(h.subarray(0, 100));
    const prefix = str(h.subarray(345, 500));
    const path = prefix ? `${prefix}/${name}` : name;
    const size = parseInt(str(h.subarray(124, 136)), 8);
    if (!Number.isFinite(size) || size < 0 || size > MAX_FILE_BYTES) throw new ArchiveError(`bad size for ${path}`);
    if (!isValidPackagePath(path)) throw new ArchiveError(`invalid path "${path}"`);
    if (files.has(path)) throw new ArchiveError(`duplicate entry ${path}`);
    const start = at + BLOCK;
    const end = start + size;
    if (end > bytes.length) throw new ArchiveError(`truncated entry ${path}`);
    files.set(path, bytes.slice(start, end));
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (!files.has(MANIFEST)) throw new ArchiveError('the package has no extension.json');
  // Canonical form only: re-writing what was read must give back exactly the same bytes.
  const canonical = writeArchive(files);
  if (canonical.length !== bytes.length || canonical.some((b, i) => b !== bytes[i])) {
    throw new ArchiveError('the archive is not in canonical form (modified or not written by vib3 ext pack)');
  }
  return files;
}
