// `vib3 listing validate|export|preview` run in this process through `main` (docs/LISTINGS.md):
// exit codes, the findings table and --json, the export zip's entries, images and checklist lines;
// and the usage errors of `upload|sync|status` (their registry round trips: api-listing-sync.test.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { main } from '../../src/cli/program.js';
import { writeArchive } from '../../src/extensions/signing/archive.js';
import { imageInfo } from '../../src/extensions/compliance/images.js';
import { png } from '../support/png.js';

const dir = mkdtempSync(join(tmpdir(), 'vib3-listing-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'extensions', 'duoprism', 'extension.json'), 'utf8'));
const TOOLS = { tools: [{ name: 'duoprism_facts', description: 'Counts the parts of a duoprism.', inputSchema: { type: 'object' } }] };

/** An extension folder: the reference manifest with `edit` applied, and its tool pack. */
function extension(name: string, edit: (m: Record<string, any>) => void = () => {}): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'dist'), { recursive: true });
  const manifest = structuredClone(REFERENCE);
  // The listing fields the assertions below rely on, set here rather than taken from the reference.
  Object.assign(manifest, { id: 'dev.vib3.duoprism', version: '1.0.1' });
  Object.assign(manifest.marketplace, {
    title: 'Duoprisms',
    summary: 'The p,q-duoprism family of 4D polytopes, with agent tools.',
    categories: ['geometry', 'education'],
    tags: ['polytope', 'duoprism', '4d', 'math', 'geometry', 'wireframe'],
    pricing: { model: 'free' },
    license: 'MIT',
  });
  edit(manifest);
  writeFileSync(join(root, 'extension.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(root, 'dist', 'tools.json'), JSON.stringify(TOOLS));
  writeFileSync(join(root, 'dist', 'worker.js'), 'export default {};\n');
  return root;
}

/** An images folder with `target/<key>.png` at the given sizes. */
function images(name: string, target: string, sizes: Record<string, [number, number]>): string {
  const root = join(dir, name);
  mkdirSync(join(root, target), { recursive: true });
  for (const [key, [w, h]] of Object.entries(sizes)) writeFileSync(join(root, target, `${key}.png`), png(w, h));
  return root;
}

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CHROME = { icon: [128, 128], 'screenshot-1': [1280, 800], 'promo-small': [440, 280] } as Record<string, [number, number]>;

test('vib3 listing validate: a table of coded findings, exit 0 with warnings only; --json per target', async () => {
  const ext = extension('good');
  const text = await vib3('listing', 'validate', ext);
  assert.equal(text.code, 0, text.out + text.err);
  assert.match(text.out, /^listing of dev\.vib3\.duoprism@1\.0\.1 for 10 targets: 0 errors, \d+ warnings \(images not checked/);
  assert.match(text.out, /^ {2}wordpress +warning +TAGS_TRIMMED +\/tags:Tags +WordPress\.org plugin directory uses the first 5 tags; dropped: "wireframe"\.$/m);
  assert.match(text.out, /^PASS: no target refuses this listing\.$/m);

  const json = await vib3('listing', 'validate', ext, '--target', 'wordpress', '--target', 'mcp-registry', '--json');
  assert.equal(json.code, 0, json.out);
  const body = JSON.parse(json.out);
  assert.deepEqual(Object.keys(body), ['ok', 'id', 'version', 'imagesChecked', 'targets']);
  assert.deepEqual(body.targets.map((t: { target: string }) => t.target), ['wordpress', 'mcp-registry']);
  assert.deepEqual(body.targets[0].findings.map((f: { code: string }) => f.code), ['TAGS_TRIMMED']);
  assert.deepEqual(body.targets[1].findings, [], 'the tool pack is read from the folder: no NO_TOOLS');
  assert.match(body.targets[0].digest, /^[0-9a-f]{64}$/);

  // A package gives the same listing as its folder.
  const pkg = join(dir, 'good.vib3x');
  writeFileSync(pkg, writeArchive(new Map([
    ['extension.json', readFileSync(join(ext, 'extension.json'))],
    ['dist/tools.json', readFileSync(join(ext, 'dist', 'tools.json'))],
    ['dist/worker.js', readFileSync(join(ext, 'dist', 'worker.js'))],
  ])));
  const fromPkg = JSON.parse((await vib3('listing', 'validate', pkg, '--target', 'wordpress', '--target', 'mcp-registry', '--json')).out);
  assert.deepEqual(fromPkg.targets.map((t: { digest: string }) => t.digest), body.targets.map((t: { digest: string }) => t.digest));
});

test('vib3 listing validate: exit 1 on an error finding (paid on WordPress.org, a wrong image size), 2 on usage errors', async () => {
  const paid = extension('paid', (m) => (m.marketplace.pricing = { model: 'paid', amount: 9, currency: 'EUR' }));
  const refused = await vib3('listing', 'validate', paid, '--target', 'wordpress', '--target', 'chrome');
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /^ {2}wordpress +error +PAID_UNSUPPORTED /m);
  assert.match(refused.out, /^FAIL: wordpress would refuse this listing/m);

  const shots = images('wrong-size', 'chrome', { ...CHROME, icon: [100, 100] });
  const wrong = await vib3('listing', 'validate', extension('sized'), '--target', 'chrome', '--images', shots, '--json');
  assert.equal(wrong.code, 1);
  const findings = JSON.parse(wrong.out).targets[0].findings;
  assert.ok(findings.some((f: { code: string; field: string }) => f.code === 'IMAGE_WRONG_SIZE' && f.field === '/previews:icon'), wrong.out);

  const bogus = await vib3('listing', 'validate', paid, '--target', 'myspace');
  assert.equal(bogus.code, 2);
  assert.match(bogus.err, /INVALID_OPTION_VALUE/);
  const missing = await vib3('listing', 'validate', join(dir, 'nope'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /FILE_NOT_FOUND/);
  const invalid = extension('invalid', (m) => (m.marketplace.categories = ['poetry']));
  const bad = await vib3('listing', 'validate', invalid, '--json');
  assert.equal(bad.code, 1);
  assert.equal(JSON.parse(bad.out).code, 'MANIFEST_INVALID');
});

test('vib3 listing export: the zip holds listing.json, CHECKLIST.md and the images at their exact sizes', async () => {
  const ext = extension('export');
  const shots = images('chrome-good', 'chrome', CHROME);
  const out = join(dir, 'chrome.zip');
  const run = await vib3('listing', 'export', ext, '--target', 'chrome', '--images', shots, '--out', out, '--json');
  assert.equal(run.code, 0, run.out + run.err);
  const body = JSON.parse(run.out);
  assert.equal(body.ok, true);
  assert.equal(body.out, out);
  const files = unzipSync(new Uint8Array(readFileSync(out)));
  assert.deepEqual(Object.keys(files), ['CHECKLIST.md', 'listing.json', 'images/icon.png', 'images/promo-small.png', 'images/screenshot-1.png']);
  assert.deepEqual(body.entries, Object.keys(files));
  assert.deepEqual(imageInfo(files['images/screenshot-1.png']!), { type: 'png', width: 1280, height: 800 });
  assert.deepEqual(imageInfo(files['images/icon.png']!), { type: 'png', width: 128, height: 128 });

  const copy = JSON.parse(new TextDecoder().decode(files['listing.json']));
  assert.equal(copy.target, 'chrome');
  assert.equal(copy.title, 'Duoprisms');
  assert.deepEqual(copy.categories, ['Art & Design']);

  const checklist = new TextDecoder().decode(files['CHECKLIST.md']).split('\n');
  assert.equal(checklist[0], '# Chrome Web Store listing: Duoprisms 1.0.1');
  assert.ok(checklist.includes('- [ ] **Name** (≤ 75 characters (refused beyond); from `/title`): Duoprisms'), checklist.join('\n'));
  assert.ok(checklist.includes('- [ ] **Summary** (≤ 132 characters (trimmed to fit); from `/summary`): The p,q-duoprism family of 4D polytopes, with agent tools.'));
  assert.ok(checklist.includes('- [ ] **Category** (one of the portal\'s categories; from `/categories`): Art & Design'));
  assert.ok(checklist.includes('- [ ] **promo-small image** (exactly 440×280 PNG): images/promo-small.png'));
  assert.ok(checklist.some((l) => /^- WARNING CATEGORIES_TRIMMED `\/categories:Category`/.test(l)));

  // The same inputs give the same bytes.
  const again = join(dir, 'chrome-again.zip');
  assert.equal((await vib3('listing', 'export', ext, '--target', 'chrome', '--images', shots, '--out', again)).code, 0);
  assert.deepEqual(readFileSync(again), readFileSync(out));
});

test('vib3 listing export: refused (exit 1, EXPORT_REFUSED) while a target has an error finding; --force exports anyway', async () => {
  const ext = extension('refused');
  const { 'promo-small': _, ...noPromo } = CHROME;
  const shots = images('chrome-missing', 'chrome', noPromo);
  const out = join(dir, 'refused.zip');
  const refused = await vib3('listing', 'export', ext, '--target', 'chrome', '--images', shots, '--out', out, '--json');
  assert.equal(refused.code, 1);
  const body = JSON.parse(refused.out);
  assert.equal(body.code, 'EXPORT_REFUSED');
  assert.ok(body.findings.some((f: { code: string; field: string }) => f.code === 'IMAGE_MISSING' && f.field === '/previews:promo-small'));
  const text = await vib3('listing', 'export', ext, '--target', 'chrome', '--images', shots, '--out', out);
  assert.equal(text.code, 1);
  assert.match(text.err, /IMAGE_MISSING/);
  assert.match(text.err, /vib3: EXPORT_REFUSED: /);

  const forced = await vib3('listing', 'export', ext, '--target', 'chrome', '--images', shots, '--out', out, '--force');
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /exported with --force/);
  const checklist = new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(out)))['CHECKLIST.md']);
  assert.match(checklist, /^- ERROR IMAGE_MISSING `\/previews:promo-small`/m);
});

