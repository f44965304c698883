// Coordinator dashboard (#/dashboard): counts per type, state and level,
// overdue and due-soon deadlines, recent escalations — kept current over
// the live event stream without a reload — charts of reports per category
// and per wijk over the last months (Chart.js), and CSV exports.

import {ApiError} from '../api.js';
import {announce, formatDateTime, h, replaceChildren, showProblem, timeLeft} from '../dom.js';
import {deadlineLabel, levelLabel, loadCaseTypes, stateLabel} from '../case-types.js';
import {connectLive} from '../live.js';
import {caseLink, ensurePagesStylesheet, humanize, loadScript, localToday, section, typeLabel} from './page-kit.js';
import {caseNumber} from './page-kit.js';

const CHART_JS = '/vendor/chart.js/chart.umd.js';
// Events after which the counts and lists may have changed.
const REFRESHING_EVENTS = new Set(['case.created', 'case.transitioned', 'case.escalated', 'case.deescalated',
  'case.closed', 'deadline.overdue', 'deadline.due_soon', 'deadline.late3', 'deadline.cleared', 'deadline.suspended',
  'deadline.resumed', 'action.added']);
const REFRESH_DELAY_MS = 400;
const STATS_LIMIT_MONTHS = 12;

let live = null;
let refreshTimer = null;
let charts = [];

export function dispose() {
  if (live) live.close();
  live = null;
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  for (const c of charts) c.destroy();
  charts = [];
}

