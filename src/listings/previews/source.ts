/**
 * The extension a preview renders, as a package the page's ExtensionHost can install: a built
 * extension folder (packed as `vib3 ext pack` would) or a .vib3x package, signed in memory with a
 * throwaway key that only this preview's host trusts. A preview shows the publisher's own
 * package, so re-signing changes nothing it renders (the files are the same bytes); the real
 * signature is checked where it matters, at install and publish. Node-only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectPackageFiles } from '../../cli/fs-files.js';
import { readArchive, type PackageFiles } from '../../extensions/signing/archive.js';
import { generateEd25519, keyIdOf, type Ed25519Jwk } from '../../extensions/signing/ed25519.js';
import { MANIFEST_FILE, packFiles, signPackage } from '../../extensions/signing/package.js';
import { lintManifest } from '../../extensions/manifest/lint.js';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { PreviewError } from './errors.js';

/** An extension ready to preview. */
export interface PreviewSource {
  /** `folder` (an extension project) or `package` (a .vib3x file). */
  kind: 'folder' | 'package';
  /** The absolute path given. */
  path: string;
  manifest: Vib3ExtensionManifest;
  /** The package, signed with {@link PreviewSource.publicJwk}'s private half. */
  pkg: Uint8Array;
  /** The throwaway public key the package is signed with. */
  publicJwk: Ed25519Jwk;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Reads the files of a folder or a package. */
function readFiles(path: string): { kind: PreviewSource['kind']; files: PackageFiles } {
  if (!existsSync(path)) throw new PreviewError('MANIFEST_NOT_FOUND', `${path} not found.`, 'Pass an extension folder (with extension.json and a built dist/) or a .vib3x package.');
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, MANIFEST_FILE))) throw new PreviewError('MANIFEST_NOT_FOUND', `${join(path, MANIFEST_FILE)} not found: ${path} is not an extension folder.`, 'Pass an extension folder (with extension.json and a built dist/) or a .vib3x package.');
    return { kind: 'folder', files: collectPackageFiles(path) };
  }
  try {
    const files = readArchive(readFileSync(path));
    if (!files.has(MANIFEST_FILE)) throw new Error('it has no extension.json');
    return { kind: 'package', files };
  } catch (err) {
    throw new PreviewError('PACKAGE_INVALID', `${path} is not a readable extension package: ${(err as Error).message}`, 'Pass a .vib3x written by vib3 ext pack / sign, or the extension folder.');
  }
}

/**
 * Loads and checks the extension at `path` and signs it for the preview page.
 * @throws PreviewError MANIFEST_NOT_FOUND, PACKAGE_INVALID, MANIFEST_INVALID, EXTENSION_NOT_BUILT.
 */
export async function loadPreviewSource(path: string): Promise<PreviewSource> {
  const abs = resolve(path);
  const { kind, files } = readFiles(abs);
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(files.get(MANIFEST_FILE)!));
  } catch (err) {
    throw new PreviewError('MANIFEST_INVALID', `extension.json is not JSON: ${(err as Error).message}`, 'vib3 ext lint lists every problem with a suggestion.');
  }
  const lint = lintManifest(raw);
  if (!lint.valid || !lint.manifest) {
    const first = lint.problems.filter((p) => p.severity === 'error').slice(0, 3).map((p) => `${p.code} at ${p.pointer || '/'}`);
    throw new PreviewError('MANIFEST_INVALID', `extension.json has errors (${first.join(', ')}).`, 'vib3 ext lint lists every problem with a suggestion.');
  }
  const manifest = lint.manifest;
  for (const [key, file] of Object.entries(manifest.entrypoints)) {
    if (key !== 'ui' && typeof file === 'string' && !files.has(file)) {
      throw new PreviewError('EXTENSION_NOT_BUILT', `entrypoints.${key} (${file}) is not in the ${kind}.`, kind === 'folder' ? `Build it first: vib3 ext build ${path}` : 'Pack the extension after building it (vib3 ext build, then vib3 ext pack).');
    }
  }
  // Sign with a throwaway key: the preview page's host trusts exactly it.
  const { publicJwk, privateJwk } = await generateEd25519();
  const keyId = await keyIdOf(publicJwk);
  const unsigned = { ...(raw as Record<string, unknown>), publisher: { ...((raw as { publisher?: object }).publisher ?? {}), keyId } };
  delete (unsigned as { signature?: unknown }).signature;
  const copy = new Map(files);
  copy.set(MANIFEST_FILE, encoder.encode(JSON.stringify(unsigned)));
  const pkg = await signPackage(packFiles(copy), privateJwk);
  return { kind, path: abs, manifest, pkg, publicJwk };
}