test('vib3 listing: usage errors, preview, and --help on every subcommand', async () => {
  const ext = extension('usage');
  const npm = await vib3('listing', 'export', ext, '--target', 'npm', '--images', dir);
  assert.equal(npm.code, 2);
  assert.match(npm.err, /INVALID_OPTION_VALUE/);
  const noImages = await vib3('listing', 'export', ext, '--target', 'chrome');
  assert.equal(noImages.code, 2);
  assert.match(noImages.err, /MISSING_IMAGES/);
  const noTarget = await vib3('listing', 'export', ext, '--images', dir);
  assert.equal(noTarget.code, 2);
  assert.match(noTarget.err, /MISSING_TARGET/);

  // The renderer itself is tested end to end (test/e2e/previews.test.mjs); here: a folder that
  // was never built is refused with its code before any browser starts.
  const unbuilt = join(dir, 'unbuilt');
  mkdirSync(unbuilt, { recursive: true });
  writeFileSync(join(unbuilt, 'extension.json'), readFileSync(join(ext, 'extension.json')));
  const preview = await vib3('listing', 'preview', unbuilt, '--out', join(dir, 'never'));
  assert.equal(preview.code, 1);
  assert.match(preview.err, /EXTENSION_NOT_BUILT/);

  for (const sub of [[], ['validate'], ['export'], ['preview']]) {
    const help = await vib3('listing', ...sub, '--help');
    assert.equal(help.code, 0, sub.join(' '));
    assert.match(help.out, /Usage:\n {2}vib3 listing/);
  }
  const group = await vib3('listing', '--help');
  assert.match(group.out, /validate <dir\|pkg\.vib3x>/);
  assert.match(group.out, /export <dir\|pkg\.vib3x>/);
});

