/**
 * Applies a partner's rules ({@link TargetRules}) to a listing: the copy that partner gets
 * (trimmed where the partner trims, refused where it refuses), its tags and categories, the images
 * at its exact sizes, and a coded finding for every trim, drop and refusal. Browser-safe and pure.
 *
 * | code                  | severity | when |
 * |-----------------------|----------|------|
 * | TITLE_TRIMMED / TITLE_TOO_LONG             | warning / error | title over the limit (trim / refuse) |
 * | SUMMARY_TRIMMED / SUMMARY_TOO_LONG         | warning / error | summary over the limit |
 * | DESCRIPTION_TRIMMED / DESCRIPTION_TOO_LONG | warning / error | description over the limit |
 * | TAGS_TRIMMED / TAGS_TOO_MANY               | warning / error | more tags than the partner uses (trim / refuse), or tags it ignores |
 * | TAG_TOO_LONG          | warning  | a tag longer than the partner allows (dropped) |
 * | CATEGORY_UNSUPPORTED  | warning / error | a category without a counterpart (dropped) / none has one |
 * | CATEGORIES_TRIMMED    | warning  | more mapped categories than the partner takes |
 * | IMAGE_MISSING         | error    | a required image (or fewer than the minimum count) is absent |
 * | IMAGE_WRONG_SIZE      | error    | an image not at the exact size (never resized by guessing) |
 * | IMAGE_WRONG_FORMAT    | error    | an image not in the partner's format |
 * | IMAGES_TRIMMED        | warning  | more images of a slot than the partner takes |
 * | PAID_UNSUPPORTED      | warning / error | a paid listing where the partner has no pricing / refuses paid |
 */
import type { ListingDocument, ListingFinding, LocalizedCopy } from '../types.js';
import type { ListingAssets } from './adapter.js';
import { codePointLength, trimText } from './text.js';
import type { ImageSpec, TargetId, TargetRules, TextLimit } from './targets.js';

/** One image of the partner copy: its asset key (`<slot>` or `<slot>-<n>`), size and file names. */
export interface PartnerImage {
  key: string;
  slot: string;
  /** 1-based index for slots that take several. */
  n?: number;
  width: number;
  height: number;
  format: ImageSpec['format'];
  /** Path in an export bundle: `images/<key>.<ext>`. */
  path: string;
  /** The partner's own file name, when it prescribes one (WordPress `screenshot-1.png`). */
  fileName?: string;
  /** Caption / alt text (from the listing preview of the same index). */
  alt?: string;
}

/** What one partner gets of a listing, after its rules. */
export interface PartnerCopy {
  target: TargetId;
  id: string;
  version: string;
  title: string;
  summary: string;
  description?: string;
  locale: string;
  /** Localized copy (empty for partners that take only the default locale). */
  locales: Record<string, LocalizedCopy>;
  tags: string[];
  /** The partner's category names. */
  categories: string[];
  pricing: ListingDocument['pricing'];
  links: ListingDocument['links'];
  images: PartnerImage[];
}

/** A finding of `rules.id`. */
function finding(rules: TargetRules, code: string, severity: ListingFinding['severity'], field: string, message: string, suggestion: string): ListingFinding {
  return { code, severity, target: rules.id, field, message, suggestion };
}

const quoteList = (items: readonly string[]) => items.map((t) => JSON.stringify(t)).join(', ');
const TEXT_FIELDS = [
  ['title', 'TITLE'],
  ['summary', 'SUMMARY'],
  ['description', 'DESCRIPTION'],
] as const;

/** One text field under a limit: the text the partner gets and what happened to it. */
function limitText(rules: TargetRules, text: string, limit: TextLimit, pointer: string, codeStem: string, out: ListingFinding[]): string {
  const length = codePointLength(text);
  if (length <= limit.max) return text;
  const field = `${pointer}:${limit.field}`;
  if (limit.over === 'refuse') {
    out.push(finding(rules, `${codeStem}_TOO_LONG`, 'error', field, `${limit.field} is ${length} characters; ${rules.name} refuses more than ${limit.max}.`, `Shorten ${pointer.replace(/^\//, '').replace(/\//g, '.')} to ${limit.max} characters or fewer in extension.json (marketplace block).`));
    return text;
  }
  const trimmed = trimText(text, limit.max);
  out.push(finding(rules, `${codeStem}_TRIMMED`, 'warning', field, `${limit.field} is ${length} characters; ${rules.name} keeps ${limit.max}, so it was trimmed to ${codePointLength(trimmed)}: ${JSON.stringify(trimmed)}.`, `Keep it to ${limit.max} characters or fewer in extension.json to choose the wording yourself.`));
  return trimmed;
}

