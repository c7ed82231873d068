// Compliance checks (src/extensions/compliance, docs/MARKETPLACE-POLICY.md): a corpus of good and
// bad packages built and signed here, each with the codes it must fail; the NO_EVAL scanner's
// hits and non-hits; preview sizes; and `vib3 ext compliance` run in this process.
import { createHash } from 'node:crypto';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import { generateEd25519, keyIdOf, packFiles, readArchive, signPackage, writeArchive, type Ed25519Jwk } from '../../src/extensions/index.js';
import { checkCompliance, checkComplianceFiles, COMPLIANCE_CODES, findEvalUses, imageInfo, type ComplianceReport } from '../../src/extensions/compliance/index.js';
import { png } from '../support/png.js';

const enc = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), 'vib3-compliance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Clean code that mentions eval only where it must not be flagged.
const GOOD_WORKER = [
  '// eval("never") and new Function("x") in a comment; setTimeout("tick()") too',
  '/* eval(1) */ const note = "do not eval(this) or new Function(that)";',
  "const other = 'setTimeout(\"x\", 1)'; const re = /eval\\(/g;",
  'const tpl = `eval(${note.length}) new Function()`;',
  'export function evaluate(x) { return x * 2; } const o = { eval: 1 }; o.evaluate = evaluate; evaluate(3);',
  'setTimeout(() => evaluate(1), 10); setInterval(evaluate, 1000);',
  'export default { activate() { return o.eval / 2; } };',
].join('\n');

/** A CycloneDX SBOM describing the package's code files (what vib3 ext build writes). */
const sbomFor = (files: Map<string, Uint8Array>) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [
      { type: 'library', name: 'vib3-embed', version: '0.1.0' },
      ...[...files].filter(([p]) => /\.(m?js|cjs|wasm)$/.test(p)).map(([name, bytes]) => ({ type: 'file', name, hashes: [{ alg: 'SHA-256', content: createHash('sha256').update(bytes).digest('hex') }] })),
    ],
  });
const README_PRIVATE = '# Shapes\n\nAdds shapes.\n\n## Privacy\n\nSends the name of the shape you pick to shapes.example.com to fetch it; nothing else leaves the page and the server keeps no logs. Policy: https://example.com/privacy\n\n## License\n\nMIT\n';

interface Spec {
  edit?: (m: Record<string, any>) => void;
  files?: Record<string, string | Uint8Array | null>;
}

const acme = await generateEd25519();
const acmeKeyId = await keyIdOf(acme.publicJwk);
const trustedKeys = new Map<string, Ed25519Jwk>([[acmeKeyId, acme.publicJwk]]);

function files(spec: Spec = {}, keyId = acmeKeyId): Map<string, Uint8Array> {
  const manifest: Record<string, any> = {
    manifestVersion: 2,
    id: 'com.acme.shapes',
    version: '1.0.0',
    name: 'Shapes',
    description: 'Adds shapes to the canvas.',
    publisher: { name: 'ACME', keyId },
    capabilities: { geometry: { reason: 'Adds shape meshes to the canvas.' }, rendering: { reason: 'Reads the canvas colours to match them.' } },
    entrypoints: { worker: 'dist/worker.js' },
    compatibility: { core: '^0.1.0', rendererContract: 1 },
    marketplace: {
      title: 'Shapes',
      summary: 'More shapes for the canvas.',
      categories: ['geometry'],
      previews: [{ src: 'assets/preview.png', alt: 'Shapes on the canvas', width: 640, height: 360 }],
      pricing: { model: 'free' },
    },
  };
  spec.edit?.(manifest);
  const out = new Map<string, Uint8Array>([
    ['extension.json', enc.encode(JSON.stringify(manifest, null, 2))],
    ['dist/worker.js', enc.encode(GOOD_WORKER)],
    ['assets/preview.png', png(640, 360)],
    ['README.md', enc.encode(README_PRIVATE)],
  ]);
  for (const [path, value] of Object.entries(spec.files ?? {})) {
    if (value === null) out.delete(path);
    else out.set(path, typeof value === 'string' ? enc.encode(value) : value);
  }
  // The SBOM describes the final files, unless the spec sets (or removes) it.
  if (!('dist/sbom.cdx.json' in (spec.files ?? {}))) out.set('dist/sbom.cdx.json', enc.encode(sbomFor(out)));
  return out;
}
const signed = (spec: Spec = {}) => signPackage(packFiles(files(spec)), acme.privateJwk);
const failing = (r: ComplianceReport) => r.checks.filter((c) => !c.ok).map((c) => c.code);
const check = (r: ComplianceReport, code: string) => r.checks.find((c) => c.code === code)!;