export async function render(root, ctx) {
  ensurePagesStylesheet();
  const liveStatus = h('span', {class: 'live-status', 'data-testid': 'live-status', 'data-state': 'verbinden'},
    'verbinden');
  const problem = h('div');
  const counts = h('div');
  const escalations = h('ul', {class: 'item-list', 'data-testid': 'escalations'});
  const overdue = h('ul', {class: 'item-list', 'data-testid': 'overdue'});
  const dueSoon = h('ul', {class: 'item-list', 'data-testid': 'due-soon'});
  const withoutRegisseur = h('ul', {class: 'item-list', 'data-testid': 'without-regisseur'});
  const overdueActions = h('ul', {class: 'item-list', 'data-testid': 'overdue-actions'});
  const generated = h('p', {class: 'hint'});
  const statsBox = h('div');

  replaceChildren(root,
    h('div', {class: 'page-head'},
      h('h1', {}, 'Dashboard'),
      h('p', {class: 'live-line'}, 'Live bijwerken: ', liveStatus)),
    problem,
    generated,
    h('div', {class: 'dash-grid'},
      section('escalaties', 'Recente escalaties', escalations),
      section('termijnen', 'Verlopen termijnen', overdue),
      section('bijna', 'Termijnen die bijna verlopen', dueSoon),
      section('zonder-regisseur', 'Open zaken zonder regisseur', withoutRegisseur),
      section('afspraken', 'Verlopen afspraken', overdueActions)),
    section('aantallen', 'Aantallen open zaken', counts),
    statsBox);

  // The zaaknummers of the cases shown, for live events (which carry the case id only).
  const zaaknummers = new Map();
  const fill = (dashboard) => {
    for (const list of [dashboard.recent_escalations, dashboard.overdue, dashboard.due_soon,
      dashboard.cases_without_regisseur, dashboard.overdue_actions]) {
      for (const x of list || []) if (x.zaaknummer) zaaknummers.set(x.case_id, x.zaaknummer);
    }
    replaceChildren(generated, `Bijgewerkt: ${formatDateTime(dashboard.generated_at)}`,
      dashboard.truncated ? ' — let op: niet alle zaken zijn meegeteld (te veel zaken).' : '');
    replaceChildren(counts, countsTable(dashboard.counts));
    fillList(escalations, dashboard.recent_escalations, escalationItem, 'Geen escalaties in de afgelopen 14 dagen.');
    fillList(overdue, dashboard.overdue, deadlineItem, 'Geen verlopen termijnen.');
    fillList(dueSoon, dashboard.due_soon, deadlineItem, 'Geen termijnen die binnen twee werkdagen verlopen.');
    fillList(withoutRegisseur, dashboard.cases_without_regisseur, (c) =>
      h('li', {dataset: {caseId: c.case_id}}, caseLink(c.case_id, null, c.zaaknummer), ` · ${typeLabel(c.type)} · ${stateLabel(c.type, c.state)}`),
    'Alle open zaken hebben een regisseur.');
    fillList(overdueActions, dashboard.overdue_actions, (a) =>
      h('li', {dataset: {caseId: a.case_id}}, caseLink(a.case_id, null, a.zaaknummer), ` · afspraak was uiterlijk ${formatDateTime(a.due_at)}`,
        ' ', h('span', {class: 'late'}, timeLeft(a.due_at))),
    'Geen verlopen afspraken.');
  };

  let dashboard;
  try {
    [dashboard] = await Promise.all([ctx.api('GET', '/api/v1/dashboard'), loadCaseTypes()]);
  } catch (e) {
    showProblem(problem, e, 'Het dashboard kon niet worden geladen.');
    liveStatus.dataset.state = 'niet beschikbaar';
    replaceChildren(liveStatus, 'niet beschikbaar');
    return;
  }
  if (!root.isConnected) return;
  fill(dashboard);

  // Announcements about a case the page does not list yet wait for the
  // refresh that the event triggers: live events carry the case id only,
  // and people know a case by its zaaknummer.
  let pendingAnnouncements = [];
  const announceCase = (text, caseId) => {
    if (zaaknummers.has(caseId)) announce(`${text}: zaak ${zaaknummers.get(caseId)}.`);
    else pendingAnnouncements.push({text, caseId});
  };
  const flushAnnouncements = () => {
    for (const {text, caseId} of pendingAnnouncements) announce(`${text}: zaak ${caseNumber(caseId, zaaknummers.get(caseId))}.`);
    pendingAnnouncements = [];
  };
  const refresh = () => {
    refreshTimer = null;
    ctx.api('GET', '/api/v1/dashboard').then((d) => {
      if (root.isConnected) { replaceChildren(problem); fill(d); flushAnnouncements(); }
    }).catch((e) => {
      if (!root.isConnected) return;
      flushAnnouncements();
      showProblem(problem, e, 'Het dashboard kon niet worden bijgewerkt.');
    });
  };

  let wasDown = false;
  live = connectLive((event) => {
    if (event.type === 'replay.truncated') return refresh();
    if (event.type === 'case.escalated') {
      // Shown at once from the event; the refresh that follows fills in the rest.
      prependUnique(escalations, escalationItem({case_id: event.case_id, zaaknummer: zaaknummers.get(event.case_id),
        at: event.at,
        from_level: event.data && event.data.from_level, to_level: event.data && event.data.to_level}, true));
      announceCase('Nieuwe escalatie', event.case_id);
    } else if (event.type === 'deadline.overdue') {
      prependUnique(overdue, deadlineItem({case_id: event.case_id, zaaknummer: zaaknummers.get(event.case_id),
        deadline: event.data && event.data.deadline,
        due_at: event.data && event.data.due_at}, true));
      announceCase('Termijn verlopen', event.case_id);
    }
    if (REFRESHING_EVENTS.has(event.type) && !refreshTimer) refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
  }, {
    onStatus: (s) => {
      liveStatus.dataset.state = s;
      replaceChildren(liveStatus, s === 'verbroken' ? 'verbroken, opnieuw verbinden…' : s);
      if (s === 'verbroken') wasDown = true;
      // Back after a drop: the stream replays what it missed after the last
      // event seen, but when none had arrived yet there is no cursor, so the
      // figures are read again as well.
      if (s === 'verbonden' && wasDown && !refreshTimer) refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
    },
  });

  renderStats(statsBox, ctx);
}

function fillList(list, items, itemFn, emptyText) {
  if (!items || items.length === 0) {
    replaceChildren(list, h('li', {class: 'empty'}, emptyText));
    return;
  }
  replaceChildren(list, items.map((x) => itemFn(x)));
}

function prependUnique(list, item) {
  const empty = list.querySelector('li.empty');
  if (empty) empty.remove();
  list.insertBefore(item, list.firstChild);
}

function escalationItem(e, isNew = false) {
  return h('li', {dataset: {caseId: e.case_id}, class: isNew ? 'new' : null},
    caseLink(e.case_id, null, e.zaaknummer), e.type ? ` · ${typeLabel(e.type)}` : '',
    ` · niveau ${e.from_level ? levelLabel(e.type, e.from_level) : '?'} → `,
    h('strong', {}, e.to_level ? levelLabel(e.type, e.to_level) : '?'),
    ` · ${formatDateTime(e.at)}`, isNew ? h('span', {class: 'badge'}, 'nieuw') : null);
}

