// `vib3 mcp` with the built CLI (dist/cli/vib3.js, from npm run build) and the system Chromium:
// the official SDK client (2.4.0) over stdio, on the current revision (server/discover) and on the
// 2025 handshake (initialize). Every canvas tool is called on the real headless canvas;
// render_snapshot's PNG is decoded and its colours checked; refusals are coded isError results,
// unknown tools JSON-RPC errors; resources list and read; the extensions of an install directory
// (--extensions) run in the page. Streamable HTTP, tokens and the Inspector CLI are in
// mcp-http.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '@modelcontextprotocol/client';
import { CANVAS_TOOLS, REQUEST, errorCode, pixelStats, repo, runMcp, snapshotImage, stdioClient } from './mcp-support.mjs';

const POLICY_FIELDS = ['requires', 'approval', 'rateLimit', 'examples', 'source', 'policy'];
const call = (client, name, args = {}) => client.callTool({ name, arguments: args }, REQUEST);

/** Mean colour of a snapshot of `system` at `hue` (saturated, geometry 1, as the browser hue test renders it). */
async function meanColour(client, system, hue) {
  const set = await call(client, 'set_params', { system, geometry: 1, hue, saturation: 1, intensity: 0.5 });
  assert.notEqual(set.isError, true, JSON.stringify(set));
  return pixelStats(snapshotImage(await call(client, 'render_snapshot', { width: 128, height: 128 })));
}

