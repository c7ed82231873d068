// The extension toolchain end to end, through the built CLI (dist/cli/vib3.js) as a publisher uses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const vib3 = (args, cwd = repo) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
/** The SOURCE_DATE_EPOCH the reference package is built with (extensions/duoprism/README.md). */
const REFERENCE_EPOCH = '1767225600';
let work;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'vib3-ext-'));
  // A project that installed vib3-embed: node_modules/vib3-embed -> this repository.
  mkdirSync(join(work, 'node_modules/.bin'), { recursive: true });
  symlinkSync(repo, join(work, 'node_modules/vib3-embed'));
  symlinkSync(cli, join(work, 'node_modules/.bin/vib3'));
});
after(() => rmSync(work, { recursive: true, force: true }));

for (const template of ['renderer', 'geometry', 'toolpack', 'ui-widget']) {
  test(`template "${template}": scaffold -> keygen -> build -> lint -> test -> pack -> sign -> verify, then a flipped byte fails`, () => {
    const name = `demo-${template}`;
    const created = vib3(['ext', 'create', name, '--template', template, '--id', `com.example.${name}`], work);
    assert.equal(created.status, 0, created.stderr);
    const dir = join(work, name);
    const npm = (script) => {
      const r = spawnSync('npm', ['run', '-s', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(work, 'node_modules/.bin')}:${process.env.PATH}` } });
      assert.equal(r.status, 0, `npm run ${script} failed:\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };
    npm('keygen');
    assert.match(readFileSync(join(dir, 'extension.json'), 'utf8'), /"keyId": "ed25519:[A-Za-z0-9_-]{22}"/);
    npm('build');
    assert.match(npm('lint'), /0 error\(s\), 0 warning\(s\)/);
    assert.match(npm('test'), /# fail 0/);
    npm('pack');
    npm('sign');
    assert.match(npm('verify'), /^OK com\.example\./);
    const pkg = readFileSync(join(dir, 'package.vib3x'));
    pkg[Math.floor(pkg.length / 3)] ^= 0x20;
    writeFileSync(join(dir, 'tampered.vib3x'), pkg);
    const bad = vib3(['ext', 'verify', 'tampered.vib3x', '--trust', '.keys/publisher.public.jwk'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /^FAILED [A-Z_]+/);
  });
}

test('the reference extension rebuilds into a byte-identical signed package that verifies, with the SBOM of what it bundles', () => {
  const ext = join(repo, 'extensions/duoprism');
  // Reproducible: the SBOM's time is SOURCE_DATE_EPOCH; the committed package carries no
  // provenance (a statement names a commit, which changes with every commit of this repository).
  const reproducible = { env: { ...process.env, SOURCE_DATE_EPOCH: REFERENCE_EPOCH } };
  const run = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8', ...reproducible });
  assert.equal(run(['ext', 'build', ext]).status, 0);
  const t = vib3(['ext', 'test', ext]);
  assert.equal(t.status, 0, t.stdout + t.stderr);
  const out = join(work, 'duoprism.vib3x');
  assert.equal(run(['ext', 'pack', ext, '-o', out]).status, 0);
  assert.equal(run(['ext', 'sign', out, '--key', join(ext, 'test-keys/reference.private.jwk'), '--no-provenance']).status, 0);
  const committed = readFileSync(join(ext, 'dev.vib3.duoprism-1.0.1.vib3x'));
  assert.ok(readFileSync(out).equals(committed), 'rebuilt package differs from the committed one: rebuild it (see extensions/duoprism/README.md)');
  const v = vib3(['ext', 'verify', join(ext, 'dev.vib3.duoprism-1.0.1.vib3x'), '--trust', join(ext, 'test-keys/reference.public.jwk'), '--json']);
  assert.equal(v.status, 0);
  assert.deepEqual(JSON.parse(v.stdout), { ok: true, id: 'dev.vib3.duoprism', version: '1.0.1', keyId: 'ed25519:ucgXprQp7hJnB1FFnMU9RO' });
  // Its SBOM names the one package it bundles (the kit's SDK) and describes its worker bundle.
  const sbom = JSON.parse(readFileSync(join(ext, 'dist/sbom.cdx.json'), 'utf8'));
  assert.deepEqual(sbom.components.filter((c) => c.type === 'library').map((c) => c.purl), [`pkg:npm/vib3-embed@${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version}`]);
  assert.deepEqual(sbom.components.filter((c) => c.type === 'file').map((c) => c.name).sort(), ['dist/tools.json', 'dist/worker.js']);
});

test('lint prints every problem with pointer, code and suggestion, and exits 1 on errors', () => {
  const dir = join(work, 'broken');
  mkdirSync(dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(repo, 'extensions/duoprism/extension.json'), 'utf8'));
  writeFileSync(join(dir, 'extension.json'), JSON.stringify({ ...m, id: 'BAD', version: '1.0', capabilities: { network: { reason: 'x', origins: ['https://*.x.com'] } } }));
  const r = vib3(['ext', 'lint', dir]);
  assert.equal(r.status, 1);
  for (const expected of ['INVALID_ID', '/id', 'INVALID_VERSION', 'TOO_SHORT', '/capabilities/network/reason', 'INVALID_ORIGIN', '/capabilities/network/origins/0']) assert.ok(r.stdout.includes(expected), expected);
  assert.match(r.stdout, /-> /, 'suggestions are printed');
  const json = JSON.parse(vib3(['ext', 'lint', dir, '--json']).stdout);
  assert.equal(json.valid, false);
  assert.ok(json.problems.length >= 5);
});

test('a compliance report over a folder prints the share of manifests that pass', () => {
  const dir = join(work, 'corpus');
  mkdirSync(dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(repo, 'extensions/duoprism/extension.json'), 'utf8'));
  writeFileSync(join(dir, 'a-good.json'), JSON.stringify(m));
  writeFileSync(join(dir, 'b-good.json'), JSON.stringify({ ...m, id: 'dev.vib3.other' }));
  writeFileSync(join(dir, 'c-good.json'), JSON.stringify({ ...m, id: 'dev.vib3.third', version: '2.0.0-rc.1' }));
  writeFileSync(join(dir, 'd-bad.json'), JSON.stringify({ ...m, version: 'latest' }));
  writeFileSync(join(dir, 'e-bad.json'), '{ not json');
  const r = vib3(['ext', 'lint', '--report', dir]);
  assert.equal(r.status, 1, 'not everything passes');
  assert.match(r.stdout, /compliance: 3\/5 manifests pass \(60\.0%\)/);
  assert.match(r.stdout, /FAIL {2}d-bad\.json {2}\(INVALID_VERSION\)/);
  assert.match(r.stdout, /FAIL {2}e-bad\.json {2}\(INVALID_JSON\)/);
});

test('usage errors exit 2 with an explanation', () => {
  for (const args of [['ext', 'create', 'Bad Name', '--template', 'geometry'], ['ext', 'create', 'ok-name', '--template', 'shader'], ['ext', 'sign', 'x.vib3x'], ['nonsense']]) {
    const r = vib3(args, work);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /vib3: /);
  }
  assert.equal(readdirSync(work).includes('ok-name'), false, 'nothing was written for a bad template');
});

