// The agent demo page (demo/agent.html) under its strict CSP, in Chromium with WebMCP: the tool
// list from the registry with each tool's approval policy, a form generated from the selected
// tool's inputSchema, calls that drive the canvas, the approval <dialog> (for the page and for a
// WebMCP agent), the call log, and no CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './browser.mjs';
import { launchChromium } from './webmcp-launch.mjs';
import { demoHeaders } from '../../scripts/csp.mjs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const cli = new URL('../../dist/cli/vib3.js', import.meta.url).pathname;

const CANVAS_TOOLS = ['set_params', 'get_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset', 'list_geometries', 'describe_geometry', 'render_snapshot'];

let server;
let browser;
let page;
const errors = [];
const consoleMessages = [];
let response;

before(async () => {
  server = await startServer(demoHeaders);
  browser = await launchChromium('plain');
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  response = await page.goto(`${server.url}/demo/agent.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
});
after(async () => {
  await browser?.close();
  server?.server.close();
});

const params = () => page.evaluate(() => document.getElementById('canvas').getParams());
const selectTool = (name) => page.locator(`#tools button.tool[data-tool="${name}"]`).click();

test('the page is served with the strict CSP and the tool list shows every canvas tool with its approval policy', async () => {
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /style-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-(eval|inline)/);
  const names = await page.locator('#tools li[data-tool]').evaluateAll((lis) => lis.map((li) => li.dataset.tool));
  assert.deepEqual(names, CANVAS_TOOLS);
  const row = (name) => page.locator(`#tools li[data-tool="${name}"]`);
  assert.equal(await row('reset').locator('.badge').getAttribute('data-approval'), 'destructive');
  assert.equal(await row('get_params').locator('.badge').getAttribute('data-approval'), 'never');
  assert.match(await row('set_params').locator('.title').textContent(), /Set visual parameters/);
  assert.match(await row('set_params').locator('.description').textContent(), /subset of the VIB3 parameters/);
  assert.match(await page.locator('#webmcp-status').textContent(), /WebMCP: 9 tools on document\.modelContext/);
});

test('the form for set_params is generated from its inputSchema: number inputs with min/max, enum selects', async () => {
  await selectTool('set_params');
  const schema = await page.evaluate(() => window.agentDemo.registry.get('set_params').inputSchema);
  const fields = await page.locator('#tool-fields .field').evaluateAll((rows) => rows.map((r) => r.dataset.name));
  assert.deepEqual(fields, Object.keys(schema.properties));
  assert.equal(fields.length, 17, 'the 17 parameters of DESIGN §3');
  for (const [name, prop] of Object.entries(schema.properties)) {
    const field = page.locator(`#tool-fields .field[data-name="${name}"]`);
    if (prop.enum) {
      const options = await field.locator('select option').allTextContents();
      assert.deepEqual(options, ['— leave unset —', ...prop.enum], name);
    } else {
      const input = field.locator('input[type="number"]');
      assert.equal(await input.getAttribute('min'), String(prop.minimum), name);
      assert.equal(await input.getAttribute('max'), String(prop.maximum), name);
      assert.equal(await input.getAttribute('step'), prop.type === 'integer' ? '1' : 'any', name);
      assert.equal(await input.inputValue(), '', `${name} starts empty (optional)`);
    }
  }
  // Spot checks against DESIGN §3 itself.
  const attrs = (name) => page.locator(`#tool-fields .field[data-name="${name}"] input`).evaluate((i) => [i.min, i.max, i.step]);
  assert.deepEqual(await attrs('hue'), ['0', '360', '1']);
  assert.deepEqual(await attrs('gridDensity'), ['4', '100', 'any']);
  assert.deepEqual(await attrs('dimension'), ['3', '4.5', 'any']);
  assert.deepEqual(await page.locator('#tool-fields .field[data-name="system"] option').allTextContents(), ['— leave unset —', 'faceted', 'quantum', 'holographic']);
});

test('filling in hue and calling set_params changes the canvas; the call shows in the result and the log', async () => {
  await page.locator('#tool-fields .field[data-name="hue"] input').fill('280');
  await page.locator('#call').click();
  await page.waitForFunction(() => document.getElementById('canvas').getParams().hue === 280);
  await page.locator('#result[data-ok="true"]').waitFor();
  const shown = JSON.parse(await page.locator('#result-json').textContent());
  assert.deepEqual(shown.structuredContent.changed, ['hue']);
  assert.equal(await page.locator('#result-image').isVisible(), false, 'no image for a result without one');
  const first = page.locator('#log li').first();
  assert.deepEqual(await first.evaluate((li) => ({ ...li.dataset })), { caller: 'page', tool: 'set_params', ok: 'true', code: '' });
});

test('out-of-range input comes back as the registry error: code, message and suggestion', async () => {
  await page.locator('#tool-fields .field[data-name="hue"] input').fill('999');
  await page.locator('#call').click();
  await page.locator('#result[data-ok="false"]').waitFor();
  assert.equal(await page.locator('#error-code').textContent(), 'INVALID_TOOL_INPUT');
  assert.match(await page.locator('#error-message').textContent(), /hue/);
  assert.ok((await page.locator('#error-suggestion').textContent()).length > 0);
  assert.equal((await params()).hue, 280);
});

test('reset asks in the approval dialog (naming the caller); denying leaves the parameters unchanged', async () => {
  const before = await params();
  await selectTool('reset');
  assert.equal(await page.locator('#tool-fields').textContent(), 'This tool takes no input.');
  await page.locator('#call').click();
  const dialog = page.locator('dialog#approval');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#approval-tool').textContent(), 'reset');
  assert.equal(await page.locator('#approval-caller').textContent(), 'page');
  await page.locator('#approval-deny').click();
  await page.locator('#result[data-ok="false"]').waitFor();
  assert.equal(await page.locator('#error-code').textContent(), 'APPROVAL_DENIED');
  assert.equal(await dialog.isVisible(), false);
  assert.deepEqual(await params(), before);
  assert.equal(await page.locator('#log li').first().getAttribute('data-code'), 'APPROVAL_DENIED');
});

test('an agent calling through WebMCP drives the same canvas, its reset shows the dialog with caller "webmcp"', async () => {
  const set = await page.webmcp.callTool('set_params', { hue: 40 });
  assert.notEqual(set.isError, true);
  assert.equal((await params()).hue, 40);
  assert.equal(await page.locator('#log li').first().getAttribute('data-caller'), 'webmcp');
  const pending = page.webmcp.callTool('reset', {});
  await page.locator('dialog#approval').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#approval-caller').textContent(), 'webmcp');
  await page.locator('#approval-allow').click();
  const reset = await pending;
  assert.notEqual(reset.isError, true, JSON.stringify(reset));
  assert.equal((await params()).hue, 200);
});

test('render_snapshot shows the PNG; withdrawing from WebMCP empties page.webmcp', async () => {
  await selectTool('render_snapshot');
  await page.locator('#tool-fields .field[data-name="width"] input').fill('96');
  await page.locator('#tool-fields .field[data-name="height"] input').fill('64');
  await page.locator('#call').click();
  await page.locator('#result[data-ok="true"]').waitFor({ timeout: 30_000 });
  const image = page.locator('#result-image');
  await image.waitFor({ state: 'visible' });
  assert.match(await image.getAttribute('src'), /^data:image\/png;base64,iVBORw0KGgo/);
  await page.waitForFunction(() => document.getElementById('result-image').naturalWidth === 96);
  await page.locator('#webmcp-toggle').click();
  assert.deepEqual(await page.webmcp.tools(), []);
  assert.equal(await page.locator('#webmcp-status').getAttribute('data-exposed'), 'false');
  await page.locator('#webmcp-toggle').click();
  await page.waitForFunction(() => document.getElementById('webmcp-status').dataset.exposed === 'true');
  assert.equal((await page.webmcp.tools()).length, CANVAS_TOOLS.length);
});

test('Connect an agent: paired with `vib3 mcp --pair`, an MCP client drives this canvas and shows in the log; Disconnect revokes', async () => {
  // A real MCP client over stdio against the server the page pairs with.
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--pair', '--pair-origin', server.url], stderr: 'pipe' });
  let printed = '';
  transport.stderr.on('data', (chunk) => (printed += chunk));
  const client = new Client({ name: 'agent-demo-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const deadline = Date.now() + 20_000;
    while (!/pairing code\s+\S+/.test(printed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /bridge URL\s+(ws:\/\/\S+)/.exec(printed)?.[1];
    const code = /pairing code\s+([A-Z0-9-]+)/.exec(printed)?.[1];
    assert.ok(url && code, printed);
    // Before pairing the server has no canvas.
    const early = await client.callTool({ name: 'get_params', arguments: {} });
    assert.equal(early.isError, true);
    assert.equal(early.structuredContent?.error?.code, 'CANVAS_NOT_CONNECTED');

    await page.locator('#bridge-url').fill(url);
    await page.locator('#pairing-code').fill(code.toLowerCase());
    await page.locator('#bridge-connect').click();
    await page.locator('#bridge-state[data-state="paired"]').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#bridge-state').textContent(), new RegExp(`code ${code}`));
    assert.equal(await page.locator('#bridge-disconnect').isDisabled(), false);

    const result = await client.callTool({ name: 'set_params', arguments: { system: 'faceted', hue: 120 } });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.deepEqual([(await params()).system, (await params()).hue], ['faceted', 120]);
    const logged = page.locator('#log li[data-caller="bridge"]').first();
    await logged.waitFor();
    assert.deepEqual(await logged.evaluate((li) => ({ ...li.dataset })), { caller: 'bridge', tool: 'set_params', ok: 'true', code: '' });

    // The agent's reset waits on the page's dialog, which names the bridge.
    const pending = client.callTool({ name: 'reset', arguments: {} });
    await page.locator('dialog#approval').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#approval-caller').textContent(), 'bridge');
    await page.locator('#approval-deny').click();
    const denied = await pending;
    assert.equal(denied.structuredContent?.error?.code, 'APPROVAL_DENIED');
    assert.equal((await params()).hue, 120);

    await page.locator('#bridge-disconnect').click();
    assert.equal(await page.locator('#bridge-state').getAttribute('data-state'), 'closed');
    let after;
    for (let i = 0; i < 40; i++) {
      after = await client.callTool({ name: 'get_params', arguments: {} });
      if (after.isError) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(after.structuredContent?.error?.code, 'CANVAS_NOT_CONNECTED', 'after Disconnect the server no longer reaches the canvas');

    // The code was single-use: pairing again with it is refused.
    await page.locator('#bridge-connect').click();
    await page.locator('#bridge-state[data-state="failed"]').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#bridge-state').textContent(), /PAIRING_REFUSED \(PAIRING_CODE_USED\)/);
  } finally {
    await client.close();
  }
});

test('no CSP violations, console CSP errors or page errors', async () => {
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);
  assert.deepEqual(errors, []);
});
