// Gallery page logic. Uses only the public API of the script-tag build (window.Vib3).
const { listGeometries, PARAM_SPECS } = window.Vib3;
const hero = document.getElementById('hero');
const form = document.getElementById('controls');

// The hero loads eagerly and may be on screen before this (deferred) script runs: read its state
// now, and listen for what comes later.
const backendLabel = document.getElementById('backend');
const showBackend = (backend) => (backendLabel.textContent = `rendering with ${backend.toUpperCase()}`);
hero.addEventListener('vib3-ready', (e) => showBackend(e.detail.backend));
hero.addEventListener('vib3-error', (e) => {
  backendLabel.textContent = `${e.detail.message} ${e.detail.suggestion}`;
});
if (hero.activeBackend !== 'none' && hero.frameCount > 0) showBackend(hero.activeBackend);
else if (hero.hasAttribute('data-fallback')) backendLabel.textContent = 'The live visual cannot run in this browser.';

// Geometry picker
const select = form.elements.geometry;
for (const g of listGeometries()) select.add(new Option(`${g.index} · ${g.label}`, String(g.index)));
select.value = String(hero.geometry);
select.addEventListener('change', () => (hero.geometry = Number(select.value)));
for (const radio of form.elements.system) radio.addEventListener('change', () => (hero.system = radio.value));

// One slider per numeric parameter, generated from the parameter table.
const sliders = document.getElementById('sliders');
const inputs = new Map();
for (const spec of PARAM_SPECS) {
  if (spec.kind === 'enum' || spec.name === 'geometry') continue;
  const label = document.createElement('label');
  const input = Object.assign(document.createElement('input'), {
    type: 'range',
    min: String(spec.min),
    max: String(spec.max),
    step: spec.kind === 'int' ? '1' : String((spec.max - spec.min) / 200),
    value: String(hero[spec.name]),
  });
  const out = document.createElement('output');
  label.append(spec.name, input, out);
  sliders.append(label);
  inputs.set(spec.name, { input, out });
  input.addEventListener('input', () => (hero[spec.name] = Number(input.value)));
}
const syncControls = () => {
  const p = hero.getParams();
  for (const [name, { input, out }] of inputs) {
    input.value = String(p[name]);
    out.textContent = Number.isInteger(p[name]) ? String(p[name]) : p[name].toFixed(2);
  }
  select.value = String(p.geometry);
  for (const radio of form.elements.system) radio.checked = radio.value === p.system;
};
hero.addEventListener('vib3-params-change', syncControls);
syncControls();

document.getElementById('reset').addEventListener('click', () => {
  hero.reset();
  hero.setParams({ system: 'holographic', geometry: 9 });
});
const pause = document.getElementById('pause');
pause.addEventListener('click', () => {
  hero.paused = !hero.paused;
  pause.textContent = hero.paused ? 'Play' : 'Pause';
});
document.getElementById('snapshot').addEventListener('click', async () => {
  const blob = await hero.snapshot({ width: 1600, height: 1000 });
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'vib3.png' });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});

// The gallery: every geometry, in the chosen system. Lazy loading means only visible cards render.
const grid = document.getElementById('grid');
const cards = listGeometries().map((g) => {
  const figure = document.createElement('figure');
  const canvas = document.createElement('vib3-canvas');
  canvas.setAttribute('geometry', String(g.index));
  canvas.setAttribute('system', 'quantum');
  canvas.setAttribute('hue', String((g.index * 15 + 180) % 360));
  canvas.setAttribute('alt', `${g.label} in the quantum system`);
  const caption = document.createElement('figcaption');
  caption.innerHTML = `<span>${g.label}</span><span>#${g.index}</span>`;
  figure.append(canvas, caption);
  grid.append(figure);
  return canvas;
});
for (const tab of document.querySelectorAll('.tabs button')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll('.tabs button')) t.setAttribute('aria-pressed', String(t === tab));
    for (const c of cards) c.system = tab.dataset.system;
  });
}
