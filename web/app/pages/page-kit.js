// Small helpers shared by the dashboard, overleg, person and privacy pages
// (not by the shell): their stylesheet, loading a vendor script once, Dutch
// labels for API codes, and a link to a case.

import {h} from '../dom.js';

// Adds /app/pages.css to the document once (the shell's index.html does not
// know about it).
export function ensurePagesStylesheet() {
  if (document.querySelector('link[data-pages-css]')) return;
  document.head.appendChild(h('link', {rel: 'stylesheet', href: '/app/pages.css', 'data-pages-css': ''}));
}

const scripts = new Map();
// Loads a classic script (a vendor UMD bundle) once; resolves when it ran.
export function loadScript(src) {
  if (!scripts.has(src)) {
    scripts.set(src, new Promise((resolve, reject) => {
      const el = h('script', {src});
      el.addEventListener('load', () => resolve());
      el.addEventListener('error', () => { scripts.delete(src); reject(new Error(`could not load ${src}`)); });
      document.head.appendChild(el);
    }));
  }
  return scripts.get(src);
}

// A case type's label, from the workflow files (../case-types.js; pages
// call loadCaseTypes() before rendering).
export {typeLabel} from '../case-types.js';

// "bemiddeling_inzetten" → "bemiddeling inzetten": readable when the API gives no label.
export function humanize(code) { return String(code || '').replace(/_/g, ' '); }

// A link to a case. People know a case by its zaaknummer (IAWW-2026-0042);
// the hex id stays in the URL. Without a text, the link reads
// "Zaak <zaaknummer>", or "Zaak <id>" where the zaaknummer is not at hand
// (an audit entry, a grant).
export function caseLink(caseId, text, zaaknummer) {
  return h('a', {href: `#/zaken/${encodeURIComponent(caseId)}`}, text || `Zaak ${caseNumber(caseId, zaaknummer)}`);
}

// How a case is named to people: its zaaknummer, else its id.
export function caseNumber(caseId, zaaknummer) { return zaaknummer || caseId; }

export function personLink(personId, text) {
  return h('a', {href: `#/personen/${encodeURIComponent(personId)}`}, text || 'Integraal beeld');
}

// Today's date in Europe/Amsterdam as YYYY-MM-DD.
export function localToday() {
  return new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Amsterdam'}).format(new Date());
}

// A section with a heading whose id labels it.
export function section(id, title, ...children) {
  return h('section', {class: 'panel', 'aria-labelledby': `${id}-title`},
    h('h2', {id: `${id}-title`}, title), ...children);
}
