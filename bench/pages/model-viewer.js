// Bench page: N auto-rotating <model-viewer> elements showing a small generated glTF, all visible.
const n = Number(new URLSearchParams(location.search).get('n') || 1);
window.benchMake = () => {
  const el = document.createElement('model-viewer');
  el.setAttribute('src', '/bench/assets/cube.gltf');
  el.setAttribute('auto-rotate', '');
  el.setAttribute('auto-rotate-delay', '0');
  el.setAttribute('loading', 'eager');
  el.setAttribute('reveal', 'auto');
  el.setAttribute('interaction-prompt', 'none');
  el.setAttribute('alt', 'cube');
  return el;
};
// First frame: model-viewer fires 'load' once the model is in and 'poster-dismissed' when it is shown.
window.benchReady = (el) => new Promise((r) => el.addEventListener('poster-dismissed', () => r(), { once: true }));
window.benchStart = performance.now();
await customElements.whenDefined('model-viewer');
const grid = document.getElementById('grid');
const els = Array.from({ length: n }, () => window.benchMake());
window.benchFirstFrame = Promise.all(els.map((el) => { const t0 = performance.now(); const p = window.benchReady(el).then(() => performance.now() - t0); grid.append(el); return p; }));
// "1 instance + 1 appearing later": adds one more element now; resolves with its connected -> first frame ms.
window.benchAddLater = () => {
  const el = window.benchMake();
  const t0 = performance.now();
  const p = window.benchReady(el).then(() => performance.now() - t0);
  document.getElementById('grid').append(el);
  return p;
};
