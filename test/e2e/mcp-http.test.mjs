// `vib3 mcp --http` with the built CLI and the system Chromium: the official SDK client over
// Streamable HTTP on the current revision and on the 2025 handshake (stateless fallback), Host and
// Origin checks, the bearer token (refused at startup off loopback without one; 401 without the
// header), and a second, independent client — the MCP Inspector CLI (v1 SDK) — over stdio.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { ProtocolError } from '@modelcontextprotocol/client';
import { CANVAS_TOOLS, REQUEST, cli, errorCode, httpClient, pixelStats, repo, runMcp, serverEnv, snapshotImage, startHttpServer } from './mcp-support.mjs';

const call = (client, name, args = {}) => client.callTool({ name, arguments: args }, REQUEST);
const TOKEN = 'e2e-token-0123456789abcdef0123456789';

/** A raw POST to the endpoint (no MCP client), with the given headers. */
function rawPost(url, headers = {}, body = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('vib3 mcp --http on loopback', () => {
  let server;
  before(async () => {
    server = await startHttpServer(['--http', '0', '--renderer', 'webgl2']);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'SIGINT stops it cleanly');
    assert.equal(server?.stdout(), '', 'nothing on stdout');
  });

  it('prints its URL: loopback, path /mcp', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('a current-revision client discovers, lists and calls tools, and gets a real PNG', async () => {
    const client = await httpClient(server.url, 'auto');
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      assert.equal(client.getServerVersion()?.name, 'vib3');
      const { tools } = await client.listTools({}, REQUEST);
      assert.deepEqual(tools.map((t) => t.name), CANVAS_TOOLS);
      const set = await call(client, 'set_params', { system: 'holographic', geometry: 1, hue: 0, saturation: 1, intensity: 0.5 });
      assert.deepEqual(set.structuredContent.changed.includes('system'), true);
      const image = snapshotImage(await call(client, 'render_snapshot', { width: 128, height: 128 }));
      const { mean } = pixelStats(image);
      assert.equal(mean.indexOf(Math.max(...mean)), 0, `hue 0 is red: mean rgb ${mean.map((v) => v.toFixed(1))}`);
      assert.equal(errorCode(await call(client, 'set_params', { gridDensity: 1 })), 'INVALID_TOOL_INPUT');
      await assert.rejects(call(client, 'unknown.tool'), (err) => err instanceof ProtocolError && err.code === -32602);
      const { resources } = await client.listResources({}, REQUEST);
      assert.equal(resources.length, 3);
    } finally {
      await client.close();
    }
  });

  it('a 2025-era client (initialize) is served by the stateless fallback, on the same canvas', async () => {
    const client = await httpClient(server.url, 'legacy');
    try {
      assert.equal(client.getProtocolEra(), 'legacy');
      const { tools } = await client.listTools({}, REQUEST);
      assert.deepEqual(tools.map((t) => t.name), CANVAS_TOOLS);
      const got = await call(client, 'get_params');
      assert.equal(got.structuredContent.params.system, 'holographic', 'the state the other client set');
      const scene = JSON.parse((await client.readResource({ uri: 'vib3://scene/current' }, REQUEST)).contents[0].text);
      assert.equal(scene.params.system, 'holographic');
    } finally {
      await client.close();
    }
  });

  it('Host and Origin are checked (DNS rebinding, other sites), and only /mcp is served', async () => {
    assert.equal((await rawPost(server.url, { host: 'evil.example' })).status, 403);
    assert.equal((await rawPost(server.url, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await rawPost(server.url.replace(/\/mcp$/, '/other'))).status, 404);
  });
});

describe('vib3 mcp --http with a bearer token', () => {
  it('off loopback without a token it refuses to start (TOKEN_REQUIRED, exit 2) and starts nothing', async () => {
    const env = { ...serverEnv };
    delete env.VIB3_MCP_TOKEN;
    const r = await runMcp(['--http', '0', '--host', '0.0.0.0'], env);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /TOKEN_REQUIRED/);
    assert.match(r.stderr, /--token/);
    assert.equal(r.stdout, '');
  });

  it('a token that is too short is refused at startup', async () => {
    const r = await runMcp(['--http', '0', '--token', 'short']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /TOKEN_TOO_SHORT/);
  });

  it('a missing Chromium ends the server with CHROMIUM_NOT_FOUND (exit 1), naming --chromium', async () => {
    const r = await runMcp(['--http', '0', '--chromium', '/nonexistent/chromium']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /CHROMIUM_NOT_FOUND: No Chromium executable at \/nonexistent\/chromium/);
    assert.match(r.stderr, /--chromium/);
  });

  describe('on loopback with --token', () => {
    let server;
    before(async () => {
      server = await startHttpServer(['--http', '0', '--token', TOKEN, '--renderer', 'webgl2']);
    });
    after(async () => {
      if (server) await server.stop();
    });

    it('requests without the bearer, or with another one, get 401', async () => {
      const none = await rawPost(server.url);
      assert.equal(none.status, 401);
      assert.match(none.headers['www-authenticate'] ?? '', /^Bearer/);
      assert.equal((await rawPost(server.url, { authorization: 'Bearer wrong-token-0123456789abcdef' })).status, 401);
      assert.equal((await rawPost(server.url, { authorization: TOKEN })).status, 401, 'the scheme is required');
      await assert.rejects(httpClient(server.url, 'auto'));
    });

    it('a client with the bearer works', async () => {
      const client = await httpClient(server.url, 'auto', { authorization: `Bearer ${TOKEN}` });
      try {
        const { tools } = await client.listTools({}, REQUEST);
        assert.ok(tools.some((t) => t.name === 'render_snapshot'));
        assert.equal((await call(client, 'describe_geometry', { geometry: 17 })).structuredContent.geometry.core, 2);
      } finally {
        await client.close();
      }
    });

    it('the token also comes from VIB3_MCP_TOKEN', async () => {
      const other = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, 'mcp', '--http', '0', '--host', '0.0.0.0', '--renderer', 'webgl2'], { env: { ...serverEnv, VIB3_MCP_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c) => {
          stderr += c;
          const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
          if (url) resolve({ child, url });
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      try {
        const url = other.url.replace('0.0.0.0', '127.0.0.1');
        assert.equal((await rawPost(url)).status, 401);
        const ok = await rawPost(url, { authorization: `Bearer ${TOKEN}` }, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
        assert.equal(ok.status, 200, ok.text);
        assert.match(ok.text, /"name":"vib3"/);
      } finally {
        await new Promise((resolve) => {
          other.child.once('exit', resolve);
          other.child.kill('SIGINT');
        });
      }
    });
  });
});

describe('a second, independent client: the MCP Inspector CLI (v1 SDK) over stdio', () => {
  // The Inspector CLI reads its own package.json relative to its working directory's parent.
  const inspector = (args) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [`${repo}/node_modules/@modelcontextprotocol/inspector-cli/build/index.js`, process.execPath, cli, 'mcp', '--renderer', 'webgl2', ...args], { cwd: `${repo}/test`, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.once('exit', (status) => resolve({ status, stdout, stderr }));
    });

  it('lists the tools', async () => {
    const r = await inspector(['--method', 'tools/list']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).tools.map((t) => t.name), CANVAS_TOOLS);
  });

  it('calls set_params and render_snapshot', async () => {
    const set = await inspector(['--method', 'tools/call', '--tool-name', 'set_params', '--tool-arg', 'system=faceted', '--tool-arg', 'hue=120']);
    assert.equal(set.status, 0, set.stderr);
    const result = JSON.parse(set.stdout);
    assert.deepEqual([result.structuredContent.params.system, result.structuredContent.params.hue], ['faceted', 120]);
    const snap = await inspector(['--method', 'tools/call', '--tool-name', 'render_snapshot', '--tool-arg', 'width=64', '--tool-arg', 'height=64']);
    assert.equal(snap.status, 0, snap.stderr);
    const image = snapshotImage(JSON.parse(snap.stdout));
    assert.deepEqual([image.width, image.height], [64, 64]);
  });

  it('reads a resource', async () => {
    const r = await inspector(['--method', 'resources/read', '--uri', 'vib3://docs/parameters']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).contents[0].text, /gridDensity/);
  });
});
