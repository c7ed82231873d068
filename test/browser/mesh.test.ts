import { expect } from '@esm-bundle/chai';
import { mount, cleanup, renderAt, pixels, compare, isNonBlank, nextEvent, nextDrawnFrame, frames, env } from './helpers.js';
import { GeometryWorkerPool, geometryPool } from '../../src/geometry/worker-pool.js';
import { geometryWorkerUrl, setGeometryWorkerUrl } from '../../src/geometry/worker-url.js';
import { referenceKernels, kernelMatrix } from '../../src/geometry/kernels.js';
import { polytope } from '../../src/geometry/polytopes.js';
import type { MeshUpdateDetail } from '../../src/render/contract.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';

const ROT = { XY: 0.3, XZ: 0.2, YZ: 0.1, XW: 0.7, YW: 0.4, ZW: 0.2 };

/** Sets slice-w and resolves with the vib3-mesh-update of that exact offset, then the pixels. */
async function sliceAt(el: Vib3Canvas, w: number): Promise<{ detail: MeshUpdateDetail; img: ImageData }> {
  const updated = new Promise<MeshUpdateDetail>((resolve) => {
    const on = (e: Event) => {
      const d = (e as CustomEvent<MeshUpdateDetail>).detail;
      if (d.sliceW === w) {
        el.removeEventListener('vib3-mesh-update', on);
        resolve(d);
      }
    };
    el.addEventListener('vib3-mesh-update', on);
  });
  el.sliceW = w;
  const detail = await updated;
  await frames(2);
  return { detail, img: pixels(el) };
}

describe(`mesh layer (${env.flagSet} flags)`, () => {
  afterEach(cleanup);

  it('projection mode draws the polytope over the lattice and follows the rotation', async () => {
    const { el } = await mount({ system: 'faceted', geometry: 0, intensity: 0.2 }, [160, 120]);
    const plain = await renderAt(el, 1000);
    el.mesh = 'tesseract';
    const withMesh = await renderAt(el, 1000);
    expect(isNonBlank(withMesh)).to.equal(true);
    expect(compare(plain, withMesh).differing, 'the edges are drawn').to.be.greaterThan(0.01);
    el.rot4dXW = 1.1;
    const turned = await renderAt(el, 1000);
    expect(compare(withMesh, turned).differing, 'a 4D rotation moves the edges').to.be.greaterThan(0.005);
    el.rot4dXW = 0;
    el.mesh = 'none';
    const back = await renderAt(el, 1000);
    expect(compare(plain, back, 2).differing, 'mesh="none" removes the layer').to.equal(0);
  });

  it('slice mode: the cross-section comes from a worker (WASM SIMD) and moves with slice-w; empty beyond the mesh', async () => {
    const { el } = await mount({ system: 'faceted', geometry: 0, intensity: 0.2, paused: '', time: 500 }, [160, 120]);
    const plain = pixels(el);
    el.mesh = '600-cell';
    el.meshMode = 'slice';
    const a = await sliceAt(el, 0);
    expect(a.detail.kernels).to.equal('wasm-simd');
    expect(a.detail.triangles).to.be.greaterThan(100);
    expect(a.detail.mesh).to.equal('600-cell');
    expect(compare(plain, a.img).differing, 'the section is drawn').to.be.greaterThan(0.02);
    const b = await sliceAt(el, 0.6);
    expect(b.detail.triangles).to.be.greaterThan(0);
    expect(compare(a.img, b.img).differing, 'pixels change as slice-w moves').to.be.greaterThan(0.01);
    const c = await sliceAt(el, 1.5);
    expect(c.detail.triangles, 'the hyperplane misses the polytope').to.equal(0);
    expect(compare(plain, c.img, 2).differing).to.equal(0);
  });

  it('attributes: mesh, mesh-mode and slice-w reflect into properties; bad values report and change nothing', async () => {
    const { el } = await mount({ mesh: 'klein', 'mesh-mode': 'slice', 'slice-w': '0.25' });
    expect([el.mesh, el.meshMode, el.sliceW]).to.deep.equal(['klein', 'slice', 0.25]);
    el.setAttribute('slice-w', '9');
    expect(el.sliceW, 'clamped').to.equal(1.5);
    const err = nextEvent<{ code: string; suggestion: string }>(el, 'vib3-error');
    el.setAttribute('mesh', 'dodecahedron');
    const e = await err;
    expect(e.detail.code).to.equal('INVALID_OPTION');
    expect(e.detail.suggestion).to.contain('600-cell');
    expect(el.mesh).to.equal('klein');
    const err2 = nextEvent<{ code: string }>(el, 'vib3-error');
    el.sliceW = Number.NaN;
    expect((await err2).detail.code).to.equal('INVALID_PARAM');
    expect(el.sliceW).to.equal(1.5);
  });
});

