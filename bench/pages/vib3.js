// Bench page: N animating <vib3-canvas> elements, all visible.
const n = Number(new URLSearchParams(location.search).get('n') || 1);
window.benchMake = () => {
  const el = document.createElement('vib3-canvas');
  el.setAttribute('loading', 'eager');
  el.setAttribute('system', ['faceted', 'quantum', 'holographic'][Math.floor(Math.random() * 3)]);
  el.setAttribute('geometry', String(Math.floor(Math.random() * 24)));
  return el;
};
window.benchReady = (el) => new Promise((r) => (el.activeBackend !== 'none' ? r() : el.addEventListener('vib3-ready', () => r(), { once: true })));
window.benchStart = performance.now();
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