/** Title, summary and description (and their localized copies, where the partner takes them) under the partner's limits. */
export function applyTextRules(listing: ListingDocument, rules: TargetRules): { title: string; summary: string; description?: string; locales: Record<string, LocalizedCopy>; findings: ListingFinding[] } {
  const findings: ListingFinding[] = [];
  const copy = (source: LocalizedCopy, base: string): LocalizedCopy => {
    const out: LocalizedCopy = {};
    for (const [key, stem] of TEXT_FIELDS) {
      const text = source[key];
      if (text === undefined) continue;
      const limit = key === 'description' ? rules.description : rules[key];
      out[key] = limit ? limitText(rules, text, limit, `${base}/${key}`, stem, findings) : text;
    }
    return out;
  };
  const main = copy({ title: listing.title, summary: listing.summary, ...(listing.description !== undefined ? { description: listing.description } : {}) }, '');
  const locales: Record<string, LocalizedCopy> = {};
  if (rules.localized) for (const [locale, c] of Object.entries(listing.locales)) locales[locale] = copy(c, `/locales/${locale}`);
  return { title: main.title!, summary: main.summary!, ...(main.description !== undefined ? { description: main.description } : {}), locales, findings };
}

/** Tags under the partner's rules: ignored ones and too-long ones dropped, then the count limit. */
export function applyTagRules(tags: readonly string[], rules: TargetRules): { tags: string[]; findings: ListingFinding[] } {
  const findings: ListingFinding[] = [];
  const t = rules.tags;
  if (!t) return { tags: [], findings };
  const field = `/tags:${t.field}`;
  const ignored = tags.filter((tag) => t.ignore?.includes(tag.toLowerCase()));
  if (ignored.length) findings.push(finding(rules, 'TAGS_TRIMMED', 'warning', field, `${rules.name} ignores the tag${ignored.length === 1 ? '' : 's'} ${quoteList(ignored)}; dropped.`, `Remove ${quoteList(ignored)} from marketplace.tags; ${rules.name} never uses ${ignored.length === 1 ? 'it' : 'them'}.`));
  let kept = tags.filter((tag) => !ignored.includes(tag));
  if (t.maxLength !== undefined) {
    for (const tag of kept.filter((x) => codePointLength(x) > t.maxLength!)) {
      findings.push(finding(rules, 'TAG_TOO_LONG', 'warning', field, `The tag ${JSON.stringify(tag)} is ${codePointLength(tag)} characters; ${rules.name} allows ${t.maxLength}; dropped.`, `Use a tag of ${t.maxLength} characters or fewer.`));
    }
    kept = kept.filter((x) => codePointLength(x) <= t.maxLength!);
  }
  if (kept.length > t.max) {
    const dropped = kept.slice(t.max);
    if (t.over === 'refuse') {
      findings.push(finding(rules, 'TAGS_TOO_MANY', 'error', field, `${kept.length} tags; ${rules.name} refuses more than ${t.max}.`, `Keep ${t.max} tags or fewer in marketplace.tags.`));
    } else {
      findings.push(finding(rules, 'TAGS_TRIMMED', 'warning', field, `${rules.name} uses the first ${t.max} tags; dropped: ${quoteList(dropped)}.`, `Put the ${t.max} tags that matter most first in marketplace.tags.`));
      kept = kept.slice(0, t.max);
    }
  }
  return { tags: kept, findings };
}

/** Our categories as the partner's: unmapped ones dropped (an error when none maps), then its maximum. */
export function applyCategoryRules(categories: readonly string[], rules: TargetRules): { categories: string[]; findings: ListingFinding[] } {
  const findings: ListingFinding[] = [];
  const c = rules.categories;
  if (!c) return { categories: [], findings };
  const field = `/categories:${c.field}`;
  const unsupported = categories.filter((x) => !c.map[x]);
  const mapped = [...new Set(categories.flatMap((x) => (c.map[x] ? [c.map[x]] : [])))];
  const supported = [...new Set(Object.keys(c.map))].join(', ');
  if (mapped.length === 0) {
    findings.push(finding(rules, 'CATEGORY_UNSUPPORTED', 'error', field, `${rules.name} has no category for ${quoteList(categories)}.`, `Add a category ${rules.name} supports to marketplace.categories (${supported}), or leave this target out.`));
    return { categories: [], findings };
  }
  if (unsupported.length) findings.push(finding(rules, 'CATEGORY_UNSUPPORTED', 'warning', field, `${rules.name} has no category for ${quoteList(unsupported)}; dropped (listed under ${quoteList(mapped)}).`, `Nothing to do unless the listing belongs elsewhere on ${rules.name}; it supports ${supported}.`));
  if (mapped.length > c.max) {
    findings.push(finding(rules, 'CATEGORIES_TRIMMED', 'warning', field, `${rules.name} takes ${c.max} categor${c.max === 1 ? 'y' : 'ies'}; dropped ${quoteList(mapped.slice(c.max))}.`, 'Order marketplace.categories by importance: the first ones are kept.'));
  }
  return { categories: mapped.slice(0, c.max), findings };
}

const MIME: Record<ImageSpec['format'], string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', webm: 'video/webm' };
const EXT: Record<ImageSpec['format'], string> = { png: 'png', jpeg: 'jpg', webp: 'webp', webm: 'webm' };
const RENDER_HINT = 'Render the images with "vib3 ext previews", which writes every slot at its exact size; images are never resized by guessing.';

