// #/zaken: the cases the user may see. #/zaken/<id>: one case — type,
// state, level on its ladder, deadlines with time left, team, timeline
// (events, notes, afspraken) and the transitions the user may take now,
// each asking for exactly its required data. A conflict (someone else
// changed the case first) keeps the user's input and shows the new state.

import {ApiError} from '../api.js';
import {announce, field, formatDate, formatDateTime, h, replaceChildren, showProblem, timeLeft} from '../dom.js';
import {dataFields, readDataFields, snapshotDataFields} from '../fields.js';
import {ROLES} from '../labels.js';
import {loadCaseTypes, loadWorkflowVersion, typeLabel, workflowOf as latestWorkflow} from '../case-types.js';
import {CaseLiveUpdates} from '../case-live.js';
import {drawWorkflow} from '../diagram.js';

let workflows = null;
let directory = null;
let openCase = null;  // the CasePage shown, so that leaving it closes its live stream

export function dispose() {
  if (openCase) openCase.live.close();
  openCase = null;
}

export async function render(root, ctx) {
  await loadCaseTypes();  // the case types' labels (workflow files)
  if (!ctx.params.id) return renderList(root, ctx);
  await loadReferenceData(ctx.api);
  const page = new CasePage(root, ctx, ctx.params.id);
  openCase = page;
  await page.load();
}

async function loadReferenceData(api) {
  const jobs = [];
  if (!workflows) jobs.push(api('GET', '/api/v1/workflows').then((a) => { workflows = a.workflows; }).catch(() => {}));
  if (!directory) jobs.push(api('GET', '/api/v1/organisations').then((a) => { directory = a.organisations; }).catch(() => {}));
  await Promise.all(jobs);
}

function orgName(id) {
  const org = (directory || []).find((o) => o.id === id);
  return org ? org.name : id;
}
function userName(id) {
  for (const org of directory || []) {
    const u = org.users.find((x) => x.id === id);
    if (u) return u.username;
  }
  return id;
}
function workflowOf(kase) { return (workflows || []).find((w) => w.id === kase.type); }
function stateLabel(kase, state) {
  const wf = workflowOf(kase);
  const s = wf && wf.states.find((x) => x.id === state);
  return s ? s.label : state;
}

// A zaaknummer as people type it: IAWW-2026-0042, in any letter case
// (the server checks the same form: storage/case_number.h).
const ZAAKNUMMER = /^[A-Za-z0-9_]{1,32}-[0-9]{4}-[0-9]{4,12}$/;

async function renderList(root, ctx) {
  const list = h('div', {'data-testid': 'case-list'});
  const search = h('form', {class: 'case-search', role: 'search', novalidate: true, 'data-testid': 'case-search'},
    field({id: 'zaaknummer', label: 'Zaaknummer', maxlength: 64, hint: 'Bijvoorbeeld IAWW-2026-0042.',
      attrs: {autocapitalize: 'characters', spellcheck: 'false', autocomplete: 'off'}}),
    h('div', {class: 'actions'},
      h('button', {type: 'submit'}, 'Zoeken'),
      h('button', {type: 'button', class: 'secondary', 'data-testid': 'case-search-all'}, 'Alle zaken')));
  const input = search.querySelector('#zaaknummer');
  replaceChildren(root, h('h1', {}, 'Zaken'), h('p', {class: 'lead'}, 'De zaken die u mag zien.'), search, list);
  search.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const wanted = input.value.trim();
    if (wanted && !ZAAKNUMMER.test(wanted)) {
      input.setAttribute('aria-invalid', 'true');
      return replaceChildren(list, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'},
        'Dit is geen zaaknummer. Een zaaknummer ziet eruit als IAWW-2026-0042.'));
    }
    input.removeAttribute('aria-invalid');
    fillCaseList(list, ctx, wanted);
  });
  search.querySelector('[data-testid=case-search-all]').addEventListener('click', () => {
    input.value = '';
    input.removeAttribute('aria-invalid');
    fillCaseList(list, ctx, '');
  });
  await fillCaseList(list, ctx, '');
}