function deadlineItem(d, isNew = false) {
  const due = d.due_at;
  return h('li', {dataset: {caseId: d.case_id}, class: isNew ? 'new' : null},
    caseLink(d.case_id, null, d.zaaknummer), d.type ? ` · ${typeLabel(d.type)}` : '',
    ` · ${d.label || deadlineLabel(d.type, d.deadline)}`, due ? ` · ${formatDateTime(due)} ` : ' ',
    due ? h('span', {class: new Date(due) < new Date() ? 'late' : 'soon'}, timeLeft(due)) : null,
    isNew ? h('span', {class: 'badge'}, 'nieuw') : null);
}

// "Aangemeld: 2, Monitoring: 1", each key named by `label`.
function entriesText(obj, label) {
  const parts = Object.entries(obj || {}).map(([k, n]) => `${label(k)}: ${n}`);
  return parts.length ? parts.join(', ') : '—';
}

function countsTable(counts) {
  const types = Object.keys(counts.by_type || {}).sort();
  return h('div', {},
    h('p', {}, `Open zaken: ${counts.open}; gesloten zaken: ${counts.closed}.`),
    h('table', {'data-testid': 'counts'},
      h('caption', {}, 'Open zaken per type, toestand en niveau'),
      h('thead', {}, h('tr', {},
        h('th', {scope: 'col'}, 'Type'), h('th', {scope: 'col'}, 'Open'),
        h('th', {scope: 'col'}, 'Per toestand'), h('th', {scope: 'col'}, 'Per niveau'))),
      h('tbody', {}, types.length === 0
        ? h('tr', {}, h('td', {colspan: 4}, 'Geen open zaken.'))
        : types.map((t) => h('tr', {dataset: {type: t}},
          h('th', {scope: 'row'}, typeLabel(t)), h('td', {}, String(counts.by_type[t])),
          h('td', {}, entriesText((counts.by_state || {})[t], (state) => stateLabel(t, state))),
          h('td', {}, entriesText((counts.by_level || {})[t], (level) => levelLabel(t, level))))))));
}

// ---- statistics: charts and CSV ----

function monthRanges(count) {
  const [y, m] = localToday().split('-').map(Number);
  const today = localToday();
  const out = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    const first = d.toISOString().slice(0, 10);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    out.push({from: first, to: last > today ? today : last, label: first.slice(0, 7)});
  }
  return out;
}

function renderStats(box, ctx) {
  const monthsSelect = h('select', {id: 'stats-months', name: 'months'},
    [3, 6, 12].map((n) => h('option', {value: n, selected: n === 6}, `${n} maanden`)));
  const chartsBox = h('div', {class: 'charts'});
  const problem = h('div');
  const form = h('form', {class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); draw(); }},
    h('div', {class: 'field'}, h('label', {for: 'stats-months'}, 'Periode'), monthsSelect),
    h('button', {type: 'submit'}, 'Grafieken bijwerken'));
  replaceChildren(box,
    section('statistiek', 'Meldingen over tijd', form, problem, chartsBox),
    section('export', 'Exporteren (CSV)', exportForm(ctx)));

  const draw = async () => {
    replaceChildren(problem);
    for (const c of charts) c.destroy();
    charts = [];
    replaceChildren(chartsBox, h('p', {}, 'Grafieken worden geladen…'));
    const months = monthRanges(Math.min(Number(monthsSelect.value) || 6, STATS_LIMIT_MONTHS));
    let series;
    try {
      series = {};
      for (const dim of ['category', 'wijk']) {
        series[dim] = await Promise.all(months.map((r) =>
          ctx.api('GET', `/api/v1/stats?subject=reports&group_by=${dim}&from=${r.from}&to=${r.to}`)));
      }
    } catch (e) {
      replaceChildren(chartsBox);
      showProblem(problem, e, 'De statistieken konden niet worden geladen.');
      return;
    }
    if (!box.isConnected) return;
    let chartLib = null;
    try {
      await loadScript(CHART_JS);
      chartLib = window.Chart || null;
    } catch {
      chartLib = null;
    }
    replaceChildren(chartsBox,
      chartBlock('chart-category', 'Meldingen per categorie per maand', months, series.category, chartLib),
      chartBlock('chart-wijk', 'Meldingen per wijk per maand', months, series.wijk, chartLib));
  };
  draw();
}

