// Shared helpers for the playwright end-to-end tests: a loopback static server and Chromium per flag set.
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.mjs';
import { FLAG_SETS, CHROMIUM_PATH } from '../chromium-flags.mjs';

export { FLAG_SETS };

export async function startServer(headers) {
  return serveStatic({ root: new URL('../..', import.meta.url).pathname, headers });
}

export async function launch(flagSet) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAG_SETS[flagSet].args });
}

/** Opens a page and records page errors and requests. */
export async function open(browser, url) {
  const page = await browser.newPage();
  // Element canvases may hold a bitmaprenderer context: read them through a 2D copy, as a page would.
  await page.addInitScript(() => {
    window.__vib3Pixels = (c) => {
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext('2d');
      ctx.drawImage(c, 0, 0);
      return ctx.getImageData(0, 0, c.width, c.height);
    };
  });
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(url);
  return { page, errors, requests };
}

/** Waits until #v is ready or failed; returns { backend, stats } with luminance stats of its canvas. */
export async function readyState(page, selector = '#v') {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return el && (el.activeBackend !== 'none' || el.hasAttribute('data-fallback'));
  }, selector, { timeout: 60_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    // The canvas on screen: a lone WebGL2 element shows the shared canvas (data-vib3-direct) and hides its own.
    const d = window.__vib3Pixels(el.shadowRoot.querySelector('canvas[data-vib3-direct]') ?? el.shadowRoot.querySelector('canvas')).data;
    let sum = 0, sum2 = 0;
    for (let i = 0; i < d.length; i += 4) {
      const l = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      sum += l;
      sum2 += l * l;
    }
    const n = d.length / 4;
    const mean = sum / n;
    return { backend: el.activeBackend, mean, std: Math.sqrt(sum2 / n - mean * mean), startupMs: Number(el.dataset.startupMs) };
  }, selector);
}

/** Standard deviation of the green channel over an element's canvas: > a few means a picture, not a flat fill. */
export function canvasSpread(page, selector) {
  return page.evaluate((s) => {
    const root = document.querySelector(s).shadowRoot;
    const c = root.querySelector('canvas[data-vib3-direct]') ?? root.querySelector('canvas');
    const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
    const ctx = copy.getContext('2d');
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < d.length; i += 4) {
      sum += d[i + 1];
      sum2 += d[i + 1] * d[i + 1];
    }
    const n = d.length / 4;
    return Math.sqrt(sum2 / n - (sum / n) ** 2);
  }, selector);
}
