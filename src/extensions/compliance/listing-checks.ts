/**
 * What users and partners read: CAPABILITY_REASONS (a real reason for every capability, shown at
 * consent), LISTING (title, summary, categories, pricing model), PREVIEW (a raster image of the
 * documented size inside the package) and PRIVACY (a privacy statement in README.md when the
 * network capability is requested).
 */
import { fromUtf8 } from '../signing/encoding.js';
import { imageInfo } from './images.js';
import { failed, isRecord, listSome, pass, PREVIEW_MIN_HEIGHT, PREVIEW_MIN_WIDTH, type CheckInput, type Outcome } from './types.js';

const NOT_READ = failed('Not checked: extension.json cannot be read.', 'Fix extension.json first (vib3 ext lint).', 'extension.json');
/** Text that stands in for a reason without giving one. */
const PLACEHOLDER = /^(todo|tbd|fixme|xxx+|n\/?a|none|reason|because|lorem ipsum.*|placeholder|test|testing|\.+|-+)$/i;
const PLACEHOLDER_WORDS = /\b(todo|tbd|fixme|lorem ipsum)\b/i;

/** CAPABILITY_REASONS: each requested capability explains itself (≥ 10 characters, two words, no placeholder). */
export function checkCapabilityReasons(input: CheckInput): Outcome {
  const m = input.manifest;
  if (!m) return NOT_READ;
  const caps = m['capabilities'];
  if (!isRecord(caps) || Object.keys(caps).length === 0) return failed('No capabilities are declared.', 'Declare what the extension does in capabilities, each with a reason.', 'extension.json');
  const bad: string[] = [];
  for (const [name, value] of Object.entries(caps)) {
    const reason = isRecord(value) ? value['reason'] : undefined;
    const text = typeof reason === 'string' ? reason.replace(/\s+/g, ' ').trim() : '';
    const words = text.match(/\p{L}{2,}/gu) ?? [];
    if (!text) bad.push(`${name} has no reason`);
    else if (text.length < 10 || words.length < 2) bad.push(`${name}: "${text}" is too short to tell a user why`);
    else if (PLACEHOLDER.test(text) || PLACEHOLDER_WORDS.test(text)) bad.push(`${name}: "${text}" is a placeholder`);
    else if (text.toLowerCase().replace(/[^a-z]/g, '') === name.replace(/[^a-z]/g, '')) bad.push(`${name}: the reason only repeats the capability's name`);
  }
  const names = Object.keys(caps);
  if (bad.length === 0) return pass(`Every capability has a reason (${names.join(', ')}).`, 'extension.json');
  return failed(`${listSome(bad)}.`, 'Give each capability a sentence saying what it is used for, as the user will read it when asked to consent (10–300 characters).', 'extension.json');
}

/** LISTING (advisory): the marketplace block has what a listing needs. */
export function checkListing(input: CheckInput): Outcome {
  const m = input.manifest;
  if (!m) return NOT_READ;
  const market = m['marketplace'];
  if (!isRecord(market)) return failed('There is no marketplace listing block.', 'Add marketplace { title, summary, categories, pricing: { model } } to extension.json.', 'extension.json');
  const missing: string[] = [];
  const text = (key: string) => typeof market[key] === 'string' && (market[key] as string).trim().length > 0;
  if (!text('title')) missing.push('title');
  if (!text('summary')) missing.push('summary');
  if (!Array.isArray(market['categories']) || market['categories'].length === 0) missing.push('categories');
  const pricing = market['pricing'];
  const model = isRecord(pricing) ? pricing['model'] : undefined;
  if (model !== 'free' && model !== 'paid' && model !== 'subscription') missing.push('pricing.model (free, paid or subscription)');
  else if (model !== 'free' && isRecord(pricing) && (typeof pricing['amount'] !== 'number' || !(pricing['amount'] > 0) || typeof pricing['currency'] !== 'string' || !/^[A-Z]{3}$/.test(pricing['currency']))) {
    missing.push(`pricing.amount and pricing.currency (a ${model} listing states its price)`);
  }
  if (missing.length === 0) return pass(`Title, summary, ${(market['categories'] as unknown[]).length} categor${(market['categories'] as unknown[]).length === 1 ? 'y' : 'ies'} and the ${String(model)} pricing model are listed.`, 'extension.json');
  return failed(`The listing lacks ${missing.join(', ')}.`, 'Complete the marketplace block of extension.json (docs/EXTENSIONS.md).', 'extension.json');
}

