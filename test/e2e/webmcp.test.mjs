// WebMCP end to end: a page with a <vib3-canvas>, one ToolRegistry and exposeTools, in the system
// Chromium with --enable-features=WebMCP (both DESIGN §6 flag sets). An agent's view of the page is
// playwright's page.webmcp: it lists the tools on document.modelContext and calls them, and every
// call goes through the page's registry (its schemas, policy and approval handler).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './browser.mjs';
import { launchChromium } from './webmcp-launch.mjs';

const CANVAS_TOOLS = ['set_params', 'get_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset', 'list_geometries', 'describe_geometry', 'render_snapshot'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let server;
before(async () => {
  server = await startServer(() => ({}));
});
after(() => server?.server.close());

async function openFixture(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/test/e2e/fixtures/webmcp.html`);
  await page.waitForFunction(() => window.exposeResult !== undefined, null, { timeout: 60_000 });
  return { page, errors };
}

const params = (page) => page.evaluate(() => window.canvas.getParams());
const errorCode = (result) => result?.structuredContent?.error?.code;

/** Polls page.webmcp.tools() until `check(names)` holds. */
async function waitForTools(page, check) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const names = (await page.webmcp.tools()).map((t) => t.name);
    if (check(names)) return names;
    if (Date.now() > deadline) assert.fail(`page.webmcp.tools() never matched; last: ${names.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const flagSet of ['plain', 'webgpu']) {
  describe(`WebMCP in Chromium (${flagSet} flags + --enable-features=WebMCP)`, () => {
    let browser;
    let page;
    let errors;
    before(async () => {
      browser = await launchChromium(flagSet);
      ({ page, errors } = await openFixture(browser));
    });
    after(async () => {
      await browser?.close();
    });

    test('exposeTools registers every registry tool on document.modelContext, with WebMCP annotations', async () => {
      const result = await page.evaluate(() => window.exposeResult);
      assert.deepEqual(result, { exposed: true, tools: [...CANVAS_TOOLS, 'dev.example.peek'], failed: [] });
      const tools = await page.webmcp.tools();
      assert.deepEqual(tools.map((t) => t.name).sort(), [...CANVAS_TOOLS, 'dev.example.peek'].sort());
      const listed = await page.evaluate(() => Object.fromEntries(window.registry.list().map((t) => [t.name, { description: t.description, inputSchema: t.inputSchema }])));
      for (const t of tools) {
        assert.equal(t.description, listed[t.name].description, t.name);
        assert.deepEqual(t.inputSchema, listed[t.name].inputSchema, t.name);
      }
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      assert.deepEqual(byName.get_params.annotations, { readOnly: true });
      assert.deepEqual(byName.reset.annotations, { consequential: true });
      assert.equal(byName.set_params.annotations, undefined);
      // The third party says read-only, but its policy asks: WebMCP is not told it is free to call.
      assert.deepEqual(byName['dev.example.peek'].annotations, { untrustedContent: true });
    });

    test('set_params called through page.webmcp changes the canvas', async () => {
      const result = await page.webmcp.callTool('set_params', { system: 'holographic', hue: 280 });
      assert.notEqual(result.isError, true, JSON.stringify(result));
      assert.equal(result.structuredContent.params.hue, 280);
      assert.deepEqual([...result.structuredContent.changed].sort(), ['hue', 'system']);
      const now = await params(page);
      assert.equal(now.hue, 280);
      assert.equal(now.system, 'holographic');
      const calls = await page.evaluate(() => window.calls);
      assert.deepEqual({ ...calls.at(-1), ms: 0 }, { name: 'set_params', caller: 'webmcp', ok: true, ms: 0 });
    });

    test('input that breaks the inputSchema is a coded isError result and changes nothing', async () => {
      const result = await page.webmcp.callTool('set_params', { hue: 'red' });
      assert.equal(result.isError, true);
      assert.equal(errorCode(result), 'INVALID_TOOL_INPUT');
      assert.equal((await params(page)).hue, 280);
    });

    test('reset goes through the page approval handler: a denial is an error result, an approval resets', async () => {
      await page.evaluate(() => (window.approvalAnswer = false));
      const denied = await page.webmcp.callTool('reset', {});
      assert.equal(denied.isError, true);
      assert.equal(errorCode(denied), 'APPROVAL_DENIED');
      assert.equal(denied.structuredContent.error.retryable, false);
      assert.deepEqual((await page.evaluate(() => window.approvals)).at(-1), { tool: 'reset', caller: 'webmcp', reason: 'destructive' });
      assert.equal((await params(page)).hue, 280, 'a denied reset leaves the parameters as they were');

      await page.evaluate(() => (window.approvalAnswer = true));
      const allowed = await page.webmcp.callTool('reset', {});
      assert.notEqual(allowed.isError, true, JSON.stringify(allowed));
      assert.equal((await params(page)).hue, 200);
      assert.equal((await params(page)).system, 'quantum');
    });

    test('annotations never bypass approval: a "read-only" third-party tool is still asked about', async () => {
      await page.evaluate(() => (window.approvalAnswer = false));
      const result = await page.webmcp.callTool('dev.example.peek', {});
      assert.equal(errorCode(result), 'APPROVAL_DENIED');
      assert.deepEqual((await page.evaluate(() => window.approvals)).at(-1), { tool: 'dev.example.peek', caller: 'webmcp', reason: 'destructive' });
      assert.equal(await page.evaluate(() => window.peeks), 0, 'the provider never ran');
    });

    test('render_snapshot through WebMCP returns a real PNG as image content', async () => {
      const result = await page.webmcp.callTool('render_snapshot', { width: 64, height: 48 });
      assert.notEqual(result.isError, true, JSON.stringify(result).slice(0, 400));
      const image = result.content.find((c) => c.type === 'image');
      assert.equal(image.mimeType, 'image/png');
      const png = Buffer.from(image.data, 'base64');
      assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
      assert.equal(png.readUInt32BE(16), 64);
      assert.equal(png.readUInt32BE(20), 48);
      assert.equal(result.structuredContent.backend, flagSet === 'webgpu' ? 'webgpu' : 'webgl2');
    });

    test('exposeTools follows the registry: a provider added later appears, removed it is gone', async () => {
      await page.evaluate(() => window.addExtra());
      await waitForTools(page, (names) => names.includes('dev.extra.ping'));
      const pong = await page.webmcp.callTool('dev.extra.ping', {});
      assert.equal(pong.content[0].text, 'pong');
      await page.evaluate(() => window.removeExtra());
      const names = await waitForTools(page, (n) => !n.includes('dev.extra.ping'));
      assert.deepEqual(names.sort(), [...CANVAS_TOOLS, 'dev.example.peek'].sort(), 'the other tools stay registered');
      const syncs = await page.evaluate(() => window.syncs);
      assert.ok(syncs.some((s) => s.tools.includes('dev.extra.ping')));
      assert.deepEqual(syncs.at(-1).failed, []);
    });

    test('aborting the signal unregisters every tool', async () => {
      await page.evaluate(() => window.withdraw());
      assert.deepEqual(await page.webmcp.tools(), []);
      assert.deepEqual(await page.evaluate(async () => (await document.modelContext.getTools()).map((t) => t.name)), []);
      await assert.rejects(page.webmcp.callTool('get_params', {}), /No WebMCP tool named "get_params"/);
      // A registry change after the abort registers nothing again.
      await page.evaluate(() => window.addExtra());
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(await page.webmcp.tools(), []);
      assert.deepEqual(errors, []);
    });
  });
}

test('without --enable-features=WebMCP, exposeTools resolves { exposed: false, reason: "WEBMCP_UNAVAILABLE" } and the page keeps working', async () => {
  const browser = await launchChromium('plain', { webmcp: false });
  try {
    const { page, errors } = await openFixture(browser);
    const result = await page.evaluate(() => window.exposeResult);
    assert.equal(result.exposed, false);
    assert.equal(result.reason, 'WEBMCP_UNAVAILABLE');
    assert.match(result.message, /document\.modelContext/);
    assert.match(result.suggestion, /--enable-features=WebMCP/);
    assert.equal(await page.evaluate(() => 'modelContext' in document), false);
    await assert.rejects(page.webmcp.tools(), /WebMCP is not enabled/);
    // The registry itself is unaffected: the page can still call its tools.
    const got = await page.evaluate(() => window.registry.call('get_params'));
    assert.equal(got.structuredContent.params.hue, 200);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
