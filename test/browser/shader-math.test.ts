import { expect } from '@esm-bundle/chai';
import { WebGPURenderer, NodeMaterial, QuadMesh, RenderTarget, FloatType, RGBAFormat, NearestFilter } from 'three/webgpu';
import { vec4, screenCoordinate } from 'three/tsl';
import { env } from './helpers.js';
import { createVisualUniforms, applyFrame } from '../../src/render/three/tsl/uniforms.js';
import { makeRotate4, project4 } from '../../src/render/three/tsl/rotation.js';
import { palette } from '../../src/render/three/tsl/palette.js';
import type { Node } from '../../src/render/three/tsl/loose.js';
import { paletteRgb } from '../../src/core/palette.js';
import { rotate4D, type Vec4 } from '../../src/core/rotation.js';
import { projectPerspective } from '../../src/core/projection.js';
import { buildFrameState } from '../../src/render/frame-state.js';
import { defaultParams } from '../../src/core/params.js';

const W = 16, H = 8;
/** The 4D input point of pixel (x, y): the same formula on CPU and GPU (exact in f32). */
const inputOf = (x: number, y: number): Vec4 => [x * 0.25 - 2, y * 0.375 - 1.5, (x + y) * 0.125 - 1, (x - y) * 0.0625];

/** Renders `build(p4)` for every pixel into a float target and returns the RGBA floats. */
async function gpuEval(renderer: WebGPURenderer, output: (p: unknown) => unknown): Promise<Float32Array> {
  const target = new RenderTarget(W, H, { type: FloatType, format: RGBAFormat, minFilter: NearestFilter, magFilter: NearestFilter, depthBuffer: false });
  const material = new NodeMaterial();
  const px = screenCoordinate.xy.sub(0.5).floor(); // integer pixel coordinates, y down
  const p = vec4(px.x.mul(0.25).sub(2), px.y.mul(0.375).sub(1.5), px.x.add(px.y).mul(0.125).sub(1), px.x.sub(px.y).mul(0.0625));
  material.fragmentNode = output(p) as never;
  const quad = new QuadMesh(material);
  renderer.setRenderTarget(target);
  quad.render(renderer);
  renderer.setRenderTarget(null);
  const data = (await renderer.readRenderTargetPixelsAsync(target, 0, 0, W, H)) as Float32Array;
  target.dispose();
  material.dispose();
  return data;
}

describe(`shader math == CPU math (${env.expectedBackend}): geometry to 1e-5, palette to 2^-11`, () => {
  let renderer: WebGPURenderer;
  before(async () => {
    renderer = new WebGPURenderer({ forceWebGL: env.expectedBackend === 'webgl2' });
    await renderer.init();
  });
  after(() => renderer.dispose());

  const params = { ...defaultParams(), rot4dXY: 0.3, rot4dXZ: -1.1, rot4dYZ: 2.2, rot4dXW: 0.7, rot4dYW: -0.45, rot4dZW: 1.6, dimension: 3.8 };
  const frame = buildFrameState({ params, timeMs: 0, width: W, height: H });

  /** Rows in render targets may come back bottom-up on WebGL; find the row order that matches. */
  function check(data: Float32Array, expectedOf: (x: number, y: number) => number[], components: number) {
    let worst = Infinity;
    for (const flip of [false, true]) {
      let maxErr = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const row = flip ? H - 1 - y : y;
          const exp = expectedOf(x, y);
          for (let c = 0; c < components; c++) {
            const got = data[(row * W + x) * 4 + c]!;
            maxErr = Math.max(maxErr, Math.abs(got - exp[c]!) / Math.max(1, Math.abs(exp[c]!)));
          }
        }
      }
      worst = Math.min(worst, maxErr);
    }
    return worst;
  }

  it('4D rotation (all six planes, DESIGN order) agrees', async () => {
    const u = createVisualUniforms();
    applyFrame(u, frame);
    const rotate4 = makeRotate4(u);
    const data = await gpuEval(renderer, (p) => rotate4(p));
    const err = check(data, (x, y) => rotate4D(inputOf(x, y), frame.rotation), 4);
    expect(err, 'max relative error').to.be.below(1e-5);
  });

  it('rotation + perspective projection agrees', async () => {
    const u = createVisualUniforms();
    applyFrame(u, frame);
    const rotate4 = makeRotate4(u);
    const data = await gpuEval(renderer, (p) => vec4(project4(rotate4(p), u.projection), 1));
    const err = check(data, (x, y) => projectPerspective(rotate4D(inputOf(x, y), frame.rotation), frame.projectionDistance), 3);
    expect(err, 'max relative error').to.be.below(1e-5);
  });

  it('palette (CSS hue wheel, saturation toward grey) agrees, for h below 0 and above 1 too', async () => {
    // h = .75·p.x + .125·p.y spans -1.7..1.5 turns over the grid; saturation .2..0.9 by row.
    const hOf = (x: number, y: number) => (x * 0.25 - 2) * 0.75 + (y * 0.375 - 1.5) * 0.125;
    const satOf = (y: number) => 0.2 + y * 0.1;
    const data = await gpuEval(renderer, (p: Node) => {
      const row = p.y.add(1.5).div(0.375);
      return vec4(palette(p.x.mul(0.75).add(p.y.mul(0.125)), row.mul(0.1).add(0.2)), 1);
    });
    const err = check(data, (x, y) => paletteRgb(hOf(x, y), satOf(y)), 3);
    // Not 1e-5: GPU cosines are only accurate to 2^-11 (WGSL's bound on [-π, π]; SwiftShader's error
    // here is ~1.7e-4). Still 8x finer than one 8-bit colour step, and the old palette is off by ~1.
    expect(err, 'max error').to.be.below(2 ** -11);
  });

  it('the check can fail: a wrong rotation order is detected', async () => {
    const u = createVisualUniforms();
    applyFrame(u, frame);
    const rotate4 = makeRotate4(u);
    const data = await gpuEval(renderer, (p) => rotate4(p));
    const r = frame.rotation;
    // Apply the planes in reverse order on the CPU: must disagree.
    const reversed = (p: Vec4) => {
      let q = p;
      for (const plane of ['ZW', 'YW', 'XW', 'YZ', 'XZ', 'XY'] as const) q = rotate4D(q, { XY: 0, XZ: 0, YZ: 0, XW: 0, YW: 0, ZW: 0, [plane]: r[plane] });
      return q;
    };
    expect(check(data, (x, y) => reversed(inputOf(x, y)), 4)).to.be.above(1e-2);
  });
});
