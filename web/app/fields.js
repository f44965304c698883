// Form fields for workflow data: the `fields` of an allowed transition or
// of opening a case ({name, type, label, optional, values?}), rendered as
// labelled controls and read back as typed values for the API.

import {field, h} from './dom.js';

const ENUM_LABELS = {
  burger: 'Burger', naaste: 'Naaste', professional: 'Professional', politie: 'Politie',
  landelijk_meldpunt_zorgwekkend_gedrag: 'Landelijk Meldpunt Zorgwekkend Gedrag', anoniem: 'Anoniem',
  e33: 'E33 – verward gedrag', e14: 'E14 – poging tot zelfdoding',
};

function humanize(value) {
  return ENUM_LABELS[value] || value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

// One labelled control per spec; ids are `${prefix}-${name}`. `values`
// pre-fills (e.g. the user's earlier input after a conflict).
export function dataFields(specs, prefix, values = {}) {
  return specs.map((spec) => {
    const id = `${prefix}-${spec.name}`;
    const required = !spec.optional;
    const value = values[spec.name];
    const attrs = {'data-field': spec.name, 'data-type': spec.type};
    switch (spec.type) {
      case 'bool':
        return field({id, label: spec.label, control: 'select', required, attrs,
          value: value === true ? 'true' : value === false ? 'false' : '',
          options: [{value: '', label: 'Kies ja of nee'}, {value: 'true', label: 'Ja'}, {value: 'false', label: 'Nee'}]});
      case 'enum':
        return field({id, label: spec.label, control: 'select', required, attrs, value: value ?? '',
          options: [{value: '', label: spec.optional ? 'Geen' : 'Kies een waarde'},
            ...(spec.values || []).map((v) => ({value: v, label: humanize(v)}))]});
      case 'date':
        return field({id, label: spec.label, type: 'date', required, attrs, value: value ?? ''});
      case 'datetime':
        return field({id, label: spec.label, type: 'datetime-local', required, attrs,
          value: value ? toLocalInput(value) : ''});
      case 'integer':
        return field({id, label: spec.label, type: 'number', required, attrs: {...attrs, step: 1}, value: value ?? ''});
      default:
        return field({id, label: spec.label, control: 'textarea', required, attrs: {...attrs, rows: 3}, maxlength: 5000,
          value: value ?? ''});
    }
  });
}

// Reads the controls of `specs` inside `container`: {data, errors}, where
// errors name the missing required fields (with their labels).
export function readDataFields(container, specs, prefix) {
  const data = {};
  const errors = [];
  for (const spec of specs) {
    const el = container.querySelector(`#${CSS.escape(`${prefix}-${spec.name}`)}`);
    if (!el) continue;
    const raw = el.value.trim();
    el.removeAttribute('aria-invalid');
    if (raw === '') {
      if (!spec.optional) {
        errors.push({field: spec.name, message: `${spec.label} is verplicht`});
        el.setAttribute('aria-invalid', 'true');
      }
      continue;
    }
    if (spec.type === 'bool') data[spec.name] = raw === 'true';
    else if (spec.type === 'integer') data[spec.name] = Number.parseInt(raw, 10);
    else if (spec.type === 'datetime') data[spec.name] = new Date(raw).toISOString().replace(/\.\d{3}Z$/, 'Z');
    else data[spec.name] = raw;
  }
  return {data, errors};
}

// The raw values currently in the controls (to restore them later).
export function snapshotDataFields(container, specs, prefix) {
  const out = {};
  for (const spec of specs) {
    const el = container.querySelector(`#${CSS.escape(`${prefix}-${spec.name}`)}`);
    if (!el || el.value === '') continue;
    out[spec.name] = spec.type === 'bool' ? el.value === 'true' : el.value;
  }
  return out;
}

function toLocalInput(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export {humanize};
