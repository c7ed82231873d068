/**
 * The SBOM `vib3 ext build` writes: what esbuild actually bundled into the extension (from the
 * build's metafile, not the dependency tree) and the build outputs as `file` components. Written
 * to `dist/sbom.cdx.json`, so `vib3 ext pack` ships it and the package signature covers it. It
 * is deterministic (timestamp from `SOURCE_DATE_EPOCH` when set): where the build came from is
 * provenance's business (`vib3 ext sign`), so a rebuild from the same sources is byte-identical.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { bundledPackages, type BundledPackage, type Metafile } from './bundled-packages.js';
import { writeSbom } from './cyclonedx.js';
import { findLockfile } from './lockfile.js';

/** What {@link extensionSbom} needs from a finished build. */
export interface ExtensionBuild {
  /** The extension folder. */
  root: string;
  manifest: Vib3ExtensionManifest;
  /** esbuild's metafile of the build (paths relative to `root`). */
  metafile: Metafile;
  /** Every file the build wrote (absolute paths); each becomes a `file` component. */
  outputs: string[];
  /** Tools and versions (vib3-embed, esbuild). */
  tools: { name: string; version: string }[];
}

/** The package URL of an extension: `pkg:generic/<id>@<version>` (extensions are not npm packages). */
export const extensionPurl = (m: Pick<Vib3ExtensionManifest, 'id' | 'version'>) => `pkg:generic/${m.id}@${m.version}`;

/** The SBOM text and the bundled packages it lists. */
export function extensionSbom(build: ExtensionBuild): { json: string; packages: BundledPackage[]; warnings: string[] } {
  const { root, manifest } = build;
  const warnings: string[] = [];
  const packages = bundledPackages([{ metafile: build.metafile, cwd: root }], root);
  const lockfile = findLockfile(root);
  if (packages.length && !lockfile) warnings.push('no package-lock.json above the extension: bundled packages are listed without their registry hashes (run npm install to create one).');
  const files = new Map(build.outputs.map((abs) => [relative(root, abs).split(sep).join('/'), readFileSync(abs) as Uint8Array]));
  const properties: [string, string][] = [['vib3:build:command', 'vib3 ext build']];
  const json = writeSbom({
    subject: { type: 'library', name: manifest.id, version: manifest.version, purl: extensionPurl(manifest), ...(manifest.description ? { description: manifest.description } : {}) },
    bundled: packages,
    files,
    ...(lockfile ? { lockfile } : {}),
    tools: build.tools,
    properties,
  });
  return { json, packages, warnings };
}

/** The folder the SBOM goes to inside the extension. */
export const sbomFile = (root: string) => join(root, 'dist', 'sbom.cdx.json');
