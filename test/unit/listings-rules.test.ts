// Listings (docs/LISTINGS.md): golden tests of the partner rules — tags cut where the partner cuts
// them, summaries trimmed where the partner trims and refused where it refuses, categories a
// partner lacks, images at exact sizes — plus readme.txt against a hand-written golden file,
// server.json against the MCP Registry's vendored schema, the listing schema, digests and the
// export bundle's determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildListing } from '../../src/listings/build.js';
import { LISTING_SCHEMA_ID, type ListingDocument, type ListingFinding } from '../../src/listings/types.js';
import { validateListing } from '../../src/listings/validate.js';
import { buildExportBundle } from '../../src/listings/export-bundle.js';
import { ListingError } from '../../src/listings/errors.js';
import type { ListingAssets } from '../../src/listings/partners/adapter.js';
import { PARTNER_TARGETS, TARGET_IDS } from '../../src/listings/partners/targets.js';
import { applyRules, applyTagRules, applyTextRules } from '../../src/listings/partners/rules.js';
import { codePointLength, trimText } from '../../src/listings/partners/text.js';
import { prepareWordPress } from '../../src/listings/partners/wordpress.js';
import { prepareMcpRegistry, validateServerJson } from '../../src/listings/partners/mcp-registry.js';
import { prepareNpm, type NpmDocument } from '../../src/listings/partners/npm.js';
import { prepareChrome, prepareShopify } from '../../src/listings/partners/portal.js';
import { imageInfo } from '../../src/extensions/compliance/images.js';
import { png } from '../support/png.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'listings');
const SUMMARY_200 = 'Hypershapes puts the six regular 4D polytopes on the canvas as turning wireframes, from the tesseract to the 600-cell, with agent tools that list them, describe them and show two side by side at once.';

/** A listing with every field filled (the golden fixture). */
function fixture(edit: (l: ListingDocument) => void = () => {}): ListingDocument {
  const listing: ListingDocument = {
    $schema: LISTING_SCHEMA_ID,
    id: 'com.acme.hypershapes',
    version: '2.1.0',
    title: 'Hypershapes',
    summary: SUMMARY_200,
    description:
      'Hypershapes adds the six regular convex 4D polytopes to the canvas: the 5-cell, the tesseract, the 16-cell, the 24-cell, the 120-cell and the 600-cell.\n\nEach one turns in 4D and is projected to the screen as a wireframe; agents can list the shapes, describe one and show two side by side.',
    tagline: 'Every regular polytope',
    brandColor: '#6fd3ff',
    locale: 'en',
    locales: { de: { title: 'Hyperformen', summary: 'Die sechs regulären 4D-Polytope als drehende Drahtgitter auf der Leinwand, vom Tesserakt bis zur 600-Zelle, mit Werkzeugen für Agenten, die sie beschreiben.' } },
    categories: ['geometry', 'education'],
    tags: ['polytope', '4d', 'geometry', 'math', 'wireframe', 'tesseract'],
    pricing: { model: 'free' },
    license: 'MIT',
    links: { homepage: 'https://acme.example/hypershapes', support: 'https://acme.example/support', funding: 'https://acme.example/fund', registry: 'https://registry.example/v1/extensions/com.acme.hypershapes' },
    publisher: { name: 'ACME Shapes', displayName: 'ACME', url: 'https://acme.example', tier: 'verified' },
    channels: { stable: '2.0.0', beta: '2.1.0' },
    versions: [
      { version: '2.0.0', publishedAt: '2024-11-05T10:00:00.000Z', yanked: false },
      { version: '2.1.0', publishedAt: '2025-01-20T09:30:00.000Z', yanked: false },
      { version: '1.0.0', publishedAt: '2024-06-01T08:00:00.000Z', yanked: true },
    ],
    stats: { installs: 42 },
    previews: [
      { src: 'https://registry.example/v1/extensions/com.acme.hypershapes/2.1.0/previews/0', alt: 'A tesseract turning in 4D', width: 1280, height: 720, type: 'image/png', preset: 'tesseract' },
      { src: 'https://registry.example/v1/extensions/com.acme.hypershapes/2.1.0/previews/1', alt: 'The 24-cell as a wireframe', width: 1280, height: 720, type: 'image/png', preset: 'cell24' },
    ],
    tools: [{ name: 'hypershapes.list', description: 'Lists the regular 4D polytopes.' }],
    capabilities: [{ name: 'geometry', reason: 'Adds polytope meshes to the canvas.' }],
    updatedAt: '2025-01-20T09:30:00.000Z',
  };
  edit(listing);
  return listing;
}