test('validation, signature verification, the SDK harness and the sandboxed runtime run in Chromium under a CSP without unsafe-eval', async () => {
  assert.equal(vib3(['ext', 'build', join(repo, 'extensions/duoprism')]).status, 0);
  const csp = "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'";
  // The page's policy; the sandbox frame (dist/sandbox/frame.html) brings its own, stricter one.
  const server = await startServer((path) => (path.endsWith('strict-csp-extensions.html') ? { 'content-security-policy': csp } : {}));
  const browser = await launch('plain');
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/test/e2e/fixtures/strict-csp-extensions.html`);
    const results = await page.evaluate(() => window.results);
    assert.equal(results.evalBlocked, true, 'the CSP really forbids eval on this page');
    assert.equal(results.validProblems, 0);
    assert.ok(results.brokenCodes.includes('INVALID_ID@/id') && results.brokenCodes.includes('INVALID_VERSION@/version'), JSON.stringify(results.brokenCodes));
    assert.equal(results.verified, 'dev.vib3.duoprism@1.0.1');
    assert.notEqual(results.rejected, 'ok');
    assert.deepEqual(results.harness, { vertices: 20, edges: 40, cells: 9, badInput: 'INVALID_TOOL_INPUT' });
    assert.deepEqual(results.sandbox, { tools: ['dev.vib3.duoprism.duoprism_facts', 'dev.vib3.duoprism.show_duoprism'], cells: 9, vertices: 12 });
    assert.deepEqual(results.violations.filter((v) => !v.includes('eval')), [], 'no other CSP violation');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.server.close();
  }
});
