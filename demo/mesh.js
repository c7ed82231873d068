// Drives slice-w on every slicing element (slider or automatic sweep) and shows worker stats.
const slider = document.getElementById('w');
const out = document.getElementById('wv');
const sweep = document.getElementById('sweep');
const stats = document.getElementById('stats');
const slicing = [...document.querySelectorAll('vib3-canvas[mesh-mode="slice"]')];
const set = (w) => {
  for (const el of slicing) el.sliceW = w;
  slider.value = String(w);
  out.textContent = w.toFixed(2);
};
slider.addEventListener('input', () => {
  sweep.checked = false;
  set(Number(slider.value));
});
const t0 = performance.now();
const tick = (now) => {
  if (sweep.checked) set(Math.sin((now - t0) / 2500) * 1.05);
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
let last = 0;
document.addEventListener('vib3-mesh-update', (e) => {
  const d = e.detail;
  if (performance.now() - last < 250) return;
  last = performance.now();
  stats.textContent = `${d.mesh}: ${d.triangles} triangles, ${d.segments} outline segments, ${d.kernels} kernels, ${d.computeMs.toFixed(2)} ms in the worker`;
});
