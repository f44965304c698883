// Overleg (#/overleg): the meetings the user organises or takes part in,
// per case type; the agenda of the next meeting (or a chosen date); and,
// per case on the agenda, one form to record the decision: a transition
// with exactly the data it requires, notes, and afspraken with owner and
// due date. A refused decision keeps what the user typed and shows why.
//
// #/overleg?overleg=<meeting id>&datum=<YYYY-MM-DD> opens that agenda directly.

import {ApiError} from '../api.js';
import {announce, formatDate, formatDateTime, h, problemMessage, replaceChildren, showProblem} from '../dom.js';
import {levelLabel, loadCaseTypes, stateLabel, transitionLabel} from '../case-types.js';
import {caseLink, ensurePagesStylesheet, humanize, localToday, personLink, section, typeLabel} from './page-kit.js';
import {caseNumber} from './page-kit.js';

const REASONS = {new: 'nieuw', awaiting_overleg: 'wacht op het overleg', review_due: 'evaluatie', manual: 'handmatig'};
const MAX_ACTIONS = 20;

export async function render(root, ctx) {
  ensurePagesStylesheet();
  const problem = h('div');
  const agendaBox = h('div', {'data-testid': 'agenda'});
  replaceChildren(root, h('h1', {}, 'Overleg'), problem);
  let meetings;
  try {
    [meetings] = await Promise.all([ctx.api('GET', '/api/v1/meetings').then((a) => a.meetings), loadCaseTypes()]);
  } catch (e) {
    showProblem(problem, e, 'De overleggen konden niet worden geladen.');
    return;
  }
  if (!root.isConnected) return;
  const query = new URLSearchParams(location.hash.split('?')[1] || '');

  const open = (meeting, date) => openAgenda(agendaBox, ctx, meeting, date);
  const byType = new Map();
  for (const m of meetings) {
    if (!byType.has(m.case_type)) byType.set(m.case_type, []);
    byType.get(m.case_type).push(m);
  }
  const list = meetings.length === 0
    ? h('p', {class: 'empty'}, 'U organiseert geen overleg en uw organisatie neemt aan geen overleg deel.')
    : h('div', {class: 'meeting-groups', 'data-testid': 'meetings'}, [...byType.keys()].sort().map((type) =>
      h('div', {class: 'meeting-group'},
        h('h3', {}, typeLabel(type)),
        h('ul', {class: 'item-list'}, byType.get(type).map((m) => h('li', {dataset: {meetingId: m.id}},
          h('strong', {}, m.name), ` · ${m.municipality === 'regio' ? 'regio' : m.municipality}`,
          ` · elke ${m.cadence_days} dagen · volgende: ${formatDate(nextMeetingDate(m))} `,
          h('button', {type: 'button', class: 'secondary', dataset: {openMeeting: m.id},
            onclick: () => open(m, nextMeetingDate(m))}, 'Agenda openen')))))));
  root.append(section('overleggen', 'Overleggen per zaaktype', list), agendaBox);

  const wanted = meetings.find((m) => m.id === query.get('overleg')) || (meetings.length === 1 ? meetings[0] : null);
  if (wanted) open(wanted, /^\d{4}-\d{2}-\d{2}$/.test(query.get('datum') || '') ? query.get('datum') : nextMeetingDate(wanted));
}

// The first meeting day on or after today: created_at's date plus whole cadences.
export function nextMeetingDate(meeting, today = localToday()) {
  const start = new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Amsterdam'}).format(new Date(meeting.created_at));
  const dayMs = 86400000;
  const t0 = Date.parse(`${start}T00:00:00Z`);
  const now = Date.parse(`${today}T00:00:00Z`);
  const cadence = Math.max(1, meeting.cadence_days || 7);
  const k = Math.max(0, Math.ceil((now - t0) / dayMs / cadence));
  return new Date(t0 + k * cadence * dayMs).toISOString().slice(0, 10);
}

