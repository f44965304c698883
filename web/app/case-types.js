// The case types this Casus has loaded (GET /api/v1/workflows), fetched once
// per page load and shared by every page. The workflow files are the one
// source of case-type knowledge: every label of a type, its states, levels,
// transitions and deadlines comes from here, and so does the type the
// meldpunt's triage form proposes for a report. The web app keeps no tables
// of its own for case types.
//
// Call `await loadCaseTypes()` before rendering; the lookups are then
// synchronous. When the answer could not be loaded they fall back to a
// readable form of the id, and the next loadCaseTypes() tries again.
//
// The list holds the latest version of each type. A case stays on the
// version it was opened under (`definition_version`); `loadWorkflowVersion`
// gives that one, older or not (GET /api/v1/workflows/{type}/{version}).

import {api} from './api.js';

let pending = null;
let loaded = [];
// "type@version" → the promise of that definition. A loaded version never
// changes while the server runs, so one fetch per page load is enough.
const versions = new Map();

// Resolves to the workflows (possibly [] when they could not be loaded).
export function loadCaseTypes() {
  if (!pending) {
    pending = api('GET', '/api/v1/workflows')
      .then((answer) => {
        loaded = (answer && Array.isArray(answer.workflows)) ? answer.workflows : [];
        return loaded;
      })
      .catch(() => {
        pending = null;  // try again on the next page
        return loaded;
      });
  }
  return pending;
}

// The workflows as loaded so far, in the server's order (by id).
export function caseTypes() { return loaded; }

export function workflowOf(type) { return loaded.find((w) => w.id === type) || null; }

// Resolves to one loaded version of a case type, in the list's form (with
// `versions`): the latest from the list when that is the one asked for,
// else fetched once and kept; the latest (or null) when `version` is not a
// positive integer. null when it could not be loaded (an unknown version,
// or no connection: the next call tries again).
export async function loadWorkflowVersion(type, version) {
  await loadCaseTypes();
  const latest = workflowOf(type);
  if (!Number.isInteger(version) || version < 1) return latest;  // no version named: the latest
  if (latest && latest.version === version) return latest;
  const key = `${type}@${version}`;
  if (!versions.has(key)) {
    const fetched = api('GET', `/api/v1/workflows/${encodeURIComponent(type)}/${encodeURIComponent(version)}`)
      .catch(() => {
        versions.delete(key);
        return null;
      });
    versions.set(key, fetched);
  }
  return versions.get(key);
}

// "bemiddeling_inzetten" → "bemiddeling inzetten": readable when no label is known.
function readable(code) { return String(code || '').replace(/_/g, ' '); }

function labelIn(items, key, id) {
  const found = (items || []).find((x) => x[key] === id);
  return found && found.label ? found.label : readable(id);
}

export function typeLabel(type) {
  const wf = workflowOf(type);
  return wf && wf.label ? wf.label : readable(type);
}

export function stateLabel(type, state) {
  const wf = workflowOf(type);
  return labelIn(wf && wf.states, 'id', state);
}

export function levelLabel(type, level) {
  const wf = workflowOf(type);
  return labelIn(wf && wf.levels, 'id', level);
}

export function transitionLabel(type, name) {
  const wf = workflowOf(type);
  return labelIn(wf && wf.transitions, 'name', name);
}

export function deadlineLabel(type, id) {
  const wf = workflowOf(type);
  return labelIn(wf && wf.deadlines, 'id', id);
}

// [{value, label}] for a select of case types.
export function caseTypeOptions() {
  return loaded.map((wf) => ({value: wf.id, label: wf.label || wf.id}));
}

// The type a workflow's `suggest_for` proposes for a report: a matching
// police incident code wins over a matching category; among several, the
// first by id. '' when none matches (the meldpunt chooses).
export function suggestedCaseType(category, incidentCode) {
  const code = String(incidentCode || '').toUpperCase();
  const suggestions = (wf) => wf.suggest_for || {};
  const byCode = code && loaded.find((wf) =>
    (suggestions(wf).incident_codes || []).some((c) => String(c).toUpperCase() === code));
  if (byCode) return byCode.id;
  const byCategory = category && loaded.find((wf) => (suggestions(wf).categories || []).includes(category));
  return byCategory ? byCategory.id : '';
}
