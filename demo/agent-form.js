// Forms generated from a tool's inputSchema (JSON Schema, type "object"): one field per property.
// number/integer -> <input type=number> with the schema's minimum/maximum; enum -> <select>;
// boolean -> <select> (unset/true/false); string -> <input type=text> (with a <datalist> when the
// schema offers known values through anyOf); anything else -> a JSON <textarea>. A field left
// empty is left out of the call, so optional properties can stay unset. The values are not
// checked here: the registry validates the input against the schema and answers with a coded error.

let uid = 0;

const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

/** The values a property may take when the schema lists them (enum, const, or anyOf of those). */
function knownValues(prop) {
  if (Array.isArray(prop.enum)) return { values: prop.enum, closed: true };
  if ('const' in prop) return { values: [prop.const], closed: true };
  if (Array.isArray(prop.anyOf)) {
    const values = prop.anyOf.flatMap((p) => (Array.isArray(p?.enum) ? p.enum : 'const' in (p ?? {}) ? [p.const] : []));
    // Other branches (e.g. a pattern) allow more values: offer these as suggestions only.
    if (values.length) return { values, closed: prop.anyOf.every((p) => Array.isArray(p?.enum) || 'const' in (p ?? {})) };
  }
  return undefined;
}

const typeOf = (prop) => (Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type);

/** One field: { row, read() -> { set: boolean, value } }. */
function field(name, prop, required) {
  const id = `f${++uid}-${name}`;
  const type = typeOf(prop);
  const known = knownValues(prop);
  let control;
  let read;
  if (known?.closed) {
    control = el('select', { id, name });
    if (!required || known.values.length > 1) control.append(el('option', { value: '', textContent: required ? '— choose —' : '— leave unset —' }));
    known.values.forEach((v, i) => control.append(el('option', { value: String(i), textContent: JSON.stringify(v) === `"${v}"` ? String(v) : JSON.stringify(v) })));
    read = () => (control.value === '' ? { set: false } : { set: true, value: known.values[Number(control.value)] });
  } else if (type === 'number' || type === 'integer') {
    control = el('input', { id, name, type: 'number', step: type === 'integer' ? '1' : 'any', placeholder: required ? 'required' : 'unset' });
    if (typeof prop.minimum === 'number') control.min = String(prop.minimum);
    if (typeof prop.maximum === 'number') control.max = String(prop.maximum);
    control.dataset.type = type;
    read = () => (control.value.trim() === '' ? { set: false } : { set: true, value: Number(control.value) });
  } else if (type === 'boolean') {
    control = el('select', { id, name }, [el('option', { value: '', textContent: '— leave unset —' }), el('option', { value: 'true', textContent: 'true' }), el('option', { value: 'false', textContent: 'false' })]);
    read = () => (control.value === '' ? { set: false } : { set: true, value: control.value === 'true' });
  } else if (type === 'string') {
    control = el('input', { id, name, type: 'text', placeholder: required ? 'required' : 'unset' });
    if (typeof prop.maxLength === 'number') control.maxLength = prop.maxLength;
    if (typeof prop.minLength === 'number') control.minLength = prop.minLength;
    if (known) {
      const list = el('datalist', { id: `${id}-values` }, known.values.map((v) => el('option', { value: String(v) })));
      control.setAttribute('list', list.id);
      read = () => (control.value === '' ? { set: false } : { set: true, value: control.value });
      const row = build(id, name, prop, required, control, type);
      row.append(list);
      return { row, read };
    }
    read = () => (control.value === '' ? { set: false } : { set: true, value: control.value });
  } else {
    control = el('textarea', { id, name, rows: 2, placeholder: `JSON${required ? ' (required)' : ''}` });
    read = () => {
      if (control.value.trim() === '') return { set: false };
      try {
        return { set: true, value: JSON.parse(control.value) };
      } catch {
        return { set: true, value: control.value };
      }
    };
  }
  return { row: build(id, name, prop, required, control, type), read };
}

function build(id, name, prop, required, control, type) {
  const range = typeof prop.minimum === 'number' || typeof prop.maximum === 'number' ? ` ${prop.minimum ?? '−∞'}..${prop.maximum ?? '∞'}` : '';
  const label = el('label', { htmlFor: id }, [el('code', { textContent: name }), required ? el('span', { className: 'required', textContent: ' *' }) : '', el('span', { className: 'type', textContent: ` ${type ?? 'any'}${range}` })]);
  const row = el('div', { className: 'field' }, [label, control]);
  row.dataset.name = name;
  if (prop.description) row.append(el('small', { textContent: prop.description }));
  return row;
}

/**
 * Fills `form` with fields for `schema` and returns `read()`, which collects the filled-in values
 * as the call's input object.
 */
export function renderSchemaForm(form, schema) {
  form.replaceChildren();
  const props = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const fields = Object.entries(props).map(([name, prop]) => ({ name, ...field(name, prop ?? {}, required.has(name)) }));
  if (fields.length === 0) form.append(el('p', { className: 'hint', textContent: 'This tool takes no input.' }));
  for (const f of fields) form.append(f.row);
  return () => {
    const input = {};
    for (const f of fields) {
      const { set, value } = f.read();
      if (set) input[f.name] = value;
    }
    return input;
  };
}
