// Listings everywhere, end to end through the sync engine: a registry (PGlite + files, or
// PostgreSQL + S3 when VIB3_REGISTRY_BACKEND=postgres) configured with the built-in adapters
// (`--sync npm=… wordpress=… mcp-registry=…`) against a real Verdaccio, a real svnserve repository
// and the MCP Registry fake — one of each for the whole file. A publisher publishes a package with
// tools, uploads exact-size listing images (`vib3 listing upload`, in this process through `main`),
// and in-process workers drain the outbox: the real npm CLI sees the listing and its dist-tags,
// the real svn CLI sees readme.txt, tags/ and assets/, the MCP fake lists the server, and the
// sync status says synced. Channel moves and yanks propagate the same way; wrongly sized images
// are refused with nothing stored. Every wait is for a condition (no wall-clock thresholds).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, BACKEND, createPublisher, makePackage, publish, startTestRegistry, type TestPublisher, type TestRegistry } from './harness.js';
import { startVerdaccio, type TestVerdaccio } from '../support/verdaccio.js';
import { startSvnRepo, type TestSvnRepo } from '../support/svn-repo.js';
import { startMcpRegistryFake, type McpRegistryFake } from '../support/mcp-registry-fake.js';
import { png, pngSize } from '../support/listing-fixtures.js';
import { parseSyncSpec } from '../../src/registry/sync/adapters.js';
import { SyncWorker } from '../../src/registry/sync/worker.js';
import { main } from '../../src/cli/program.js';
import { chromiumPath, PreviewError } from '../../src/listings/previews/index.js';
import { kitDistDir } from '../../src/listings/previews/kit-files.js';

const HANG_GUARD = { timeout: 300_000 };
const ID = 'com.acme.aurora';
const NPM_NAME = '@vib3-test/com.acme.aurora';
const MCP_NAME = 'io.github.acme/com.acme.aurora';
const SVN_USER = { name: 'vib3-sync', password: 'svn-password-1' };
const WORDPRESS: Record<string, [number, number]> = { banner: [772, 250], 'banner-2x': [1544, 500], icon: [128, 128], 'icon-2x': [256, 256], 'screenshot-1': [1280, 720] };
const WORDPRESS_FILES: Record<string, string> = { banner: 'banner-772x250.png', 'banner-2x': 'banner-1544x500.png', icon: 'icon-128x128.png', 'icon-2x': 'icon-256x256.png', 'screenshot-1': 'screenshot-1.png' };

/** A valid lossless WebP (VP8L) of exactly width × height in one colour: every prefix code has one symbol, so pixels take no bits. */
function webp(width: number, height: number, [r, g, b]: [number, number, number] = [40, 80, 160]): Uint8Array {
  const bits: number[] = [];
  const put = (value: number, n: number) => {
    for (let i = 0; i < n; i++) bits.push((value >>> i) & 1);
  };
  put(width - 1, 14), put(height - 1, 14), put(0, 1), put(0, 3); // size, alpha hint, version
  put(0, 1), put(0, 1), put(0, 1); // no transform, no colour cache, no meta prefix codes
  for (const symbol of [g, r, b, 255, 0]) put(1, 1), put(0, 1), put(1, 1), put(symbol, 8); // simple codes: green, red, blue, alpha, distance
  const data = [0x2f];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((byte, bit, j) => byte | (bit << j), 0));
  const padded = data.length + (data.length % 2);
  const out = Buffer.alloc(20 + padded);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(12 + padded, 4);
  out.write('WEBPVP8L', 8, 'ascii');
  out.writeUInt32LE(data.length, 16);
  Buffer.from(data).copy(out, 20);
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'vib3-listing-sync-'));
let verdaccio: TestVerdaccio;
let svn: TestSvnRepo;
let mcp: McpRegistryFake;
let reg: TestRegistry;
let acme: TestPublisher;
let globex: TestPublisher;
let worker: SyncWorker;
/** The images of the previews folder, by `<target>/<name>`. */
const images = new Map<string, Uint8Array>();

const npmEnv = { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_userconfig: join(work, 'npmrc'), npm_config_update_notifier: 'false' };
const npmView = (spec = NPM_NAME) => JSON.parse(execFileSync('npm', ['view', spec, '--json', '--registry', verdaccio.url], { cwd: work, env: npmEnv, encoding: 'utf8' }));
const svnCat = (path: string) => svn.svn(['cat', `${svn.url}/${path}`], SVN_USER);
const svnList = (path: string) => svn.svn(['list', `${svn.url}/${path}`], SVN_USER).split('\n').filter(Boolean).sort();
const mcpGet = async (path: string) => (await fetch(`${mcp.url}${path}`)).json() as Promise<any>;

