/**
 * `renderPreviews`: renders an extension's listing images and clips from the extension itself,
 * in a real headless Chromium — one fresh page per preset, the kit's `<vib3-canvas>` with the
 * package installed and activated in an ExtensionHost — and writes
 * `<out>/<target>/<slot>[-n].<ext>` plus `<out>/previews.json` (every file with its target,
 * slot, preset, size, SHA-256 and pixel statistics). Stills are the element's own `snapshot()`
 * of a paused instant (`time`), so they do not depend on the machine's speed. Node-only.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { VERSION } from '../../core/version.js';
import { launchChromium, type FlagSet } from './chromium.js';
import { PreviewError } from './errors.js';
import { kitDistDir } from './kit-files.js';
import { PREVIEW_HTML, PREVIEW_SCRIPT } from './page.js';
import { presetsOf, presetTitle, type PreviewPreset } from './presets.js';
import { openPreset, type ImageStats, type PresetSession } from './session.js';
import { startPreviewServer } from './server.js';
import { loadPreviewSource } from './source.js';
import { planCaptures, shortfalls, type CaptureJob, type TargetSpecs } from './specs.js';

/** The instant (element `time`, ms) stills show unless a preset sets `time`. */
export const DEFAULT_TIME_MS = 1500;
/** Length of animated previews (WebM), ms. */
export const DEFAULT_CLIP_MS = 2500;
/** Below this luminance spread a still counts as blank (reported as a warning). */
export const BLANK_LUMINANCE_STD = 2;

/** Options of {@link renderPreviews}. */
export interface RenderPreviewsOptions {
  /** An extension folder (built) or a .vib3x package. */
  input: string;
  /** Output folder. */
  out: string;
  /** The image specs to render, by target. */
  specs: TargetSpecs;
  /** Chromium flag set: `plain` (WebGL2, default) or `webgpu`. */
  flagSet?: FlagSet;
  /** Element time of the stills, ms (default {@link DEFAULT_TIME_MS}); a preset's `params.time` overrides it. */
  timeMs?: number;
  /** Length of WebM clips, ms (default {@link DEFAULT_CLIP_MS}). */
  clipMs?: number;
  /** Progress lines (one per preset, and warnings). */
  progress?: (line: string) => void;
  /** Environment (VIB3_CHROMIUM). */
  env?: NodeJS.ProcessEnv;
}

/** One written file, as previews.json lists it. */
export interface PreviewFile {
  /** Path under the output folder (POSIX). */
  file: string;
  target: string;
  slot: string;
  /** Preset name. */
  preset: string;
  width: number;
  height: number;
  format: CaptureJob['format'];
  bytes: number;
  sha256: string;
  partnerFileName?: string;
  /** Pixel statistics of stills. */
  stats?: ImageStats;
  /** Clips: canvas frames recorded. */
  frames?: number;
}