/** Replaces a file of a signed package without signing again. */
function tamper(pkg: Uint8Array, path: string, change: (text: string) => string): Uint8Array {
  const f = readArchive(pkg);
  f.set(path, enc.encode(change(new TextDecoder().decode(f.get(path)!))));
  return writeArchive(f);
}

test('a good package passes every check, required and advisory, in the documented order', async () => {
  const r = await checkCompliance(await signed(), { trustedKeys });
  assert.deepEqual(r.checks.map((c) => c.code), [...COMPLIANCE_CODES]);
  assert.deepEqual(failing(r), [], JSON.stringify(r, null, 2));
  assert.equal(r.ok, true);
  assert.deepEqual(r.checks.filter((c) => c.required).map((c) => c.code), ['SIGNATURE', 'INTEGRITY', 'MANIFEST', 'CAPABILITY_REASONS', 'NO_EVAL']);
  assert.match(check(r, 'SIGNATURE').message, /verifies/);
  // Without keys, only the signature's presence is checked.
  assert.match(check(await checkCompliance(await signed()), 'SIGNATURE').message, /not verified/);
});

test('the corpus: each bad package fails exactly its codes', async () => {
  const other = await generateEd25519();
  const otherKeyId = await keyIdOf(other.publicJwk);
  const good = await signed();
  const at = (() => {
    const marker = enc.encode('const note');
    outer: for (let i = 0; i < good.length; i++) {
      for (let j = 0; j < marker.length; j++) if (good[i + j] !== marker[j]) continue outer;
      return i;
    }
    throw new Error('marker not found');
  })();
  const flipped = good.slice();
  flipped[at] = flipped[at]! ^ 0x01;
  const corpus: Array<[string, Uint8Array | Promise<Uint8Array>, string[], boolean]> = [
    ['unsigned', packFiles(files()), ['SIGNATURE', 'INTEGRITY'], false],
    ['manifest changed after signing', tamper(good, 'extension.json', (t) => t.replace('Adds shapes to the canvas.', 'Adds shapes to the canvas!')), ['SIGNATURE'], false],
    ['signed by an untrusted key', signPackage(packFiles(files({}, otherKeyId)), other.privateJwk), ['SIGNATURE'], false],
    ['one flipped byte in dist/worker.js (the SBOM also no longer matches it)', flipped, ['INTEGRITY', 'SBOM'], false],
    ['a file added after signing (not in the SBOM either)', writeArchive(new Map([...readArchive(good), ['dist/extra.js', enc.encode('1')]])), ['INTEGRITY', 'SBOM'], false],
    ['a capability without a reason', signed({ edit: (m) => delete m.capabilities.rendering.reason }), ['MANIFEST', 'CAPABILITY_REASONS'], false],
    ['a placeholder reason', signed({ edit: (m) => (m.capabilities.rendering.reason = 'TODO: write this later') }), ['CAPABILITY_REASONS'], false],
    ['a missing entrypoint', signed({ files: { 'dist/worker.js': null } }), ['MANIFEST'], false],
    ['eval in the bundle', signed({ files: { 'dist/worker.js': `${GOOD_WORKER}\nconst v = eval("1 + 1");` } }), ['NO_EVAL'], false],
    ['new Function in the bundle', signed({ files: { 'dist/chunk.mjs': 'export const f = new Function("a", "return a");' } }), ['NO_EVAL'], false],
    ['setTimeout with a string', signed({ files: { 'dist/worker.js': `${GOOD_WORKER}\nsetTimeout("tick()", 5);` } }), ['NO_EVAL'], false],
    ['no marketplace block', signed({ edit: (m) => delete m.marketplace }), ['LISTING', 'PREVIEW'], true],
    ['listing without summary and categories', signed({ edit: (m) => { delete m.marketplace.summary; delete m.marketplace.categories; } }), ['MANIFEST', 'LISTING'], false],
    ['no preview', signed({ edit: (m) => delete m.marketplace.previews, files: { 'assets/preview.png': null } }), ['PREVIEW'], true],
    ['a preview below 640×360', signed({ edit: (m) => (m.marketplace.previews[0] = { src: 'assets/preview.png', alt: 'x', width: 320, height: 180 }), files: { 'assets/preview.png': png(320, 180) } }), ['PREVIEW'], true],
    ['a preview of another size than declared', signed({ files: { 'assets/preview.png': png(1280, 720) } }), ['PREVIEW'], true],
    ['a preview that is not an image', signed({ files: { 'assets/preview.png': 'not a png' } }), ['PREVIEW'], true],
    ['network without a privacy statement', signed({ edit: (m) => (m.capabilities.network = { reason: 'Fetches shapes from the shape server.', origins: ['https://shapes.example.com'] }), files: { 'README.md': '# Shapes\n\nAdds shapes.\n' } }), ['PRIVACY'], true],
    ['a privacy statement that misses an origin', signed({ edit: (m) => (m.capabilities.network = { reason: 'Fetches shapes from two servers.', origins: ['https://shapes.example.com', 'https://cdn.example.net'] }) }), ['PRIVACY'], true],
    ['no SBOM', signed({ files: { 'dist/sbom.cdx.json': null } }), ['SBOM'], true],
    ['an SBOM that is not CycloneDX', signed({ files: { 'dist/sbom.cdx.json': '{"spdxVersion":"SPDX-2.3"}' } }), ['SBOM'], true],
    ['an SBOM that does not describe the shipped code', signed({ files: { 'dist/sbom.cdx.json': JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [] }) } }), ['SBOM'], true],
    ['an SBOM whose file hash is not the shipped file\'s', signed({ files: { 'dist/sbom.cdx.json': sbomFor(new Map([['dist/worker.js', enc.encode('export default {};')]])) } }), ['SBOM'], true],
  ];
  for (const [name, pkg, codes, ok] of corpus) {
    const r = await checkCompliance(await pkg, { trustedKeys });
    assert.deepEqual(failing(r), codes, `${name}: ${JSON.stringify(r.checks.filter((c) => !c.ok), null, 2)}`);
    assert.equal(r.ok, ok, name);
    for (const c of r.checks.filter((x) => !x.ok)) assert.ok(c.suggestion, `${name}: ${c.code} has a suggestion`);
  }
  // Network with a statement naming its origin passes PRIVACY.
  const net = await checkCompliance(await signed({ edit: (m) => (m.capabilities.network = { reason: 'Fetches shapes from the shape server.', origins: ['https://shapes.example.com'] }) }), { trustedKeys });
  assert.equal(check(net, 'PRIVACY').ok, true);
  assert.equal(check(await checkCompliance(flipped, { trustedKeys }), 'INTEGRITY').path, 'dist/worker.js');
  const evalReport = await checkCompliance(await signed({ files: { 'dist/worker.js': `${GOOD_WORKER}\nconst v = eval("1 + 1");` } }), { trustedKeys });
  assert.equal(check(evalReport, 'NO_EVAL').path, 'dist/worker.js');
  assert.match(check(evalReport, 'NO_EVAL').message, /dist\/worker\.js:8:11 eval/);
  // Without trusted keys the tampered manifest only shows a present signature.
  assert.equal(check(await checkCompliance(tamper(good, 'extension.json', (t) => t.replace('Adds shapes', 'Adds SHAPES'))), 'SIGNATURE').ok, true);
});

