/**
 * Which images to render: the image specs of partner targets (`PARTNER_TARGETS` of
 * `../partners/targets.ts`) or of a spec file, and the plan that turns specs and presets into
 * files: `<target>/<slot>[-n].<ext>`, n = the preset's 1-based index for slots that take several
 * images (one per preset, up to `count.max`); slots taking one image get the first preset.
 * Pure (the caller reads spec files).
 */
import { PARTNER_TARGETS, TARGET_IDS, type ImageSpec, type TargetId } from '../partners/targets.js';
import { PreviewError } from './errors.js';

/** Image specs by target name. */
export type TargetSpecs = Record<string, ImageSpec[]>;

/** One file to write. */
export interface CaptureJob {
  target: string;
  slot: string;
  /** Index into the preset list (0-based). */
  preset: number;
  width: number;
  height: number;
  format: ImageSpec['format'];
  /** Path under the output folder (POSIX). */
  file: string;
  /** The partner's own file name for it (`fileName` of the spec, `{n}` filled in), if it has one. */
  partnerFileName?: string;
}

/**
 * The image specs of `targets` (target ids, or `all`).
 * @throws PreviewError TARGET_INVALID for an unknown target id.
 */
export function partnerSpecs(targets: readonly string[] | 'all'): TargetSpecs {
  const ids = targets === 'all' ? [...TARGET_IDS] : targets;
  const out: TargetSpecs = {};
  for (const id of ids) {
    if (!(TARGET_IDS as readonly string[]).includes(id)) {
      throw new PreviewError('TARGET_INVALID', `unknown target "${id}".`, `Use one or more of: ${TARGET_IDS.join(', ')} (comma-separated), or all.`);
    }
    const images = PARTNER_TARGETS[id as TargetId].images;
    if (images.length > 0) out[id] = [...images];
  }
  return out;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FORMATS: readonly string[] = ['png', 'jpeg', 'webp', 'webm'];

/**
 * Checks a spec list read from a file: `{ "<target>": ImageSpec[] }`.
 * @throws PreviewError TARGET_INVALID naming the first bad entry.
 */
export function checkSpecs(input: unknown): TargetSpecs {
  const bad = (where: string, why: string) => new PreviewError('TARGET_INVALID', `spec ${where}: ${why}.`, 'Write { "<target>": [ { "slot", "width", "height", "format": "png|jpeg|webp|webm", "count"?: { "min", "max" }, "required" } ] }.');
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw bad('file', 'not an object of targets');
  const out: TargetSpecs = {};
  for (const [target, list] of Object.entries(input as Record<string, unknown>)) {
    if (!NAME.test(target)) throw bad(target, 'target names are lowercase letters, digits and dashes');
    if (!Array.isArray(list)) throw bad(target, 'not an array of image specs');
    out[target] = list.map((raw, i) => {
      const s = raw as Partial<ImageSpec>;
      const where = `${target}[${i}]`;
      if (typeof s.slot !== 'string' || !NAME.test(s.slot)) throw bad(where, 'slot must be lowercase letters, digits and dashes');
      for (const k of ['width', 'height'] as const) if (!Number.isInteger(s[k]) || s[k]! < 1 || s[k]! > 4096) throw bad(where, `${k} must be an integer 1..4096`);
      if (typeof s.format !== 'string' || !FORMATS.includes(s.format)) throw bad(where, `format must be one of ${FORMATS.join(', ')}`);
      if (s.count !== undefined && !(Number.isInteger(s.count.min) && Number.isInteger(s.count.max) && s.count.max >= 1)) throw bad(where, 'count must be { min, max } integers');
      return { slot: s.slot, width: s.width!, height: s.height!, format: s.format, required: s.required === true, ...(s.count ? { count: s.count } : {}), ...(s.fileName ? { fileName: s.fileName } : {}) };
    });
  }
  return out;
}

/** File extension of a format. */
export function extensionOf(format: ImageSpec['format']): string {
  return format === 'jpeg' ? 'jpg' : format;
}

/** Slots that want more images than there are presets (`count.min` > presets), as warnings. */
export function shortfalls(specs: TargetSpecs, presetCount: number): string[] {
  return Object.entries(specs).flatMap(([target, list]) =>
    list.filter((s) => (s.count?.min ?? 0) > presetCount).map((s) => `${target} wants at least ${s.count!.min} ${s.slot} images; the manifest declares ${presetCount} preset${presetCount === 1 ? '' : 's'} (add presets to marketplace.presets).`),
  );
}

/** Every file to write for `specs` with `presetCount` presets. */
export function planCaptures(specs: TargetSpecs, presetCount: number): CaptureJob[] {
  const jobs: CaptureJob[] = [];
  for (const [target, list] of Object.entries(specs)) {
    const repeated = new Set(list.map((s) => s.slot).filter((slot, i, all) => all.indexOf(slot) !== i));
    for (const spec of list) {
      // Two specs of one slot (e.g. a banner at 1x and 2x) are told apart by their size.
      const stem = repeated.has(spec.slot) ? `${spec.slot}-${spec.width}x${spec.height}` : spec.slot;
      const many = (spec.count?.max ?? 1) > 1;
      const count = many ? Math.min(spec.count!.max, presetCount) : 1;
      for (let preset = 0; preset < count; preset++) {
        const n = preset + 1;
        jobs.push({
          target,
          slot: spec.slot,
          preset,
          width: spec.width,
          height: spec.height,
          format: spec.format,
          file: `${target}/${stem}${many ? `-${n}` : ''}.${extensionOf(spec.format)}`,
          ...(spec.fileName ? { partnerFileName: spec.fileName.replace(/\{n\}/g, String(n)) } : {}),
        });
      }
    }
  }
  return jobs;
}
