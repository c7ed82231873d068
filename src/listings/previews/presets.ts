/**
 * The presets a preview is rendered with: `marketplace.presets` of extension.json (canvas
 * parameters, theme pack, a tool of the extension to call), or one `default` preset when the
 * manifest declares none. Checks what the schema cannot: unique names, and previews that name a
 * preset that exists. Everything the page decides (parameter names and values, theme packs,
 * tools) is checked there, with the same error code. Browser-safe (pure).
 */
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { PreviewError } from './errors.js';

/** One preset, as `marketplace.presets[]` declares it. */
export interface PreviewPreset {
  name: string;
  title?: string;
  params?: Record<string, number | string | boolean>;
  theme?: string;
  tool?: { name: string; input?: Record<string, unknown> };
}

/** The preset used when a manifest declares none: the extension as it activates, on the default canvas. */
export const DEFAULT_PRESET: PreviewPreset = { name: 'default' };

/**
 * The presets of `manifest`, in order (their 1-based index numbers the images of multi-image slots).
 * @throws PreviewError PRESET_INVALID for duplicate names or a preview naming an unknown preset.
 */
export function presetsOf(manifest: Vib3ExtensionManifest): PreviewPreset[] {
  // The generated type spells maxItems as tuples; read the list as what it is.
  const marketplace = manifest.marketplace as { presets?: PreviewPreset[]; previews?: Array<{ preset?: string }> } | undefined;
  const presets: PreviewPreset[] = marketplace?.presets ?? [];
  const seen = new Set<string>();
  for (const [i, p] of presets.entries()) {
    if (seen.has(p.name)) throw new PreviewError('PRESET_INVALID', `marketplace.presets[${i}] repeats the name "${p.name}".`, 'Give every preset its own name (it names the preview files).');
    seen.add(p.name);
  }
  // Without declared presets, previews rendered with the default one name it.
  if (presets.length === 0) seen.add(DEFAULT_PRESET.name);
  const previews = marketplace?.previews ?? [];
  for (const [i, p] of previews.entries()) {
    if (p.preset !== undefined && !seen.has(p.preset)) {
      throw new PreviewError('PRESET_INVALID', `marketplace.previews[${i}] names preset "${p.preset}", which marketplace.presets does not declare.`, `Declare it in marketplace.presets, or run vib3 ext previews --update-manifest to list the rendered previews.`);
    }
  }
  return presets.length > 0 ? presets.map((p) => ({ ...p })) : [{ ...DEFAULT_PRESET }];
}

/** The caption of a preset: its title, else its name. */
export function presetTitle(preset: PreviewPreset): string {
  return preset.title ?? preset.name;
}
