// Person view, "integraal beeld" (#/personen/<id>): for one person every
// case, measure and afspraak of every partner that the user may see, in one
// place — first per case (type, state, level, deadlines, team, afspraken),
// then per organisation (what each partner is involved in and owes).

import {deadlineLabel, levelLabel, loadCaseTypes, stateLabel} from '../case-types.js';
import {formatDate, formatDateTime, h, replaceChildren, showProblem, timeLeft} from '../dom.js';
import {caseLink, ensurePagesStylesheet, humanize, section, typeLabel} from './page-kit.js';
import {caseNumber} from './page-kit.js';

const ACTION_STATUS = {open: 'open', gereed: 'gereed', vervallen: 'vervallen'};

export async function render(root, ctx) {
  ensurePagesStylesheet();
  const id = ctx.params.id;
  const problem = h('div');
  replaceChildren(root, h('h1', {}, 'Integraal beeld'), problem, h('p', {}, 'Wordt geladen…'));
  let view;
  try {
    [view] = await Promise.all([ctx.api('GET', `/api/v1/persons/${encodeURIComponent(id)}`), loadCaseTypes()]);
  } catch (e) {
    replaceChildren(root, h('h1', {}, 'Integraal beeld'), problem);
    showProblem(problem, e, 'Het integraal beeld kon niet worden geladen.');
    if (e.status === 404)
      problem.append(h('p', {}, 'Deze persoon is onbekend, of u heeft geen toegang tot een van de zaken over deze persoon.'));
    return;
  }
  if (!root.isConnected) return;

  const person = view.person;
  const cases = view.cases || [];
  const orgNames = organisationNames(cases);
  replaceChildren(root,
    h('h1', {}, `Integraal beeld: ${person.name}`),
    h('p', {class: 'hint'},
      person.birth_date ? `Geboren ${formatDate(person.birth_date)}. ` : '',
      `${cases.length} ${cases.length === 1 ? 'zaak' : 'zaken'} die u mag inzien. `,
      'Zaken waartoe u geen toegang heeft, staan hier niet; dat het er zijn, wordt ook niet getoond.'),
    problem,
    section('per-zaak', 'Zaken, maatregelen en afspraken',
      h('ul', {class: 'case-cards', 'data-testid': 'person-cases'},
        cases.length === 0 ? h('li', {class: 'empty'}, 'Geen zaken die u mag inzien.')
          : cases.map((c) => caseCard(c, orgNames)))),
    section('per-partner', 'Per organisatie', byOrganisation(cases, orgNames)));
}

// org id → name, from every case team (afspraken carry only the id).
function organisationNames(cases) {
  const names = new Map();
  for (const c of cases)
    for (const m of c.team || []) if (m.org_name) names.set(m.org_id, m.org_name);
  return names;
}

function orgName(names, id) { return names.get(id) || `organisatie ${id}`; }

function caseCard(c, orgNames) {
  const deadlines = (c.deadlines || []).filter((d) => !d.cleared_at);
  const measures = Object.entries(c.data || {});
  return h('li', {class: 'case-card', dataset: {caseId: c.id}},
    h('h3', {}, caseLink(c.id, `${typeLabel(c.type)} · zaak ${caseNumber(c.id, c.zaaknummer)}`)),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Toestand'), h('dd', {}, c.state_label || stateLabel(c.type, c.state)),
      h('dt', {}, 'Niveau'), h('dd', {}, c.level_label || levelLabel(c.type, c.level)),
      h('dt', {}, 'Gemeente'), h('dd', {}, c.municipality),
      h('dt', {}, 'Sinds'), h('dd', {}, formatDate(c.created_at)),
      h('dt', {}, 'Laatst gewijzigd'), h('dd', {}, formatDateTime(c.updated_at))),
    c.via_break_glass ? h('p', {class: 'warning'}, 'U ziet deze zaak via een noodtoegang (break-the-glass).') : null,
    deadlines.length ? h('div', {},
      h('h4', {}, 'Termijnen'),
      h('ul', {}, deadlines.map((d) => h('li', {class: d.overdue ? 'late' : null},
        `${d.label || deadlineLabel(c.type, d.name)}: ${formatDateTime(d.due_at)} (${timeLeft(d.due_at)})`)))) : null,
    h('h4', {}, 'Betrokken organisaties'),
    h('ul', {}, (c.team || []).map((m) => h('li', {dataset: {orgId: m.org_id}},
      `${m.org_name || m.org_id} — ${humanize(m.role)}`))),
    measures.length ? h('details', {},
      h('summary', {}, 'Vastgelegde gegevens en maatregelen'),
      h('dl', {class: 'facts'}, measures.flatMap(([k, v]) => [h('dt', {}, humanize(k)), h('dd', {}, valueText(v))]))) : null,
    h('h4', {}, 'Afspraken'),
    actionsTable(c.actions || [], orgNames, `Afspraken in zaak ${caseNumber(c.id, c.zaaknummer)}`));
}

function valueText(v) {
  if (v === true) return 'ja';
  if (v === false) return 'nee';
  return String(v);
}

function actionsTable(actions, orgNames, caption) {
  if (actions.length === 0) return h('p', {class: 'empty'}, 'Geen afspraken.');
  return h('table', {class: 'data-table'},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, ['Afspraak', 'Eigenaar', 'Uiterlijk', 'Status'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, actions.map((a) => {
      const late = a.status === 'open' && new Date(a.due_at) < new Date();
      return h('tr', {dataset: {actionId: a.id}},
        h('td', {}, a.description),
        h('td', {}, orgName(orgNames, a.owner_org)),
        h('td', {}, formatDateTime(a.due_at), late ? h('span', {class: 'late'}, ` (${timeLeft(a.due_at)})`) : ''),
        h('td', {}, ACTION_STATUS[a.status] || a.status));
    })));
}

// Per organisation: the cases it is on the team of, and the afspraken it owns.
function byOrganisation(cases, orgNames) {
  const orgs = new Map();
  const entry = (id) => {
    if (!orgs.has(id)) orgs.set(id, {cases: new Map(), actions: []});
    return orgs.get(id);
  };
  for (const c of cases) {
    for (const m of c.team || []) entry(m.org_id).cases.set(c.id, {c, role: m.role});
    for (const a of c.actions || []) entry(a.owner_org).actions.push({...a, kase: c});
  }
  if (orgs.size === 0) return h('p', {class: 'empty'}, 'Geen organisaties betrokken.');
  const sorted = [...orgs.entries()].sort((x, y) => orgName(orgNames, x[0]).localeCompare(orgName(orgNames, y[0]), 'nl'));
  return h('div', {class: 'org-groups', 'data-testid': 'person-organisations'}, sorted.map(([id, o]) =>
    h('article', {class: 'org-group', dataset: {orgId: id}},
      h('h3', {}, orgName(orgNames, id)),
      o.cases.size ? h('ul', {}, [...o.cases.values()].map(({c, role}) =>
        h('li', {}, caseLink(c.id, `${typeLabel(c.type)} · zaak ${caseNumber(c.id, c.zaaknummer)}`), ` — ${humanize(role)}, ${c.state_label || stateLabel(c.type, c.state)}`)))
        : h('p', {}, 'Niet in een zaakteam.'),
      o.actions.length ? h('ul', {}, o.actions.map((a) => h('li', {},
        `Afspraak: ${a.description} — uiterlijk ${formatDate(a.due_at)} (${ACTION_STATUS[a.status] || a.status}), `,
        caseLink(a.kase.id, `zaak ${caseNumber(a.kase.id, a.kase.zaaknummer)}`)))) : null)));
}