async function vib3(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

type Row = { id: number; partner: string; event: string; state: string };
const rowsOf = async (): Promise<Row[]> => (await reg.context.db.query<Row>('SELECT id, partner, event, state FROM sync_outbox WHERE extension_id = $1 ORDER BY id', [ID])).rows.map((r) => ({ ...r, id: Number(r.id) }));

/** Drains the outbox with the in-process worker until every row of the listing is settled (a retry waits for its time). */
async function settle(): Promise<Row[]> {
  for (;;) {
    await worker.drain();
    const rows = await rowsOf();
    if (rows.every((r) => ['done', 'skipped', 'dead'].includes(r.state))) return rows;
    await sleep(20);
  }
}

async function release(version: string): Promise<void> {
  const bytes = await makePackage(acme, {
    id: ID,
    version,
    title: 'Aurora Shapes',
    summary: 'Aurora-coloured 4D shapes that drift across the page.',
    tags: ['aurora', 'shapes', 'webgpu'],
    edit: (m) => Object.assign(m.marketplace, { license: 'MIT', links: { homepage: 'https://acme.example/aurora' } }),
  });
  const res = await publish(reg.url, acme.token, ID, version, bytes);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** A previews folder as vib3 ext previews writes it: wordpress images, one registry preview, previews.json. */
function previewsFolder(): string {
  const dir = join(work, 'previews');
  const files: { file: string; target: string }[] = [];
  const add = (target: string, name: string, ext: string, bytes: Uint8Array) => {
    mkdirSync(join(dir, target), { recursive: true });
    writeFileSync(join(dir, target, `${name}.${ext}`), bytes);
    files.push({ file: `${target}/${name}.${ext}`, target });
    images.set(`${target}/${name}`, new Uint8Array(bytes));
  };
  for (const [name, [w, h]] of Object.entries(WORDPRESS)) add('wordpress', name, 'png', png(w, h, 90));
  add('registry', 'preview-1', 'webp', webp(1280, 720));
  writeFileSync(join(dir, 'previews.json'), JSON.stringify({ extension: { id: ID, version: '1.0.0' }, files }, null, 2));
  return dir;
}

before(async () => {
  writeFileSync(join(work, 'npmrc'), '');
  [verdaccio, svn, mcp] = await Promise.all([startVerdaccio(), startSvnRepo({ [SVN_USER.name]: SVN_USER.password }), startMcpRegistryFake({ tokens: { 'mcp-token-1': ['io.github.acme/*'] } })]);
  const npmToken = await verdaccio.addUser('vib3-sync', 'sync-password-1');
  reg = await startTestRegistry({
    settings: {
      sync: {
        partners: [
          parseSyncSpec(`npm=${verdaccio.url},token=${npmToken},scope=vib3-test,rate=1000000`),
          parseSyncSpec(`wordpress=${svn.url},username=${SVN_USER.name},token=${SVN_USER.password},rate=1000000`),
          parseSyncSpec(`mcp-registry=${mcp.url},token=mcp-token-1,namespace=io.github.acme,scope=vib3-test,rate=1000000`),
        ],
        // No background workers: the test drains the outbox with its own (the registry still has the adapters, for dry runs).
        workers: 0,
        tuning: { backoffBaseMs: 50, backoffMaxMs: 500 },
      },
    },
  });
  const sync = reg.context.sync!;
  worker = new SyncWorker({ db: reg.context.db, blobs: reg.context.blobs, partners: sync.links, registryUrl: sync.registryUrl });
  [acme, globex] = await Promise.all([createPublisher(reg, 'acme'), createPublisher(reg, 'globex')]);
});

after(async () => {
  await reg?.close();
  await Promise.all([verdaccio?.stop(), svn?.close(), mcp?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

test(`[${BACKEND}] the built-in adapters are wired: npm, wordpress and mcp-registry push through the real peers`, HANG_GUARD, async () => {
  assert.deepEqual([...reg.context.sync!.links.entries()].map(([name, link]) => [name, link.adapter.target]), [['npm', 'npm'], ['wordpress', 'wordpress'], ['mcp-registry', 'mcp-registry']]);
  await release('1.0.0');
  const upload = await vib3('listing', 'upload', previewsFolder(), '--registry', reg.url, '--token', acme.token, '--json');
  assert.equal(upload.code, 0, upload.out + upload.err);
  const report = JSON.parse(upload.out);
  assert.deepEqual(report.uploaded.map((u: any) => [u.file, u.outcome]).sort(), [...images.keys()].map((k) => [`${k}.${k.startsWith('registry') ? 'webp' : 'png'}`, 'new']).sort());
  assert.match(upload.err, /\[1\/6\] wordpress\/banner\.png {2}772x250 /);
  // A wordpress image queues the wordpress partner; the registry's preview (the listing's own) queues every partner.
  const queued = Object.fromEntries(report.uploaded.map((u: any) => [u.name, u.queued]));
  assert.deepEqual([queued['banner'], queued['preview-1']], [1, 3]);

  const rows = await settle();
  assert.deepEqual(rows.filter((r) => r.state === 'dead'), []);
  assert.deepEqual(new Set(rows.filter((r) => r.state === 'done').map((r) => r.partner)), new Set(['npm', 'wordpress', 'mcp-registry']));

  // npm: the listing fields and `latest`, read back with the real npm CLI.
  const info = npmView();
  assert.equal(info.description, 'Aurora-coloured 4D shapes that drift across the page.');
  assert.deepEqual(info.keywords, ['aurora', 'shapes', 'webgpu']);
  assert.equal(info.homepage, 'https://acme.example/aurora');
  assert.deepEqual(info['dist-tags'], { latest: '1.0.0' });

  // WordPress.org: readme.txt with the stable version, captions from the registry's preview, and the assets byte for byte.
  const readme = svnCat('trunk/readme.txt');
  assert.match(readme, /^=== Aurora Shapes ===$/m);
  assert.match(readme, /^Stable tag: 1\.0\.0$/m);
  assert.match(readme, /^1\. Aurora Shapes: /m);
  assert.deepEqual(svnList('assets'), Object.values(WORDPRESS_FILES).sort());
  assert.deepEqual(svnList('tags'), ['1.0.0/']);
  const co = join(work, 'wp-checkout');
  svn.svn(['checkout', `${svn.url}/assets`, co], SVN_USER);
  for (const [name, file] of Object.entries(WORDPRESS_FILES)) {
    const bytes = readFileSync(join(co, file));
    assert.deepEqual(pngSize(bytes), { width: WORDPRESS[name]![0], height: WORDPRESS[name]![1] }, file);
    assert.deepEqual(new Uint8Array(bytes), images.get(`wordpress/${name}`), file);
  }

  // The MCP Registry lists the server with the package's tools.
  const list = await mcpGet('/v0/servers?search=aurora');
  assert.equal(list.metadata.count, 1);
  assert.equal(list.servers[0].server.name, MCP_NAME);
  assert.equal(list.servers[0].server.version, '1.0.0');
  assert.equal(list.servers[0].server.packages[0].identifier, NPM_NAME);
  const meta = Object.values(list.servers[0].server._meta as Record<string, any>)[0];
  assert.equal(meta['dev.vib3/listing'].tools.length, 2);

  const status = await api(reg.url, `/v1/extensions/${ID}/sync`, { token: acme.token });
  assert.equal(status.status, 200, JSON.stringify(status.body));
  assert.deepEqual(status.body.partners.map((p: any) => [p.partner, p.status, p.pushedVersion]).sort(), [['mcp-registry', 'synced', '1.0.0'], ['npm', 'synced', '1.0.0'], ['wordpress', 'synced', '1.0.0']]);
});

test('stored assets: listed, served immutable by content with nosniff; the registry preview is in the listing', async () => {
  const list = await api(reg.url, `/v1/extensions/${ID}/1.0.0/assets`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.assets.map((a: any) => `${a.target}/${a.name} ${a.width}x${a.height} ${a.type}`), [
    'registry/preview-1 1280x720 image/webp',
    ...Object.entries(WORDPRESS).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, [w, h]]) => `wordpress/${name} ${w}x${h} image/png`),
  ]);
  const banner = list.body.assets.find((a: any) => a.name === 'banner');
  assert.equal(banner.url, `/v1/extensions/${ID}/1.0.0/assets/wordpress/banner?sha256=${banner.sha256}`);
  const res = await fetch(reg.url + banner.url);
  assert.equal(res.status, 200);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), images.get('wordpress/banner'));
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('etag'), `"${banner.sha256}"`);
  const bare = await fetch(`${reg.url}/v1/extensions/${ID}/1.0.0/assets/wordpress/banner`, { headers: { 'if-none-match': `"${banner.sha256}"` } });
  assert.equal(bare.status, 304);
  assert.equal((await api(reg.url, `/v1/extensions/${ID}/1.0.0/assets/wordpress/banner?sha256=${'0'.repeat(64)}`)).body.error.code, 'ASSET_NOT_FOUND');

  const listing = (await api(reg.url, `/v1/extensions/${ID}/listing`)).body;
  const preview = list.body.assets.find((a: any) => a.target === 'registry');
  assert.equal(listing.previews.length, 1);
  assert.equal(listing.previews[0].src, `${reg.context.sync!.registryUrl}${preview.url}`);
  assert.deepEqual([listing.previews[0].width, listing.previews[0].height, listing.previews[0].type], [1280, 720, 'image/webp']);
  assert.match(listing.previews[0].alt, /^Aurora Shapes: /);
});