const NO_ASSETS: ListingAssets = { images: new Map() };
/** Assets with PNGs of the given sizes, keyed `<slot>[-n]`. */
function assets(sizes: Record<string, [number, number]>, type = 'image/png'): ListingAssets {
  return { images: new Map(Object.entries(sizes).map(([key, [w, h]]) => [key, { bytes: png(w, h), width: w, height: h, type }])) };
}
const CHROME_IMAGES: Record<string, [number, number]> = { icon: [128, 128], 'screenshot-1': [1280, 800], 'screenshot-2': [1280, 800], 'promo-small': [440, 280] };
const codes = (findings: ListingFinding[]) => findings.map((f) => f.code);
const only = (findings: ListingFinding[], code: string) => findings.filter((f) => f.code === code);

test('the fixture summary is 200 characters; trimming counts code points, not UTF-16 units', () => {
  assert.equal(codePointLength(SUMMARY_200), 200);
  assert.equal(codePointLength('😀'.repeat(10)), 10);
  assert.equal('😀'.repeat(10).length, 20);
  assert.equal(trimText('😀'.repeat(10), 5), `${'😀'.repeat(4)}…`);
  assert.equal(trimText('short enough', 12), 'short enough');
  // A sentence end in the last fifth wins over a word boundary, and gets no ellipsis.
  assert.equal(trimText('One sentence that ends here. Then another one that goes on.', 34), 'One sentence that ends here.');
  // … but not one further back (28 of 40 is before the last fifth): a word boundary and an ellipsis instead.
  assert.equal(trimText('One sentence that ends here. Then another one that goes on.', 40), 'One sentence that ends here. Then…');
  assert.equal(trimText('Words, words and more words here', 20), 'Words, words and…');
});

test('WordPress: 6 tags → the first 5, with TAGS_TRIMMED naming the 6th; "plugin" and "wordpress" are ignored', () => {
  const { tags, findings } = applyTagRules(fixture().tags, PARTNER_TARGETS.wordpress);
  assert.deepEqual(tags, ['polytope', '4d', 'geometry', 'math', 'wireframe']);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.code, 'TAGS_TRIMMED');
  assert.equal(findings[0]!.severity, 'warning');
  assert.equal(findings[0]!.target, 'wordpress');
  assert.equal(findings[0]!.field, '/tags:Tags');
  assert.match(findings[0]!.message, /"tesseract"/);
  assert.doesNotMatch(findings[0]!.message, /"wireframe"/);

  const ignored = applyTagRules(['wordpress', 'polytope', 'plugin', '4d'], PARTNER_TARGETS.wordpress);
  assert.deepEqual(ignored.tags, ['polytope', '4d']);
  assert.deepEqual(codes(ignored.findings), ['TAGS_TRIMMED']);
  assert.match(ignored.findings[0]!.message, /"wordpress", "plugin"/);

  // npm takes all 6 keywords; Shopify drops a search term longer than 20 characters.
  assert.deepEqual(applyTagRules(fixture().tags, PARTNER_TARGETS.npm), { tags: fixture().tags, findings: [] });
  const long = applyTagRules(['polytope', 'a-very-long-search-term-indeed'], PARTNER_TARGETS.shopify);
  assert.deepEqual(long.tags, ['polytope']);
  assert.deepEqual(codes(long.findings), ['TAG_TOO_LONG']);
});

