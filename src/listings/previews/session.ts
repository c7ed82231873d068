/**
 * One preset in one fresh browser context: opens the preview page, installs and activates the
 * extension (`vib3Preview.start`), applies the preset, then encodes stills and records clips on
 * request. A fresh context per preset means nothing of one preset (a mesh a tool put on the
 * canvas, explicitly set parameters, a theme) leaks into the next. Node-only.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PreviewError, type PreviewErrorCode } from './errors.js';
import type { PageStartOptions } from './page.js';
import type { PreviewPreset } from './presets.js';

/** Colour statistics of a still, measured in the page from the decoded pixels. */
export interface ImageStats {
  luminanceMean: number;
  luminanceStd: number;
  /** Distinct RGB colours. */
  colours: number;
  meanRgb: [number, number, number];
}

/** An encoded still. */
export interface Still {
  bytes: Uint8Array;
  stats: ImageStats;
  /** A renderer extension drew at another size and the frame was scaled to the exact size. */
  scaled: boolean;
}

/** A recorded clip. */
export interface Clip {
  bytes: Uint8Array;
  mime: string;
  /** Canvas frames copied into the recording. */
  frames: number;
}

/** A preset applied in its own page. */
export interface PresetSession {
  /** `webgpu`, `webgl2` or `extension` (a renderer extension draws the canvas). */
  backend: string;
  /** The canvas parameters after the preset (clamped, rounded, with the theme's palette). */
  params: Record<string, unknown>;
  /** The canvas's mesh layer after the preset (`none`, a built-in mesh, or `<extension id>/<shape>`). */
  mesh: string;
  /** Encodes the canvas at exactly `width` x `height`. */
  still(width: number, height: number, format: 'png' | 'jpeg' | 'webp'): Promise<Still>;
  /** Records the animated canvas at `width` x `height` for `durationMs` as WebM. */
  clip(width: number, height: number, durationMs: number): Promise<Clip>;
  close(): Promise<void>;
}

/** How long one step in the page may take before the render counts as failed (software rendering is slow). */
export const STEP_TIMEOUT_MS = 180_000;

type PageResult<T> = ({ ok: true } & T) | { ok: false; code: PreviewErrorCode; message: string; suggestion: string };

/** Runs `vib3Preview[method](arg)` in the page; a failure becomes a PreviewError with the page's code. */
async function call<T>(page: Page, method: 'start' | 'apply' | 'capture' | 'record', arg: unknown, pageErrors: string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PreviewError('PREVIEW_RENDER_FAILED', `The preview page did not finish "${method}" within ${STEP_TIMEOUT_MS / 1000} s.`, 'Check that the extension activates (vib3 ext test) and that the machine is not overloaded.')), STEP_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([
      page.evaluate(([m, a]) => (window as unknown as { vib3Preview: Record<string, (x: unknown) => Promise<unknown>> }).vib3Preview[m as string]!(a), [method, arg] as const),
      timeout,
    ]);
    const r = result as PageResult<T>;
    if (!r.ok) throw new PreviewError(r.code, r.message, r.suggestion);
    return r as T;
  } catch (err) {
    if (err instanceof PreviewError) throw err;
    const extra = pageErrors.length ? ` (page errors: ${pageErrors.slice(-3).join('; ')})` : '';
    throw new PreviewError('PREVIEW_RENDER_FAILED', `The preview page failed: ${(err as Error).message.split('\n')[0]}${extra}`, 'Rerun with VIB3_DEBUG=1 and report it.');
  } finally {
    clearTimeout(timer);
  }
}

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/**
 * Opens `url` (the preview server) in a fresh context with a `viewport` large enough for every
 * size, starts the extension and applies `preset`.
 * @throws PreviewError PREVIEW_RENDER_FAILED, PRESET_INVALID.
 */
export async function openPreset(browser: Browser, url: string, viewport: { width: number; height: number }, start: PageStartOptions, preset: PreviewPreset): Promise<PresetSession> {
  const context: BrowserContext = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'no-preference' });
  const pageErrors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    const started = await call<{ backend: string }>(page, 'start', start, pageErrors);
    const applied = await call<{ params: Record<string, unknown>; mesh: string }>(page, 'apply', preset, pageErrors);
    return {
      backend: started.backend,
      params: applied.params,
      mesh: applied.mesh,
      async still(width, height, format) {
        const r = await call<{ data: string; stats: ImageStats; scaled: boolean }>(page, 'capture', { width, height, type: MIME[format], quality: format === 'png' ? undefined : 0.92 }, pageErrors);
        return { bytes: new Uint8Array(Buffer.from(r.data, 'base64')), stats: r.stats, scaled: r.scaled };
      },
      async clip(width, height, durationMs) {
        const r = await call<{ data: string; mime: string; frames: number }>(page, 'record', { width, height, durationMs, fps: 30, timeMs: start.timeMs }, pageErrors);
        return { bytes: new Uint8Array(Buffer.from(r.data, 'base64')), mime: r.mime, frames: r.frames };
      },
      close: () => context.close(),
    };
  } catch (err) {
    await context.close().catch(() => undefined);
    throw err;
  }
}
