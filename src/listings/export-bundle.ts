/**
 * Export bundles for the portal-only marketplaces (docs/LISTINGS.md, "Export bundles"): one zip
 * per target holding `listing.json` (the copy after the target's rules), `CHECKLIST.md` (every
 * field to paste with its value, its limit and where it comes from, the images to upload, and the
 * findings) and `images/<slot>[-n].<ext>` at the exact sizes. Deterministic: the same listing and
 * images give the same bytes (entries in a fixed order, one fixed modification time). A target
 * with an error finding is refused (EXPORT_REFUSED) unless forced. Browser-safe (fflate).
 */
import { zipSync, type Zippable } from 'fflate';
import { ListingError, hasErrors } from './errors.js';
import type { ListingFinding } from './types.js';
import type { PreparedListing } from './partners/adapter.js';
import type { ChecklistField, PortalDocument } from './partners/portal.js';
import { PARTNER_TARGETS } from './partners/targets.js';

/** The modification time of every entry: 1980-01-01 00:00 (the zip epoch), in local time as the zip format stores it. */
const MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** A built bundle. */
export interface ExportBundle {
  /** The zip file. */
  bytes: Uint8Array;
  /** Entry names, in the zip's order. */
  entries: string[];
  findings: ListingFinding[];
}

const isMultiline = (s: string) => /[\r\n]/.test(s);

/** One finding as a Markdown list item. */
export function findingLine(f: ListingFinding): string {
  return `- ${f.severity.toUpperCase()} ${f.code} \`${f.field}\`: ${f.message} → ${f.suggestion}`;
}

/** The text of CHECKLIST.md for a portal document and its findings. */
export function checklistMarkdown(doc: PortalDocument, findings: readonly ListingFinding[]): string {
  const { copy } = doc;
  const text = doc.fields.filter((f) => !f.field.endsWith(' image'));
  const images = doc.fields.filter((f) => f.field.endsWith(' image'));
  const item = (f: ChecklistField) => `- [ ] **${f.field}** (${f.limit}; from \`${f.source}\`): ${isMultiline(f.value) ? `see "${f.field}" below` : f.value || '(empty)'}`;
  const lines = [
    `# ${doc.name} listing: ${copy.title} ${copy.version}`,
    '',
    `Made by \`vib3 listing export --target ${doc.target}\` from ${copy.id}@${copy.version}. Paste each field into the ${doc.name} form and upload each image; nothing here is sent anywhere.`,
    `Rules followed: ${doc.docs}`,
    '',
    '## Fields to paste',
    '',
    ...text.map(item),
    '',
    '## Images to upload',
    '',
    ...(images.length ? images.map((f) => `- [ ] **${f.field}** (${f.limit}): ${f.value}`) : ['None.']),
    '',
  ];
  for (const f of text.filter((x) => isMultiline(x.value))) lines.push(`## ${f.field}`, '', '```text', f.value, '```', '');
  lines.push('## Findings', '', ...(findings.length ? findings.map(findingLine) : ['None: the listing fits every rule of this target.']), '');
  return lines.join('\n');
}

/**
 * The zip of a prepared portal listing. Throws {@link ListingError} EXPORT_REFUSED (with the
 * findings) when an error finding exists and `force` is not set, and TARGET_NOT_EXPORTABLE for a
 * target that is not a portal.
 */
export function buildExportBundle(prepared: PreparedListing, options: { force?: boolean } = {}): ExportBundle {
  const rules = PARTNER_TARGETS[prepared.target];
  if (rules.kind !== 'export') {
    throw new ListingError('TARGET_NOT_EXPORTABLE', `${rules.name} is not a portal-only marketplace: it gets its listing through sync, not an export bundle.`, 'Export for figma, framer, webflow, canva, shopify or chrome.');
  }
  const errors = prepared.findings.filter((f) => f.severity === 'error');
  if (hasErrors(prepared.findings) && !options.force) {
    throw new ListingError('EXPORT_REFUSED', `${rules.name} would refuse this listing: ${errors.map((f) => f.code).join(', ')}.`, 'Fix the error findings (vib3 listing validate lists them), or pass --force to export anyway.', prepared.findings);
  }
  const doc = prepared.document as PortalDocument;
  const enc = new TextEncoder();
  const zippable: Zippable = {
    'CHECKLIST.md': [enc.encode(checklistMarkdown(doc, prepared.findings)), { mtime: MTIME }],
    'listing.json': [enc.encode(`${JSON.stringify(doc.copy, null, 2)}\n`), { mtime: MTIME }],
  };
  for (const path of [...prepared.files.keys()].sort()) zippable[path] = [prepared.files.get(path)!, { mtime: MTIME, level: 0 }];
  return { bytes: zipSync(zippable, { level: 6, mtime: MTIME }), entries: Object.keys(zippable), findings: prepared.findings };
}
