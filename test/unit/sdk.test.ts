import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineExtension, ExtensionDefinitionError, describeTools, isExtensionDefinition, validateUiTree, validateUiEvent, type ExtensionContext, type UiNode } from '../../src/sdk/index.js';
import { createTestHarness, CapabilityError } from '../../src/sdk/testing.js';

/** Two real loopback servers: one granted, one not. Each logs the requests it receives. */
const servers: { url: string; log: string[]; server: http.Server }[] = [];
before(async () => {
  for (let i = 0; i < 2; i++) {
    const log: string[] = [];
    const server = http.createServer((req, res) => {
      log.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"shape":"tesseract"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log, server });
  }
});
after(() => servers.forEach((s) => s.server.close()));

const geometry = () =>
  defineExtension({
    kind: 'geometry',
    capabilities: ['geometry', 'network', 'telemetry'],
    shapes: { remote: 'A shape fetched from a server' },
    async generate(_req, ctx) {
      ctx.telemetry.track('generate', { shape: 'remote' });
      return { vertices: new Float32Array(8), edges: new Uint32Array([0, 1]) };
    },
  });

test('defineExtension checks the definition and explains mistakes', () => {
  const bad: [unknown, RegExp][] = [
    [{ kind: 'shader', capabilities: [] }, /Unknown kind/],
    [{ kind: 'geometry', capabilities: ['camera'], shapes: { a: 'b' }, generate() {} }, /Unknown capability/],
    [{ kind: 'geometry', capabilities: ['rendering'], shapes: { a: 'b' }, generate() {} }, /needs the "geometry" capability/],
    [{ kind: 'geometry', capabilities: ['geometry'], shapes: {}, generate() {} }, /at least one shape/],
    [{ kind: 'renderer', capabilities: ['rendering'], contractVersion: 1 }, /must implement render/],
    [{ kind: 'renderer', capabilities: ['rendering'], contractVersion: 0, render() {} }, /contractVersion/],
    [{ kind: 'ui-widget', capabilities: ['ui'], slot: 'sidebar', view: () => [] }, /Unknown slot/],
    [{ kind: 'ui-widget', capabilities: ['ui'], slot: 'panel' }, /must implement view/],
    [{ kind: 'toolpack', capabilities: ['agent-tools'], tools: {} }, /at least one tool/],
    [{ kind: 'toolpack', capabilities: ['agent-tools'], tools: { 'Bad-Name': { description: 'does a thing well', inputSchema: { type: 'object' }, handler() {} } } }, /invalid/],
    [{ kind: 'toolpack', capabilities: ['agent-tools'], tools: { ok: { description: 'short', inputSchema: { type: 'object' }, handler() {} } } }, /description/],
    [{ kind: 'toolpack', capabilities: ['agent-tools'], tools: { ok: { description: 'does a thing well', inputSchema: { type: 'string' }, handler() {} } } }, /object inputSchema/],
    [{ kind: 'geometry', capabilities: ['geometry'], shapes: { a: 'b' }, generate() {}, tools: { t: { description: 'does a thing well', inputSchema: { type: 'object' }, handler() {} } } }, /agent-tools/],
  ];
  for (const [def, re] of bad) {
    assert.throws(() => defineExtension(def as never), (e: unknown) => e instanceof ExtensionDefinitionError && e.code === 'INVALID_DEFINITION' && re.test(e.message) && e.suggestion.length > 5, String(re));
  }
  const good = geometry();
  assert.equal(isExtensionDefinition(good), true);
  assert.equal(Object.isFrozen(good), true);
});

test('the harness only gives granted capabilities; touching others throws CAPABILITY_NOT_GRANTED', async () => {
  const h = createTestHarness(geometry(), { grants: ['geometry'] });
  assert.equal('telemetry' in h.context, false);
  await assert.rejects(h.generate('remote'), (e: unknown) => e instanceof CapabilityError && e.code === 'CAPABILITY_NOT_GRANTED' && /user did not grant/.test(e.message));
  const undeclared = createTestHarness(geometry());
  assert.throws(() => undeclared.context['rendering'], /did not declare/);
  const full = createTestHarness(geometry());
  await full.generate('remote');
  assert.deepEqual(full.telemetry, [{ event: 'generate', data: { shape: 'remote' } }]);
});

