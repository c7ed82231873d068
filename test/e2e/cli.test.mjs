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

// ---------------------------------------------------------------- registry commands, login, logout

/** Every command and subcommand added for the registry, with its options and whether it takes an argument. */
const REGISTRY_LEAVES = [
  { path: ['ext', 'publish'], options: ['--registry', '--token', '--channel', '--json'], argument: true },
  { path: ['registry', 'search'], options: ['--registry', '--category', '--tag', '--tier', '--sort', '--limit', '--cursor', '--json'], argument: true },
  { path: ['registry', 'publisher', 'create'], options: ['--key', '--registry', '--admin-token', '--display-name', '--json'], argument: true },
  { path: ['registry', 'verify'], options: ['--registry', '--admin-token', '--token', '--domain', '--key', '--out', '--served', '--json'], argument: true },
  { path: ['registry', 'yank'], options: ['--reason', '--registry', '--token', '--json'], argument: true },
  { path: ['registry', 'serve'], options: ['--port', '--host', '--data', '--database', '--blobs', '--json'], argument: false },
  { path: ['registry', 'keys', 'init'], options: ['--dir', '--role', '--json'], argument: false },
  { path: ['registry', 'keys', 'rotate'], options: ['--root', '--dir', '--out', '--role', '--json'], argument: false },
  { path: ['registry', 'keys', 'sign-root'], options: ['--key', '--out', '--previous', '--json'], argument: true },
  { path: ['login'], options: ['--registry', '--token', '--json'], argument: false },
  { path: ['logout'], options: ['--registry', '--json'], argument: false },
];
const REGISTRY_GROUPS = [
  { path: ['registry'], subcommands: ['search', 'publisher', 'verify', 'yank', 'serve', 'keys'] },
  { path: ['registry', 'publisher'], subcommands: ['create'] },
  { path: ['registry', 'keys'], subcommands: ['init', 'rotate', 'sign-root'] },
];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

test('vib3 --help also lists the registry commands, login and logout', () => {
  const { stdout } = vib3('--help');
  for (const c of ['registry', 'login', 'logout']) assert.match(stdout, new RegExp(`^ {2}${c}\\b +\\S`, 'm'), c);
  for (const sub of ['search', 'publisher create', 'verify', 'yank', 'serve', 'keys init', 'keys rotate', 'keys sign-root']) assert.match(stdout, new RegExp(`^ {2}${escape(sub)}\\b`, 'm'), `lists registry ${sub}`);
  assert.match(stdout, /^ {2}publish\b/m, 'lists ext publish');
});

for (const { path, options, argument } of REGISTRY_LEAVES) {
  const name = path.join(' ');
  test(`vib3 ${name} --help: usage, ${argument ? 'arguments, ' : ''}options and an example`, () => {
    const r = vib3(...path, '--help');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, new RegExp(`^vib3 ${escape(name)} — \\S`));
    assert.match(r.stdout, new RegExp(`^Usage:\\n {2}vib3 ${escape(name)}\\b`, 'm'));
    assert.match(r.stdout, /^Options:\n(.+\n)*\s+-h, --help +Show this help\./m);
    assert.match(r.stdout, new RegExp(`^Examples:\\n {2}vib3 ${escape(name)}\\b`, 'm'));
    if (argument) assert.match(r.stdout, /^Arguments:\n {2}<\S+/m, 'documents its argument');
    else assert.doesNotMatch(r.stdout, /^Arguments:/m);
    for (const o of options) assert.match(r.stdout, new RegExp(`^ +(-\\w, )?${escape(o)}\\b`, 'm'), `documents ${o}`);
    assert.equal(vib3(...path, '-h').stdout, r.stdout);
    assert.equal(vib3('help', ...path).stdout, r.stdout);
    if (path.length > 1) assert.equal(vib3(path[0], 'help', ...path.slice(1)).stdout, r.stdout);
  });
}