/** PREVIEW (advisory): at least one preview is a raster image in the package of the documented size. */
export function checkPreview(input: CheckInput): Outcome {
  const m = input.manifest;
  if (!m) return NOT_READ;
  const market = isRecord(m['marketplace']) ? m['marketplace'] : {};
  const previews = Array.isArray(market['previews']) ? market['previews'] : [];
  const suggestion = `Render a preview of the extension running (PNG, JPEG, WebP or GIF, at least ${PREVIEW_MIN_WIDTH}×${PREVIEW_MIN_HEIGHT}; 1280×720 recommended), put it in assets/ and list it in marketplace.previews with its width and height.`;
  if (previews.length === 0) return failed('The listing has no preview image.', suggestion, 'extension.json');
  const problems: string[] = [];
  for (const [i, preview] of previews.entries()) {
    const src = isRecord(preview) ? preview['src'] : undefined;
    if (typeof src !== 'string') continue;
    if (src.startsWith('https://')) {
      problems.push(`previews/${i} (${src}) is remote and cannot be checked`);
      continue;
    }
    const bytes = input.files.get(src);
    if (!bytes) {
      problems.push(`previews/${i}: ${src} is not in the package`);
      continue;
    }
    const info = imageInfo(bytes);
    const ext = src.slice(src.lastIndexOf('.') + 1).toLowerCase();
    if (!info) problems.push(`previews/${i}: ${src} is not a PNG, JPEG, WebP or GIF image`);
    else if (info.type !== (ext === 'jpg' ? 'jpeg' : ext)) problems.push(`previews/${i}: ${src} is a ${info.type.toUpperCase()} file with a .${ext} name`);
    else if (declaredDiffers(preview, 'width', info.width) || declaredDiffers(preview, 'height', info.height)) {
      problems.push(`previews/${i}: ${src} is ${info.width}×${info.height}, not the ${String((preview as Record<string, unknown>)['width'] ?? '?')}×${String((preview as Record<string, unknown>)['height'] ?? '?')} declared`);
    } else if (info.width < PREVIEW_MIN_WIDTH || info.height < PREVIEW_MIN_HEIGHT) problems.push(`previews/${i}: ${src} is ${info.width}×${info.height}, smaller than ${PREVIEW_MIN_WIDTH}×${PREVIEW_MIN_HEIGHT}`);
    else return pass(`${src} is a ${info.width}×${info.height} ${info.type.toUpperCase()} image.`, src);
  }
  return failed(`No preview of the documented size: ${listSome(problems)}.`, suggestion, 'extension.json');
}

const declaredDiffers = (preview: unknown, key: 'width' | 'height', actual: number) => isRecord(preview) && typeof preview[key] === 'number' && preview[key] !== actual;

/** The text of README.md's privacy section (a heading containing "privacy", up to the next heading of its level or higher). */
export function privacySection(readme: string): string | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((l) => /^#{1,6}\s.*\bprivacy\b/i.test(l));
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start]!)![0].length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const heading = /^(#{1,6})\s/.exec(line);
    if (heading && heading[1]!.length <= level) break;
    body.push(line);
  }
  return body.join('\n').trim();
}

/** PRIVACY (advisory): with `network`, README.md has a privacy section naming every requested origin's host. */
export function checkPrivacy(input: CheckInput): Outcome {
  const m = input.manifest;
  if (!m) return NOT_READ;
  const network = isRecord(m['capabilities']) ? m['capabilities']['network'] : undefined;
  if (!isRecord(network)) return pass('Not needed: the network capability is not requested.');
  const origins = Array.isArray(network['origins']) ? network['origins'].filter((o): o is string => typeof o === 'string') : [];
  const suggestion = `Add a "## Privacy" section to README.md saying what data is sent to ${origins.join(', ') || 'each origin'}, why, how long it is kept, and linking the full policy.`;
  const readme = input.files.get('README.md');
  if (!readme) return failed('The network capability is requested but the package has no README.md with a privacy statement.', suggestion, 'README.md');
  const section = privacySection(fromUtf8(readme));
  if (section === undefined) return failed('The network capability is requested but README.md has no privacy section.', suggestion, 'README.md');
  if (section.replace(/\s+/g, ' ').length < 40) return failed('README.md\'s privacy section is too short to say what is sent where.', suggestion, 'README.md');
  const unnamed = origins.filter((o) => !section.toLowerCase().includes(o.replace(/^https?:\/\//, '').replace(/:\d+$/, '').toLowerCase()));
  if (unnamed.length) return failed(`README.md's privacy section does not name ${unnamed.join(', ')}.`, suggestion, 'README.md');
  return pass(`README.md has a privacy statement covering ${origins.join(', ')}.`, 'README.md');
}
