import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/index.js';
import { setFrameBudget } from '../../src/element/frame-scheduler.js';

/**
 * Tests compare pixels at exact sizes: adaptive quality stays out of the way (an unlimited frame
 * budget) unless a test sets a budget itself (the adaptive-quality test does).
 */
export const TEST_FRAME_BUDGET_MS = 1e6;
setFrameBudget(TEST_FRAME_BUDGET_MS);
import type { Vib3Canvas } from '../../src/element/vib3-canvas.js';
import type { Vib3ErrorDetail } from '../../src/core/errors.js';

/** What the web-test-runner config tells the page about the flag set it runs under. */
export const env = (window as unknown as { __VIB3_TEST__: { flagSet: 'webgpu' | 'plain' | 'firefox'; expectedBackend: 'webgpu' | 'webgl2'; updateGoldens: boolean } }).__VIB3_TEST__;
/** Golden images are per engine and backend: Chromium/SwiftShader and Firefox/Mesa rasterise differently. */
export const goldenPrefix = env.flagSet === 'firefox' ? 'firefox-webgl2' : env.expectedBackend;

/** Resolves with the first of `types` fired on `target` (or rejects after `ms`). */
export function nextEvent<T = unknown>(target: EventTarget, types: string | string[], ms = 30_000): Promise<CustomEvent<T>> {
  const list = Array.isArray(types) ? types : [types];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${ms} ms waiting for ${list.join(' | ')}`));
    }, ms);
    const handler = (e: Event) => {
      cleanup();
      resolve(e as CustomEvent<T>);
    };
    const cleanup = () => {
      clearTimeout(timer);
      for (const t of list) target.removeEventListener(t, handler);
    };
    for (const t of list) target.addEventListener(t, handler);
  });
}

/** Waits for `n` animation frames. */
export async function frames(n = 2): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(() => r(undefined)));
}

/**
 * Creates a `<vib3-canvas>` with the given attributes at a fixed CSS size, attaches it and waits
 * for vib3-ready (or vib3-error, returned as `error`).
 */
export async function mount(attrs: Record<string, string | number> = {}, size: [number, number] = [96, 72], parent: HTMLElement = document.body) {
  const el = document.createElement('vib3-canvas') as Vib3Canvas;
  el.style.width = `${size[0]}px`;
  el.style.height = `${size[1]}px`;
  if (!('loading' in attrs)) el.setAttribute('loading', 'eager');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  const settled = nextEvent<Vib3ErrorDetail | { backend: string }>(el, ['vib3-ready', 'vib3-error']);
  parent.append(el);
  const event = await settled;
  return { el, event, error: event.type === 'vib3-error' ? (event.detail as Vib3ErrorDetail) : undefined };
}

/** Removes every `<vib3-canvas>` from the document. */
export function cleanup(): void {
  for (const el of document.querySelectorAll('vib3-canvas')) el.remove();
}

/** The element's drawing canvas. */
export function canvasOf(el: Vib3Canvas): HTMLCanvasElement {
  // The canvas on screen: a lone WebGL2 element shows the shared canvas (data-vib3-direct) and hides its own.
  const c = el.shadowRoot?.querySelector<HTMLCanvasElement>('canvas[data-vib3-direct]') ?? el.shadowRoot?.querySelector('canvas');
  if (!c) throw new Error('no canvas in shadow root');
  return c;
}

/**
 * RGBA pixels of the element's canvas. The canvas may hold a `bitmaprenderer` or a `2d` context,
 * so it is read through a copy, as a page would.
 */
export function pixels(el: Vib3Canvas): ImageData {
  const c = canvasOf(el);
  return readPixels(c, c.width, c.height);
}

/** Draws an image source into a fresh 2D canvas and reads its RGBA pixels back. */
function readPixels(source: CanvasImageSource, width: number, height: number): ImageData {
  const copy = document.createElement('canvas');
  copy.width = width;
  copy.height = height;
  const ctx = copy.getContext('2d')!;
  ctx.drawImage(source, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

/** Resolves once the element has drawn a frame after this call (and after any pending change). */
export async function nextDrawnFrame(el: Vib3Canvas, ms = 20_000): Promise<void> {
  await el.updateComplete;
  const start = el.frameCount;
  const deadline = performance.now() + ms;
  while (el.frameCount === start) {
    if (performance.now() > deadline) {
      const c = canvasOf(el);
      throw new Error(`no frame drawn within ${ms} ms (frameCount ${start}, backend ${el.activeBackend}, canvas ${c.width}x${c.height}, connected ${el.isConnected})`);
    }
    await frames(1);
  }
}

/** Renders the exact instant `timeMs` (paused) and returns its pixels. */
export async function renderAt(el: Vib3Canvas, timeMs: number): Promise<ImageData> {
  el.paused = true;
  el.time = timeMs;
  await nextDrawnFrame(el);
  return pixels(el);
}

/** Mean and standard deviation of luminance (0..255). Blank images have ~0 deviation. */
export function luminanceStats(img: ImageData): { mean: number; std: number } {
  const d = img.data;
  let sum = 0, sum2 = 0;
  const n = d.length / 4;
  for (let i = 0; i < d.length; i += 4) {
    const l = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    sum += l;
    sum2 += l * l;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}

/** Mean absolute channel difference (0..255) and the share of pixels differing by more than `threshold`. */
export function compare(a: ImageData, b: ImageData, threshold = 24): { meanDiff: number; differing: number } {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size mismatch ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let total = 0, differing = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let maxd = 0;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[i + c]! - b.data[i + c]!);
      total += d;
      if (d > maxd) maxd = d;
    }
    if (maxd > threshold) differing++;
  }
  return { meanDiff: total / ((a.data.length / 4) * 3), differing: differing / (a.data.length / 4) };
}

/** Asserts an image is not blank: visible structure, not a flat fill. */
export function isNonBlank(img: ImageData): boolean {
  const { mean, std } = luminanceStats(img);
  return mean > 4 && std > 4;
}

/** Encodes ImageData as PNG (base64, without the data: prefix). */
export async function toPngBase64(img: ImageData): Promise<string> {
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d')!.putImageData(img, 0, 0);
  const url = c.toDataURL('image/png');
  return url.slice(url.indexOf(',') + 1);
}

/** Loads a PNG served by the test server into ImageData, or undefined if it does not exist. */
export async function loadPng(path: string): Promise<ImageData | undefined> {
  const res = await fetch(`/${path}?t=${Date.now()}`);
  if (!res.ok) return undefined;
  const bitmap = await createImageBitmap(await res.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  return readPixels(bitmap, bitmap.width, bitmap.height);
}

/** Writes a golden (only when missing or UPDATE_GOLDENS=1) or an `.actual.png` next to it. */
export function writeImage(path: string, img: ImageData, kind: 'golden' | 'actual') {
  return toPngBase64(img).then((base64) => executeServerCommand('vib3-write-image', { path, base64, kind }));
}

/** axe-core, loaded once into the page (for the accessibility checks of the component suites). */
export async function loadAxe(): Promise<{ run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> }> {
  const w = window as unknown as { axe?: never };
  if (!w.axe) {
    await new Promise<void>((resolve, reject) => {
      const s = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js' });
      s.addEventListener('load', () => resolve());
      s.addEventListener('error', () => reject(new Error('axe-core did not load')));
      document.head.append(s);
    });
  }
  return (window as unknown as { axe: never }).axe;
}