test('a 200-character summary: WordPress 150 and Chrome 132 trimmed at a word boundary, the MCP Registry refuses it', () => {
  const wordpress = applyTextRules(fixture(), PARTNER_TARGETS.wordpress);
  assert.equal(wordpress.summary, 'Hypershapes puts the six regular 4D polytopes on the canvas as turning wireframes, from the tesseract to the 600-cell, with agent tools that list…');
  assert.ok(codePointLength(wordpress.summary) <= 150);
  assert.deepEqual(codes(wordpress.findings), ['SUMMARY_TRIMMED']);
  assert.equal(wordpress.findings[0]!.field, '/summary:Short description');
  assert.equal(wordpress.findings[0]!.severity, 'warning');

  const chrome = applyTextRules(fixture(), PARTNER_TARGETS.chrome);
  assert.equal(chrome.summary, 'Hypershapes puts the six regular 4D polytopes on the canvas as turning wireframes, from the tesseract to the 600-cell, with agent…');
  assert.ok(codePointLength(chrome.summary) <= 132);
  // Chrome takes localized copy: the German summary (156 characters) is trimmed too, with its own pointer.
  assert.deepEqual(codes(chrome.findings), ['SUMMARY_TRIMMED', 'SUMMARY_TRIMMED']);
  assert.equal(chrome.findings[1]!.field, '/locales/de/summary:Summary');
  assert.ok(codePointLength(chrome.locales['de']!.summary!) <= 132);
  // WordPress takes no localized copy.
  assert.deepEqual(wordpress.locales, {});

  const mcp = applyTextRules(fixture(), PARTNER_TARGETS['mcp-registry']);
  assert.equal(mcp.summary, SUMMARY_200, 'refused copy is not cut');
  assert.deepEqual(codes(mcp.findings), ['SUMMARY_TOO_LONG']);
  assert.equal(mcp.findings[0]!.severity, 'error');
  assert.equal(mcp.findings[0]!.field, '/summary:description');

  // npm has no limit on description: nothing to report.
  assert.deepEqual(applyTextRules(fixture(), PARTNER_TARGETS.npm).findings, []);
});

test('titles: refused over a partner\'s limit (TITLE_TOO_LONG), trimmed where a partner trims (TITLE_TRIMMED)', () => {
  const long = fixture((l) => (l.title = 'Hypershapes: every regular polytope in 4D'));
  const shopify = applyTextRules(long, PARTNER_TARGETS.shopify);
  assert.deepEqual(codes(shopify.findings.filter((f) => f.field.startsWith('/title'))), ['TITLE_TOO_LONG']);
  assert.equal(shopify.title, long.title);
  const trimming = { ...PARTNER_TARGETS.chrome, title: { max: 20, over: 'trim' as const, field: 'Name' } };
  const trimmed = applyTextRules(long, trimming);
  assert.equal(trimmed.title, 'Hypershapes: every…');
  assert.equal(trimmed.findings[0]!.code, 'TITLE_TRIMMED');
});

test('categories: an unsupported one is dropped with a warning; none supported is refused', () => {
  const some = applyRules(fixture((l) => (l.categories = ['geometry', 'audio'])), PARTNER_TARGETS.shopify);
  assert.deepEqual(some.copy.categories, ['Store design']);
  const warning = only(some.findings, 'CATEGORY_UNSUPPORTED');
  assert.equal(warning.length, 1);
  assert.equal(warning[0]!.severity, 'warning');
  assert.match(warning[0]!.message, /"audio"/);

  const none = applyRules(fixture((l) => (l.categories = ['audio', 'education'])), PARTNER_TARGETS.shopify);
  assert.deepEqual(none.copy.categories, []);
  const error = only(none.findings, 'CATEGORY_UNSUPPORTED');
  assert.equal(error.length, 1);
  assert.equal(error[0]!.severity, 'error');
  assert.equal(error[0]!.field, '/categories:Primary category');

  // Chrome takes one category: the second mapped one is dropped.
  const chrome = applyRules(fixture(), PARTNER_TARGETS.chrome);
  assert.deepEqual(chrome.copy.categories, ['Art & Design']);
  assert.deepEqual(codes(only(chrome.findings, 'CATEGORIES_TRIMMED')), ['CATEGORIES_TRIMMED']);
});