test('a wrongly sized or shaped upload is refused with a code and nothing is stored or queued', async () => {
  const before = { assets: (await api(reg.url, `/v1/extensions/${ID}/1.0.0/assets`)).body.assets, rows: (await rowsOf()).length };
  const put = (target: string, name: string, bytes: Uint8Array, token = acme.token, type = 'image/png') =>
    api(reg.url, `/v1/extensions/${ID}/1.0.0/assets/${target}/${name}`, { method: 'PUT', token, body: bytes as Uint8Array<ArrayBuffer>, type });
  const wrong = await put('wordpress', 'banner', png(770, 250));
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.code, 'IMAGE_WRONG_SIZE');
  assert.deepEqual(wrong.body.error.expected, { width: 772, height: 250 });
  const newName = await put('wordpress', 'screenshot-2', png(1280, 700));
  assert.deepEqual([newName.status, newName.body.error.code], [422, 'IMAGE_WRONG_SIZE']);
  assert.deepEqual([(await put('wordpress', 'icon', webp(128, 128), acme.token, 'image/webp')).body.error.code, (await put('wordpress', 'icon', new TextEncoder().encode('not an image'))).body.error.code], ['IMAGE_WRONG_FORMAT', 'IMAGE_UNREADABLE']);
  const poster = await put('wordpress', 'poster', png(772, 250));
  assert.deepEqual([poster.status, poster.body.error.code], [422, 'UNKNOWN_SLOT']);
  const target = await put('myspace', 'banner', png(772, 250));
  assert.deepEqual([target.status, target.body.error.code], [404, 'TARGET_NOT_FOUND']);
  assert.equal((await put('npm', 'icon', png(128, 128))).body.error.code, 'UNKNOWN_SLOT');
  assert.equal((await put('wordpress', 'banner', png(772, 250), globex.token)).body.error.code, 'NAMESPACE_OWNED');
  assert.equal((await put('wordpress', 'banner', png(772, 250), reg.adminToken)).body.error.code, 'PUBLISHER_REQUIRED');
  const after = { assets: (await api(reg.url, `/v1/extensions/${ID}/1.0.0/assets`)).body.assets, rows: (await rowsOf()).length };
  assert.deepEqual(after, before);

  // Through the CLI: the refusal's code, the other images still go.
  const dir = join(work, 'bad-previews');
  mkdirSync(join(dir, 'wordpress'), { recursive: true });
  writeFileSync(join(dir, 'wordpress', 'icon.png'), png(120, 120));
  writeFileSync(join(dir, 'wordpress', 'icon-2x.png'), images.get('wordpress/icon-2x')!);
  writeFileSync(join(dir, 'previews.json'), JSON.stringify({ extension: { id: ID, version: '1.0.0' }, files: [{ file: 'wordpress/icon.png', target: 'wordpress' }, { file: 'wordpress/icon-2x.png', target: 'wordpress' }] }));
  const cli = await vib3('listing', 'upload', dir, '--registry', reg.url, '--token', acme.token);
  assert.equal(cli.code, 1);
  assert.match(cli.out, /\[1\/2\] wordpress\/icon\.png {2}REFUSED IMAGE_WRONG_SIZE: wordpress\/icon is 120×120; .* wants exactly 128×128/);
  assert.match(cli.out, /\[2\/2\] wordpress\/icon-2x\.png {2}256x256 .* unchanged/);
  assert.match(cli.err, /UPLOAD_INCOMPLETE/);
  assert.equal((await rowsOf()).length, before.rows);
});

