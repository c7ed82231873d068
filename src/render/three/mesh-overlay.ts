import { isMeshName, meshByName } from '../../geometry/mesh-catalog.js';
import type { SliceResult } from '../../geometry/service.js';
import type { MeshUpdateDetail } from '../contract.js';
import { meshRotation, type FrameState, type MeshSpec } from '../frame-state.js';
import type { MeshOverlay } from './mesh-layer.js';

/** How a view asks for the cross-section of `spec` at `frame` (answered later with {@link MeshOverlayTracker.received}). */
export type SliceRequester = (spec: MeshSpec, frame: FrameState, key: string) => void;

/**
 * One element's mesh layer, whoever computes its slices (the page's geometry workers on the main
 * thread, the geometry service inside the render worker): the overlay of each frame, a slice
 * request only when the rotation or offset changed, and one `vib3-mesh-update` per new slice drawn.
 */
export class MeshOverlayTracker {
  /** The newest cross-section received, and the request it answered. */
  private slice: { result: SliceResult; key: string } | undefined = undefined;
  /** The request last sent (so an unchanged frame sends none). */
  private requested: string | undefined = undefined;
  private announced: SliceResult | undefined = undefined;

  constructor(
    private readonly request: SliceRequester,
    private readonly announce: (detail: MeshUpdateDetail) => void,
  ) {}

  /** The overlay to draw over this frame's lattice, if the element shows a mesh. */
  overlay(frame: FrameState): MeshOverlay | undefined {
    const spec = frame.mesh;
    if (!spec || !isMeshName(spec.name)) return undefined;
    const turned = { ...frame, rotation: meshRotation(frame) };
    if (spec.mode === 'projection') return { mode: 'projection', mesh: meshByName(spec.name), frame: turned };
    const r = turned.rotation;
    const key = `${spec.name}|${spec.sliceW}|${r.XY},${r.XZ},${r.YZ},${r.XW},${r.YW},${r.ZW}`;
    if (key !== this.requested) {
      this.requested = key;
      this.request(spec, turned, key);
    }
    const current = this.slice;
    if (!current || !current.key.startsWith(`${spec.name}|`)) return undefined;
    if (this.announced !== current.result) {
      this.announced = current.result;
      const s = current.result;
      this.announce({ mesh: spec.name, mode: 'slice', sliceW: Number(current.key.split('|')[1]), triangles: s.triangleCount, segments: s.segmentCount, kernels: s.kernels, computeMs: s.computeMs });
    }
    return { mode: 'slice', slice: current.result, frame: turned };
  }

  /** A requested cross-section arrived. */
  received(result: SliceResult, key: string): void {
    this.slice = { result, key };
  }

  /** The last request failed: ask again on the next frame. */
  retry(): void {
    this.requested = undefined;
  }
}
