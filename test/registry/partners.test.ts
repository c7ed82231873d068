// Listings pushed to partner marketplaces, against real peers where they can run here:
// - npm: a real Verdaccio 6; the real npm CLI (`npm view`, `npm install`) reads back the listing
//   fields, the dist-tags that mirror the channels, the byte-identical .vib3x and deprecations;
// - WordPress.org: a real Subversion repository served by svnserve with password auth; the real
//   svn CLI checks out readme.txt (Stable tag = stable channel), tags/<version>/ and assets/ PNGs
//   whose IHDR sizes are exactly the directory's;
// - the MCP Registry: the loopback fake speaking its documented v0 API (test/support).
// Every adapter is idempotent (a second push of the same listing is `alreadyApplied` and changes
// nothing) and classifies failures (auth and validation final; down, 5xx, 429 retryable).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnerAdapter, PartnerConfig, PushFailure } from '../../src/listings/partners/adapter.js';
import type { ListingDocument } from '../../src/listings/types.js';
import { classifyFailure, createPartnerAdapter, parseRetryAfter, pushMcpRegistry } from '../../src/registry/sync/adapters/index.js';
import { startVerdaccio, freePort, type TestVerdaccio } from '../support/verdaccio.js';
import { startSvnRepo, type TestSvnRepo } from '../support/svn-repo.js';
import { startMcpRegistryFake, type McpRegistryFake } from '../support/mcp-registry-fake.js';
import { listingOf, pngSize, pushContext, signedPackage, wordpressImages } from '../support/listing-fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'vib3-partners-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs a push and returns the failure it rejected with (fails the test when it resolves). */
async function failure(run: Promise<unknown>): Promise<PushFailure> {
  try {
    await run;
  } catch (err) {
    return classifyFailure(err);
  }
  assert.fail('the push was expected to fail');
}

describe('failure classification', () => {
  test('Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1)), 30_000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
  test('connection errors are retryable, unknown errors are not', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    assert.deepEqual(classifyFailure(refused), { code: 'NETWORK', message: 'could not reach the partner (ECONNREFUSED)', retryable: true });
    assert.equal(classifyFailure(new DOMException('timed out', 'TimeoutError')).retryable, true);
    assert.equal(classifyFailure(new Error('a bug')).retryable, false);
  });
});

