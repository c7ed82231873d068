// Over ~400 lines on purpose: the runtime's lifecycle tests share fixtures and a page; the hostile
// tests live in extension-containment.test.ts, the widget tests in extension-widgets.test.ts.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { mount, cleanup, env, frames, pixels, compare, nextDrawnFrame, nextEvent } from './helpers.js';
import { setRendererFactory } from '../../src/element/vib3-canvas.js';
import { testKeys, netlog, caps, pkg as pkgFor, type TestKeys } from './extension-fixtures.js';
import { ExtensionHost, memoryGrantStore, type ConsentQuestion } from '../../src/extensions/runtime/index.js';
import { guardedEndpoint } from '../../src/extensions/runtime/dispatcher.js';
import { expose, proxy, wrap } from 'comlink';

/**
 * Hostile and well-behaved extensions, each its own signed package, run in real sandboxes.
 * Network checks read the loopback servers' request log, never what the extension reports.
 */
let keys: TestKeys;
let origins: { granted: string; forbidden: string };
const pkg = (name: string, code: string, capabilities?: Record<string, unknown>, version?: string) => pkgFor(keys, name, code, capabilities, version);

/** A tool pack whose `run` tool executes `body` (async, with ctx) and returns its result as text. */
const toolPack = (body: string, extra = '') => `${extra}
export default {
  kind: 'toolpack',
  capabilities: ['agent-tools'],
  tools: {
    run: { description: 'runs the probe', inputSchema: { type: 'object' }, async handler(input, ctx) {
      const result = await (async () => { ${body} })();
      return { content: [{ type: 'text', text: JSON.stringify(result) }] };
    } },
    echo: { description: 'echo', inputSchema: { type: 'object' }, handler(input) { return { content: [{ type: 'text', text: 'echo:' + input.v }] }; } },
  },
};`;

const text = (r: { content: { text: string }[] }) => JSON.parse(r.content[0]!.text) as unknown;
const allow = async () => true;