test('the harness refuses parameter changes as the host does: INVALID_ARGUMENTS, snapshot unchanged; accepted values clamp', async () => {
  const def = defineExtension({ kind: 'toolpack', capabilities: ['rendering', 'agent-tools'], tools: { t: { description: 'does nothing at all', inputSchema: { type: 'object' }, handler: () => ({ content: [] }) } } });
  const h = createTestHarness(def);
  const rendering = (h.context as unknown as { rendering: { setParams(p: object): Promise<void>; getParams(): Record<string, unknown> } }).rendering;
  const before = rendering.getParams();
  for (const bad of [{ hue: Number.NaN }, { chaos: Number.POSITIVE_INFINITY }, { nope: 1 }]) {
    await assert.rejects(rendering.setParams(bad), (e: unknown) => e instanceof CapabilityError && e.code === 'INVALID_ARGUMENTS', JSON.stringify(bad));
  }
  assert.deepEqual(rendering.getParams(), before);
  await rendering.setParams({ hue: 400 });
  assert.equal(rendering.getParams()['hue'], 360);
});

test('network: the exact granted origin works; any other origin never reaches its server', async () => {
  const [granted, other] = servers as [(typeof servers)[0], (typeof servers)[0]];
  const h = createTestHarness(geometry(), { networkOrigins: [granted.url] });
  const net = h.context['network'] as { fetch(url: string): Promise<Response> };
  const res = await net.fetch(`${granted.url}/shapes/1`);
  assert.deepEqual(await res.json(), { shape: 'tesseract' });
  assert.deepEqual(granted.log, ['/shapes/1']);
  // Same host, another port: a different origin.
  await assert.rejects(net.fetch(`${other.url}/leak?data=secret`), { code: 'NETWORK_ORIGIN_NOT_GRANTED' });
  await assert.rejects(net.fetch('/relative'), { code: 'NETWORK_ORIGIN_NOT_GRANTED' });
  assert.deepEqual(other.log, [], 'the non-granted server saw zero requests');
});

test('deactivate aborts the signal handed to the extension', async () => {
  let signal: AbortSignal | undefined;
  const def = defineExtension({ kind: 'geometry', capabilities: ['geometry'], shapes: { a: 'b' }, generate: () => ({ vertices: new Float32Array(4), edges: new Uint32Array() }), activate: (ctx) => void (signal = ctx.signal) });
  const h = createTestHarness(def);
  await h.activate();
  assert.equal(signal?.aborted, false);
  await h.deactivate();
  assert.equal(signal?.aborted, true);
});

test('meshes are checked: indices in range, typed arrays of the right shape', async () => {
  const def = defineExtension({ kind: 'geometry', capabilities: ['geometry'], shapes: { broken: 'edges past the end' }, generate: () => ({ vertices: new Float32Array(8), edges: new Uint32Array([0, 5]) }) });
  await assert.rejects(createTestHarness(def).generate('broken'), /references vertex 5 of 2/);
  await assert.rejects(createTestHarness(def).generate('nope'), /Unknown shape/);
});

test('describeTools lists name, description and schema (the toolPack file)', () => {
  const def = defineExtension({
    kind: 'toolpack',
    capabilities: ['agent-tools'],
    tools: { spin: { description: 'Spins the canvas in XW.', inputSchema: { type: 'object', properties: { speed: { type: 'number' } } }, handler: () => ({ content: [] }) } },
  });
  assert.deepEqual(describeTools(def), { tools: [{ name: 'spin', description: 'Spins the canvas in XW.', inputSchema: { type: 'object', properties: { speed: { type: 'number' } } } }] });
});

