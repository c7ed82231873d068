// The host page's main thread while a hostile extension attacks it (bench/containment.mjs):
// a 5 ms interval timer records every gap; window.measure(attack) runs one attack and reports the
// page's tick share and its longest gap (how long the main thread was blocked at once). No canvas
// on the page: only the extension host's own cost is measured.
import { generateEd25519, keyIdOf, packFiles, signPackage } from '/dist/extensions/index.js';
import { ExtensionHost, memoryGrantStore } from '/dist/extensions/runtime.js';

const utf8 = (s) => new TextEncoder().encode(s);
const ATTACKS = {
  // 20,000 permitted host calls at once (the rate limit refuses most).
  flood: `for (let i = 0; i < 20000; i++) ctx.telemetry.track('x'); return 'sent';`,
  // A 200 MB tool result.
  hugeResult: `return 'x'.repeat(100000000);`,
  // A 5-million-vertex mesh published to the page.
  hugeMesh: `ctx.geometry.publish({ vertices: new Float32Array(20000000), edges: new Uint32Array(2) }); return 'sent';`,
};

async function pkg(keys, keyId, name, body) {
  const manifest = {
    manifestVersion: 2, id: `dev.bench.${name.toLowerCase()}`, version: '1.0.0', name, description: 'A hostile extension for the containment benchmark.',
    publisher: { name: 'Bench', keyId },
    capabilities: { 'agent-tools': { reason: 'Runs the attack through its tool.' }, telemetry: { reason: 'Floods the host with telemetry calls.' }, geometry: { reason: 'Publishes a huge mesh to the page.' } },
    entrypoints: { worker: 'dist/worker.js', toolPack: 'dist/tools.json' },
    compatibility: { core: '>=0.0.0-0', rendererContract: 1 },
  };
  const code = `export default { kind: 'toolpack', capabilities: ['agent-tools', 'telemetry', 'geometry'], tools: {
    attack: { description: 'runs the attack', inputSchema: { type: 'object' }, async handler(input, ctx) { const r = await (async () => { ${body} })(); return { content: [{ type: 'text', text: String(r) }] }; } },
  } };`;
  return signPackage(packFiles(new Map([['extension.json', utf8(JSON.stringify(manifest))], ['dist/worker.js', utf8(code)], ['dist/tools.json', utf8('{"tools":[]}')]])), keys.privateJwk);
}

window.ready = (async () => {
  const keys = await generateEd25519();
  const keyId = await keyIdOf(keys.publicJwk);
  window.measure = async (name, windowMs = 3000) => {
    const host = new ExtensionHost({ trustedKeys: new Map([[keyId, keys.publicJwk]]), consent: () => true, grants: memoryGrantStore(), callTimeoutMs: 10000, onMesh: () => {} });
    await host.install(await pkg(keys, keyId, name, ATTACKS[name]));
    await host.activate(`dev.bench.${name.toLowerCase()}`);
    let last = performance.now();
    let longest = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 5);
    const t0 = performance.now();
    const outcome = await host.callTool(`dev.bench.${name.toLowerCase()}/attack`).then(() => 'answered', (e) => e.code);
    await new Promise((r) => setTimeout(r, Math.max(0, windowMs - (performance.now() - t0))));
    clearInterval(timer);
    const elapsed = performance.now() - t0;
    host.dispose();
    return { outcome, tickShare: ticks / (elapsed / 5), longestGapMs: longest, elapsedMs: elapsed };
  };
})();