test('images: exact sizes pass; a wrong size is IMAGE_WRONG_SIZE, a missing required one IMAGE_MISSING', () => {
  const good = applyRules(fixture(), PARTNER_TARGETS.chrome, assets(CHROME_IMAGES));
  assert.deepEqual(good.findings.filter((f) => f.code.startsWith('IMAGE')), []);
  assert.deepEqual(good.copy.images.map((i) => i.path), ['images/icon.png', 'images/screenshot-1.png', 'images/screenshot-2.png', 'images/promo-small.png']);
  assert.equal(good.copy.images[1]!.alt, 'A tesseract turning in 4D');

  const wrong = applyRules(fixture(), PARTNER_TARGETS.chrome, assets({ ...CHROME_IMAGES, icon: [100, 100] }));
  const size = only(wrong.findings, 'IMAGE_WRONG_SIZE');
  assert.equal(size.length, 1);
  assert.equal(size[0]!.severity, 'error');
  assert.equal(size[0]!.field, '/previews:icon');
  assert.match(size[0]!.message, /100×100.*exactly 128×128/);

  const { 'promo-small': _, ...noPromo } = CHROME_IMAGES;
  const missing = applyRules(fixture(), PARTNER_TARGETS.chrome, assets(noPromo));
  assert.deepEqual(codes(only(missing.findings, 'IMAGE_MISSING')), ['IMAGE_MISSING']);
  assert.equal(only(missing.findings, 'IMAGE_MISSING')[0]!.field, '/previews:promo-small');

  // Shopify wants at least 3 screenshots; a JPEG where PNG is wanted is refused too.
  const shopify = applyRules(fixture(), PARTNER_TARGETS.shopify, assets({ icon: [1200, 1200], 'screenshot-1': [1600, 900], 'screenshot-2': [1600, 900] }));
  assert.match(only(shopify.findings, 'IMAGE_MISSING')[0]!.message, /3 screenshot images.*found 2/);
  const jpeg = applyRules(fixture(), PARTNER_TARGETS.chrome, assets(CHROME_IMAGES, 'image/jpeg'));
  assert.equal(only(jpeg.findings, 'IMAGE_WRONG_FORMAT').length, 4);

  // More screenshots than the partner takes: the extras are dropped with a warning.
  const many = applyRules(fixture(), PARTNER_TARGETS.chrome, assets({ ...CHROME_IMAGES, 'screenshot-6': [1280, 800] }));
  assert.deepEqual(codes(many.findings.filter((f) => f.code.startsWith('IMAGE'))), ['IMAGES_TRIMMED']);
  assert.ok(!many.copy.images.some((i) => i.key === 'screenshot-6'));
});

test('pricing: WordPress.org refuses paid extensions, npm lists them without a price', () => {
  const paid = fixture((l) => (l.pricing = { model: 'paid', amount: 9, currency: 'EUR' }));
  const wp = only(applyRules(paid, PARTNER_TARGETS.wordpress).findings, 'PAID_UNSUPPORTED');
  assert.equal(wp[0]?.severity, 'error');
  assert.equal(only(applyRules(paid, PARTNER_TARGETS.npm).findings, 'PAID_UNSUPPORTED')[0]?.severity, 'warning');
  assert.deepEqual(only(applyRules(paid, PARTNER_TARGETS.chrome).findings, 'PAID_UNSUPPORTED'), []);
  assert.deepEqual(only(applyRules(fixture(), PARTNER_TARGETS.wordpress).findings, 'PAID_UNSUPPORTED'), []);
});