// The cases the user may see, or the one with `zaaknummer` (when given and
// visible). The latest search wins over a slower earlier one.
let caseListGeneration = 0;
async function fillCaseList(list, ctx, zaaknummer) {
  const generation = ++caseListGeneration;
  try {
    const query = zaaknummer ? `zaaknummer=${encodeURIComponent(zaaknummer)}` : 'limit=100';
    const answer = await ctx.api('GET', `/api/v1/cases?${query}`);
    if (generation !== caseListGeneration) return;
    if (!answer.cases.length) {
      return replaceChildren(list, h('p', {class: 'muted', role: zaaknummer ? 'status' : null},
        zaaknummer ? `Geen zaak met zaaknummer ${zaaknummer.toUpperCase()} die u mag zien.` : 'Geen zaken.'));
    }
    replaceChildren(list, h('div', {class: 'table-wrap'}, h('table', {},
      h('caption', {class: 'visually-hidden'}, 'Zaken'),
      h('thead', {}, h('tr', {}, ['Zaaknummer', 'Betrokkene', 'Soort', 'Toestand', 'Niveau', 'Termijn'].map((t) =>
        h('th', {scope: 'col'}, t)))),
      h('tbody', {}, answer.cases.map((c) => {
        const next = c.deadlines.filter((d) => !d.cleared_at).sort((a, b) => a.due_at.localeCompare(b.due_at))[0];
        return h('tr', {'data-case-id': c.id, 'data-zaaknummer': c.zaaknummer},
          h('td', {}, h('a', {href: `#/zaken/${encodeURIComponent(c.id)}`}, c.zaaknummer || c.id)),
          h('td', {}, h('a', {href: `#/zaken/${encodeURIComponent(c.id)}`}, c.subject.name)),
          h('td', {}, typeLabel(c.type)),
          h('td', {}, c.state_label || c.state),
          h('td', {}, c.level_label || c.level),
          h('td', {}, next ? [formatDate(next.due_at), ' ', h('span', {class: `badge ${next.overdue ? 'late' : ''}`},
            timeLeft(next.due_at))] : '–'));
      })))));
  } catch (e) {
    showProblem(list, e, 'De zaken konden niet worden geladen.');
  }
}

class CasePage {
  constructor(root, ctx, id) {
    this.root = root;
    this.ctx = ctx;
    this.id = id;
    this.kase = null;
    this.base = `/api/v1/cases/${encodeURIComponent(id)}`;
    this.parts = {};       // the parts a live update redraws, by name
    this.signature = '';   // what the drawn parts show, to skip redraws
    this.generation = 0;   // newer renders win over slower older ones
    this.live = new CaseLiveUpdates({
      isThisCase: (caseId) => caseId === this.id || (this.kase && caseId === this.kase.id),
      refresh: () => this.refreshLive(),
    });
  }

  async load() {
    try {
      this.kase = await this.ctx.api('GET', this.base);
    } catch (e) {
      return this.renderRefusal(e);
    }
    await this.renderAll();
    if (this.root.isConnected && openCase === this) this.live.start();
  }