test('validateUiTree accepts the node vocabulary and returns plain copies', () => {
  const tree = [
    { type: 'row', label: 'Shape', children: [{ type: 'button', id: 'go', label: 'Go', pressed: true }, { type: 'swatch', color: '#12abEF', label: 'accent' }] },
    { type: 'slider', id: 'speed', label: 'Speed', min: 0, max: 2, step: 0.1, value: 5 },
    { type: 'select', id: 'shape', label: 'Shape', value: 'b', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
    { type: 'toggle', id: 'spin', label: 'Spin', checked: false, disabled: true },
    { type: 'text', text: '<b>bold</b>', tone: 'muted' },
  ];
  const r = validateUiTree(tree);
  assert.ok(r.ok);
  assert.equal((r.tree[1] as { value: number }).value, 2, 'slider values are clamped to [min, max]');
  assert.notEqual(r.tree[0], tree[0], 'a copy, not the caller\'s objects');
  assert.equal((r.tree[4] as { text: string }).text, '<b>bold</b>', 'markup stays a string');
});

test('validateUiTree refuses what the frame must never render, with a pointer', () => {
  const refused: [unknown, string, RegExp][] = [
    [{ type: 'html', html: '<img src=x>' }, '/type', /unknown node type/],
    [{ type: 'button', id: 'a', label: 'A', onclick: 'x()' }, '/onclick', /not a property/],
    [{ type: 'button', id: 'Bad Id', label: 'A' }, '/id', /must match/],
    [[{ type: 'button', id: 'a', label: 'A' }, { type: 'toggle', id: 'a', label: 'B', checked: true }], '/1/id', /repeats/],
    [{ type: 'swatch', color: 'url(https://evil.test/x)', label: 'x' }, '/color', /#rrggbb/],
    [{ type: 'slider', id: 's', label: 'S', min: 1, max: 1, value: 1 }, '/max', /greater than min/],
    [{ type: 'slider', id: 's', label: 'S', min: 0, max: NaN, value: 1 }, '/max', /finite/],
    [{ type: 'select', id: 's', label: 'S', value: 'z', options: [{ value: 'a', label: 'A' }] }, '/value', /one of the options/],
    [{ type: 'text', text: 'x'.repeat(501) }, '/text', /longer than 500/],
    [{ type: 'column', children: Array.from({ length: 300 }, () => ({ type: 'text', text: 'n' })) }, '/children/199', /more than 200 nodes/],
    [Array.from({ length: 1 }, () => JSON.parse('{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[{"type":"row","children":[]}]}]}]}]}]}]}]}]}')), '/0/children/0/children/0/children/0/children/0/children/0/children/0/children/0/children/0', /deeper than 8/],
    [Object.create({ type: 'text', text: 'inherited' }), '/', /plain object/],
    [JSON.parse('{"type":"text","text":"x","__proto__":{"polluted":true}}'), '/__proto__', /not a property/],
  ];
  for (const [tree, path, message] of refused) {
    const r = validateUiTree(tree);
    assert.equal(r.ok, false, JSON.stringify(tree).slice(0, 80));
    if (!r.ok) {
      assert.equal(r.path, path, JSON.stringify(tree).slice(0, 80));
      assert.match(r.message, message);
    }
  }
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('validateUiEvent only lets through actions on enabled controls of the rendered tree', () => {
  const r = validateUiTree([{ type: 'button', id: 'go', label: 'Go' }, { type: 'button', id: 'off', label: 'Off', disabled: true }, { type: 'slider', id: 's', label: 'S', min: 0, max: 10, value: 1 }]);
  assert.ok(r.ok);
  const tree: UiNode[] = r.tree;
  assert.deepEqual(validateUiEvent({ type: 'press', id: 'go' }, tree), { type: 'press', id: 'go' });
  assert.equal(validateUiEvent({ type: 'press', id: 'off' }, tree), undefined, 'disabled');
  assert.equal(validateUiEvent({ type: 'press', id: 'ghost' }, tree), undefined, 'not rendered');
  assert.equal(validateUiEvent({ type: 'change', id: 'go', value: 1 }, tree), undefined, 'a button does not change');
  assert.deepEqual(validateUiEvent({ type: 'change', id: 's', value: 99 }, tree), { type: 'change', id: 's', value: 10 }, 'clamped');
  assert.equal(validateUiEvent({ type: 'change', id: 's', value: '3' }, tree), undefined, 'wrong value type');
});

test('the harness renders a widget as the host does and refuses invalid views with UI_INVALID', async () => {
  let label = 'Go';
  const def = defineExtension({
    kind: 'ui-widget',
    capabilities: ['ui', 'rendering'],
    slot: 'toolbar',
    view: (ctx) => ({ type: 'button', id: 'go', label: `${label} ${ctx.rendering.getParams().hue} ${ctx.ui.maxWidth}` }),
    async onEvent(e, ctx) {
      if (e.type === 'press') await ctx.rendering.setParams({ hue: 45 });
      ctx.ui.update();
    },
  });
  const h = createTestHarness(def, { params: { hue: 0 } });
  assert.deepEqual(h.view(), [{ type: 'button', id: 'go', label: 'Go 0 240' }], 'the toolbar slot allows 240 px');
  assert.deepEqual(await h.dispatch({ type: 'press', id: 'go' }), [{ type: 'button', id: 'go', label: 'Go 45 240' }]);
  assert.equal(h.updates, 1);
  label = 'x'.repeat(200);
  assert.throws(() => h.view(), (e: CapabilityError) => e.code === 'UI_INVALID' && e.message.includes('/label'));
});

// Compile-time contract (checked by `tsc -p tsconfig.test.json`, part of npm test): the context
// only has the APIs of declared capabilities.
export function typeChecks(ctx: ExtensionContext<'geometry' | 'telemetry'>, none: ExtensionContext): void {
  ctx.geometry.publish({ vertices: new Float32Array(), edges: new Uint32Array() });
  ctx.telemetry.track('x');
  // @ts-expect-error network was not declared
  void ctx.network;
  // @ts-expect-error rendering was not declared
  void ctx.rendering;
  // @ts-expect-error no capabilities, no geometry
  void none.geometry;
  void none.signal;
}

test('the harness checks tools as the host does (input, output, size, depth) and throws only the host codes', async () => {
  const { EXTENSION_ERROR_CODES } = await import('../../src/extensions/runtime/errors.js');
  let runs = 0;
  const def = defineExtension({
    kind: 'toolpack',
    capabilities: ['agent-tools'],
    tools: {
      half: {
        description: 'Halves an even number.',
        inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false },
        outputSchema: { type: 'object', properties: { half: { type: 'integer' } }, required: ['half'] },
        handler: (input) => {
          runs++;
          const n = input['n'] as number;
          return { content: [{ type: 'text', text: String(n / 2) }], structuredContent: { half: n / 2 } };
        },
      },
    },
  });
  const h = createTestHarness(def);
  const codes: string[] = [];
  const attempt = (p: Promise<unknown>) => p.then(() => codes.push('ok'), (e: CapabilityError) => codes.push(e.code));
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) deep = { d: deep };
  await attempt(h.callTool('half', { n: 'x' }));
  await attempt(h.callTool('half', { n: 2, extra: 1 }));
  await attempt(h.callTool('half', { n: 2, d: deep }));
  await attempt(h.callTool('half', { n: 2, s: 'x'.repeat(300_000) }));
  assert.equal(runs, 0, 'the handler never saw invalid input');
  await attempt(h.callTool('half', { n: 4 }));
  await attempt(h.callTool('half', { n: 3 }));
  await attempt(h.callTool('nope', {}));
  await attempt(h.generate('x'));
  assert.deepEqual(codes, ['INVALID_TOOL_INPUT', 'INVALID_TOOL_INPUT', 'INVALID_TOOL_INPUT', 'INVALID_TOOL_INPUT', 'ok', 'INVALID_TOOL_OUTPUT', 'UNKNOWN_TOOL', 'UNKNOWN_METHOD']);
  for (const code of codes) if (code !== 'ok') assert.ok((EXTENSION_ERROR_CODES as readonly string[]).includes(code), code);
  const bad = createTestHarness(defineExtension({ kind: 'geometry', capabilities: ['geometry'], shapes: { broken: 'An edge to nowhere' }, generate: () => ({ vertices: new Float32Array(4), edges: new Uint32Array([0, 5]) }) }));
  await assert.rejects(bad.generate('broken'), { code: 'INVALID_MESH' });
  assert.throws(() => defineExtension({ ...def, tools: { half: { ...def.tools.half, outputSchema: { type: 'string' } as never } } }), { code: 'INVALID_DEFINITION' });
});