describe('vib3 mcp over stdio, current revision (server/discover)', () => {
  let server;
  before(async () => {
    server = await stdioClient();
  });
  after(async () => {
    await server?.close();
  });

  it('negotiates 2026-07-28 and identifies as vib3 with the kit version', () => {
    assert.equal(server.client.getProtocolEra(), 'modern');
    assert.equal(server.client.getNegotiatedProtocolVersion(), '2026-07-28');
    const info = server.client.getServerVersion();
    assert.equal(info.name, 'vib3');
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.ok(server.client.getServerCapabilities()?.tools, 'tools capability');
    assert.ok(server.client.getServerCapabilities()?.resources, 'resources capability');
  });

  it('tools/list: the canvas tools with their schemas, MCP fields only', async () => {
    const { tools } = await server.client.listTools({}, REQUEST);
    assert.deepEqual(tools.map((t) => t.name), CANVAS_TOOLS);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(typeof t.description, 'string');
      assert.ok(t.annotations, `${t.name} has annotations`);
      for (const field of POLICY_FIELDS) assert.equal(field in t, false, `${t.name} has no ${field}`);
    }
    const setParams = tools.find((t) => t.name === 'set_params');
    assert.deepEqual(setParams.inputSchema.properties.system.enum, ['faceted', 'quantum', 'holographic']);
    assert.deepEqual([setParams.inputSchema.properties.hue.minimum, setParams.inputSchema.properties.hue.maximum], [0, 360]);
    assert.ok(tools.find((t) => t.name === 'render_snapshot').outputSchema.properties.params);
  });

  it('calls every canvas tool on the real canvas', async () => {
    const c = server.client;
    const set = await call(c, 'set_params', { system: 'faceted', geometry: 9, gridDensity: 30 });
    assert.deepEqual([set.structuredContent.params.system, set.structuredContent.params.geometry, set.structuredContent.params.gridDensity], ['faceted', 9, 30]);
    assert.deepEqual(new Set(set.structuredContent.changed), new Set(['system', 'geometry', 'gridDensity']));

    const got = await call(c, 'get_params');
    assert.equal(got.structuredContent.params.geometry, 9);
    assert.equal(JSON.parse(got.content[0].text).params.system, 'faceted', 'the text block carries the same JSON');

    const rotated = await call(c, 'set_rotation', { xw: 0.8, zw: -0.4 });
    assert.deepEqual([rotated.structuredContent.params.rot4dXW, rotated.structuredContent.params.rot4dZW], [0.8, -0.4]);

    const mesh = await call(c, 'set_mesh', { mesh: 'tesseract', mode: 'slice', sliceW: 0.2 });
    assert.deepEqual(mesh.structuredContent, { mesh: 'tesseract', mode: 'slice', sliceW: 0.2 });
    assert.equal(errorCode(await call(c, 'set_mesh', { mesh: 'someone/unknown-shape' })), 'UNKNOWN_MESH');
    await call(c, 'set_mesh', { mesh: 'none' });

    const theme = await call(c, 'set_theme', { theme: 'light' });
    assert.notEqual(theme.isError, true, JSON.stringify(theme));
    assert.equal(theme.structuredContent.theme, 'light');
    assert.equal(errorCode(await call(c, 'set_theme', { theme: 'no-such-theme' })), 'UNKNOWN_THEME');
    await call(c, 'set_theme', { theme: '' });

    const list = await call(c, 'list_geometries');
    assert.equal(list.structuredContent.geometries.length, 24);
    const nine = await call(c, 'describe_geometry', { geometry: 9 });
    assert.deepEqual([nine.structuredContent.geometry.index, nine.structuredContent.geometry.base, nine.structuredContent.geometry.core], [9, 1, 1]);

    const snap = await call(c, 'render_snapshot', { width: 96, height: 64 });
    const image = snapshotImage(snap);
    assert.deepEqual([image.width, image.height], [96, 64]);
    assert.equal(snap.structuredContent.mimeType, 'image/png');
    assert.equal(snap.structuredContent.params.geometry, 9);
    assert.match(snap.structuredContent.backend, /^(webgpu|webgl2)$/);
    assert.ok(pixelStats(image).std > 2, 'a picture, not a flat fill');

    // reset needs approval; this server was started without --yes.
    const reset = await call(c, 'reset');
    assert.match(errorCode(reset), /^APPROVAL_(DENIED|REQUIRED)$/);
    assert.match(reset.structuredContent.error.suggestion, /--yes/);
    assert.equal(reset.structuredContent.error.retryable, false);
    assert.equal((await call(c, 'get_params')).structuredContent.params.geometry, 9, 'the refused reset changed nothing');
  });

  it('render_snapshot shows the requested colours: holographic at hue 0 is red, at hue 240 blue', async () => {
    const red = await meanColour(server.client, 'holographic', 0);
    const blue = await meanColour(server.client, 'holographic', 240);
    const dominant = (m) => m.indexOf(Math.max(...m));
    assert.equal(dominant(red.mean), 0, `hue 0: mean rgb ${red.mean.map((v) => v.toFixed(1))}`);
    assert.equal(dominant(blue.mean), 2, `hue 240: mean rgb ${blue.mean.map((v) => v.toFixed(1))}`);
    assert.ok(red.mean[0] > red.mean[2] && blue.mean[2] > blue.mean[0], 'red and blue trade places');
    const quantum = await meanColour(server.client, 'quantum', 120);
    assert.equal(dominant(quantum.mean), 1, `quantum at hue 120: mean rgb ${quantum.mean.map((v) => v.toFixed(1))}`);
  });

  it('bad input is an isError result with INVALID_TOOL_INPUT; an unknown tool a JSON-RPC error', async () => {
    const c = server.client;
    for (const [name, args] of [['set_params', { hue: 999 }], ['set_params', { system: 'plasma' }], ['set_params', {}], ['set_rotation', { xw: 'fast' }], ['describe_geometry', { geometry: 24 }], ['render_snapshot', { width: 4096 }]]) {
      const result = await call(c, name, args);
      assert.equal(errorCode(result), 'INVALID_TOOL_INPUT', `${name} ${JSON.stringify(args)}`);
      const error = result.structuredContent.error;
      assert.equal(typeof error.message, 'string');
      assert.equal(typeof error.suggestion, 'string');
      assert.equal(error.retryable, false);
      assert.match(result.content[0].text, /^INVALID_TOOL_INPUT: /);
    }
    await assert.rejects(call(c, 'no_such_tool'), (err) => err instanceof ProtocolError && err.code === -32602 && /no_such_tool/.test(err.message));
    await assert.rejects(call(c, 'set_param'), (err) => err instanceof ProtocolError && err.code === -32602);
  });

  it('resources: parameter docs, tool docs and the current scene', async () => {
    const c = server.client;
    const { resources } = await c.listResources({}, REQUEST);
    assert.deepEqual(resources.map((r) => r.uri).sort(), ['vib3://docs/parameters', 'vib3://docs/tools', 'vib3://scene/current']);
    const text = async (uri) => (await c.readResource({ uri }, REQUEST)).contents[0];
    const params = await text('vib3://docs/parameters');
    assert.equal(params.mimeType, 'text/markdown');
    for (const name of ['system', 'geometry', 'rot4dXW', 'gridDensity', 'morphFactor', 'chaos', 'speed', 'hue']) assert.match(params.text, new RegExp(`\\| \`${name}\` \\|`));
    assert.match(params.text, /\| `gridDensity` \| `grid-density` \| number \| 4 \.\. 100 \| 15 \|/);
    const docs = await text('vib3://docs/tools');
    for (const name of ['set_params', 'render_snapshot', 'reset']) assert.match(docs.text, new RegExp(name));
    await call(c, 'set_params', { system: 'quantum', hue: 33 });
    const scene = JSON.parse((await text('vib3://scene/current')).text);
    assert.equal(scene.canvas, 'headless');
    assert.equal(scene.params.system, 'quantum');
    assert.equal(scene.params.hue, 33);
    assert.match(scene.backend, /^(webgpu|webgl2)$/);
    assert.equal(scene.mesh, 'none');
    assert.deepEqual([scene.width, scene.height], [512, 512]);
    await assert.rejects(c.readResource({ uri: 'vib3://nothing' }, REQUEST), (err) => err instanceof ProtocolError && err.code === -32602);
  });

  it('stdout carries the protocol only; the log went to stderr', () => {
    assert.match(server.stderr(), /vib3 mcp: /);
  });
});