  // 403: no need-to-know. Offer break-the-glass: a reason, logged and flagged.
  renderRefusal(e) {
    const problem = h('div');
    showProblem(problem, e, 'Deze zaak kon niet worden geladen.');
    if (e instanceof ApiError && e.status === 403 && e.problem.reason === 'access_denied') {
      replaceChildren(problem, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'},
        'U heeft geen toegang tot deze zaak: uw organisatie hoort niet bij het zaakteam.'));
    }
    const parts = [h('h1', {}, 'Zaak'), problem];
    if (e instanceof ApiError && e.status === 403 && e.problem.reason !== 'role_refused') {
      const msg = h('div');
      const form = h('form', {novalidate: true, 'data-testid': 'break-glass-form'},
        h('h2', {}, 'Toegang in noodgeval (break-the-glass)'),
        h('p', {}, 'U hoort niet bij het zaakteam. Heeft u deze zaak nu echt nodig, bijvoorbeeld bij acuut gevaar? ',
          'Geef dan de reden. Uw toegang wordt vastgelegd en beoordeeld door de privacy officer en de regisseur.'),
        field({id: 'bg-reason', label: 'Reden voor toegang', control: 'textarea', required: true, maxlength: 1000,
          hint: 'Minimaal 10 tekens.'}),
        h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'danger'}, 'Toegang vragen')),
        msg);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const reason = form.querySelector('#bg-reason').value.trim();
        if (reason.length < 10) {
          form.querySelector('#bg-reason').setAttribute('aria-invalid', 'true');
          return replaceChildren(msg, h('div', {class: 'problem', role: 'alert'}, 'Geef een reden van minimaal 10 tekens.'));
        }
        try {
          await this.ctx.api('POST', `${this.base}/access`, {reason});
          announce('Tijdelijke toegang verleend.');
          await this.load();
        } catch (err) {
          showProblem(msg, err, 'Toegang vragen lukte niet.');
        }
      });
      parts.push(form);
    }
    replaceChildren(this.root, ...parts);
  }

  async renderAll(focusHeading = false) {
    const generation = ++this.generation;
    const lists = await this.fetchLists(this.kase);
    // A live update that read the case meanwhile is not lost: read again.
    if (generation !== this.generation) this.live.schedule();
    ++this.generation;  // and one still under way draws nothing over this
    const k = this.kase;
    const {events, notes, actions, team} = lists;
    this.signature = signatureOf(k, lists);
    this.transitionArea = h('div', {id: 'transition-area'});
    const heading = h('h1', {tabindex: '-1'}, `${typeLabel(k.type)} – ${k.subject.name}`);
    replaceChildren(this.root,
      heading,
      h('p', {class: 'case-number lead'}, 'Zaaknummer ', h('strong', {}, k.zaaknummer || k.id)),
      k.via_break_glass ? h('p', {class: 'warning'}, 'U bekijkt deze zaak via break-the-glass. Deze toegang is vastgelegd.') : null,
      h('div', {class: 'columns'},
        h('div', {},
          this.part('summary', this.summary()),
          h('section', {'aria-labelledby': 'tr-title'},
            h('h2', {id: 'tr-title'}, 'Wat kunt u nu doen?'),
            this.part('buttons', this.transitionButtons()),
            this.transitionArea),
          this.part('timeline', this.timeline(events, notes, actions))),
        h('div', {},
          this.live.statusLine(),
          this.part('deadlines', this.deadlines()),
          this.teamSection(team),
          this.actionsSection(actions),
          this.notesSection())),
      this.verloopSection());
    if (focusHeading) heading.focus();
  }

  summary() {
    const k = this.kase;
    const wf = workflowOf(k);
    const levels = wf ? wf.levels : [{id: k.level, label: k.level_label || k.level}];
    return h('section', {class: 'panel', 'aria-label': 'Gegevens van de zaak'},
      h('dl', {class: 'facts'},
        h('dt', {}, 'Soort'), h('dd', {}, typeLabel(k.type)),
        h('dt', {}, 'Toestand'), h('dd', {'data-testid': 'case-state', 'data-state': k.state}, k.state_label || k.state),
        h('dt', {}, 'Niveau'), h('dd', {'data-testid': 'case-level', 'data-level': k.level}, k.level_label || k.level),
        h('dt', {}, 'Betrokkene'), h('dd', {}, k.subject.name,
          k.subject.birth_date ? ` (${formatDate(k.subject.birth_date)})` : '', ' · ',
          h('a', {href: `#/personen/${encodeURIComponent(k.subject.id)}`}, 'Integraal beeld')),
        h('dt', {}, 'Gemeente'), h('dd', {}, k.municipality),
        h('dt', {}, 'Ontvangen'), h('dd', {}, formatDateTime(k.received_at)),
        h('dt', {}, 'Zaaknummer'), h('dd', {'data-testid': 'case-number'}, k.zaaknummer || k.id),
        h('dt', {}, 'Versie'), h('dd', {}, String(k.version), h('span', {class: 'muted'}, ` · technisch id ${k.id}`))),
      h('h3', {}, 'Escalatieladder'),
      h('ol', {class: 'ladder', 'aria-label': 'Escalatieladder'}, levels.map((l) =>
        h('li', {'aria-current': l.id === k.level ? 'step' : null, class: l.id === k.level ? 'current' : null},
          l.label, l.id === k.level ? ' (huidig niveau)' : ''))));
  }

  deadlines() {
    const list = (this.kase.deadlines || []).slice().sort((a, b) => a.due_at.localeCompare(b.due_at));
    return h('section', {'aria-labelledby': 'dl-title', 'data-testid': 'deadlines'},
      h('h2', {id: 'dl-title'}, 'Termijnen'),
      list.length ? h('ul', {class: 'plain'}, list.map((d) => this.deadlineItem(d)))
        : h('p', {class: 'muted'}, 'Geen lopende termijnen.'));
  }

  // One term: its end and time left, or since when it is suspended (opgeschort)
  // and why; the suspended time added so far; opschorten / hervatten for
  // the roles the workflow names.
  deadlineItem(d) {
    const suspended = !d.cleared_at && d.suspended_at;
    const area = h('div', {class: 'deadline-change'});
    let status;
    if (d.cleared_at) status = h('span', {class: 'muted'}, `Afgerond ${formatDateTime(d.cleared_at)}`);
    else if (suspended) {
      status = [h('span', {class: 'badge soon', 'data-testid': 'suspended'}, 'Opgeschort'),
        ` sinds ${formatDateTime(d.suspended_at)}`,
        d.suspension_reason ? h('div', {}, 'Reden: ', d.suspension_reason) : null,
        h('div', {class: 'muted'}, `Oorspronkelijk einde ${formatDateTime(d.due_at)}; `,
          'bij hervatten schuift het einde op met de opgeschorte tijd.')];
    } else {
      status = [formatDateTime(d.due_at), ' ', h('span', {class: `badge ${d.overdue ? 'late' : 'soon'}`}, timeLeft(d.due_at))];
    }
    const extended = d.extended_by ? h('div', {class: 'muted', 'data-testid': 'extended'},
      `Verlengd door opschorting: ${extendedText(d)}.`) : null;
    let button = null;
    if (d.may_suspend && !d.cleared_at) {
      button = suspended
        ? h('button', {type: 'button', class: 'secondary', 'data-action': 'resume',
          onclick: () => this.changeDeadline(d, 'resume', area)}, 'Termijn hervatten')
        : h('button', {type: 'button', class: 'secondary', 'data-action': 'suspend',
          onclick: () => this.openSuspend(d, area)}, 'Termijn opschorten');
    }
    return h('li', {'data-deadline': d.name, 'data-suspended': suspended ? 'true' : null},
      h('strong', {}, d.label || d.name), h('br'),
      status, extended,
      d.legal_basis ? h('div', {class: 'muted'}, d.legal_basis) : null,
      button, area);
  }

  // The reason for suspending, then the request.
  openSuspend(d, area) {
    const problem = h('div');
    const reasonId = `suspend-reason-${d.name}`;
    const submit = h('button', {type: 'submit'}, 'Opschorten');
    const form = h('form', {novalidate: true, 'data-testid': 'suspend-form', 'data-deadline': d.name},
      problem,
      field({id: reasonId, label: 'Reden van opschorting (verplicht)', control: 'textarea', maxlength: 500}),
      h('div', {class: 'actions'}, submit,
        h('button', {type: 'button', class: 'secondary', onclick: () => replaceChildren(area)}, 'Annuleren')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = form.querySelector(`#${CSS.escape(reasonId)}`);
      const reason = input.value.trim();
      if (!reason) {
        input.setAttribute('aria-invalid', 'true');
        showProblem(problem, {status: 422, problem: {errors: [{field: 'reason', message: 'verplicht'}]}});
        input.focus();
        return;
      }
      this.changeDeadline(d, 'suspend', problem, {reason}, submit);
    });
    replaceChildren(area, form);
    form.querySelector('textarea').focus();
  }

  async changeDeadline(d, step, problemArea, extra = {}, submit = null) {
    const body = {version: this.kase.version, ...extra};
    if (submit) submit.disabled = true;
    try {
      this.kase = await this.ctx.api('POST', `${this.base}/deadlines/${encodeURIComponent(d.name)}/${step}`, body);
      announce(step === 'suspend' ? `Termijn opgeschort: ${d.label || d.name}.` : `Termijn hervat: ${d.label || d.name}.`);
      await this.renderAll();
    } catch (e) {
      if (submit) submit.disabled = false;
      showProblem(problemArea, e, step === 'suspend' ? 'De termijn kon niet worden opgeschort.'
        : 'De termijn kon niet worden hervat.');
    }
  }

  transitionButtons() {
    const allowed = this.kase.allowed_transitions || [];
    return h('div', {class: 'actions', 'data-testid': 'transitions'},
      allowed.length ? allowed.map((t) => h('button', {type: 'button', 'data-transition': t.name,
        onclick: () => this.openTransition(t)}, t.label || t.name))
        : h('p', {class: 'muted'}, 'U kunt in deze toestand geen stap zetten.'));
  }

  // The form for one transition, pre-filled with `values` (kept input).
  openTransition(t, values = {}, reasonText = '', notice = null) {
    const opened = this.kase;
    const fields = t.fields || (t.requires || []).map((name) => ({name, type: 'text', label: name, optional: false}));
    const problem = h('div');
    if (notice) problem.appendChild(notice);
    const submit = h('button', {type: 'submit'}, 'Bevestigen');
    const form = h('form', {novalidate: true, 'data-testid': 'transition-form', 'data-transition': t.name},
      h('h3', {tabindex: '-1'}, t.label || t.name),
      problem,
      fields.length ? dataFields(fields, 'tr', values) : h('p', {class: 'muted'}, 'Voor deze stap zijn geen gegevens nodig.'),
      field({id: 'tr-reason', label: 'Toelichting (niet verplicht)', control: 'textarea', maxlength: 1000, value: reasonText}),
      h('div', {class: 'actions'}, submit,
        h('button', {type: 'button', class: 'secondary', onclick: () => replaceChildren(this.transitionArea)}, 'Annuleren')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const {data, errors} = readDataFields(form, fields, 'tr');
      if (errors.length) {
        showProblem(problem, {status: 422, problem: {errors: errors.map((e) => ({field: e.message.replace(/ is verplicht$/, ''), message: 'verplicht'}))}});
        const first = form.querySelector('[aria-invalid=true]');
        if (first) first.focus();
        return;
      }
      const reason = form.querySelector('#tr-reason').value.trim();
      const body = {transition: t.name, version: opened.version, data};
      if (reason) body.reason = reason;
      submit.disabled = true;
      try {
        this.kase = await this.ctx.api('POST', `${this.base}/transitions`, body);
        announce(`Stap gezet: ${t.label || t.name}. De zaak staat nu op ${this.kase.state_label || this.kase.state}.`);
        await this.renderAll(true);
      } catch (e) {
        submit.disabled = false;
        if (e instanceof ApiError && e.status === 409) return this.onConflict(t, form, fields, e, opened);
        showProblem(problem, e, 'Deze stap kon niet worden gezet.');
        if (e instanceof ApiError && Array.isArray(e.problem.errors)) {
          for (const err of e.problem.errors) {
            const el = form.querySelector(`#${CSS.escape(`tr-${String(err.field).replace(/^data\./, '')}`)}`);
            if (el) el.setAttribute('aria-invalid', 'true');
          }
        }
      }
    });
    replaceChildren(this.transitionArea, form);
    form.querySelector('h3').focus();
  }

  // Someone else changed the case: keep the input, reload, show the new
  // state and let the user decide again.
  async onConflict(t, form, fields, error, opened = null) {
    const kept = snapshotDataFields(form, fields, 'tr');
    const reasonText = form.querySelector('#tr-reason').value;
    const before = opened || this.kase;
    try {
      this.kase = await this.ctx.api('GET', this.base);
    } catch (e) {
      return showProblem(this.transitionArea, e);
    }
    await this.renderAll();
    const now = this.kase.state_label || stateLabel(this.kase, this.kase.state);
    const changed = before.state !== this.kase.state
      ? `De zaak staat nu op „${now}” (was „${before.state_label || before.state}”).`
      : `De zaak staat nog op „${now}”, maar is intussen wel gewijzigd (versie ${this.kase.version}).`;
    const still = (this.kase.allowed_transitions || []).find((x) => x.name === t.name);
    const notice = h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem', 'data-conflict': 'true'},
      h('strong', {}, 'Iemand anders heeft deze zaak gewijzigd terwijl u bezig was. '), changed, ' ',
      still ? 'Uw invoer is bewaard. Controleer die en bevestig opnieuw als de stap nog klopt.'
        : 'Deze stap kan in de nieuwe toestand niet meer worden gezet. Uw invoer staat hieronder, zodat die niet verloren gaat.');
    if (still) {
      this.openTransition(still, kept, reasonText, notice);
    } else {
      const items = Object.entries(kept).map(([name, value]) => {
        const spec = fields.find((f) => f.name === name);
        return h('li', {}, `${spec ? spec.label : name}: ${value === true ? 'ja' : value === false ? 'nee' : value}`);
      });
      if (reasonText.trim()) items.push(h('li', {}, `Toelichting: ${reasonText}`));
      replaceChildren(this.transitionArea, notice,
        h('div', {class: 'panel', 'data-testid': 'kept-input'}, h('h3', {}, `Uw invoer voor „${t.label || t.name}”`),
          items.length ? h('ul', {}, items) : h('p', {class: 'muted'}, 'Geen invoer.')));
      notice.focus && notice.setAttribute('tabindex', '-1');
      notice.focus();
    }
    void error;
  }

  teamSection(team) {
    const problem = h('div');
    const orgOptions = (directory || []).map((o) => ({value: o.id, label: o.name}));
    const userSelect = field({id: 'team-user', label: 'Medewerker (niet verplicht)', control: 'select',
      options: [{value: '', label: 'De hele organisatie'}]});
    const form = h('form', {novalidate: true, 'data-testid': 'team-form'},
      h('h3', {}, 'Teamlid toevoegen'),
      field({id: 'team-org', label: 'Organisatie', control: 'select', required: true,
        options: [{value: '', label: 'Kies een organisatie'}, ...orgOptions]}),
      userSelect,
      field({id: 'team-role', label: 'Rol in de zaak', control: 'select', value: 'lid',
        options: [{value: 'lid', label: 'Lid'}, {value: 'deelnemer', label: 'Deelnemer (alleen deze zaak)'},
          {value: 'regisseur', label: 'Regisseur'}]}),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Toevoegen')),
      problem);
    const orgInput = form.querySelector('#team-org');
    orgInput.addEventListener('change', () => fillUsers(form.querySelector('#team-user'), orgInput.value, 'De hele organisatie'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!orgInput.value) {
        orgInput.setAttribute('aria-invalid', 'true');
        return replaceChildren(problem, h('div', {class: 'problem', role: 'alert'}, 'Kies een organisatie.'));
      }
      const body = {org: orgInput.value, role: form.querySelector('#team-role').value};
      const user = form.querySelector('#team-user').value;
      if (user) body.user = user;
      try {
        await this.ctx.api('POST', `${this.base}/team`, body);
        announce('Teamlid toegevoegd.');
        await this.reload();
      } catch (e) {
        showProblem(problem, e, 'Toevoegen lukte niet.');
      }
    });
    return h('section', {'aria-labelledby': 'team-title', 'data-testid': 'team'},
      h('h2', {id: 'team-title'}, 'Zaakteam'),
      this.part('team', this.teamList(team)),
      form);
  }

  actionsSection(actions) {
    const problem = h('div');
    const orgOptions = (directory || []).map((o) => ({value: o.id, label: o.name}));
    const form = h('form', {novalidate: true, 'data-testid': 'action-form'},
      h('h3', {}, 'Afspraak toevoegen'),
      field({id: 'act-description', label: 'Afspraak', control: 'textarea', required: true, maxlength: 2000, attrs: {rows: 2}}),
      field({id: 'act-org', label: 'Eigenaar (organisatie)', control: 'select', required: true,
        value: this.ctx.user.organisation && this.ctx.user.organisation.id,
        options: [{value: '', label: 'Kies een organisatie'}, ...orgOptions]}),
      field({id: 'act-user', label: 'Eigenaar (medewerker, niet verplicht)', control: 'select',
        options: [{value: '', label: 'Niemand in het bijzonder'}]}),
      field({id: 'act-due', label: 'Uiterlijk klaar op', type: 'date', required: true}),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Afspraak vastleggen')),
      problem);
    const orgInput = form.querySelector('#act-org');
    fillUsers(form.querySelector('#act-user'), orgInput.value, 'Niemand in het bijzonder');
    orgInput.addEventListener('change', () => fillUsers(form.querySelector('#act-user'), orgInput.value, 'Niemand in het bijzonder'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const description = form.querySelector('#act-description').value.trim();
      const due = form.querySelector('#act-due').value;
      const missing = [];
      if (!description) missing.push(['act-description', 'Afspraak']);
      if (!orgInput.value) missing.push(['act-org', 'Eigenaar (organisatie)']);
      if (!due) missing.push(['act-due', 'Uiterlijk klaar op']);
      for (const [id] of missing) form.querySelector(`#${id}`).setAttribute('aria-invalid', 'true');
      if (missing.length) {
        return showProblem(problem, {status: 422, problem: {errors: missing.map(([, label]) => ({field: label, message: 'verplicht'}))}});
      }
      const body = {description, owner_org: orgInput.value, due_at: new Date(`${due}T17:00:00`).toISOString().replace(/\.\d{3}Z$/, 'Z')};
      const user = form.querySelector('#act-user').value;
      if (user) body.owner_user = user;
      try {
        await this.ctx.api('POST', `${this.base}/actions`, body);
        announce('Afspraak vastgelegd.');
        await this.reload();
      } catch (e) {
        showProblem(problem, e, 'De afspraak kon niet worden vastgelegd.');
      }
    });
    return h('section', {'aria-labelledby': 'act-title', 'data-testid': 'actions'},
      h('h2', {id: 'act-title'}, 'Afspraken'),
      this.part('actions', this.actionsList(actions)),
      form);
  }

  notesSection() {
    const problem = h('div');
    const form = h('form', {novalidate: true, 'data-testid': 'note-form'},
      field({id: 'note-text', label: 'Notitie toevoegen', control: 'textarea', required: true, maxlength: 5000, attrs: {rows: 3}}),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Notitie opslaan')),
      problem);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = form.querySelector('#note-text').value.trim();
      if (!text) {
        form.querySelector('#note-text').setAttribute('aria-invalid', 'true');
        return replaceChildren(problem, h('div', {class: 'problem', role: 'alert'}, 'Schrijf eerst een notitie.'));
      }
      try {
        await this.ctx.api('POST', `${this.base}/notes`, {text});
        announce('Notitie opgeslagen.');
        await this.reload();
      } catch (e) {
        showProblem(problem, e, 'De notitie kon niet worden opgeslagen.');
      }
    });
    return h('section', {'aria-labelledby': 'notes-title'}, h('h2', {id: 'notes-title'}, 'Notities'), form);
  }

  timeline(events, notes, actions) {
    const k = this.kase;
    const items = [
      ...events.map((e) => ({at: e.at, seq: Number(e.id) || 0, kind: 'event', text: eventText(k, e), who: e.actor_user_id,
        type: e.type})),
      ...notes.map((n) => ({at: n.created_at, seq: 0, kind: 'note', text: n.text, who: n.author_user_id, type: 'note'})),
      ...actions.map((a) => ({at: a.created_at, seq: 0, kind: 'action', text: `Afspraak: ${a.description}`, type: 'action'})),
    // Newest first; events of one moment in the order they were recorded.
    ].sort((a, b) => b.at.localeCompare(a.at) || b.seq - a.seq);
    return h('section', {'aria-labelledby': 'tl-title'},
      h('h2', {id: 'tl-title'}, 'Tijdlijn'),
      h('ol', {class: 'plain timeline', 'data-testid': 'timeline'}, items.map((i) => h('li', {'data-kind': i.kind, 'data-type': i.type},
        h('time', {datetime: i.at}, formatDateTime(i.at), i.who ? ` · ${userName(i.who)}` : ''),
        i.kind === 'note' ? h('span', {class: 'badge'}, 'Notitie') : null, ' ', i.text))));
  }

  teamList(team) {
    return h('ul', {class: 'plain'}, team.map((m) => h('li', {'data-org-id': m.org_id},
      m.org_name || orgName(m.org_id), m.user_id ? ` – ${userName(m.user_id)}` : '', ' ',
      h('span', {class: 'badge'}, m.role || 'lid'))));
  }

  actionsList(actions) {
    return actions.length ? h('ul', {class: 'plain'}, actions.map((a) => h('li', {'data-action-id': a.id},
      a.description, h('br'),
      h('span', {class: 'muted'}, `${orgName(a.owner_org)}${a.owner_user ? ` – ${userName(a.owner_user)}` : ''} · uiterlijk ${formatDate(a.due_at)} `),
      h('span', {class: `badge ${a.status === 'open' && new Date(a.due_at) < new Date() ? 'late' : ''}`}, a.status))))
      : h('p', {class: 'muted'}, 'Nog geen afspraken.');
  }

  // Remembers a part that a live update redraws in place.
  part(name, el) {
    this.parts[name] = el;
    return el;
  }

  fetchLists(k) {
    const api = this.ctx.api;
    return Promise.all([
      api('GET', `${this.base}/events`).then((a) => a.events).catch(() => []),
      api('GET', `${this.base}/notes`).then((a) => a.notes).catch(() => []),
      api('GET', `${this.base}/actions`).then((a) => a.actions).catch(() => []),
      api('GET', `${this.base}/team`).then((a) => a.team || a.members || []).catch(() => k.team || []),
    ]).then(([events, notes, actions, team]) => ({events, notes, actions, team}));
  }

  // A live event about this case: read it again and redraw what shows it
  // (facts, steps, deadlines, timeline, team, afspraken, diagram). Forms
  // stay as they are, with whatever the user is typing; an open transition
  // form keeps the version it was opened with, so confirming it after a
  // change still explains the conflict.
  async refreshLive() {
    const generation = ++this.generation;
    let kase;
    try {
      kase = await this.ctx.api('GET', this.base);
    } catch (e) {
      if (generation !== this.generation || !this.root.isConnected) return;
      // Access withdrawn (team change, grant expired) or the case is gone.
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
        this.live.close();
        this.renderRefusal(e);
      }
      return;
    }
    const lists = await this.fetchLists(kase);
    if (generation !== this.generation || !this.root.isConnected) return;
    const signature = signatureOf(kase, lists);
    if (signature === this.signature) return;
    const before = this.kase;
    this.kase = kase;
    this.signature = signature;
    const focusedStep = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.transition : undefined;
    this.swap('summary', this.summary());
    this.swap('buttons', this.transitionButtons());
    this.swap('timeline', this.timeline(lists.events, lists.notes, lists.actions));
    this.swap('deadlines', this.deadlines());
    this.swap('team', this.teamList(lists.team));
    this.swap('actions', this.actionsList(lists.actions));
    this.drawVerloop();
    if (focusedStep && this.parts.buttons) {
      const again = this.parts.buttons.querySelector(`button[data-transition="${CSS.escape(focusedStep)}"]`);
      if (again && !this.root.contains(document.activeElement)) again.focus();
    }
    const moved = before && before.state !== kase.state;
    if (moved && this.transitionArea && this.transitionArea.querySelector('form')) {
      const form = this.transitionArea.querySelector('form');
      const old = form.querySelector('[data-testid=live-notice]');
      if (old) old.remove();
      form.insertBefore(h('p', {class: 'warning', 'data-testid': 'live-notice'},
        `Let op: de zaak staat intussen op „${kase.state_label || kase.state}”. Controleer of deze stap nog klopt.`),
      form.children[1] || null);
    }
    announce(moved ? `De zaak is bijgewerkt en staat nu op ${kase.state_label || kase.state}.` : 'De zaak is bijgewerkt.');
  }

  swap(name, el) {
    const old = this.parts[name];
    if (old && old.parentNode) old.replaceWith(el);
    this.parts[name] = el;
  }

  // "Verloop": the case's workflow as a diagram, the current state
  // highlighted and the path taken so far traced.
  verloopSection() {
    this.parts.verloop = h('p', {class: 'muted'}, 'Het diagram wordt getekend…');
    this.parts.verloopNote = h('div');
    this.drawVerloop();
    return h('section', {'aria-labelledby': 'verloop-title', 'data-testid': 'verloop'},
      h('h2', {id: 'verloop-title'}, 'Verloop'),
      h('p', {class: 'muted'}, 'Het werkproces van deze zaak: de huidige toestand is gemarkeerd, de weg tot nu toe ',
        'is dik getekend. ', h('a', {href: '#/workflows'}, 'Alle werkprocessen')),
      this.parts.verloopNote,
      this.parts.verloop);
  }

  // The version the case is pinned to (definition_version), fetched when it
  // is not the latest; only when that fails the latest, with a warning.
  async drawVerloop() {
    const k = this.kase;
    const seq = this.verloopSeq = (this.verloopSeq || 0) + 1;
    const pinned = await loadWorkflowVersion(k.type, k.definition_version);
    if (seq !== this.verloopSeq) return;
    const latest = latestWorkflow(k.type);
    const wf = pinned || latest;
    if (!wf) return this.swap('verloop', h('p', {class: 'muted'}, 'Het werkproces van deze zaak is niet beschikbaar.'));
    let note = null;
    if (k.definition_version && wf.version !== k.definition_version) {
      note = h('p', {class: 'warning'}, `Deze zaak loopt onder versie ${k.definition_version} van het werkproces; `,
        `getekend is versie ${wf.version}.`);
    } else if (latest && latest.version !== wf.version) {
      note = h('p', {class: 'muted', 'data-testid': 'verloop-version'},
        `Getekend is versie ${wf.version}, waaronder deze zaak is geopend; nieuwe zaken volgen versie ${latest.version}.`);
    }
    replaceChildren(this.parts.verloopNote, note);
    let figure;
    try {
      figure = await drawWorkflow(wf, {current: k.state, history: k.history || [], currentLevel: k.level});
      figure.dataset.version = String(wf.version);
    } catch (e) {
      console.error('diagram failed', e);
      figure = h('p', {class: 'muted'}, 'Het diagram kon niet worden getekend.');
    }
    if (seq === this.verloopSeq) this.swap('verloop', figure);
  }

  async reload() {
    try {
      this.kase = await this.ctx.api('GET', this.base);
    } catch (e) {
      return this.renderRefusal(e);
    }
    await this.renderAll();
  }
}