describe(`extension runtime: sandbox, dispatcher, lifecycle, health (${env.flagSet} flags)`, function () {
  this.timeout(60_000);
  let host: ExtensionHost;
  const errors: { code: string; extensionId: string }[] = [];

  before(async () => {
    keys = await testKeys();
    origins = (await executeServerCommand('vib3-netlog-start')) as { granted: string; forbidden: string };
  });
  beforeEach(() => {
    errors.length = 0;
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), callTimeoutMs: 1500, heartbeatMs: 200, heartbeatTimeoutMs: 400 });
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
  });
  afterEach(() => {
    host.dispose();
    cleanup();
  });

  async function installActive(name: string, code: string, capabilities?: Record<string, unknown>) {
    await host.install(await pkg(name, code, capabilities));
    await host.activate(`dev.test.${name}`);
  }

  it('a well-behaved tool pack installs, activates, answers through namespaced tools, deactivates', async () => {
    await installActive('good', toolPack('return 1 + 1;'));
    expect(host.tools().map((t) => t.name).sort()).to.deep.equal(['dev.test.good.echo', 'dev.test.good.run']);
    expect(text(await host.callTool('dev.test.good.run'))).to.equal(2);
    // The old "<id>/<tool>" form still resolves for one minor version (with a console warning).
    expect(text(await host.callTool('dev.test.good/run'))).to.equal(2);
    expect((await host.callTool('dev.test.good.echo', { v: 7 })).content[0]!.text).to.equal('echo:7');
    expect(host.list()[0]).to.include({ id: 'dev.test.good', state: 'active' });
    const frame = document.querySelector('iframe[sandbox]') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).to.equal('allow-scripts');
    await host.deactivate('dev.test.good');
    expect(document.querySelector('iframe[sandbox]')).to.equal(null, 'its frame and worker are gone');
    expect(host.tools()).to.deep.equal([]);
  });

  it('network: fetch, WebSocket, EventSource and importScripts to a non-granted origin reach nothing; the granted origin works exactly', async () => {
    const before = (await netlog()).length;
    await installActive(
      'net',
      toolPack(`
        const f = ${JSON.stringify(origins.forbidden)}, g = ${JSON.stringify(origins.granted)};
        const out = {};
        out.granted = await ctx.network.fetch(g + '/ok').then((r) => r.text(), (e) => 'blocked ' + e);
        out.fetch = await fetch(f + '/fetch').then(() => 'reached', () => 'blocked');
        out.ws = await new Promise((res) => { try { const ws = new WebSocket(f.replace('http', 'ws') + '/ws'); ws.onerror = () => res('blocked'); ws.onopen = () => res('reached'); } catch { res('blocked'); } });
        out.es = await new Promise((res) => { try { const es = new EventSource(f + '/events'); es.onerror = () => { es.close(); res('blocked'); }; es.onmessage = () => res('reached'); } catch { res('blocked'); } });
        try { importScripts(f + '/x.js'); out.importScripts = 'reached'; } catch { out.importScripts = 'blocked'; }
        out.beacon = typeof navigator.sendBeacon;
        out.image = typeof Image;
        out.otherPort = await fetch(g.replace(/:\\d+$/, ':1') + '/x').then(() => 'reached', () => 'blocked');
        return out;`),
      caps('agent-tools', ['network', { origins: [origins.granted] }]),
    );
    const r = text(await host.callTool('dev.test.net.run')) as Record<string, string>;
    expect(r).to.deep.equal({ granted: 'hello from granted', fetch: 'blocked', ws: 'blocked', es: 'blocked', importScripts: 'blocked', beacon: 'undefined', image: 'undefined', otherPort: 'blocked' });
    await frames(5);
    const log = (await netlog()).slice(before);
    expect(log.filter((l) => l.server === 'forbidden'), 'the forbidden server saw nothing').to.deep.equal([]);
    expect(log.filter((l) => l.server === 'granted').map((l) => l.url)).to.deep.equal(['/ok']);
  });

  it('no page access: no parent, top, DOM, cookies or storage; the frame cannot be navigated from the extension', async () => {
    await installActive(
      'snoop',
      toolPack(`
        const probe = (f) => { try { const v = f(); return v === undefined ? 'undefined' : 'reached'; } catch { return 'blocked'; } };
        return {
          parent: probe(() => self.parent), top: probe(() => self.top), document: probe(() => self.document),
          cookie: probe(() => self.document.cookie), localStorage: probe(() => self.localStorage.getItem('x')),
          indexedDB: await new Promise((res) => { try { const q = indexedDB.open('x'); q.onsuccess = () => res('reached'); q.onerror = () => res('blocked'); } catch { res('blocked'); } }),
          caches: await (async () => { try { await caches.open('x'); return 'reached'; } catch { return 'blocked'; } })(),
          origin: self.origin,
          navigate: probe(() => { self.location.href = 'https://example.com/'; return self.location.href.startsWith('blob:') ? undefined : 1; }),
        };`),
    );
    localStorage.setItem('host-secret', 's3cret');
    const r = text(await host.callTool('dev.test.snoop.run')) as Record<string, string>;
    expect(r).to.deep.equal({ parent: 'undefined', top: 'undefined', document: 'undefined', cookie: 'blocked', localStorage: 'blocked', indexedDB: 'blocked', caches: 'blocked', origin: 'null', navigate: 'blocked' });
    localStorage.removeItem('host-secret');
  });

  it('while(true): the host keeps >= 90% of its timer ticks (of its own baseline), the watchdog terminates and restarts it, others keep answering, the canvas keeps rendering', async () => {
    const { el } = await mount({ system: 'faceted' }, [64, 48]);
    await installActive('other', toolPack('return "alive";'));
    await installActive('spin', toolPack('while (true) {}'));
    const frames0 = el.frameCount;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    // The page's tick share on this machine right now, before the spin: a busy machine lowers the
    // baseline and the share during the spin alike, so the spin is judged against the baseline.
    const b0 = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const baseline = ticks / ((performance.now() - b0) / 20);
    ticks = 0;
    const t0 = performance.now();
    const hung = host.callTool('dev.test.spin.run').then(() => 'answered', (e: { code: string }) => e.code);
    const errorSeen = new Promise<void>((resolve) => host.addEventListener('vib3-extension-error', (e) => (e as CustomEvent).detail.code === 'HUNG' && resolve()));
    await errorSeen;
    const detectedMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1000 - Math.min(1000, performance.now() - t0)));
    clearInterval(timer);
    const elapsed = performance.now() - t0;
    expect(ticks / (elapsed / 20), `timer ticks ${ticks} in ${elapsed.toFixed(0)} ms (baseline share ${baseline.toFixed(2)})`).to.be.at.least(0.9 * Math.min(1, baseline));
    expect(detectedMs, 'heartbeat deadline (200 ms interval + 400 ms) plus slack').to.be.below(1500);
    expect(await hung).to.be.oneOf(['SANDBOX_DIED', 'TIMEOUT']);
    expect(text(await host.callTool('dev.test.other.run'))).to.equal('alive');
    expect(el.frameCount, 'the canvas kept rendering').to.be.greaterThan(frames0);
    // Restarted with backoff.
    await new Promise<void>((resolve) => {
      const check = () => (host.list().find((x) => x.id === 'dev.test.spin')?.state === 'active' ? resolve() : setTimeout(check, 50));
      check();
    });
    expect(host.list().find((x) => x.id === 'dev.test.spin')!.health.restarts).to.equal(1);
  });

  it('repeated hangs quarantine the extension until the user re-enables it', async () => {
    await installActive('flaky', toolPack('while (true) {}'));
    for (let i = 0; i < 3; i++) {
      await host.callTool('dev.test.flaky.run').catch(() => undefined);
      await new Promise<void>((resolve) => {
        const check = () => (['active', 'quarantined'].includes(host.list()[0]!.state) ? resolve() : setTimeout(check, 50));
        check();
      });
    }
    expect(host.list()[0]!.state).to.equal('quarantined');
    expect(errors.map((e) => e.code)).to.include('QUARANTINED');
    const err = await host.activate('dev.test.flaky').catch((e: { code: string }) => e);
    expect((err as { code: string }).code).to.equal('QUARANTINED');
    await host.enable('dev.test.flaky');
    expect(host.list()[0]!.state).to.equal('active');
  });

  it('a never-resolving call times out with TIMEOUT; throwing in activate fails with a code and leaves nothing running', async () => {
    await installActive('never', toolPack('return new Promise(() => {});'));
    const t0 = performance.now();
    const err = (await host.callTool('dev.test.never.run').catch((e) => e)) as { code: string; suggestion: string };
    expect(err.code).to.equal('TIMEOUT');
    expect(err.suggestion).to.be.a('string');
    expect(performance.now() - t0).to.be.within(1400, 4000);
    await host.install(await pkg('throws', `export default { kind: 'toolpack', capabilities: [], tools: {}, activate() { throw Object.assign(new Error('nope'), { code: 'MY_CODE' }); } };`));
    const e2 = (await host.activate('dev.test.throws').catch((e) => e)) as { code: string; message: string };
    expect(e2.code, 'codes cross the boundary').to.equal('MY_CODE');
    expect(e2.message).to.contain('nope');
    expect(host.list().find((x) => x.id === 'dev.test.throws')!.state).to.equal('inactive');
    expect(document.querySelectorAll('iframe[sandbox]').length, 'only test.never is running').to.equal(1);
  });

  it('prototype-pollution payloads are refused by the dispatcher; the host Object.prototype is unchanged', async () => {
    const { el } = await mount({ system: 'faceted', hue: 10 }, [64, 48]);
    const canvas = { getParams: () => el.getParams(), setParams: (p: object) => el.setParams(p) };
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), canvas, callTimeoutMs: 1500 });
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
    await installActive(
      'pollute',
      toolPack(`
        const codes = {};
        const attempt = async (name, f) => { try { await f(); codes[name] = 'ok'; } catch (e) { codes[name] = e.code || String(e); } };
        await attempt('protoKey', () => ctx.rendering.setParams(JSON.parse('{"__proto__": {"polluted": true}, "hue": 20}')));
        await attempt('constructorKey', () => ctx.rendering.setParams({ constructor: { prototype: { polluted: true } } }));
        await attempt('valid', () => ctx.rendering.setParams({ hue: 33 }));
        await attempt('badArgs', () => ctx.rendering.setParams('hue=1'));
        await attempt('tooBig', () => ctx.rendering.setParams({ hue: 'x'.repeat(2000000) }));
        return codes;`),
      caps('agent-tools', 'rendering'),
    );
    const r = text(await host.callTool('dev.test.pollute.run')) as Record<string, string>;
    expect(r).to.deep.equal({ protoKey: 'FORBIDDEN_PATH', constructorKey: 'FORBIDDEN_PATH', valid: 'ok', badArgs: 'INVALID_ARGUMENTS', tooBig: 'MESSAGE_TOO_LARGE' });
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.prototype).to.not.have.property('polluted');
    expect(el.hue, 'only the valid call changed the canvas').to.equal(33);
    expect(errors.map((e) => e.code)).to.include.members(['FORBIDDEN_PATH', 'INVALID_ARGUMENTS', 'MESSAGE_TOO_LARGE']);
  });

  it('ctx.rendering.getParams() answers synchronously and follows the canvas (onParams) and its own setParams', async () => {
    const { el } = await mount({ system: 'faceted', hue: 10 }, [64, 48]);
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), canvas: el, callTimeoutMs: 3000 });
    const seen: number[] = [];
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
    const code = `let heard = [];
      export default { kind: 'toolpack', capabilities: ['agent-tools', 'rendering'],
        onParams(p) { heard.push(p.hue); },
        tools: { hue: { description: 'hue', inputSchema: { type: 'object' }, async handler(input, ctx) {
          if (input.set !== undefined) await ctx.rendering.setParams({ hue: input.set });
          return { content: [{ type: 'text', text: JSON.stringify({ now: ctx.rendering.getParams().hue, heard }) }] };
        } } } };`;
    await host.install(await pkg('sync', code, caps('agent-tools', 'rendering')));
    await host.activate('dev.test.sync');
    const ask = async (input: Record<string, unknown> = {}) => text(await host.callTool('dev.test.sync.hue', input)) as { now: number; heard: number[] };
    expect((await ask()).now).to.equal(10);
    el.hue = 77;
    await new Promise((r) => setTimeout(r, 200));
    const after = await ask();
    expect(after.now, 'the page changed the hue').to.equal(77);
    expect(after.heard).to.include(77);
    expect((await ask({ set: 200 })).now, 'its own change').to.equal(200);
    expect(el.hue).to.equal(200);
    void seen;
  });

  it('a raw comlink caller (what a compromised worker could send) cannot walk __proto__ / constructor paths or call ungranted methods', async () => {
    const channel = new MessageChannel();
    const published: unknown[] = [];
    const facade = { log: () => undefined, rendering: { getParams: () => ({ hue: 1 }), setParams: () => undefined }, geometry: { publish: (m: unknown) => published.push(m) }, telemetry: { track: () => undefined } };
    expose(facade, guardedEndpoint(channel.port1, { granted: () => new Set(['rendering']) }));
    const raw = wrap<Record<string, any>>(channel.port2); // eslint-disable-line @typescript-eslint/no-explicit-any
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
    expect(await code(raw['__proto__'].toString())).to.equal('FORBIDDEN_PATH');
    expect(await code(raw['constructor'].constructor('return 1'))).to.equal('FORBIDDEN_PATH');
    expect(await code(raw['rendering']['prototype'].x())).to.equal('FORBIDDEN_PATH');
    expect(await code(raw['geometry'].publish({ vertices: new Float32Array(4), edges: new Uint32Array(0) }))).to.equal('CAPABILITY_DENIED');
    expect(await code(raw['rendering'].getParams())).to.equal('ok');
    expect(await code(raw['rendering'])).to.equal('UNKNOWN_METHOD');
    expect(await code(raw['somethingElse']())).to.equal('UNKNOWN_METHOD');
    // A proxied callback would hand the host a live object of the caller: refused.
    expect(await code(raw['rendering'].setParams(proxy(() => 1)))).to.equal('INVALID_ARGUMENTS');
    expect(published).to.deep.equal([]);
    expect(Object.prototype).to.not.have.property('polluted');
  });

  it('an update that adds a capability is held until consent; a revoked capability is refused at once', async () => {
    const asked: ConsentQuestion[] = [];
    let grantNext = false;
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), grants: memoryGrantStore(), callTimeoutMs: 1500, consent: (q) => (asked.push(q), asked.length === 1 || grantNext) });
    await host.install(await pkg('upd', toolPack('return "v1";')));
    await host.activate('dev.test.upd');
    const v2 = await pkg('upd', toolPack('return "v2";'), caps('agent-tools', 'telemetry'), '1.1.0');
    const same = (await host.update(await pkg('upd', toolPack('return "evil";'))).catch((x) => x)) as { code: string };
    expect(same.code, 'the same id@version never changes content').to.equal('NOT_NEWER');
    const held = await host.update(v2);
    expect(held.applied).to.equal(false);
    expect(held.info.pendingUpdate).to.equal('1.1.0');
    expect(asked[1]!.added).to.deep.equal(['telemetry']);
    expect(text(await host.callTool('dev.test.upd.run')), 'the old version keeps running').to.equal('v1');
    grantNext = true;
    const applied = await host.update(v2);
    expect(applied.applied).to.equal(true);
    expect(text(await host.callTool('dev.test.upd.run'))).to.equal('v2');
    await host.revoke('dev.test.upd', 'agent-tools');
    const e = (await host.callTool('dev.test.upd.run').catch((x) => x)) as { code: string };
    expect(e.code).to.equal('CAPABILITY_DENIED');
  });

  it('a revoke whose restart fails (its activate needs what was revoked) leaves it inactive, reported, with no sandbox left', async () => {
    const code = `export default { kind: 'toolpack', capabilities: ['agent-tools', 'telemetry'],
      async activate(ctx) { await ctx.telemetry.track('started', {}); },
      tools: { run: { description: 'run', inputSchema: { type: 'object' }, handler() { return { content: [{ type: 'text', text: '"ok"' }] }; } } } };`;
    await installActive('needy', code, caps('agent-tools', 'telemetry'));
    expect(text(await host.callTool('dev.test.needy.run'))).to.equal('ok');
    await host.revoke('dev.test.needy', 'telemetry');
    const info = host.list().find((x) => x.id === 'dev.test.needy')!;
    expect(info.state).to.equal('inactive');
    expect(info.granted.capabilities).to.deep.equal(['agent-tools']);
    expect(errors.map((e) => `${e.extensionId} ${e.code}`)).to.include('dev.test.needy ACTIVATE_FAILED');
    expect(document.querySelector('iframe[sandbox]'), 'no half-started sandbox is left running').to.equal(null);
    const e = (await host.callTool('dev.test.needy.run').catch((x) => x)) as { code: string };
    expect(e.code).to.equal('NOT_ACTIVE');
  });

  it('a geometry extension feeds the mesh layer (projection and slice); its mesh goes away when it is deactivated', async () => {
    const { el } = await mount({ system: 'faceted', intensity: 0.2, paused: '', time: 300 }, [128, 96]);
    const plain = pixels(el);
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), canvas: el, callTimeoutMs: 3000 });
    // A 16-cell built by the extension: 8 vertices, 24 edges, 16 tetrahedral cells.
    const code = `
      const v = [], e = [], c = [];
      for (let i = 0; i < 4; i++) for (const s of [1, -1]) { const p = [0, 0, 0, 0]; p[i] = s * 0.9; v.push(...p); }
      for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) if ((a >> 1) !== (b >> 1)) e.push(a, b);
      for (let m = 0; m < 16; m++) c.push(...[0, 1, 2, 3].map((axis) => axis * 2 + ((m >> axis) & 1)));
      export default { kind: 'geometry', capabilities: ['geometry'], shapes: { orthoplex: 'the 16-cell' },
        generate() { return { vertices: new Float32Array(v), edges: new Uint32Array(e), cells: new Uint32Array(c) }; } };`;
    await host.install(await pkg('shapes', code, caps('geometry')));
    await host.activate('dev.test.shapes');
    const name = await host.loadMesh('dev.test.shapes', 'orthoplex');
    expect(name).to.equal('dev.test.shapes/orthoplex');
    el.mesh = name;
    await nextDrawnFrame(el);
    await frames(2);
    const projected = pixels(el);
    expect(el.mesh).to.equal(name);
    expect(compare(plain, projected).differing, 'the extension mesh is drawn').to.be.greaterThan(0.005);
    el.meshMode = 'slice';
    const sliced = new Promise<{ triangles: number }>((resolve) => el.addEventListener('vib3-mesh-update', (e) => resolve((e as CustomEvent).detail), { once: true }));
    el.sliceW = 0.1;
    expect((await sliced).triangles, 'its cells are sliced in the geometry workers').to.be.greaterThan(0);
    await host.deactivate('dev.test.shapes');
    el.meshMode = 'projection';
    el.time = 301;
    await nextDrawnFrame(el);
    await frames(2);
    el.time = 300;
    await nextDrawnFrame(el);
    await frames(2);
    expect(compare(plain, pixels(el), 2).differing, 'released with the extension').to.equal(0);
  });

  it('a renderer extension draws the element through the RendererContract (pixels from its worker); a bad frame is refused and reported', async () => {
    const code = `export default { kind: 'renderer', capabilities: ['rendering'], contractVersion: 1,
      render(frame) {
        if (frame.params.hue === 99) return { width: 1, height: 1, pixels: new Uint8ClampedArray(3) };
        const px = new Uint8ClampedArray(frame.width * frame.height * 4);
        for (let i = 0; i < px.length; i += 4) { px[i] = frame.params.hue % 256; px[i + 1] = 100; px[i + 2] = 200; px[i + 3] = 255; }
        return { width: frame.width, height: frame.height, pixels: px };
      } };`;
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), callTimeoutMs: 3000 });
    await host.install(await pkg('painter', code, caps('rendering')));
    const painter = async () => host.rendererFactory('dev.test.painter');
    const previous = setRendererFactory(painter);
    // The built-in loader (the three.js view, or with setRenderThread('auto') a factory choosing it or the worker's view).
    expect(typeof (await previous()), 'setRendererFactory hands back the loader it replaced').to.equal('function');
    try {
      const { el, event } = await mount({ hue: 40, paused: '' }, [32, 24]);
      expect(el.activeBackend).to.equal('extension');
      expect((event.detail as { backend: string }).backend).to.equal('extension');
      const at = (img: ImageData) => Array.from(img.data.slice(0, 4));
      expect(at(pixels(el))).to.deep.equal([40, 100, 200, 255]);
      el.hue = 70;
      await new Promise<void>((resolve) => {
        const check = () => (at(pixels(el))[0] === 70 ? resolve() : requestAnimationFrame(check));
        check();
      });
      const bad = nextEvent<{ code: string }>(el, 'vib3-error');
      el.hue = 99;
      expect((await bad).detail.code).to.equal('INVALID_ARGUMENTS');
      expect(at(pixels(el)), 'the last good frame stays').to.deep.equal([70, 100, 200, 255]);
    } finally {
      expect(setRendererFactory(previous), 'and takes back the one it handed out').to.equal(painter);
    }
  });

  it('a message flood is rate-limited; a tampered package is refused before anything runs', async () => {
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), callTimeoutMs: 3000, limits: { maxCallsPerSecond: 50 } });
    await installActive('flood', toolPack(`
      const results = await Promise.allSettled(Array.from({ length: 300 }, () => ctx.telemetry.track('x')));
      let limited = 0; for (const r of results) if (r.status === 'rejected') limited++;
      return limited;`, ''), caps('agent-tools', 'telemetry'));
    // track() is fire-and-forget in the SDK: count refusals at the host instead.
    const refusals: string[] = [];
    host.addEventListener('vib3-extension-error', (e) => refusals.push((e as CustomEvent).detail.code));
    await host.callTool('dev.test.flood.run');
    await frames(5);
    expect(refusals.filter((c) => c === 'RATE_LIMITED').length).to.be.at.least(200);
    const bytes = await pkg('tamper', toolPack('return 1;'));
    bytes[bytes.length - 700]! ^= 1;
    const err = (await host.install(bytes).catch((x) => x)) as { code: string };
    expect(err.code).to.equal('VERIFY_FAILED');
    expect(host.list().map((x) => x.id)).to.deep.equal(['dev.test.flood']);
  });

  /** A tool pack with a strict tool (input and output schemas) and a counter of the handler's runs. */
  const strictPack = `
    let calls = 0;
    export default {
      kind: 'toolpack',
      capabilities: ['agent-tools'],
      tools: {
        strict: {
          description: 'doubles n',
          inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 0 }, tag: { type: 'string', maxLength: 8 }, nested: { type: 'object' } }, required: ['n'], additionalProperties: false },
          outputSchema: { type: 'object', properties: { doubled: { type: 'integer' } }, required: ['doubled'], additionalProperties: false },
          handler(input) {
            calls++;
            const structuredContent = input.n === 13 ? { doubled: 'thirteen' } : input.n === 14 ? { doubled: 28, leaked: 'x' } : { doubled: input.n * 2 };
            return { content: [{ type: 'text', text: String(input.n * 2) }], structuredContent };
          },
        },
        count: { description: 'how often strict ran', inputSchema: { type: 'object', additionalProperties: false }, handler() { return { content: [{ type: 'text', text: String(calls) }] }; } },
      },
    };`;

  it('tool input is checked against inputSchema before the worker sees it (hostile inputs refused with INVALID_TOOL_INPUT)', async () => {
    await installActive('strict', strictPack);
    const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code: string }) => e.code);
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const hostile: [string, unknown][] = [
      ['wrong type', { n: '1' }],
      ['not an integer', { n: 1.5 }],
      ['below minimum', { n: -1 }],
      ['missing required', {}],
      ['extra property (additionalProperties false)', { n: 1, extra: true }],
      ['prototype key as extra property', JSON.parse('{"n": 1, "__proto__": {"polluted": true}}')],
      ['too long a string', { n: 1, tag: 'x'.repeat(100) }],
      ['deeply nested', { n: 1, nested: deep }],
      ['huge', { n: 1, nested: { blob: 'x'.repeat(400_000) } }],
      ['an array', [1, 2]],
      ['null', null],
    ];
    for (const [name, input] of hostile) expect(await code(host.callTool('dev.test.strict.strict', input as Record<string, unknown>)), name).to.equal('INVALID_TOOL_INPUT');
    expect(await code(host.callTool('dev.test.strict.count', { sneaky: 1 })), 'count has its own schema').to.equal('INVALID_TOOL_INPUT');
    expect(await code(host.callTool('dev.test.strict.nope', {}))).to.equal('UNKNOWN_TOOL');
    expect((await host.callTool('dev.test.strict.count')).content[0]!.text, 'the worker never saw an invalid input').to.equal('0');
    const ok = await host.callTool('dev.test.strict.strict', { n: 2, tag: 'ok', nested: { a: [1] } });
    expect(ok.structuredContent).to.deep.equal({ doubled: 4 });
    expect((await host.callTool('dev.test.strict.count')).content[0]!.text).to.equal('1');
    expect(errors.filter((e) => e.code === 'INVALID_TOOL_INPUT').length, 'each refusal is reported').to.equal(hostile.length + 1);
    expect(host.list()[0]!.health.lastError?.code).to.equal('UNKNOWN_TOOL');
  });

  it("a tool's output is checked against its outputSchema: a mismatching result is withheld (INVALID_TOOL_OUTPUT)", async () => {
    await installActive('strict', strictPack);
    const e13 = (await host.callTool('dev.test.strict.strict', { n: 13 }).catch((x) => x)) as { code: string; message: string };
    expect(e13.code).to.equal('INVALID_TOOL_OUTPUT');
    expect(e13.message).to.contain('/doubled');
    const e14 = (await host.callTool('dev.test.strict.strict', { n: 14 }).catch((x) => x)) as { code: string };
    expect(e14.code, 'an extra output property where additionalProperties is false').to.equal('INVALID_TOOL_OUTPUT');
    expect((await host.callTool('dev.test.strict.count')).content[0]!.text, 'the handler ran; its result was refused').to.equal('2');
    expect(host.list()[0]!.health.lastError?.code).to.equal('INVALID_TOOL_OUTPUT');
    expect(errors.map((e) => e.code)).to.deep.equal(['INVALID_TOOL_OUTPUT', 'INVALID_TOOL_OUTPUT']);
    expect((await host.callTool('dev.test.strict.strict', { n: 5 })).structuredContent).to.deep.equal({ doubled: 10 });
  });

  it('every failed operation fires vib3-extension-error with its code: install (tampered, denied), activate that throws, update', async () => {
    // A signed package whose extension.json was changed after signing: tampered, not "run lint".
    const good = await pkg('tampered', toolPack('return 1;'));
    const { readArchive, writeArchive } = await import('../../src/extensions/index.js');
    const files = readArchive(good);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('extension.json')!)) as Record<string, unknown>;
    manifest['version'] = '1.0';
    files.set('extension.json', new TextEncoder().encode(JSON.stringify(manifest)));
    const tampered = (await host.install(writeArchive(files)).catch((x) => x)) as { code: string; message: string; suggestion: string };
    expect(tampered.code).to.equal('VERIFY_FAILED');
    expect(tampered.message).to.match(/^SIGNATURE_INVALID: /);
    expect(tampered.suggestion).not.to.contain('lint');
    expect(errors.at(-1)).to.include({ code: 'VERIFY_FAILED' });

    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => false, grants: memoryGrantStore(), callTimeoutMs: 1500 });
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
    expect(((await host.install(await pkg('denied', toolPack('return 1;'))).catch((x) => x)) as { code: string }).code).to.equal('CONSENT_DENIED');
    expect(errors.at(-1)).to.include({ code: 'CONSENT_DENIED', extensionId: 'dev.test.denied' });

    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: allow, grants: memoryGrantStore(), callTimeoutMs: 1500 });
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
    const throws = `export default { kind: 'toolpack', capabilities: ['agent-tools'], activate() { throw new Error('boom at start'); },
      tools: { run: { description: 'run', inputSchema: { type: 'object' }, handler() { return { content: [] }; } } } };`;
    await host.install(await pkg('thrower', throws));
    const failed = (await host.activate('dev.test.thrower').catch((x) => x)) as { code: string; message: string };
    expect(failed.code).to.equal('ACTIVATE_FAILED');
    expect(failed.message).to.contain('boom at start');
    expect(errors.at(-1)).to.include({ code: 'ACTIVATE_FAILED', extensionId: 'dev.test.thrower' });
    expect(errors.filter((e) => e.code === 'ACTIVATE_FAILED').length, 'reported once').to.equal(1);
    const info = host.list().find((x) => x.id === 'dev.test.thrower')!;
    expect(info.state).to.equal('inactive');
    expect(info.health.lastError).to.include({ code: 'ACTIVATE_FAILED' });

    // An ungranted API touched in activate: the sandbox names the capability (same code as the SDK harness).
    const nosy = `export default { kind: 'toolpack', capabilities: ['agent-tools'], activate(ctx) { ctx.telemetry.track('x'); },
      tools: { run: { description: 'run', inputSchema: { type: 'object' }, handler() { return { content: [] }; } } } };`;
    await host.install(await pkg('nosy', nosy));
    const nosyError = (await host.activate('dev.test.nosy').catch((x) => x)) as { code: string; message: string };
    expect(nosyError.code).to.equal('ACTIVATE_FAILED');
    expect(nosyError.message).to.contain('CAPABILITY_NOT_GRANTED');

    const stale = (await host.update(await pkg('thrower', throws, undefined, '1.0.0')).catch((x) => x)) as { code: string };
    expect(stale.code).to.equal('NOT_NEWER');
    expect(errors.at(-1)).to.include({ code: 'NOT_NEWER', extensionId: 'dev.test.thrower' });
    expect(host.list().find((x) => x.id === 'dev.test.thrower')!.health.lastError).to.include({ code: 'NOT_NEWER' });
    expect(document.querySelector('iframe[sandbox]'), 'no half-started sandbox is left').to.equal(null);
  });

  it('consent can be a consent UI passed in (anything with ask(), e.g. a <vib3-consent-dialog>), not found by tag name', async () => {
    const asked: { extensionName: string; capabilities: { name: string }[] }[] = [];
    let answer = false;
    const ui = { ask: async (request: (typeof asked)[0]) => (asked.push(request), { granted: answer }) };
    host.dispose();
    host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: ui, grants: memoryGrantStore(), callTimeoutMs: 1500 });
    host.addEventListener('vib3-extension-error', (e) => errors.push((e as CustomEvent).detail));
    const denied = (await host.install(await pkg('asked', toolPack('return 1;'))).catch((x) => x)) as { code: string };
    expect(denied.code).to.equal('CONSENT_DENIED');
    answer = true;
    const info = await host.install(await pkg('asked', toolPack('return 1;')));
    expect(info.granted.capabilities).to.deep.equal(['agent-tools']);
    expect(asked.map((a) => [a.extensionName, a.capabilities.map((c) => c.name)])).to.deep.equal([['asked', ['agent-tools']], ['asked', ['agent-tools']]]);
    expect(document.querySelector('vib3-consent-dialog'), 'no dialog on the page was needed').to.equal(null);
  });
});