test('vib3 listing status and vib3 listing sync --dry-run (through main) show what the registry has', async () => {
  const status = await vib3('listing', 'status', ID, '--registry', reg.url, '--token', acme.token);
  assert.equal(status.code, 0, status.err);
  assert.match(status.out, /partner +status +pushed +attempts +next attempt +last error/);
  for (const partner of ['npm', 'wordpress', 'mcp-registry']) assert.match(status.out, new RegExp(`^  ${partner} +synced +1\\.0\\.0 +\\d+ +- +-$`, 'm'));
  const json = JSON.parse((await vib3('listing', 'status', ID, '--registry', reg.url, '--token', acme.token, '--json')).out);
  assert.deepEqual(json.partners.map((p: any) => p.status), ['synced', 'synced', 'synced']);

  const dry = await vib3('listing', 'sync', ID, '--dry-run', '--registry', reg.url, '--token', acme.token);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /0 of 3 partners would get a push/);
  for (const partner of ['npm', 'wordpress', 'mcp-registry']) assert.match(dry.out, new RegExp(`^${partner}: up to date \\(1\\.0\\.0`, 'm'));
  const dryJson = JSON.parse((await vib3('listing', 'sync', ID, '--dry-run', '--partner', 'wordpress', '--registry', reg.url, '--token', acme.token, '--json')).out);
  assert.deepEqual(dryJson.partners.map((p: any) => [p.partner, p.wouldPush, p.files.added.length]), [['wordpress', false, 0]]);
  assert.deepEqual(dryJson.partners[0].document.assets.sort(), Object.values(WORDPRESS_FILES).sort());
  const other = await vib3('listing', 'status', ID, '--registry', reg.url, '--token', globex.token);
  assert.equal(other.code, 1);
  assert.match(other.err, /NAMESPACE_OWNED/);
});