// What the page shows of a case, compact: equal signatures need no redraw.
function signatureOf(k, {events, notes, actions, team}) {
  return JSON.stringify([k.version, k.state, k.level, k.via_break_glass || false,
    (k.deadlines || []).map((d) => [d.name, d.due_at, d.cleared_at || '', d.overdue, d.suspended_at || '']),
    (k.allowed_transitions || []).map((t) => t.name), (k.history || []).length,
    events.map((e) => e.id), notes.map((n) => n.id), actions.map((a) => [a.id, a.status]),
    team.map((m) => [m.org_id, m.user_id || '', m.role || ''])]);
}

function fillUsers(select, orgId, emptyLabel) {
  const org = (directory || []).find((o) => o.id === orgId);
  replaceChildren(select, h('option', {value: ''}, emptyLabel),
    (org ? org.users : []).map((u) => h('option', {value: u.id},
      `${u.username} (${u.roles.map((r) => ROLES[r] || r).join(', ')})`)));
}

const DEADLINE_EVENTS = {
  started: 'Termijn gestart', due_soon: 'Termijn verloopt binnenkort', overdue: 'Termijn verlopen',
  late3: 'Termijn drie keer overschreden', cleared: 'Termijn afgerond', coordinator_notified: 'Coördinator gewaarschuwd',
  suspended: 'Termijn opgeschort', resumed: 'Termijn hervat',
};

