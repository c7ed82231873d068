import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { mount, cleanup, env, frames } from './helpers.js';
import { enableTelemetry, type PageTelemetry } from '../../src/index.js';
import { telemetryOn } from '../../src/telemetry/sink.js';
import { testKeys, caps, pkg } from './extension-fixtures.js';
import { ExtensionHost, memoryGrantStore } from '../../src/extensions/runtime/index.js';

/**
 * Page telemetry (issue 23): off by default (no OpenTelemetry code loaded, nothing sent); once the
 * page calls enableTelemetry, the element's render metrics and the extension host's crash counter
 * reach an OTLP/HTTP JSON receiver (test/otlp-collector-plugin.mjs), read from what it received.
 */
type Req = { method: string; path: string; contentType: string; body: string };
type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type Point = { metric: string; unit?: string; attributes: Record<string, unknown>; count?: number; sum?: number; value?: number };

const requests = async () => ((await executeServerCommand('vib3-otlp-read')) as Req[] | undefined) ?? [];
const value = (v: AnyValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue ?? v.boolValue);
const attrs = (list: { key: string; value: AnyValue }[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));

function points(reqs: Req[]): Point[] {
  const out: Point[] = [];
  for (const r of reqs.filter((q) => q.method === 'POST' && q.path === '/v1/metrics')) {
    for (const rm of JSON.parse(r.body).resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          for (const p of (m.histogram ?? m.sum ?? m.gauge)?.dataPoints ?? []) {
            out.push({ metric: m.name, unit: m.unit, attributes: attrs(p.attributes), ...(p.count !== undefined ? { count: Number(p.count) } : {}), ...(p.sum !== undefined ? { sum: p.sum } : {}), ...(p.asInt !== undefined ? { value: Number(p.asInt) } : p.asDouble !== undefined ? { value: p.asDouble } : {}) });
          }
        }
      }
    }
  }
  return out;
}

/** Scripts and modules the page loaded that belong to the OpenTelemetry pipeline. */
const otelResources = () => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /opentelemetry|browser-otel/.test(n));

describe(`page telemetry (${env.flagSet} flags)`, function () {
  this.timeout(60_000);
  let collector: string;
  let running: PageTelemetry | undefined;

  before(async () => {
    collector = (await executeServerCommand('vib3-otlp-start')) as string;
    await executeServerCommand('vib3-otlp-clear');
  });
  afterEach(() => cleanup());
  after(async () => {
    await running?.disable();
  });

  // First: nothing in this page has enabled telemetry yet.
  it('off by default: a rendering element loads no OpenTelemetry code and sends nothing', async () => {
    expect(telemetryOn()).to.equal(false);
    const { el, error } = await mount({ system: 'faceted' }, [64, 48]);
    expect(error).to.equal(undefined);
    const start = el.frameCount;
    while (el.frameCount < start + 40) await frames(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(otelResources(), 'no OpenTelemetry module was fetched').to.deep.equal([]);
    expect(await requests(), 'the collector saw no request').to.deep.equal([]);
  });

  it('enabled: first_frame and frame_time points with the backend reach the collector; disable() flushes and turns it off', async () => {
    running = await enableTelemetry({ endpoint: collector, serviceName: 'vib3-telemetry-test', exportIntervalMillis: 60_000 });
    expect(telemetryOn()).to.equal(true);
    expect(otelResources().length, 'the OpenTelemetry chunk loads on enableTelemetry').to.be.greaterThan(0);
    expect(running.tracesEndpoint).to.equal(`${collector}/v1/traces`);
    const { el, event } = await mount({ system: 'faceted' }, [64, 48]);
    const backend = (event.detail as { backend: string }).backend;
    expect(backend).to.equal(env.expectedBackend);
    const start = el.frameCount;
    while (el.frameCount < start + 95) await frames(5);
    await running.flush();
    const got = points(await requests());
    const first = got.filter((p) => p.metric === 'vib3.render.first_frame');
    expect(first.length, JSON.stringify(got.map((p) => p.metric))).to.be.greaterThan(0);
    expect(first[0]!.unit).to.equal('ms');
    expect(first[0]!.attributes).to.deep.equal({ 'vib3.render.backend': backend });
    expect(first[0]!.count).to.be.at.least(1);
    expect(first[0]!.sum).to.be.greaterThan(0);
    const frameTime = got.filter((p) => p.metric === 'vib3.render.frame_time');
    expect(frameTime.length).to.be.greaterThan(0);
    expect(frameTime[0]!.attributes['vib3.render.backend']).to.equal(backend);
    expect(frameTime[0]!.attributes['vib3.render.scale']).to.be.within(0.25, 1);
    // One frame in 30 is timed: ~95 frames drawn give about 3 measurements, never one per frame.
    const timed = frameTime.reduce((n, p) => n + (p.count ?? 0), 0);
    expect(timed).to.be.within(2, 10);
    const resource = JSON.parse((await requests()).find((r) => r.path === '/v1/metrics' && r.method === 'POST')!.body).resourceMetrics[0].resource;
    expect(attrs(resource.attributes)['service.name']).to.equal('vib3-telemetry-test');
  });

  it('a crashing extension counts in vib3.extension.crashes with its id, state and error class', async () => {
    expect(running, 'enabled by the previous test').to.not.equal(undefined);
    const keys = await testKeys();
    const host = new ExtensionHost({ trustedKeys: new Map([[keys.keyId, keys.publicJwk]]), consent: async () => true, grants: memoryGrantStore(), callTimeoutMs: 1500, heartbeatMs: 200, heartbeatTimeoutMs: 400 });
    try {
      const code = `export default { kind: 'toolpack', capabilities: ['agent-tools'], tools: { run: { description: 'spins', inputSchema: { type: 'object' }, handler() { while (true) {} } } } };`;
      await host.install(await pkg(keys, 'spin', code, caps('agent-tools')));
      await host.activate('dev.test.spin');
      const hung = new Promise<void>((resolve) => host.addEventListener('vib3-extension-error', (e) => (e as CustomEvent).detail.code === 'HUNG' && resolve()));
      void host.callTool('dev.test.spin.run').catch(() => undefined);
      await hung;
      await running!.flush();
      const crashes = points(await requests()).filter((p) => p.metric === 'vib3.extension.crashes');
      expect(crashes.length).to.be.greaterThan(0);
      const last = crashes[crashes.length - 1]!;
      expect(last.attributes).to.deep.equal({ 'vib3.extension.id': 'dev.test.spin', 'vib3.extension.state': 'restarting', 'error.type': 'extension_fault', 'vib3.error.code': 'HUNG' });
      expect(last.value).to.equal(1);
    } finally {
      host.dispose();
    }
  });

  it('disable() flushes, uninstalls the sink, and nothing more is sent', async () => {
    await running!.disable();
    running = undefined;
    expect(telemetryOn()).to.equal(false);
    await executeServerCommand('vib3-otlp-clear');
    const { el } = await mount({ system: 'faceted' }, [64, 48]);
    const start = el.frameCount;
    while (el.frameCount < start + 40) await frames(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(await requests()).to.deep.equal([]);
  });
});