async function openAgenda(box, ctx, meeting, date) {
  const dateInput = h('input', {id: 'agenda-date', name: 'date', type: 'date', value: date, required: true});
  const problem = h('div');
  const content = h('div');
  const form = h('form', {class: 'inline-form', onsubmit: (ev) => {
    ev.preventDefault();
    if (dateInput.value) load(dateInput.value);
  }},
  h('div', {class: 'field'}, h('label', {for: 'agenda-date'}, 'Datum van het overleg'), dateInput),
  h('button', {type: 'submit'}, 'Agenda tonen'));
  replaceChildren(box, section('agenda', `Agenda: ${meeting.name}`,
    h('p', {class: 'hint'}, `${typeLabel(meeting.case_type)}, ${meeting.municipality}.`),
    form, problem, content));

  async function load(day) {
    replaceChildren(problem);
    replaceChildren(content, h('p', {}, 'Agenda wordt geladen…'));
    let agenda;
    try {
      agenda = await ctx.api('GET', `/api/v1/meetings/${encodeURIComponent(meeting.id)}/agendas/${day}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        replaceChildren(content,
          h('p', {}, `Er is nog geen agenda voor ${formatDate(day)}.`),
          h('button', {type: 'button', 'data-testid': 'generate-agenda', onclick: async () => {
            try {
              await ctx.api('POST', `/api/v1/meetings/${encodeURIComponent(meeting.id)}/agendas`, {date: day});
              announce('De agenda is opgesteld.');
              load(day);
            } catch (err) {
              showProblem(problem, err, 'De agenda kon niet worden opgesteld.');
              if (err.status === 403) problem.append(h('p', {}, 'Alleen de organisator van het overleg stelt de agenda op.'));
            }
          }}, 'Agenda opstellen'));
        return;
      }
      replaceChildren(content);
      showProblem(problem, e, 'De agenda kon niet worden geladen.');
      return;
    }
    if (!box.isConnected) return;
    showAgenda(content, ctx, meeting, agenda);
  }
  load(date);
  dateInput.focus();
}

function showAgenda(content, ctx, meeting, agenda) {
  const decided = new Map();
  for (const d of agenda.decisions || []) {
    if (!decided.has(d.case_id)) decided.set(d.case_id, []);
    decided.get(d.case_id).push(d);
  }
  if (!agenda.items || agenda.items.length === 0) {
    replaceChildren(content, h('p', {class: 'empty'}, `De agenda van ${formatDate(agenda.date)} heeft geen zaken die u mag inzien.`));
    return;
  }
  replaceChildren(content,
    h('p', {}, `${agenda.items.length} ${agenda.items.length === 1 ? 'zaak' : 'zaken'} op de agenda van ${formatDate(agenda.date)}.`),
    h('ol', {class: 'agenda-items', 'data-testid': 'agenda-items'}, agenda.items.map((item) =>
      agendaItem(ctx, meeting, agenda, item, decided.get(item.case_id) || []))));
}

// The server's summary names what was done ("transition x; note id;
// action id"); said in Dutch here, with the transitions' labels.
function decisionText(summary, caseType) {
  const parts = String(summary || '').split('; ');
  const transitions = parts.filter((p) => p.startsWith('transition '))
    .map((p) => transitionLabel(caseType, p.slice(11)).toLowerCase());
  const notes = parts.filter((p) => p.startsWith('note ')).length;
  const actions = parts.filter((p) => p.startsWith('action ')).length;
  const out = [];
  if (transitions.length) out.push(`overgang: ${transitions.join(', ')}`);
  if (notes) out.push(notes === 1 ? 'notitie' : `${notes} notities`);
  if (actions) out.push(actions === 1 ? '1 afspraak' : `${actions} afspraken`);
  return out.length ? out.join('; ') : summary;
}

function decisionLine(d, caseType) {
  return h('li', {}, `${formatDateTime(d.decided_at)}: ${decisionText(d.summary, caseType)}`);
}

function agendaItem(ctx, meeting, agenda, item, decisions) {
  const c = item.case;
  const decisionList = h('ul', {class: 'decisions', 'data-testid': 'decisions'}, decisions.length
    ? decisions.map((d) => decisionLine(d, meeting.case_type)) : h('li', {class: 'empty'}, 'Nog geen besluit vastgelegd.'));
  const formBox = h('div');
  const headingId = `item-${c.id}`;
  const toggle = h('button', {type: 'button', 'aria-expanded': 'false', dataset: {decide: c.id}, onclick: async () => {
    if (toggle.getAttribute('aria-expanded') === 'true') {
      toggle.setAttribute('aria-expanded', 'false');
      replaceChildren(formBox);
      return;
    }
    toggle.setAttribute('aria-expanded', 'true');
    await decisionForm(formBox, ctx, meeting, agenda, c.id, (result) => {
      const empty = decisionList.querySelector('li.empty');
      if (empty) empty.remove();
      decisionList.append(decisionLine(result.decision, meeting.case_type));
      toggle.setAttribute('aria-expanded', 'false');
      replaceChildren(formBox, h('p', {class: 'ok', role: 'status'}, 'Het besluit is vastgelegd.'));
      if (result.case) stateLine.textContent = stateText(result.case);
      toggle.focus();
    });
  }}, 'Besluit vastleggen');
  const stateLine = h('span', {}, stateText(c));
  return h('li', {class: 'agenda-item', dataset: {caseId: c.id}, 'aria-labelledby': headingId},
    h('h3', {id: headingId}, caseLink(c.id, `${c.subject.name} · zaak ${caseNumber(c.id, c.zaaknummer)}`)),
    h('p', {}, stateLine, ` · reden: ${REASONS[item.reason] || humanize(item.reason)} · `,
      personLink(c.subject.id, 'integraal beeld')),
    h('div', {}, h('h4', {}, 'Besluiten'), decisionList),
    toggle, formBox);
}

function stateText(c) {
  return `${c.state_label || stateLabel(c.type, c.state)}, niveau ${c.level_label || levelLabel(c.type, c.level)}`;
}

// The decision form for one case: loads the case for its allowed
// transitions (with their fields) and version.
async function decisionForm(box, ctx, meeting, agenda, caseId, onDone) {
  replaceChildren(box, h('p', {}, 'Zaak wordt geladen…'));
  let kase;
  try {
    kase = await ctx.api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`);
  } catch (e) {
    showProblem(box, e, 'De zaak kon niet worden geladen.');
    return;
  }
  const p = (name) => `d-${caseId}-${name}`;
  const problem = h('div');
  const transitionSelect = h('select', {id: p('transition'), name: 'transition'},
    h('option', {value: ''}, 'Geen overgang (alleen notities en afspraken)'),
    kase.allowed_transitions.map((t) => h('option', {value: t.name}, t.label || humanize(t.name))));
  const fieldsBox = h('div', {class: 'transition-fields'});
  const note = h('textarea', {id: p('note'), name: 'note', rows: 4, maxlength: 20000});
  const actionsBox = h('div', {class: 'actions-box'});
  const owners = ownerOptions(kase, meeting, ctx.user);
  let actionCount = 0;

  const renderFields = () => {
    const t = kase.allowed_transitions.find((x) => x.name === transitionSelect.value);
    replaceChildren(fieldsBox, t ? (t.fields || []).map((f) => transitionField(p(`f-${f.name}`), f)) : null);
  };
  transitionSelect.addEventListener('change', renderFields);

  const addAction = () => {
    if (actionCount >= MAX_ACTIONS) return;
    const n = ++actionCount;
    const q = (name) => p(`a${n}-${name}`);
    const row = h('fieldset', {class: 'action-row', dataset: {action: n}},
      h('legend', {}, `Afspraak ${n}`),
      h('div', {class: 'field'}, h('label', {for: q('description')}, 'Wat is afgesproken'),
        h('textarea', {id: q('description'), name: 'description', rows: 2, maxlength: 2000, required: true})),
      h('div', {class: 'field'}, h('label', {for: q('owner')}, 'Eigenaar (organisatie)'),
        h('select', {id: q('owner'), name: 'owner_org', required: true},
          owners.map((o) => h('option', {value: o.id}, o.name)))),
      h('div', {class: 'field'}, h('label', {for: q('due')}, 'Uiterlijk op'),
        h('input', {id: q('due'), name: 'due', type: 'date', required: true, min: localToday()})),
      h('button', {type: 'button', class: 'secondary', onclick: () => { row.remove(); }}, `Afspraak ${n} verwijderen`));
    actionsBox.append(row);
    row.querySelector('textarea').focus();
  };

  const submit = h('button', {type: 'submit'}, 'Besluit opslaan');
  const form = h('form', {class: 'decision-form', 'data-testid': 'decision-form', novalidate: false},
    h('div', {class: 'field'}, h('label', {for: p('transition')}, 'Besluit (overgang van de zaak)'), transitionSelect),
    fieldsBox,
    h('div', {class: 'field'}, h('label', {for: p('note')}, 'Notities'), note),
    h('h4', {}, 'Afspraken'),
    actionsBox,
    h('button', {type: 'button', class: 'secondary', onclick: addAction}, 'Afspraak toevoegen'),
    problem,
    h('div', {class: 'form-actions'}, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replaceChildren(problem);
    const body = {case_id: caseId};
    const t = kase.allowed_transitions.find((x) => x.name === transitionSelect.value);
    if (t) {
      body.transition = t.name;
      body.version = kase.version;
      const data = {};
      for (const f of t.fields || []) {
        const v = fieldValue(form.querySelector(`#${cssId(p(`f-${f.name}`))}`), f);
        if (v !== undefined) data[f.name] = v;
      }
      if (Object.keys(data).length) body.data = data;
    }
    if (note.value.trim()) body.note = note.value;
    const actions = [...actionsBox.querySelectorAll('fieldset.action-row')].map((row) => ({
      description: row.querySelector('[name=description]').value,
      owner_org: row.querySelector('[name=owner_org]').value,
      due_at: endOfDay(row.querySelector('[name=due]').value),
    }));
    if (actions.length) body.actions = actions;
    if (!body.transition && !body.note && !body.actions) {
      replaceChildren(problem, h('p', {class: 'problem', role: 'alert', 'data-testid': 'problem'},
        'Kies een overgang, schrijf een notitie of voeg een afspraak toe.'));
      return;
    }
    submit.disabled = true;
    try {
      const result = await ctx.api('POST',
        `/api/v1/meetings/${encodeURIComponent(meeting.id)}/agendas/${agenda.date}/decisions`, body);
      announce('Het besluit is vastgelegd.');
      onDone(result);
    } catch (e) {
      submit.disabled = false;
      showProblem(problem, e, 'Het besluit kon niet worden opgeslagen.');
      if (e instanceof ApiError && e.status === 409) {
        // Someone else changed the case: keep the input, show the new state and choices.
        try {
          const fresh = await ctx.api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`);
          kase = fresh;
          const chosen = transitionSelect.value;
          replaceChildren(transitionSelect, h('option', {value: ''}, 'Geen overgang (alleen notities en afspraken)'),
            fresh.allowed_transitions.map((x) => h('option', {value: x.name, selected: x.name === chosen}, x.label || humanize(x.name))));
          problem.append(h('p', {}, `De zaak staat nu in ${stateText(fresh)}. Uw invoer is bewaard; kies opnieuw en sla op.`));
          if (transitionSelect.value !== chosen) renderFields();
        } catch { /* the first problem stays visible */ }
      }
      const {title} = problemMessage(e);
      announce(title);
    }
  });

  replaceChildren(box, form);
  transitionSelect.focus();
}

function cssId(id) { return id.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`); }

// The afspraak owner choices: the case team's organisations (with names),
// the user's own organisation, the meeting's participants.
function ownerOptions(kase, meeting, user) {
  const out = new Map();
  if (user && user.organisation) out.set(user.organisation.id, user.organisation.name);
  for (const m of kase.team || []) out.set(m.org_id, m.org_name || `organisatie ${m.org_id}`);
  for (const id of meeting.participants || []) if (!out.has(id)) out.set(id, `organisatie ${id}`);
  return [...out.entries()].map(([id, name]) => ({id, name}));
}

// A due date means the end of that working day, Dutch time.
function endOfDay(date) {
  if (!date) return '';
  const d = new Date(`${date}T17:00:00`);
  return Number.isNaN(d.getTime()) ? date : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function transitionField(id, f) {
  const label = h('label', {for: id}, f.label || humanize(f.name),
    f.optional ? ' (optioneel)' : h('span', {class: 'required', 'aria-hidden': 'true'}, ' *'));
  let input;
  switch (f.type) {
    case 'bool':
      return h('div', {class: 'field checkbox'}, h('input', {id, name: f.name, type: 'checkbox'}), label);
    case 'enum':
      input = h('select', {id, name: f.name, required: !f.optional},
        h('option', {value: ''}, 'Kies…'), (f.values || []).map((v) => h('option', {value: v}, humanize(v))));
      break;
    case 'integer':
      input = h('input', {id, name: f.name, type: 'number', step: 1, required: !f.optional});
      break;
    case 'date':
      input = h('input', {id, name: f.name, type: 'date', required: !f.optional});
      break;
    case 'datetime':
      input = h('input', {id, name: f.name, type: 'datetime-local', required: !f.optional});
      break;
    default:
      input = h('textarea', {id, name: f.name, rows: 2, maxlength: 20000, required: !f.optional});
  }
  return h('div', {class: 'field'}, label, input);
}

function fieldValue(el, f) {
  if (!el) return undefined;
  if (f.type === 'bool') return el.checked;
  const v = el.value;
  if (v === '' || v === undefined) return undefined;
  if (f.type === 'integer') return Number.parseInt(v, 10);
  if (f.type === 'datetime') return new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return v;
}