describe(`geometry worker pool (${env.flagSet} flags)`, () => {
  const request = { mesh: '600-cell' as const, rotation: ROT, offset: 0.1 };
  const pools: GeometryWorkerPool[] = [];
  const pool = (opts = {}) => {
    const p = new GeometryWorkerPool({ size: 1, ...opts });
    pools.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of pools.splice(0)) p.terminate();
  });

  it('answers with the same cross-section as the reference kernels on the main thread', async () => {
    const result = await pool().slice(request);
    const m = polytope('600-cell');
    const rotated = new Float32Array(m.vertices.length);
    referenceKernels.transform(m.vertices, m.vertices.length / 4, kernelMatrix(ROT), rotated);
    const out = new Float32Array(m.tetrahedra.length * 18);
    const n = referenceKernels.sliceTetrahedra(rotated, m.tetrahedra, 0.1, out);
    expect(result.triangleCount).to.equal(n);
    let max = 0;
    for (let i = 0; i < n * 9; i++) max = Math.max(max, Math.abs(out[i]! - result.triangles[i]!));
    expect(max).to.be.below(1e-5);
    expect(result.inShared, 'not cross-origin isolated here: transferred arrays').to.equal(crossOriginIsolated);
  });

  it('cancelling: an aborted request rejects at once and a superseded frame is dropped; the others answer', async () => {
    const p = pool();
    const busy = p.spin(600); // the only worker is busy
    const first = p.slice(request);
    const controller = new AbortController();
    const aborted = p.slice(request, { signal: controller.signal });
    const older = p.slice({ ...request, offset: 0.2 }, { key: 'el' });
    const newer = p.slice({ ...request, offset: 0.3 }, { key: 'el' });
    controller.abort();
    const t0 = performance.now();
    const abortErr = await aborted.then(() => undefined, (e: { code: string }) => e);
    expect(abortErr?.code).to.equal('GEOMETRY_CANCELLED');
    expect(performance.now() - t0, 'without waiting for the worker').to.be.below(300);
    expect((await older.then(() => undefined, (e: { code: string }) => e))?.code).to.equal('GEOMETRY_CANCELLED');
    await busy;
    expect((await first).triangleCount).to.be.greaterThan(0);
    expect((await newer).triangleCount).to.be.greaterThan(0);
    expect(p.queued).to.equal(0);
  });

  it('a worker killed mid-request: the request rejects with GEOMETRY_WORKER_FAILED, a new worker answers', async () => {
    const errors: string[] = [];
    const p = pool({ onWorkerError: (e: { code: string }) => errors.push(e.code) });
    await p.slice(request); // warm
    const before = p.workers[0];
    const pending = p.slice(request);
    p.crash(0);
    expect((await pending.then(() => undefined, (e: { code: string }) => e))?.code).to.equal('GEOMETRY_WORKER_FAILED');
    expect(p.workers[0]).to.not.equal(before);
    expect(p.restarts).to.equal(1);
    expect(errors).to.deep.equal(['GEOMETRY_WORKER_FAILED']);
    expect((await p.slice(request)).triangleCount).to.be.greaterThan(0);
  });

  it('a worker script that never loads: retried quietly, then one GEOMETRY_WORKER_FAILED; later requests fail at once', async () => {
    const reported: { code: string; suggestion: string }[] = [];
    const p = pool({ url: '/no/such/geometry-worker.js', onWorkerError: (e: { code: string; suggestion: string }) => reported.push(e) });
    const err = await p.slice(request).then(() => undefined, (e: { code: string; message: string }) => e);
    expect(err?.code).to.equal('GEOMETRY_WORKER_FAILED');
    expect(err?.message).to.contain('3 attempts');
    expect(reported.map((e) => e.code)).to.deep.equal(['GEOMETRY_WORKER_FAILED']);
    expect(reported[0]!.suggestion).to.contain('/no/such/geometry-worker.js');
    expect(p.unavailable).to.equal(err);
    expect(p.size, 'no worker is kept or restarted').to.equal(0);
    const again = await p.slice(request).then(() => undefined, (e: unknown) => e);
    expect(again, 'the same error, without a new attempt').to.equal(err);
    expect(reported.length).to.equal(1);
  });

  it('a worker URL on another origin starts through a blob: trampoline and answers', async () => {
    // 127.0.0.1 vs localhost: another origin for the same test server.
    const here = new URL(location.href);
    const other = new URL(geometryWorkerUrl().pathname, `${here.protocol}//${here.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${here.port}`);
    expect(other.origin).to.not.equal(location.origin);
    const result = await pool({ url: other }).slice(request);
    expect(result.triangleCount).to.be.greaterThan(0);
  });

  it('setGeometryWorkerUrl() restarts the page pool with the new URL', async () => {
    const before = geometryPool();
    setGeometryWorkerUrl(geometryWorkerUrl().href);
    const after = geometryPool();
    expect(after).to.not.equal(before);
    expect(geometryPool(), 'stable until the URL changes again').to.equal(after);
    expect((await after.slice(request)).triangleCount).to.be.greaterThan(0);
  });

  it('a hung worker is terminated by the watchdog and replaced', async () => {
    const p = pool({ timeoutMs: 400 });
    void p.spin(5000).catch(() => undefined); // never answers in time
    const err = await p.slice(request).then(() => undefined, (e: { code: string; message: string }) => e);
    expect(err?.code).to.equal('GEOMETRY_WORKER_FAILED');
    expect(err?.message).to.contain('longer than 400 ms');
    expect((await p.slice(request)).triangleCount).to.be.greaterThan(0);
  });

  it('the element keeps rendering when its worker dies, reports vib3-error, and slices again', async () => {
    const { el } = await mount({ system: 'quantum', mesh: '24-cell', 'mesh-mode': 'slice', paused: '', time: 100 }, [96, 72]);
    await sliceAt(el, 0.1);
    const p = geometryPool();
    // Every worker busy, so the element's next request is in flight when they die.
    const spins = p.workers.map((_, i) => p.spin(3000, i).catch(() => undefined));
    const reported = nextEvent<{ code: string }>(el, 'vib3-error', 10_000);
    el.sliceW = 0.2;
    await nextDrawnFrame(el);
    for (let i = 0; i < p.size; i++) p.crash(i);
    expect((await reported).detail.code).to.equal('GEOMETRY_WORKER_FAILED');
    void spins;
    expect(isNonBlank(pixels(el)), 'still showing the visual').to.equal(true);
    const again = await sliceAt(el, 0.35);
    expect(again.detail.triangles).to.be.greaterThan(0);
    expect(el.activeBackend).to.equal(env.expectedBackend);
    expect(geometryWorkerUrl().pathname).to.equal('/dist/geometry-worker.js');
  });
});