test('a new stable version, a beta channel move and a yank propagate: npm dist-tags and deprecation, svn Stable tag, MCP latest', HANG_GUARD, async () => {
  await release('1.1.0');
  // The images of 1.1.0 (the listed version now), from the same folder.
  const upload = await vib3('listing', 'upload', join(work, 'previews'), '--version', '1.1.0', '--registry', reg.url, '--token', acme.token);
  assert.equal(upload.code, 0, upload.out + upload.err);
  const beta = await api(reg.url, `/v1/extensions/${ID}/channels/beta`, { method: 'PUT', token: acme.token, json: { version: '1.1.0' } });
  assert.equal(beta.status, 200, JSON.stringify(beta.body));
  assert.deepEqual((await settle()).filter((r) => r.state === 'dead'), []);
  const info = npmView();
  assert.deepEqual(info['dist-tags'], { latest: '1.1.0', beta: '1.1.0' });
  assert.deepEqual(info.versions, ['1.0.0', '1.1.0']);
  assert.match(svnCat('trunk/readme.txt'), /^Stable tag: 1\.1\.0$/m);
  assert.deepEqual(svnList('tags'), ['1.0.0/', '1.1.0/']);
  assert.deepEqual(svnList('assets'), Object.values(WORDPRESS_FILES).sort());
  assert.equal((await mcpGet(`/v0/servers/${encodeURIComponent(MCP_NAME)}/versions/latest`)).server.version, '1.1.0');

  const yank = await api(reg.url, `/v1/extensions/${ID}/1.0.0/yank`, { method: 'POST', token: acme.token, json: { reason: 'renders the wrong colours' } });
  assert.equal(yank.status, 200, JSON.stringify(yank.body));
  // Before the workers run, a dry run shows the change npm gets: the deprecation.
  const diff = await vib3('listing', 'sync', ID, '--dry-run', '--partner', 'npm', '--registry', reg.url, '--token', acme.token);
  assert.equal(diff.code, 0, diff.err);
  assert.match(diff.out, /^npm: would push 1\.1\.0 \(last pushed 1\.1\.0\): 1 change, files \+0 -0 ~0$/m);
  assert.match(diff.out, /^ {2}~ \/deprecated {2}\[\] -> \["1\.0\.0"\]$/m);
  assert.deepEqual((await settle()).filter((r) => r.state === 'dead'), []);
  assert.match(npmView(`${NPM_NAME}@1.0.0`).deprecated, /yanked/);
  assert.equal(npmView(`${NPM_NAME}@1.1.0`).deprecated, undefined);
  assert.match(svnCat('trunk/readme.txt'), /^= 1\.0\.0 =\n\* Published .*\n\* Withdrawn from the registry \(yanked\)\.$/m);
  const status = await api(reg.url, `/v1/extensions/${ID}/sync`, { token: acme.token });
  assert.deepEqual(status.body.partners.map((p: any) => [p.partner, p.status, p.pushedVersion]).sort(), [['mcp-registry', 'synced', '1.1.0'], ['npm', 'synced', '1.1.0'], ['wordpress', 'synced', '1.1.0']]);
});

