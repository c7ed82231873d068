// The built `vib3` command (dist/cli/vib3.js, from npm run build): help for every command,
// --version, and usage errors with stable codes and exit code 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const cli = join(repo, 'dist/cli/vib3.js');
let work;
before(() => (work = mkdtempSync(join(tmpdir(), 'vib3-cli-'))));
after(() => rmSync(work, { recursive: true, force: true }));
const vib3 = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8' });

const SUBCOMMANDS = ['create', 'build', 'lint', 'keygen', 'pack', 'sign', 'verify', 'inspect', 'test'];

test('vib3 --help, -h and vib3 help print the whole command overview', () => {
  const outputs = [vib3('--help'), vib3('-h'), vib3('help')];
  for (const r of outputs) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage:\n {2}vib3 <command>/m);
    assert.match(r.stdout, /-v, --version/);
    assert.match(r.stdout, /-h, --help/);
    assert.match(r.stdout, /^Examples:\n {2}vib3 ext create \S+ --template \w+/m);
    for (const sub of SUBCOMMANDS) assert.match(r.stdout, new RegExp(`^ {2}${sub} +\\S`, 'm'), `lists ext ${sub}`);
    assert.ok(r.stdout.split('\n').length > 15, 'more than a line pointing at itself');
  }
  assert.equal(outputs[1].stdout, outputs[0].stdout);
  assert.equal(outputs[2].stdout, outputs[0].stdout);
});

test('vib3 --version and -v print the package version', () => {
  for (const flag of ['--version', '-v']) {
    const r = vib3(flag);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  }
});

test('vib3 ext --help and vib3 help ext list every subcommand with a round-trip example', () => {
  for (const args of [['ext', '--help'], ['ext', '-h'], ['help', 'ext'], ['ext', 'help']]) {
    const r = vib3(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /^Usage:\n {2}vib3 ext <subcommand>/m);
    for (const sub of SUBCOMMANDS) assert.match(r.stdout, new RegExp(`^ {2}${sub} +\\S`, 'm'), `lists ${sub}`);
    assert.match(r.stdout, /vib3 ext sign \S+ --key /);
  }
});

for (const sub of SUBCOMMANDS) {
  test(`vib3 ext ${sub} --help: usage, arguments, options and an example`, () => {
    const r = vib3('ext', sub, '--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^vib3 ext ${sub} — \\S`));
    assert.match(r.stdout, new RegExp(`^Usage:\\n {2}vib3 ext ${sub}\\b`, 'm'));
    assert.match(r.stdout, /^Options:\n(.+\n)*\s+-h, --help +Show this help\./m);
    assert.match(r.stdout, new RegExp(`^Examples:\\n {2}vib3 ext ${sub}\\b`, 'm'));
    if (sub !== 'keygen') assert.match(r.stdout, /^Arguments:\n {2}<\S+/m, 'documents its argument');
    assert.equal(vib3('ext', sub, '-h').stdout, r.stdout);
    assert.equal(vib3('help', 'ext', sub).stdout, r.stdout);
  });
}

test('vib3 ext create --help documents the templates and every option', () => {
  const { stdout } = vib3('ext', 'create', '--help');
  for (const t of ['renderer', 'geometry', 'toolpack', 'ui-widget']) assert.ok(stdout.includes(t), t);
  for (const o of ['--template', '--dir', '--id', '--publisher']) assert.ok(stdout.includes(o), o);
});

test('vib3 ext create without a name: coded MISSING_NAME message, exit 2, nothing written', () => {
  for (const args of [['ext', 'create'], ['ext', 'create', '--template', 'geometry']]) {
    const r = vib3(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /^vib3: MISSING_NAME: ext create needs the extension's name/);
    assert.match(r.stderr, /vib3 ext create --help/);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(readdirSync(work), []);
});

test('unknown commands and options, extra arguments and missing values: a clear coded message and exit 2', () => {
  const cases = [
    [['frobnicate'], /^vib3: UNKNOWN_COMMAND: unknown command "frobnicate"/],
    [['--frobnicate'], /^vib3: UNKNOWN_OPTION: unknown option --frobnicate/],
    [['ext', 'frobnicate'], /^vib3: UNKNOWN_COMMAND: unknown ext subcommand "frobnicate"/],
    [['ext', 'create', 'my-shape', '--template', 'geometry', '--colour', 'red'], /^vib3: UNKNOWN_OPTION: ext create has no option --colour/],
    [['ext', 'pack', 'a', 'b'], /^vib3: UNEXPECTED_ARGUMENT: ext pack takes at most 1 argument; unexpected "b"/],
    [['ext', 'create', 'my-shape', '--template'], /^vib3: INVALID_OPTION_VALUE: ext create: option --template needs a value/],
    [['help', 'frobnicate'], /^vib3: UNKNOWN_COMMAND: no help for "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = vib3(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /Run "vib3( ext( \w+)?)? --help" for usage\./);
  }
  assert.deepEqual(readdirSync(work), [], 'nothing was written');
  // No arguments at all: the overview, on stderr, and exit 2.
  const bare = vib3();
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /^Usage:/m);
});
