// The built `vib3` command (dist/cli/vib3.js) against a REAL registry it starts itself
// (`vib3 registry serve --port 0 --data DIR --json`): the scripted setup of DESIGN §7 —
// publisher create -> login -> ext publish (--channel) -> registry search / verify / yank — and
// the credentials file (mode 0600 in a 0700 folder). Needs the full build (dist/extensions too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const cli = join(repo, 'dist/cli/vib3.js');
const { readArchive, packFiles } = await import(join(repo, 'dist/extensions/index.js'));

let work;
let config;
let server;
let serverExit;
let url;
let adminToken;
let publisherToken;
let keyId;

/** Environment of every run: our own config folder, no token from the caller's environment. */
const env = (extra = {}) => {
  const e = { ...process.env, XDG_CONFIG_HOME: config, ...extra };
  for (const k of ['VIB3_REGISTRY_TOKEN', 'VIB3_ADMIN_TOKEN']) if (!(k in extra)) delete e[k];
  return e;
};
const vib3 = (args, { input, extraEnv } = {}) => spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', input: input ?? '', env: env(extraEnv) });
const vib3Json = (args, opts) => {
  const r = vib3([...args, '--json'], opts);
  let result;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    assert.fail(`vib3 ${args.join(' ')} --json printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, result, stderr: r.stderr };
};
const mode = (path) => statSync(path).mode & 0o777;
const get = async (path) => {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${url}${path}`);
      return { status: res.status, body: await res.json() };
    } catch (err) {
      // spawnSync blocks this process: a keep-alive socket the server closed meanwhile fails on reuse. Once more, on a new one.
      if (attempt > 0 || err?.cause?.code !== 'UND_ERR_SOCKET') throw err;
    }
  }
};

