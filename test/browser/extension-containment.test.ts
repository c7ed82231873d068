import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { cleanup, frames, mount } from './helpers.js';
import { testKeys, netlog, caps, pkg as pkgFor, type TestKeys } from './extension-fixtures.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';

/**
 * Containment gaps closed (issue 14): WebSocket to a granted origin, and no workers of an
 * extension's own. Network checks read the loopback servers' request log.
 */
let keys: TestKeys;
let origins: { granted: string; forbidden: string };

const toolPack = (body: string) => `export default {
  kind: 'toolpack',
  capabilities: ['agent-tools'],
  tools: { run: { description: 'runs the probe', inputSchema: { type: 'object' }, async handler(input, ctx) {
    const result = await (async () => { ${body} })();
    return { content: [{ type: 'text', text: JSON.stringify(result) }] };
  } } },
};`;
const text = (r: { content: { text: string }[] }) => JSON.parse(r.content[0]!.text) as unknown;

describe(`extension containment: sockets, workers, floods, sizes, refused parameters`, function () {
  this.timeout(60_000);
  let host: ExtensionHost;
  before(async () => {
    keys = await testKeys();
    origins = (await executeServerCommand('vib3-netlog-start')) as { granted: string; forbidden: string };
  });
  beforeEach(() => {
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 3000 });
  });
  afterEach(() => {
    host.dispose();
    cleanup();
  });

  async function run(name: string, body: string, capabilities?: Record<string, unknown>) {
    await host.install(await pkgFor(keys, name, toolPack(body), capabilities));
    await host.activate(`dev.test.${name}`);
    return text(await host.callTool(`dev.test.${name}.run`));
  }

  it('a granted origin is reachable by WebSocket (ws: form of the grant); an ungranted one is not', async () => {
    const before = (await netlog()).length;
    const attempt = (origin: string, path: string) =>
      `await new Promise((res) => { try { const ws = new WebSocket(${JSON.stringify(origin.replace('http', 'ws'))} + '${path}'); ws.onerror = () => res('error'); ws.onclose = () => res('closed'); } catch (e) { res('refused ' + e.name); } })`;
    const result = (await run(
      'sockets',
      `return { granted: ${attempt(origins.granted, '/granted-ws')}, forbidden: ${attempt(origins.forbidden, '/forbidden-ws')} };`,
      caps('agent-tools', ['network', { origins: [origins.granted] }]),
    )) as Record<string, string>;
    await frames(5);
    const log = (await netlog()).slice(before);
    // The test server refuses the upgrade after logging it: reaching it is what is checked.
    expect(log.filter((l) => l.server === 'granted').map((l) => `${l.method} ${l.url}`), JSON.stringify(result)).to.deep.equal(['UPGRADE /granted-ws']);
    expect(log.filter((l) => l.server === 'forbidden'), 'the ungranted origin saw nothing').to.deep.equal([]);
  });

  it('extension code cannot start workers of its own (they would escape supervision)', async () => {
    const result = (await run(
      'nested',
      `const out = { Worker: typeof Worker, SharedWorker: typeof SharedWorker, inSelf: 'Worker' in self };
       try { const W = self.Worker || globalThis.Worker; new W(URL.createObjectURL(new Blob(['for(;;){}']))); out.started = true; } catch { out.started = false; }
       return out;`,
    )) as Record<string, unknown>;
    expect(result).to.deep.equal({ Worker: 'undefined', SharedWorker: 'undefined', inSelf: false, started: false });
  });

  it('a result too large for the page (a 200 MB string) is refused in the sandbox frame: the call rejects with MESSAGE_TOO_LARGE', async () => {
    await host.install(await pkgFor(keys, 'hugeresult', `export default { kind: 'toolpack', capabilities: ['agent-tools'], tools: {
      huge: { description: 'answers with 200 MB', inputSchema: { type: 'object' }, handler() { return { content: [{ type: 'text', text: 'x'.repeat(100000000) }] }; } },
      small: { description: 'answers small', inputSchema: { type: 'object' }, handler() { return { content: [{ type: 'text', text: 'ok' }] }; } },
    } };`));
    await host.activate('dev.test.hugeresult');
    const err = (await host.callTool('dev.test.hugeresult.huge').then(() => undefined, (e: { code: string }) => e)) as { code: string } | undefined;
    expect(err?.code).to.equal('MESSAGE_TOO_LARGE');
    expect((await host.callTool('dev.test.hugeresult.small')).content[0]!.text, 'the extension keeps working').to.equal('ok');
  });

  it('a flood of host calls is cut off at its source: the page hears a bounded number of refusals, the worker is stopped and restarted once, on the first try', async () => {
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 3000, heartbeatMs: 200, heartbeatTimeoutMs: 600, limits: { maxCallsPerSecond: 50 } });
    const codes: string[] = [];
    const flooderErrors: string[] = [];
    host.addEventListener('vib3-extension-error', (e) => {
      const { code, extensionId } = (e as CustomEvent<{ code: string; extensionId?: string }>).detail;
      codes.push(code);
      if (extensionId === 'dev.test.flooder') flooderErrors.push(code);
    });
    await host.install(await pkgFor(keys, 'flooder', `export default { kind: 'toolpack', capabilities: ['agent-tools', 'telemetry'], tools: {
      flood: { description: 'floods', inputSchema: { type: 'object' }, handler(input, ctx) { for (let i = 0; i < 20000; i++) ctx.telemetry.track('x'); return { content: [{ type: 'text', text: 'sent' }] }; } },
      ping: { description: 'ping', inputSchema: { type: 'object' }, handler() { return { content: [{ type: 'text', text: 'pong' }] }; } },
    } };`, caps('agent-tools', 'telemetry')));
    await host.activate('dev.test.flooder');
    // A well-behaved neighbour, running beside it the whole time.
    await host.install(await pkgFor(keys, 'neighbour', toolPack('return 42;')));
    await host.activate('dev.test.neighbour');
    // The flooder's state changes from here on; settled once it is active again (or quarantined).
    const states: string[] = [];
    const settled = new Promise<void>((resolve) =>
      host.addEventListener('vib3-extension-state', (e) => {
        const { id, state } = (e as CustomEvent<{ id: string; state: string }>).detail;
        if (id !== 'dev.test.flooder') return;
        states.push(state);
        if (state === 'quarantined' || (state === 'active' && states.includes('restarting'))) resolve();
      }),
    );
    await host.callTool('dev.test.flooder.flood').catch(() => undefined);
    // The frame terminated the worker; the missed heartbeat (HUNG) makes the host restart it after
    // the backoff. One failure, one restart, and that restart succeeds: the flooder's new sandbox
    // (a new frame) starts clean.
    await settled;
    expect((await host.callTool('dev.test.flooder.ping')).content[0]!.text).to.equal('pong');
    const neighbour = host.list().find((x) => x.id === 'dev.test.neighbour')!;
    expect({ state: neighbour.state, restarts: neighbour.health.restarts, failures: neighbour.health.failures }, 'the neighbour was never touched').to.deep.equal({ state: 'active', restarts: 0, failures: 0 });
    expect(text(await host.callTool('dev.test.neighbour.run'))).to.equal(42);
    // Checked after the calls above, so a second failure meanwhile would show too.
    const info = host.list().find((x) => x.id === 'dev.test.flooder')!;
    expect({ state: info.state, restarts: info.health.restarts, failures: info.health.failures }, JSON.stringify(info)).to.deep.equal({ state: 'active', restarts: 1, failures: 1 });
    expect(states, 'the flooder went down once and came back').to.deep.equal(['restarting', 'active']);
    expect(
      flooderErrors.filter((c) => ['HUNG', 'QUARANTINED', 'ACTIVATE_FAILED', 'TIMEOUT'].includes(c)),
      `failures reported for the flooder (all its errors: ${flooderErrors.join(', ')})`,
    ).to.deep.equal(['HUNG']);
    const refused = codes.filter((c) => c === 'RATE_LIMITED').length;
    // At most FLOOD_FACTOR x the limit in the one second before the cut (20 x 50), far from 20,000.
    expect(refused, 'refusals the page heard').to.be.within(1, 1000);
  });

  it('a 5-million-vertex mesh is refused in the sandbox frame (MESSAGE_TOO_LARGE) and the canvas layer never sees it', async () => {
    const seen: unknown[] = [];
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 10_000, onMesh: (_id, mesh) => seen.push(mesh) });
    const codes: string[] = [];
    host.addEventListener('vib3-extension-error', (e) => codes.push((e as CustomEvent).detail.code));
    // publish() is fire-and-forget in the SDK: the refusal is seen at the host.
    await run('bigmesh', `ctx.geometry.publish({ vertices: new Float32Array(5000000 * 4), edges: new Uint32Array(2) }); return 'sent';`, caps('agent-tools', 'geometry'));
    for (let i = 0; i < 100 && !codes.includes('MESSAGE_TOO_LARGE'); i++) await frames(2);
    expect(codes).to.include('MESSAGE_TOO_LARGE');
    expect(seen, 'nothing reached the page').to.deep.equal([]);
  });

  it('a parameter change the canvas refuses rejects the extension promise with its code and leaves its snapshot unchanged; accepted values come back clamped', async () => {
    const { el } = await mount({ system: 'faceted', hue: 10 }, [64, 48]);
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 3000, canvas: el });
    const result = await run(
      'params',
      `const code = async (f) => { try { await f(); return 'ok'; } catch (e) { return e.code; } };
       const out = {};
       out.nan = await code(() => ctx.rendering.setParams({ hue: NaN }));
       out.infinite = await code(() => ctx.rendering.setParams({ chaos: Infinity }));
       out.unknown = await code(() => ctx.rendering.setParams({ nope: 1 }));
       const snap = ctx.rendering.getParams();
       out.snapshot = { hue: snap.hue, chaos: snap.chaos, nope: 'nope' in snap };
       out.clamp = await code(() => ctx.rendering.setParams({ hue: 400 }));
       out.clamped = ctx.rendering.getParams().hue;
       return out;`,
      caps('agent-tools', 'rendering'),
    );
    expect(result).to.deep.equal({ nan: 'INVALID_ARGUMENTS', infinite: 'INVALID_ARGUMENTS', unknown: 'INVALID_ARGUMENTS', snapshot: { hue: 10, chaos: el.getParams().chaos, nope: false }, clamp: 'ok', clamped: 360 });
    expect(el.hue).to.equal(360);
  });

  it('a refusal notice forged by the extension never reaches the page (no event amplification)', async () => {
    const codes: string[] = [];
    host.addEventListener('vib3-extension-error', (e) => codes.push((e as CustomEvent).detail.code));
    // Extension code reaches the shim's ports by patching MessagePort.prototype.postMessage: the
    // next message the shim sends (this tool's result) carries a forged notice along, on both ports.
    await run('forger', `const send = MessagePort.prototype.postMessage;
      MessagePort.prototype.postMessage = function (message, transfer) {
        send.call(this, { type: 'vib3-sandbox-refused', code: 'RATE_LIMITED', message: 'forged', suggestion: 'forged', count: 10000 });
        return send.call(this, message, transfer);
      };
      return 'sent';`);
    await frames(10);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).to.deep.equal([]);
  });
});
