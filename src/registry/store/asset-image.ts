/**
 * What a listing asset upload must be: a name the target's image specs know (`<slot>`, or
 * `<slot>-<n>` for slots that take several images), and bytes whose real format and pixel size —
 * read from the image's own header, never from the request — are exactly the slot's. WebM clips
 * carry no size in a header we read: they are accepted at the slot's declared size.
 */
import { imageInfo } from '../../extensions/compliance/images.js';
import { isTargetId, PARTNER_TARGETS, type ImageSpec, type TargetId } from '../../listings/partners/targets.js';
import { RegistryError } from '../errors.js';

/** A resolved asset name: the target, its slot's spec, and the index for multi-image slots. */
export interface AssetSlot {
  target: TargetId;
  name: string;
  spec: ImageSpec;
  /** 1-based index of `<slot>-<n>` names. */
  n?: number;
}

/** An upload's image as read from its bytes. */
export interface AssetImage {
  type: string;
  width: number;
  height: number;
}

const MIME: Record<ImageSpec['format'], string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', webm: 'video/webm' };
const FORMAT_OF: Record<string, ImageSpec['format']> = { png: 'png', jpeg: 'jpeg', webp: 'webp' };

/** The media types an upload may be sent as (the bytes decide what it is). */
export const ASSET_MEDIA_TYPES = ['image/png', 'image/webp', 'image/jpeg', 'video/webm', 'application/octet-stream'];

/** Every asset name a target takes: `<slot>` or `<slot>-1` … `<slot>-<max>`. */
export function assetNames(spec: ImageSpec): string[] {
  const max = spec.count?.max ?? 1;
  return max > 1 ? Array.from({ length: max }, (_, i) => `${spec.slot}-${i + 1}`) : [spec.slot];
}

/**
 * The slot `name` stands for in `targetParam`'s image specs.
 *
 * @throws RegistryError 404 `TARGET_NOT_FOUND` for an unknown target; 422 `UNKNOWN_SLOT` for a
 *   name the target does not take (targets without images take none).
 */
export function resolveAssetSlot(targetParam: string, name: string): AssetSlot {
  if (!isTargetId(targetParam)) {
    throw new RegistryError(404, 'TARGET_NOT_FOUND', `No partner target ${JSON.stringify(targetParam.slice(0, 40))}.`, `Use one of ${Object.keys(PARTNER_TARGETS).join(', ')} (docs/LISTINGS.md).`);
  }
  const rules = PARTNER_TARGETS[targetParam];
  for (const spec of rules.images) {
    const names = assetNames(spec);
    const at = names.indexOf(name);
    if (at >= 0) return { target: targetParam, name, spec, ...(names.length > 1 ? { n: at + 1 } : {}) };
  }
  const known = rules.images.map((s) => ((s.count?.max ?? 1) > 1 ? `${s.slot}-1…${s.slot}-${s.count!.max}` : s.slot));
  throw new RegistryError(
    422,
    'UNKNOWN_SLOT',
    `${rules.name} has no image ${JSON.stringify(name.slice(0, 70))}.`,
    known.length ? `Upload one of ${known.join(', ')} (the names vib3 ext previews writes).` : `${rules.name} takes no images.`,
  );
}

/** Whether `bytes` start like a WebM (Matroska EBML header). */
function isWebm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

/**
 * The image `bytes` hold, checked against `slot`: same format, exactly the spec's width × height.
 *
 * @throws RegistryError 422 `IMAGE_UNREADABLE` (not a PNG, JPEG, WebP or WebM), `IMAGE_WRONG_FORMAT`,
 *   `IMAGE_WRONG_SIZE`.
 */
export function checkAssetImage(bytes: Uint8Array, slot: AssetSlot): AssetImage {
  const { spec } = slot;
  const size = `${spec.width}×${spec.height}`;
  const hint = `Render it with "vib3 ext previews --targets ${slot.target}", which writes every slot at its exact size and format.`;
  let found: AssetImage;
  if (isWebm(bytes)) {
    found = { type: MIME.webm, width: spec.width, height: spec.height };
  } else {
    const info = imageInfo(bytes);
    const format = info ? FORMAT_OF[info.type] : undefined;
    if (!info || !format) throw new RegistryError(422, 'IMAGE_UNREADABLE', `${slot.target}/${slot.name} is not a PNG, JPEG, WebP or WebM file.`, hint);
    found = { type: MIME[format], width: info.width, height: info.height };
  }
  if (found.type !== MIME[spec.format]) {
    throw new RegistryError(422, 'IMAGE_WRONG_FORMAT', `${slot.target}/${slot.name} is ${found.type}; ${PARTNER_TARGETS[slot.target].name} wants ${MIME[spec.format]}.`, hint);
  }
  if (found.width !== spec.width || found.height !== spec.height) {
    throw new RegistryError(422, 'IMAGE_WRONG_SIZE', `${slot.target}/${slot.name} is ${found.width}×${found.height}; ${PARTNER_TARGETS[slot.target].name} wants exactly ${size}.`, `${hint} Images are never resized by the registry.`, { expected: { width: spec.width, height: spec.height }, actual: { width: found.width, height: found.height } });
  }
  return found;
}