/** A signed package of the reference extension under another id and version, signed by `keys/acme`. */
function makePackage(id, version) {
  const files = readArchive(readFileSync(join(repo, 'extensions/duoprism/dev.vib3.duoprism-1.0.1.vib3x')));
  const manifest = JSON.parse(new TextDecoder().decode(files.get('extension.json')));
  delete manifest.signature;
  Object.assign(manifest, { id, version });
  manifest.publisher = { ...manifest.publisher, name: 'ACME', keyId };
  manifest.marketplace.title = `ACME ${id.split('.').pop()}`;
  files.set('extension.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  const file = join(work, `${id}-${version}.vib3x`);
  writeFileSync(file, packFiles(files));
  const signed = vib3(['ext', 'sign', file, '--key', join(work, 'keys/acme.private.jwk')]);
  assert.equal(signed.status, 0, signed.stderr);
  return file;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'vib3-cli-registry-'));
  config = join(work, 'config');
  server = spawn(process.execPath, [cli, 'registry', 'serve', '--port', '0', '--data', join(work, 'registry'), '--json'], { cwd: work, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  serverExit = new Promise((done) => server.once('exit', (code, signal) => done({ code, signal })));
  let stderr = '';
  server.stderr.on('data', (d) => (stderr += d));
  const first = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vib3 registry serve printed nothing in 90 s:\n${stderr}`)), 90_000);
    server.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]);
      }
    });
    server.once('exit', (code) => reject(new Error(`vib3 registry serve exited ${code}:\n${stderr}`)));
  });
  ({ url } = JSON.parse(first));
  adminToken = readFileSync(join(work, 'registry/admin.token'), 'utf8').trim();
});

after(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await serverExit;
  }
  rmSync(work, { recursive: true, force: true });
});

test('vib3 registry serve --json prints its URL once listening; data folder holds root.json and admin.token (0600)', async () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  assert.ok(existsSync(join(work, 'registry/root.json')));
  assert.equal(mode(join(work, 'registry/admin.token')), 0o600);
  assert.equal((await get('/v1/whoami').catch(() => ({ status: 0 }))).status, 401, 'no token, no identity');
});

test('vib3 registry publisher create registers a key and prints the publisher token (--json and text)', () => {
  const keygen = vib3(['ext', 'keygen', '--out', 'keys', '--name', 'acme']);
  assert.equal(keygen.status, 0, keygen.stderr);
  keyId = JSON.parse(readFileSync(join(work, 'keys/acme.public.jwk'), 'utf8')).kid;

  const created = vib3Json(['registry', 'publisher', 'create', 'acme', '--key', 'keys/acme.public.jwk', '--display-name', 'ACME Inc.', '--registry', url, '--admin-token', adminToken]);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.result.ok, true);
  assert.equal(created.result.name, 'acme');
  assert.deepEqual(created.result.keyIds, [keyId]);
  assert.match(created.result.token, /^vib3_\S+$/);
  publisherToken = created.result.token;

  // Text mode (admin token from the environment): the token on a line of its own.
  // (A key belongs to one publisher: acme-two gets its own.)
  assert.equal(vib3(['ext', 'keygen', '--out', 'keys', '--name', 'two']).status, 0);
  const text = vib3(['registry', 'publisher', 'create', 'acme-two', '--key', 'keys/two.public.jwk', '--registry', url], { extraEnv: { VIB3_ADMIN_TOKEN: adminToken } });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^Created publisher acme-two/);
  assert.match(text.stdout, /^vib3_\S+$/m);

  // A private key never leaves the machine; a publisher token is not an admin token.
  const priv = vib3(['registry', 'publisher', 'create', 'acme-three', '--key', 'keys/acme.private.jwk', '--registry', url, '--admin-token', adminToken]);
  assert.equal(priv.status, 2);
  assert.match(priv.stderr, /^vib3: PRIVATE_KEY_GIVEN: /);
  const notAdmin = vib3Json(['registry', 'publisher', 'create', 'acme-three', '--key', 'keys/two.public.jwk', '--registry', url, '--admin-token', publisherToken]);
  assert.equal(notAdmin.status, 1);
  assert.deepEqual([notAdmin.result.ok, notAdmin.result.code], [false, 'ADMIN_REQUIRED']);
  assert.ok(notAdmin.result.suggestion);
});

test('vib3 ext publish without a token: NOT_LOGGED_IN, exit 1', () => {
  const r = vib3(['ext', 'publish', makePackage('com.acme.shapes', '1.0.0'), '--registry', url]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^vib3: NOT_LOGGED_IN: no token for /);
  assert.match(r.stderr, /vib3 login --registry /);
});

test('vib3 login checks the token (whoami) and stores it in $XDG_CONFIG_HOME/vib3/credentials.json, mode 0600', () => {
  const bad = vib3Json(['login', '--registry', url, '--token', 'vib3_not-a-real-token']);
  assert.equal(bad.status, 1);
  assert.equal(bad.result.code, 'TOKEN_INVALID');
  assert.equal(existsSync(join(config, 'vib3/credentials.json')), false, 'a refused token is not stored');

  const login = vib3(['login', '--registry', url, '--token', publisherToken]);
  assert.equal(login.status, 0, login.stderr);
  assert.match(login.stdout, /as publisher acme/);
  const file = join(config, 'vib3/credentials.json');
  assert.equal(mode(file), 0o600);
  assert.equal(mode(join(config, 'vib3')), 0o700);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { [url]: { token: publisherToken } });

  // From stdin (not a terminal), with a trailing slash on the URL: the same entry, still 0600.
  const piped = vib3Json(['login', '--registry', `${url}/`], { input: `${publisherToken}\n` });
  assert.equal(piped.status, 0, piped.stderr);
  assert.deepEqual(piped.result, { ok: true, registry: url, publisher: 'acme', admin: false, credentials: file });
  assert.equal(mode(file), 0o600);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8'))), [url]);
});

test('vib3 ext publish uploads with the stored login; --channel moves a channel; --json result; a version is never published twice', async () => {
  const first = vib3(['ext', 'publish', join(work, 'com.acme.shapes-1.0.0.vib3x'), '--registry', url]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^published com\.acme\.shapes@1\.0\.0\b/m);
  assert.match(first.stdout, /^ {2}integrity +sha512-[A-Za-z0-9+/=]+$/m);
  assert.match(first.stdout, new RegExp(`^ {2}url +${url}/v1/extensions/com\\.acme\\.shapes/1\\.0\\.0$`, 'm'));
  assert.equal(first.stderr, '', 'no progress bar when stderr is not a terminal');
  const record = await get('/v1/extensions/com.acme.shapes/1.0.0');
  assert.equal(record.status, 200);
  assert.equal(first.stdout.match(/integrity +(\S+)/)[1], record.body.integrity);

  const second = vib3Json(['ext', 'publish', makePackage('com.acme.shapes', '1.1.0'), '--registry', url, '--channel', 'beta']);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stderr, '');
  assert.equal(second.result.ok, true);
  assert.deepEqual([second.result.id, second.result.version, second.result.channel], ['com.acme.shapes', '1.1.0', 'beta']);
  assert.equal(second.result.url, `${url}/v1/extensions/com.acme.shapes/1.1.0`);
  assert.match(second.result.integrity, /^sha512-/);
  assert.equal(second.result.keyId, keyId);
  assert.equal((await get('/v1/extensions/com.acme.shapes')).body.channels.beta, '1.1.0');

  const again = vib3Json(['ext', 'publish', join(work, 'com.acme.shapes-1.0.0.vib3x'), '--registry', url]);
  assert.equal(again.status, 1);
  assert.deepEqual([again.result.ok, again.result.code], [false, 'VERSION_EXISTS']);
  assert.ok(again.result.message && again.result.suggestion);

  // --token (and VIB3_REGISTRY_TOKEN) win over the stored login.
  const wrong = vib3Json(['ext', 'publish', makePackage('com.acme.shapes', '1.2.0'), '--registry', url], { extraEnv: { VIB3_REGISTRY_TOKEN: 'vib3_wrong' } });
  assert.equal(wrong.result.code, 'TOKEN_INVALID');
  const right = vib3Json(['ext', 'publish', join(work, 'com.acme.shapes-1.2.0.vib3x'), '--registry', url, '--token', publisherToken], { extraEnv: { VIB3_REGISTRY_TOKEN: 'vib3_wrong' } });
  assert.equal(right.status, 0, JSON.stringify(right.result));
});

test('vib3 registry search: a table, --json with filters, and cursor pagination', () => {
  assert.equal(vib3(['ext', 'publish', makePackage('com.acme.tiles', '1.0.0'), '--registry', url]).status, 0);
  const table = vib3(['registry', 'search', 'acme', '--registry', url]);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^ID +VERSION +TIER +DESCRIPTION/);
  assert.match(table.stdout, /^com\.acme\.shapes +1\.2\.0 +community +\S/m);
  assert.match(table.stdout, /^com\.acme\.tiles +1\.0\.0 +community +\S/m);

  const all = vib3Json(['registry', 'search', '--registry', url, '--sort', 'name']);
  assert.equal(all.status, 0);
  assert.deepEqual(all.result.items.map((i) => i.id), ['com.acme.shapes', 'com.acme.tiles']);
  assert.equal(all.result.nextCursor, null);

  const page1 = vib3Json(['registry', 'search', '--registry', url, '--sort', 'name', '--limit', '1']);
  assert.deepEqual(page1.result.items.map((i) => i.id), ['com.acme.shapes']);
  assert.ok(page1.result.nextCursor);
  const text = vib3(['registry', 'search', '--registry', url, '--sort', 'name', '--limit', '1']);
  assert.match(text.stdout, new RegExp(`nextCursor: ${page1.result.nextCursor}`));
  const page2 = vib3Json(['registry', 'search', '--registry', url, '--sort', 'name', '--limit', '1', '--cursor', page1.result.nextCursor]);
  assert.deepEqual(page2.result.items.map((i) => i.id), ['com.acme.tiles']);

  const none = vib3(['registry', 'search', '--registry', url, '--tier', 'verified']);
  assert.equal(none.status, 0);
  assert.match(none.stdout, /^No extensions match\./);
  const badCursor = vib3Json(['registry', 'search', '--registry', url, '--cursor', 'not-a-cursor']);
  assert.equal(badCursor.status, 1);
  assert.equal(badCursor.result.code, 'INVALID_CURSOR', 'the registry\'s own code surfaces');
});

test('vib3 registry verify --admin-token makes a publisher verified; its listings show the tier', () => {
  const r = vib3Json(['registry', 'verify', 'acme', '--registry', url, '--admin-token', adminToken]);
  assert.equal(r.status, 0, JSON.stringify(r.result));
  assert.equal(r.result.tier, 'verified');
  const verified = vib3Json(['registry', 'search', '--registry', url, '--tier', 'verified', '--sort', 'name']);
  assert.deepEqual(verified.result.items.map((i) => [i.id, i.tier]), [['com.acme.shapes', 'verified'], ['com.acme.tiles', 'verified']]);

  // A domain proof, step one: the challenge, signed with --key into a proof document.
  const proof = vib3Json(['registry', 'verify', 'acme', '--registry', url, '--domain', 'acme.example', '--key', 'keys/acme.private.jwk', '--out', 'proof.json']);
  assert.equal(proof.status, 0, JSON.stringify(proof.result));
  assert.equal(proof.result.status, 'challenge');
  const doc = JSON.parse(readFileSync(join(work, 'proof.json'), 'utf8'));
  assert.deepEqual([doc.publisher, doc.domain, doc.challenge, doc.keyId], ['acme', 'acme.example', proof.result.challenge, keyId]);
  assert.match(doc.signature, /^[A-Za-z0-9_-]{86}$/);
});

test('vib3 registry admin verify grants acme-two the verified tier and a domain namespace; a publisher token cannot', async () => {
  const denied = vib3Json(['registry', 'admin', 'verify', 'acme-two', '--registry', url, '--admin-token', publisherToken]);
  assert.equal(denied.status, 1);
  assert.equal(denied.result.code, 'ADMIN_REQUIRED');
  const r = vib3Json(['registry', 'admin', 'verify', 'acme-two', '--domain', 'two.example', '--registry', url, '--admin-token', adminToken]);
  assert.equal(r.status, 0, JSON.stringify(r.result));
  assert.equal(r.result.tier, 'verified');
  assert.equal(r.result.domain, 'two.example');
  assert.ok(r.result.namespaces.includes('example.two'), JSON.stringify(r.result.namespaces));
});

test('vib3 registry yank marks a version yanked', async () => {
  const r = vib3(['registry', 'yank', 'com.acme.shapes@1.0.0', '--reason', 'superseded by 1.1.0', '--registry', url]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^yanked com\.acme\.shapes@1\.0\.0/);
  const record = await get('/v1/extensions/com.acme.shapes/1.0.0');
  assert.ok(record.body.yanked, JSON.stringify(record.body));
  const missing = vib3Json(['registry', 'yank', 'com.acme.nothing@1.0.0', '--reason', 'x', '--registry', url]);
  assert.equal(missing.status, 1);
  assert.equal(missing.result.code, 'EXTENSION_NOT_FOUND');
});

test('vib3 logout forgets the token (the file stays 0600)', () => {
  const r = vib3Json(['logout', '--registry', url]);
  assert.deepEqual(r.result, { ok: true, registry: url, removed: true });
  const file = join(config, 'vib3/credentials.json');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {});
  assert.equal(mode(file), 0o600);
  assert.equal(vib3Json(['logout', '--registry', url]).result.removed, false);
  assert.equal(vib3(['ext', 'publish', join(work, 'com.acme.tiles-1.0.0.vib3x'), '--registry', url]).status, 1);
});

test('vib3 registry keys: init makes 0600 key files; rotate drafts root N+1; sign-root reports when both thresholds are met', () => {
  const init = vib3Json(['registry', 'keys', 'init', '--dir', 'offline', '--role', 'root']);
  assert.equal(init.status, 0, JSON.stringify(init.result));
  assert.deepEqual(Object.keys(init.result.keys), ['root']);
  assert.equal(mode(join(work, 'offline/root.jwk')), 0o600);
  assert.equal(mode(join(work, 'offline')), 0o700);

  // The registry's current root (1) and its root key; the new root key goes to the offline folder.
  const current = join(work, 'registry/root.json');
  const rotate = vib3Json(['registry', 'keys', 'rotate', '--root', current, '--dir', 'offline', '--out', '2.root.json']);
  assert.equal(rotate.status, 0, JSON.stringify(rotate.result));
  assert.equal(rotate.result.version, 2);
  const newKey = join(work, rotate.result.keys.root.file);
  assert.equal(mode(newKey), 0o600);
  const old = vib3Json(['registry', 'keys', 'sign-root', '2.root.json', '--key', join(work, 'registry/keys/root.jwk'), '--previous', current]);
  assert.deepEqual([old.status, old.result.complete], [0, false]);
  const both = vib3Json(['registry', 'keys', 'sign-root', '2.root.json', '--key', newKey, '--previous', current]);
  assert.deepEqual([both.status, both.result.version, both.result.complete], [0, 2, true]);
  const stranger = vib3Json(['registry', 'keys', 'sign-root', '2.root.json', '--key', join(work, 'offline/root.jwk'), '--previous', current]);
  assert.equal(stranger.status, 1);
  assert.equal(stranger.result.code, 'TUF_ROOT_REJECTED');
});

test('SIGTERM stops vib3 registry serve cleanly: exit code 0', async () => {
  server.kill('SIGTERM');
  const { code, signal } = await serverExit;
  assert.deepEqual({ code, signal }, { code: 0, signal: null });
});