describe('npm (real Verdaccio, real npm CLI)', () => {
  let verdaccio: TestVerdaccio;
  let npm: PartnerAdapter;
  let config: PartnerConfig;
  let pkg100: Uint8Array;
  let pkg110: Uint8Array;
  const name = '@vib3-test/com.acme.aurora';
  const npmEnv = { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_userconfig: join(work, 'npmrc'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const npmCli = (args: string[], cwd = work) => execFileSync('npm', [...args, '--registry', verdaccio.url], { cwd, env: npmEnv, encoding: 'utf8' });
  const view = (spec = name) => JSON.parse(npmCli(['view', spec, '--json']));
  const push = async (listing: ListingDocument, bytes: Uint8Array, event: 'publish' | 'channel' | 'yank' = 'publish') =>
    npm.push(await npm.prepare(listing, { images: new Map(), package: bytes }), pushContext(config, listing, event));

  before(async () => {
    writeFileSync(join(work, 'npmrc'), '');
    [verdaccio, pkg100, pkg110] = await Promise.all([startVerdaccio(), signedPackage('com.acme.aurora', '1.0.0'), signedPackage('com.acme.aurora', '1.1.0')]);
    config = { url: verdaccio.url, token: await verdaccio.addUser('vib3-sync', 'sync-password-1'), scope: 'vib3-test' };
    npm = createPartnerAdapter('npm', config);
  });
  after(() => verdaccio?.stop());

  test('a push publishes the package with its listing fields, and dist-tags equal to the channels', async () => {
    const listing = listingOf({ channels: { stable: '1.0.0', beta: '1.0.0' } });
    assert.deepEqual(await push(listing, pkg100), { remoteId: `${name}@1.0.0`, alreadyApplied: false });
    const info = view();
    assert.equal(info.description, listing.summary);
    assert.deepEqual(info.keywords, listing.tags);
    assert.equal(info.homepage, listing.links.homepage);
    assert.deepEqual(info.funding, { url: listing.links.funding });
    assert.equal(info.license, 'MIT');
    assert.deepEqual(info['dist-tags'], { latest: '1.0.0', beta: '1.0.0' });
  });

  test('npm install of it gives the signed .vib3x byte for byte', () => {
    const project = mkdtempSync(join(work, 'consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    npmCli(['install', name, '--ignore-scripts', '--no-package-lock'], project);
    const installed = join(project, 'node_modules', '@vib3-test', 'com.acme.aurora');
    assert.deepEqual(new Uint8Array(readFileSync(join(installed, 'extension.vib3x'))), pkg100);
    assert.match(readFileSync(join(installed, 'README.md'), 'utf8'), /^# Aurora Shapes/);
    assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).vib3.id, 'com.acme.aurora');
  });

  test('the same listing pushed again is already applied: no new version, same tarball', async () => {
    const before = view();
    assert.deepEqual(await push(listingOf({ channels: { stable: '1.0.0', beta: '1.0.0' } }), pkg100), { remoteId: `${name}@1.0.0`, alreadyApplied: true });
    const after = view();
    assert.deepEqual(after.versions, ['1.0.0']);
    assert.equal(after.dist.integrity, before.dist.integrity);
  });

  test('channel moves change only dist-tags; a cleared channel loses its tag', async () => {
    const integrity = view().dist.integrity;
    assert.equal((await push(listingOf({ channels: { stable: '1.0.0' } }), pkg100, 'channel')).alreadyApplied, false);
    assert.deepEqual(view()['dist-tags'], { latest: '1.0.0' });
    // 1.1.0 on beta: a new version, latest stays on the stable one.
    await push(listingOf({ version: '1.1.0', channels: { stable: '1.0.0', beta: '1.1.0' } }), pkg110);
    assert.deepEqual(view()['dist-tags'], { latest: '1.0.0', beta: '1.1.0' });
    // 1.1.0 promoted to stable: no publish, latest moves, beta is cleared.
    assert.equal((await push(listingOf({ version: '1.1.0', channels: { stable: '1.1.0' } }), pkg110, 'channel')).alreadyApplied, false);
    const info = view();
    assert.deepEqual(info['dist-tags'], { latest: '1.1.0' });
    assert.deepEqual(info.versions, ['1.0.0', '1.1.0']);
    assert.equal(view(`${name}@1.0.0`).dist.integrity, integrity);
  });

  test('a yank deprecates the version on npm, once', async () => {
    const listing = listingOf({ version: '1.1.0', channels: { stable: '1.1.0' }, versions: [{ version: '1.0.0', publishedAt: '2026-11-01T00:00:00.000Z', yanked: true }, { version: '1.1.0', publishedAt: '2026-11-02T00:00:00.000Z', yanked: false }] });
    assert.equal((await push(listing, pkg110, 'yank')).alreadyApplied, false);
    assert.match(view(`${name}@1.0.0`).deprecated, /yanked/);
    assert.equal(view(`${name}@1.1.0`).deprecated, undefined);
    assert.equal((await push(listing, pkg110, 'yank')).alreadyApplied, true);
  });

  test('other content under a published version is a final VERSION_CONFLICT', async () => {
    const f = await failure(push(listingOf({ version: '1.1.0', channels: { stable: '1.1.0' } }), pkg100));
    assert.equal(f.code, 'VERSION_CONFLICT');
    assert.equal(f.retryable, false);
  });

  test('a wrong token is final; an unreachable registry is retryable', async () => {
    const listing = listingOf({ id: 'com.acme.other' });
    const prepared = await npm.prepare(listing, { images: new Map(), package: pkg100 });
    const denied = await failure(npm.push(prepared, pushContext({ ...config, token: 'not-a-token' }, listing)));
    assert.deepEqual([denied.code, denied.status, denied.retryable], ['UNAUTHORIZED', 401, false]);
    assert.equal(denied.detail?.includes('not-a-token'), false);
    const down = await failure(npm.push(prepared, pushContext({ ...config, url: `http://127.0.0.1:${await freePort()}` }, listing)));
    assert.deepEqual([down.code, down.retryable], ['NETWORK', true]);
  });
});

describe('WordPress.org (real svnserve repository, real svn CLI)', () => {
  let repo: TestSvnRepo;
  let wp: PartnerAdapter;
  let config: PartnerConfig;
  const user = { name: 'vib3-sync', password: 'svn-password-1' };
  const push = async (listing: ListingDocument, key?: string) => wp.push(await wp.prepare(listing, { images: wordpressImages() }), pushContext(config, listing, 'publish', key));
  const revisions = () => (repo.svn(['log', '--xml', repo.url], user).match(/<logentry/g) ?? []).length;
  const checkout = () => {
    const dir = mkdtempSync(join(work, 'wp-co-'));
    repo.svn(['checkout', repo.url, dir], user);
    return dir;
  };

  before(async () => {
    repo = await startSvnRepo({ [user.name]: user.password });
    config = { url: repo.url, username: user.name, token: user.password };
    wp = createPartnerAdapter('wordpress', config);
  });
  after(() => repo?.close());

  test('a push commits readme.txt, the plugin header, tags/<version>/ and the assets at their exact sizes', async () => {
    const result = await push(listingOf());
    assert.equal(result.alreadyApplied, false);
    assert.match(result.remoteId ?? '', /^r\d+$/);
    const co = checkout();
    const readme = readFileSync(join(co, 'trunk', 'readme.txt'), 'utf8');
    assert.match(readme, /^=== Aurora Shapes ===$/m);
    assert.match(readme, /^Stable tag: 1\.0\.0$/m);
    assert.match(readme, /^1\. Aurora tesseract on a dark page$/m);
    assert.equal(readFileSync(join(co, 'tags', '1.0.0', 'readme.txt'), 'utf8'), readme);
    const php = readFileSync(join(co, 'trunk', 'vib3-aurora.php'), 'utf8');
    assert.match(php, /^ \* Plugin Name: +Aurora Shapes$/m);
    assert.match(php, /^ \* Version: +1\.0\.0$/m);
    assert.match(php, /^ \* Requires at least: +6\.0$/m);
    const sizes = { 'banner-772x250.png': [772, 250], 'banner-1544x500.png': [1544, 500], 'icon-128x128.png': [128, 128], 'icon-256x256.png': [256, 256], 'screenshot-1.png': [1280, 720], 'screenshot-2.png': [1280, 720] };
    for (const [file, [width, height]] of Object.entries(sizes)) {
      assert.deepEqual(pngSize(readFileSync(join(co, 'assets', file))), { width, height }, file);
      assert.equal(repo.svn(['propget', 'svn:mime-type', join(co, 'assets', file)]).trim(), 'image/png');
    }
  });

  test('pushing again commits nothing, with the same idempotency key or a new one', async () => {
    const listing = listingOf();
    const count = revisions();
    const key = 'outbox-row-7';
    const prepared = await wp.prepare(listing, { images: wordpressImages() });
    assert.equal((await wp.push(prepared, pushContext(config, listing, 'publish', key))).alreadyApplied, true);
    assert.equal((await push(listing)).alreadyApplied, true);
    assert.equal(revisions(), count);
  });

  test('a retried push whose commit landed finds its key in svn log: it commits nothing, even after later pushes', async () => {
    const first = await push(listingOf({ version: '1.1.0', channels: { stable: '1.1.0' } }), 'outbox-row-8');
    await push(listingOf({ version: '1.2.0', channels: { stable: '1.2.0' } }), 'outbox-row-9');
    const count = revisions();
    // The retry of row 8 (its answer was lost) must not take trunk back to 1.1.0.
    assert.deepEqual(await push(listingOf({ version: '1.1.0', channels: { stable: '1.1.0' } }), 'outbox-row-8'), { remoteId: first.remoteId, alreadyApplied: true });
    assert.equal(revisions(), count);
    const co = checkout();
    assert.match(readFileSync(join(co, 'trunk', 'readme.txt'), 'utf8'), /^Stable tag: 1\.2\.0$/m);
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) assert.ok(existsSync(join(co, 'tags', v, 'vib3-aurora.php')), `tags/${v}`);
  });

  test('a wrong password is final; a repository that is down is retryable', async () => {
    const listing = listingOf({ version: '1.3.0', channels: { stable: '1.3.0' } });
    const prepared = await wp.prepare(listing, { images: wordpressImages() });
    const denied = await failure(wp.push(prepared, pushContext({ ...config, token: 'wrong-password' }, listing)));
    assert.deepEqual([denied.code, denied.retryable], ['UNAUTHORIZED', false]);
    await repo.stop();
    try {
      const down = await failure(wp.push(prepared, pushContext(config, listing)));
      assert.deepEqual([down.code, down.retryable], ['NETWORK', true]);
    } finally {
      await repo.start();
    }
  });
});

describe('MCP Registry (loopback fake of its v0 API)', () => {
  let fake: McpRegistryFake;
  let mcp: PartnerAdapter;
  let config: PartnerConfig;
  const serverName = 'io.github.acme/com.acme.aurora';
  const api = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${fake.url}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
  };
  const publishRaw = (doc: unknown, token = 'mcp-token-1') => api('/v0/publish', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(doc) });

  before(async () => {
    fake = await startMcpRegistryFake({ tokens: { 'mcp-token-1': ['io.github.acme/*'] } });
    config = { url: fake.url, token: 'mcp-token-1', namespace: 'io.github.acme', scope: 'vib3-test' };
    mcp = createPartnerAdapter('mcp-registry', config);
  });
  after(() => fake?.stop());

  test('a push publishes server.json, and GET /v0/servers lists it', async () => {
    const listing = listingOf();
    const prepared = await mcp.prepare(listing, { images: new Map() });
    assert.deepEqual(prepared.findings.filter((f) => f.severity === 'error'), []);
    assert.deepEqual(await mcp.push(prepared, pushContext(config, listing)), { remoteId: `${serverName}@1.0.0`, alreadyApplied: false });
    const list = await api('/v0/servers?search=aurora');
    assert.equal(list.status, 200);
    assert.equal(list.body.metadata.count, 1);
    const [entry] = list.body.servers;
    assert.deepEqual(entry.server, prepared.document);
    assert.equal(entry.server.packages[0].identifier, '@vib3-test/com.acme.aurora');
    assert.equal(entry._meta['io.modelcontextprotocol.registry/official'].status, 'active');
    assert.equal(entry._meta['io.modelcontextprotocol.registry/official'].isLatest, true);
    assert.equal((await api(`/v0/servers/${encodeURIComponent(serverName)}/versions/1.0.0`)).body.server.version, '1.0.0');
  });

  test('the same listing pushed again is already applied, and nothing is posted', async () => {
    const listing = listingOf();
    const posts = fake.requests.filter((r) => r.method === 'POST').length;
    assert.deepEqual(await mcp.push(await mcp.prepare(listing, { images: new Map() }), pushContext(config, listing)), { remoteId: `${serverName}@1.0.0`, alreadyApplied: true });
    assert.equal(fake.requests.filter((r) => r.method === 'POST').length, posts);
    // The registry itself refuses the duplicate, as documented.
    const dup = await publishRaw((await api(`/v0/servers/${encodeURIComponent(serverName)}/versions/1.0.0`)).body.server);
    assert.equal(dup.status, 400);
    assert.equal(dup.body.errors[0].message, 'invalid version: cannot publish duplicate version');
  });

  test('the fake refuses a server.json that breaks the published schema', async () => {
    const doc = structuredClone((await mcp.prepare(listingOf({ version: '2.0.0' }), { images: new Map() })).document) as any;
    delete doc.packages[0].transport;
    const bad = await publishRaw(doc);
    assert.equal(bad.status, 400);
    assert.equal(bad.type, 'application/problem+json');
    assert.equal(bad.body.detail, 'Failed to publish server');
    assert.match(bad.body.errors[0].message, /transport/);
    const long = await publishRaw({ ...doc, description: 'x'.repeat(101) });
    assert.equal(long.status, 422);
    assert.deepEqual(long.body.errors.map((e: any) => [e.location, e.message]), [['body.description', 'expected length <= 100']]);
    const f = await failure(pushMcpRegistry({ ...(await mcp.prepare(listingOf({ version: '2.0.0' }), { images: new Map() })), document: doc }, pushContext(config, listingOf())));
    assert.deepEqual([f.code, f.status, f.retryable], ['REJECTED', 400, false]);
    assert.equal((await api('/v0/servers')).body.metadata.count, 1);
  });

  test('another server.json under a published version is a final VERSION_CONFLICT', async () => {
    const listing = listingOf({ summary: 'Changed summary.' });
    const f = await failure(mcp.push(await mcp.prepare(listing, { images: new Map() }), pushContext(config, listing)));
    assert.deepEqual([f.code, f.retryable], ['VERSION_CONFLICT', false]);
  });

  test('5xx and 429 are retryable with Retry-After; a bad token and other namespaces are final', async () => {
    const listing = listingOf({ version: '1.1.0', channels: { stable: '1.1.0' } });
    const prepared = await mcp.prepare(listing, { images: new Map() });
    fake.failNext(503, 1, 7);
    assert.deepEqual(await failure(mcp.push(prepared, pushContext(config, listing))), { code: 'PARTNER_UNAVAILABLE', message: 'MCP Registry failed (503): injected failure', retryable: true, retryAfterMs: 7000, status: 503, detail: '{"title":"Service Unavailable","status":503,"detail":"injected failure"}' });
    fake.failNext(429, 1, 2);
    const limited = await failure(mcp.push(prepared, pushContext(config, listing)));
    assert.deepEqual([limited.code, limited.retryable, limited.retryAfterMs], ['RATE_LIMITED', true, 2000]);
    const bad = await failure(mcp.push(prepared, pushContext({ ...config, token: 'stolen' }, listing)));
    assert.deepEqual([bad.code, bad.status, bad.retryable], ['UNAUTHORIZED', 401, false]);
    const other = createPartnerAdapter('mcp-registry', { ...config, namespace: 'io.github.someone-else' });
    const denied = await failure(other.push(await other.prepare(listing, { images: new Map() }), pushContext(config, listing)));
    assert.deepEqual([denied.code, denied.status, denied.retryable], ['FORBIDDEN', 403, false]);
    // After the failures, the push goes through, and the newer version is the latest.
    assert.equal((await mcp.push(prepared, pushContext(config, listing))).alreadyApplied, false);
    const latest = await api(`/v0/servers/${encodeURIComponent(serverName)}/versions/latest`);
    assert.equal(latest.body.server.version, '1.1.0');
  });

  test('GET /v0/servers pages with the documented cursor', async () => {
    const first = await api('/v0/servers?limit=1');
    assert.deepEqual([first.body.metadata, first.body.servers[0].server.version], [{ nextCursor: `${serverName}:1.0.0`, count: 1 }, '1.0.0']);
    const second = await api(`/v0/servers?limit=1&cursor=${encodeURIComponent(first.body.metadata.nextCursor)}`);
    assert.equal(second.body.servers[0].server.version, '1.1.0');
    assert.equal((await api('/v0/servers?limit=101')).status, 422);
  });
});
