// Kernel throughput, shared by Node (bench/geometry.mjs) and a Chromium worker
// (bench/pages/geometry-bench-worker.js). Imports the built library (dist/geometry.js).
// Numbers are reported, never asserted.

/** Runs fn repeatedly for at least `ms`, returns calls per second (after one warm-up call). */
function rate(fn, ms = 300) {
  fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    fn();
    n++;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

function rng(seed) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296;
  };
}

/**
 * For each size: vertices rotated+projected per second and slices per second (rotate + cut a
 * soup of as many tetrahedra as vertices) per kernel kind, next to a memory-bandwidth bound: a
 * plain typed-array copy of the bytes the kernel reads and writes.
 */
export async function runGeometryBench(lib, { sizes = [1e3, 1e4, 1e5, 1e6], ms = 300 } = {}) {
  const kinds = [lib.referenceKernels, await lib.loadKernels('wasm-scalar')];
  if (lib.wasmSimdSupported()) kinds.push(await lib.loadKernels('wasm-simd'));
  const matrix = lib.kernelMatrix({ XY: 0.3, XZ: 0.2, YZ: 0.1, XW: 0.7, YW: 0.4, ZW: 0.2 });
  const rows = [];
  for (const n of sizes) {
    const r = rng(n);
    const v = Float32Array.from({ length: n * 4 }, () => r() * 2 - 1);
    const out = new Float32Array(n * 3);
    const rotated = new Float32Array(n * 4);
    const tets = Uint32Array.from({ length: n * 4 }, () => Math.floor(r() * n));
    const cut = new Float32Array(n * 18);
    // Bandwidth bound: copy the bytes transformProject moves (16 in + 12 out per vertex).
    const src = new Uint8Array(n * 28), dst = new Uint8Array(n * 28);
    const copiesPerSecond = rate(() => dst.set(src), ms);
    const row = { vertices: n, bandwidthVerticesPerSecond: copiesPerSecond * n, bandwidthGBps: (copiesPerSecond * n * 28) / 1e9, kernels: {} };
    for (const k of kinds) {
      const projectPerSecond = rate(() => k.transformProject(v, n, matrix, 3.5, out), ms);
      const slicesPerSecond = rate(() => {
        k.transform(v, n, matrix, rotated);
        k.sliceTetrahedra(rotated, tets, 0.1, cut);
      }, ms);
      row.kernels[k.kind] = { verticesPerSecond: projectPerSecond * n, slicesPerSecond };
    }
    rows.push(row);
  }
  // The mesh the element slices: the 600-cell (120 vertices, 600 tetrahedra, 1200 triangles).
  const per600 = {};
  for (const k of kinds.map((x) => x.kind)) {
    const s = lib.createGeometryService();
    await s.init(k);
    let w = 0;
    const t0 = performance.now();
    let count = 0;
    while (performance.now() - t0 < ms) {
      await s.slice({ mesh: '600-cell', rotation: { XY: w, XZ: 0.2, YZ: 0.1, XW: 0.7, YW: 0.4, ZW: 0.2 }, offset: Math.sin(w) * 0.5 });
      w += 0.01;
      count++;
    }
    per600[k] = count / ((performance.now() - t0) / 1000);
  }
  return { rows, slices600PerSecond: per600 };
}
