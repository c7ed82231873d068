import type { FrameState } from './frame-state.js';

/** Backends a renderer can run on. */
export type BackendKind = 'webgpu' | 'webgl2';
/** What draws an element: a GPU backend, or an extension renderer (pixels from its sandbox). */
export type ActiveBackend = BackendKind | 'extension';
/** What the element asks for: `auto` prefers WebGPU and falls back to WebGL2. */
export type RendererPreference = 'auto' | BackendKind;
/**
 * How an element's frames reach its visible canvas:
 * - `direct`: drawn straight into a WebGL2 canvas shown in the element (a lone element, no copy);
 * - `atlas`: drawn into a tile of the page's shared WebGL2 canvas and copied at the end of the frame;
 * - `bitmap`: drawn by the shared WebGPU device and handed over as an ImageBitmap (no copy, no wait);
 * - `worker`: drawn off the main thread by the page's render worker into the transferred canvas;
 * - `extension`: pixels from an extension renderer's sandbox.
 */
export type PresentationPath = 'direct' | 'atlas' | 'bitmap' | 'worker' | 'extension';

/** Events a renderer view reports to its owner. */
export interface RendererViewEvents {
  /** The GPU device / GL context was lost; the view will try to recover by itself. */
  onContextLost?(reason: string): void;
  /** A new device / context is ready and the view renders again. */
  onContextRestored?(backend: BackendKind): void;
  /** Recovery failed. */
  onError?(error: Error): void;
  /** A problem the view survives (e.g. a geometry worker restarted): reported, rendering goes on. */
  onWarning?(error: Error): void;
  /** Asynchronous input arrived (e.g. a mesh slice): draw again even if nothing else changed. */
  onInvalidate?(): void;
  /** A new mesh-layer result was drawn (slice mode): counts and timing. */
  onMeshUpdate?(detail: MeshUpdateDetail): void;
  /** The presentation path changed (e.g. a second element appeared and a direct view joined the atlas). */
  onPresentationChange?(path: PresentationPath): void;
  /** The view drew `count` frames on its own (see {@link RendererContract.run}); they count as the element's frames. */
  onFrames?(count: number): void;
}

/** `vib3-mesh-update` detail: a new cross-section of the mesh layer is on screen. */
export interface MeshUpdateDetail {
  mesh: string;
  mode: 'projection' | 'slice';
  /** The slice offset the result belongs to. */
  sliceW: number;
  triangles: number;
  segments: number;
  /** Kernels that computed it: `wasm-simd`, `wasm-scalar` or `js`. */
  kernels: string;
  /** Worker time spent in the kernels, ms. */
  computeMs: number;
}

/**
 * The renderer contract: how an element drives a renderer. The built-in renderer shares one
 * GPU device / GL context across every element of the page and hands each element a view;
 * extension renderers implement the same interface.
 */
export interface RendererContract {
  /** The backend actually in use once {@link init} resolved (`extension` for extension renderers). */
  readonly backend: ActiveBackend | 'none';
  /** How frames reach the visible canvas now (see {@link PresentationPath}); may change while running. */
  readonly presentation?: PresentationPath;
  /** Acquires GPU resources. Rejects with a Vib3Error (`WEBGPU_UNAVAILABLE`, `WEBGL2_UNAVAILABLE`, `NO_BACKEND`, ...). */
  init(): Promise<void>;
  /**
   * Optional: renderers that draw asynchronously (extension renderers) fetch the first frame here,
   * so that `vib3-ready` still means a frame is on screen. Called once after {@link init}.
   */
  prepare?(frame: FrameState): Promise<void>;
  /**
   * Optional: draws one frame at `width` x `height` into a canvas of its own, leaving the visible
   * canvas as it is (snapshots at any size). Without it, a snapshot draws and copies the visible canvas.
   */
  renderOffscreen?(frame: FrameState, width: number, height: number): HTMLCanvasElement;
  /**
   * Optional: renders one frame at `width` x `height` and encodes it (renderers that draw off the
   * main thread). Preferred over {@link renderOffscreen} when present. Rejects with a Vib3Error.
   */
  snapshot?(frame: FrameState, width: number, height: number, type: string, quality?: number): Promise<Blob>;
  /** Sets the drawing-buffer size of the view in device pixels. */
  resize(width: number, height: number): void;
  /** Draws one frame into the view's canvas. Returns false when nothing was drawn (inactive, or device lost). */
  render(frame: FrameState): boolean;
  /**
   * Optional: keeps drawing on its own from `frame` on, the element's clock moving with wall time
   * (`frame.timeMs` at `atMs`, ms since the epoch), so that the element need not call
   * {@link render} on every animation frame while nothing but its time changes. The next
   * {@link render} (or {@link setActive}(false)) ends it; frames drawn meanwhile are reported with
   * {@link RendererViewEvents.onFrames}. Returns false when the view cannot (the element then keeps
   * calling {@link render}). `frame` has no mesh layer.
   */
  run?(frame: FrameState, atMs: number): boolean;
  /** Inactive views keep their last frame and cost nothing. */
  setActive(active: boolean): void;
  /** Releases the view; the shared device is released with its last view. */
  dispose(): void;
}

/** Creates renderer views. `target` is the element's visible canvas. */
export type RendererFactory = (
  target: HTMLCanvasElement,
  preference: RendererPreference,
  events: RendererViewEvents,
) => RendererContract;
