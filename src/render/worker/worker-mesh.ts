/**
 * Worker side: one element's mesh layer. Projection mode draws the catalogue's mesh as it is
 * (synchronous); slice mode computes cross-sections with the geometry service right here in the
 * render worker (no nested worker: one geometry service per render worker, WASM kernels where the
 * page's CSP allows them, else the TypeScript ones), newer frames superseding older requests.
 * @module
 */
import { toVib3Error } from '../../core/errors.js';
import { isMeshName, meshByName } from '../../geometry/mesh-catalog.js';
import { createGeometryService, type GeometryService, type SliceResult } from '../../geometry/service.js';
import type { MeshUpdateDetail } from '../contract.js';
import { meshRotation, type FrameState, type MeshSpec } from '../frame-state.js';
import type { MeshOverlay } from '../three/mesh-layer.js';
import type { ElementEvent } from './protocol.js';

let service: GeometryService | undefined;

/** What an element's mesh layer reports (mesh updates, redraw requests, warnings). */
export type MeshEventSink = (event: ElementEvent) => void;

/** The mesh layer of one element in the render worker. */
export class WorkerMesh {
  private slice: { result: SliceResult; key: string } | undefined;
  private requested: string | undefined;
  private next: { spec: MeshSpec; frame: FrameState; key: string } | undefined;
  private running = false;
  private announced: SliceResult | undefined;
  private disposed = false;

  constructor(
    private readonly id: number,
    private readonly emit: MeshEventSink,
  ) {}

  /** The overlay to draw over this frame's lattice, if the element shows a mesh. */
  overlay(frame: FrameState): MeshOverlay | undefined {
    const spec = frame.mesh;
    if (!spec || !isMeshName(spec.name)) return undefined;
    const turned = { ...frame, rotation: meshRotation(frame) };
    if (spec.mode === 'projection') return { mode: 'projection', mesh: meshByName(spec.name), frame: turned };
    this.request(spec, turned);
    const current = this.slice;
    if (!current || !current.key.startsWith(`${spec.name}|`)) return undefined;
    if (this.announced !== current.result) {
      this.announced = current.result;
      const r = current.result;
      const detail: MeshUpdateDetail = { mesh: spec.name, mode: 'slice', sliceW: Number(current.key.split('|')[1]), triangles: r.triangleCount, segments: r.segmentCount, kernels: r.kernels, computeMs: r.computeMs };
      this.emit({ type: 'meshUpdate', id: this.id, detail });
    }
    return { mode: 'slice', slice: current.result, frame: turned };
  }

  private request(spec: MeshSpec, frame: FrameState): void {
    const r = frame.rotation;
    const key = `${spec.name}|${spec.sliceW}|${r.XY},${r.XZ},${r.YZ},${r.XW},${r.YW},${r.ZW}`;
    if (key === this.requested) return;
    this.requested = key;
    this.next = { spec, frame, key };
    if (!this.running) void this.pump();
  }

  /** Computes the newest request, then the one that replaced it meanwhile, if any. */
  private async pump(): Promise<void> {
    this.running = true;
    service ??= createGeometryService();
    try {
      while (this.next && !this.disposed) {
        const job = this.next;
        this.next = undefined;
        try {
          const result = await service.slice({ mesh: job.spec.name as never, rotation: job.frame.rotation, offset: job.spec.sliceW });
          if (this.disposed) return;
          this.slice = { result, key: job.key };
          if (!this.next) this.emit({ type: 'invalidate', id: this.id });
        } catch (err) {
          // Ask again on the next frame.
          this.requested = undefined;
          this.emit({ type: 'warning', id: this.id, error: toVib3Error(err, 'GEOMETRY_WORKER_FAILED', 'Nothing to do if it happens once.').toDetail() });
        }
      }
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.next = undefined;
  }
}