describe('vib3 mcp over stdio, 2025 handshake (initialize), with --yes and --renderer webgl2', () => {
  let server;
  before(async () => {
    server = await stdioClient(['--yes', '--renderer', 'webgl2'], 'legacy');
  });
  after(async () => {
    await server?.close();
  });

  it('negotiates a 2025 revision and serves the same tools', async () => {
    assert.equal(server.client.getProtocolEra(), 'legacy');
    assert.match(server.client.getNegotiatedProtocolVersion(), /^2025-/);
    assert.equal(server.client.getServerVersion().name, 'vib3');
    const { tools } = await server.client.listTools({}, REQUEST);
    assert.deepEqual(tools.map((t) => t.name), CANVAS_TOOLS);
  });

  it('with --yes, reset runs (approved) and restores the defaults', async () => {
    const c = server.client;
    await call(c, 'set_params', { hue: 10, gridDensity: 60 });
    const reset = await call(c, 'reset');
    assert.notEqual(reset.isError, true, JSON.stringify(reset));
    assert.equal(reset.structuredContent.params.gridDensity, 15);
    assert.match(server.stderr(), /approved[^\n]*reset/);
  });

  it('render_snapshot on WebGL2: a decodable 512 x 512 PNG of the holographic system in blue', async () => {
    const c = server.client;
    await call(c, 'set_params', { system: 'holographic', geometry: 1, hue: 240, saturation: 1, intensity: 0.5 });
    const snap = await call(c, 'render_snapshot');
    assert.equal(snap.structuredContent.backend, 'webgl2');
    const image = snapshotImage(snap);
    assert.deepEqual([image.width, image.height], [512, 512]);
    const { mean } = pixelStats(image);
    assert.equal(mean.indexOf(Math.max(...mean)), 2, `mean rgb ${mean.map((v) => v.toFixed(1))}`);
  });

  it('errors keep their shapes on the 2025 era too', async () => {
    assert.equal(errorCode(await call(server.client, 'set_params', { hue: -1 })), 'INVALID_TOOL_INPUT');
    await assert.rejects(call(server.client, 'nope'), (err) => err instanceof ProtocolError && err.code === -32602);
  });
});

