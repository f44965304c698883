// Small DOM helpers shared by every page. Text always goes in as text
// (never HTML), so data from the server cannot become markup.

// h('p', {class: 'x', onclick: fn, dataset: {caseId: '1'}}, 'tekst', child)
// Attributes: `class`, `for`, `dataset`, `on<event>` handlers, booleans
// (true sets an empty attribute, false/null/undefined leaves it out),
// everything else as a string attribute. Children: nodes, strings,
// numbers, arrays of those; null/undefined/false are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && 'value' in el) {
      el.value = String(value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

// Replaces every child of `el` with `children`.
export function replaceChildren(el, ...children) {
  el.textContent = '';
  append(el, children);
  return el;
}

const dateTimeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const dateFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'short', year: 'numeric',
});

const timeOfDayFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

// "23 nov 2026 18:05" in Dutch local time; '' for empty input. Terms end at
// the end of a day: midnight is shown as 24:00 of the day that ends
// ("16 dec 2026 24:00"), not as 00:00 of the next one.
export function formatDateTime(rfc3339) {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return String(rfc3339);
  if (timeOfDayFormat.format(d) === '00:00') return `${dateFormat.format(new Date(d.getTime() - 1))} 24:00`;
  return dateTimeFormat.format(d);
}

// "23 nov 2026"; accepts a date ("2026-11-23") or a timestamp.
export function formatDate(value) {
  if (!value) return '';
  const d = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
  return Number.isNaN(d.getTime()) ? String(value) : dateFormat.format(d);
}

function amount(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

// "nog 3 dagen", "nog 5 uur", "2 uur te laat", "4 dagen te laat".
export function timeLeft(rfc3339, now = Date.now()) {
  const due = new Date(rfc3339).getTime();
  if (Number.isNaN(due)) return '';
  const diff = due - now;
  const abs = Math.abs(diff);
  const minutes = Math.round(abs / 60000);
  const hours = Math.round(abs / 3600000);
  const days = Math.round(abs / 86400000);
  let span;
  if (minutes < 60) span = amount(Math.max(minutes, 1), 'minuut', 'minuten');
  else if (hours < 48) span = amount(hours, 'uur', 'uur');
  else span = amount(days, 'dag', 'dagen');
  return diff >= 0 ? `nog ${span}` : `${span} te laat`;
}

// Whether `rfc3339` lies in the past.
export function isPast(rfc3339, now = Date.now()) {
  const t = new Date(rfc3339).getTime();
  return !Number.isNaN(t) && t < now;
}

// Says `message` to screen readers through the page's live region.
export function announce(message) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A separate task, so that repeating the same message is announced again.
  setTimeout(() => { el.textContent = message; }, 50);
}

// A labelled form field: <div class=field><label for=id>…</label><input …></div>.
// `control` is 'input' (default), 'textarea' or 'select'; `options` for
// select: [{value, label}]. `hint` adds a described-by text.
export function field({id, label, name = id, control = 'input', type = 'text', required = false, options = [],
  value, hint, autocomplete, maxlength, attrs = {}}) {
  const describedBy = hint ? `${id}-hint` : null;
  const common = {id, name, required, 'aria-describedby': describedBy, autocomplete, maxlength, ...attrs};
  let input;
  if (control === 'select') {
    input = h('select', common, options.map((o) => h('option', {value: o.value, selected: o.value === value}, o.label)));
  } else if (control === 'textarea') {
    input = h('textarea', {...common, rows: attrs.rows || 4});
    if (value !== undefined && value !== null) input.value = String(value);
  } else {
    input = h('input', {...common, type, value});
  }
  return h('div', {class: 'field'},
    h('label', {for: id}, label, required ? h('span', {class: 'required', 'aria-hidden': 'true'}, ' *') : null),
    hint ? h('p', {class: 'hint', id: describedBy}, hint) : null,
    input);
}

// Shows a problem (an ApiError or any Error) in Dutch in `el`, marked for
// tests with data-testid=problem and announced to screen readers.
export function showProblem(el, error, fallback = 'Er ging iets mis. Probeer het opnieuw.') {
  const message = problemMessage(error, fallback);
  replaceChildren(el, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'}, message.title,
    message.details.length ? h('ul', {}, message.details.map((d) => h('li', {}, d))) : null));
  return message;
}

// A Dutch explanation of an API error: {title, details[]}.
export function problemMessage(error, fallback = 'Er ging iets mis. Probeer het opnieuw.') {
  const status = error && error.status;
  const problem = (error && error.problem) || {};
  const details = Array.isArray(problem.errors)
    ? problem.errors.map((e) => `${e.field}: ${e.message}`) : [];
  const titles = {
    0: 'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.',
    400: 'De gegevens zijn niet compleet of niet juist.',
    401: 'U bent niet (meer) ingelogd.',
    403: 'U heeft geen toegang tot dit onderdeel.',
    404: 'Niet gevonden.',
    409: 'Iemand anders heeft dit intussen gewijzigd.',
    413: 'De invoer is te groot.',
    422: 'De gegevens zijn niet compleet of niet juist.',
    429: 'Te veel verzoeken. Wacht even en probeer het opnieuw.',
    503: 'De server is even te druk. Probeer het zo opnieuw.',
  };
  return {title: titles[status] || fallback, details};
}

// Marks the fields named in a validation problem (errors[].field, e.g.
// "location.street") as invalid. `names` maps API field names to element
// ids; unmapped fields are left alone. Returns the first marked element.
export function markInvalid(form, error, names) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const errors = (error && error.problem && Array.isArray(error.problem.errors)) ? error.problem.errors : [];
  let first = null;
  for (const e of errors) {
    const id = names[e.field];
    const el = id && form.querySelector(`#${CSS.escape(id)}`);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      first = first || el;
    }
  }
  return first;
}