/** The images the partner gets, each checked against its slot's exact size and format. */
export function applyImageRules(assets: ListingAssets, rules: TargetRules, listing?: ListingDocument): { images: PartnerImage[]; findings: ListingFinding[] } {
  const findings: ListingFinding[] = [];
  const images: PartnerImage[] = [];
  for (const spec of rules.images) {
    // Slots taking several images are keyed `<slot>-<n>` (as vib3 ext previews writes them), others `<slot>`.
    const many = (spec.count?.max ?? 1) > 1;
    const keys = many ? Array.from({ length: spec.count!.max }, (_, i) => `${spec.slot}-${i + 1}`) : [spec.slot];
    const present = keys.filter((k) => assets.images.has(k));
    const min = spec.count ? spec.count.min : spec.required ? 1 : 0;
    const size = `${spec.width}×${spec.height}`;
    if (present.length < min) {
      const what = many ? `${min} ${spec.slot} image${min === 1 ? '' : 's'} (${min === 1 ? `${spec.slot}-1` : `${spec.slot}-1 … ${spec.slot}-${min}`}), found ${present.length}` : `a ${spec.slot} image`;
      findings.push(finding(rules, 'IMAGE_MISSING', 'error', `/previews:${spec.slot}`, `${rules.name} needs ${what} at ${size} ${spec.format.toUpperCase()}.`, RENDER_HINT));
    }
    if (many) {
      const extra = [...assets.images.keys()].filter((k) => k.startsWith(`${spec.slot}-`) && /^\d+$/.test(k.slice(spec.slot.length + 1)) && Number(k.slice(spec.slot.length + 1)) > spec.count!.max);
      if (extra.length) findings.push(finding(rules, 'IMAGES_TRIMMED', 'warning', `/previews:${spec.slot}`, `${rules.name} takes ${spec.count!.max} ${spec.slot} images; dropped ${quoteList(extra.sort())}.`, 'Keep the best ones first: the first ones are kept.'));
    }
    for (const key of present) {
      const image = assets.images.get(key)!;
      const field = `/previews:${key}`;
      if (image.type !== MIME[spec.format]) {
        findings.push(finding(rules, 'IMAGE_WRONG_FORMAT', 'error', field, `${key} is ${image.type}; ${rules.name} wants ${MIME[spec.format]}.`, RENDER_HINT));
      }
      if (image.width !== spec.width || image.height !== spec.height) {
        findings.push(finding(rules, 'IMAGE_WRONG_SIZE', 'error', field, `${key} is ${image.width}×${image.height}; ${rules.name} wants exactly ${size}.`, RENDER_HINT));
      }
      const n = many ? Number(key.slice(spec.slot.length + 1)) : undefined;
      const alt = n !== undefined ? listing?.previews[n - 1]?.alt : undefined;
      images.push({
        key,
        slot: spec.slot,
        ...(n !== undefined ? { n } : {}),
        width: spec.width,
        height: spec.height,
        format: spec.format,
        path: `images/${key}.${EXT[spec.format]}`,
        ...(spec.fileName ? { fileName: spec.fileName.replace('{n}', String(n ?? 1)) } : {}),
        ...(alt ? { alt } : {}),
      });
    }
  }
  return { images, findings };
}

/** PAID_UNSUPPORTED where the partner shows no price (warning) or refuses paid listings (error). */
export function applyPricingRules(listing: ListingDocument, rules: TargetRules): ListingFinding[] {
  if (listing.pricing.model === 'free' || rules.paid === 'listed') return [];
  if (rules.paid === 'refused') {
    return [finding(rules, 'PAID_UNSUPPORTED', 'error', '/pricing/model', `${rules.name} does not list paid (${listing.pricing.model}) extensions.`, `Leave ${rules.name} out for this extension, or publish a free edition there.`)];
  }
  return [finding(rules, 'PAID_UNSUPPORTED', 'warning', '/pricing/model', `${rules.name} has no pricing: the listing goes out without the ${listing.pricing.model} price; the license still gates activation.`, 'Say in the description that the extension needs a license, and link the registry listing.')];
}

/**
 * Every rule of `rules` applied to `listing`: the partner copy and all findings (text, tags,
 * categories, pricing, then images — image rules run only when `assets` are given).
 */
export function applyRules(listing: ListingDocument, rules: TargetRules, assets?: ListingAssets): { copy: PartnerCopy; findings: ListingFinding[] } {
  const text = applyTextRules(listing, rules);
  const tags = applyTagRules(listing.tags, rules);
  const categories = applyCategoryRules(listing.categories, rules);
  const pricing = applyPricingRules(listing, rules);
  const images = assets ? applyImageRules(assets, rules, listing) : { images: [], findings: [] };
  const copy: PartnerCopy = {
    target: rules.id,
    id: listing.id,
    version: listing.version,
    title: text.title,
    summary: text.summary,
    ...(text.description !== undefined ? { description: text.description } : {}),
    locale: listing.locale,
    locales: text.locales,
    tags: tags.tags,
    categories: categories.categories,
    pricing: listing.pricing,
    links: listing.links,
    images: images.images,
  };
  return { copy, findings: [...text.findings, ...tags.findings, ...categories.findings, ...pricing, ...images.findings] };
}