/** What {@link renderPreviews} wrote (also the content of previews.json, with `out` relative). */
export interface PreviewsResult {
  extension: { id: string; version: string };
  kitVersion: string;
  /** The canvas backend used (`webgl2`, `webgpu`, or `extension` for renderer extensions). */
  backend: string;
  flagSet: FlagSet;
  timeMs: number;
  presets: { index: number; name: string; title: string; timeMs: number; params: Record<string, unknown>; mesh: string; theme?: string; tool?: string }[];
  files: PreviewFile[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The viewport every size fits in. */
function viewportFor(jobs: CaptureJob[]): { width: number; height: number } {
  return { width: Math.max(64, ...jobs.map((j) => j.width)), height: Math.max(64, ...jobs.map((j) => j.height)) };
}

/** Renders the jobs of one preset (identical sizes and formats are rendered once). */
async function renderPreset(session: PresetSession, jobs: CaptureJob[], preset: PreviewPreset, out: string, clipMs: number, progress: (line: string) => void): Promise<PreviewFile[]> {
  const done = new Map<string, { bytes: Uint8Array; stats?: ImageStats; frames?: number }>();
  const files: PreviewFile[] = [];
  for (const job of jobs) {
    const key = `${job.width}x${job.height}.${job.format}`;
    let made = done.get(key);
    if (!made) {
      if (job.format === 'webm') {
        const clip = await session.clip(job.width, job.height, clipMs);
        made = { bytes: clip.bytes, frames: clip.frames };
      } else {
        const still = await session.still(job.width, job.height, job.format);
        made = { bytes: still.bytes, stats: still.stats };
        if (still.stats.luminanceStd < BLANK_LUMINANCE_STD) progress(`  warning: ${job.file} looks blank (luminance spread ${still.stats.luminanceStd}); check the preset "${preset.name}".`);
        if (still.scaled) progress(`  note: ${job.file} was scaled from the renderer extension's frame to ${job.width}x${job.height}.`);
      }
      done.set(key, made);
    }
    const path = join(out, job.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, made.bytes);
    files.push({
      file: job.file,
      target: job.target,
      slot: job.slot,
      preset: preset.name,
      width: job.width,
      height: job.height,
      format: job.format,
      bytes: made.bytes.length,
      sha256: sha256(made.bytes),
      ...(job.partnerFileName ? { partnerFileName: job.partnerFileName } : {}),
      ...(made.stats ? { stats: made.stats } : {}),
      ...(made.frames !== undefined ? { frames: made.frames } : {}),
    });
  }
  return files;
}

/**
 * Renders every image and clip `options.specs` asks for, one fresh page per preset, and writes
 * them with previews.json into `options.out`.
 * @throws PreviewError MANIFEST_NOT_FOUND, MANIFEST_INVALID, PACKAGE_INVALID, EXTENSION_NOT_BUILT,
 *   PRESET_INVALID, TARGET_INVALID, KIT_FILES_NOT_FOUND, CHROMIUM_NOT_FOUND, PLAYWRIGHT_MISSING, PREVIEW_RENDER_FAILED.
 */
export async function renderPreviews(options: RenderPreviewsOptions): Promise<PreviewsResult> {
  const progress = options.progress ?? (() => undefined);
  const flagSet = options.flagSet ?? 'plain';
  const source = await loadPreviewSource(options.input);
  const presets = presetsOf(source.manifest);
  const jobs = planCaptures(options.specs, presets.length);
  if (jobs.length === 0) throw new PreviewError('TARGET_INVALID', 'None of the chosen targets takes an image.', 'Choose targets with image slots (e.g. --targets registry,wordpress) or all.');
  for (const warning of shortfalls(options.specs, presets.length)) progress(`warning: ${warning}`);
  const kitDir = kitDistDir();
  const out = resolve(options.out);
  const server = await startPreviewServer({ html: PREVIEW_HTML, script: PREVIEW_SCRIPT, pkg: source.pkg, kitDir });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(flagSet, options.env);
    const result: PreviewsResult = { extension: { id: source.manifest.id, version: source.manifest.version }, kitVersion: VERSION, backend: 'none', flagSet, timeMs: options.timeMs ?? DEFAULT_TIME_MS, presets: [], files: [] };
    const used = [...new Set(jobs.map((j) => j.preset))].sort((a, b) => a - b);
    for (const index of used) {
      const preset = presets[index]!;
      const mine = jobs.filter((j) => j.preset === index);
      const started = performance.now();
      const timeMs = typeof preset.params?.['time'] === 'number' ? preset.params['time'] : result.timeMs;
      const { time: _time, ...params } = preset.params ?? {};
      const session = await openPreset(browser, `${server.url}/`, viewportFor(mine), { extensionId: source.manifest.id, publicJwk: { ...source.publicJwk }, timeMs, probeRenderer: 'rendering' in source.manifest.capabilities }, { ...preset, params });
      try {
        result.backend = session.backend;
        result.files.push(...(await renderPreset(session, mine, preset, out, options.clipMs ?? DEFAULT_CLIP_MS, progress)));
        result.presets.push({ index: index + 1, name: preset.name, title: presetTitle(preset), timeMs, params: session.params, mesh: session.mesh, ...(preset.theme ? { theme: preset.theme } : {}), ...(preset.tool ? { tool: preset.tool.name } : {}) });
      } finally {
        await session.close();
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      progress(`preset ${index + 1}/${presets.length} "${preset.name}": ${mine.length} file${mine.length === 1 ? '' : 's'} (${session.backend}, ${seconds} s)`);
    }
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'previews.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
  }
}
