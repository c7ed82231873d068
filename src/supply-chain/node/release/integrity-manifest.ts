/**
 * The kit's Subresource Integrity manifest (`dist/integrity.json` in the package, the same bytes
 * as `release/integrity.json`): the sha384 SRI value and size of each script-tag file, and of
 * every other browser JavaScript file the package ships (for import maps with `integrity`).
 * `scripts/build.mjs` writes it; the release and `vib3 verify-release` check it against the
 * tarball. No Node APIs (WebCrypto digests only).
 */
import { fromUtf8 } from '../../../extensions/signing/encoding.js';
import { sriSha384 } from '../../digest.js';
import { SupplyChainError } from '../../errors.js';
import type { Artifacts } from '../../provenance.js';

/** Where the manifest is in the package. */
export const INTEGRITY_PATH = 'dist/integrity.json';

/** The files a partner loads with `<script src>`: they must be in the manifest, as `scriptTag: true`. */
export const SCRIPT_TAG_FILES: readonly string[] = ['dist/vib3.iife.js', 'dist/vib3-extensions.iife.js'];

/** One pinned file. */
export interface IntegrityEntry {
  /** `sha384-<base64>`, the value of a script tag's `integrity` attribute. */
  integrity: string;
  /** Bytes. */
  size: number;
  /** Loaded with a classic `<script src>` (else an ES module or a worker script). */
  scriptTag: boolean;
}

/** The manifest as JSON. */
export interface IntegrityManifest {
  package: string;
  version: string;
  algorithm: 'sha384';
  files: Record<string, IntegrityEntry>;
}

/**
 * Whether a package path is a browser JavaScript file the manifest pins: `dist/**.js`, except
 * the Node CLI (`dist/cli/`) and the demo-only builds package.json leaves out of the tarball.
 */
export function isPinnedFile(path: string): boolean {
  return path.startsWith('dist/') && path.endsWith('.js') && !/^dist\/(cli|examples|demo-frameworks)\//.test(path);
}

/** The manifest of `files` (package path -> bytes; files it does not pin are ignored), sorted by path. */
export async function integrityManifest(pkg: { name: string; version: string }, files: Artifacts): Promise<IntegrityManifest> {
  const paths = [...files.keys()].filter(isPinnedFile).sort();
  const missing = SCRIPT_TAG_FILES.filter((p) => !files.has(p));
  if (missing.length) throw new SupplyChainError('RELEASE_INCOMPLETE', `The script-tag files ${missing.join(', ')} are missing.`, 'Run npm run build first.', missing[0]);
  const entries = await Promise.all(paths.map(async (p) => [p, { integrity: await sriSha384(files.get(p)!), size: files.get(p)!.length, scriptTag: SCRIPT_TAG_FILES.includes(p) }] as const));
  return { package: pkg.name, version: pkg.version, algorithm: 'sha384', files: Object.fromEntries(entries) };
}

/** The manifest as the file's text (two-space JSON and a newline). */
export function integrityJson(manifest: IntegrityManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const mismatch = (message: string, path?: string) =>
  new SupplyChainError('SRI_MISMATCH', message, 'The integrity values do not describe these files: rebuild (npm run build) and release again; do not publish or pin these values.', path);

/**
 * Checks a manifest against the package files: it names this package and version, every entry is
 * a shipped file with that SRI value and size, every pinned file is listed, and the script-tag
 * files are there as `scriptTag: true`. Returns the parsed manifest; throws `SRI_MISMATCH`.
 */
export async function checkIntegrityManifest(bytes: Uint8Array, files: Artifacts, pkg: { name: string; version: string }, path = 'integrity.json'): Promise<IntegrityManifest> {
  let doc: IntegrityManifest;
  try {
    doc = JSON.parse(fromUtf8(bytes)) as IntegrityManifest;
  } catch {
    throw mismatch(`${path} is not JSON.`, path);
  }
  if (typeof doc !== 'object' || doc === null || doc.algorithm !== 'sha384' || typeof doc.files !== 'object' || doc.files === null) throw mismatch(`${path} is not an integrity manifest ({ package, version, algorithm: "sha384", files }).`, path);
  if (doc.package !== pkg.name || doc.version !== pkg.version) throw mismatch(`${path} is for ${doc.package}@${doc.version}, the package is ${pkg.name}@${pkg.version}.`, path);
  for (const [file, entry] of Object.entries(doc.files)) {
    const shipped = files.get(file);
    if (!shipped) throw mismatch(`${path} lists ${file}, which the package does not ship.`, file);
    if (entry?.integrity !== (await sriSha384(shipped))) throw mismatch(`${file} does not match its integrity value in ${path}.`, file);
    if (entry.size !== shipped.length) throw mismatch(`${file} is ${shipped.length} bytes, ${path} says ${String(entry.size)}.`, file);
    if (entry.scriptTag !== SCRIPT_TAG_FILES.includes(file)) throw mismatch(`${path} marks ${file} scriptTag ${String(entry.scriptTag)}.`, file);
  }
  for (const file of files.keys()) if (isPinnedFile(file) && !doc.files[file]) throw mismatch(`${file} ships but ${path} has no integrity value for it.`, file);
  for (const file of SCRIPT_TAG_FILES) if (!doc.files[file]) throw mismatch(`${path} has no entry for the script-tag file ${file}.`, file);
  return doc;
}
