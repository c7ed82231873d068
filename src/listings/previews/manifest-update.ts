/**
 * `--update-manifest`: copies the registry target's rendered stills (one per preset) into the
 * extension folder as `assets/previews/<preset>.<ext>` and rewrites `marketplace.previews` to
 * list exactly them (alt text from the preset's title, width, height, preset), so the next
 * `vib3 ext pack` ships real previews. Local files the old list named under assets/ that the
 * new list does not are removed (they were previews; a stale placeholder must not ship).
 * Node-only.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { PreviewError } from './errors.js';
import type { PreviewsResult } from './render.js';
import { extensionOf } from './specs.js';

/** One entry of `marketplace.previews`. */
export interface ManifestPreview {
  src: string;
  alt: string;
  width: number;
  height: number;
  preset: string;
}

/** What {@link updateManifestPreviews} changed. */
export interface ManifestUpdate {
  /** The new `marketplace.previews`. */
  previews: ManifestPreview[];
  /** Files written, relative to the extension folder. */
  written: string[];
  /** Stale preview files removed, relative to the extension folder. */
  removed: string[];
}

const MAX_ALT = 200;

/**
 * Lists the registry stills of `result` (rendered into `out`) in the extension folder `dir`.
 * @throws PreviewError TARGET_INVALID when no registry still was rendered, MANIFEST_INVALID when there is no marketplace block.
 */
export function updateManifestPreviews(dir: string, out: string, result: PreviewsResult): ManifestUpdate {
  const file = join(dir, 'extension.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { marketplace?: { title?: string; previews?: Array<{ src?: string }>; presets?: Array<{ name: string; title?: string }> } };
  if (!manifest.marketplace) throw new PreviewError('MANIFEST_INVALID', 'extension.json has no marketplace block to list previews in.', 'Add marketplace { title, summary, categories, pricing } first (vib3 ext lint shows what is missing).');
  const stills = result.files.filter((f) => f.target === 'registry' && f.format !== 'webm');
  if (stills.length === 0) throw new PreviewError('TARGET_INVALID', '--update-manifest lists the registry target\'s images, and none were rendered.', 'Include registry in --targets (or use --targets all).');
  const previews: ManifestPreview[] = [];
  const written: string[] = [];
  for (const preset of result.presets) {
    // The registry's first still slot for this preset (one listing image per preset).
    const still = stills.find((f) => f.preset === preset.name);
    if (!still) continue;
    const src = `assets/previews/${preset.name}.${extensionOf(still.format)}`;
    mkdirSync(join(dir, 'assets', 'previews'), { recursive: true });
    copyFileSync(join(out, still.file), join(dir, src));
    written.push(src);
    const title = manifest.marketplace.title ? `${manifest.marketplace.title}: ${preset.title}` : preset.title;
    previews.push({ src, alt: title.length > MAX_ALT ? `${title.slice(0, MAX_ALT - 1)}…` : title, width: still.width, height: still.height, preset: preset.name });
  }
  const root = normalize(join(dir, 'assets')) + sep;
  const removed: string[] = [];
  for (const old of manifest.marketplace.previews ?? []) {
    const src = old.src;
    if (!src || src.startsWith('https://') || written.includes(src)) continue;
    const path = normalize(join(dir, src));
    if (path.startsWith(root) && existsSync(path)) {
      rmSync(path);
      removed.push(src);
    }
  }
  manifest.marketplace.previews = previews;
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return { previews, written, removed };
}
