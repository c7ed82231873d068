// The kit's canvas pack on a real <vib3-canvas>, through the page ToolRegistry: parameters and
// rotation land on the element, bad input never reaches it, reset waits for approval, and
// render_snapshot returns a real PNG whose pixels show the requested colours.
import { expect } from '@esm-bundle/chai';
import { mount, cleanup, env } from './helpers.js';
import { ToolRegistry } from '../../src/agent/registry/tool-registry.js';
import { canvasTools } from '../../src/agent/canvas/canvas-tools.js';
import type { ToolCallResult } from '../../src/agent/registry/types.js';
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';

const errorCode = (r: ToolCallResult) => (r.structuredContent?.['error'] as { code: string } | undefined)?.code;

/** Decodes a base64 PNG and returns the mean of each channel. */
async function pngChannelMeans(base64: string): Promise<{ width: number; height: number; means: [number, number, number] }> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  expect([...bytes.subarray(0, 8)], 'PNG signature').to.deep.equal([137, 80, 78, 71, 13, 10, 26, 10]);
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const c = document.createElement('canvas');
  c.width = bitmap.width;
  c.height = bitmap.height;
  const ctx = c.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const img = ctx.getImageData(0, 0, c.width, c.height);
  const sum = [0, 0, 0];
  for (let i = 0; i < img.data.length; i += 4) for (let k = 0; k < 3; k++) sum[k]! += img.data[i + k]!;
  const n = img.data.length / 4;
  return { width: c.width, height: c.height, means: sum.map((s) => s / n) as [number, number, number] };
}

describe(`canvas tools on a real canvas (${env.flagSet} flags, ${env.expectedBackend})`, () => {
  let el: Vib3Canvas;
  let registry: ToolRegistry;
  let approvals: string[];
  let approve: boolean;

  beforeEach(async () => {
    ({ el } = await mount({ system: 'faceted', geometry: 1, saturation: 1, intensity: 0.5, time: 1500 }, [64, 48]));
    el.paused = true;
    approvals = [];
    approve = false;
    registry = new ToolRegistry({ approve: ({ tool, caller }) => (approvals.push(`${tool.name}:${caller}`), approve) });
    registry.add(canvasTools(el));
  });
  afterEach(cleanup);

  it('lists the nine canvas tools', () => {
    expect(registry.list().map((t) => t.name)).to.deep.equal(['set_params', 'get_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset', 'list_geometries', 'describe_geometry', 'render_snapshot']);
  });

  it('set_params and set_rotation change the element; get_params reads it back', async () => {
    const set = await registry.call('set_params', { system: 'holographic', hue: 280 });
    expect(set.isError, JSON.stringify(set)).to.equal(undefined);
    expect([el.system, el.hue]).to.deep.equal(['holographic', 280]);
    expect((set.structuredContent!['changed'] as string[]).sort()).to.deep.equal(['hue', 'system']);
    await registry.call('set_rotation', { xw: 0.8, zw: -0.4 });
    expect([el.rot4dXW, el.rot4dZW]).to.deep.equal([0.8, -0.4]);
    const got = await registry.call('get_params', {});
    expect((got.structuredContent!['params'] as Record<string, unknown>)['rot4dXW']).to.equal(0.8);
  });

  it('input outside the schema never reaches the element', async () => {
    const before = el.getParams();
    for (const bad of [{ hue: 400 }, { system: 'plasma' }, { geometry: 2.5 }, {}, { hue: 10, colour: 'red' }]) {
      const r = await registry.call('set_params', bad);
      expect(errorCode(r), JSON.stringify(bad)).to.equal('INVALID_TOOL_INPUT');
    }
    expect(el.getParams()).to.deep.equal(before);
  });

  it('set_mesh, set_theme, list_geometries and describe_geometry', async () => {
    const mesh = await registry.call('set_mesh', { mesh: 'tesseract', mode: 'slice', sliceW: 0.25 });
    expect(mesh.structuredContent).to.deep.equal({ mesh: 'tesseract', mode: 'slice', sliceW: 0.25 });
    expect([el.mesh, el.meshMode, el.sliceW]).to.deep.equal(['tesseract', 'slice', 0.25]);
    const theme = await registry.call('set_theme', { theme: 'no-such-pack' });
    expect(errorCode(theme)).to.equal('UNKNOWN_THEME');
    expect(el.theme).to.equal('');
    const list = await registry.call('list_geometries', {});
    expect((list.structuredContent!['geometries'] as unknown[]).length).to.equal(24);
    const one = await registry.call('describe_geometry', { geometry: 9 });
    expect(one.structuredContent!['geometry']).to.include({ index: 9, base: 1, core: 1, coreName: 'hypersphere' });
  });

  it('reset asks for approval; a denial leaves the element as it was', async () => {
    await registry.call('set_params', { hue: 30 });
    const denied = await registry.call('reset', {}, { caller: 'mcp' });
    expect(errorCode(denied)).to.equal('APPROVAL_DENIED');
    expect(el.hue).to.equal(30);
    approve = true;
    const done = await registry.call('reset', {});
    expect(done.isError).to.equal(undefined);
    expect(el.hue).to.equal(200);
    expect(approvals).to.deep.equal(['reset:mcp', 'reset:page']);
  });

  it("render_snapshot returns a PNG of the requested size showing the requested hue's colour", async () => {
    for (const [hue, channel] of [[0, 0], [240, 2]] as const) {
      await registry.call('set_params', { hue });
      const shot = await registry.call('render_snapshot', { width: 64, height: 48 });
      expect(shot.isError, JSON.stringify(shot.structuredContent)).to.equal(undefined);
      const image = shot.content.find((c) => c.type === 'image') as { data: string; mimeType: string };
      expect(image.mimeType).to.equal('image/png');
      const { width, height, means } = await pngChannelMeans(image.data);
      expect([width, height]).to.deep.equal([64, 48]);
      expect(means.indexOf(Math.max(...means)), `hue ${hue}: mean rgb ${means.map((m) => m.toFixed(1))}`).to.equal(channel);
      expect(shot.structuredContent).to.include({ width: 64, height: 48, mimeType: 'image/png', backend: el.activeBackend });
      expect(shot.structuredContent!['bytes']).to.equal(atob(image.data).length);
    }
  });
});
