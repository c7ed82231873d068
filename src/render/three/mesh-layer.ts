import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  DynamicDrawUsage,
  LineBasicNodeMaterial,
  LineSegments,
  Mesh,
  MeshBasicNodeMaterial,
  PerspectiveCamera,
  Scene,
  type WebGPURenderer,
} from 'three/webgpu';
import { attribute, positionLocal, normalize } from 'three/tsl';
import { Fn, vec3, vec4, abs, dot, mix, type Node } from './tsl/loose.js';
import { makeRotate4, project4 } from './tsl/rotation.js';
import { palette } from './tsl/palette.js';
import { applyFrame, createVisualUniforms, type VisualUniforms } from './tsl/uniforms.js';
import type { Mesh4 } from '../../geometry/mesh4.js';
import type { SliceResult } from '../../geometry/service.js';
import type { FrameState } from '../frame-state.js';

/** What the mesh layer draws over one element's lattice. */
export type MeshOverlay =
  | { mode: 'projection'; mesh: Mesh4; frame: FrameState }
  | { mode: 'slice'; slice: SliceResult; frame: FrameState };

/** Camera distance and field of view: a unit-radius mesh projected with d = 3.5 fits the view. */
const CAMERA_Z = 3.6;
const FOV = 45;
/**
 * The mesh is drawn in the complement of the element's hue (+180° on the CSS colour wheel, in
 * turns) so it stands out from the lattice: hue 0 (red lattice) gives a cyan mesh.
 */
export const MESH_HUE_OFFSET = 0.5;

/**
 * The mesh layer: drawn over an element's lattice in the same viewport and canvas. Projection
 * mode uploads each mesh's edges once (xyzw) and rotates + projects them in the vertex shader
 * with the element's rotation; slice mode streams each frame's cross-section (triangles with
 * normals, plus outline segments) computed by the geometry workers.
 */
export class MeshLayer {
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(FOV, 1, 0.1, 20);
  /** Uniforms of the mesh layer (its rotation includes the mesh's slow turn). */
  private readonly u: VisualUniforms = createVisualUniforms();
  private readonly edges = new WeakMap<Mesh4, BufferGeometry>();
  private readonly built = new Set<BufferGeometry>();
  private readonly projected: LineSegments;
  private readonly cut: Mesh;
  private readonly outline: LineSegments;

  constructor() {
    this.camera.position.set(0, 0, CAMERA_Z);
    this.camera.lookAt(0, 0, 0);
    const u = this.u;
    const rotate4 = makeRotate4(u);
    const base = palette(u.hue.add(MESH_HUE_OFFSET), u.saturation);
    const bright = mix(base, vec3(1), 0.45);

    const lineMaterial = new LineBasicNodeMaterial();
    lineMaterial.positionNode = Fn(() => project4(rotate4(vec4(positionLocal, attribute('w', 'float'))), u.projection))();
    lineMaterial.colorNode = vec4(bright.mul(u.intensity.mul(0.8).add(0.6)), 1);
    lineMaterial.depthTest = false;
    this.projected = new LineSegments(new BufferGeometry(), lineMaterial);
    this.projected.frustumCulled = false;

    const cutMaterial = new MeshBasicNodeMaterial({ side: DoubleSide });
    const light = normalize(vec3(0.4, 0.7, 0.6));
    const shade = abs(dot(normalize(attribute('normal', 'vec3') as Node), light)).mul(0.65).add(0.35);
    cutMaterial.colorNode = vec4(base.mul(shade).mul(u.intensity.mul(0.8).add(0.6)), 1);
    this.cut = new Mesh(dynamicGeometry(['position', 'normal']), cutMaterial);
    this.cut.frustumCulled = false;

    const outlineMaterial = new LineBasicNodeMaterial();
    outlineMaterial.colorNode = vec4(bright, 1);
    outlineMaterial.depthTest = false;
    this.outline = new LineSegments(dynamicGeometry(['position']), outlineMaterial);
    this.outline.frustumCulled = false;

    this.scene.add(this.projected, this.cut, this.outline);
  }

  /** Draws the overlay into the renderer's current viewport (w x h pixels). */
  render(renderer: WebGPURenderer, overlay: MeshOverlay, w: number, h: number): void {
    applyFrame(this.u, overlay.frame);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    const projection = overlay.mode === 'projection';
    this.projected.visible = projection;
    if (overlay.mode === 'projection') {
      this.projected.geometry = this.edgeGeometry(overlay.mesh);
      this.cut.visible = this.outline.visible = false;
    } else {
      const s = overlay.slice;
      // An empty section (the hyperplane misses the mesh) draws nothing at all.
      this.cut.visible = s.triangleCount > 0;
      this.outline.visible = s.segmentCount > 0;
      if (!this.cut.visible && !this.outline.visible) return;
      fill(this.cut.geometry, 'position', s.triangles, s.triangleCount * 3);
      fill(this.cut.geometry, 'normal', s.normals, s.triangleCount * 3);
      fill(this.outline.geometry, 'position', s.segments, s.segmentCount * 2);
    }
    renderer.clearDepth();
    renderer.render(this.scene, this.camera);
  }

  /** The mesh's edges as line-segment endpoints: xyz in `position`, w in `w` (built once per mesh). */
  private edgeGeometry(mesh: Mesh4): BufferGeometry {
    let g = this.edges.get(mesh);
    if (!g) {
      const n = mesh.edges.length;
      const xyz = new Float32Array(n * 3);
      const w = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = mesh.edges[i]! * 4;
        xyz[i * 3] = mesh.vertices[v]!;
        xyz[i * 3 + 1] = mesh.vertices[v + 1]!;
        xyz[i * 3 + 2] = mesh.vertices[v + 2]!;
        w[i] = mesh.vertices[v + 3]!;
      }
      g = new BufferGeometry();
      g.setAttribute('position', new BufferAttribute(xyz, 3));
      g.setAttribute('w', new BufferAttribute(w, 1));
      this.edges.set(mesh, g);
      this.built.add(g);
    }
    return g;
  }

  dispose(): void {
    for (const g of this.built) g.dispose();
    this.cut.geometry.dispose();
    this.outline.geometry.dispose();
    (this.projected.material as LineBasicNodeMaterial).dispose();
    (this.cut.material as MeshBasicNodeMaterial).dispose();
    (this.outline.material as LineBasicNodeMaterial).dispose();
  }
}

function dynamicGeometry(names: string[]): BufferGeometry {
  const g = new BufferGeometry();
  for (const name of names) g.setAttribute(name, new BufferAttribute(new Float32Array(3 * 3), 3).setUsage(DynamicDrawUsage));
  g.setDrawRange(0, 0);
  return g;
}

/** Copies `count` xyz vertices into a dynamic attribute, growing it (doubling) when too small. */
function fill(g: BufferGeometry, name: string, data: Float32Array, count: number): void {
  let attr = g.getAttribute(name) as BufferAttribute;
  if (attr.count < count) {
    let size = attr.count;
    while (size < count) size *= 2;
    attr = new BufferAttribute(new Float32Array(size * 3), 3).setUsage(DynamicDrawUsage);
    g.setAttribute(name, attr);
  }
  (attr.array as Float32Array).set(data.subarray(0, count * 3));
  attr.clearUpdateRanges();
  attr.addUpdateRange(0, count * 3);
  attr.needsUpdate = true;
  g.setDrawRange(0, count);
}
