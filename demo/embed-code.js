// The embed-code page: a form over the same generator `vib3 embed-code` runs (src/embed, bundled
// into dist/partners/embed/snippet.js), the SRI value from this build's dist/integrity.json, and a
// live preview of the element with the chosen attributes.
import { embedSnippet, embedThemes, BUILDERS, BUILDER_NOTES, PARAM_SPECS, SCRIPT_FILE } from '../dist/partners/embed/snippet.js';

const $ = (id) => document.getElementById(id);
const form = $('form');
const kitRoot = new URL('../', location.href).href.replace(/\/$/, '');
$('local-cdn').textContent = kitRoot;

for (const id of BUILDERS) form.elements.builder.append(new Option(BUILDER_NOTES[id].name, id));
form.elements.builder.value = 'webflow';
for (const t of embedThemes()) form.elements.theme.append(new Option(t.label, t.name));
const system = PARAM_SPECS.find((s) => s.kind === 'enum');
for (const v of system.values) form.elements.system.append(new Option(v, v));
for (const spec of PARAM_SPECS.filter((s) => s.kind !== 'enum')) {
  const label = document.createElement('label');
  const input = Object.assign(document.createElement('input'), { type: 'number', name: spec.attribute, min: String(spec.min), max: String(spec.max), step: spec.kind === 'int' ? '1' : 'any', placeholder: String(spec.default) });
  label.append(`${spec.attribute} `, input);
  label.title = spec.description;
  $('params').append(label);
}

const manifest = await fetch('../dist/integrity.json').then((r) => r.json());
const kit = { version: manifest.version, integrity: manifest.files[SCRIPT_FILE].integrity };

const list = (el, items) => el.replaceChildren(...items.map((text) => Object.assign(document.createElement('li'), { textContent: text })));

let previewTimer;
/** Replaces the preview element (so cleared parameters fall back to defaults and the theme's palette). */
function preview(attributes) {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => {
    const old = $('preview');
    const el = document.createElement('vib3-canvas');
    el.id = 'preview';
    el.setAttribute('loading', 'eager');
    for (const [name, value] of attributes) if (name !== 'style') el.setAttribute(name, value);
    el.append(...old.childNodes);
    old.replaceWith(el);
  }, 250);
}

function update() {
  const data = new FormData(form);
  const text = (name) => String(data.get(name) ?? '').trim() || undefined;
  const params = {};
  for (const spec of PARAM_SPECS) if (text(spec.attribute)) params[spec.attribute] = text(spec.attribute);
  try {
    const s = embedSnippet({ builder: data.get('builder'), kit, cdn: text('cdn'), params, theme: text('theme'), width: text('width'), height: text('height'), alt: data.get('alt') === '' ? undefined : data.get('alt'), fallback: text('fallback') });
    $('error').hidden = true;
    $('snippet').textContent = s.html;
    list($('warnings'), [...s.warnings, ...s.adjusted.map((a) => `${a.name}: ${a.given} → ${a.value} (${a.reason})`)]);
    list($('where'), s.notes.where);
    $('site-wide').textContent = `Several visuals: ${s.notes.siteWide}`;
    list($('restrictions'), [...s.notes.restrictions, ...s.common]);
    preview(s.attributes);
  } catch (err) {
    $('error').hidden = false;
    $('error').textContent = err.code ? `${err.code}: ${err.message} ${err.suggestion}` : String(err);
  }
}

form.addEventListener('input', update);
$('copy').addEventListener('click', async () => {
  await navigator.clipboard.writeText($('snippet').textContent);
  $('copied').textContent = 'Copied.';
});
update();