test('vib3 listing upload|sync|status: usage errors and coded refusals before any request; --help on each', async () => {
  const registry = ['--registry', 'http://127.0.0.1:9', '--token', 'vib3_test'];
  const noRegistry = await vib3('listing', 'status', 'com.acme.shapes');
  assert.equal(noRegistry.code, 2);
  assert.match(noRegistry.err, /MISSING_REGISTRY/);
  const noFolder = await vib3('listing', 'upload', join(dir, 'absent'), ...registry);
  assert.equal(noFolder.code, 1);
  assert.match(noFolder.err, /FILE_NOT_FOUND/);
  const empty = join(dir, 'no-previews-json');
  mkdirSync(empty, { recursive: true });
  assert.match((await vib3('listing', 'upload', empty, ...registry)).err, /PREVIEWS_NOT_FOUND/);
  // previews.json may only name files inside its folder.
  const escaping = join(dir, 'escaping');
  mkdirSync(escaping, { recursive: true });
  writeFileSync(join(escaping, 'previews.json'), JSON.stringify({ extension: { id: 'com.acme.shapes', version: '1.0.0' }, files: [{ file: '../secret.png', target: 'wordpress' }] }));
  const escaped = await vib3('listing', 'upload', escaping, ...registry, '--json');
  assert.equal(escaped.code, 1);
  assert.equal(JSON.parse(escaped.out).code, 'PREVIEWS_INVALID');
  const both = await vib3('listing', 'sync', 'com.acme.shapes', '--dry-run', '--force', ...registry);
  assert.deepEqual([both.code, /CONFLICTING_OPTIONS/.test(both.err)], [2, true]);
  const badPartner = await vib3('listing', 'sync', 'com.acme.shapes', '--partner', 'Not A Partner', ...registry);
  assert.deepEqual([badPartner.code, /INVALID_OPTION_VALUE/.test(badPartner.err)], [2, true]);
  const unreachable = await vib3('listing', 'status', 'com.acme.shapes', ...registry);
  assert.deepEqual([unreachable.code, /REGISTRY_UNREACHABLE/.test(unreachable.err)], [1, true]);
  const targetsAlone = await vib3('ext', 'publish', 'x.vib3x', '--registry', 'http://127.0.0.1:9', '--previews-targets', 'registry');
  assert.deepEqual([targetsAlone.code, /PREVIEWS_TARGETS_WITHOUT_PREVIEWS/.test(targetsAlone.err)], [2, true]);

  for (const sub of ['upload', 'sync', 'status']) {
    const help = await vib3('listing', sub, '--help');
    assert.equal(help.code, 0, sub);
    assert.match(help.out, new RegExp(`Usage:\\n {2}vib3 listing ${sub} `));
  }
  const group = await vib3('listing', '--help');
  assert.match(group.out, /upload <previews-dir>/);
  assert.match(group.out, /sync <id>/);
  assert.match(group.out, /status <id>/);
  assert.match((await vib3('ext', 'publish', '--help')).out, /--previews-targets <list>/);
});