test('a damaged archive fails INTEGRITY and reports every other check as not run; an unpacked folder is unsigned', async () => {
  const r = await checkCompliance((await signed()).subarray(0, 1000));
  assert.deepEqual(failing(r), [...COMPLIANCE_CODES]);
  assert.match(check(r, 'INTEGRITY').message, /cannot be read/);
  assert.match(check(r, 'NO_EVAL').message, /Not checked/);
  const folder = await checkComplianceFiles(files());
  assert.deepEqual(failing(folder), ['SIGNATURE', 'INTEGRITY']);
});

test('NO_EVAL: what is flagged and what is not', () => {
  const flagged = ['eval("1")', 'globalThis.eval(s)', '(0, eval)(s)', 'window["eval"](s)', '\\u0065val(s)', 'new Function("return 1")', 'Function("return this")()', '(function(){}).constructor("return this")()', 'setTimeout("tick()", 1)', 'window.setInterval(`tick()`, 1)'];
  for (const src of flagged) assert.equal(findEvalUses(src).length, 1, src);
  const clean = [GOOD_WORKER, 'obj.eval(x); math.evaluate(y); myeval(z); $eval(q);', 'const s = `${a}` + "eval(b)"; // eval(c)', 'x = a / b; y = (c) / 2; z = /new Function\\(/.test(s);', 'class A { constructor(x) { this.x = x; } }', 'const e = { Function: 1 }; e.Function = 2;'];
  for (const src of clean) assert.deepEqual(findEvalUses(src), [], src);
  assert.deepEqual(findEvalUses('const a = 1;\n  eval(a);'), [{ line: 2, column: 3, what: 'eval(…)' }]);
});

