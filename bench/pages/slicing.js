// One element; with ?mesh=slice it shows the 600-cell's cross-section, slice-w sweeping every frame.
const mesh = new URLSearchParams(location.search).get('mesh');
const el = document.createElement('vib3-canvas');
el.setAttribute('loading', 'eager');
el.setAttribute('system', 'faceted');
if (mesh === 'slice') {
  el.setAttribute('mesh', '600-cell');
  el.setAttribute('mesh-mode', 'slice');
}
window.meshUpdates = 0;
el.addEventListener('vib3-mesh-update', (e) => {
  window.meshUpdates++;
  window.meshKernels = e.detail.kernels;
});
window.benchFirstFrame = new Promise((r) => el.addEventListener('vib3-ready', () => r([0]), { once: true }));
document.getElementById('grid').append(el);
const t0 = performance.now();
const sweep = (now) => {
  el.sliceW = Math.sin((now - t0) / 1500) * 0.9;
  requestAnimationFrame(sweep);
};
requestAnimationFrame(sweep);
