/**
 * Reading an npm package tarball (what `npm pack` writes: gzip'd tar, every path under
 * `package/`) into memory with the `tar` library, as the release and its verifier compare files.
 */
import { Parser, type ReadEntry } from 'tar';
import { SupplyChainError } from '../../errors.js';

/** The files of a package tarball: path without the `package/` prefix -> bytes. */
export type TarballFiles = Map<string, Uint8Array>;

/** The most a tarball may unpack to (the kit unpacks to a few MB). */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
const PREFIX = 'package/';

const invalid = (message: string, name: string) =>
  new SupplyChainError('TARBALL_INVALID', `${name}: ${message}`, 'The tarball is damaged or is not an npm package tarball; obtain it again (or rerun npm run release).', name);

/**
 * The regular files of an npm tarball. Throws `TARBALL_INVALID` for a damaged archive, a path
 * outside `package/` (or with `..`), a path given twice, or more than 512 MB unpacked. Folder
 * entries are skipped; links and devices are refused (npm never packs them).
 */
export function readTarball(bytes: Uint8Array, name = 'the tarball'): Promise<TarballFiles> {
  return new Promise((resolve, reject) => {
    const files: TarballFiles = new Map();
    let total = 0;
    let failed = false;
    const fail = (err: SupplyChainError) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    // strict: every tar warning (bad checksum, truncation, …) is an error.
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const path = entry.path;
      if (entry.type === 'Directory') return entry.resume();
      if (entry.type !== 'File' && entry.type !== 'OldFile') {
        entry.resume();
        return fail(invalid(`${path} is a ${entry.type}, not a regular file.`, name));
      }
      if (!path.startsWith(PREFIX) || path.split('/').includes('..') || path.length === PREFIX.length) {
        entry.resume();
        return fail(invalid(`${path} is not a file under package/.`, name));
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => {
        total += c.length;
        if (total > MAX_UNPACKED_BYTES) fail(invalid('it unpacks to more than 512 MB.', name));
        else chunks.push(c);
      });
      entry.on('end', () => {
        const rel = path.slice(PREFIX.length);
        if (files.has(rel)) return fail(invalid(`${rel} is in the archive twice.`, name));
        files.set(rel, new Uint8Array(Buffer.concat(chunks)));
      });
    });
    parser.on('error', (err: Error) => fail(invalid(`not a readable tar.gz (${err.message}).`, name)));
    parser.on('end', () => {
      if (failed) return;
      if (files.size === 0) return fail(invalid('it holds no files.', name));
      resolve(files);
    });
    try {
      parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      fail(invalid(`not a readable tar.gz (${(err as Error).message}).`, name));
    }
  });
}
