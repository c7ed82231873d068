/**
 * Worker side: one element's mesh layer. Projection mode draws the catalogue's mesh as it is
 * (synchronous); slice mode computes cross-sections with the geometry service right here in the
 * render worker (no nested worker: one geometry service per render worker, WASM kernels where the
 * page's CSP allows them, else the TypeScript ones), newer frames superseding older requests.
 * @module
 */
import { toVib3Error } from '../../core/errors.js';
import { createGeometryService, type GeometryService } from '../../geometry/service.js';
import type { FrameState, MeshSpec } from '../frame-state.js';
import type { MeshOverlay } from '../three/mesh-layer.js';
import { MeshOverlayTracker } from '../three/mesh-overlay.js';
import type { ElementEvent } from './protocol.js';

let service: GeometryService | undefined;

/** What an element's mesh layer reports (mesh updates, redraw requests, warnings). */
export type MeshEventSink = (event: ElementEvent) => void;

/** The mesh layer of one element in the render worker. */
export class WorkerMesh {
  private readonly tracker: MeshOverlayTracker;
  /** The newest request not yet computed (a newer one replaces it). */
  private next: { spec: MeshSpec; frame: FrameState; key: string } | undefined;
  private running = false;
  private disposed = false;

  constructor(
    private readonly id: number,
    private readonly emit: MeshEventSink,
  ) {
    this.tracker = new MeshOverlayTracker(
      (spec, frame, key) => this.request(spec, frame, key),
      (detail) => this.emit({ type: 'meshUpdate', id: this.id, detail }),
    );
  }

  /** The overlay to draw over this frame's lattice, if the element shows a mesh. */
  overlay(frame: FrameState): MeshOverlay | undefined {
    return this.tracker.overlay(frame);
  }

  private request(spec: MeshSpec, frame: FrameState, key: string): void {
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
          this.tracker.received(result, job.key);
          if (!this.next) this.emit({ type: 'invalidate', id: this.id });
        } catch (err) {
          // Ask again on the next frame.
          this.tracker.retry();
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
