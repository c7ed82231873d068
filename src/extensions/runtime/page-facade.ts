import { registerMesh, unregisterMesh } from '../../geometry/custom-meshes.js';
import type { Mesh4D } from '../../sdk/contract.js';
import { ExtensionError } from './errors.js';
import type { HostFacade } from './protocol.js';

/** The page side extensions may reach: the canvas, the mesh layer, logs and telemetry. */
export interface PageConnections {
  /**
   * The canvas extensions work with (a `<vib3-canvas>`): `rendering` reads and changes its
   * parameters; meshes a geometry extension publishes are shown in its mesh layer.
   */
  canvas?: { getParams(): object; setParams(partial: object): unknown; mesh?: string };
  /**
   * Receives meshes published by geometry extensions (`ctx.geometry.publish`). By default they are
   * registered as `<extension id>/published` and shown on `canvas`.
   */
  onMesh?(extensionId: string, mesh: Mesh4D): void;
  /** Receives log lines and telemetry. */
  onLog?(extensionId: string, args: unknown[]): void;
  onTelemetry?(extensionId: string, event: string, data?: Record<string, unknown>): void;
}

/**
 * Meshes extensions put into the page's mesh layer, by extension: registered as
 * `<extension id>/<shape>` after the kit's one mesh check, released with the extension.
 */
export class ExtensionMeshes {
  private readonly names = new Map<string, Set<string>>();

  /** Registers a mesh (after the kit's mesh check); throws INVALID_MESH for bad data. */
  register(id: string, shape: string, mesh: Mesh4D): `${string}/${string}` {
    const name = `${id}/${shape}` as const;
    try {
      registerMesh(name, { vertices: mesh.vertices, edges: mesh.edges, triangles: new Uint32Array(0), tetrahedra: mesh.cells ?? new Uint32Array(0) });
    } catch (err) {
      throw new ExtensionError('INVALID_MESH', `${id} produced an invalid mesh: ${(err as Error).message}`, 'Report it to the extension publisher.', id);
    }
    let set = this.names.get(id);
    if (!set) this.names.set(id, (set = new Set()));
    set.add(name);
    return name;
  }

  /** Unregisters every mesh of an extension. */
  release(id: string): void {
    for (const name of this.names.get(id) ?? []) unregisterMesh(name);
    this.names.delete(id);
  }
}

/**
 * What one extension may call on the page (each call already checked by the dispatcher: method
 * allowlist, grant, arguments, size, rate). Nothing else of the page is reachable.
 */
export function pageFacade(id: string, page: PageConnections, meshes: ExtensionMeshes, updateUi: () => void): HostFacade {
  return {
    log: (...args) => page.onLog?.(id, args),
    rendering: {
      getParams: () => ({ ...(page.canvas?.getParams() ?? {}) }) as Record<string, unknown>,
      setParams: (partial) => {
        const canvas = page.canvas;
        if (!canvas) return undefined;
        // The element reports why it refused through a synchronous vib3-error; keep its reason.
        let reason: { message?: unknown; suggestion?: unknown } | undefined;
        const target = canvas as Partial<EventTarget>;
        const listen = (e: Event) => (reason ??= (e as CustomEvent).detail);
        target.addEventListener?.('vib3-error', listen);
        let accepted: unknown;
        try {
          accepted = canvas.setParams({ ...partial });
        } finally {
          target.removeEventListener?.('vib3-error', listen);
        }
        if (accepted === false) {
          throw new ExtensionError('INVALID_ARGUMENTS', `The canvas refused the parameters: ${String(reason?.message ?? 'invalid value')}`, String(reason?.suggestion ?? 'Use the parameter names and ranges of <vib3-canvas> (finite numbers).'));
        }
        return { ...canvas.getParams() } as Record<string, unknown>;
      },
    },
    geometry: {
      publish: (mesh) => {
        if (page.onMesh) return page.onMesh(id, mesh);
        const name = meshes.register(id, 'published', mesh);
        if (page.canvas && 'mesh' in page.canvas) (page.canvas as { mesh: string }).mesh = name;
      },
    },
    telemetry: { track: (event, data) => page.onTelemetry?.(id, event, data) },
    ui: { update: updateUi },
  };
}
