import type { BackendKind } from '../contract.js';
import { SharedRenderer, type SharedRendererOptions } from './shared-renderer.js';

/** The page's shared renderers: one per backend, created on first use, released a while after their last element. */
const shared = new Map<BackendKind, Promise<SharedRenderer>>();
const pendingRelease = new Map<BackendKind, ReturnType<typeof setTimeout>>();

/** How long an unused shared renderer is kept, so re-attaching elements skips shader compilation. */
export const IDLE_RELEASE_MS = 4000;

/**
 * The page's (or the render worker's) shared renderer for a backend, created on first use with
 * `options` (the render worker asks for `{ offscreen: true }`).
 */
export function acquireSharedRenderer(backend: BackendKind, options: SharedRendererOptions = {}): Promise<SharedRenderer> {
  clearTimeout(pendingRelease.get(backend));
  pendingRelease.delete(backend);
  let entry = shared.get(backend);
  if (!entry) {
    const r = new SharedRenderer(backend, options);
    entry = r.init().then(() => r);
    entry.catch(() => shared.delete(backend));
    shared.set(backend, entry);
  }
  return entry;
}

/** Drops a shared renderer a little while after its last element detached. */
export function releaseSharedRenderer(renderer: SharedRenderer): void {
  if (renderer.viewCount > 0) return;
  clearTimeout(pendingRelease.get(renderer.backend));
  pendingRelease.set(
    renderer.backend,
    setTimeout(() => {
      pendingRelease.delete(renderer.backend);
      if (renderer.viewCount > 0 || !shared.has(renderer.backend)) return;
      shared.delete(renderer.backend);
      renderer.dispose();
    }, IDLE_RELEASE_MS),
  );
}

/** Shared renderers that exist right now (diagnostics / tests). */
export async function sharedRenderers(): Promise<SharedRenderer[]> {
  const out: SharedRenderer[] = [];
  for (const p of shared.values()) {
    try {
      out.push(await p);
    } catch {
      /* failed init: not a live renderer */
    }
  }
  return out;
}
