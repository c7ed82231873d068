/**
 * What `vib3 listing …` reads from disk (node-only): an extension (a folder with extension.json,
 * or a `.vib3x` package) as a {@link ListingDocument}, and the rendered images of one target from
 * an images folder laid out `<dir>/<target>/<slot>[-n].<ext>` (what `vib3 ext previews` writes).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CliError } from './errors.js';
import { collectPackageFiles } from './fs-files.js';
import { ArchiveError, readArchive, type PackageFiles } from '../extensions/signing/archive.js';
import { MANIFEST_FILE } from '../extensions/signing/package.js';
import { validateManifest } from '../extensions/manifest/validate.js';
import { imageInfo } from '../extensions/compliance/images.js';
import { buildListing } from '../listings/build.js';
import { normalizeToolName } from '../agent/toolpack/names.js';
import type { ListingDocument } from '../listings/types.js';
import type { ListingAssets } from '../listings/partners/adapter.js';

/** An extension read from disk: its listing, and the package bytes when it was a package. */
export interface ListingSource {
  listing: ListingDocument;
  /** The `.vib3x` bytes (for targets that ship the package, e.g. npm). */
  package?: Uint8Array;
}

/** The files of a folder or a package. */
function readFiles(target: string): { files: PackageFiles; bytes?: Uint8Array } {
  if (!existsSync(target)) throw new CliError(`${target} not found.`, 1, 'FILE_NOT_FOUND', 'Pass an extension folder (with extension.json) or a .vib3x package.');
  if (statSync(target).isDirectory()) {
    if (!existsSync(join(target, MANIFEST_FILE))) throw new CliError(`${join(target, MANIFEST_FILE)} not found.`, 2, 'MANIFEST_NOT_FOUND', 'Pass an extension folder (with extension.json) or a .vib3x package.');
    return { files: collectPackageFiles(target) };
  }
  const bytes = new Uint8Array(readFileSync(target));
  try {
    return { files: readArchive(bytes), bytes };
  } catch (err) {
    if (err instanceof ArchiveError) throw new CliError(`${target} is not a .vib3x package: ${err.message}.`, 1, 'PACKAGE_INVALID', 'Pass a package made by vib3 ext pack, or the extension folder.');
    throw err;
  }
}

/**
 * The tools of the package's tool pack (a toolpack.json, or the bare `{ tools }` listing of older
 * builds), or none; legacy `<id>/<tool>` names are listed dotted.
 */
function toolsOf(files: PackageFiles, toolPack: string | undefined, id: string): ListingDocument['tools'] {
  const raw = toolPack ? files.get(toolPack) : undefined;
  if (!raw) return [];
  try {
    const pack = JSON.parse(new TextDecoder().decode(raw)) as { tools?: Array<{ name?: unknown; description?: unknown }> };
    return (pack.tools ?? []).flatMap((t) => (typeof t.name === 'string' ? [{ name: normalizeToolName(id, t.name), description: typeof t.description === 'string' ? t.description : '' }] : []));
  } catch {
    throw new CliError(`${toolPack} is not valid JSON.`, 1, 'TOOLPACK_INVALID', 'Rebuild it with vib3 ext build.');
  }
}

/**
 * The listing of an extension folder or package, as the registry at `registryUrl` would build it
 * once published. A local listing has no registry history: its version is treated as the one on
 * the stable channel, with no earlier versions and no installs.
 */
export function readListingSource(target: string, registryUrl: string): ListingSource {
  const { files, bytes } = readFiles(target);
  const raw = files.get(MANIFEST_FILE);
  if (!raw) throw new CliError(`${target} has no ${MANIFEST_FILE}.`, 1, 'MANIFEST_NOT_FOUND', 'Pack the extension with vib3 ext pack.');
  const result = validateManifest(new TextDecoder().decode(raw));
  if (!result.valid || !result.manifest) {
    const problems = result.problems.filter((p) => p.severity === 'error');
    throw new CliError(`${MANIFEST_FILE} has ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, 1, 'MANIFEST_INVALID', 'Fix them (vib3 ext lint shows each with a suggestion).', { problems });
  }
  const manifest = result.manifest;
  const listing = buildListing(manifest, { registryUrl, channels: { stable: manifest.version }, tools: toolsOf(files, manifest.entrypoints.toolPack, manifest.id) });
  return { listing, ...(bytes ? { package: bytes } : {}) };
}

const MIME = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' } as const;

/**
 * The images of `target` under `dir/<target>/`, keyed by file stem (`icon`, `screenshot-1`), with
 * the type and size read from each file's header. A missing folder gives no images (the rules then
 * report what is missing); files that are not raster images are left out.
 */
export function readTargetImages(dir: string, target: string): ListingAssets['images'] {
  const images = new Map<string, { bytes: Uint8Array; width: number; height: number; type: string }>();
  const folder = join(dir, target);
  if (!existsSync(dir)) throw new CliError(`${dir} not found.`, 1, 'FILE_NOT_FOUND', 'Pass the folder vib3 ext previews wrote (it holds one folder per target).');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return images;
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (name.startsWith('.') || !statSync(path).isFile()) continue;
    const bytes = new Uint8Array(readFileSync(path));
    const info = imageInfo(bytes);
    if (!info) continue;
    images.set(name.slice(0, name.length - extname(name).length), { bytes, width: info.width, height: info.height, type: MIME[info.type] });
  }
  return images;
}