for (const { path, subcommands } of REGISTRY_GROUPS) {
  const name = path.join(' ');
  test(`vib3 ${name} --help lists its subcommands; bare "vib3 ${name}" prints it on stderr and exits 2`, () => {
    const r = vib3(...path, '--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Usage:\\n {2}vib3 ${escape(name)} <subcommand>`, 'm'));
    for (const sub of subcommands) assert.match(r.stdout, new RegExp(`^ {2}${escape(sub)} +\\S`, 'm'), `lists ${sub}`);
    for (const args of [[...path, '-h'], ['help', ...path], [...path, 'help']]) assert.equal(vib3(...args).stdout, r.stdout, args.join(' '));
    const bare = vib3(...path);
    assert.equal(bare.status, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^Usage:/m);
  });
}

test('registry commands: usage errors are coded, exit 2, and name the command', () => {
  const cases = [
    [['ext', 'publish'], /^vib3: MISSING_PACKAGE: ext publish needs the signed package file/],
    [['ext', 'publish', 'x.vib3x'], /^vib3: MISSING_REGISTRY: ext publish needs --registry <url>/],
    [['ext', 'publish', 'x.vib3x', '--registry', 'ftp://example.com'], /^vib3: INVALID_REGISTRY_URL: --registry must be an http\(s\) URL/],
    [['ext', 'publish', 'x.vib3x', '--registry', 'http://127.0.0.1:4873', '--channel', 'nightly'], /^vib3: INVALID_OPTION_VALUE: ext publish: option --channel does not take "nightly"/],
    [['registry', 'search', '--registry', 'http://127.0.0.1:4873', '--tier', 'gold'], /^vib3: INVALID_OPTION_VALUE: registry search: option --tier/],
    [['registry', 'search', '--registry', 'http://127.0.0.1:4873', '--limit', 'many'], /^vib3: INVALID_OPTION_VALUE: --limit must be an integer/],
    [['registry', 'publisher', 'create'], /^vib3: MISSING_NAME: registry publisher create needs the publisher's name/],
    [['registry', 'publisher', 'create', 'acme', '--registry', 'http://127.0.0.1:4873', '--admin-token', 't'], /^vib3: MISSING_OPTION: registry publisher create needs --key/],
    [['registry', 'verify', 'acme', '--registry', 'http://127.0.0.1:4873'], /^vib3: MISSING_OPTION: registry verify needs --admin-token <token> \(an admin grant\) or --domain/],
    [['registry', 'yank', 'com.acme.shapes', '--reason', 'x', '--registry', 'http://127.0.0.1:4873'], /^vib3: INVALID_ARGUMENT: "com\.acme\.shapes" is not <id>@<version>/],
    [['registry', 'yank', 'com.acme.shapes@1.0.0', '--registry', 'http://127.0.0.1:4873'], /^vib3: MISSING_OPTION: registry yank needs --reason/],
    [['registry', 'serve', '--port', '70000'], /^vib3: INVALID_OPTION_VALUE: --port must be an integer from 0 to 65535/],
    [['registry', 'keys', 'rotate'], /^vib3: MISSING_OPTION: registry keys rotate needs --root/],
    [['registry', 'frobnicate'], /^vib3: UNKNOWN_COMMAND: unknown registry subcommand "frobnicate"/],
    [['login'], /^vib3: MISSING_REGISTRY: login needs --registry <url>/],
    [['login', '--registry', 'http://127.0.0.1:4873', '--frobnicate'], /^vib3: UNKNOWN_OPTION: login has no option --frobnicate/],
  ];
  for (const [args, message] of cases) {
    const r = vib3(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
  assert.deepEqual(readdirSync(work), [], 'nothing was written');
});

test('--json: a failure is one { ok: false, code, message, suggestion } object on stdout', () => {
  const r = vib3('ext', 'publish', '--json');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, '');
  const result = JSON.parse(r.stdout);
  assert.equal(result.ok, false);
  assert.equal(result.code, 'MISSING_PACKAGE');
  assert.match(result.message, /ext publish needs the signed package file/);
  assert.match(result.suggestion, /vib3 ext publish --help/);
});

test('a registry that cannot be reached: REGISTRY_UNREACHABLE, exit 1, with a suggestion', async () => {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${server.address().port}`;
  await new Promise((done) => server.close(done));
  const text = vib3('registry', 'search', 'shapes', '--registry', url);
  assert.equal(text.status, 1);
  assert.match(text.stderr, new RegExp(`^vib3: REGISTRY_UNREACHABLE: cannot reach the registry at ${escape(url)} \\(ECONNREFUSED\\)`));
  assert.match(text.stderr, /^ {2}-> \S/m, 'prints a suggestion');
  const json = vib3('registry', 'search', '--registry', url, '--json');
  assert.equal(json.status, 1);
  assert.deepEqual(Object.keys(JSON.parse(json.stdout)).slice(0, 4), ['ok', 'code', 'message', 'suggestion']);
  assert.equal(JSON.parse(json.stdout).code, 'REGISTRY_UNREACHABLE');
});

test('vib3 login without --token and with nothing on stdin: MISSING_TOKEN, exit 2, nothing stored', () => {
  const config = join(work, '..', `vib3-cli-config-${process.pid}`);
  const r = spawnSync(process.execPath, [cli, 'login', '--registry', 'http://127.0.0.1:4873'], { cwd: work, encoding: 'utf8', input: '', env: { ...process.env, XDG_CONFIG_HOME: config } });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^vib3: MISSING_TOKEN: /);
  assert.throws(() => readdirSync(config), /ENOENT/);
});
