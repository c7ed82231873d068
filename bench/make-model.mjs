// Writes bench/assets/cube.gltf: a small glTF 2.0 model (a bevel-free cube, 24 vertices with
// normals, 12 triangles, one PBR material), buffer embedded as a data URI. No dependencies.
import { mkdirSync, writeFileSync } from 'node:fs';

export function makeCubeGltf() {
  const faces = [
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[-1, 0, 0], [0, 1, 0], [0, 0, -1]],
    [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, -1, 0], [0, 0, -1], [1, 0, 0]],
    [[0, 0, 1], [1, 0, 0], [0, 1, 0]], [[0, 0, -1], [-1, 0, 0], [0, 1, 0]],
  ];
  const positions = [];
  const normals = [];
  const indices = [];
  faces.forEach(([n, u, v], f) => {
    for (const [a, b] of [[-1, -1], [1, -1], [1, 1], [-1, 1]]) {
      positions.push(...n.map((x, i) => (x + u[i] * a + v[i] * b) * 0.5));
      normals.push(...n);
    }
    const o = f * 4;
    indices.push(o, o + 1, o + 2, o, o + 2, o + 3);
  });
  const pos = new Float32Array(positions);
  const nor = new Float32Array(normals);
  const idx = new Uint16Array(indices);
  const bytes = new Uint8Array(pos.byteLength + nor.byteLength + idx.byteLength);
  bytes.set(new Uint8Array(pos.buffer), 0);
  bytes.set(new Uint8Array(nor.buffer), pos.byteLength);
  bytes.set(new Uint8Array(idx.buffer), pos.byteLength + nor.byteLength);
  return {
    asset: { version: '2.0', generator: 'vib3 bench/make-model.mjs' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0 }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0, NORMAL: 1 }, indices: 2, material: 0 }] }],
    materials: [{ pbrMetallicRoughness: { baseColorFactor: [0.27, 0.71, 0.94, 1], metallicFactor: 0.1, roughnessFactor: 0.5 } }],
    buffers: [{ byteLength: bytes.byteLength, uri: `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}` }],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: pos.byteLength, target: 34962 },
      { buffer: 0, byteOffset: pos.byteLength, byteLength: nor.byteLength, target: 34962 },
      { buffer: 0, byteOffset: pos.byteLength + nor.byteLength, byteLength: idx.byteLength, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 24, type: 'VEC3', min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] },
      { bufferView: 1, componentType: 5126, count: 24, type: 'VEC3' },
      { bufferView: 2, componentType: 5123, count: 36, type: 'SCALAR' },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(new URL('./assets/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./assets/cube.gltf', import.meta.url), JSON.stringify(makeCubeGltf()));
}
