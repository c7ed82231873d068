// AssemblyScript geometry kernels (compiled twice by scripts/build-wasm.mjs: with and without
// SIMD). Memory is laid out by the host (src/geometry/wasm-kernels.ts): every pointer is a byte
// offset into the exported memory; nothing here allocates. The TypeScript reference is
// src/geometry/kernels.ts; tests hold both to 1e-5.

const EPS: f32 = 1e-3;

@inline function guard(denom: f32): f32 {
  if (abs<f32>(denom) < EPS) return denom < 0 ? -EPS : EPS;
  return denom;
}

/** M·p with M given by its columns c0..c3 and p the xyzw vertex at `p`: c0·x + c1·y + c2·z + c3·w. */
@inline function rotateSimd(c0: v128, c1: v128, c2: v128, c3: v128, p: usize): v128 {
  let r = f32x4.mul(c0, v128.load32_splat(p));
  r = f32x4.add(r, f32x4.mul(c1, v128.load32_splat(p, 4)));
  r = f32x4.add(r, f32x4.mul(c2, v128.load32_splat(p, 8)));
  return f32x4.add(r, f32x4.mul(c3, v128.load32_splat(p, 12)));
}

/** M·v (M column-major at mat) and perspective projection: xyz per vertex at out (+4 bytes slack). */
export function transformProject(vin: usize, count: i32, mat: usize, d: f32, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    const c0 = v128.load(mat), c1 = v128.load(mat, 16), c2 = v128.load(mat, 32), c3 = v128.load(mat, 48);
    for (let i = 0; i < count; i++) {
      const r = rotateSimd(c0, c1, c2, c3, vin + (<usize>i << 4));
      const k = d / guard(d + f32x4.extract_lane(r, 3));
      // Writes 4 lanes; the 4th is overwritten by the next vertex (the host leaves 4 bytes of slack).
      v128.store(out + <usize>i * 12, f32x4.mul(r, f32x4.splat(k)));
    }
  } else {
    for (let i = 0; i < count; i++) {
      const p = vin + (<usize>i << 4);
      const x = load<f32>(p), y = load<f32>(p, 4), z = load<f32>(p, 8), w = load<f32>(p, 12);
      const rx = load<f32>(mat) * x + load<f32>(mat, 16) * y + load<f32>(mat, 32) * z + load<f32>(mat, 48) * w;
      const ry = load<f32>(mat, 4) * x + load<f32>(mat, 20) * y + load<f32>(mat, 36) * z + load<f32>(mat, 52) * w;
      const rz = load<f32>(mat, 8) * x + load<f32>(mat, 24) * y + load<f32>(mat, 40) * z + load<f32>(mat, 56) * w;
      const rw = load<f32>(mat, 12) * x + load<f32>(mat, 28) * y + load<f32>(mat, 44) * z + load<f32>(mat, 60) * w;
      const k = d / guard(d + rw);
      const o = out + <usize>i * 12;
      store<f32>(o, rx * k);
      store<f32>(o, ry * k, 4);
      store<f32>(o, rz * k, 8);
    }
  }
}

/** M·v for each xyzw vertex, xyzw out. */
export function transform(vin: usize, count: i32, mat: usize, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    const c0 = v128.load(mat), c1 = v128.load(mat, 16), c2 = v128.load(mat, 32), c3 = v128.load(mat, 48);
    for (let i = 0; i < count; i++) {
      v128.store(out + (<usize>i << 4), rotateSimd(c0, c1, c2, c3, vin + (<usize>i << 4)));
    }
  } else {
    for (let i = 0; i < count; i++) {
      const p = vin + (<usize>i << 4);
      const x = load<f32>(p), y = load<f32>(p, 4), z = load<f32>(p, 8), w = load<f32>(p, 12);
      const o = out + (<usize>i << 4);
      for (let r = 0; r < 4; r++) {
        const m = mat + (<usize>r << 2);
        store<f32>(o + (<usize>r << 2), load<f32>(m) * x + load<f32>(m, 16) * y + load<f32>(m, 32) * z + load<f32>(m, 48) * w);
      }
    }
  }
}

@inline function wOf(v: usize, i: u32): f32 {
  return load<f32>(v + (<usize>i << 4), 12);
}

/** Writes the point where edge (a, b) crosses the hyperplane (signed distances sa, sb) at o. */
@inline function cut(v: usize, a: u32, b: u32, sa: f32, sb: f32, o: usize): void {
  const t = sa / (sa - sb);
  const pa = v + (<usize>a << 4), pb = v + (<usize>b << 4);
  if (ASC_FEATURE_SIMD) {
    const A = v128.load(pa), B = v128.load(pb);
    const r = f32x4.add(A, f32x4.mul(f32x4.splat(t), f32x4.sub(B, A)));
    store<f32>(o, f32x4.extract_lane(r, 0));
    store<f32>(o, f32x4.extract_lane(r, 1), 4);
    store<f32>(o, f32x4.extract_lane(r, 2), 8);
  } else {
    store<f32>(o, load<f32>(pa) + t * (load<f32>(pb) - load<f32>(pa)));
    store<f32>(o, load<f32>(pa, 4) + t * (load<f32>(pb, 4) - load<f32>(pa, 4)), 4);
    store<f32>(o, load<f32>(pa, 8) + t * (load<f32>(pb, 8) - load<f32>(pa, 8)), 8);
  }
}

