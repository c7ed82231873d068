import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestHarness } from 'vib3-embed/sdk/testing';
import extension from '../dist/worker.js';

test('the 6,6-duoprism has 36 vertices and 72 edges, all of equal length', async () => {
  const mesh = await createTestHarness(extension).generate('duoprism', { p: 6, q: 6 });
  assert.equal(mesh.vertices.length / 4, 36);
  assert.equal(mesh.edges.length / 2, 72);
  const lengths = new Set();
  for (let e = 0; e < mesh.edges.length; e += 2) {
    let d2 = 0;
    for (let k = 0; k < 4; k++) d2 += (mesh.vertices[mesh.edges[e] * 4 + k] - mesh.vertices[mesh.edges[e + 1] * 4 + k]) ** 2;
    lengths.add(Math.sqrt(d2).toFixed(5));
  }
  assert.equal(lengths.size, 1);
});

test('every vertex lies on the unit 3-sphere (the Clifford torus)', async () => {
  const mesh = await createTestHarness(extension).generate('duoprism', { p: 5, q: 7 });
  for (let v = 0; v < mesh.vertices.length; v += 4) {
    const r = Math.hypot(mesh.vertices[v], mesh.vertices[v + 1], mesh.vertices[v + 2], mesh.vertices[v + 3]);
    assert.ok(Math.abs(r - 1) < 1e-6);
  }
});

test('duoprism_facts: Euler characteristic is 0 for every p, q', async () => {
  const h = createTestHarness(extension);
  for (const [p, q] of [[3, 3], [3, 4], [5, 11], [64, 64]]) {
    const r = await h.callTool('duoprism_facts', { p, q });
    assert.equal(r.structuredContent.eulerCharacteristic, 0);
    assert.equal(r.structuredContent.cells, p + q);
  }
});

test('show_duoprism publishes a mesh; bad sizes are refused by the schema', async () => {
  const h = createTestHarness(extension);
  await h.callTool('show_duoprism', { p: 4, q: 4 });
  assert.equal(h.meshes.length, 1);
  assert.equal(h.meshes[0].vertices.length / 4, 16);
  await assert.rejects(h.callTool('show_duoprism', { p: 2, q: 4 }), { code: 'INVALID_TOOL_INPUT' });
  await assert.rejects(h.generate('duoprism', { p: 3.5, q: 4 }), RangeError);
});