test('vib3 listing sync queues a resync: skipped where the partner has the listing, pushed again with --force', async () => {
  const plain = await vib3('listing', 'sync', ID, '--partner', 'npm', '--registry', reg.url, '--token', acme.token, '--json');
  assert.equal(plain.code, 0, plain.out);
  const first = JSON.parse(plain.out);
  assert.deepEqual(first.queued.map((q: any) => q.partner), ['npm']);
  await settle();
  const state = async (rowId: number) => (await rowsOf()).find((r) => r.id === rowId)!.state;
  assert.equal(await state(first.queued[0].rowId), 'skipped');
  const forced = await vib3('listing', 'sync', ID, '--partner', 'npm', '--partner', 'wordpress', '--force', '--registry', reg.url, '--token', acme.token);
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /^queued a forced resync of com\.acme\.aurora: npm \(row \d+\), wordpress \(row \d+\)$/m);
  const ids = [...forced.out.matchAll(/row (\d+)/g)].map((m) => Number(m[1]));
  await settle();
  assert.deepEqual(await Promise.all(ids.map(state)), ['done', 'done']);
  assert.deepEqual(npmView()['dist-tags'], { latest: '1.1.0', beta: '1.1.0' });
  const unknown = await vib3('listing', 'sync', ID, '--partner', 'figma', '--registry', reg.url, '--token', acme.token);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /UNKNOWN_PARTNER/);
});

/** Why `ext publish --previews` cannot render here (no Chromium, or the kit's dist/ is not built), else undefined. */
function cannotRender(): string | undefined {
  try {
    accessSync(chromiumPath(), constants.X_OK);
    kitDistDir();
    return undefined;
  } catch (err) {
    return `rendering needs Chromium and the built kit: ${err instanceof PreviewError ? err.code : (err as Error).message}`;
  }
}

test('vib3 ext publish --previews publishes, renders the previews in Chromium and uploads them', { ...HANG_GUARD, skip: cannotRender() }, async () => {
  const file = join(work, 'com.acme.duo-1.0.0.vib3x');
  writeFileSync(file, await makePackage(acme, { id: 'com.acme.duo', version: '1.0.0', title: 'Duo Shapes' }));
  const run = await vib3('ext', 'publish', file, '--registry', reg.url, '--token', acme.token, '--previews', '--previews-targets', 'registry,wordpress', '--json');
  assert.equal(run.code, 0, run.out + run.err);
  const result = JSON.parse(run.out);
  assert.deepEqual([result.ok, result.id, result.version], [true, 'com.acme.duo', '1.0.0']);
  assert.equal(result.previews.upload.uploaded.length, result.previews.files);
  assert.match(run.err, /^rendering the listing images of com\.acme\.duo@1\.0\.0 for registry, wordpress/m);
  const stored = (await api(reg.url, '/v1/extensions/com.acme.duo/1.0.0/assets')).body.assets;
  assert.deepEqual(stored.map((a: any) => `${a.target}/${a.name}`).sort(), result.previews.upload.uploaded.map((u: any) => `${u.target}/${u.name}`).sort());
  assert.ok(stored.some((a: any) => a.target === 'wordpress' && a.name === 'banner-2x' && a.width === 1544 && a.height === 500));
  // The registry's previews, one per preset of the manifest, are the listing's, captioned with the preset titles.
  const listing = (await api(reg.url, '/v1/extensions/com.acme.duo/listing')).body;
  const registryPreviews = stored.filter((a: any) => a.target === 'registry');
  assert.ok(registryPreviews.length >= 1);
  assert.deepEqual(listing.previews.map((p: any) => p.src), registryPreviews.map((a: any) => `${reg.context.sync!.registryUrl}${a.url}`));
  for (const p of listing.previews) assert.match(p.alt, /^Duo Shapes: /);
});