/** Tetrahedra (u32 x4 at tets) cut by w = c: 9 floats per triangle at out; returns the triangle count. */
export function sliceTetrahedra(v: usize, tets: usize, tetCount: i32, c: f32, out: usize): i32 {
  let n = 0;
  for (let t = 0; t < tetCount; t++) {
    const base = tets + (<usize>t << 4);
    // Split the four vertices into the positive side (w - c >= 0) and the negative side, in order.
    let p0: u32 = 0, p1: u32 = 0, n0: u32 = 0, n1: u32 = 0, np = 0, nn = 0;
    let all0: u32 = 0, all1: u32 = 0, all2: u32 = 0;
    for (let k = 0; k < 4; k++) {
      const i = load<u32>(base + (<usize>k << 2));
      if (wOf(v, i) - c >= 0) {
        if (np == 0) p0 = i; else if (np == 1) p1 = i; else if (np == 2) all0 = i; else all1 = i;
        np++;
      } else {
        if (nn == 0) n0 = i; else if (nn == 1) n1 = i; else if (nn == 2) all2 = i; else all1 = i;
        nn++;
      }
    }
    if (np == 0 || nn == 0) continue;
    const o = out + <usize>n * 36;
    if (np == 1) {
      // Apex p0; the negatives in order: n0, n1, all2.
      const sa = wOf(v, p0) - c;
      cut(v, p0, n0, sa, wOf(v, n0) - c, o);
      cut(v, p0, n1, sa, wOf(v, n1) - c, o + 12);
      cut(v, p0, all2, sa, wOf(v, all2) - c, o + 24);
      n++;
    } else if (nn == 1) {
      // Apex n0; the positives in order: p0, p1, all0.
      const sa = wOf(v, n0) - c;
      cut(v, n0, p0, sa, wOf(v, p0) - c, o);
      cut(v, n0, p1, sa, wOf(v, p1) - c, o + 12);
      cut(v, n0, all0, sa, wOf(v, all0) - c, o + 24);
      n++;
    } else {
      const s0 = wOf(v, p0) - c, s1 = wOf(v, p1) - c, r0 = wOf(v, n0) - c, r1 = wOf(v, n1) - c;
      cut(v, p0, n0, s0, r0, o);
      cut(v, p0, n1, s0, r1, o + 12);
      cut(v, p1, n1, s1, r1, o + 24);
      cut(v, p0, n0, s0, r0, o + 36);
      cut(v, p1, n1, s1, r1, o + 48);
      cut(v, p1, n0, s1, r0, o + 60);
      n += 2;
    }
  }
  return n;
}

/** Triangles (u32 x3 at tris) cut by w = c: 6 floats per segment at out; returns the segment count. */
export function sliceTriangles(v: usize, tris: usize, triCount: i32, c: f32, out: usize): i32 {
  let n = 0;
  for (let t = 0; t < triCount; t++) {
    const base = tris + <usize>t * 12;
    const a = load<u32>(base), b = load<u32>(base, 4), d = load<u32>(base, 8);
    const sa = wOf(v, a) - c, sb = wOf(v, b) - c, sd = wOf(v, d) - c;
    const pa = sa >= 0, pb = sb >= 0, pd = sd >= 0;
    if (pa == pb && pb == pd) continue;
    const o = out + <usize>n * 24;
    if (pa == pb) {
      cut(v, d, a, sd, sa, o);
      cut(v, d, b, sd, sb, o + 12);
    } else if (pa == pd) {
      cut(v, b, a, sb, sa, o);
      cut(v, b, d, sb, sd, o + 12);
    } else {
      cut(v, a, b, sa, sb, o);
      cut(v, a, d, sa, sd, o + 12);
    }
    n++;
  }
  return n;
}

/** Unit normal per triangle (9 floats each at tri), written for each of its 3 vertices at out. */
export function triangleNormals(tri: usize, count: i32, out: usize): void {
  for (let t = 0; t < count; t++) {
    const p = tri + <usize>t * 36;
    const ux = load<f32>(p, 12) - load<f32>(p), uy = load<f32>(p, 16) - load<f32>(p, 4), uz = load<f32>(p, 20) - load<f32>(p, 8);
    const vx = load<f32>(p, 24) - load<f32>(p), vy = load<f32>(p, 28) - load<f32>(p, 4), vz = load<f32>(p, 32) - load<f32>(p, 8);
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const len = sqrt<f32>(nx * nx + ny * ny + nz * nz);
    if (len > 1e-20) {
      const inv: f32 = 1 / len;
      nx *= inv; ny *= inv; nz *= inv;
    } else {
      nx = 0; ny = 0; nz = 0;
    }
    const o = out + <usize>t * 36;
    for (let k = 0; k < 3; k++) {
      store<f32>(o + <usize>k * 12, nx);
      store<f32>(o + <usize>k * 12, ny, 4);
      store<f32>(o + <usize>k * 12, nz, 8);
    }
  }
}