describe('vib3 mcp --extensions DIR: installed extensions run in the headless page, their tools are listed', () => {
  const EXAMPLE = 'dev.vib3.example-toolpack';
  let dir;
  let server;

  /** An install directory laid out as `vib3 ext install --dir` writes it, holding the example tool pack. */
  function installDir(bytes) {
    const root = mkdtempSync(join(tmpdir(), 'vib3-mcp-ext-'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(join(root, 'packages'));
    writeFileSync(join(root, 'packages', `${sha256}.vib3x`), bytes);
    const key = JSON.parse(readFileSync(`${repo}/extensions/duoprism/test-keys/reference.public.jwk`, 'utf8'));
    const cached = { version: '0.1.0', length: bytes.length, sha256, keyId: key.kid, publicKey: key.x, cachedAt: new Date().toISOString() };
    const record = { id: EXAMPLE, active: '0.1.0', channel: 'stable', pinned: false, granted: { capabilities: ['agent-tools', 'rendering'], origins: [] }, activatedAt: cached.cachedAt, cache: { '0.1.0': cached } };
    writeFileSync(join(root, 'vib3-extensions.json'), JSON.stringify({ format: 1, registry: 'http://127.0.0.1:4873', extensions: { [EXAMPLE]: record }, history: [] }));
    return root;
  }

  before(async () => {
    dir = installDir(readFileSync(`${repo}/dist/examples/${EXAMPLE}-0.1.0.vib3x`));
    server = await stdioClient(['--extensions', dir, '--renderer', 'webgl2']);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the canvas tools and the extension tools, namespaced with "."', async () => {
    const { tools } = await server.client.listTools({}, REQUEST);
    const names = tools.map((t) => t.name);
    assert.deepEqual(names.slice(0, CANVAS_TOOLS.length), CANVAS_TOOLS);
    assert.ok(names.includes(`${EXAMPLE}.set_hue`) && names.includes(`${EXAMPLE}.describe_view`), names.join(', '));
    const setHue = tools.find((t) => t.name === `${EXAMPLE}.set_hue`);
    assert.equal(setHue.inputSchema.properties.hue.maximum, 360);
    for (const field of POLICY_FIELDS) assert.equal(field in setHue, false, `no ${field}`);
    assert.match(server.stderr(), new RegExp(`extension ${EXAMPLE}@0\\.1\\.0: active`));
  });

  it('an extension tool drives the same real canvas; its input is checked before it runs', async () => {
    const c = server.client;
    const set = await call(c, `${EXAMPLE}.set_hue`, { hue: 120 });
    assert.notEqual(set.isError, true, JSON.stringify(set));
    assert.deepEqual(set.structuredContent, { hue: 120 });
    assert.equal((await call(c, 'get_params')).structuredContent.params.hue, 120);
    const view = await call(c, `${EXAMPLE}.describe_view`);
    assert.equal(view.structuredContent.hue, 120);
    assert.equal(errorCode(await call(c, `${EXAMPLE}.set_hue`, { hue: 999 })), 'INVALID_TOOL_INPUT');
    assert.equal((await call(c, 'get_params')).structuredContent.params.hue, 120, 'the refused input never reached the extension');
  });

  it('a package whose bytes do not match the install state is refused at startup (CACHE_CORRUPT)', async () => {
    const bad = installDir(readFileSync(`${repo}/dist/examples/${EXAMPLE}-0.1.0.vib3x`));
    try {
      const pkg = readdirSync(join(bad, 'packages'))[0];
      writeFileSync(join(bad, 'packages', pkg), Buffer.from('not the package'));
      const r = await runMcp(['--http', '0', '--extensions', bad]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /CACHE_CORRUPT/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