test('readme.txt equals the hand-written golden file (WordPress.org readme format)', async () => {
  const prepared = await prepareWordPress(fixture(), NO_ASSETS, { contributors: 'acmeshapes', requiresAtLeast: '6.2', testedUpTo: '6.7' });
  const expected = readFileSync(join(FIXTURES, 'readme.txt'), 'utf8');
  const doc = prepared.document as { readme: string; stableTag: string };
  assert.equal(doc.readme, expected);
  assert.equal(doc.stableTag, '2.0.0', 'Stable tag follows the stable channel, not the newest version');
  assert.deepEqual(codes(prepared.findings), ['SUMMARY_TRIMMED', 'TAGS_TRIMMED']);
  assert.deepEqual([...prepared.files.keys()], ['readme.txt']);

  // Read back as the directory reads it: ≤ 5 tags, short description ≤ 150 characters.
  const lines = doc.readme.split('\n');
  assert.equal(lines.find((l) => l.startsWith('Tags: '))!.slice(6).split(', ').length, 5);
  assert.ok(codePointLength(lines[lines.indexOf('License URI: https://spdx.org/licenses/MIT.html') + 2]!) <= 150);

  // With assets: the files under the directory's names; the screenshot list follows the files.
  const withImages = await prepareWordPress(fixture(), assets({ banner: [772, 250], 'banner-2x': [1544, 500], icon: [128, 128], 'icon-2x': [256, 256], 'screenshot-1': [1280, 720] }));
  assert.deepEqual([...withImages.files.keys()].sort(), ['assets/banner-1544x500.png', 'assets/banner-772x250.png', 'assets/icon-128x128.png', 'assets/icon-256x256.png', 'assets/screenshot-1.png', 'readme.txt']);
  assert.match((withImages.document as { readme: string }).readme, /== Screenshots ==\n\n1\. A tesseract turning in 4D\n\n== Changelog ==/);

  const noStable = await prepareWordPress(fixture((l) => (l.channels = { beta: '2.1.0' })), NO_ASSETS);
  assert.match((noStable.document as { readme: string }).readme, /^Stable tag: trunk$/m);
  assert.ok(codes(noStable.findings).includes('NO_STABLE_CHANNEL'));
});

test('server.json validates against the vendored MCP Registry schema; a broken one does not; no tools is NO_TOOLS', async () => {
  const listing = fixture((l) => (l.summary = 'The six regular 4D polytopes as turning wireframes, with agent tools.'));
  const prepared = await prepareMcpRegistry(listing, NO_ASSETS);
  assert.deepEqual(prepared.findings, []);
  const doc = prepared.document as Record<string, unknown>;
  assert.deepEqual(validateServerJson(doc), []);
  assert.equal(doc['name'], 'com.acme/hypershapes');
  assert.equal(doc['$schema'], 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
  assert.equal(doc['description'], listing.summary);

  const broken = { ...doc, name: 'no-slash', description: 'x'.repeat(101) } as Record<string, unknown>;
  delete broken['version'];
  const problems = validateServerJson(broken).map((p) => p.pointer);
  assert.ok(problems.includes('/name'), JSON.stringify(problems));
  assert.ok(problems.includes('/description'), JSON.stringify(problems));
  assert.ok(validateServerJson(broken).some((p) => /version/.test(p.message)), 'a missing version is reported');

  const refused = await prepareMcpRegistry(fixture(), NO_ASSETS);
  assert.deepEqual(codes(refused.findings), ['SUMMARY_TOO_LONG'], 'the length is reported once, by the rule');
  const noTools = await prepareMcpRegistry(fixture((l) => ((l.tools = []), (l.summary = 'Short.'))), NO_ASSETS);
  assert.deepEqual(codes(noTools.findings), ['NO_TOOLS']);
  assert.equal(noTools.findings[0]!.severity, 'error');
});

test('npm: package.json fields, dist-tags from channels, and a digest that changes with them', async () => {
  const a = await prepareNpm(fixture(), NO_ASSETS, { scope: 'acme' });
  const doc = a.document as NpmDocument;
  assert.equal(doc.packageJson['name'], '@acme/com.acme.hypershapes');
  assert.equal(doc.packageJson['version'], '2.1.0');
  assert.deepEqual(doc.packageJson['keywords'], fixture().tags);
  assert.deepEqual(doc.packageJson['bugs'], { url: 'https://acme.example/support' });
  assert.equal(doc.packageJson['license'], 'MIT');
  assert.deepEqual(doc.distTags, { latest: '2.0.0', beta: '2.1.0' });
  assert.match(doc.readme, /^# Hypershapes\n/);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(a.files.get('package.json'))), doc.packageJson);

  const again = await prepareNpm(fixture(), NO_ASSETS, { scope: 'acme' });
  assert.match(a.digest, /^[0-9a-f]{64}$/);
  assert.equal(again.digest, a.digest, 'same listing, same digest');
  const moved = await prepareNpm(fixture((l) => (l.channels = { stable: '2.1.0' })), NO_ASSETS, { scope: 'acme' });
  assert.notEqual(moved.digest, a.digest);
  const installs = await prepareNpm(fixture((l) => (l.stats = { installs: 1000 })), NO_ASSETS, { scope: 'acme' });
  assert.equal(installs.digest, a.digest, 'install counts are not part of an immutable npm version');
});

test('every target has rules with a docs reference and positive limits', () => {
  for (const id of TARGET_IDS) {
    const r = PARTNER_TARGETS[id];
    assert.equal(r.id, id);
    assert.ok(r.docs.length > 10, id);
    assert.ok(r.title.max > 0 && r.summary.max > 0, id);
    for (const image of r.images) assert.ok(image.width > 0 && image.height > 0, `${id} ${image.slot}`);
  }
  assert.deepEqual(PARTNER_TARGETS.wordpress.images.slice(0, 4).map((i) => `${i.width}x${i.height}`), ['772x250', '1544x500', '128x128', '256x256']);
  assert.deepEqual(PARTNER_TARGETS.registry.images.map((i) => `${i.width}x${i.height}`), ['1280x720']);
});

test('the listing schema: buildListing of the reference extension validates; a broken listing does not', () => {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'extensions', 'duoprism', 'extension.json'), 'utf8'));
  const listing = buildListing(manifest, { registryUrl: 'https://registry.example/', tools: [{ name: 'duoprism_facts', description: 'Counts.' }] });
  assert.deepEqual(validateListing(listing), []);
  assert.deepEqual(validateListing(fixture()), []);
  const { id: _, ...noId } = fixture();
  assert.ok(validateListing(noId).length > 0);
  assert.ok(validateListing({ ...fixture(), tags: ['Not A Tag'] }).some((p) => p.pointer === '/tags/0'));
  assert.ok(validateListing({ ...fixture(), stats: { installs: -1 } }).some((p) => p.pointer === '/stats/installs'));
});

