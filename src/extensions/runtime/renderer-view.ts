import type { RendererContract, RendererFactory, RendererViewEvents } from '../../render/contract.js';
import type { FrameState } from '../../render/frame-state.js';
import { replaceWithFreshCanvas, resizeCanvas } from '../../render/canvas-target.js';
import { ExtensionError } from './errors.js';
import type { ExtensionFrameRequest } from './protocol.js';

/** What a renderer view needs from the extension host (the host implements it; no import of it here). */
export interface FrameSource {
  list(): { id: string; state: string }[];
  activate(id: string): Promise<unknown>;
  /** One frame from the extension, checked, with the call deadline. */
  renderFrame(id: string, frame: ExtensionFrameRequest): Promise<ImageData>;
}

/**
 * A renderer factory that draws elements with a renderer extension (what
 * `ExtensionHost.rendererFactory(id)` returns).
 */
export function extensionRendererFactory(host: FrameSource, id: string): RendererFactory {
  return (target, _preference, events) => new ExtensionRendererView(host, id, target, events);
}

/**
 * A `<vib3-canvas>` drawn by a renderer extension: each frame is requested from the extension's
 * sandbox (one request in flight at a time, so a slow extension lowers its own frame rate, never
 * the page's) and the newest frame received is put into the element's 2D canvas.
 */
export class ExtensionRendererView implements RendererContract {
  readonly backend = 'extension' as const;
  private ctx: CanvasRenderingContext2D | null = null;
  private latest: ImageData | undefined;
  private inFlight = false;
  private active = true;
  private disposed = false;
  private scratch: HTMLCanvasElement | undefined;

  constructor(
    private readonly host: FrameSource,
    private readonly id: string,
    private target: HTMLCanvasElement,
    private readonly events: RendererViewEvents,
  ) {}

  async init(): Promise<void> {
    const info = this.host.list().find((e) => e.id === this.id);
    if (!info) throw new ExtensionError('NOT_INSTALLED', `No extension ${this.id} is installed.`, 'Install it before using it as a renderer.', this.id);
    if (info.state !== 'active') await this.host.activate(this.id);
    let ctx = this.target.getContext('2d');
    if (!ctx) {
      // The canvas held another kind of context (an earlier renderer).
      this.target = replaceWithFreshCanvas(this.target);
      ctx = this.target.getContext('2d');
    }
    this.ctx = ctx;
  }

  /** The first frame, so `vib3-ready` means the extension's frame is on screen. */
  async prepare(frame: FrameState): Promise<void> {
    this.latest = await this.host.renderFrame(this.id, this.request(this.target.width, this.target.height, frame.timeMs, { ...frame.params }));
  }

  resize(width: number, height: number): void {
    resizeCanvas(this.target, width, height);
  }

  render(frame: FrameState): boolean {
    if (!this.active || this.disposed || !this.ctx) return false;
    if (!this.inFlight) {
      this.inFlight = true;
      this.host.renderFrame(this.id, this.request(this.target.width, this.target.height, frame.timeMs, { ...frame.params })).then(
        (img) => {
          this.inFlight = false;
          if (this.disposed) return;
          this.latest = img;
          this.events.onInvalidate?.();
        },
        (err: unknown) => {
          this.inFlight = false;
          if (!this.disposed) this.events.onWarning?.(err instanceof Error ? err : new Error(String(err)));
        },
      );
    }
    const img = this.latest;
    if (!img) return false;
    if (img.width === this.target.width && img.height === this.target.height) {
      this.ctx.putImageData(img, 0, 0);
    } else {
      // A frame of another size (the element was resized meanwhile): scale it.
      this.scratch ??= document.createElement('canvas');
      this.scratch.width = img.width;
      this.scratch.height = img.height;
      this.scratch.getContext('2d')!.putImageData(img, 0, 0);
      this.ctx.drawImage(this.scratch, 0, 0, this.target.width, this.target.height);
    }
    return true;
  }

  private request(width: number, height: number, timeMs: number, params: Record<string, unknown>) {
    return { width, height, timeMs, params };
  }

  setActive(active: boolean): void {
    this.active = active;
  }

  dispose(): void {
    this.disposed = true;
  }
}