const PALETTE = ['#1b5e9a', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#4d7c0f',
  '#be185d', '#374151', '#1d4ed8', '#9a3412'];

function chartBlock(id, title, months, answers, Chart) {
  const keys = [...new Set(answers.flatMap((a) => a.groups.map((g) => g.key)))].sort();
  const value = (answer, key) => {
    const g = answer.groups.find((x) => x.key === key);
    return g ? g.count : 0;
  };
  const canvas = h('canvas', {id, role: 'img', 'aria-label': `${title}; de cijfers staan in de tabel hieronder.`});
  const table = h('table', {class: 'data-table', 'data-testid': `${id}-table`},
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Maand'), keys.map((k) => h('th', {scope: 'col'}, humanize(k))))),
    h('tbody', {}, months.map((m, i) => h('tr', {},
      h('th', {scope: 'row'}, m.label), keys.map((k) => h('td', {}, String(value(answers[i], k))))))));
  const block = h('figure', {class: 'chart', 'data-testid': id},
    h('figcaption', {}, title),
    Chart ? h('div', {class: 'chart-canvas'}, canvas) : h('p', {class: 'hint'}, 'De grafiekbibliotheek is niet beschikbaar; de cijfers staan in de tabel.'),
    keys.length === 0 ? h('p', {}, 'Geen meldingen in deze periode.') : null,
    h('details', {open: !Chart}, h('summary', {}, 'Cijfers als tabel'), table));
  if (Chart && keys.length > 0) {
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: {
        labels: months.map((m) => m.label),
        datasets: keys.map((k, i) => ({label: humanize(k), data: answers.map((a) => value(a, k)),
          backgroundColor: PALETTE[i % PALETTE.length]})),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}},
        plugins: {legend: {position: 'bottom'}},
      },
    }));
  }
  return block;
}

function exportForm(ctx) {
  const today = localToday();
  const problem = h('div');
  const status = h('p', {class: 'hint', role: 'status'});
  const select = (id, label, options, value) => h('div', {class: 'field'},
    h('label', {for: id}, label),
    h('select', {id, name: id}, options.map(([v, l]) => h('option', {value: v, selected: v === value}, l))));
  const date = (id, label, value) => h('div', {class: 'field'},
    h('label', {for: id}, label), h('input', {id, name: id, type: 'date', value, required: true}));
  const form = h('form', {class: 'inline-form', 'data-testid': 'csv-export'},
    select('export-subject', 'Onderwerp', [['reports', 'Meldingen'], ['cases', 'Zaken']], 'reports'),
    select('export-group', 'Groeperen op', [['category', 'Categorie'], ['wijk', 'Wijk'], ['type', 'Zaaktype'],
      ['source', 'Bron'], ['month', 'Maand']], 'category'),
    date('export-from', 'Van', `${today.slice(0, 4)}-01-01`),
    date('export-to', 'Tot en met', today),
    h('button', {type: 'submit'}, 'CSV downloaden'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replaceChildren(problem);
    const q = new URLSearchParams({
      subject: form.querySelector('#export-subject').value,
      group_by: form.querySelector('#export-group').value,
      from: form.querySelector('#export-from').value,
      to: form.querySelector('#export-to').value,
    });
    replaceChildren(status, 'Export wordt gemaakt…');
    try {
      await downloadCsv(`/api/v1/stats?${q}`);
      replaceChildren(status, 'De CSV is gedownload.');
    } catch (e) {
      replaceChildren(status);
      showProblem(problem, e, 'De export is mislukt.');
    }
  });
  return h('div', {}, h('p', {}, 'Aantallen als CSV-bestand (te openen in een spreadsheet). Elke export wordt vastgelegd.'),
    form, problem, status);
}

// The stats endpoint answers CSV when asked with Accept: text/csv, which a
// plain link cannot send: fetch it and hand the file to the browser.
async function downloadCsv(path) {
  let response;
  try {
    response = await fetch(path, {headers: {Accept: 'text/csv'}, credentials: 'same-origin', cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, {detail: String(e)});
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  const url = URL.createObjectURL(blob);
  const a = h('a', {href: url, download: match ? match[1] : 'casus-export.csv', hidden: true});
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