test('preview sizes are read from PNG, GIF, JPEG and WebP headers', () => {
  assert.deepEqual(imageInfo(png(641, 361)), { type: 'png', width: 641, height: 361 });
  assert.deepEqual(imageInfo(new Uint8Array([...enc.encode('GIF89a'), 0x80, 0x02, 0x68, 0x01, 0, 0, 0])), { type: 'gif', width: 640, height: 360 });
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x68, 0x02, 0x80, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd9]);
  assert.deepEqual(imageInfo(jpeg), { type: 'jpeg', width: 640, height: 360 });
  const webp = new Uint8Array(30);
  webp.set(enc.encode('RIFF'), 0);
  webp.set(enc.encode('WEBPVP8X'), 8);
  webp.set([0x7f, 0x02, 0x00, 0x67, 0x01, 0x00], 24);
  assert.deepEqual(imageInfo(webp), { type: 'webp', width: 640, height: 360 });
  assert.equal(imageInfo(enc.encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
  assert.equal(imageInfo(png(640, 360).subarray(0, 40)), undefined);
});

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('vib3 ext compliance: exit 0 / 1, a table or { ok, checks }, packages and folders, --trust files and folders', async () => {
  const keys = join(dir, 'keys');
  mkdirSync(keys);
  writeFileSync(join(keys, 'acme.public.jwk'), JSON.stringify(acme.publicJwk));
  writeFileSync(join(keys, 'acme.private.jwk'), JSON.stringify(acme.privateJwk));
  writeFileSync(join(dir, 'good.vib3x'), await signed());
  writeFileSync(join(dir, 'eval.vib3x'), await signed({ files: { 'dist/worker.js': 'export default eval("({})");' } }));
  writeFileSync(join(dir, 'advisory.vib3x'), await signed({ files: { 'dist/sbom.cdx.json': null } }));

  const good = await vib3('ext', 'compliance', join(dir, 'good.vib3x'), '--trust', join(keys, 'acme.public.jwk'), '--json');
  assert.equal(good.code, 0, good.out + good.err);
  const body = JSON.parse(good.out);
  assert.deepEqual(Object.keys(body), ['ok', 'checks']);
  assert.equal(body.ok, true);
  assert.deepEqual(body.checks.map((c: { code: string }) => c.code), [...COMPLIANCE_CODES]);

  const bad = await vib3('ext', 'compliance', join(dir, 'eval.vib3x'), '--trust', keys, '--json');
  assert.equal(bad.code, 1);
  assert.deepEqual(JSON.parse(bad.out).checks.filter((c: { ok: boolean }) => !c.ok).map((c: { code: string }) => c.code), ['NO_EVAL']);

  const table = await vib3('ext', 'compliance', join(dir, 'eval.vib3x'));
  assert.equal(table.code, 1);
  assert.match(table.out, /FAIL +required +NO_EVAL +Code compiled from strings at run time: dist\/worker\.js:1:16 eval/);
  assert.match(table.out, /signature not verified/);
  assert.match(table.out, /^FAIL: required check NO_EVAL failed/m);

  const advisory = await vib3('ext', 'compliance', join(dir, 'advisory.vib3x'), '--trust', join(keys, 'acme.public.jwk'));
  assert.equal(advisory.code, 0, 'advisory failures do not fail the command');
  assert.match(advisory.out, /FAIL +advisory +SBOM/);
  assert.match(advisory.out, /^PASS: every required check passed \(1 advisory check failed\)\./m);

  // An extension folder: checked as vib3 ext pack would pack it (unsigned: SIGNATURE and INTEGRITY fail).
  const ext = join(dir, 'shapes');
  for (const [path, bytes] of files()) {
    mkdirSync(join(ext, path, '..'), { recursive: true });
    writeFileSync(join(ext, path), bytes);
  }
  const folder = await vib3('ext', 'compliance', ext, '--json');
  assert.equal(folder.code, 1);
  assert.deepEqual(JSON.parse(folder.out).checks.filter((c: { ok: boolean }) => !c.ok).map((c: { code: string }) => c.code), ['SIGNATURE', 'INTEGRITY']);

  const usage = await vib3('ext', 'compliance');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /MISSING_PACKAGE/);
  const privateKey = await vib3('ext', 'compliance', join(dir, 'good.vib3x'), '--trust', join(keys, 'acme.private.jwk'), '--json');
  assert.deepEqual([privateKey.code, JSON.parse(privateKey.out).code], [2, 'PRIVATE_KEY_GIVEN']);
  const help = await vib3('ext', 'compliance', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage:\n {2}vib3 ext compliance <pkg\.vib3x \| dir>/);
});

test('NO_EVAL scanner: Function as a value, .constructor.constructor, slashes after ++ and property keywords', () => {
  const flagged = (src: string) => findEvalUses(src).length > 0;
  for (const src of ['Reflect.construct(Function,["return 1"])', 'const F=Function;F("x")', 'Function.apply(null,["x"])', 'x.constructor.constructor(code)', 'a++/2;eval(s);y=c/d', 'a.return/2;eval(1)//']) assert.equal(flagged(src), true, src);
  for (const src of ['x instanceof Function', 'typeof Function', 'Function.prototype.toString.call(f)', 'new this.constructor(this.x,this.y)', 'new e.array.constructor(e.array)', 'const o={Function:1}', '// eval(x)', '"eval(x)"', 'evaluate(x)']) assert.equal(flagged(src), false, src);
});
