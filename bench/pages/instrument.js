// Injected before any page script (playwright addInitScript). Measures the same things for any
// embed: GPU contexts created and lost, main-thread time per animation frame, and frames
// presented per element canvas (2D drawImage / bitmaprenderer copies, which both kits use).
(() => {
  const stats = (window.__bench = { contexts: { webgl: 0, webgl2: 0, webgpu: 0 }, devices: 0, lost: 0, frameWork: [], presents: new Map() });
  const count = (canvas, kind) => {
    if (!(kind in stats.contexts)) return;
    stats.contexts[kind]++;
    canvas.addEventListener?.('webglcontextlost', () => stats.lost++);
  };
  for (const C of [globalThis.HTMLCanvasElement, globalThis.OffscreenCanvas]) {
    if (!C) continue;
    const get = C.prototype.getContext;
    const seen = new WeakMap();
    C.prototype.getContext = function (kind, ...rest) {
      const ctx = get.call(this, kind, ...rest);
      if (ctx && !seen.get(this)?.has(kind)) {
        if (!seen.has(this)) seen.set(this, new Set());
        seen.get(this).add(kind);
        count(this, kind);
      }
      return ctx;
    };
  }
  if (globalThis.GPUAdapter) {
    const req = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...a) {
      const d = await req.apply(this, a);
      stats.devices++;
      d.lost.then((info) => info.reason !== 'destroyed' && stats.lost++);
      return d;
    };
  }
  const present = (canvas) => stats.presents.set(canvas, (stats.presents.get(canvas) ?? 0) + 1);
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...a) {
    present(this.canvas);
    return draw.apply(this, a);
  };
  if (globalThis.ImageBitmapRenderingContext) {
    const t = ImageBitmapRenderingContext.prototype.transferFromImageBitmap;
    ImageBitmapRenderingContext.prototype.transferFromImageBitmap = function (...a) {
      present(this.canvas);
      return t.apply(this, a);
    };
  }
  // Canvases drawn into directly by WebGL (a single model-viewer renders without a copy): count
  // the animation frames in which each such canvas received draw calls.
  stats.glFrames = new Map();
  let frameId = 0;
  const drew = new WeakMap();
  for (const C of [globalThis.WebGLRenderingContext, globalThis.WebGL2RenderingContext]) {
    if (!C) continue;
    for (const name of ['drawElements', 'drawArrays', 'drawElementsInstanced', 'drawArraysInstanced', 'drawRangeElements']) {
      const fn = C.prototype[name];
      if (!fn) continue;
      C.prototype[name] = function (...a) {
        const canvas = this.canvas;
        if (drew.get(canvas) !== frameId) {
          drew.set(canvas, frameId);
          stats.glFrames.set(canvas, (stats.glFrames.get(canvas) ?? 0) + 1);
        }
        return fn.apply(this, a);
      };
    }
  }
  // Main-thread script time per frame: all rAF callbacks of one frame, summed.
  const raf = window.requestAnimationFrame.bind(window);
  let frameStamp = -1;
  let frameTotal = 0;
  window.requestAnimationFrame = (cb) =>
    raf((ts) => {
      if (ts !== frameStamp) {
        frameId++;
        if (frameStamp >= 0) stats.frameWork.push(frameTotal);
        frameStamp = ts;
        frameTotal = 0;
      }
      const t0 = performance.now();
      try {
        cb(ts);
      } finally {
        frameTotal += performance.now() - t0;
      }
    });
  // Frames shown per element canvas: copies into it, or (for canvases nobody copies into) frames with GL draws.
  const ids = new WeakMap();
  let nextId = 0;
  const idOf = (c) => (ids.has(c) ? ids.get(c) : (ids.set(c, ++nextId), nextId));
  /** Frames shown per visible canvas, keyed by a stable canvas id: { id: count }. */
  window.__benchPresentsPerCanvas = () =>
    Object.fromEntries(
      [...new Set([...stats.presents.keys(), ...stats.glFrames.keys()])]
        // What the user sees: canvases in the document and rendered (internal render targets are detached or hidden).
        .filter((c) => c instanceof HTMLCanvasElement && c.isConnected && c.checkVisibility())
        .map((c) => [idOf(c), Math.max(stats.presents.get(c) ?? 0, stats.glFrames.get(c) ?? 0)]),
    );
})();
