/**
 * The preview page: a script-tag page (the kit's `vib3.iife.js` and `vib3-extensions.iife.js`)
 * with one `<vib3-canvas>` inside a `<vib3-theme>`, and `window.vib3Preview`, which the renderer
 * drives: `start` installs and activates the package in an ExtensionHost attached to the canvas,
 * `apply` applies one preset, `capture` encodes a still through the element's `snapshot()`,
 * `record` records the animated canvas as WebM with MediaRecorder. Every call answers
 * `{ ok: true, … }` or `{ ok: false, code, message, suggestion }` (codes survive, unlike thrown
 * errors across playwright). The script is plain JavaScript kept as text: it runs in the page,
 * not in Node. Node-only module.
 */

/** The page at `/`. */
export const PREVIEW_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>vib3 ext previews</title>
    <style>
      html, body { margin: 0; padding: 0; background: #000; overflow: hidden; }
      vib3-canvas { display: block; }
    </style>
    <script src="/kit/vib3.iife.js"></script>
    <script src="/kit/vib3-extensions.iife.js"></script>
    <script src="/preview.js"></script>
  </head>
  <body><vib3-theme id="theme"></vib3-theme></body>
</html>
`;

/** Options of `vib3Preview.start` (JSON-serialisable: it crosses into the page). */
export interface PageStartOptions {
  extensionId: string;
  /** The public key the package was signed with (trusted by the page's host). */
  publicJwk: Record<string, string>;
  /** The element's `time` (ms) for stills: with `paused`, exactly that instant is rendered. */
  timeMs: number;
  /** Whether the extension may be a renderer (it asks for `rendering`): probe it with one frame. */
  probeRenderer: boolean;
}

/** The script at `/preview.js`. */
export const PREVIEW_SCRIPT = String.raw`(() => {
  'use strict';
  const OPTIONS = ['mesh', 'meshMode', 'sliceW'];
  const fail = (code, message, suggestion) => ({ ok: false, code, message, suggestion });
  const describe = (e) => (e ? (e.code ? e.code + ': ' : '') + (e.message || String(e)) : 'unknown error');
  const frames = (n) => new Promise((resolve) => {
    const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
    step();
  });
  let el, host, theme, extensionId;
  const canvasErrors = [];
  const hostErrors = [];

  function whenReady() {
    return new Promise((resolve) => {
      const done = (result) => {
        clearInterval(timer);
        el.removeEventListener('vib3-ready', onReady);
        resolve(result);
      };
      const onReady = () => done({ ok: true });
      el.addEventListener('vib3-ready', onReady);
      const timer = setInterval(() => {
        if (el.activeBackend !== 'none') done({ ok: true });
        else if (el.hasAttribute('data-fallback')) {
          done(fail('PREVIEW_RENDER_FAILED', 'The canvas could not start a renderer: ' + (canvasErrors.map(describe).join('; ') || 'no backend available') + '.', 'Check the Chromium flags (--webgpu needs SwiftShader Vulkan); without --webgpu the element renders with WebGL2.'));
        }
      }, 50);
    });
  }

  /** Redraws the paused instant and waits until it is on screen (palette tokens re-read, meshes loaded). */
  async function settle() {
    const before = el.frameCount;
    el.time = el.time;
    await frames(4);
    for (let i = 0; i < 120 && el.frameCount === before; i++) await frames(1);
    await frames(2);
  }

  async function base64(blob) {
    const url = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
    return url.slice(url.indexOf(',') + 1);
  }

  function statsOf(d) {
    let sum = 0, sum2 = 0, r = 0, g = 0, b = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const l = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      sum += l;
      sum2 += l * l;
      r += d[i];
      g += d[i + 1];
      b += d[i + 2];
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    const n = d.length / 4;
    const mean = sum / n;
    const round = (x) => Math.round(x * 100) / 100;
    return { luminanceMean: round(mean), luminanceStd: round(Math.sqrt(Math.max(0, sum2 / n - mean * mean))), colours: colours.size, meanRgb: [round(r / n), round(g / n), round(b / n)] };
  }

  async function start(o) {
    const V = window.Vib3;
    if (!V || !V.ExtensionHost || !customElements.get('vib3-canvas')) return fail('PREVIEW_RENDER_FAILED', 'The kit did not load in the preview page (vib3.iife.js / vib3-extensions.iife.js).', 'Reinstall vib3-embed (or run npm run build in a checkout of the kit).');
    // A preview is rendered at full resolution however slow software rendering is: adaptive quality never steps down.
    V.setFrameBudget(60000);
    theme = document.getElementById('theme');
    el = document.createElement('vib3-canvas');
    el.setAttribute('loading', 'eager');
    el.setAttribute('motion', 'reduce');
    el.paused = true;
    el.time = o.timeMs;
    el.addEventListener('vib3-error', (e) => canvasErrors.push(e.detail));
    extensionId = o.extensionId;
    const keyId = await V.keyIdOf(o.publicJwk);
    host = new V.ExtensionHost({ trustedKeys: new Map([[keyId, o.publicJwk]]), consent: () => true, grants: V.memoryGrantStore(), canvas: el });
    host.addEventListener('vib3-extension-error', (e) => hostErrors.push(e.detail));
    try {
      const bytes = new Uint8Array(await (await fetch('/extension.vib3x')).arrayBuffer());
      await host.install(bytes);
      await host.activate(extensionId);
    } catch (err) {
      const last = hostErrors[hostErrors.length - 1] || err;
      return fail('PREVIEW_RENDER_FAILED', 'The extension did not activate: ' + describe(last), (last && last.suggestion) || 'Run vib3 ext test on the extension; its activate() must succeed in the sandbox.');
    }
    let renderer = false;
    if (o.probeRenderer) {
      renderer = await host.renderFrame(extensionId, { width: 2, height: 2, timeMs: o.timeMs, params: el.getParams() }).then(() => true, () => false);
      if (renderer) V.setRendererFactory(async () => host.rendererFactory(extensionId));
      hostErrors.length = 0;
    }
    theme.append(el);
    const ready = await whenReady();
    if (!ready.ok) return ready;
    await settle();
    return { ok: true, backend: el.activeBackend, renderer };
  }

  async function apply(p) {
    const V = window.Vib3;
    const label = 'preset "' + p.name + '"';
    if (p.theme) {
      if (!V.getThemePack(p.theme)) return fail('PRESET_INVALID', label + ': no theme pack named "' + p.theme + '".', 'Use one of: ' + V.listThemePacks().map((t) => t.pack.name).join(', ') + '.');
      theme.setAttribute('theme', p.theme);
    }
    const known = el.getParams();
    const params = {};
    const options = {};
    for (const [name, value] of Object.entries(p.params || {})) {
      if (name in known) params[name] = value;
      else if (OPTIONS.includes(name)) options[name] = value;
      else return fail('PRESET_INVALID', label + ': ' + name + ' is not a <vib3-canvas> parameter.', 'Use ' + Object.keys(known).join(', ') + ' or ' + OPTIONS.join(', ') + '.');
    }
    canvasErrors.length = 0;
    if (Object.keys(params).length > 0 && !el.setParams(params)) {
      const e = canvasErrors[canvasErrors.length - 1] || {};
      return fail('PRESET_INVALID', label + ': the canvas refused its params: ' + (e.message || 'invalid value'), e.suggestion || 'Use values in the ranges of the <vib3-canvas> parameters (README.md).');
    }
    for (const [name, value] of Object.entries(options)) {
      el[name] = value;
      const e = canvasErrors[canvasErrors.length - 1];
      if (e) return fail('PRESET_INVALID', label + ': the canvas refused ' + name + ': ' + e.message, e.suggestion || '');
    }
    if (p.tool) {
      const name = p.tool.name.includes('/') || p.tool.name.startsWith(extensionId + '.') ? p.tool.name : extensionId + '.' + p.tool.name;
      try {
        const result = await host.callTool(name, p.tool.input || {});
        if (result && result.isError) {
          const text = (result.content || []).map((c) => c.text || '').join(' ');
          return fail('PRESET_INVALID', label + ': tool ' + name + ' answered with an error: ' + text, 'Fix the tool input in marketplace.presets.');
        }
      } catch (err) {
        return fail('PRESET_INVALID', label + ': tool ' + name + ' failed: ' + describe(err), err.suggestion || 'Name one of the extension\'s tools (' + host.tools().map((t) => t.name).join(', ') + ') with input its inputSchema accepts.');
      }
    }
    await settle();
    return { ok: true, params: el.getParams(), mesh: el.mesh, theme: p.theme || '' };
  }

  async function resize(width, height) {
    el.style.width = width + 'px';
    el.style.height = height + 'px';
    await settle();
  }

  async function capture(s) {
    await resize(s.width, s.height);
    let blob;
    try {
      blob = await el.snapshot({ type: s.type, width: s.width, height: s.height, quality: s.quality });
    } catch (err) {
      return fail('PREVIEW_RENDER_FAILED', 'The canvas could not take a snapshot: ' + describe(err), err.suggestion || 'Check that the canvas renders (vib3-ready).');
    }
    const bitmap = await createImageBitmap(blob);
    const copy = document.createElement('canvas');
    copy.width = s.width;
    copy.height = s.height;
    const ctx = copy.getContext('2d', { alpha: false });
    ctx.drawImage(bitmap, 0, 0, s.width, s.height);
    // Renderer extensions draw at the element's size: scale what they drew to the exact size.
    const scaled = bitmap.width !== s.width || bitmap.height !== s.height;
    if (scaled || blob.type !== s.type) blob = await new Promise((resolve) => copy.toBlob(resolve, s.type, s.quality));
    if (!blob || blob.type !== s.type) return fail('PREVIEW_RENDER_FAILED', 'This Chromium cannot encode ' + s.type + '.', 'Use png, or a Chromium that encodes ' + s.type + '.');
    return { ok: true, data: await base64(blob), stats: statsOf(ctx.getImageData(0, 0, s.width, s.height).data), scaled };
  }

  async function record(s) {
    await resize(s.width, s.height);
    const mime = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
    if (!mime) return fail('PREVIEW_RENDER_FAILED', 'This Chromium cannot record WebM.', 'Use a Chromium build with MediaRecorder VP8/VP9 support.');
    const copy = document.createElement('canvas');
    copy.width = s.width;
    copy.height = s.height;
    const ctx = copy.getContext('2d', { alpha: false });
    const recorder = new MediaRecorder(copy.captureStream(s.fps), { mimeType: mime, videoBitsPerSecond: 4000000 });
    const chunks = [];
    recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    let running = true;
    let drawn = 0;
    // Runs after the element's frame callback each frame: its canvas holds the new frame.
    const draw = () => {
      if (!running) return;
      // The canvas on screen: a lone WebGL2 element shows the shared canvas (data-vib3-direct), its own is hidden.
      ctx.drawImage(el.shadowRoot.querySelector('canvas[data-vib3-direct]') ?? el.shadowRoot.querySelector('canvas'), 0, 0, s.width, s.height);
      drawn++;
      requestAnimationFrame(draw);
    };
    el.motion = 'full';
    el.paused = false;
    draw();
    recorder.start(250);
    await new Promise((resolve) => setTimeout(resolve, s.durationMs));
    running = false;
    recorder.stop();
    await stopped;
    el.paused = true;
    el.motion = 'reduce';
    el.time = s.timeMs;
    await settle();
    return { ok: true, data: await base64(new Blob(chunks, { type: 'video/webm' })), mime, frames: drawn };
  }

  const guard = (fn) => async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      return fail('PREVIEW_RENDER_FAILED', 'The preview page failed: ' + describe(err), 'Rerun with VIB3_DEBUG=1 and report it.');
    }
  };
  window.vib3Preview = { start: guard(start), apply: guard(apply), capture: guard(capture), record: guard(record), errors: () => ({ canvas: canvasErrors.slice(), host: hostErrors.slice() }) };
})();
`;
