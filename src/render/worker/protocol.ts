/**
 * The messages between the page and its render worker (`workers/render-worker.ts`). One worker
 * draws every element of the page that renders off the main thread; each element is an `id`.
 * Everything here is structured-clonable; the element's OffscreenCanvas is transferred once, in
 * {@link AttachMessage}.
 * @module
 */
import type { Vib3ErrorDetail } from '../../core/errors.js';
import type { Mesh4 } from '../../geometry/mesh4.js';
import type { BackendKind, MeshUpdateDetail, RendererPreference } from '../contract.js';
import type { FrameState } from '../frame-state.js';

/** Hands an element's canvas (from `transferControlToOffscreen()`) to the worker. */
export interface AttachMessage {
  type: 'attach';
  id: number;
  canvas: OffscreenCanvas;
  preference: RendererPreference;
}

/** One element's frame in a {@link FramesMessage}; `frame.width` x `frame.height` is its drawing-buffer size. */
export interface FrameItem {
  id: number;
  frame: FrameState;
}

/** Every element's newest frame, posted once per page frame (the worker draws them, then flushes once). */
export interface FramesMessage {
  type: 'frames';
  /** Sequence number, acknowledged by {@link DrawnMessage} (back-pressure: the page keeps few in flight). */
  seq: number;
  frames: FrameItem[];
  /**
   * Answer only once the frames are on screen (an element's first frame: `vib3-ready` means a
   * frame is shown). The worker waits for its next animation frames, by which the canvases'
   * frames were committed to the page.
   */
  presented?: boolean;
}

/** The element left: its canvas and resources are released. */
export interface DetachMessage {
  type: 'detach';
  id: number;
}

/** Renders one frame at `frame.width` x `frame.height` into a canvas of its own and encodes it. */
export interface SnapshotRequest {
  type: 'snapshot';
  id: number;
  /** Request number, echoed in the reply. */
  req: number;
  frame: FrameState;
  mime: string;
  quality?: number;
}

/** A custom mesh (registered on the page) the worker needs for the mesh layer. */
export interface DefineMeshMessage {
  type: 'defineMesh';
  mesh: Mesh4;
}

/**
 * The worker draws element `id` on its own animation frames from `frame` on, advancing its clock
 * with wall time (the element animates and nothing else changes it), until a {@link FramesMessage}
 * with a frame of `id`, a {@link StopMessage} or a {@link DetachMessage}. The page then posts
 * nothing per frame for it. Needs `requestAnimationFrame` in the worker ({@link ReadyMessage}).
 */
export interface RunMessage {
  type: 'run';
  id: number;
  /** The element's frame now (no mesh layer). */
  frame: FrameState;
  /** When `frame.timeMs` was the element's time: ms since the epoch (`performance.timeOrigin + now`). */
  atMs: number;
}

/** The worker stops drawing element `id` on its own (it left the screen); the page draws it again when needed. */
export interface StopMessage {
  type: 'stop';
  id: number;
}

/** The page was hidden or shown again: elements the worker draws on its own wait while it is hidden. */
export interface VisibilityMessage {
  type: 'visibility';
  hidden: boolean;
}

/** Tests only: loses the worker's GPU device / GL contexts (as a driver reset would). */
export interface LoseContextMessage {
  type: 'loseContext';
}

/** What the page sends to its render worker. */
export type ToWorker = AttachMessage | FramesMessage | RunMessage | StopMessage | VisibilityMessage | DetachMessage | SnapshotRequest | DefineMeshMessage | LoseContextMessage;

/** The worker script runs (sent once, first). */
export interface ReadyMessage {
  type: 'ready';
  /** The worker has `requestAnimationFrame`: it can draw elements on its own ({@link RunMessage}). */
  animationFrames: boolean;
}

/**
 * Frames the worker drew on its own since its last report, per element (sent about every
 * {@link RAN_REPORT_MS} while it draws, and at once for an element whose run ended).
 */
export interface RanMessage {
  type: 'ran';
  /** `[id, frames drawn]` pairs. */
  frames: [number, number][];
  /** Periodic reports: median time the worker spent drawing one of its frames, ms. */
  drawMs?: number;
  /** Periodic reports: median interval between its animation frames, ms. */
  intervalMs?: number;
}

/** How often the worker reports the frames it drew on its own, ms. */
export const RAN_REPORT_MS = 250;

/** A {@link FramesMessage} was drawn. */
export interface DrawnMessage {
  type: 'drawn';
  seq: number;
  /** Worker time spent drawing the batch (draws and the copies of its flush), ms. */
  ms: number;
}

/** Per-element events from the worker. */
export type ElementEvent =
  | { type: 'attached'; id: number; backend: BackendKind }
  /** The element's renderer could not start in the worker (the page falls back to the main thread). */
  | { type: 'failed'; id: number; error: Vib3ErrorDetail }
  | { type: 'lost'; id: number; reason: string }
  | { type: 'restored'; id: number; backend: BackendKind }
  /** Recovery failed, or drawing threw: the element gives up (fallback slot). */
  | { type: 'error'; id: number; error: Vib3ErrorDetail }
  /** A problem the element survives (e.g. a mesh slice failed). */
  | { type: 'warning'; id: number; error: Vib3ErrorDetail }
  | { type: 'meshUpdate'; id: number; detail: MeshUpdateDetail }
  /** Asynchronous input arrived (a mesh slice): the element should draw again. */
  | { type: 'invalidate'; id: number }
  | { type: 'snapshot'; id: number; req: number; blob?: Blob; error?: Vib3ErrorDetail };

/** What the render worker sends to the page. */
export type FromWorker = ReadyMessage | DrawnMessage | RanMessage | ElementEvent;