// "2 werkdagen", "3 dagen", "5 uur": the suspended time added to a term,
// in the term's own unit (seconds for a term in hours).
function extendedText(d) {
  const n = d.extended_by;
  const term = d.term || '';
  if (term.endsWith('wd')) return `${n} ${n === 1 ? 'werkdag' : 'werkdagen'}`;
  if (term.endsWith('h')) {
    const hours = Math.round(n / 360) / 10;
    return `${hours} uur`;
  }
  return `${n} ${n === 1 ? 'dag' : 'dagen'}`;
}

function transitionLabel(kase, name) {
  const wf = workflowOf(kase);
  const t = wf && (wf.transitions || []).find((x) => x.name === name);
  return t ? t.label : (name || 'Stap');
}
function deadlineLabel(kase, id) {
  const wf = workflowOf(kase);
  const d = wf && (wf.deadlines || []).find((x) => x.id === id);
  return d ? d.label : (id || '');
}
function levelLabel(kase, id) {
  const wf = workflowOf(kase);
  const l = wf && wf.levels.find((x) => x.id === id);
  return l ? l.label : (id || '');
}

function eventText(kase, e) {
  const p = e.payload || {};
  if (e.type.startsWith('deadline.')) {
    const kind = e.type.slice('deadline.'.length);
    return `${DEADLINE_EVENTS[kind] || kind}: ${deadlineLabel(kase, p.deadline)}`;
  }
  switch (e.type) {
    case 'case.created': return 'Zaak geopend';
    case 'case.closed': return 'Zaak afgesloten';
    case 'case.transitioned':
      return p.from === p.to
        ? `${transitionLabel(kase, p.transition)}`
        : `${transitionLabel(kase, p.transition)}: ${stateLabel(kase, p.from)} → ${stateLabel(kase, p.to)}`;
    case 'case.escalated': return `Opgeschaald: ${levelLabel(kase, p.from || p.from_level)} → ${levelLabel(kase, p.to || p.to_level)}`;
    case 'case.deescalated': return `Afgeschaald: ${levelLabel(kase, p.from || p.from_level)} → ${levelLabel(kase, p.to || p.to_level)}`;
    case 'note.added': return 'Notitie toegevoegd';
    case 'action.added': return 'Afspraak toegevoegd';
    case 'team.added': return `Teamlid toegevoegd: ${orgName(p.org_id || p.org || '')}`;
    default: return e.type;
  }
}