test('export bundle: deterministic zip of listing.json, CHECKLIST.md and exact-size images; refused on errors unless forced', async () => {
  const listing = fixture();
  const prepared = await prepareChrome(listing, assets(CHROME_IMAGES));
  const a = buildExportBundle(prepared);
  const b = buildExportBundle(await prepareChrome(listing, assets(CHROME_IMAGES)));
  assert.deepEqual(a.bytes, b.bytes, 'same input, same bytes');
  const files = unzipSync(a.bytes);
  assert.deepEqual(Object.keys(files), ['CHECKLIST.md', 'listing.json', 'images/icon.png', 'images/promo-small.png', 'images/screenshot-1.png', 'images/screenshot-2.png']);
  assert.deepEqual(imageInfo(files['images/promo-small.png']!), { type: 'png', width: 440, height: 280 });
  const copy = JSON.parse(new TextDecoder().decode(files['listing.json']));
  assert.ok(codePointLength(copy.summary) <= 132);
  const checklist = new TextDecoder().decode(files['CHECKLIST.md']);
  assert.match(checklist, /^- \[ \] \*\*Name\*\* \(≤ 75 characters \(refused beyond\); from `\/title`\): Hypershapes$/m);
  assert.match(checklist, /^- \[ \] \*\*icon image\*\* \(exactly 128×128 PNG\): images\/icon\.png$/m);
  assert.match(checklist, /^- WARNING SUMMARY_TRIMMED `\/summary:Summary`/m);

  const bad = await prepareShopify(fixture((l) => (l.categories = ['audio'])), assets({ icon: [1200, 1200] }));
  assert.throws(() => buildExportBundle(bad), (err: unknown) => err instanceof ListingError && err.code === 'EXPORT_REFUSED' && err.findings.some((f) => f.code === 'CATEGORY_UNSUPPORTED'));
  const forced = buildExportBundle(bad, { force: true });
  assert.match(new TextDecoder().decode(unzipSync(forced.bytes)['CHECKLIST.md']), /^- ERROR IMAGE_MISSING/m);
  await assert.rejects(async () => buildExportBundle(await prepareNpm(listing, NO_ASSETS)), (err: unknown) => err instanceof ListingError && err.code === 'TARGET_NOT_EXPORTABLE');
});
