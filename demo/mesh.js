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
// One stats row per slicing element, fed only by that element's own vib3-mesh-update events.
const rows = new Map(
  slicing.map((el) => {
    const li = document.createElement('li');
    const name = el.getAttribute('alt') || el.mesh;
    li.textContent = `${name}: waiting for the first slice…`;
    stats.append(li);
    return [el, { li, name, last: -Infinity }];
  }),
);
document.addEventListener('vib3-mesh-update', (e) => {
  const row = rows.get(e.target);
  if (!row || performance.now() - row.last < 250) return;
  row.last = performance.now();
  const d = e.detail;
  row.li.dataset.mesh = d.mesh;
  row.li.textContent = `${row.name}: ${d.triangles} triangles, ${d.segments} outline segments, ${d.kernels} kernels, ${d.computeMs.toFixed(2)} ms in the worker`;
});
